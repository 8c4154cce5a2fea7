"""Privacy rights from the chat: the notice, access (/mydata) and cancellation (/forget)."""

from __future__ import annotations

import json

from tests.factories import add_group, add_member, join_group
from tests.flows import sign_up_until_summary
from tests.harness import Harness


async def test_privacy_notice_for_anyone(harness: Harness) -> None:
    replies = await harness.person().send("/privacy")
    assert "Aviso de privacidad del bot de miembros de CLIA (versión 2026-11)" in replies.text
    assert "/mydata" in replies.text and "/forget" in replies.text


async def test_mydata_sends_everything_as_json(harness: Harness) -> None:
    member = await add_member(
        harness.db, 1001, full_name="Ana López", email="ana@flex.com", axes=("talent",)
    )
    group = await add_group(harness.db, "Electromovilidad")
    await join_group(harness.db, group, member)
    await harness.db.execute(
        "INSERT INTO organizations (name, sector, added_by, confirmed)"
        " VALUES ('Taller López', 'supplier', ?, 0)",
        (member,),
    )
    replies = await harness.person().send("/mydata")
    assert "Tus datos en CLIA" in replies.text and "ana@flex.com" in replies.text
    document = replies.last
    assert document.method == "sendDocument"
    name, content = document.files["document"]
    assert name == "my-clia-data.json"
    data = json.loads(content)
    assert data["full_name"] == "Ana López"
    assert data["email"] == "ana@flex.com"
    assert data["organization"] == {"name": "Flex", "sector": "tier1"}
    assert data["axes"] == [{"axis_id": 2, "code": "talent", "muted": False}]
    assert data["working_groups"][0]["name"] == "Electromovilidad"
    assert data["consent"]["version"] == "1"
    assert data["organizations_you_added"] == [
        {"name": "Taller López", "sector": "supplier", "confirmed": 0}
    ]
    assert data["survey_participation"] == [] and data["coordinator_of_axes"] == []


async def _every_value(harness: Harness) -> list[str]:
    """Every value of every row of every table, as text."""
    tables = await harness.db.fetchall(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    values = []
    for (table,) in tables:
        for row in await harness.db.fetchall(f"SELECT * FROM {table}"):  # noqa: S608
            values.extend(str(v) for v in row if v is not None)
    return values


async def test_forget_leaves_no_personal_data_anywhere(harness: Harness) -> None:
    ana = harness.person(user_id=4242, first_name="Ana", last_name="López")
    await sign_up_until_summary(ana)
    await ana.tap("✅ Confirmar y enviar")
    await harness.person(user_id=900).tap("✅ Aprobar")
    member = await harness.db.fetchval("SELECT id FROM members WHERE telegram_user_id = 4242")
    group = await add_group(harness.db, "Talento 4.0")
    await join_group(harness.db, group, member)
    await harness.db.execute(
        "INSERT INTO events (kind, axis_id, title, starts_at, ends_at, status)"
        " VALUES ('event', 1, 'Foro', '2026-12-01T16:00:00Z', '2026-12-01T18:00:00Z', 'published')"
    )
    await harness.db.execute(
        "INSERT INTO rsvps (event_id, member_id, answer, answered_at)"
        " VALUES (1, ?, 'going', '2026-11-24T16:00:00Z')",
        (member,),
    )
    await harness.db.execute("INSERT INTO surveys (title, status) VALUES ('Pulso', 'open')")
    await harness.db.execute(
        "INSERT INTO survey_questions (survey_id, position, kind, text) VALUES (1, 1, 'text', '?')"
    )
    response = await harness.db.execute(
        "INSERT INTO survey_responses (survey_id, member_id, complete) VALUES (1, ?, 1)", (member,)
    )
    await harness.db.execute(  # a named free-text answer can say who wrote it
        "INSERT INTO survey_answers (response_id, question_id, value_text)"
        " VALUES (?, 1, 'Soy Ana, de calidad en Continental')",
        (response,),
    )
    await harness.db.execute(  # a name she typed at sign-up that nobody approved
        "INSERT INTO organizations (name, sector, added_by, confirmed)"
        " VALUES ('Consultoría Ana López', 'other', ?, 0)",
        (member,),
    )
    other = await add_member(harness.db, 5555, full_name="Otro Aspirante", status="pending")
    await harness.db.execute(  # a copy of someone else's application in her chat (as staff)
        "INSERT INTO application_notices (member_id, chat_id, message_id) VALUES (?, 4242, 9)",
        (other,),
    )
    secrets = ("Ana López", "ana.lopez@continental.com", "+524491234567", "4242", "Soy Ana")

    replies = await ana.send("/forget")
    assert "¿Borrar tus datos personales?" in replies.text
    replies = await ana.tap("No, consérvalos")
    assert "no se borró nada" in replies.text
    await ana.send("/forget")
    replies = await ana.tap("🗑 Sí, borrar mis datos")
    assert "Tus datos personales fueron borrados." in replies.text
    assert replies.last.markup == {"remove_keyboard": True}
    assert any(c.method == "deleteMyCommands" for c in replies.calls)  # no staff menu left

    everything = await _every_value(harness)
    for secret in secrets:
        assert not [v for v in everything if secret in v], secret
    assert (
        await harness.db.fetchval(
            "SELECT count(*) FROM audit_log WHERE action = 'member_forgotten' AND actor_id IS NULL"
        )
        == 1
    )

    replies = await ana.send("/start")  # free to come back
    assert "¡Bienvenido(a) a CLIA" in replies.text


async def test_forget_in_the_middle_of_the_form_asks_to_cancel_first(harness: Harness) -> None:
    ana = harness.person()
    await ana.send("/start")
    await ana.tap("✓ Español")
    replies = await ana.send("/forget")
    assert "Envía /cancel primero" in replies.text


async def test_an_applicant_who_forgets_leaves_no_copy_with_coordinators(harness: Harness) -> None:
    ana = harness.person(user_id=4242, first_name="Ana", last_name="López")
    await sign_up_until_summary(ana)
    await ana.tap("✅ Confirmar y enviar")  # the admin (900) gets her application
    await ana.send("/forget")
    replies = await ana.tap("🗑 Sí, borrar mis datos")
    copy = next(c for c in replies.messages if c.chat_id == 900)
    assert copy.method == "editMessageText"
    assert copy.text == "🗑 Esta persona borró sus datos; no hay nada que decidir."
    assert await harness.db.fetchval("SELECT count(*) FROM application_notices") == 0
