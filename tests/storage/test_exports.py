"""The long CSV export writes exactly what the csv module would, whatever the values hold."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.database import Database
from storage.repositories.surveys import exports
from storage.repositories.surveys.repository import SurveyRepository


async def test_the_long_csv_is_the_csv_modules_quotes_and_line_breaks_included(
    tmp_path: Path,
) -> None:
    path = tmp_path / "e.db"
    async with Database(path) as db:
        await db.migrate()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO organizations (id, name, sector)"
            " VALUES (900, 'Taller, \"El\" Sol', 'other')"
        )
        conn.executemany(
            "INSERT INTO members (id, telegram_user_id, full_name, organization_id)"
            " VALUES (?, ?, ?, ?)",
            [(1, 101, 'Ana "la" López', 900), (2, 102, None, None)],
        )
        conn.execute("INSERT INTO surveys (id, title, status) VALUES (1, 'S', 'open')")
        kinds = [(1, "single", "¿Uno, o dos?"), (2, "yesno", "¿Sí?"), (3, "number", "¿Cuántos?")]
        kinds.append((4, "text", "¿Por\nqué?"))
        conn.executemany(
            "INSERT INTO survey_questions (id, survey_id, position, kind, text)"
            " VALUES (?, 1, ?, ?, ?)",
            [(q, q, kind, text) for q, kind, text in kinds],
        )
        conn.executemany(
            "INSERT INTO survey_options (id, question_id, position, code, label)"
            " VALUES (?, 1, ?, ?, ?)",
            [(1, 1, "o1", "Sí, claro"), (2, 2, "o2", 'Nada "más"')],
        )
        conn.executemany(
            "INSERT INTO survey_responses (id, survey_id, member_id, complete) VALUES (?, 1, ?, ?)",
            [(10, 1, 1), (20, 2, 0), (30, None, 1)],
        )
        conn.executemany(
            "INSERT INTO survey_answers (response_id, question_id, option_id, value_number,"
            " value_text) VALUES (?, ?, ?, ?, ?)",
            [
                (10, 1, 2, None, None),
                (10, 2, None, 1.0, None),
                (10, 3, None, 12.5, None),
                (10, 4, None, None, 'Por "esto",\r\ny aquello'),
                (20, 2, None, 0.0, None),
                (20, 3, None, 1200.0, None),
                (30, 1, 1, None, None),
            ],
        )
    async with Database(path) as db:
        survey = await SurveyRepository(db).get(1)
    assert survey is not None
    yes_no = ('Sí, "y"', "No")
    params = {"survey": 1, "yes": yes_no[0], "no": yes_no[1]}
    by_csv_module = exports.to_csv(exports.LONG_HEADER, conn.execute(exports._LONG_SQL, params))
    assert exports._long_csv(conn, survey, yes_no) == by_csv_module
    assert await exports.export(Database(path), survey, "csv", yes_no) == by_csv_module
    conn.close()
