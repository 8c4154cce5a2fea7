"""The audit log of coordinator and admin actions; it never holds personal data."""

from __future__ import annotations

from datetime import datetime

from storage import audit_trail
from storage.database import Database
from storage.models import AuditEntry


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
        **details: audit_trail.Detail,
    ) -> None:
        async with self.db.transaction() as conn:
            await audit_trail.write(conn, at, actor_id, action, target_kind, target_id, **details)

    async def confirmed(self, key: str) -> tuple[str, int] | None:
        """(action, target id) of what a confirming button with this key already did."""
        row = await self.db.fetchone(audit_trail.CONFIRMED_SQL, (key,))
        return (str(row[0]), int(row[1])) if row else None

    async def latest(self, limit: int = 50) -> list[AuditEntry]:
        rows = await self.db.fetchall(
            "SELECT id, at, actor_id, action, target_kind, target_id, details"
            " FROM audit_log ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [AuditEntry(**dict(r)) for r in rows]

    async def with_actors(self, limit: int | None = None) -> list[dict[str, object]]:
        """Entries, newest first, with the actor's current name (None once forgotten)."""
        rows = await self.db.fetchall(
            "SELECT l.id, l.at, l.actor_id, m.full_name AS actor, l.action, l.target_kind,"
            " l.target_id, l.details FROM audit_log l LEFT JOIN members m ON m.id = l.actor_id"
            " ORDER BY l.id DESC LIMIT ?",
            (-1 if limit is None else limit,),
        )
        return [dict(r) for r in rows]
