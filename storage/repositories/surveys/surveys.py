"""Surveys and their questions: the shapes the handlers read (Survey, QuestionRow, Option),
creating a survey from its definition (its audience invited at once), reading one with its
questions (cached: they never change once launched), the lists of surveys (recent, open for a
member, due to close) and the native polls a survey was sent as.

The base of the survey repository: responses.py and results.py build on `get` here, and
repository.py puts the parts together as `repos.surveys`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from storage import audit_trail
from storage.audience import Audience, includes, participation_insert

if TYPE_CHECKING:  # the definitions' pydantic models load when a survey is created
    from storage.repositories.surveys.definition import SurveyDefinition
from storage.cache import RowCache
from storage.database import Database
from storage.models import from_db_time, to_db_time


@dataclass(frozen=True)
class Option:
    id: int
    code: str
    label: str


@dataclass(frozen=True)
class QuestionRow:
    id: int
    position: int
    kind: str
    text: str
    required: bool
    min_value: float | None
    max_value: float | None
    max_length: int | None
    show_if_question_id: int | None
    show_if_value: str | None
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Survey:
    id: int
    title: str
    intro: str | None
    anonymous: bool
    audience: Audience
    status: str
    closes_at: datetime | None
    created_by: int | None
    questions: tuple[QuestionRow, ...] = ()

    def question(self, question_id: int) -> QuestionRow | None:
        return self._by_id.get(question_id)

    @cached_property
    def _by_id(self) -> dict[int, QuestionRow]:
        return {q.id: q for q in self.questions}


def number_code(value: float | None) -> str:
    """A stored number as answers carry it: whole numbers without ".0"."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


class Surveys:
    """Surveys and questions; the part of the repository the others build on."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # Every tap reads its survey: kept until a write to the survey's row ends (its
        # questions never change once launched; closing it is such a write).
        self._surveys: RowCache[int, Survey | None] = RowCache(limit=256)
        db.watch("surveys", "id", self._surveys)

    # --- creating ------------------------------------------------------------------------

    async def create(
        self,
        definition: SurveyDefinition,
        audience: Audience,
        closes_at: datetime,
        created_by: int | None,
        now: datetime,
        *,
        confirmation: str,
        as_poll: bool = False,
    ) -> int | None:
        """Store the survey open (sent as a native poll or as questions), invite its audience
        (participation rows) at once, and audit the launch. None when this confirmation
        launched it already: nothing is launched again (see storage/audit_trail.py)."""
        from storage.repositories.surveys.definition import answer_code, option_code

        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            if await audit_trail.confirmed(conn, confirmation) is not None:
                return None
            cursor = await conn.execute(
                "INSERT INTO surveys (title, intro, anonymous, audience, status, opened_at,"
                " closes_at, created_by, created_at, as_poll)"
                " VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)",
                (
                    definition.title,
                    definition.intro,
                    int(definition.anonymous),
                    audience.to_json(),
                    stamp,
                    to_db_time(closes_at),
                    created_by,
                    stamp,
                    int(as_poll),
                ),
            )
            survey_id = int(cursor.lastrowid or 0)
            ids: list[int] = []
            for position, question in enumerate(definition.questions, start=1):
                condition_id = condition_value = None
                if question.show_if is not None:
                    condition_id = ids[question.show_if.question - 1]
                    earlier = definition.questions[question.show_if.question - 1]
                    condition_value = answer_code(earlier, question.show_if.answer)
                cursor = await conn.execute(
                    "INSERT INTO survey_questions (survey_id, position, kind, text, required,"
                    " min_value, max_value, max_length, show_if_question_id, show_if_value)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        survey_id,
                        position,
                        question.kind,
                        question.text,
                        int(question.required),
                        question.min,
                        question.max,
                        question.max_length if question.kind == "text" else None,
                        condition_id,
                        condition_value,
                    ),
                )
                question_id = int(cursor.lastrowid or 0)
                ids.append(question_id)
                await conn.executemany(
                    "INSERT INTO survey_options (question_id, position, code, label)"
                    " VALUES (?, ?, ?, ?)",
                    [
                        (question_id, n, option_code(n), label)
                        for n, label in enumerate(question.options, start=1)
                    ],
                )
            sql, params = participation_insert(audience)
            invited = await conn.execute(sql, [survey_id, stamp, *params])
            await audit_trail.write(
                conn,
                now,
                created_by,
                "survey.launch",
                "survey",
                survey_id,
                invited=invited.rowcount,
                anonymous=definition.anonymous,
                confirmation=confirmation,
            )
        return survey_id

    # --- reading -------------------------------------------------------------------------

    async def get(self, survey_id: int) -> Survey | None:
        """The survey with its questions; outside a transaction from the cache above."""
        if self.db.inside_transaction:
            return await self._read(survey_id)
        return await self._surveys.get(survey_id, self._read)

    async def _read(self, survey_id: int) -> Survey | None:
        row = await self.db.fetchone(
            "SELECT id, title, intro, anonymous, audience, status, closes_at, created_by"
            " FROM surveys WHERE id = ?",
            (survey_id,),
        )
        if row is None:
            return None
        return Survey(
            id=row[0],
            title=row[1],
            intro=row[2],
            anonymous=bool(row[3]),
            audience=Audience.from_json(row[4]),
            status=row[5],
            closes_at=from_db_time(row[6]) if row[6] else None,
            created_by=row[7],
            questions=await self._questions(survey_id),
        )

    async def _questions(self, survey_id: int) -> tuple[QuestionRow, ...]:
        rows = await self.db.fetchall(
            "SELECT id, position, kind, text, required, min_value, max_value, max_length,"
            " show_if_question_id, show_if_value FROM survey_questions WHERE survey_id = ?"
            " ORDER BY position",
            (survey_id,),
        )
        options = await self.db.fetchall(
            "SELECT o.question_id, o.id, o.code, o.label FROM survey_options o"
            " JOIN survey_questions q ON q.id = o.question_id WHERE q.survey_id = ?"
            " ORDER BY o.question_id, o.position",
            (survey_id,),
        )
        by_question: dict[int, list[Option]] = {}
        for question_id, option_id, code, label in options:
            by_question.setdefault(question_id, []).append(Option(option_id, code, label))
        return tuple(
            QuestionRow(
                id=r[0],
                position=r[1],
                kind=r[2],
                text=r[3],
                required=bool(r[4]),
                min_value=r[5],
                max_value=r[6],
                max_length=r[7],
                show_if_question_id=r[8],
                show_if_value=r[9],
                options=tuple(by_question.get(r[0], [])),
            )
            for r in rows
        )

    async def recent(self, limit: int = 10) -> list[Survey]:
        rows = await self.db.fetchall("SELECT id FROM surveys ORDER BY id DESC LIMIT ?", (limit,))
        return [s for r in rows if (s := await self.get(int(r[0]))) is not None]

    async def open_for(self, member_id: int) -> list[Survey]:
        """Open surveys the member has not finished: those they were invited to, and those
        whose audience they joined since the launch."""
        rows = await self.db.fetchall(
            "SELECT s.id, p.member_id IS NOT NULL FROM surveys s"
            " LEFT JOIN survey_participation p ON p.survey_id = s.id AND p.member_id = ?"
            " WHERE s.status = 'open' AND p.completed_on IS NULL ORDER BY s.id",
            (member_id,),
        )
        found = []
        for survey_id, invited in rows:
            survey = await self.get(int(survey_id))
            if survey is not None and (
                invited or await includes(self.db, survey.audience, member_id)
            ):
                found.append(survey)
        return found

    async def due_to_close(self, now: datetime) -> list[int]:
        """Open surveys whose closing time has come (responses.py closes them)."""
        rows = await self.db.fetchall(
            "SELECT id FROM surveys WHERE status = 'open' AND closes_at <= ?", (to_db_time(now),)
        )
        return [int(r[0]) for r in rows]

    # --- native polls ----------------------------------------------------------------------

    async def add_poll(self, poll_id: str, survey_id: int, chat_id: int, message_id: int) -> None:
        await self.db.execute(
            "INSERT INTO survey_polls (poll_id, survey_id, chat_id, message_id)"
            " VALUES (?, ?, ?, ?)",
            (poll_id, survey_id, chat_id, message_id),
        )

    async def poll_survey(self, poll_id: str) -> int | None:
        value = await self.db.fetchval(
            "SELECT survey_id FROM survey_polls WHERE poll_id = ?", (poll_id,)
        )
        return int(value) if value is not None else None

    async def open_polls(self, survey_id: int) -> list[tuple[str, int, int]]:
        rows = await self.db.fetchall(
            "SELECT poll_id, chat_id, message_id FROM survey_polls"
            " WHERE survey_id = ? AND stopped_at IS NULL",
            (survey_id,),
        )
        return [(str(r[0]), int(r[1]), int(r[2])) for r in rows]

    async def poll_stopped(self, poll_id: str, now: datetime) -> None:
        await self.db.execute(
            "UPDATE survey_polls SET stopped_at = ? WHERE poll_id = ?", (to_db_time(now), poll_id)
        )
