"""A cluster at scale for the impact benchmark: 10,000 members who joined over a year, 1,000
events and meetings with 100,000 answers and their check-ins, twelve monthly surveys with an NPS
question, and a year of announcements with their deliveries.

Written with plain sqlite3 in one transaction into a database migrated by the bot's own
migrations, so the bot opens it as its own.
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage.database import Database

MEMBERS = 10_000
EVENTS = 1_000
ANSWERS = 100_000
END = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)  # the end of October 2026 in Aguascalientes
START = END - timedelta(days=365)
FIRST_USER = 2_000_000


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


async def _migrate(path: Path) -> None:
    async with Database(path) as db:
        await db.migrate()


def _fill(path: Path, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    span = (END - START).total_seconds()

    def moment() -> datetime:
        return START + timedelta(seconds=rng.random() * span)

    with conn:
        orgs = [r[0] for r in conn.execute("SELECT id FROM organizations")]
        axes = [r[0] for r in conn.execute("SELECT id FROM axes")]
        joined = {
            i: moment() - timedelta(days=rng.choice((0, 0, 200))) for i in range(1, MEMBERS + 1)
        }
        conn.executemany(
            "INSERT INTO members (id, telegram_user_id, chat_id, full_name, organization_id,"
            " job_title, language, status, consent_version, consent_at, applied_at, decided_at,"
            " left_at, unreachable_since)"
            " VALUES (?, ?, ?, ?, ?, 'Ingeniería', ?, ?, '2026-11', ?, ?, ?, ?, ?)",
            [
                (
                    i,
                    FIRST_USER + i,
                    FIRST_USER + i,
                    f"Miembro {i}",
                    rng.choice(orgs),
                    "es" if i % 5 else "en",
                    "left" if i % 50 == 0 else "active",
                    _stamp(joined[i]),
                    _stamp(joined[i]),
                    _stamp(joined[i]),
                    _stamp(joined[i] + timedelta(days=30)) if i % 50 == 0 else None,
                    _stamp(joined[i] + timedelta(days=10)) if i % 40 == 0 else None,
                )
                for i in range(1, MEMBERS + 1)
            ],
        )
        conn.executemany(
            "INSERT INTO member_axes (member_id, axis_id) VALUES (?, ?)",
            [(i, a) for i in range(1, MEMBERS + 1) for a in rng.sample(axes, rng.randint(1, 3))],
        )
        groups = []
        for n, axis in enumerate(axes * 2, start=1):
            cursor = conn.execute(
                "INSERT INTO working_groups (axis_id, name, created_at) VALUES (?, ?, ?)",
                (axis, f"Grupo {n}", _stamp(START)),
            )
            groups.append((int(cursor.lastrowid or 0), axis))
        conn.executemany(
            "INSERT OR IGNORE INTO working_group_members (group_id, member_id, joined_at)"
            " VALUES (?, ?, ?)",
            [
                (rng.choice(groups)[0], m, _stamp(joined[m] + timedelta(days=rng.randint(0, 60))))
                for m in rng.sample(range(1, MEMBERS + 1), 3000)
            ],
        )
        events = []
        for e in range(1, EVENTS + 1):
            starts = moment()
            group = rng.choice(groups) if e % 4 == 0 else None
            axis = group[1] if group else rng.choice(axes)
            events.append((e, starts))
            conn.execute(
                "INSERT INTO events (id, kind, axis_id, group_id, title, starts_at, ends_at,"
                " status, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    e,
                    "meeting" if group else "event",
                    axis,
                    group[0] if group else None,
                    f"Evento {e}",
                    _stamp(starts),
                    _stamp(starts + timedelta(hours=2)),
                    "cancelled" if e % 97 == 0 else "published",
                    _stamp(starts - timedelta(days=14)),
                ),
            )
        rsvps: set[tuple[int, int]] = set()
        attendance: list[tuple[int, int, str, str]] = []
        while len(rsvps) < ANSWERS:
            event_id, starts = events[rng.randrange(EVENTS)]
            member = rng.randint(1, MEMBERS)
            if (event_id, member) in rsvps:
                continue
            rsvps.add((event_id, member))
            answer = rng.choices(("going", "maybe", "declined"), (6, 2, 2))[0]
            conn.execute(
                "INSERT INTO rsvps (event_id, member_id, answer, answered_at) VALUES (?, ?, ?, ?)",
                (event_id, member, answer, _stamp(starts - timedelta(days=3))),
            )
            if answer == "going" and rng.random() < 0.7:
                attendance.append((event_id, member, _stamp(starts), "qr"))
        conn.executemany(
            "INSERT INTO attendance (event_id, member_id, checked_in_at, method)"
            " VALUES (?, ?, ?, ?)",
            attendance,
        )
        for month in range(12):
            opened = START + timedelta(days=30 * month + 2)
            audience = {"kind": "axes", "ids": [axes[month % 4]]} if month % 2 else {}
            cursor = conn.execute(
                "INSERT INTO surveys (title, audience, status, opened_at, closed_at)"
                " VALUES (?, ?, 'closed', ?, ?)",
                (
                    f"Pulso {month + 1}",
                    json.dumps({"kind": "everyone", **audience}),
                    _stamp(opened),
                    _stamp(opened + timedelta(days=10)),
                ),
            )
            survey = int(cursor.lastrowid or 0)
            cursor = conn.execute(
                "INSERT INTO survey_questions (survey_id, position, kind, text)"
                " VALUES (?, 1, 'nps', '¿Recomendarías el clúster?')",
                (survey,),
            )
            question = int(cursor.lastrowid or 0)
            invited = rng.sample(range(1, MEMBERS + 1), 2000)
            conn.executemany(
                "INSERT INTO survey_participation (survey_id, member_id, invited_at, completed_on)"
                " VALUES (?, ?, ?, ?)",
                [
                    (survey, m, _stamp(opened), _stamp(opened)[:10] if n % 3 == 0 else None)
                    for n, m in enumerate(invited)
                ],
            )
            for n, m in enumerate(invited):
                if n % 3:
                    continue
                cursor = conn.execute(
                    "INSERT INTO survey_responses (survey_id, member_id, complete, submitted_on)"
                    " VALUES (?, ?, 1, ?)",
                    (survey, m, _stamp(opened)[:10]),
                )
                conn.execute(
                    "INSERT INTO survey_answers (response_id, question_id, value_number)"
                    " VALUES (?, ?, ?)",
                    (cursor.lastrowid, question, rng.choice((5, 7, 8, 9, 9, 10, 10))),
                )
        for week in range(52):
            created = START + timedelta(days=7 * week)
            cursor = conn.execute(
                "INSERT INTO broadcasts (kind, text, audience, status, created_at, finished_at)"
                " VALUES ('announcement', 'Aviso', ?, 'done', ?, ?)",
                (
                    json.dumps({"kind": "axes", "ids": [axes[week % 4]]}),
                    _stamp(created),
                    _stamp(created),
                ),
            )
            broadcast = int(cursor.lastrowid or 0)
            conn.executemany(
                "INSERT INTO deliveries (broadcast_id, member_id, chat_id, status)"
                " VALUES (?, ?, ?, ?)",
                [
                    (broadcast, m, FIRST_USER + m, "unreachable" if m % 40 == 0 else "sent")
                    for m in rng.sample(range(1, MEMBERS + 1), 1500)
                ],
            )
    conn.execute("PRAGMA optimize")
    conn.close()


async def build_async(path: Path, seed: int = 16) -> Path:
    """A migrated database at `path` holding the cluster above."""
    await _migrate(path)
    await asyncio.to_thread(_fill, path, seed)
    return path
