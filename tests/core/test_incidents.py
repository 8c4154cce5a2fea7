"""A bad minute at Telegram: one call in ten fails (502, a timeout after Telegram carried the
call out, a refused connection; seeded, so every run is the same). Twenty people signing up
at once, a survey and an RSVP burst all complete without anyone repeating a step, no
traceback is logged, and a broadcast ends with exact figures."""

from __future__ import annotations

import logging
from collections import Counter

import pytest

from tests.factories import add_member
from tests.harness import Harness, Person

SHARE = 0.1
SEED = 2026
COORDINATOR = 800
NOTICE_ES = "⚠️ Telegram está teniendo problemas"


def _no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def _questions_sent_twice(harness: Harness, person: Person) -> list[str]:
    """What the bot asked this person more than once (its notices about Telegram aside)."""
    asked = Counter(
        c.text
        for c in harness.api.calls
        if c.ok and c.method == "sendMessage" and c.chat_id == person.id
    )
    return [text for text, n in asked.items() if n > 1 and not text.startswith(NOTICE_ES)]


async def _all(harness: Harness, people: list[Person], action: str, value: str) -> None:
    """Everyone does the same step at the same moment, as updates arrive from Telegram."""
    if action == "tap":
        updates = [p.tap_update(value) for p in people]
    else:
        updates = [p.text_update(value.format(n=p.id)) for p in people]
    await harness.feed_all(updates)


async def test_twenty_sign_ups_at_once_through_a_bad_minute(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    harness.api.unreliable(SHARE, seed=SEED)
    people = [
        harness.person(user_id=2000 + i, first_name=f"Persona{i}", last_name="Prueba")
        for i in range(20)
    ]
    await _all(harness, people, "send", "/start")
    await _all(harness, people, "tap", "✓ Español")
    await _all(harness, people, "tap", "✅ Acepto")
    await harness.feed_all([p.tap_update(f"✅ {p.user['first_name']} Prueba") for p in people])
    await _all(harness, people, "tap", "Continental")
    await _all(harness, people, "send", "Ingeniera de Calidad")
    await _all(harness, people, "send", "p{n}@continental.com")
    await _all(harness, people, "send", "Omitir")
    await _all(harness, people, "tap", "💡 Innovación")
    await _all(harness, people, "tap", "Continuar ▶️")
    await _all(harness, people, "tap", "✅ Confirmar y enviar")

    rows = await harness.db.fetchall(
        "SELECT telegram_user_id, status, job_title, email FROM members"
        " WHERE telegram_user_id >= 2000 ORDER BY telegram_user_id"
    )
    assert [tuple(r) for r in rows] == [
        (p.id, "pending", "Ingeniera de Calidad", f"p{p.id}@continental.com") for p in people
    ]
    for person in people:
        assert _questions_sent_twice(harness, person) == []
    failed = harness.api.injected
    assert failed["502"] >= 10 and failed["timeout"] >= 10 and failed["connection"] >= 10
    _no_traceback(caplog)


async def _survey(harness: Harness, people: list[Person]) -> int:
    await add_member(harness.db, COORDINATOR, full_name="Cora Coord", role="coordinator")
    for person in people:
        await add_member(harness.db, person.id, full_name=str(person.user["first_name"]))
    content = (
        "title: Pulso rápido\nintro: Tres preguntas.\ncloses: 30/11/2026 18:00\n"
        "audience: everyone\nanonymous: false\nquestions:\n"
        "  - type: single\n    text: ¿Tu empresa tiene becarios?\n    options: [Sí, No]\n"
        "  - type: scale\n    text: ¿Qué tan útil fue el último taller?\n"
        "  - type: yesno\n    text: ¿Vendrías al foro?\n"
    )
    harness.api.uploaded["doc-1"] = content.encode()
    cora = harness.person(user_id=COORDINATOR, first_name="Cora")
    document = {"file_id": "doc-1", "file_unique_id": "u1", "file_name": "pulso.yaml"}
    await harness.feed({"message": cora._message(document=document)})
    await cora.tap("🚀 Lanzar")
    await harness.drain()
    return int(await harness.db.fetchval("SELECT max(id) FROM surveys"))


async def test_a_survey_burst_through_a_bad_minute(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    people = [harness.person(user_id=3000 + i, first_name=f"Socio{i}") for i in range(20)]
    survey_id = await _survey(harness, people)
    harness.api.unreliable(SHARE, seed=SEED)
    await _all(harness, people, "tap", "▶️ Empezar")
    await _all(harness, people, "tap", "Sí")
    await _all(harness, people, "tap", "4")
    await _all(harness, people, "tap", "Sí")
    done = await harness.db.fetchval(
        "SELECT count(*) FROM survey_participation WHERE survey_id = ? AND completed_on IS NOT"
        " NULL",
        (survey_id,),
    )
    assert done == 20
    answers = await harness.db.fetchval(
        "SELECT count(*) FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id"
        " WHERE r.survey_id = ?",
        (survey_id,),
    )
    assert answers == 60
    assert sum(harness.api.injected.values()) >= 10
    _no_traceback(caplog)


async def test_an_rsvp_burst_through_a_bad_minute(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await add_member(
        harness.db, COORDINATOR, full_name="Cora Coord", role="coordinator", axes=("innovation",)
    )
    people = [harness.person(user_id=4000 + i, first_name=f"Asistente{i}") for i in range(20)]
    for person in people:
        await add_member(harness.db, person.id, full_name=str(person.user["first_name"]))
    cora = harness.person(user_id=COORDINATOR, first_name="Cora")
    await cora.send("/newevent")
    await cora.tap("💡 Innovación")
    await cora.tap("📅 Un evento del clúster")
    await cora.send("Foro de innovación abierta")
    await cora.send("Casos de éxito de proveedores locales")
    await cora.send("28/11/2026 18:00")
    await cora.tap("2 h")
    await cora.send("Sede CLIA")
    await cora.tap("Sin límite")
    await cora.tap("📣 Publicar")
    await harness.drain()
    harness.api.unreliable(SHARE, seed=SEED)
    await _all(harness, people, "tap", "✅ Asistiré")
    going = await harness.db.fetchval("SELECT count(*) FROM rsvps WHERE answer = 'going'")
    assert going == 20
    assert sum(harness.api.injected.values()) >= 3
    _no_traceback(caplog)


async def test_a_broadcast_through_a_bad_minute_ends_with_exact_figures(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await add_member(harness.db, COORDINATOR, full_name="Cora Coord", role="coordinator")
    chats = list(range(5000, 5200))
    for chat in chats:
        await add_member(harness.db, chat, full_name=f"M{chat}")
    blocked = {5003, 5140}
    for chat in blocked:
        harness.api.block(chat)
    cora = harness.person(user_id=COORDINATOR, first_name="Cora")
    await cora.send("/broadcast")
    await cora.send("Corte de agua en el parque industrial")
    await cora.tap("🌐 Todos los miembros")
    await cora.tap("📤 Enviar ahora")
    harness.api.unreliable(SHARE, seed=SEED)
    await harness.drain()

    rows = await harness.db.fetchall(
        "SELECT d.chat_id, d.status, d.telegram_message_id, d.last_error FROM deliveries d"
    )
    status = {r["chat_id"]: r["status"] for r in rows}
    assert set(status) == set(chats) | {COORDINATOR}
    assert "pending" not in status.values()
    assert {c for c, s in status.items() if s == "unreachable"} == blocked
    answered = {  # what Telegram confirmed: the message ids the bot got back, per chat
        c.chat_id: c
        for c in harness.api.calls
        if c.method == "sendMessage" and c.ok and c.answered and c.chat_id in status
    }
    for row in rows:
        if row["status"] == "sent":  # marked sent only with the message Telegram returned
            stored = harness.api.messages[(row["chat_id"], row["telegram_message_id"])]
            assert stored["text"] == "Corte de agua en el parque industrial"
            assert row["chat_id"] in answered
        elif row["status"] == "failed":  # Telegram carried it out but never confirmed it
            assert row["last_error"].startswith("unconfirmed")
            assert row["chat_id"] not in answered
    sent = sum(1 for s in status.values() if s == "sent")
    failed = sum(1 for s in status.values() if s == "failed")
    assert failed >= 1 and sent + failed + len(blocked) == len(status)
    report = [m["text"] for m in cora.inbox() if "Enviados:" in m.get("text", "")][-1]
    assert "terminado" in report  # the coordinator's status message, edited to the end
    assert f"Enviados: {sent}" in report and f"Fallidos: {failed}" in report
    assert f"Inalcanzables (bloquearon el bot): {len(blocked)}" in report
    assert "Pendientes: 0" in report
    assert harness.api.injected["502"] >= 3 and harness.api.injected["connection"] >= 3
    _no_traceback(caplog)
