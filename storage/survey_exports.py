"""Survey answers for analysis: CSV in long form (one row per answer) and wide form (one row
per response), and an .xlsx workbook with both. Labels and codes side by side; a
multiple-choice answer both as one column and as one 0/1 column per option.

Named surveys carry the member's name and organization; anonymous ones only the response's
random id. Rows are read with one query and written as they come.
"""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
from pathlib import Path

from storage.database import Database
from storage.repositories.surveys import Survey

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


async def long_rows(db: Database, survey: Survey) -> list[list[object]]:
    """One row per answer, built in a worker thread on its own read-only connection, so a
    large export does not hold up the replies to everyone else."""
    return await asyncio.to_thread(_long_rows, db.path, survey)


def _long_rows(path: Path, survey: Survey) -> list[list[object]]:
    """The answers come bare from SQLite; questions, options and people are looked up from
    small maps built once (faster than joining them into 100,000 rows)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        people = {
            r[0]: (r[1], r[2])
            for r in conn.execute(
                "SELECT m.id, m.full_name, o.name FROM members m"
                " LEFT JOIN organizations o ON o.id = m.organization_id"
                " WHERE m.id IN (SELECT member_id FROM survey_responses WHERE survey_id = ?)",
                (survey.id,),
            )
        }
        rows = conn.execute(
            "SELECT r.id, r.member_id, r.complete, a.question_id, a.option_id, a.value_number,"
            " a.value_text FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id"
            # ids follow positions: questions and options are stored in their order
            " WHERE r.survey_id = ? ORDER BY r.id, a.question_id, a.option_id",
            (survey.id,),
        ).fetchall()
    finally:
        conn.close()
    questions = {q.id: (q.position, q.text, q.kind) for q in survey.questions}
    options = {o.id: (o.code, o.label) for q in survey.questions for o in q.options}
    nobody = (None, None)
    result: list[list[object]] = []
    append = result.append
    for response, member, complete, question_id, option_id, number, text in rows:
        position, question_text, kind = questions[question_id]
        name, organization = people.get(member, nobody)
        code, label = options.get(option_id, nobody) if option_id is not None else nobody
        if number is not None:
            if number == int(number):
                number = int(number)
            if kind == "yesno":
                code, label = str(number), "yes" if number else "no"
        append(
            [
                response,
                name,
                organization,
                complete,
                position,
                question_text,
                kind,
                code,
                label,
                number,
                text,
            ]
        )
    return result


def _wide_header(survey: Survey) -> list[str]:
    header = ["response", "member", "organization", "complete"]
    for q in survey.questions:
        header.append(f"q{q.position}")
        if q.kind == "multi":
            header += [f"q{q.position}_{o.code}" for o in q.options]
    return header


def wide_rows(survey: Survey, long: list[list[object]]) -> tuple[list[str], list[list[object]]]:
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
    for response in responses.values():
        for q in survey.questions:
            if q.kind == "multi":
                for o in q.options:
                    cell = index[f"q{q.position}_{o.code}"]
                    response[cell] = response[cell] or 0
    return header, list(responses.values())


def to_csv(header: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(long: list[list[object]], wide: tuple[list[str], list[list[object]]]) -> bytes:
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
