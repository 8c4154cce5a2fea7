"""Members: the people who pressed Start, applied, or belong to the cluster."""

from __future__ import annotations

from datetime import datetime

from storage.database import Database
from storage.models import Member, to_db_time

_COLUMNS = (
    "id, telegram_user_id, chat_id, full_name, organization_id, job_title, email, phone,"
    " language, role, status, unreachable_since, consent_version, consent_at,"
    " notifications_enabled, created_at, updated_at"
)


class MemberRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def by_telegram_id(self, telegram_user_id: int) -> Member | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM members WHERE telegram_user_id = ?",
            (telegram_user_id,),
        )
        return Member(**dict(row)) if row else None

    async def by_id(self, member_id: int) -> Member | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM members WHERE id = ?",
            (member_id,),
        )
        return Member(**dict(row)) if row else None

    async def set_language(
        self, telegram_user_id: int, chat_id: int | None, language: str, now: datetime
    ) -> Member:
        """Store the language choice, creating a prospect row for someone new."""
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO members (telegram_user_id, chat_id, language, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (telegram_user_id) DO UPDATE SET language = excluded.language,"
                " chat_id = coalesce(excluded.chat_id, members.chat_id),"
                " updated_at = excluded.updated_at",
                (telegram_user_id, chat_id, language, stamp, stamp),
            )
            member = await self.by_telegram_id(telegram_user_id)
        assert member is not None
        return member

    async def mark_unreachable(self, telegram_user_id: int, now: datetime) -> bool:
        """Telegram said this person blocked the bot; True if a member row changed."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE members SET unreachable_since = ?, updated_at = ?"
                " WHERE telegram_user_id = ? AND unreachable_since IS NULL",
                (to_db_time(now), to_db_time(now), telegram_user_id),
            )
            return cursor.rowcount > 0

    async def mark_reachable(self, telegram_user_id: int, now: datetime) -> bool:
        """The person wrote to the bot again (or unblocked it)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE members SET unreachable_since = NULL, updated_at = ?"
                " WHERE telegram_user_id = ? AND unreachable_since IS NOT NULL",
                (to_db_time(now), telegram_user_id),
            )
            return cursor.rowcount > 0

    async def staff(self) -> list[Member]:
        """Coordinators and admins, for their command menus and notices."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM members"
            " WHERE role IN ('coordinator', 'admin') AND status = 'active'"
        )
        return [Member(**dict(r)) for r in rows]

    async def coordinator_axis_ids(self, member_id: int) -> frozenset[int]:
        """The axes a coordinator is limited to; empty means every axis."""
        rows = await self.db.fetchall(
            "SELECT axis_id FROM coordinator_axes WHERE member_id = ?", (member_id,)
        )
        return frozenset(int(r[0]) for r in rows)
