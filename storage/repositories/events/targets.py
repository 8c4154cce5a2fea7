"""What an audience can point at besides axes and organizations: working groups,
events and surveys, listed for a coordinator's pickers and named in previews."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.database import Database
from storage.models import from_db_time, to_db_time


@dataclass(frozen=True)
class Target:
    id: int
    name: str
    axis_id: int | None
    starts_at: datetime | None = None  # events: so that a series' dates can be told apart


def _axis_filter(column: str, axis_ids: Collection[int]) -> tuple[str, list[object]]:
    """An empty scope means every axis."""
    if not axis_ids:
        return "", []
    marks = ",".join("?" for _ in axis_ids)
    return f" AND {column} IN ({marks})", list(axis_ids)


class TargetRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def working_groups(self, axis_ids: Collection[int] = ()) -> list[Target]:
        """Groups to pick: not the archived ones (an audience naming one still works)."""
        where, params = _axis_filter("axis_id", axis_ids)
        rows = await self.db.fetchall(
            "SELECT id, name, axis_id FROM working_groups WHERE archived_at IS NULL"
            f"{where} ORDER BY name",
            params,
        )
        return [Target(*r) for r in rows]

    async def events(self, now: datetime, axis_ids: Collection[int] = ()) -> list[Target]:
        """Published events from the last 30 days on, soonest first."""
        where, params = _axis_filter("axis_id", axis_ids)
        rows = await self.db.fetchall(
            "SELECT id, title, axis_id, starts_at FROM events WHERE status = 'published'"
            f" AND starts_at >= ?{where} ORDER BY starts_at LIMIT 20",
            [to_db_time(now - timedelta(days=30)), *params],
        )
        return [Target(r[0], r[1], r[2], from_db_time(r[3])) for r in rows]

    async def open_surveys(self) -> list[Target]:
        rows = await self.db.fetchall(
            "SELECT id, title, NULL FROM surveys WHERE status = 'open' ORDER BY id DESC LIMIT 20"
        )
        return [Target(*r) for r in rows]

    async def name(self, kind: str, target_id: int) -> Target | None:
        """A working group, event or survey by id (None if it does not exist)."""
        sql = {
            "working_group": "SELECT id, name, axis_id FROM working_groups WHERE id = ?",
            "event": "SELECT id, title, axis_id FROM events WHERE id = ?",
            "survey": "SELECT id, title, NULL FROM surveys WHERE id = ?",
        }[kind]
        row = await self.db.fetchone(sql, (target_id,))
        return Target(*row) if row else None
