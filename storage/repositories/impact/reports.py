"""The monthly report's log: one row per month and recipient, written before anything is sent.

The job asks which admins and coordinators lack a row for the month due, adds them (pending),
then sends each pending row and records the outcome. A restart finds the rows as they were: a
report already sent is never sent again; one that was not (the bot was down on the 1st, or
Telegram failed) goes at the next run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.database import Database
from storage.models import to_db_time

MAX_ATTEMPTS = 5  # network failures before a report is given up as failed


@dataclass(frozen=True)
class Recipient:
    month: str
    member_id: int
    chat_id: int
    language: str | None
    role: str
    attempts: int


class ReportLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def queue(self, month: str, now: datetime) -> int:
        """A pending row for each active, reachable admin and coordinator without one for
        this month; how many were added."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO impact_reports (month, member_id, queued_at)"
                " SELECT ?, id, ? FROM members WHERE status = 'active'"
                " AND role IN ('coordinator', 'admin') AND chat_id IS NOT NULL"
                " AND unreachable_since IS NULL",
                (month, to_db_time(now)),
            )
            return cursor.rowcount

    async def pending(self) -> list[Recipient]:
        rows = await self.db.fetchall(
            "SELECT r.month, r.member_id, m.chat_id, m.language, m.role, r.attempts"
            " FROM impact_reports AS r JOIN members AS m ON m.id = r.member_id"
            " WHERE r.status = 'pending' ORDER BY r.month, r.member_id"
        )
        return [Recipient(*row) for row in rows]

    async def sent(self, month: str, member_id: int, message_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE impact_reports SET status = 'sent', attempts = attempts + 1,"
            " telegram_message_id = ?, sent_at = ? WHERE month = ? AND member_id = ?",
            (message_id, to_db_time(now), month, member_id),
        )

    async def failed(self, month: str, member_id: int, error: str, *, final: bool) -> None:
        """A failed try: given up (`final`: blocked, no longer staff…) or left pending to try
        again until MAX_ATTEMPTS."""
        await self.db.execute(
            "UPDATE impact_reports SET attempts = attempts + 1, last_error = ?,"
            " status = CASE WHEN ? THEN ? WHEN attempts + 1 >= ? THEN 'failed' ELSE status END"
            " WHERE month = ? AND member_id = ?",
            (
                error[:200],
                int(final),
                "unreachable" if "blocked" in error or "Forbidden" in error else "failed",
                MAX_ATTEMPTS,
                month,
                member_id,
            ),
        )

    async def status(self, month: str, member_id: int) -> str | None:
        value = await self.db.fetchval(
            "SELECT status FROM impact_reports WHERE month = ? AND member_id = ?",
            (month, member_id),
        )
        return None if value is None else str(value)
