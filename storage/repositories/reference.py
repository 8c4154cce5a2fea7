"""Organizations and axes: reference data that changes rarely."""

from __future__ import annotations

from storage.database import Database, fold, like_pattern
from storage.models import Axis, Organization, Sector


class ReferenceRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def axes(self) -> list[Axis]:
        rows = await self.db.fetchall("SELECT id, code, position FROM axes ORDER BY position")
        return [Axis(**dict(r)) for r in rows]

    async def organizations(self) -> list[Organization]:
        rows = await self.db.fetchall(
            "SELECT id, name, sector, is_founding FROM organizations ORDER BY name COLLATE NOCASE"
        )
        return [Organization(**dict(r)) for r in rows]

    async def organization(self, organization_id: int) -> Organization | None:
        row = await self.db.fetchone(
            "SELECT id, name, sector, is_founding FROM organizations WHERE id = ?",
            (organization_id,),
        )
        return Organization(**dict(row)) if row else None

    async def organization_count(self) -> int:
        return int(await self.db.fetchval("SELECT count(*) FROM organizations") or 0)

    async def organizations_page(self, offset: int, limit: int) -> list[Organization]:
        rows = await self.db.fetchall(
            "SELECT id, name, sector, is_founding FROM organizations"
            " ORDER BY name COLLATE NOCASE LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [Organization(**dict(r)) for r in rows]

    async def find_organizations(self, text: str) -> list[Organization]:
        """Organizations whose name equals or contains the text, exact match first."""
        rows = await self.db.fetchall(
            "SELECT id, name, sector, is_founding FROM organizations"
            " WHERE fold(name) LIKE ? ESCAPE '\\'"
            " ORDER BY fold(name) = ? DESC, name COLLATE NOCASE LIMIT 10",
            (like_pattern(text), fold(text)),
        )
        return [Organization(**dict(r)) for r in rows]

    async def add_organization(self, name: str, sector: Sector) -> Organization:
        """A new organization typed by a member; an existing one of that name (whatever the
        accents and case) is reused."""
        async with self.db.transaction() as conn:
            row = await self.db.fetchone(  # "Frio express" is "Frío Express"
                "SELECT id, name, sector, is_founding FROM organizations WHERE fold(name) = ?",
                (fold(name),),
            )
            if row is None:
                await conn.execute(
                    "INSERT INTO organizations (name, sector) VALUES (?, ?)", (name, sector)
                )
                row = await self.db.fetchone(
                    "SELECT id, name, sector, is_founding FROM organizations WHERE name = ?",
                    (name,),
                )
        assert row is not None
        return Organization(**dict(row))
