"""Publishing and cancelling act once: a double tap, a second coordinator, a tap replayed after
a restart or an old button is told what already happened; the database decides."""

from __future__ import annotations

from tests.factories import add_group, add_member, join_group
from tests.harness import Harness, Person

COORDINATOR = 800
APOLOGY = "Perdón, algo falló"


async def _coordinator(harness: Harness, user_id: int = COORDINATOR) -> Person:
    await add_member(harness.db, user_id, full_name="Cora Coord", role="coordinator")
    return harness.person(user_id=user_id, first_name="Cora")


async def _until_preview(cora: Person) -> None:
    await cora.send("/newevent")
    await cora.tap("💡 Innovación")
    await cora.tap("📅 Un evento del clúster")
    await cora.send("Foro de innovación abierta")
    await cora.send("Casos de éxito de proveedores locales")
    await cora.send("28/11/2026 18:00")
    await cora.tap("2 h")
    await cora.send("Sede CLIA")
    await cora.tap("Sin límite")


async def _count(harness: Harness, sql: str) -> int:
    return int(await harness.db.fetchval(sql))


async def test_a_double_tap_on_publish_publishes_and_announces_once(harness: Harness) -> None:
    await add_member(harness.db, 101)
    cora = await _coordinator(harness)
    await _until_preview(cora)
    replies = await cora.double_tap("📣 Publicar")
    assert replies.alerts == ["", "Este evento ya se publicó como evento #1."]
    assert APOLOGY not in replies.text
    assert "Publicado como evento #1" in replies.text
    assert await _count(harness, "SELECT count(*) FROM events") == 1
    assert (
        await _count(harness, "SELECT count(*) FROM audit_log WHERE action = 'event.publish'") == 1
    )
    assert await _count(harness, "SELECT count(*) FROM broadcasts") == 1
    delivered = await harness.drain()
    assert sorted(c.chat_id for c in delivered.messages) == [101, COORDINATOR]  # once each


async def test_a_double_tap_on_publish_of_a_series_creates_it_once(harness: Harness) -> None:
    group = await add_group(harness.db, "Electromovilidad")
    await join_group(harness.db, group, await add_member(harness.db, 101))
    cora = await _coordinator(harness)
    await cora.send("/newevent")
    await cora.tap("💡 Innovación")
    await cora.tap("👥 Una reunión de grupo de trabajo")
    await cora.tap("Electromovilidad")
    await cora.send("Reunión mensual")
    await cora.tap("Omitir ⏭")
    await cora.send("8/12 18:00")
    await cora.tap("1 h")
    await cora.send("https://meet.example.com/em")
    await cora.tap("Sin límite")
    await cora.tap("Cada mes, el mismo día de la semana")
    replies = await cora.double_tap("📣 Publicar")
    assert replies.alerts == ["", "Este evento ya se publicó como evento #1."]
    assert await _count(harness, "SELECT count(*) FROM event_series") == 1
    assert await _count(harness, "SELECT count(*) FROM events") == 6
    assert (
        await _count(harness, "SELECT count(*) FROM audit_log WHERE action = 'event.publish'") == 1
    )


async def test_publish_replayed_after_a_crash_is_decided_by_the_database(harness: Harness) -> None:
    """The process dies after the event was committed but before the form's state was saved:
    after the restart the form is still at its preview, and Publish is tapped again."""
    cora = await _coordinator(harness)
    await _until_preview(cora)
    at_preview = await harness.saved_forms()
    publish = cora.tap_update("📣 Publicar")
    await harness.feed(publish)
    await harness.restart_as_if_crashed(at_preview)
    publish["callback_query"]["id"] = "again"
    replies = await harness.feed(publish)
    assert replies.alerts == ["Este evento ya se publicó como evento #1."]
    assert await _count(harness, "SELECT count(*) FROM events") == 1
    assert (
        await _count(harness, "SELECT count(*) FROM audit_log WHERE action = 'event.publish'") == 1
    )
    replies = await cora.send("Otro título")  # the form ended with the answer
    assert "No entendí" in replies.text


async def test_an_old_publish_button_in_the_middle_of_a_new_form(harness: Harness) -> None:
    cora = await _coordinator(harness)
    await _until_preview(cora)
    publish = cora.tap_update("📣 Publicar")
    await harness.feed(publish)
    await cora.send("/newevent")
    await cora.tap("💡 Innovación")
    publish["callback_query"]["id"] = "old"
    replies = await harness.feed(publish)
    assert replies.alerts == ["Este evento ya se publicó como evento #1."]
    replies = await cora.tap("📅 Un evento del clúster")  # the new form goes on
    assert "¿Cuál es su título?" in replies.text
    replies = await cora.tap_data("ef:pub:AAAAAAAA")  # a key that published nothing
    assert replies.alerts == ["Este botón ya caducó. Vuelve a empezar, por favor."]


async def _published(harness: Harness, cora: Person) -> int:
    await _until_preview(cora)
    await cora.tap("📣 Publicar")
    await harness.drain()
    return int(await harness.db.fetchval("SELECT max(id) FROM events"))


async def test_a_double_tap_on_cancel_cancels_and_tells_once(harness: Harness) -> None:
    cora = await _coordinator(harness)
    event_id = await _published(harness, cora)
    await harness.person(user_id=COORDINATOR).send(f"/start ev_{event_id}")
    await add_member(harness.db, 101)
    await harness.person(user_id=101).send(f"/start ev_{event_id}")
    await harness.person(user_id=101).tap("✅ Asistiré")
    await cora.send(f"/start ev_{event_id}")
    await cora.tap("❌ Cancelar evento")
    replies = await cora.double_tap("❌ Sí, cancelarlo")
    assert replies.alerts == [
        "",
        "Este evento ya está cancelado; ya se avisó a todos los que respondieron.",
    ]
    assert APOLOGY not in replies.text
    assert (
        await _count(harness, "SELECT count(*) FROM audit_log WHERE action = 'event.cancel'") == 1
    )
    delivered = await harness.drain()
    assert len([c for c in delivered.messages if c.chat_id == 101]) == 1  # told once


async def test_two_coordinators_cancelling_at_once_cancel_once(harness: Harness) -> None:
    cora = await _coordinator(harness)
    event_id = await _published(harness, cora)
    carlos = await _coordinator(harness, 801)
    for person in (cora, carlos):
        await person.send(f"/start ev_{event_id}")
        await person.tap("❌ Cancelar evento")
    replies = await harness.feed_all(
        [cora.tap_update("❌ Sí, cancelarlo"), carlos.tap_update("❌ Sí, cancelarlo")]
    )
    assert sorted(replies.alerts) == [
        "",
        "Este evento ya está cancelado; ya se avisó a todos los que respondieron.",
    ]
    assert (
        await _count(harness, "SELECT count(*) FROM audit_log WHERE action = 'event.cancel'") == 1
    )
    # The one told "already" is out of the form: what they type next is not a form answer.
    assert await _count(harness, "SELECT count(*) FROM conversation_states") == 0
