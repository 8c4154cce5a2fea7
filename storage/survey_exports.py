"""Survey answers for analysis: CSV in long form (one row per answer) and wide form (one row
per response), and an .xlsx workbook with both. Labels and codes side by side; a
multiple-choice answer both as one column and as one 0/1 column per option.

Named surveys carry the member's name and organization; anonymous ones only the response's
random id. Rows are read with one query and written as they come.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

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
    rows = await db.fetchall(
        "SELECT r.id, m.full_name, o.name, r.complete, q.position, q.text, q.kind,"
        " so.code, so.label, a.value_number, a.value_text"
        " FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id"
        " JOIN survey_questions q ON q.id = a.question_id"
        " LEFT JOIN survey_options so ON so.id = a.option_id"
        " LEFT JOIN members m ON m.id = r.member_id"
        " LEFT JOIN organizations o ON o.id = m.organization_id"
        " WHERE r.survey_id = ? ORDER BY r.id, q.position, so.position",
        (survey.id,),
    )
    result = []
    for row in rows:
        values = list(row)
        number = values[9]
        if isinstance(number, float) and number.is_integer():
            values[9] = int(number)
        if survey.kind_is_yesno(values[4]) and values[9] is not None:
            values[7], values[8] = str(values[9]), "yes" if values[9] else "no"
        result.append(values)
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
