"""A cluster at scale for the benchmarks: 10,000 members, 100 events, 100,000 survey answers.

Written with plain sqlite3 in a few large transactions (the fast way to load), into
a database migrated by the bot's own migrations, so the bot opens it as its own.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
from pathlib import Path

from storage.database import Database

MEMBERS = 10_000
EVENTS = 100
QUESTIONS = 10  # x MEMBERS responses = 100,000 answers
FIRST_USER = 1_000_000
STAMP = "2026-11-01T12:00:00Z"


async def _migrate(path: Path) -> None:
    db = Database(path)
    await db.open()
    await db.migrate()
    await db.close()


def _fill(path: Path, members: int, seed: int, respondents: int | None = None) -> int:
    """Insert everything; return the survey's id."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    with conn:
        orgs = [r[0] for r in conn.execute("SELECT id FROM organizations")]
        axes = [r[0] for r in conn.execute("SELECT id FROM axes")]
        conn.executemany(
            "INSERT INTO members (id, telegram_user_id, chat_id, full_name, organization_id,"
            " job_title, email, language, status, consent_version, consent_at, applied_at)"
            " VALUES (?, ?, ?, ?, ?, 'Ingeniería', ?, ?, 'active', '2026-11', ?, ?)",
            [
                (
                    i,
                    FIRST_USER + i,
                    FIRST_USER + i,
                    f"Miembro {i}",
                    rng.choice(orgs),
                    f"miembro{i}@example.mx",
                    "es" if i % 5 else "en",
                    STAMP,
                    STAMP,
                )
                for i in range(1, members + 1)
            ],
        )
        conn.executemany(
            "INSERT INTO member_axes (member_id, axis_id) VALUES (?, ?)",
            [(i, a) for i in range(1, members + 1) for a in rng.sample(axes, rng.randint(1, 3))],
        )
        conn.executemany(
            "INSERT INTO events (id, kind, axis_id, title, description, starts_at, ends_at,"
            " place, status, created_by, published_at)"
            " VALUES (?, 'event', ?, ?, 'Sesión de trabajo del eje', ?, ?, 'Sede CLIA',"
            " 'published', 1, ?)",
            [
                (
                    e,
                    axes[e % len(axes)],
                    f"Evento {e}",
                    f"2026-12-{1 + e % 28:02d}T{14 + e % 6:02d}:00:00Z",
                    f"2026-12-{1 + e % 28:02d}T{16 + e % 6:02d}:00:00Z",
                    STAMP,
                )
                for e in range(1, EVENTS + 1)
            ],
        )
        conn.executemany(
            "INSERT INTO rsvps (event_id, member_id, answer, answered_at) VALUES (?, ?, ?, ?)",
            [
                (e, m, rng.choice(("going", "maybe", "declined")), STAMP)
                for e in range(1, EVENTS + 1)
                for m in rng.sample(range(1, members + 1), min(members, 60))
            ],
        )
        survey_id = _fill_survey(conn, rng, min(members, respondents or members))
    conn.close()
    return survey_id


def _fill_survey(conn: sqlite3.Connection, rng: random.Random, members: int) -> int:
    cursor = conn.execute(
        "INSERT INTO surveys (title, intro, status, opened_at, closes_at, created_by)"
        " VALUES ('Pulso del clúster', 'Diez preguntas rápidas', 'open', ?,"
        " '2026-12-31T23:00:00Z', 1)",
        (STAMP,),
    )
    survey_id = int(cursor.lastrowid or 0)
    kinds = ["single", "multi", "scale", "nps", "yesno", "number", "text", "single", "scale", "nps"]
    questions: list[tuple[int, str, list[int]]] = []
    for position, kind in enumerate(kinds[:QUESTIONS], start=1):
        q = conn.execute(
            "INSERT INTO survey_questions (survey_id, position, kind, text, min_value, max_value)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                survey_id,
                position,
                kind,
                f"Pregunta {position}",
                0 if kind == "number" else None,
                100 if kind == "number" else None,
            ),
        )
        question_id = int(q.lastrowid or 0)
        options = []
        if kind in ("single", "multi"):
            for o in range(1, 5):
                r = conn.execute(
                    "INSERT INTO survey_options (question_id, position, code, label)"
                    " VALUES (?, ?, ?, ?)",
                    (question_id, o, f"op{o}", f"Opción {o}"),
                )
                options.append(int(r.lastrowid or 0))
        questions.append((question_id, kind, options))
    conn.executemany(
        "INSERT INTO survey_participation (survey_id, member_id, invited_at, started_at,"
        " completed_on) VALUES (?, ?, ?, ?, '2026-11-02')",
        [(survey_id, m, STAMP, STAMP) for m in range(1, members + 1)],
    )
    conn.executemany(
        "INSERT INTO survey_responses (id, survey_id, member_id, complete, submitted_on)"
        " VALUES (?, ?, ?, 1, '2026-11-02')",
        [(m, survey_id, m) for m in range(1, members + 1)],
    )
    answers: list[tuple[int, int, int | None, int | None, str | None]] = []
    for m in range(1, members + 1):
        for question_id, kind, options in questions:
            if kind in ("single", "multi"):
                answers.append((m, question_id, rng.choice(options), None, None))
            elif kind == "scale":
                answers.append((m, question_id, None, rng.randint(1, 5), None))
            elif kind == "nps":
                answers.append((m, question_id, None, rng.randint(0, 10), None))
            elif kind == "yesno":
                answers.append((m, question_id, None, rng.randint(0, 1), None))
            elif kind == "number":
                answers.append((m, question_id, None, rng.randint(0, 100), None))
            else:
                answers.append((m, question_id, None, None, f"Comentario {m}"))
    conn.executemany(
        "INSERT INTO survey_answers (response_id, question_id, option_id, value_number,"
        " value_text) VALUES (?, ?, ?, ?, ?)",
        answers,
    )
    return survey_id


def build(
    path: Path, members: int = MEMBERS, seed: int = 2026, respondents: int | None = None
) -> int:
    """Create the database at `path` (the survey answered by the first `respondents`
    members, default all); return the survey id."""
    asyncio.run(_migrate(path))
    return _fill(path, members, seed, respondents)


async def build_async(path: Path, members: int = MEMBERS, seed: int = 2026) -> int:
    await _migrate(path)
    return await asyncio.to_thread(_fill, path, members, seed)


def add_tap_survey(path: Path, members: int) -> tuple[int, list[tuple[int, str]]]:
    """An open five-question survey that `members` members have started: the survey id and,
    per question in order, (question id, the button action a member taps)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    taps: list[tuple[int, str]] = []
    with conn:
        cursor = conn.execute(
            "INSERT INTO surveys (title, status, opened_at, closes_at, created_by)"
            " VALUES ('Pulso rápido', 'open', ?, '2099-12-31T23:00:00Z', 1)",
            (STAMP,),
        )
        survey_id = int(cursor.lastrowid or 0)
        for position, (kind, action) in enumerate(
            [("single", "o2"), ("scale", "v4"), ("nps", "v9"), ("yesno", "v1"), ("single", "o1")],
            start=1,
        ):
            q = conn.execute(
                "INSERT INTO survey_questions (survey_id, position, kind, text)"
                " VALUES (?, ?, ?, ?)",
                (survey_id, position, kind, f"Pregunta {position}"),
            )
            question_id = int(q.lastrowid or 0)
            if kind == "single":
                conn.executemany(
                    "INSERT INTO survey_options (question_id, position, code, label)"
                    " VALUES (?, ?, ?, ?)",
                    [(question_id, o, f"o{o}", f"Opción {o}") for o in range(1, 4)],
                )
            taps.append((question_id, action))
        conn.executemany(
            "INSERT INTO survey_participation (survey_id, member_id, invited_at, started_at)"
            " VALUES (?, ?, ?, ?)",
            [(survey_id, m, STAMP, STAMP) for m in range(1, members + 1)],
        )
        conn.executemany(
            "INSERT INTO survey_drafts (survey_id, member_id, answers, position)"
            " VALUES (?, ?, '{}', 1)",
            [(survey_id, m) for m in range(1, members + 1)],
        )
        conn.executemany(
            "INSERT INTO survey_responses (survey_id, member_id, complete) VALUES (?, ?, 0)",
            [(survey_id, m) for m in range(1, members + 1)],
        )
    conn.close()
    return survey_id, taps
