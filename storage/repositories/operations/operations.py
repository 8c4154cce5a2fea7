"""What running the bot needs to know about itself: unexpected errors (for the admins' alerts
and /status), and the figures /status and /healthz show (members, the outbox's backlog).

Reads other features' tables (members, deliveries) only to count them, as the analysis views
do; writes only `error_reports`. Holds no personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.database import Database
from storage.models import from_db_time, to_db_time

KEEP_ERRORS = timedelta(days=90)  # older reports are deleted as new ones arrive


@dataclass(frozen=True)
class ErrorTally:
    """One error just recorded, and whether the admins should be told now."""

    alert: bool
    last_hour: int  # occurrences of the kind in the last hour, this one included
    last_day: int  # and in the last 24 hours


@dataclass(frozen=True)
class ErrorCount:
    kind: str
    source: str  # of the latest occurrence
    count: int
    last_at: datetime


@dataclass(frozen=True)
class MemberCounts:
    active: int
    pending: int


@dataclass(frozen=True)
class Backlog:
    """Deliveries waiting in the outbox (of broadcasts being sent, not scheduled ones)."""

    pending: int
    oldest: datetime | None  # when the oldest of them was queued


class OperationsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record_error(
        self, kind: str, source: str, at: datetime, *, alert_every: timedelta | None
    ) -> ErrorTally:
        """Store one occurrence; decide in the same transaction whether it is alerted, so
        two errors of a kind arriving together give one alert. `alert_every` None: never."""
        stamp = to_db_time(at)
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT max(at) FROM error_reports WHERE kind = ? AND alerted", (kind,)
            )
            row = await cursor.fetchone()
            previous = from_db_time(row[0]) if row and row[0] else None
            alert = alert_every is not None and (previous is None or at - previous >= alert_every)
            await conn.execute(
                "INSERT INTO error_reports (at, kind, source, alerted) VALUES (?, ?, ?, ?)",
                (stamp, kind[:200], source[:100], int(alert)),
            )
            await conn.execute(
                "DELETE FROM error_reports WHERE at < ?", (to_db_time(at - KEEP_ERRORS),)
            )
            cursor = await conn.execute(
                "SELECT count(*) FILTER (WHERE at > ?), count(*) FILTER (WHERE at > ?)"
                " FROM error_reports WHERE kind = ?",
                (to_db_time(at - timedelta(hours=1)), to_db_time(at - timedelta(days=1)), kind),
            )
            counts = await cursor.fetchone()
        assert counts is not None
        return ErrorTally(alert, int(counts[0]), int(counts[1]))

    async def errors_since(self, since: datetime) -> list[ErrorCount]:
        """Errors after `since` per kind, the most frequent first."""
        rows = await self.db.fetchall(
            "SELECT kind, count(*) AS n, max(at) AS last_at,"
            " (SELECT source FROM error_reports AS l WHERE l.kind = e.kind"
            "  ORDER BY l.at DESC, l.id DESC LIMIT 1)"
            " FROM error_reports AS e WHERE at > ? GROUP BY kind ORDER BY n DESC, last_at DESC",
            (to_db_time(since),),
        )
        return [ErrorCount(r[0], r[3], int(r[1]), from_db_time(r[2])) for r in rows]

    async def last_error_at(self, kind: str) -> datetime | None:
        value = await self.db.fetchval("SELECT max(at) FROM error_reports WHERE kind = ?", (kind,))
        return from_db_time(value) if value else None

    async def reachable(self) -> bool:
        """The database answers a query (the read connection is open and the file readable)."""
        return await self.db.fetchval("SELECT count(*) FROM sqlite_schema") is not None

    async def member_counts(self) -> MemberCounts:
        row = await self.db.fetchone(
            "SELECT count(*) FILTER (WHERE status = 'active'),"
            " count(*) FILTER (WHERE status = 'pending') FROM members"
        )
        assert row is not None
        return MemberCounts(int(row[0]), int(row[1]))

    async def outbox_backlog(self) -> Backlog:
        row = await self.db.fetchone(
            "SELECT count(*), min(d.updated_at) FROM deliveries d"
            " JOIN broadcasts b ON b.id = d.broadcast_id"
            " WHERE d.status = 'pending' AND b.status = 'sending'"
        )
        assert row is not None
        return Backlog(int(row[0]), from_db_time(row[1]) if row[1] else None)
