"""Every staff command and acting button, tried by every role: who is refused, and that a
refusal changes nothing. New commands join the matrix through bot.commands.COMMANDS; acting
buttons are listed here (events, surveys, broadcasts, roles, applications, sourcing requests)."""

from __future__ import annotations

import pytest

from bot.commands import COMMANDS
from bot.roles import Role, at_least
from tests.factories import add_member, axis_id
from tests.harness import Harness

# user id → role, as the bot sees them (900 is in ADMIN_IDS).
PERSONAS: dict[str, tuple[int, Role]] = {
    "stranger": (7001, "stranger"),
    "pending": (7002, "applicant"),
    "member": (7003, "member"),
    "scoped coordinator": (7004, "coordinator"),
    "coordinator": (7005, "coordinator"),
    "admin": (900, "admin"),
}
REFUSALS = {
    "coordinator": "⛔ Solo los coordinadores del clúster pueden hacer esto.",
    "admin": "⛔ Solo los administradores pueden hacer esto.",
}
STAFF_COMMANDS = [c for c in COMMANDS if c.role in ("coordinator", "admin")]


async def _setup(harness: Harness) -> dict[str, int]:
    db = harness.db
    ids = {
        "pending": await add_member(db, 7002, full_name="Pat Pendiente", status="pending"),
        "member": await add_member(db, 7003, full_name="Memo Miembro"),
        "scoped coordinator": await add_member(
            db, 7004, full_name="Sara Scoped", role="coordinator"
        ),
        "coordinator": await add_member(db, 7005, full_name="Cora Coord", role="coordinator"),
    }
    await db.execute(
        "INSERT INTO coordinator_axes (member_id, axis_id) VALUES (?, ?)",
        (ids["scoped coordinator"], await axis_id(db, "talent")),
    )
    # Real things for the buttons to act on, so that "a refusal changes nothing" means
    # something: an Innovation event happening now with an answer, an Innovation working
    # group, a survey for everyone, and a scheduled announcement by the (unlimited)
    # coordinator.
    innovation = await axis_id(db, "innovation")
    await db.execute(
        "INSERT INTO events (id, kind, axis_id, title, starts_at, ends_at, status, capacity,"
        " checkin_token) VALUES (1, 'event', ?, 'Foro', '2026-11-24T17:00:00Z',"
        " '2026-11-24T19:00:00Z', 'published', 10, 'tok12345')",
        (innovation,),
    )
    await db.execute(
        "INSERT INTO working_groups (id, axis_id, name) VALUES (1, ?, 'Electromovilidad')",
        (innovation,),
    )
    await db.execute(
        "INSERT INTO rsvps (event_id, member_id, answer, answered_at)"
        " VALUES (1, ?, 'going', '2026-11-24T10:00:00Z')",
        (ids["member"],),
    )
    await db.execute(
        "INSERT INTO surveys (id, title, status, opened_at, closes_at)"
        " VALUES (1, 'Pulso', 'open', '2026-11-24T10:00:00Z', '2026-11-30T10:00:00Z')"
    )
    await db.execute(
        "INSERT INTO survey_questions (survey_id, position, kind, text) VALUES (1, 1, 'yesno', '?')"
    )
    await db.execute(
        "INSERT INTO broadcasts (id, kind, created_by, text, audience, status, created_at,"
        " scheduled_for) VALUES (1, 'announcement', ?, 'Aviso', '{\"kind\":\"everyone\"}',"
        " 'scheduled', '2026-11-24T10:00:00Z', '2026-11-30T10:00:00Z')",
        (ids["coordinator"],),
    )
    # A member's sourcing request waiting for approval (admins and coordinators of the
    # SOURCING_AXES decide; Talent is not one of them).
    await db.execute(
        "INSERT INTO sourcing_requests (id, buyer_id, title, description, deadline_at,"
        " anonymous, requested_at) VALUES (1, ?, 'Arneses', 'Arnés de 48 vías',"
        " '2026-12-01T00:00:00Z', 0, '2026-11-24T10:00:00Z')",
        (ids["member"],),
    )
    await db.execute(
        "INSERT INTO sourcing_request_processes (request_id, process_id)"
        " SELECT 1, id FROM supplier_processes WHERE code = 'harnesses'"
    )
    return ids


async def _snapshot(harness: Harness) -> dict[str, list[tuple[object, ...]]]:
    tables = await harness.db.fetchall(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {
        name: [tuple(r) for r in await harness.db.fetchall(f"SELECT * FROM {name}")]  # noqa: S608
        for (name,) in tables
    }


def _buttons(ids: dict[str, int]) -> list[tuple[str, Role]]:
    """Acting buttons with data a real message would carry, and the role each needs."""
    pending, member = ids["pending"], ids["member"]
    return [
        (f"ap:{pending}:ok", "coordinator"),
        (f"ap:{pending}:no", "coordinator"),
        ("mb:a:0:-:0:0", "coordinator"),
        ("iv:1", "coordinator"),
        (f"rl:p:{member}", "admin"),
        (f"rl:c:{member}:a:0", "admin"),
        (f"rl:ok:{member}:a:0", "admin"),
        (f"rl:ok:{ids['coordinator']}:m:0", "admin"),
        ("rl:csv", "admin"),
        ("bl:p:0", "coordinator"),
        ("bl:csv:1", "coordinator"),
        ("bl:x:1", "coordinator"),
        ("ev:1:rs", "coordinator"),
        ("ev:1:pl", "coordinator"),
        ("ev:1:cx", "coordinator"),
        ("ev:1:ed", "coordinator"),
        ("ev:1:at", "coordinator"),
        ("ev:1:qr", "coordinator"),
        (f"ev:1:mk{member}", "coordinator"),
        (f"ev:1:mk{member}p0", "coordinator"),
        (f"ev:1:un{member}p0", "coordinator"),
        ("ev:1:ck0", "coordinator"),
        ("ev:1:cp1", "coordinator"),
        ("sa:csv:1", "coordinator"),
        ("sa:wide:1", "coordinator"),
        ("sa:xlsx:1", "coordinator"),
        ("sa:rem:1", "coordinator"),
        ("sa:remat:1", "coordinator"),
        ("sa:close:1", "coordinator"),
        ("sa:closeok:1", "coordinator"),
        ("sa:res:1", "coordinator"),
        # The forms' confirming buttons, tapped with no form open (a replay, a forgery).
        ("ef:pub:AAAAAAAA", "coordinator"),
        ("ef:cx:1", "coordinator"),
        ("bc:send:AAAAAAAA", "coordinator"),
        ("bc:when:AAAAAAAA", "coordinator"),
        ("wg:1:ren", "coordinator"),
        ("wg:1:arc", "coordinator"),
        ("wg:1:arcn", "coordinator"),
        ("wg:1:arcy", "coordinator"),
        ("sp:q", "coordinator"),
        ("sp:1:no", "coordinator"),
        ("sp:1:ok", "coordinator"),
    ]


@pytest.mark.parametrize("persona", list(PERSONAS))
async def test_staff_commands_by_role(harness: Harness, persona: str) -> None:
    await _setup(harness)
    user_id, role = PERSONAS[persona]
    person = harness.person(user_id=user_id, first_name="Tester")
    for spec in STAFF_COMMANDS:
        before = await _snapshot(harness)
        replies = await person.send(f"/{spec.name} Memo")
        if at_least(role, spec.role):
            assert replies.messages, f"/{spec.name} gave {persona} no answer"
            assert REFUSALS[spec.role] not in replies.text, f"/{spec.name} refused to {persona}"
        else:
            assert replies.texts == [REFUSALS[spec.role]], (spec.name, persona, replies.texts)
            assert await _snapshot(harness) == before, f"/{spec.name} by {persona} changed data"


@pytest.mark.parametrize("persona", list(PERSONAS))
async def test_acting_buttons_by_role(harness: Harness, persona: str) -> None:
    ids = await _setup(harness)
    user_id, role = PERSONAS[persona]
    person = harness.person(user_id=user_id, first_name="Tester")
    await person.send("/help")  # a message of the bot to hang the buttons on
    for data, needed in _buttons(ids):
        before = await _snapshot(harness)
        replies = await person.tap_data(data)
        if not at_least(role, needed):
            assert replies.alerts == [REFUSALS[needed]], (data, persona, replies.alerts)
            assert replies.messages == []
            assert await _snapshot(harness) == before, f"{data} by {persona} changed data"
        else:
            assert REFUSALS[needed] not in replies.alerts, (data, persona)


async def test_a_coordinator_of_another_axis_is_refused_on_what_is_not_theirs(
    harness: Harness,
) -> None:
    """Talent's coordinator, on an Innovation event and working group, a survey for everyone
    and someone else's announcement: every acting button is refused with the axis message and
    changes nothing. She reads the results of the survey for everyone (and exports them),
    like every survey of the whole cluster, but does not remind or close it."""
    ids = await _setup(harness)
    sara = harness.person(user_id=7004, first_name="Sara")
    await sara.send("/help")
    reading = ("sa:res:1", "sa:csv:1", "sa:wide:1", "sa:xlsx:1")
    for data in reading:
        replies = await sara.tap_data(data)
        assert not any(a.startswith("⛔") for a in replies.alerts), (data, replies.alerts)
        assert replies.messages, data
    scoped = [
        d
        for d, _needed in _buttons(ids)
        if d.startswith(("ev:1:", "sa:", "bl:x", "bl:csv", "wg:1:", "sp:")) and d not in reading
    ]
    assert len(scoped) > 20
    for data in scoped:
        before = await _snapshot(harness)
        replies = await sara.tap_data(data)
        assert replies.alerts and replies.alerts[0].startswith("⛔"), (data, replies.alerts)
        assert replies.messages == [], data
        assert await _snapshot(harness) == before, f"{data} by a Talent coordinator changed data"
