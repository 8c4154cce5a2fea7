"""The monthly report's log: one row per month and recipient, written before anything is sent.

The job asks which admins and coordinators lack a row for the month due, adds them (pending),
then claims each pending row (one conditional UPDATE: a run that did not claim it does not
send it, so two runs at once send nothing twice), sends it and records the outcome. A restart
finds the rows as they were: a report already sent is never sent again; one that was not (the
bot was down on the 1st, or Telegram failed) goes at the next run; one claimed by a run that
died while sending is claimable again after CLAIM_STALE (it may then arrive twice, as any
message whose sending was cut short).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.database import Database
from storage.models import to_db_time

MAX_ATTEMPTS = 5  # network failures before a report is given up as failed
CLAIM_STALE = timedelta(minutes=15)  # a claim older than this belongs to a run that died


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

    async def queue(self, month: str, now: datetime, admin_ids: Collection[int] = ()) -> int:
        """A pending row for each active, reachable admin and coordinator (and member named in
        ADMIN_IDS) without one for this month; how many were added. Nothing is written when
        everyone has theirs (the usual case: this runs every few minutes)."""
        marks = ",".join("?" for _ in admin_ids) or "NULL"
        staff = (
            " FROM members AS m WHERE m.status = 'active' AND m.chat_id IS NOT NULL"
            " AND m.unreachable_since IS NULL"
            f" AND (m.role IN ('coordinator', 'admin') OR m.telegram_user_id IN ({marks}))"
            " AND NOT EXISTS (SELECT 1 FROM impact_reports AS r"
            " WHERE r.month = ? AND r.member_id = m.id)"
        )
        params = [*admin_ids, month]
        if not await self.db.fetchval("SELECT count(*)" + staff, params):
            return 0
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO impact_reports (month, member_id, queued_at)"
                " SELECT ?, m.id, ?" + staff,
                [month, to_db_time(now), *params],
            )
            return cursor.rowcount

    async def pending(self, now: datetime) -> list[Recipient]:
        """Rows to send: pending, or claimed by a run that died while sending."""
        rows = await self.db.fetchall(
            "SELECT r.month, r.member_id, m.chat_id, m.language, m.role, r.attempts"
            " FROM impact_reports AS r JOIN members AS m ON m.id = r.member_id"
            " WHERE r.status = 'pending' OR (r.status = 'sending' AND r.claimed_at < ?)"
            " ORDER BY r.month, r.member_id",
            (to_db_time(now - CLAIM_STALE),),
        )
        return [Recipient(*row) for row in rows]

    async def claim(self, month: str, member_id: int, now: datetime) -> bool:
        """Take this row to send it; False when another run has it (or it is done)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE impact_reports SET status = 'sending', claimed_at = ?"
                " WHERE month = ? AND member_id = ?"
                " AND (status = 'pending' OR (status = 'sending' AND claimed_at < ?))",
                (to_db_time(now), month, member_id, to_db_time(now - CLAIM_STALE)),
            )
            return cursor.rowcount == 1

    async def sent(self, month: str, member_id: int, message_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE impact_reports SET status = 'sent', attempts = attempts + 1,"
            " telegram_message_id = ?, sent_at = ? WHERE month = ? AND member_id = ?",
            (message_id, to_db_time(now), month, member_id),
        )

    async def failed(
        self, month: str, member_id: int, error: str, *, final: bool, unreachable: bool = False
    ) -> None:
        """A failed try: given up (`final`: no longer staff; `unreachable`: blocked the bot) or
        left pending to try again at the next run, until MAX_ATTEMPTS."""
        await self.db.execute(
            "UPDATE impact_reports SET attempts = attempts + 1, last_error = ?,"
            " status = CASE WHEN ? THEN 'unreachable' WHEN ? OR attempts + 1 >= ? THEN 'failed'"
            " ELSE 'pending' END, claimed_at = NULL WHERE month = ? AND member_id = ?",
            (error[:200], int(unreachable), int(final), MAX_ATTEMPTS, month, member_id),
        )

    async def status(self, month: str, member_id: int) -> str | None:
        value = await self.db.fetchval(
            "SELECT status FROM impact_reports WHERE month = ? AND member_id = ?",
            (month, member_id),
        )
        return None if value is None else str(value)
