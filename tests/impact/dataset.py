"""A small cluster whose impact figures are checked by hand (see the numbers in the tests).

Periods: September and October 2026 in Aguascalientes (UTC-6): October runs from
2026-10-01T06:00Z to 2026-11-01T06:00Z. Members (organization; axes; joined; notes):

  m1 Ana    Flex (tier1)         innovation         2026-08-10
  m2 Beto   Continental (tier1)  talent             2026-09-15
  m3 Carla  Mextamp (supplier)   innovation, talent 2026-10-05
  m4 Diego  SEDEC (government)   innovation         2026-08-01  left 2026-10-15
  m5 Eva    U. Panamericana      talent             2026-08-01  blocked the bot 2026-10-20
  m6 Fito   Flex (tier1)         talent             2026-10-01T05:00Z = 30 Sep, 23:00 local
  m7 Gus    Flex                 innovation         pending: not a member

Staff (joined in November, so in no October figure): Laura, admin (900); Carlos, coordinator
of Talent only (901); Mario, a member (902).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from storage.database import Database
from tests import factories as f


@dataclass(frozen=True)
class Ids:
    members: dict[str, int]
    events: dict[str, int]
    surveys: dict[str, int]


async def _member(
    db: Database,
    telegram_id: int,
    name: str,
    organization: str,
    axes: tuple[str, ...],
    joined: str,
    **extra: object,
) -> int:
    member_id = await f.add_member(
        db, telegram_id, full_name=name, organization=organization, axes=axes
    )
    sets = ", ".join(f"{k} = ?" for k in extra)
    await db.execute(
        f"UPDATE members SET decided_at = ?, applied_at = ?{', ' if sets else ''}{sets}"  # noqa: S608 - the test's own column names
        " WHERE id = ?",
        (joined, joined, *extra.values(), member_id),
    )
    return member_id


async def _event(
    db: Database,
    kind: str,
    axis: str,
    title: str,
    starts: str,
    *,
    group: int | None = None,
    status: str = "published",
) -> int:
    return await db.execute(
        "INSERT INTO events (kind, axis_id, group_id, title, starts_at, ends_at, status)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (kind, await f.axis_id(db, axis), group, title, starts, starts[:11] + "23:00:00Z", status),
    )


async def _survey(
    db: Database, title: str, opened: str, audience: dict[str, object], question_kind: str
) -> tuple[int, int]:
    survey = await db.execute(
        "INSERT INTO surveys (title, audience, status, opened_at) VALUES (?, ?, 'open', ?)",
        (title, json.dumps(audience), opened),
    )
    question = await db.execute(
        "INSERT INTO survey_questions (survey_id, position, kind, text) VALUES (?, 1, ?, ?)",
        (survey, question_kind, "¿Qué tanto recomendarías CLIA?"),
    )
    return survey, question


async def build(db: Database) -> Ids:
    m = {
        "m1": await _member(db, 1001, "Ana", "Flex", ("innovation",), "2026-08-10T15:00:00Z"),
        "m2": await _member(db, 1002, "Beto", "Continental", ("talent",), "2026-09-15T15:00:00Z"),
        "m3": await _member(
            db, 1003, "Carla", "Mextamp", ("innovation", "talent"), "2026-10-05T15:00:00Z"
        ),
        "m4": await _member(
            db,
            1004,
            "Diego",
            "SEDEC",
            ("innovation",),
            "2026-08-01T15:00:00Z",
            status="left",
            left_at="2026-10-15T15:00:00Z",
        ),
        "m5": await _member(
            db,
            1005,
            "Eva",
            "Universidad Panamericana",
            ("talent",),
            "2026-08-01T15:00:00Z",
            unreachable_since="2026-10-20T15:00:00Z",
        ),
        "m6": await _member(db, 1006, "Fito", "Flex", ("talent",), "2026-10-01T05:00:00Z"),
    }
    await f.add_member(db, 1007, full_name="Gus", status="pending")
    staff = {"role": "admin"}
    m["laura"] = await _member(
        db, 900, "Laura", "SEDEC", ("innovation", "talent"), "2026-11-01T12:00:00Z", **staff
    )
    m["carlos"] = await _member(
        db, 901, "Carlos", "Continental", ("talent",), "2026-11-01T12:00:00Z", role="coordinator"
    )
    await db.execute(
        "INSERT INTO coordinator_axes (member_id, axis_id) VALUES (?, ?)",
        (m["carlos"], await f.axis_id(db, "talent")),
    )
    m["mario"] = await _member(db, 902, "Mario", "Flex", ("talent",), "2026-11-01T12:00:00Z")

    g1 = await db.execute(
        "INSERT INTO working_groups (axis_id, name, created_at) VALUES (?, 'Talento dual', ?)",
        (await f.axis_id(db, "talent"), "2026-09-01T12:00:00Z"),
    )
    await db.execute(
        "INSERT INTO working_groups (axis_id, name, created_at) VALUES (?, 'Industria 4.0', ?)",
        (await f.axis_id(db, "innovation"), "2026-10-02T12:00:00Z"),
    )
    for member, joined in (("m2", "2026-09-20T12:00:00Z"), ("m5", "2026-10-03T12:00:00Z")):
        await db.execute(
            "INSERT INTO working_group_members (group_id, member_id, joined_at) VALUES (?, ?, ?)",
            (g1, m[member], joined),
        )

    e = {
        "e1": await _event(db, "event", "innovation", "Foro de innovación", "2026-10-10T18:00:00Z"),
        "e2": await _event(db, "event", "talent", "Feria sin asistentes", "2026-10-20T18:00:00Z"),
        "e3": await _event(
            db, "meeting", "talent", "Reunión Talento dual", "2026-10-22T18:00:00Z", group=g1
        ),
        "e4": await _event(
            db, "event", "innovation", "Cancelado", "2026-10-15T18:00:00Z", status="cancelled"
        ),
        "e5": await _event(
            db, "event", "innovation", "Taller de septiembre", "2026-09-12T18:00:00Z"
        ),
    }
    rsvps = (
        ("e1", "m1", "going"),
        ("e1", "m3", "going"),
        ("e1", "m4", "maybe"),
        ("e1", "m2", "declined"),
        ("e2", "m2", "declined"),
        ("e3", "m2", "going"),
        ("e3", "m5", "going"),
        ("e4", "m1", "going"),
        ("e5", "m1", "going"),
        ("e5", "m4", "going"),
    )
    for event, member, answer in rsvps:
        await db.execute(
            "INSERT INTO rsvps (event_id, member_id, answer, answered_at) VALUES (?, ?, ?, ?)",
            (e[event], m[member], answer, "2026-09-01T12:00:00Z"),
        )
    for event, member in (("e1", "m1"), ("e1", "m5"), ("e3", "m2"), ("e3", "m5"), ("e5", "m4")):
        await db.execute(
            "INSERT INTO attendance (event_id, member_id, checked_in_at, method)"
            " VALUES (?, ?, '2026-09-01T12:00:00Z', 'manual')",
            (e[event], m[member]),
        )

    talent = await f.axis_id(db, "talent")
    s1, q1 = await _survey(db, "Pulso", "2026-10-05T12:00:00Z", {"kind": "everyone"}, "nps")
    s2, _q2 = await _survey(
        db, "Talento", "2026-10-12T12:00:00Z", {"kind": "axes", "ids": [talent]}, "scale"
    )
    s3, q3 = await _survey(db, "Septiembre", "2026-09-10T12:00:00Z", {"kind": "everyone"}, "nps")
    participation = (
        (s1, "m1", "2026-10-06"),
        (s1, "m2", "2026-10-07"),
        (s1, "m3", None),
        (s1, "m5", None),
        (s2, "m2", None),
        (s2, "m5", "2026-10-13"),
        (s2, "m6", None),
        (s3, "m1", None),
        (s3, "m4", "2026-09-11"),
    )
    for survey, member, completed in participation:
        await db.execute(
            "INSERT INTO survey_participation (survey_id, member_id, invited_at, completed_on)"
            " VALUES (?, ?, '2026-09-01T12:00:00Z', ?)",
            (survey, m[member], completed),
        )
    for survey, question, member, value, complete in (
        (s1, q1, "m1", 10, 1),
        (s1, q1, "m2", 5, 1),
        (s1, q1, "m3", 9, 0),
        (s3, q3, "m4", 9, 1),
    ):
        response = await db.execute(
            "INSERT INTO survey_responses (survey_id, member_id, complete) VALUES (?, ?, ?)",
            (survey, m[member], complete),
        )
        await db.execute(
            "INSERT INTO survey_answers (response_id, question_id, value_number) VALUES (?, ?, ?)",
            (response, question, value),
        )

    b1 = await db.execute(
        "INSERT INTO broadcasts (kind, text, status, created_at) VALUES"
        " ('announcement', 'Aviso', 'done', '2026-10-08T12:00:00Z')"
    )
    b2 = await db.execute(
        "INSERT INTO broadcasts (kind, text, status, event_id, created_at) VALUES"
        " ('event_announcement', 'Feria', 'done', ?, '2026-10-18T12:00:00Z')",
        (e["e2"],),
    )
    for broadcast, member, status in (
        (b1, "m1", "sent"),
        (b1, "m2", "sent"),
        (b1, "m3", "unreachable"),
        (b1, "m5", "failed"),
        (b1, "m6", "skipped"),
        (b2, "m2", "sent"),
        (b2, "m5", "sent"),
    ):
        await db.execute(
            "INSERT INTO deliveries (broadcast_id, member_id, chat_id, status) VALUES (?, ?, ?, ?)",
            (broadcast, m[member], 1, status),
        )
    return Ids(m, e, {"s1": s1, "s2": s2, "s3": s3})
