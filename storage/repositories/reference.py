"""Organizations and axes: reference data that changes rarely."""

from __future__ import annotations

from storage.database import Database
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
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = await self.db.fetchall(
            "SELECT id, name, sector, is_founding FROM organizations"
            " WHERE name LIKE ? ESCAPE '\\'"
            " ORDER BY name = ? COLLATE NOCASE DESC, name COLLATE NOCASE LIMIT 10",
            (pattern, text),
        )
        return [Organization(**dict(r)) for r in rows]

    async def add_organization(self, name: str, sector: Sector) -> Organization:
        """A new organization typed by a member; an existing one of that name is reused."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO organizations (name, sector) VALUES (?, ?)"
                " ON CONFLICT (name) DO NOTHING",
                (name, sector),
            )
            row = await self.db.fetchone(
                "SELECT id, name, sector, is_founding FROM organizations WHERE name = ?", (name,)
            )
        assert row is not None
        return Organization(**dict(row))
