"""Organizations and axes: reference data that changes rarely."""

from __future__ import annotations

from storage.database import Database, fold, like_pattern
from storage.models import Axis, Organization, Sector

# Organizations offered in lists and searches: the confirmed ones, and the one the viewer typed.
_OFFERED = "(confirmed = 1 OR added_by = ?)"


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

    async def organization_count(self, viewer: int | None = None) -> int:
        value = await self.db.fetchval(
            f"SELECT count(*) FROM organizations WHERE {_OFFERED}", (viewer,)
        )
        return int(value or 0)

    async def organizations_page(
        self, offset: int, limit: int, viewer: int | None = None
    ) -> list[Organization]:
        """A page of the organizations offered to `viewer` (see `_OFFERED`)."""
        rows = await self.db.fetchall(
            f"SELECT id, name, sector, is_founding FROM organizations WHERE {_OFFERED}"
            " ORDER BY name COLLATE NOCASE LIMIT ? OFFSET ?",
            (viewer, limit, offset),
        )
        return [Organization(**dict(r)) for r in rows]

    async def find_organizations(self, text: str, viewer: int | None = None) -> list[Organization]:
        """Organizations whose name equals or contains the text, exact match first."""
        rows = await self.db.fetchall(
            "SELECT id, name, sector, is_founding FROM organizations"
            f" WHERE {_OFFERED} AND fold(name) LIKE ? ESCAPE '\\'"
            " ORDER BY fold(name) = ? DESC, name COLLATE NOCASE LIMIT 10",
            (viewer, like_pattern(text), fold(text)),
        )
        return [Organization(**dict(r)) for r in rows]

    async def add_organization(
        self, name: str, sector: Sector, added_by: int | None = None
    ) -> Organization:
        """A new organization typed by a member; an existing one of that name (whatever the
        accents and case) is reused."""
        async with self.db.transaction() as conn:
            row = await self.db.fetchone(  # "Frio express" is "Frío Express"
                "SELECT id, name, sector, is_founding FROM organizations WHERE fold(name) = ?",
                (fold(name),),
            )
            if row is None:
                # Typed by an applicant: theirs alone until a coordinator approves them. An
                # active member (editing their profile) is trusted at once.
                await conn.execute(
                    "INSERT INTO organizations (name, sector, added_by, confirmed)"
                    " VALUES (:name, :sector, :by, :by IS NULL OR coalesce("
                    "(SELECT status = 'active' FROM members WHERE id = :by), 0))",
                    {"name": name, "sector": sector, "by": added_by},
                )
                row = await self.db.fetchone(
                    "SELECT id, name, sector, is_founding FROM organizations WHERE name = ?",
                    (name,),
                )
        assert row is not None
        return Organization(**dict(row))
