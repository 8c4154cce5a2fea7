"""Launching and closing a survey act once: a double tap, a second coordinator or an old button
is told what already happened; the database decides."""

from __future__ import annotations

from tests.factories import add_member
from tests.harness import Harness, Person

COORDINATOR = 800
APOLOGY = "Perdón, algo falló"
SURVEY = """
title: Pulso
closes: 30/11/2026 18:00
audience: everyone
questions:
  - type: yesno
    text: ¿Vendrías al foro?
  - type: scale
    text: ¿Qué tan útil fue el taller?
"""


async def _coordinator(harness: Harness, user_id: int = COORDINATOR) -> Person:
    await add_member(harness.db, user_id, full_name="Cora Coord", role="coordinator")
    return harness.person(user_id=user_id, first_name="Cora")


async def _preview(harness: Harness, cora: Person) -> None:
    file_id = f"doc-{len(harness.api.uploaded) + 1}"
    harness.api.uploaded[file_id] = SURVEY.encode()
    document = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": "pulso.yaml"}
    await harness.feed({"message": cora._message(document=document)})


async def _count(harness: Harness, sql: str) -> int:
    return int(await harness.db.fetchval(sql))


async def test_a_double_tap_on_launch_launches_and_invites_once(harness: Harness) -> None:
    await add_member(harness.db, 101)
    cora = await _coordinator(harness)
    await _preview(harness, cora)
    launch = cora.tap_update("🚀 Lanzar")["callback_query"]
    replies = await cora.double_tap("🚀 Lanzar")
    assert replies.alerts == ["", "Esta encuesta ya se lanzó como encuesta #1."]
    assert APOLOGY not in replies.text
    assert await _count(harness, "SELECT count(*) FROM surveys") == 1
    assert (
        await _count(harness, "SELECT count(*) FROM audit_log WHERE action = 'survey.launch'") == 1
    )
    assert await _count(harness, "SELECT count(*) FROM broadcasts") == 1
    delivered = await harness.drain()
    assert sorted(c.chat_id for c in delivered.messages) == [101, COORDINATOR]  # once each

    # The old preview's buttons later, in a new form: what they did, not "an earlier step".
    await cora.send("/newsurvey")
    replies = await cora.tap_data(launch["data"], launch["message"])
    assert replies.alerts == ["Esta encuesta ya se lanzó como encuesta #1."]


async def _open_survey(harness: Harness, cora: Person) -> int:
    await _preview(harness, cora)
    await cora.tap("🚀 Lanzar")
    return int(await harness.db.fetchval("SELECT max(id) FROM surveys"))


async def test_a_double_tap_on_close_closes_once(harness: Harness) -> None:
    cora = await _coordinator(harness)
    survey_id = await _open_survey(harness, cora)
    await cora.send(f"/results {survey_id}")
    await cora.tap("🔒 Cerrar ahora")
    replies = await cora.double_tap("🔒 Sí, cerrarla")
    assert replies.alerts == ["", f"La encuesta #{survey_id} ya está cerrada."]
    assert APOLOGY not in replies.text
    assert (
        await _count(harness, "SELECT count(*) FROM audit_log WHERE action = 'survey.close'") == 1
    )


async def test_two_coordinators_closing_at_once_close_once(harness: Harness) -> None:
    cora = await _coordinator(harness)
    survey_id = await _open_survey(harness, cora)
    carlos = await _coordinator(harness, 801)
    for person in (cora, carlos):
        await person.send(f"/results {survey_id}")
        await person.tap("🔒 Cerrar ahora")
    replies = await harness.feed_all(
        [cora.tap_update("🔒 Sí, cerrarla"), carlos.tap_update("🔒 Sí, cerrarla")]
    )
    assert sorted(replies.alerts) == ["", f"La encuesta #{survey_id} ya está cerrada."]
    assert (
        await _count(harness, "SELECT count(*) FROM audit_log WHERE action = 'survey.close'") == 1
    )
    assert await harness.db.fetchval("SELECT status FROM surveys") == "closed"
