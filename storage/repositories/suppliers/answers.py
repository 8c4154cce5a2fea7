"""Organizations' answers to sourcing requests: interested (with a note and, if the member
agrees, their contact for the buyer) or not for us; the buyer's shortlist; the consent asked
when the buyer wants to connect; and the introductions made."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from storage.database import Database
from storage.database import Row as DbRow
from storage.models import Row, to_db_time

Outcome = Literal["stored", "already"]


class Answer(Row):
    """One organization's answer, with the member who gave it (None once they deleted their
    data) and that member's contact, which reaches the buyer only after their consent."""

    id: int
    request_id: int
    organization_id: int
    organization: str
    member_id: int | None
    member_name: str | None
    member_email: str | None
    member_chat_id: int | None
    member_language: str | None
    answer: Literal["interested", "declined"]
    note: str | None
    consent_at: datetime | None
    consent_declined_at: datetime | None
    connect_asked_at: datetime | None
    introduced_at: datetime | None
    answered_at: datetime

    @property
    def consented(self) -> bool:
        return self.consent_at is not None and self.member_id is not None


_SELECT = (
    "SELECT a.id, a.request_id, a.organization_id, o.name AS organization, a.member_id,"
    " m.full_name AS member_name, m.email AS member_email, m.chat_id AS member_chat_id,"
    " m.language AS member_language, a.answer, a.note, a.consent_at, a.consent_declined_at,"
    " a.connect_asked_at, a.introduced_at, a.answered_at"
    " FROM sourcing_answers a JOIN organizations o ON o.id = a.organization_id"
    " LEFT JOIN members m ON m.id = a.member_id"
)


def _answer(row: DbRow) -> Answer:
    return Answer(**dict(row))


class AnswerRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, answer_id: int) -> Answer | None:
        row = await self.db.fetchone(f"{_SELECT} WHERE a.id = ?", (answer_id,))
        return _answer(row) if row else None

    async def of_organization(self, request_id: int, organization_id: int) -> Answer | None:
        row = await self.db.fetchone(
            f"{_SELECT} WHERE a.request_id = ? AND a.organization_id = ?",
            (request_id, organization_id),
        )
        return _answer(row) if row else None

    async def interested(
        self,
        request_id: int,
        organization_id: int,
        member_id: int,
        note: str | None,
        consent: bool,
        now: datetime,
    ) -> Outcome:
        """The organization is interested: stored once (a "not for us" given before is
        replaced); "already" when it said it is interested before. An organization that found
        the request in /sourcing counts as reached."""
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO sourcing_answers (request_id, organization_id, member_id, answer,"
                " note, consent_at, answered_at) VALUES (?, ?, ?, 'interested', ?, ?, ?)"
                " ON CONFLICT (request_id, organization_id) DO UPDATE SET"
                " member_id = excluded.member_id, answer = 'interested', note = excluded.note,"
                " consent_at = excluded.consent_at, answered_at = excluded.answered_at"
                " WHERE sourcing_answers.answer = 'declined'",
                (request_id, organization_id, member_id, note, stamp if consent else None, stamp),
            )
            if not cursor.rowcount:
                return "already"
            await conn.execute(
                "INSERT OR IGNORE INTO sourcing_reached (request_id, organization_id,"
                " reached_at, via) VALUES (?, ?, ?, 'list')",
                (request_id, organization_id, stamp),
            )
        return "stored"

    async def declined(
        self, request_id: int, organization_id: int, member_id: int, now: datetime
    ) -> bool:
        """Not for us: stored when the organization had not answered; False otherwise."""
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO sourcing_answers (request_id, organization_id, member_id,"
                " answer, answered_at) VALUES (?, ?, ?, 'declined', ?)",
                (request_id, organization_id, member_id, stamp),
            )
            if not cursor.rowcount:
                return False
            await conn.execute(
                "INSERT OR IGNORE INTO sourcing_reached (request_id, organization_id,"
                " reached_at, via) VALUES (?, ?, ?, 'list')",
                (request_id, organization_id, stamp),
            )
        return True

    async def shortlist(self, request_id: int, offset: int = 0, limit: int = 100) -> list[Answer]:
        """The interested organizations, in the order they answered."""
        rows = await self.db.fetchall(
            f"{_SELECT} WHERE a.request_id = ? AND a.answer = 'interested'"
            " ORDER BY a.answered_at, a.id LIMIT ? OFFSET ?",
            (request_id, limit, offset),
        )
        return [_answer(r) for r in rows]

    async def give_consent(self, answer_id: int, member_id: int, now: datetime) -> bool:
        """The answering member agrees to share their contact; False when they had already,
        or the answer is not theirs."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE sourcing_answers SET consent_at = ?, consent_declined_at = NULL"
                " WHERE id = ? AND member_id = ? AND answer = 'interested'"
                " AND consent_at IS NULL",
                (to_db_time(now), answer_id, member_id),
            )
            return cursor.rowcount > 0

    async def refuse_consent(self, answer_id: int, member_id: int, now: datetime) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE sourcing_answers SET consent_declined_at = ?"
                " WHERE id = ? AND member_id = ? AND consent_at IS NULL"
                " AND consent_declined_at IS NULL",
                (to_db_time(now), answer_id, member_id),
            )
            return cursor.rowcount > 0

    async def ask_connect(self, answer_id: int, now: datetime) -> bool:
        """The buyer wants to connect before the member consented: True the first time."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE sourcing_answers SET connect_asked_at = ?, consent_declined_at = NULL"
                " WHERE id = ? AND connect_asked_at IS NULL",
                (to_db_time(now), answer_id),
            )
            return cursor.rowcount > 0

    async def introduce(self, answer_id: int, now: datetime) -> bool:
        """Record the introduction once, and only with the member's consent."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE sourcing_answers SET introduced_at = ? WHERE id = ?"
                " AND introduced_at IS NULL AND consent_at IS NOT NULL AND member_id IS NOT NULL",
                (to_db_time(now), answer_id),
            )
            return cursor.rowcount > 0
