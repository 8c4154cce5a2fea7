"""Answers to surveys: who takes part, the member's draft (answers so far and the question
reached), storing each answer, completing a response, and closing a survey, where the drafts
left become incomplete responses.

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
from typing import Any

from storage.models import to_db_time
from storage.repositories.surveys.surveys import QuestionRow, Survey, Surveys, number_code

RANDOM_ID_BITS = 52


@dataclass
class Progress:
    """Where a member is in a survey: their answers so far and the question shown."""

    position: int
    answers: dict[int, list[str]] = field(default_factory=dict)  # question id → codes/values


def _random_id() -> int:
    return secrets.randbits(RANDOM_ID_BITS) + 1


class Responses(Surveys):
    """Participation, drafts, answers and completion, and closing."""

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
            value = code if code is not None else text if text is not None else number_code(number)
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


def _columns(question: QuestionRow, value: str) -> tuple[int | None, float | None, str | None]:
    """(option_id, value_number, value_text) of one stored value."""
    if question.kind in ("single", "multi"):
        option = next((o for o in question.options if o.code == value), None)
        return (option.id if option else None, None, None)
    if question.kind == "text":
        return (None, None, value)
    return (None, float(value), None)
