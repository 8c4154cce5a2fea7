"""Organizations and axes: reference data that changes rarely."""

from __future__ import annotations

from storage.database import Database
from storage.models import Axis, Organization


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
