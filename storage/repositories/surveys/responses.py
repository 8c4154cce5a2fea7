"""Answers to surveys: who takes part, the member's draft (answers so far and the question
reached), storing each answer, completing a response, and closing a survey, where the drafts
left become incomplete responses.

While a member answers, their answers live in their draft (one row: the answers as JSON and
the question reached), so storing an answer is one UPDATE, committed before the next question
is shown. When they finish, the answers are filed as their response: under their name in a
named survey; in an anonymous one, in a response that has no member, no date, a random id,
and answers stored under random row ids, so neither a column nor the order of rows links it
to the person. The draft is then deleted (with SQLite's secure_delete, its bytes are zeroed).
Who took part lives apart, in `survey_participation` (member, invited, started, the date of
completion).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from storage.models import to_db_time
from storage.repositories.surveys.surveys import QuestionRow, Survey, Surveys

RANDOM_ID_BITS = 52


@dataclass
class Progress:
    """Where a member is in a survey: their answers so far and the question shown."""

    position: int
    answers: dict[int, list[str]] = field(default_factory=dict)  # question id → codes/values


@dataclass(frozen=True)
class Participation:
    """A member in a survey's audience: whether they finished, and where they are."""

    completed: bool
    progress: Progress | None  # None: not started


def _random_id() -> int:
    return secrets.randbits(RANDOM_ID_BITS) + 1


def _progress(position: int | None, answers: str | None) -> Progress | None:
    if position is None or answers is None:
        return None
    stored = json.loads(answers)
    return Progress(int(position), {int(k): list(v) for k, v in stored.items()})


class Responses(Surveys):
    """Participation, drafts, answers and completion, and closing."""

    # --- answering -----------------------------------------------------------------------

    async def participation(self, survey_id: int, member_id: int) -> Participation | None:
        """Whether the member finished and where they are, in one read; None if they are
        not in the audience (as invited, or by starting)."""
        row = await self.db.fetchone(
            "SELECT p.completed_on IS NOT NULL, d.position, d.answers"
            " FROM survey_participation p LEFT JOIN survey_drafts d"
            " ON d.survey_id = p.survey_id AND d.member_id = p.member_id"
            " WHERE p.survey_id = ? AND p.member_id = ?",
            (survey_id, member_id),
        )
        if row is None:
            return None
        return Participation(completed=bool(row[0]), progress=_progress(row[1], row[2]))

    async def progress(self, survey: Survey, member_id: int) -> Progress | None:
        """The member's answers so far and position; None if they have not started."""
        row = await self.db.fetchone(
            "SELECT position, answers FROM survey_drafts WHERE survey_id = ? AND member_id = ?",
            (survey.id, member_id),
        )
        return _progress(row[0], row[1]) if row is not None else None

    async def start(self, survey: Survey, member_id: int, now: datetime) -> Progress:
        """Begin (or find) the member's response: position 1, nothing answered."""

        def begin(conn: sqlite3.Connection) -> Progress:
            stamp = to_db_time(now)
            conn.execute(
                "INSERT INTO survey_drafts (survey_id, member_id, answers, position)"
                " VALUES (?, ?, '{}', 1) ON CONFLICT DO NOTHING",
                (survey.id, member_id),
            )
            conn.execute(
                # Someone who joined the audience after the launch counts as invited when they
                # start, so that the response rate (complete ÷ invited) stays a rate.
                "INSERT INTO survey_participation (survey_id, member_id, invited_at, started_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (survey_id, member_id) DO UPDATE SET"
                " started_at = coalesce(started_at, excluded.started_at)",
                (survey.id, member_id, stamp, stamp),
            )
            if not survey.anonymous:
                conn.execute(
                    "INSERT INTO survey_responses (survey_id, member_id, complete)"
                    " VALUES (?, ?, 0) ON CONFLICT DO NOTHING",
                    (survey.id, member_id),
                )
            row = conn.execute(
                "SELECT position, answers FROM survey_drafts WHERE survey_id = ? AND member_id = ?",
                (survey.id, member_id),
            ).fetchone()
            progress = _progress(row[0], row[1])
            assert progress is not None
            return progress

        return await self.db.write(begin)

    async def save_answer(
        self,
        survey: Survey,
        member_id: int,
        question: QuestionRow,
        values: list[str],
        position: int,
    ) -> None:
        """Store one question's answer in the draft (replacing an earlier one; none: removed)
        and the position reached: one statement, committed before the member sees the next
        question."""
        key = f'$."{question.id}"'
        if values:
            await self.db.execute(
                "UPDATE survey_drafts SET answers = json_set(answers, ?, json(?)), position = ?"
                " WHERE survey_id = ? AND member_id = ?",
                (key, json.dumps(values), position, survey.id, member_id),
            )
        else:
            await self.db.execute(
                "UPDATE survey_drafts SET answers = json_remove(answers, ?), position = ?"
                " WHERE survey_id = ? AND member_id = ?",
                (key, position, survey.id, member_id),
            )

    async def move_to(self, survey: Survey, member_id: int, position: int) -> None:
        await self.db.execute(
            "UPDATE survey_drafts SET position = ? WHERE survey_id = ? AND member_id = ?",
            (position, survey.id, member_id),
        )

    async def complete(
        self,
        survey: Survey,
        member_id: int,
        now: datetime,
        hidden: Collection[int] = (),
        last: tuple[QuestionRow, list[str]] | None = None,
    ) -> bool:
        """The response counts: the draft's answers, with the `last` one given (stored in the
        same transaction), are filed (under the member's name, or unlinked in an anonymous
        survey) and the draft goes. Answers to `hidden` questions (no longer shown by the
        final answers) are dropped. False if it was already complete."""
        today = now.date().isoformat()

        def file(conn: sqlite3.Connection) -> bool:
            cursor = conn.execute(
                "UPDATE survey_participation SET completed_on = ?"
                " WHERE survey_id = ? AND member_id = ? AND completed_on IS NULL",
                (today, survey.id, member_id),
            )
            if not cursor.rowcount:
                return False
            row = conn.execute(
                "DELETE FROM survey_drafts WHERE survey_id = ? AND member_id = ? RETURNING answers",
                (survey.id, member_id),
            ).fetchone()
            answers = json.loads(row[0]) if row else {}
            if last is not None:
                question, values = last
                answers[str(question.id)] = values
            kept = {k: v for k, v in answers.items() if v and int(k) not in hidden}
            if survey.anonymous:
                _store_unlinked(conn, survey, kept, complete=True)
            else:
                _store_named(conn, survey, member_id, kept, complete_on=today)
            return True

        filed = await self.db.write(file)
        if filed and survey.anonymous:  # the log still holds the draft's old pages: scrubbed
            self.db.wal_needs_scrub = True
        return filed

    # --- closing -------------------------------------------------------------------------

    async def close(self, survey_id: int, now: datetime) -> bool:
        """Close it; unfinished drafts become incomplete responses (unlinked when anonymous)."""
        survey = await self.get(survey_id)
        if survey is None:
            return False

        def close(conn: sqlite3.Connection) -> bool:
            cursor = conn.execute(
                "UPDATE surveys SET status = 'closed', closed_at = ?"
                " WHERE id = ? AND status = 'open'",
                (to_db_time(now), survey_id),
            )
            if not cursor.rowcount:
                return False
            drafts = conn.execute(
                "DELETE FROM survey_drafts WHERE survey_id = ? RETURNING member_id, answers",
                (survey_id,),
            ).fetchall()
            for member_id, answers in drafts:
                stored = json.loads(answers)
                if not stored:
                    continue
                if survey.anonymous:
                    _store_unlinked(conn, survey, stored, complete=False)
                else:
                    _store_named(conn, survey, member_id, stored, complete_on=None)
            return True

        closed = await self.db.write(close)
        if closed and survey.anonymous:  # drafts deleted: the log's old copies are scrubbed
            self.db.wal_needs_scrub = True
        return closed


def _store_named(
    conn: sqlite3.Connection,
    survey: Survey,
    member_id: int,
    answers: dict[str, list[str]],
    *,
    complete_on: str | None,
) -> None:
    """The member's response (complete on that date, or incomplete) with these answers."""
    response_id = conn.execute(
        "INSERT INTO survey_responses (survey_id, member_id, complete, submitted_on)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (survey_id, member_id) DO UPDATE SET"
        " complete = excluded.complete, submitted_on = excluded.submitted_on"
        " RETURNING id",
        (survey.id, member_id, int(complete_on is not None), complete_on),
    ).fetchone()[0]
    _insert_answers(conn, [(response_id, *row) for row in _answer_rows(survey, answers)])


def _store_unlinked(
    conn: sqlite3.Connection, survey: Survey, answers: dict[str, list[str]], *, complete: bool
) -> None:
    """A response linked to nobody: a random id, no member, no date, answers under random
    row ids."""
    response_id = _random_id()
    conn.execute(
        "INSERT INTO survey_responses (id, survey_id, member_id, complete, submitted_on)"
        " VALUES (?, ?, NULL, ?, NULL)",
        (response_id, survey.id, int(complete)),
    )
    rows = [(_random_id(), response_id, *row) for row in _answer_rows(survey, answers)]
    _insert_answers(conn, rows, with_rowid=True)


def _insert_answers(
    conn: sqlite3.Connection, rows: Sequence[tuple[object, ...]], *, with_rowid: bool = False
) -> None:
    """All of a response's answers in one INSERT (anonymous ones under the given row ids)."""
    if not rows:
        return
    columns = "response_id, question_id, option_id, value_number, value_text"
    if with_rowid:
        columns = "rowid, " + columns
    marks = "(" + ", ".join("?" for _ in rows[0]) + ")"
    conn.execute(
        f"INSERT INTO survey_answers ({columns}) VALUES {', '.join(marks for _ in rows)}",
        [value for row in rows for value in row],
    )


def _answer_rows(
    survey: Survey, answers: dict[str, list[str]]
) -> list[tuple[int, int | None, float | None, str | None]]:
    """(question_id, option_id, value_number, value_text) of each value in a draft's answers."""
    rows: list[tuple[int, int | None, float | None, str | None]] = []
    for question_id, values in answers.items():
        question = survey.question(int(question_id))
        if question is not None:
            rows.extend((question.id, *_columns(question, value)) for value in values)
    return rows


def _columns(question: QuestionRow, value: str) -> tuple[int | None, float | None, str | None]:
    """(option_id, value_number, value_text) of one stored value."""
    if question.kind in ("single", "multi"):
        option = next((o for o in question.options if o.code == value), None)
        return (option.id if option else None, None, None)
    if question.kind == "text":
        return (None, None, value)
    return (None, float(value), None)
