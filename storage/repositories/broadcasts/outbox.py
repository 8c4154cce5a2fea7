"""The durable outbox: a broadcast row and one delivery row per recipient.

Every message that goes to many people — announcements, event notices and
reminders, survey invitations and reminders — is written here first, in one
transaction, before anything is sent. The sender drains pending deliveries;
after a crash it resumes exactly the rows still pending.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from storage import audit_trail
from storage.audience import (
    Audience,
    Recipient,
    deliveries_insert,
    missing_from,
    participation_insert,
)
from storage.database import Database
from storage.models import from_db_time, to_db_time

BroadcastKind = Literal[
    "announcement",
    "event_announcement",
    "event_update",
    "event_reminder",
    "survey_invitation",
    "survey_reminder",
    "sourcing_request",
    "sourcing_invitation",
    "capability_update",
]


DeliveryStatus = Literal["sent", "unreachable", "failed", "skipped"]


@dataclass(frozen=True)
class PendingDelivery:
    """A delivery still to send, with what the sender needs to render and send it."""

    id: int
    broadcast_id: int
    kind: str
    text: str
    media_kind: str | None
    media_file_id: str | None
    event_id: int | None
    survey_id: int | None
    member_id: int | None
    chat_id: int
    message_thread_id: int | None
    language: str | None
    attempts: int
    time_zone: str | None = None  # the recipient's own zone, for the times in the notice


@dataclass(frozen=True)
class Outcome:
    """What happened to one delivery."""

    delivery_id: int
    status: DeliveryStatus
    telegram_message_id: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class Figures:
    broadcast_id: int
    kind: str
    status: str
    created_at: datetime
    scheduled_for: datetime | None
    finished_at: datetime | None
    recipients: int
    sent: int
    pending: int
    unreachable: int
    failed: int
    skipped: int
    text: str
    report_chat_id: int | None
    report_message_id: int | None
    created_by: int | None
    announcement_number: int | None  # announcements are numbered 1, 2, 3… on their own

    @property
    def number(self) -> int:
        """The number coordinators see: an announcement's own, else the outbox id."""
        return self.announcement_number or self.broadcast_id


@dataclass(frozen=True)
class Problem:
    """A delivery that did not arrive, for the coordinator's CSV (no contact data)."""

    full_name: str | None
    organization: str | None
    status: str
    reason: str | None


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def enqueue(
        self,
        *,
        kind: BroadcastKind,
        text: str,
        now: datetime,
        audience: Audience,
        recipients: Sequence[Recipient] | None = None,
        created_by: int | None = None,
        event_id: int | None = None,
        survey_id: int | None = None,
        dedup_key: str | None = None,
        media_kind: Literal["photo", "document"] | None = None,
        media_file_id: str | None = None,
        report_chat_id: int | None = None,
        scheduled_for: datetime | None = None,
        confirmation: str | None = None,
    ) -> int | None:
        """Write the broadcast and its deliveries atomically; return the broadcast id.

        `recipients` defaults to resolving `audience` inside the same transaction.
        With `scheduled_for` the broadcast waits, without deliveries, until
        `release_due` resolves its audience at that time.
        `text` is what an announcement says; notices rendered per recipient keep a
        summary here for the record. Returns None when `dedup_key` was used before:
        the notice already exists and nobody gets it twice.

        A coordinator's announcement comes with the `confirmation` key of its form's
        confirming button: it is audited in the same transaction, and None is returned
        when that key sent or scheduled one already (see storage/audit_trail.py).
        """
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            if confirmation is not None and await audit_trail.confirmed(conn, confirmation):
                return None
            if dedup_key is not None:
                async with conn.execute(
                    "SELECT 1 FROM broadcasts WHERE dedup_key = ?", (dedup_key,)
                ) as cursor:
                    if await cursor.fetchone():
                        return None
            people: list[Recipient] = list(recipients or [])
            cursor = await conn.execute(
                "INSERT INTO broadcasts (kind, created_by, text, media_kind, media_file_id,"
                " audience, event_id, survey_id, dedup_key, status, report_chat_id,"
                " created_at, started_at, scheduled_for)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    kind,
                    created_by,
                    text,
                    media_kind,
                    media_file_id,
                    audience.to_json(),
                    event_id,
                    survey_id,
                    dedup_key,
                    "scheduled" if scheduled_for is not None else "sending",
                    report_chat_id,
                    stamp,
                    None if scheduled_for is not None else stamp,
                    to_db_time(scheduled_for) if scheduled_for is not None else None,
                ),
            )
            broadcast_id = int(cursor.lastrowid or 0)
            if scheduled_for is None and recipients is None:
                await _invite_late_joiners(conn, audience, stamp)
                sql, params = deliveries_insert(audience)
                await conn.execute(sql, [broadcast_id, stamp, *params])
            await conn.executemany(
                "INSERT INTO deliveries (broadcast_id, member_id, chat_id, message_thread_id,"
                " updated_at) VALUES (?, ?, ?, ?, ?)",
                [
                    (broadcast_id, r.member_id, r.chat_id, r.message_thread_id, stamp)
                    for r in people
                ],
            )
            if confirmation is not None:
                await audit_trail.write(
                    conn,
                    now,
                    created_by,
                    "broadcast.schedule" if scheduled_for else "broadcast.send",
                    "broadcast",
                    broadcast_id,
                    audience=audience.to_json(),
                    recipients=await _recipients(conn, broadcast_id),
                    scheduled_for=scheduled_for.isoformat() if scheduled_for else None,
                    confirmation=confirmation,
                )
        return broadcast_id

    async def status_of(self, dedup_key: str) -> str | None:
        """The status of the notice queued under this key; None if there is none (a read)."""
        value = await self.db.fetchval(
            "SELECT status FROM broadcasts WHERE dedup_key = ?", (dedup_key,)
        )
        return str(value) if value is not None else None

    async def settle_unsent(
        self,
        *,
        kind: BroadcastKind,
        text: str,
        now: datetime,
        audience: Audience,
        dedup_key: str,
        event_id: int | None = None,
    ) -> None:
        """Record under `dedup_key` a notice that is not to be sent: a cancelled broadcast with
        no deliveries, so that whatever would queue it later finds the key and sends nothing.
        A key used already is left as it is."""
        stamp = to_db_time(now)
        await self.db.execute(
            "INSERT INTO broadcasts (kind, text, audience, event_id, dedup_key, status,"
            " created_at, finished_at) VALUES (?, ?, ?, ?, ?, 'cancelled', ?, ?)"
            " ON CONFLICT (dedup_key) DO NOTHING",
            (kind, text, audience.to_json(), event_id, dedup_key, stamp, stamp),
        )

    async def include_newcomers(self, dedup_key: str, now: datetime) -> int:
        """Members who joined the audience of the notice queued under this key since it was
        queued (someone who said Going after the reminder went out) get it too, once each;
        the broadcast is sending again until they have. How many were added.

        A read decides whether to write: nothing is written when nobody is new."""
        row = await self.db.fetchone(
            "SELECT id, audience FROM broadcasts WHERE dedup_key = ?"
            " AND status IN ('sending', 'done')",
            (dedup_key,),
        )
        if row is None:
            return 0
        broadcast_id, audience = int(row[0]), Audience.from_json(str(row[1]))
        if not await missing_from(self.db, audience, broadcast_id):
            return 0
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            sql, params = deliveries_insert(audience, newcomers=True)
            cursor = await conn.execute(sql, [broadcast_id, stamp, *params])
            added = max(cursor.rowcount, 0)
            if added:
                await conn.execute(
                    "UPDATE broadcasts SET status = 'sending', finished_at = NULL WHERE id = ?",
                    (broadcast_id,),
                )
            return added

    async def pending_count(self, broadcast_id: int) -> int:
        value = await self.db.fetchval(
            "SELECT count(*) FROM deliveries WHERE broadcast_id = ? AND status = 'pending'",
            (broadcast_id,),
        )
        return int(value or 0)

    # --- the sender's side ---------------------------------------------------

    async def pending_batch(self, limit: int = 200) -> list[PendingDelivery]:
        """The oldest pending deliveries of broadcasts that are being sent."""
        rows = await self.db.fetchall(
            "SELECT d.id, d.broadcast_id, b.kind, b.text, b.media_kind, b.media_file_id,"
            " b.event_id, b.survey_id, d.member_id, d.chat_id, d.message_thread_id,"
            " m.language, d.attempts, m.time_zone"
            " FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id"
            " LEFT JOIN members m ON m.id = d.member_id"
            " WHERE d.status = 'pending' AND b.status = 'sending' ORDER BY d.id LIMIT ?",
            (limit,),
        )
        return [PendingDelivery(*r) for r in rows]

    async def record(self, outcomes: Sequence[Outcome], now: datetime) -> None:
        """Store what happened to deliveries, in one transaction."""
        stamp = to_db_time(now)
        await self.db.executemany(
            "UPDATE deliveries SET status = ?, telegram_message_id = ?, last_error = ?,"
            " attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = 'pending'",
            [(o.status, o.telegram_message_id, o.error, stamp, o.delivery_id) for o in outcomes],
        )

    async def count_attempt(self, delivery_id: int, error: str, now: datetime) -> int:
        """A failed try that will be retried; returns the attempts so far."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE deliveries SET attempts = attempts + 1, last_error = ?, updated_at = ?"
                " WHERE id = ?",
                (error, to_db_time(now), delivery_id),
            )
            return int(
                await self.db.fetchval(
                    "SELECT attempts FROM deliveries WHERE id = ?", (delivery_id,)
                )
            )

    async def finish_completed(self, now: datetime) -> list[int]:
        """Mark broadcasts with nothing pending as done; return their ids.

        Called after every batch and every idle look: a read decides whether to write.
        """
        candidates = await self.db.fetchval(
            "SELECT count(*) FROM broadcasts b WHERE status = 'sending' AND NOT EXISTS"
            " (SELECT 1 FROM deliveries d WHERE d.broadcast_id = b.id AND d.status = 'pending')"
        )
        if not candidates:
            return []
        async with self.db.transaction() as conn:
            rows = await self.db.fetchall(
                "SELECT id FROM broadcasts b WHERE status = 'sending' AND NOT EXISTS"
                " (SELECT 1 FROM deliveries d WHERE d.broadcast_id = b.id"
                " AND d.status = 'pending')"
            )
            ids = [int(r[0]) for r in rows]
            await conn.executemany(
                "UPDATE broadcasts SET status = 'done', finished_at = ? WHERE id = ?",
                [(to_db_time(now), i) for i in ids],
            )
        return ids

    # --- scheduling ------------------------------------------------------------

    async def release_due(self, now: datetime) -> list[int]:
        """Scheduled broadcasts whose time has come: resolve their audience now, start them."""
        stamp = to_db_time(now)
        released = []
        async with self.db.transaction() as conn:
            rows = await self.db.fetchall(
                "SELECT id, audience FROM broadcasts WHERE status = 'scheduled'"
                " AND scheduled_for <= ? ORDER BY scheduled_for",
                (stamp,),
            )
            for broadcast_id, audience_json in rows:
                audience = Audience.from_json(audience_json)
                await _invite_late_joiners(conn, audience, stamp)
                sql, params = deliveries_insert(audience)
                await conn.execute(sql, [broadcast_id, stamp, *params])
                await conn.execute(
                    "UPDATE broadcasts SET status = 'sending', started_at = ? WHERE id = ?",
                    (stamp, broadcast_id),
                )
                released.append(int(broadcast_id))
        return released

    async def next_scheduled(self) -> datetime | None:
        value = await self.db.fetchval(
            "SELECT min(scheduled_for) FROM broadcasts WHERE status = 'scheduled'"
        )
        return from_db_time(value) if value else None

    async def cancel_scheduled(self, broadcast_id: int, now: datetime) -> bool:
        """Cancel a broadcast that has not started; False if it already went out."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE broadcasts SET status = 'cancelled', finished_at = ?"
                " WHERE id = ? AND status = 'scheduled'",
                (to_db_time(now), broadcast_id),
            )
            return cursor.rowcount > 0

    # --- reporting -------------------------------------------------------------

    _FIGURES = (
        "SELECT f.broadcast_id, f.kind, f.status, f.created_at, f.scheduled_for, f.finished_at,"
        " f.recipients, f.sent, f.pending, f.unreachable, f.failed, f.skipped, b.text,"
        " b.report_chat_id, b.report_message_id, b.created_by,"
        # Announcements are numbered among themselves, in the order they were made (the outbox
        # also holds event and survey notices, whose ids would leave gaps). Broadcasts are never
        # deleted and never change kind, so a number stays the same for good.
        " CASE WHEN b.kind = 'announcement' THEN (SELECT count(*) FROM broadcasts a"
        "  WHERE a.kind = 'announcement' AND a.id <= b.id) END"
        " FROM v_broadcast_figures f JOIN broadcasts b ON b.id = f.broadcast_id"
    )

    @staticmethod
    def _figures(row: Sequence[object]) -> Figures:
        values = list(row)
        for index in (3, 4, 5):
            values[index] = from_db_time(str(values[index])) if values[index] else None
        return Figures(*values)  # type: ignore[arg-type]

    async def figures(self, broadcast_id: int) -> Figures | None:
        row = await self.db.fetchone(f"{self._FIGURES} WHERE f.broadcast_id = ?", (broadcast_id,))
        return self._figures(row) if row else None

    async def recent(self, limit: int, offset: int = 0) -> list[Figures]:
        """Announcements, newest first (event and survey notices have their own reports)."""
        rows = await self.db.fetchall(
            f"{self._FIGURES} WHERE f.kind = 'announcement'"
            " ORDER BY f.broadcast_id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [self._figures(r) for r in rows]

    async def announcement_id(self, number: int) -> int | None:
        """The outbox id of announcement number `number` (1, 2, 3…), None if there is none."""
        if number < 1:
            return None
        value = await self.db.fetchval(
            "SELECT id FROM broadcasts WHERE kind = 'announcement' ORDER BY id LIMIT 1 OFFSET ?",
            (number - 1,),
        )
        return int(value) if value is not None else None

    async def count_announcements(self) -> int:
        value = await self.db.fetchval(
            "SELECT count(*) FROM broadcasts WHERE kind = 'announcement'"
        )
        return int(value or 0)

    async def reporting(self) -> list[Figures]:
        """Broadcasts being sent whose coordinator watches a status message."""
        rows = await self.db.fetchall(
            f"{self._FIGURES} WHERE f.status = 'sending' AND b.report_chat_id IS NOT NULL"
        )
        return [self._figures(r) for r in rows]

    async def set_report_message(self, broadcast_id: int, message_id: int) -> None:
        await self.db.execute(
            "UPDATE broadcasts SET report_message_id = ? WHERE id = ?", (message_id, broadcast_id)
        )

    async def problems(self, broadcast_id: int) -> list[Problem]:
        rows = await self.db.fetchall(
            "SELECT m.full_name, o.name, d.status, d.last_error FROM deliveries d"
            " LEFT JOIN members m ON m.id = d.member_id"
            " LEFT JOIN organizations o ON o.id = m.organization_id"
            " WHERE d.broadcast_id = ? AND d.status IN ('unreachable', 'failed')"
            " ORDER BY d.id",
            (broadcast_id,),
        )
        return [Problem(*r) for r in rows]


async def _invite_late_joiners(conn: Any, audience: Audience, stamp: str) -> None:
    """Before "who has not finished survey N" is resolved: members who joined the survey's
    audience since its launch count as invited, so that they are reminded too."""
    if audience.kind != "survey_unfinished":
        return
    for survey_id in audience.ids:
        rows = await conn.execute_fetchall(
            "SELECT audience FROM surveys WHERE id = ? AND status = 'open'", (survey_id,)
        )
        for (survey_audience,) in rows:
            sql, params = participation_insert(Audience.from_json(survey_audience))
            await conn.execute(sql, [survey_id, stamp, *params])


async def _recipients(conn: Any, broadcast_id: int) -> int:
    """How many deliveries a broadcast has, inside the writing transaction."""
    async with conn.execute(
        "SELECT count(*) FROM deliveries WHERE broadcast_id = ?", (broadcast_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return int(row[0])
