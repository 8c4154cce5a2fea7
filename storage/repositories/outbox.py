"""The durable outbox: a broadcast row and one delivery row per recipient.

Every message that goes to many people — announcements, event notices and
reminders, survey invitations and reminders — is written here first, in one
transaction, before anything is sent. The sender drains pending deliveries;
after a crash it resumes exactly the rows still pending.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from storage.audience import Audience, Recipient, resolve
from storage.database import Database
from storage.models import to_db_time

BroadcastKind = Literal[
    "announcement",
    "event_announcement",
    "event_update",
    "event_reminder",
    "survey_invitation",
    "survey_reminder",
]


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
    ) -> int | None:
        """Write the broadcast and its deliveries atomically; return the broadcast id.

        `recipients` defaults to resolving `audience` inside the same transaction.
        `text` is what an announcement says; notices rendered per recipient keep a
        summary here for the record. Returns None when `dedup_key` was used before:
        the notice already exists and nobody gets it twice.
        """
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            if dedup_key is not None:
                async with conn.execute(
                    "SELECT 1 FROM broadcasts WHERE dedup_key = ?", (dedup_key,)
                ) as cursor:
                    if await cursor.fetchone():
                        return None
            people = (
                list(recipients) if recipients is not None else await resolve(self.db, audience)
            )
            cursor = await conn.execute(
                "INSERT INTO broadcasts (kind, created_by, text, media_kind, media_file_id,"
                " audience, event_id, survey_id, dedup_key, status, report_chat_id,"
                " created_at, started_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'sending', ?, ?, ?)",
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
                    report_chat_id,
                    stamp,
                    stamp,
                ),
            )
            broadcast_id = int(cursor.lastrowid or 0)
            await conn.executemany(
                "INSERT INTO deliveries (broadcast_id, member_id, chat_id, message_thread_id,"
                " updated_at) VALUES (?, ?, ?, ?, ?)",
                [
                    (broadcast_id, r.member_id, r.chat_id, r.message_thread_id, stamp)
                    for r in people
                ],
            )
        return broadcast_id

    async def pending_count(self, broadcast_id: int) -> int:
        value = await self.db.fetchval(
            "SELECT count(*) FROM deliveries WHERE broadcast_id = ? AND status = 'pending'",
            (broadcast_id,),
        )
        return int(value or 0)
