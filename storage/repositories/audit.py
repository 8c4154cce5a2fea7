"""The audit log of coordinator and admin actions; it never holds personal data."""

from __future__ import annotations

import json
from datetime import datetime

from storage.database import Database
from storage.models import AuditEntry, to_db_time


class AuditRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self,
        at: datetime,
        actor_id: int | None,
        action: str,
        target_kind: str | None = None,
        target_id: int | None = None,
        **details: str | int | float | bool | None,
    ) -> None:
        await self.db.execute(
            "INSERT INTO audit_log (at, actor_id, action, target_kind, target_id, details)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (to_db_time(at), actor_id, action, target_kind, target_id, json.dumps(details)),
        )

    async def latest(self, limit: int = 50) -> list[AuditEntry]:
        rows = await self.db.fetchall(
            "SELECT id, at, actor_id, action, target_kind, target_id, details"
            " FROM audit_log ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [AuditEntry(**dict(r)) for r in rows]
