"""Surveys: structure, participation, answers (named or anonymous), results and closing.

Anonymity: who took part lives in `survey_participation` (member, invited, started, the date
of completion). What an anonymous member answers is kept in their draft while they answer
and, when they finish, moved into a response that has no member, no date, a random id, and
answers stored under random row ids, so neither a column nor the order of rows links it to
the person; the draft is then deleted (with SQLite's secure_delete, its bytes are zeroed).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from storage.audience import Audience, includes, participation_insert

if TYPE_CHECKING:  # the definitions' pydantic models load when a survey is created
    from storage.repositories.surveys.definition import SurveyDefinition
from storage.database import Database
from storage.models import from_db_time, to_db_time

RANDOM_ID_BITS = 52


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

    def option(self, option_id: int) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


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
        return next((q for q in self.questions if q.id == question_id), None)

    def kind_is_yesno(self, position: object) -> bool:
        return any(q.position == position and q.kind == "yesno" for q in self.questions)


@dataclass
class Progress:
    """Where a member is in a survey: their answers so far and the question shown."""

    position: int
    answers: dict[int, list[str]] = field(default_factory=dict)  # question id → codes/values
    completed: bool = False


@dataclass(frozen=True)
class QuestionResult:
    question: QuestionRow
    answered: int
    counts: dict[str, int]  # option code or value → count
    mean: float | None
    nps: float | None
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Results:
    survey: Survey
    invited: int
    started: int
    completed: int
    questions: tuple[QuestionResult, ...]


def _random_id() -> int:
    return secrets.randbits(RANDOM_ID_BITS) + 1


class SurveyRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._structures: dict[int, Survey] = {}  # questions never change once launched

    # --- creating ------------------------------------------------------------------------

    async def create(
        self,
        definition: SurveyDefinition,
        audience: Audience,
        closes_at: datetime,
        created_by: int | None,
        now: datetime,
    ) -> int:
        """Store the survey open, and invite its audience (participation rows) at once."""
        from storage.repositories.surveys.definition import answer_code, option_code

        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO surveys (title, intro, anonymous, audience, status, opened_at,"
                " closes_at, created_by, created_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?)",
                (
                    definition.title,
                    definition.intro,
                    int(definition.anonymous),
                    audience.to_json(),
                    stamp,
                    to_db_time(closes_at),
                    created_by,
                    stamp,
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
            await conn.execute(sql, [survey_id, stamp, *params])
        return survey_id

    # --- reading -------------------------------------------------------------------------

    async def get(self, survey_id: int) -> Survey | None:
        """The survey with its questions (cached: they never change); status read fresh."""
        row = await self.db.fetchone(
            "SELECT id, title, intro, anonymous, audience, status, closes_at, created_by"
            " FROM surveys WHERE id = ?",
            (survey_id,),
        )
        if row is None:
            return None
        cached = self._structures.get(survey_id)
        questions = cached.questions if cached else await self._questions(survey_id)
        survey = Survey(
            id=row[0],
            title=row[1],
            intro=row[2],
            anonymous=bool(row[3]),
            audience=Audience.from_json(row[4]),
            status=row[5],
            closes_at=from_db_time(row[6]) if row[6] else None,
            created_by=row[7],
            questions=questions,
        )
        self._structures[survey_id] = survey
        return survey

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

    async def open_surveys(self) -> list[Survey]:
        rows = await self.db.fetchall("SELECT id FROM surveys WHERE status = 'open' ORDER BY id")
        return [s for r in rows if (s := await self.get(int(r[0]))) is not None]

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

    # --- answering -----------------------------------------------------------------------

    async def participation(self, survey_id: int, member_id: int) -> tuple[bool, bool] | None:
        """(invited, completed) for this member, None if they are not in the audience."""
        row = await self.db.fetchone(
            "SELECT invited_at IS NOT NULL, completed_on IS NOT NULL FROM survey_participation"
            " WHERE survey_id = ? AND member_id = ?",
            (survey_id, member_id),
        )
        return (bool(row[0]), bool(row[1])) if row else None

    async def progress(self, survey: Survey, member_id: int) -> Progress | None:
        """The member's answers so far and position; None if they have not started."""
        row = await self.db.fetchone(
            "SELECT answers, position FROM survey_drafts WHERE survey_id = ? AND member_id = ?",
            (survey.id, member_id),
        )
        if row is None:
            return None
        progress = Progress(position=int(row[1]))
        if survey.anonymous:
            stored = json.loads(row[0])
            progress.answers = {int(k): list(v) for k, v in stored.items()}
            return progress
        answers = await self.db.fetchall(
            "SELECT a.question_id, o.code, a.value_number, a.value_text FROM survey_answers a"
            " JOIN survey_responses r ON r.id = a.response_id"
            " LEFT JOIN survey_options o ON o.id = a.option_id"
            " WHERE r.survey_id = ? AND r.member_id = ?",
            (survey.id, member_id),
        )
        for question_id, code, number, text in answers:
            value = code if code is not None else text if text is not None else _number(number)
            progress.answers.setdefault(int(question_id), []).append(str(value))
        return progress

    async def start(self, survey: Survey, member_id: int, now: datetime) -> Progress:
        """Begin (or find) the member's response: position 1, nothing answered."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO survey_drafts (survey_id, member_id, answers, position)"
                " VALUES (?, ?, '{}', 1) ON CONFLICT DO NOTHING",
                (survey.id, member_id),
            )
            await conn.execute(
                # Someone who joined the audience after the launch counts as invited when they
                # start, so that the response rate (complete ÷ invited) stays a rate.
                "INSERT INTO survey_participation (survey_id, member_id, invited_at, started_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (survey_id, member_id) DO UPDATE SET"
                " started_at = coalesce(started_at, excluded.started_at)",
                (survey.id, member_id, to_db_time(now), to_db_time(now)),
            )
            if not survey.anonymous:
                await conn.execute(
                    "INSERT INTO survey_responses (survey_id, member_id, complete)"
                    " VALUES (?, ?, 0) ON CONFLICT DO NOTHING",
                    (survey.id, member_id),
                )
        progress = await self.progress(survey, member_id)
        assert progress is not None
        return progress

    async def save_answer(
        self,
        survey: Survey,
        member_id: int,
        question: QuestionRow,
        values: list[str],
        position: int,
    ) -> None:
        """Store one question's answer (replacing an earlier one) and the position reached:
        one transaction, committed before the member sees the next question."""
        async with self.db.transaction() as conn:
            if survey.anonymous:
                row = await self.db.fetchone(
                    "SELECT answers FROM survey_drafts WHERE survey_id = ? AND member_id = ?",
                    (survey.id, member_id),
                )
                stored = json.loads(row[0]) if row else {}
                if values:
                    stored[str(question.id)] = values
                else:
                    stored.pop(str(question.id), None)
                await conn.execute(
                    "UPDATE survey_drafts SET answers = ?, position = ?"
                    " WHERE survey_id = ? AND member_id = ?",
                    (json.dumps(stored), position, survey.id, member_id),
                )
                return
            response_id = await self.db.fetchval(
                "SELECT id FROM survey_responses WHERE survey_id = ? AND member_id = ?",
                (survey.id, member_id),
            )
            await conn.execute(
                "DELETE FROM survey_answers WHERE response_id = ? AND question_id = ?",
                (response_id, question.id),
            )
            await conn.executemany(
                "INSERT INTO survey_answers (response_id, question_id, option_id, value_number,"
                " value_text) VALUES (?, ?, ?, ?, ?)",
                [(response_id, question.id, *_columns(question, v)) for v in values],
            )
            await conn.execute(
                "UPDATE survey_drafts SET position = ? WHERE survey_id = ? AND member_id = ?",
                (position, survey.id, member_id),
            )

    async def move_to(self, survey: Survey, member_id: int, position: int) -> None:
        await self.db.execute(
            "UPDATE survey_drafts SET position = ? WHERE survey_id = ? AND member_id = ?",
            (position, survey.id, member_id),
        )

    async def complete(
        self, survey: Survey, member_id: int, now: datetime, hidden: Collection[int] = ()
    ) -> bool:
        """The response counts: named ones are marked complete; anonymous answers move into an
        unlinked response and the draft goes. Answers to `hidden` questions (no longer shown
        by the final answers) are dropped. False if it was already complete."""
        today = now.date().isoformat()
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE survey_participation SET completed_on = ?"
                " WHERE survey_id = ? AND member_id = ? AND completed_on IS NULL",
                (today, survey.id, member_id),
            )
            if not cursor.rowcount:
                return False
            if survey.anonymous:
                row = await self.db.fetchone(
                    "SELECT answers FROM survey_drafts WHERE survey_id = ? AND member_id = ?",
                    (survey.id, member_id),
                )
                answers = json.loads(row[0]) if row else {}
                kept = {k: v for k, v in answers.items() if int(k) not in hidden}
                await self._store_unlinked(conn, survey, kept, complete=True)
            else:
                await conn.execute(
                    "UPDATE survey_responses SET complete = 1, submitted_on = ?"
                    " WHERE survey_id = ? AND member_id = ?",
                    (today, survey.id, member_id),
                )
                for question_id in hidden:
                    await conn.execute(
                        "DELETE FROM survey_answers WHERE question_id = ? AND response_id ="
                        " (SELECT id FROM survey_responses WHERE survey_id = ? AND member_id = ?)",
                        (question_id, survey.id, member_id),
                    )
            await conn.execute(
                "DELETE FROM survey_drafts WHERE survey_id = ? AND member_id = ?",
                (survey.id, member_id),
            )
        if survey.anonymous:  # the log still holds the draft's old pages: scrubbed shortly
            self.db.wal_needs_scrub = True
        return True

    async def _store_unlinked(
        self, conn: Any, survey: Survey, answers: dict[str, list[str]], *, complete: bool
    ) -> None:
        response_id = _random_id()
        await conn.execute(
            "INSERT INTO survey_responses (id, survey_id, member_id, complete, submitted_on)"
            " VALUES (?, ?, NULL, ?, NULL)",
            (response_id, survey.id, int(complete)),
        )
        rows = []
        for question_id, values in answers.items():
            question = survey.question(int(question_id))
            if question is None:
                continue
            for value in values:
                rows.append((_random_id(), response_id, question.id, *_columns(question, value)))
        await conn.executemany(
            "INSERT INTO survey_answers (rowid, response_id, question_id, option_id,"
            " value_number, value_text) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )

    # --- closing -------------------------------------------------------------------------

    async def due_to_close(self, now: datetime) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT id FROM surveys WHERE status = 'open' AND closes_at <= ?", (to_db_time(now),)
        )
        return [int(r[0]) for r in rows]

    async def close(self, survey_id: int, now: datetime) -> bool:
        """Close it; unfinished anonymous drafts become incomplete unlinked responses."""
        survey = await self.get(survey_id)
        if survey is None:
            return False
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE surveys SET status = 'closed', closed_at = ?"
                " WHERE id = ? AND status = 'open'",
                (to_db_time(now), survey_id),
            )
            if not cursor.rowcount:
                return False
            if survey.anonymous:
                drafts = await self.db.fetchall(
                    "SELECT answers FROM survey_drafts WHERE survey_id = ?", (survey_id,)
                )
                for (answers,) in drafts:
                    stored = json.loads(answers)
                    if stored:
                        await self._store_unlinked(conn, survey, stored, complete=False)
            await conn.execute("DELETE FROM survey_drafts WHERE survey_id = ?", (survey_id,))
        if survey.anonymous:  # drafts deleted: the log's old copies are scrubbed shortly
            self.db.wal_needs_scrub = True
        return True

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

    # --- results (computed by SQLite) ------------------------------------------------------

    async def results(self, survey_id: int) -> Results | None:
        survey = await self.get(survey_id)
        if survey is None:
            return None
        invited, started, completed = await self.db.fetchone(
            "SELECT count(invited_at), count(started_at), count(completed_on)"
            " FROM survey_participation WHERE survey_id = ?",
            (survey_id,),
        ) or (0, 0, 0)
        counted = await self.db.fetchall(
            "SELECT a.question_id, a.option_id, a.value_number, count(*)"
            " FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id"
            " WHERE r.survey_id = ? AND r.complete = 1 AND a.value_text IS NULL"
            " GROUP BY 1, 2, 3",
            (survey_id,),
        )
        codes = {o.id: o.code for q in survey.questions for o in q.options}
        counts: dict[int, dict[str, int]] = {}
        sums: dict[int, tuple[float, int]] = {}
        for question_id, option_id, number, how_many in counted:
            key = codes.get(option_id, "") if option_id is not None else _number(number)
            counts.setdefault(int(question_id), {})[key] = int(how_many)
            if number is not None:
                total, n = sums.get(int(question_id), (0.0, 0))
                sums[int(question_id)] = (total + float(number) * how_many, n + int(how_many))
        answered = {q: sum(c.values()) for q, c in counts.items()}  # one answer per response…
        multi = [q.id for q in survey.questions if q.kind == "multi"]
        if multi:  # …except multiple choice: count the people, not the ticks
            marks = ",".join("?" for _ in multi)
            for question_id, people in await self.db.fetchall(
                "SELECT a.question_id, count(DISTINCT a.response_id) FROM survey_answers a"
                " JOIN survey_responses r ON r.id = a.response_id"
                f" WHERE a.question_id IN ({marks}) AND r.complete = 1 GROUP BY 1",
                multi,
            ):
                answered[int(question_id)] = int(people)
        texts: dict[int, list[str]] = {}
        free = [q.id for q in survey.questions if q.kind == "text"]
        if free:
            marks = ",".join("?" for _ in free)
            for question_id, text in await self.db.fetchall(
                "SELECT a.question_id, a.value_text FROM survey_answers a"
                " JOIN survey_responses r ON r.id = a.response_id"
                f" WHERE a.question_id IN ({marks}) AND r.complete = 1"
                " ORDER BY a.question_id, a.value_text",
                free,
            ):
                texts.setdefault(int(question_id), []).append(str(text))
                answered[int(question_id)] = answered.get(int(question_id), 0) + 1
        means = {q: total / n for q, (total, n) in sums.items() if n}
        results = []
        for question in survey.questions:
            mine = counts.get(question.id, {})
            nps = None
            if question.kind == "nps" and mine:
                total = sum(mine.values())
                promoters = sum(n for v, n in mine.items() if float(v) >= 9)
                detractors = sum(n for v, n in mine.items() if float(v) <= 6)
                nps = round(100 * (promoters - detractors) / total, 1)
            mean = means.get(question.id) if question.kind in ("scale", "nps", "number") else None
            results.append(
                QuestionResult(
                    question=question,
                    answered=int(answered.get(question.id, 0)),
                    counts=mine,
                    mean=round(float(mean), 2) if mean is not None else None,
                    nps=nps,
                    texts=tuple(texts.get(question.id, [])),
                )
            )
        return Results(survey, int(invited), int(started), int(completed), tuple(results))


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _columns(question: QuestionRow, value: str) -> tuple[int | None, float | None, str | None]:
    """(option_id, value_number, value_text) of one stored value."""
    if question.kind in ("single", "multi"):
        option = next((o for o in question.options if o.code == value), None)
        return (option.id if option else None, None, None)
    if question.kind == "text":
        return (None, None, value)
    return (None, float(value), None)
