"""Sending, scheduling and cancelling an announcement act once: a double tap, a second
coordinator, a replay after a restart or an old button is told what already happened; the
database decides."""

from __future__ import annotations

from tests.factories import add_member
from tests.harness import Harness, Person

COORDINATOR = 800
APOLOGY = "Perdón, algo falló"


async def _coordinator(harness: Harness, user_id: int = COORDINATOR) -> Person:
    await add_member(
        harness.db, user_id, full_name="Cora Coord", role="coordinator", axes=("leadership",)
    )
    return harness.person(user_id=user_id, first_name="Cora")


async def _preview(harness: Harness, cora: Person) -> None:
    await add_member(harness.db, 101, full_name="Ana")
    await add_member(harness.db, 102, full_name="Beto")
    await cora.send("/broadcast")
    await cora.send("Asamblea el jueves")
    await cora.tap("🎯 Miembros de ejes")
    await cora.tap("💡 Innovación")
    await cora.tap("Continuar ▶️")


async def _count(harness: Harness, sql: str) -> int:
    return int(await harness.db.fetchval(sql))


async def test_a_double_tap_on_send_now_sends_once(harness: Harness) -> None:
    cora = await _coordinator(harness)
    await _preview(harness, cora)
    replies = await cora.double_tap("📤 Enviar ahora")
    assert replies.alerts == ["", "El aviso #1 ya se envió."]
    assert APOLOGY not in replies.text
    assert await _count(harness, "SELECT count(*) FROM broadcasts") == 1
    assert await _count(harness, "SELECT count(*) FROM deliveries") == 2
    assert (
        await _count(harness, "SELECT count(*) FROM audit_log WHERE action = 'broadcast.send'") == 1
    )
    delivered = await harness.drain()
    assert sorted(c.chat_id for c in delivered.messages if c.chat_id != COORDINATOR) == [101, 102]


async def test_a_scheduled_broadcast_answers_its_old_send_button(harness: Harness) -> None:
    cora = await _coordinator(harness)
    await _preview(harness, cora)
    send = cora.tap_update("📤 Enviar ahora")["callback_query"]
    await cora.tap("🕒 Programar")
    await cora.send("25/11 09:00")
    replies = await cora.tap_data(send["data"], send["message"])  # the preview's other button
    assert replies.alerts == ["El aviso #1 ya está programado."]
    assert await _count(harness, "SELECT count(*) FROM broadcasts") == 1
    assert await harness.db.fetchval("SELECT status FROM broadcasts") == "scheduled"


async def test_a_schedule_typed_again_after_a_crash_is_decided_by_the_database(
    harness: Harness,
) -> None:
    """The process dies after the schedule was committed but before the form's state was
    saved: after the restart the form still asks for the time, and it is typed again."""
    cora = await _coordinator(harness)
    await _preview(harness, cora)
    await cora.tap("🕒 Programar")
    asking = await harness.saved_forms()
    await cora.send("25/11 09:00")
    await harness.restart_as_if_crashed(asking)
    replies = await cora.send("25/11 09:00")
    assert replies.texts == ["El aviso #1 ya está programado."]
    assert await _count(harness, "SELECT count(*) FROM broadcasts") == 1
    actions = "SELECT count(*) FROM audit_log WHERE action = 'broadcast.schedule'"
    assert await _count(harness, actions) == 1


async def test_two_coordinators_cancelling_a_scheduled_one_at_once_cancel_once(
    harness: Harness,
) -> None:
    cora = await _coordinator(harness)
    await _preview(harness, cora)
    await cora.tap("🕒 Programar")
    await cora.send("25/11 09:00")
    carlos = harness.person(user_id=801)
    await add_member(harness.db, 801, full_name="Carlos", role="coordinator")
    for person in (cora, carlos):
        await person.send("/broadcasts")
    replies = await harness.feed_all(
        [cora.tap_update("✖ Cancelar #1"), carlos.tap_update("✖ Cancelar #1")]
    )
    assert sorted(replies.alerts) == ["Cancelado.", "Ya está cancelado."]
    assert APOLOGY not in replies.text
    assert (
        await _count(harness, "SELECT count(*) FROM audit_log WHERE action = 'broadcast.cancel'")
        == 1
    )
    harness.clock.advance(days=2)
    assert (await harness.drain()).calls == []
