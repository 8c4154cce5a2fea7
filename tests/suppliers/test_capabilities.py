"""/capabilities: a member edits the organization's profile with toggles and typed fields;
every change is stored at once and audited; the organization's other members are told (at
Done, or by the job when the editor leaves without it); bad input and forged buttons."""

from __future__ import annotations

import json

from bot.context import Ctx
from tests.factories import add_member
from tests.harness import Harness


async def _job(harness: Harness) -> None:
    assert harness.app is not None and harness.app.job_queue is not None
    job = harness.app.job_queue.get_jobs_by_name("supplier-development")[0]
    await job.callback(Ctx.from_job(job, harness.app))  # type: ignore[arg-type]


async def test_editing_a_profile_with_toggles_and_fields(harness: Harness) -> None:
    db = harness.db
    diego_id = await add_member(db, 3003, full_name="Diego Navarro", organization="AP Controles")
    await add_member(db, 3013, full_name="Ana Apc", organization="AP Controles", language="en")
    diego = harness.person(3003, "Diego")
    replies = await diego.send("/capabilities")
    assert "AP Controles aún no tiene perfil de capacidades." in replies.text
    assert replies.last.button_labels == [
        "⚙️ Procesos",
        "📜 Certificaciones",
        "📝 Descripción",
        "📦 Capacidad",
        "📍 Ciudad",
        "✅ Listo",
    ]
    replies = await diego.tap("⚙️ Procesos")
    assert "Procesos de AP Controles" in replies.text
    assert len(replies.last.button_labels) == 19  # 18 processes and Back
    replies = await diego.tap("Automatización y control")
    assert replies.alerts == ["Guardado."]
    assert "✓ Automatización y control" in replies.last.button_labels
    await diego.tap("Electrónica / ensamble de PCB")
    await diego.tap("Soldadura")
    await diego.tap("✓ Soldadura")
    await diego.tap("◀️ Regresar")
    await diego.tap("📜 Certificaciones")
    await diego.tap("ISO 9001")
    replies = await diego.tap("◀️ Regresar")
    assert "⚙️ Procesos: Electrónica / ensamble de PCB, Automatización y control" in replies.text
    assert "📜 Certificaciones: ISO 9001" in replies.text

    replies = await diego.tap("📝 Descripción")
    assert "Describe a AP Controles" in replies.text
    replies = await diego.send("d" * 1001)
    assert replies.texts == ["Es demasiado largo: máximo 1000 caracteres (el tuyo tiene 1001)."]
    await diego.send("Tableros de control & automatización <PLC> para líneas de ensamble.")
    await diego.tap("📍 Ciudad")
    assert "Escríbelo con letras" in (await diego.send("...")).text
    replies = await diego.send("Aguascalientes")
    assert "📍 Ciudad: Aguascalientes" in replies.text
    assert "Tableros de control & automatización <PLC>" in replies.text
    await diego.tap("📦 Capacidad")
    await diego.send("400 tableros al mes")
    replies = await diego.tap("✅ Listo")
    assert "Guardado. Se avisa a 1 colega de AP Controles." in replies.text
    assert replies.last.button_labels == []

    profile = await db.fetchone("SELECT processes, certifications, city FROM v_capability_profiles")
    assert tuple(profile) == (
        "Electronics / PCB assembly; Automation and controls",
        "ISO 9001",
        "Aguascalientes",
    )
    audit = await db.fetchall(
        "SELECT actor_id, target_kind, details FROM audit_log WHERE action = 'capabilities.edit'"
        " ORDER BY id"
    )
    assert {(r[0], r[1]) for r in audit} == {(diego_id, "organization")}
    assert [json.loads(r[2]).get("code") for r in audit][:4] == [
        "automation",
        "electronics",
        "welding",
        "welding",
    ]
    assert json.loads(audit[-1][2]) == {"change": "monthly_capacity"}
    sent = await harness.drain()
    assert [c.chat_id for c in sent.messages] == [3013]  # not Diego himself
    told = sent.messages[0]
    assert told.text.startswith("🏭 Diego Navarro updated the capability profile of AP Controles:")
    assert "processes" in told.text and "city" in told.text
    assert told.button_labels == ["🏭 See the profile"]
    # Done again with nothing new: nobody is told twice.
    await diego.send("/capabilities")
    replies = await diego.tap("✅ Listo")
    assert "Guardado; no cambió nada." in replies.text
    assert (await harness.drain()).messages == []


async def test_colleagues_are_told_by_the_job_when_the_editor_never_taps_done(
    harness: Harness,
) -> None:
    await add_member(harness.db, 3003, full_name="Diego Navarro", organization="AP Controles")
    await add_member(harness.db, 3013, full_name="Ana Apc", organization="AP Controles")
    diego = harness.person(3003, "Diego")
    await diego.send("/capabilities")
    await diego.tap("⚙️ Procesos")
    await diego.tap("Ensamble")
    await _job(harness)
    assert (await harness.drain()).messages == []  # still editing
    harness.clock.advance(minutes=6)
    await _job(harness)
    sent = await harness.drain()
    assert [c.chat_id for c in sent.messages] == [3013]
    assert "actualizó el perfil de capacidades de AP Controles: procesos." in sent.messages[0].text
    await _job(harness)
    assert (await harness.drain()).messages == []


async def test_only_members_edit_and_forged_items_change_nothing(harness: Harness) -> None:
    await add_member(harness.db, 3003, full_name="Diego Navarro", organization="AP Controles")
    await add_member(harness.db, 3020, full_name="Pedro Pendiente", status="pending")
    diego, pedro = harness.person(3003, "Diego"), harness.person(3020, "Pedro")
    await diego.send("/capabilities")
    replies = await diego.tap_data("cp:p:999")
    assert replies.alerts == ["Este botón ya caducó. Vuelve a empezar, por favor."]
    replies = await pedro.send("/capabilities")
    assert "Tu solicitud aún está en revisión" in replies.text
    replies = await pedro.tap_data("cp:p:1", harness.api.messages[(3003, 1)])
    assert replies.alerts and replies.alerts[0].startswith("⏳")
    assert await harness.db.fetchval("SELECT count(*) FROM capability_profiles") == 0
    assert await harness.db.fetchval("SELECT count(*) FROM audit_log") == 0


async def test_done_with_no_colleague_to_tell_just_says_saved(harness: Harness) -> None:
    await add_member(harness.db, 3003, full_name="Diego Navarro", organization="AP Controles")
    diego = harness.person(3003, "Diego")
    await diego.send("/capabilities")
    await diego.tap("⚙️ Procesos")
    await diego.tap("Soldadura")
    await diego.tap("◀️ Regresar")
    replies = await diego.tap("✅ Listo")
    assert replies.text.endswith("✅ Guardado.")
    assert "0 colegas" not in replies.text


HALF_ROW = 20  # columns of a label that fits half a phone's row (a CJK character counts two)


def _columns(label: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in label)


async def test_toggles_share_a_row_only_when_both_labels_fit_on_a_phone(harness: Harness) -> None:
    """Telegram's apps cut a button's label to one line: two long process names side by side
    lose their ends ("✓ Electrónica / ensamble …"). Short ones still pair up; ticking one
    (the ✓) never moves the buttons."""
    for user, language, opened in ((3003, "es", "⚙️ Procesos"), (3004, "de", "⚙️ Verfahren"),
                                   (3005, "ja", "⚙️ 工程")):
        await add_member(harness.db, user, organization="AP Controles", language=language)
        person = harness.person(user, "Diego")
        await person.send("/capabilities")
        replies = await person.tap(opened)
        rows = replies.last.markup["inline_keyboard"]
        assert any(len(row) == 2 for row in rows), language  # short names still pair up
        for row in rows:
            if len(row) == 2:
                assert all(_columns("✓ " + b["text"]) <= HALF_ROW for b in row), (language, row)
        first = rows[0][0]["text"]
        replies = await person.tap(first)
        ticked = replies.last.markup["inline_keyboard"]
        assert [len(row) for row in ticked] == [len(row) for row in rows], language
