"""Working groups: listing, joining and leaving, creating, renaming and archiving them. The
meetings of a group are events (events.py). SQL only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from storage.database import Database, fold
from storage.models import to_db_time

Renamed = Literal["renamed", "taken", "gone"]
Archived = Literal["archived", "has_meetings", "gone"]


@dataclass(frozen=True)
class Group:
    id: int
    axis_id: int
    axis_code: str
    name: str
    description: str | None
    members: int


class GroupRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def groups(self, axis_ids: frozenset[int] = frozenset()) -> list[Group]:
        """The groups not archived (of these axes), by axis then name."""
        where = ""
        params: list[object] = []
        if axis_ids:
            where = f" AND g.axis_id IN ({','.join('?' for _ in axis_ids)})"
            params = list(axis_ids)
        rows = await self.db.fetchall(
            "SELECT g.id, g.axis_id, a.code, g.name, g.description,"
            " (SELECT count(*) FROM working_group_members w WHERE w.group_id = g.id)"
            " FROM working_groups g JOIN axes a ON a.id = g.axis_id"
            f" WHERE g.archived_at IS NULL{where} ORDER BY a.position, g.name",
            params,
        )
        return [Group(*r) for r in rows]

    async def group(self, group_id: int) -> Group | None:
        """The group, unless it does not exist or was archived."""
        rows = [g for g in await self.groups() if g.id == group_id]
        return rows[0] if rows else None

    async def member_groups(self, member_id: int) -> frozenset[int]:
        rows = await self.db.fetchall(
            "SELECT group_id FROM working_group_members WHERE member_id = ?", (member_id,)
        )
        return frozenset(int(r[0]) for r in rows)

    async def create(
        self, axis_id: int, name: str, created_by: int | None, now: datetime
    ) -> int | None:
        """None when the axis already has a group of that name (whatever the accents and
        case: "exportacion a asia" is "Exportación a Asia"), archived ones included."""
        async with self.db.transaction() as conn:
            if await self._name_taken(axis_id, name):
                return None
            cursor = await conn.execute(
                "INSERT INTO working_groups (axis_id, name, created_by, created_at)"
                " VALUES (?, ?, ?, ?)",
                (axis_id, name, created_by, to_db_time(now)),
            )
            return int(cursor.lastrowid or 0)

    async def rename(self, group_id: int, name: str) -> Renamed:
        """A new name, unique in the group's axis as at creation (its own old name, with other
        accents or case, is fine). "gone": the group was archived or does not exist."""
        async with self.db.transaction() as conn:
            row = await self.db.fetchone(
                "SELECT axis_id FROM working_groups WHERE id = ? AND archived_at IS NULL",
                (group_id,),
            )
            if row is None:
                return "gone"
            if await self._name_taken(int(row[0]), name, besides=group_id):
                return "taken"
            await conn.execute("UPDATE working_groups SET name = ? WHERE id = ?", (name, group_id))
            return "renamed"

    async def archive(self, group_id: int, now: datetime) -> Archived:
        """Archive the group: no longer listed nor offered, its members and meetings kept.
        Refused while it has meetings that have not ended ("has_meetings"): they are
        cancelled first, so that nobody waits for a meeting of a group that is gone."""
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            exists = await self.db.fetchval(
                "SELECT 1 FROM working_groups WHERE id = ? AND archived_at IS NULL", (group_id,)
            )
            if exists is None:
                return "gone"
            pending = await self.db.fetchval(
                "SELECT 1 FROM events WHERE group_id = ? AND status = 'published' AND ends_at > ?",
                (group_id, stamp),
            )
            if pending is not None:
                return "has_meetings"
            await conn.execute(
                "UPDATE working_groups SET archived_at = ? WHERE id = ?", (stamp, group_id)
            )
            return "archived"

    async def _name_taken(self, axis_id: int, name: str, besides: int | None = None) -> bool:
        """Inside a transaction: does another group of the axis have this name, folded?"""
        value = await self.db.fetchval(
            "SELECT 1 FROM working_groups WHERE axis_id = ? AND fold(name) = ? AND id IS NOT ?",
            (axis_id, fold(name), besides),
        )
        return value is not None

    async def join(self, group_id: int, member_id: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO working_group_members (group_id, member_id, joined_at) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (group_id, member_id, to_db_time(now)),
        )

    async def leave(self, group_id: int, member_id: int) -> None:
        await self.db.execute(
            "DELETE FROM working_group_members WHERE group_id = ? AND member_id = ?",
            (group_id, member_id),
        )
