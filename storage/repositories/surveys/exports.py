"""Survey answers for analysis: CSV in long form (one row per answer) and wide form (one row
per response), and an .xlsx workbook with both. Labels and codes side by side; a
multiple-choice answer both as one column and as one 0/1 column per option.

Named surveys carry the member's name and organization; anonymous ones only the response's
random id. The wide form and the workbook read rows with one query that joins everything in;
the long CSV, the analysts' usual download and the largest, is written by `_long_csv`.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from storage.database import Database, read_only_uri
from storage.repositories.surveys.surveys import Survey

LONG_HEADER = [
    "response",
    "member",
    "organization",
    "complete",
    "question_number",
    "question",
    "question_type",
    "answer_code",
    "answer_label",
    "answer_number",
    "answer_text",
]


# One row per answer, with everything joined in by SQLite: the index on (survey_id, id) and the
# answers' unique index give the rows in order with no sort. A yes/no answer gets "1"/"0" as its
# code and Yes/No in the coordinator's language as its label; whole numbers lose their ".0".
_LONG_SQL = """
SELECT r.id, m.full_name, o.name, r.complete, q.position, q.text, q.kind,
       CASE WHEN q.kind = 'yesno' THEN CAST(CAST(a.value_number AS INTEGER) AS TEXT)
            ELSE so.code END,
       CASE WHEN q.kind = 'yesno' THEN CASE WHEN a.value_number THEN :yes ELSE :no END
            ELSE so.label END,
       CASE WHEN a.value_number = CAST(a.value_number AS INTEGER)
            THEN CAST(a.value_number AS INTEGER) ELSE a.value_number END,
       a.value_text
FROM survey_responses r
JOIN survey_answers a ON a.response_id = r.id
JOIN survey_questions q ON q.id = a.question_id
LEFT JOIN survey_options so ON so.id = a.option_id
LEFT JOIN members m ON m.id = r.member_id
LEFT JOIN organizations o ON o.id = m.organization_id
WHERE r.survey_id = :survey
ORDER BY r.id, a.question_id, coalesce(a.option_id, 0)
"""


Form = Literal["csv", "wide", "xlsx"]
FILE_NAMES: dict[str, str] = {
    "csv": "survey-{id}-answers.csv",
    "wide": "survey-{id}-responses.csv",
    "xlsx": "survey-{id}.xlsx",
}


async def export(
    db: Database, survey: Survey, form: Form, yes_no: tuple[str, str] = ("yes", "no")
) -> bytes:
    """The file in long CSV, wide CSV or XLSX form, built in a worker thread on its own
    read-only connection, so a large export does not hold up the replies to everyone else."""
    return await asyncio.to_thread(_export, db.path, survey, form, yes_no)


def _export(path: Path, survey: Survey, form: Form, yes_no: tuple[str, str]) -> bytes:
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        if form == "csv":
            return _long_csv(conn, survey, yes_no)
        params = {"survey": survey.id, "yes": yes_no[0], "no": yes_no[1]}
        long = conn.execute(_LONG_SQL, params).fetchall()
    finally:
        conn.close()
    wide = wide_rows(survey, long)
    return to_csv(*wide) if form == "wide" else to_xlsx(long, wide)


# --- the long CSV ----------------------------------------------------------------------------
# What the csv module would write for the long rows, without passing every repeated value
# through it: a response's columns (id, member, organization, complete), a question's
# (number, text, type) and an option's (code, label) are quoted once; each answer row is
# then those parts and its own value, read from the answers alone in the indexes' order.

_RESPONSES_SQL = """
SELECT r.id, m.full_name, o.name, r.complete FROM survey_responses r
LEFT JOIN members m ON m.id = r.member_id
LEFT JOIN organizations o ON o.id = m.organization_id
WHERE r.survey_id = ?
"""
_ANSWERS_SQL = """
SELECT a.response_id, a.question_id, a.option_id, a.value_number, a.value_text
FROM survey_responses r JOIN survey_answers a ON a.response_id = r.id
WHERE r.survey_id = ?
ORDER BY r.id, a.question_id, coalesce(a.option_id, 0)
"""
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def _cell(value: object) -> str:
    """One value as the csv module writes it (excel dialect, minimal quoting)."""
    if value is None:
        return ""
    text = str(value)
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _number(value: float) -> str:
    """A stored number as the long form shows it: whole numbers without ".0"."""
    return str(int(value)) if value == int(value) else str(value)


def _long_csv(conn: sqlite3.Connection, survey: Survey, yes_no: tuple[str, str]) -> bytes:
    questions = {
        q.id: (f"{q.position},{_cell(q.text)},{q.kind},", q.kind) for q in survey.questions
    }
    options = {
        o.id: f"{_cell(o.code)},{_cell(o.label)},," for q in survey.questions for o in q.options
    }
    yes, no = _cell(yes_no[0]), _cell(yes_no[1])
    responses = {
        row[0]: ",".join(_cell(v) for v in row) + ","
        for row in conn.execute(_RESPONSES_SQL, (survey.id,))
    }
    lines = [",".join(LONG_HEADER)]
    for response_id, question_id, option_id, number, text in conn.execute(
        _ANSWERS_SQL, (survey.id,)
    ):
        question, kind = questions[question_id]
        if option_id is not None:
            answer = options[option_id]
        elif kind == "yesno" and number is not None:
            answer = f"{int(number)},{yes if number else no},{int(number)},"
        elif text is not None:
            answer = ",,," + _cell(text)
        else:
            answer = ",," + (_number(number) if number is not None else "") + ","
        lines.append(responses[response_id] + question + answer)
    lines.append("")
    return "\r\n".join(lines).encode("utf-8-sig")


def _wide_header(survey: Survey) -> list[str]:
    header = ["response", "member", "organization", "complete"]
    for q in survey.questions:
        header.append(f"q{q.position}")
        if q.kind == "multi":
            header += [f"q{q.position}_{o.code}" for o in q.options]
    return header


def wide_rows(
    survey: Survey, long: Sequence[Sequence[object]]
) -> tuple[list[str], list[list[object]]]:
    """One row per response from the long rows: labels in q<n>, 0/1 per multi option."""
    header = _wide_header(survey)
    index = {name: i for i, name in enumerate(header)}
    responses: dict[object, list[object]] = {}
    for row in long:
        response = responses.setdefault(
            row[0], [row[0], row[1], row[2], row[3]] + [""] * (len(header) - 4)
        )
        question = next(q for q in survey.questions if q.position == row[4])
        column = index[f"q{question.position}"]
        value = row[8] if row[8] is not None else row[9] if row[9] is not None else row[10]
        if question.kind == "multi":
            response[column] = f"{response[column]};{value}" if response[column] else value
            response[index[f"q{question.position}_{row[7]}"]] = 1
        else:
            response[column] = value
    for response in responses.values():  # 0 for an option not chosen by who answered;
        for q in survey.questions:  # blank where the question was never answered (or shown)
            if q.kind == "multi" and response[index[f"q{q.position}"]] != "":
                for o in q.options:
                    cell = index[f"q{q.position}_{o.code}"]
                    response[cell] = response[cell] or 0
    return header, list(responses.values())


def to_csv(header: list[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(long: Sequence[Sequence[object]], wide: tuple[list[str], list[list[object]]]) -> bytes:
    from openpyxl import Workbook  # loaded when a coordinator first asks for a workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "answers (long)"
    sheet.append(LONG_HEADER)
    for row in long:
        sheet.append(row)
    responses = book.create_sheet("responses (wide)")
    responses.append(wide[0])
    for row in wide[1]:
        responses.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
