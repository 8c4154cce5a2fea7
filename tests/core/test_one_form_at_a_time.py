"""A person is in one form at a time. A form waiting for a typed answer sees every message
first (the forms are registered in order), so a second form started meanwhile would never get
its answers: they went to the first one, as a time zone or as an announcement. Starting a
second form is refused with a pointer to /cancel; what never starts a form (exports, /start
for members, event links) works mid-form as before."""

from __future__ import annotations

from tests.factories import add_member
from tests.harness import Harness

BUSY = "Estás a mitad de un formulario. Termínalo o envía /cancel primero."


async def test_a_second_form_waits_until_the_first_is_finished_or_cancelled(
    harness: Harness,
) -> None:
    await add_member(harness.db, 3001, full_name="Haruka Tanaka", organization="Nissan Mexicana")
    haruka = harness.person(3001, "Haruka")
    await haruka.send("/profile")
    await haruka.tap("🕒 Zona horaria")  # the profile's time-zone step waits for her answer
    await haruka.send("/sourcing")
    replies = await haruka.tap("➕ Nueva solicitud")
    assert replies.alerts == [BUSY]
    assert "¿Qué necesitas?" not in replies.text  # the request form did not start

    replies = await haruka.send("/cancel")
    assert "Edición cancelada." in replies.text
    await haruka.send("/sourcing")
    await haruka.tap("➕ Nueva solicitud")
    replies = await haruka.send("Soportes estampados para un modelo nuevo")
    assert "¿Qué procesos necesitas?" in replies.text  # the title reached the request form
    assert await harness.db.fetchval("SELECT time_zone FROM members") is None


async def test_a_command_that_starts_a_form_is_refused_mid_form(harness: Harness) -> None:
    await add_member(harness.db, 3002, full_name="Laura Méndez", role="coordinator")
    laura = harness.person(3002, "Laura")
    await laura.send("/broadcast")  # waiting for the announcement's text
    replies = await laura.send("/newevent")
    assert replies.texts == [BUSY]
    replies = await laura.send("Visita a la planta A2")
    assert "¿Quién debe recibirlo?" in replies.text  # still the broadcast, as she was told
    await laura.send("/cancel")
    replies = await laura.send("/newevent")
    assert "¿De qué eje estratégico es?" in replies.text


async def test_what_starts_no_form_still_works_mid_form(harness: Harness) -> None:
    await add_member(harness.db, 3003, full_name="Laura Méndez", role="coordinator")
    laura = harness.person(3003, "Laura")
    await laura.send("/broadcast")
    replies = await laura.send("/start")  # a member's /start shows the menu, starts nothing
    assert BUSY not in replies.text
    replies = await laura.send("Visita a la planta A2")
    assert "¿Quién debe recibirlo?" in replies.text
