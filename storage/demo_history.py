"""A year of history for the sandbox's demo cluster, so that every impact chart shows a trend:
members joining month by month (a few leaving or blocking the bot), past events and working-group
meetings with answers and check-ins, monthly pulse surveys with a recommendation (NPS) question,
and announcements with their deliveries. Reproducible (a fixed seed) and relative to `now`."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import datetime, timedelta

import aiosqlite

from storage.models import to_db_time

FIRST_ID = 21000  # Telegram ids of the demo's background members (no chat on the page)
NAMES = (
    "Andrea",
    "Bruno",
    "Claudia",
    "Daniel",
    "Elena",
    "Fernando",
    "Gabriela",
    "Héctor",
    "Irene",
    "Javier",
    "Karla",
    "Luis",
    "Mónica",
    "Néstor",
    "Olga",
    "Pablo",
    "Renata",
    "Samuel",
    "Tania",
    "Ulises",
    "Verónica",
    "Walter",
    "Ximena",
    "Yolanda",
    "Zacarías",
)
SURNAMES = ("García", "Martínez", "López", "Hernández", "González", "Pérez", "Sánchez", "Romo")
TITLES = (
    ("Nueva ronda de proyectos de innovación abierta", "innovation"),
    ("Charla: atracción de talento técnico", "talent"),
    ("Círculo de liderazgo consciente", "leadership"),
    ("Misión comercial virtual", "globalization"),
)


async def add(conn: aiosqlite.Connection, now: datetime, people: dict[int, int]) -> None:
    """Write the history; `people` maps the demo people's Telegram ids to their member ids."""
    rng = random.Random(16)  # noqa: S311 - demo data, not secrets
    axes = {r[1]: r[0] for r in await conn.execute_fetchall("SELECT id, code FROM axes")}
    orgs = [r[0] for r in await conn.execute_fetchall("SELECT id FROM organizations")]
    groups = {
        r[1]: r[0] for r in await conn.execute_fetchall("SELECT id, axis_id FROM working_groups")
    }
    start = now - timedelta(days=365)
    await conn.execute("UPDATE working_groups SET created_at = ?", (to_db_time(start),))

    def at(days: float) -> str:
        return to_db_time(start + timedelta(days=days))

    # The demo people joined during the first months; background members over the year.
    members: list[tuple[int, float]] = []
    for n, member_id in enumerate(people.values()):
        first: float = 5.0 + 9 * n
        await conn.execute(
            "UPDATE members SET decided_at = ?, applied_at = ?, created_at = ? WHERE id = ?"
            " AND status = 'active'",
            (at(first), at(first - 1), at(first - 1), member_id),
        )
        members.append((member_id, first))
    for n in range(70):
        joined = rng.uniform(0, 350) * (0.5 + n / 140)
        name = f"{NAMES[n % len(NAMES)]} {SURNAMES[n % len(SURNAMES)]}"
        left = n % 23 == 0 and joined < 250
        cursor = await conn.execute(
            "INSERT INTO members (telegram_user_id, chat_id, full_name, organization_id, job_title,"
            " language, status, consent_version, consent_at, applied_at, decided_at, created_at,"
            " updated_at, left_at, unreachable_since)"
            " VALUES (?, ?, ?, ?, 'Ingeniería', 'es', ?, '2026-11', ?, ?, ?, ?, ?, ?, ?)",
            (
                FIRST_ID + n,
                FIRST_ID + n,
                name,
                rng.choice(orgs),
                "left" if left else "active",
                at(joined),
                at(joined),
                at(joined),
                at(joined),
                at(joined),
                at(joined + 60) if left else None,
                at(joined + 30) if n % 17 == 0 else None,
            ),
        )
        member_id = int(cursor.lastrowid or 0)
        for code in rng.sample(sorted(axes), rng.randint(1, 2)):
            await conn.execute(
                "INSERT INTO member_axes (member_id, axis_id) VALUES (?, ?)",
                (member_id, axes[code]),
            )
            if axes[code] in groups and rng.random() < 0.3:
                await conn.execute(
                    "INSERT OR IGNORE INTO working_group_members (group_id, member_id, joined_at)"
                    " VALUES (?, ?, ?)",
                    (groups[axes[code]], member_id, at(joined + 10)),
                )
        if not left:
            members.append((member_id, joined))

    def present(day: float) -> list[int]:
        return [m for m, joined in members if joined < day]

    for month in range(12):
        for week in (6, 20):  # two past events a month, in turn by axis
            title, axis = TITLES[(2 * month + week // 14) % len(TITLES)]
            day = 30.4 * month + week
            cursor = await conn.execute(
                "INSERT INTO events (kind, axis_id, title, starts_at, ends_at, status, created_at,"
                " published_at) VALUES ('event', ?, ?, ?, ?, 'published', ?, ?)",
                (axes[axis], title, at(day + 0.7), at(day + 0.8), at(day - 14), at(day - 14)),
            )
            await _answers(conn, rng, int(cursor.lastrowid or 0), present(day), at(day - 3), 0.25)
        for axis_id, group_id in groups.items():  # a monthly meeting of each working group
            day = 30.4 * month + 12
            cursor = await conn.execute(
                "INSERT INTO events (kind, axis_id, group_id, title, starts_at, ends_at, status,"
                " created_at, published_at) VALUES ('meeting', ?, ?, 'Reunión mensual del grupo',"
                " ?, ?, 'published', ?, ?)",
                (axis_id, group_id, at(day + 0.7), at(day + 0.75), at(day - 7), at(day - 7)),
            )
            group_members = [
                r[0]
                for r in await conn.execute_fetchall(
                    "SELECT member_id FROM working_group_members WHERE group_id = ?", (group_id,)
                )
            ]
            await _answers(conn, rng, int(cursor.lastrowid or 0), group_members, at(day - 2), 0.8)
        await _pulse(conn, rng, month, 30.4 * month + 3, present(30.4 * month + 3), at)
        day = 30.4 * month + 1
        cursor = await conn.execute(
            "INSERT INTO broadcasts (kind, text, audience, status, created_at, started_at,"
            " finished_at) VALUES ('announcement', 'Boletín mensual de CLIA', ?, 'done', ?, ?, ?)",
            (json.dumps({"kind": "everyone"}), at(day), at(day), at(day)),
        )
        await conn.executemany(
            "INSERT INTO deliveries (broadcast_id, member_id, chat_id, status, attempts,"
            " updated_at) VALUES (?, ?, ?, ?, 1, ?)",
            [
                (cursor.lastrowid, m, m, "sent" if rng.random() < 0.95 else "unreachable", at(day))
                for m in present(day)
            ],
        )


async def _answers(
    conn: aiosqlite.Connection,
    rng: random.Random,
    event_id: int,
    invited: list[int],
    answered_at: str,
    share: float,
) -> None:
    """Answers of a share of the invited, and check-ins of most of those going."""
    for member_id in invited:
        if rng.random() > share:
            continue
        answer = rng.choices(("going", "maybe", "declined"), (6, 2, 2))[0]
        await conn.execute(
            "INSERT INTO rsvps (event_id, member_id, answer, answered_at) VALUES (?, ?, ?, ?)",
            (event_id, member_id, answer, answered_at),
        )
        if answer == "going" and rng.random() < 0.55 + 0.3 * rng.random():
            await conn.execute(
                "INSERT INTO attendance (event_id, member_id, checked_in_at, method)"
                " VALUES (?, ?, ?, 'qr')",
                (event_id, member_id, answered_at),
            )


async def _pulse(
    conn: aiosqlite.Connection,
    rng: random.Random,
    month: int,
    day: float,
    invited: list[int],
    at: Callable[[float], str],
) -> None:
    """A closed monthly pulse survey with a recommendation (NPS) question."""
    stamp = at(day)
    cursor = await conn.execute(
        "INSERT INTO surveys (title, audience, status, opened_at, closes_at, closed_at, created_at)"
        " VALUES (?, ?, 'closed', ?, ?, ?, ?)",
        (
            f"Pulso mensual {month + 1}",
            json.dumps({"kind": "everyone"}),
            stamp,
            at(day + 7),
            at(day + 7),
            stamp,
        ),
    )
    survey = int(cursor.lastrowid or 0)
    cursor = await conn.execute(
        "INSERT INTO survey_questions (survey_id, position, kind, text) VALUES (?, 1, 'nps', ?)",
        (survey, "¿Qué tan probable es que recomiendes CLIA a un colega?"),
    )
    question = int(cursor.lastrowid or 0)
    answer_rate = 0.35 + 0.25 * month / 11
    for member_id in invited:
        done = rng.random() < answer_rate
        await conn.execute(
            "INSERT INTO survey_participation (survey_id, member_id, invited_at, started_at,"
            " completed_on) VALUES (?, ?, ?, ?, ?)",
            (survey, member_id, stamp, stamp if done else None, stamp[:10] if done else None),
        )
        if done:
            response = await conn.execute(
                "INSERT INTO survey_responses (survey_id, member_id, complete, submitted_on)"
                " VALUES (?, ?, 1, ?)",
                (survey, member_id, stamp[:10]),
            )
            score = min(10, max(0, round(rng.gauss(7.4 + 0.12 * month, 1.8))))
            await conn.execute(
                "INSERT INTO survey_answers (response_id, question_id, value_number)"
                " VALUES (?, ?, ?)",
                (response.lastrowid, question, score),
            )
