"""Admins are told: an unexpected error reaches them in the chat (what, where, when, how
often; no personal data), at most once per kind per hour; /status shows the bot's health."""

from __future__ import annotations

from pathlib import Path

from telegram.error import NetworkError

from bot.backups import backup_name
from tests.factories import add_member
from tests.harness import TEST_TOKEN, Harness

ALERT = "Algo falló en el bot"


def alerts_to(harness: Harness, chat_id: int) -> list[str]:
    return [
        c.text
        for c in harness.api.sent(chat_id=chat_id)
        if "failed in the bot" in c.text or ALERT in c.text
    ]


async def test_an_error_reaches_the_admins_once_an_hour_with_how_often(harness: Harness) -> None:
    db = harness.db
    await add_member(db, 5005, full_name="Admin Inglés", role="admin", language="en")
    ana = harness.person(user_id=4242, first_name="Ana", last_name="Secreta")

    # /help fails on Telegram's side (once): the person gets the apology, the admins an alert.
    harness.api.fail("sendMessage", chat_id=4242, description="Bad Request: message is broken")
    replies = await ana.send("/help")
    assert "Perdón, algo falló de mi parte" in replies.text
    [alert] = alerts_to(harness, 900)
    assert alert == (
        "⚠️ Algo falló en el bot\n"
        "BadRequest in handlers.core.common.help_command\n"
        "Al atender: command /help\n"
        "Cuándo: 24/11/2026 a las 10:00\n"
        "Frecuencia: 1 vez en la última hora; 1 vez en las últimas 24 horas.\n"
        "Los detalles están en el registro del bot. No volveré a avisarte de este error "
        "durante una hora."
    )
    [english] = alerts_to(harness, 5005)  # a promoted admin, in their language
    assert english.startswith("⚠️ Something failed in the bot\nBadRequest in handlers.core")
    for text in (alert, english):  # nothing about the person or the bot's token
        assert "Ana" not in text and "Secreta" not in text and "4242" not in text
        assert "message is broken" not in text and TEST_TOKEN.split(":")[1] not in text

    # The same failure again within the hour: counted, nobody woken.
    harness.api.fail("sendMessage", chat_id=4242, description="Bad Request: message is broken")
    await ana.send("/help")
    assert len(alerts_to(harness, 900)) == 1

    harness.clock.advance(minutes=61)
    harness.api.fail("sendMessage", chat_id=4242, description="Bad Request: message is broken")
    await ana.send("/help")
    second = alerts_to(harness, 900)[1]
    assert "Cuándo: 24/11/2026 a las 11:01" in second
    assert "Frecuencia: 1 vez en la última hora; 3 veces en las últimas 24 horas." in second
    assert len(alerts_to(harness, 5005)) == 2

    rows = await db.fetchall("SELECT kind, source, alerted FROM error_reports ORDER BY id")
    assert [tuple(r) for r in rows] == [
        ("BadRequest in handlers.core.common.help_command", "command /help", 1),
        ("BadRequest in handlers.core.common.help_command", "command /help", 0),
        ("BadRequest in handlers.core.common.help_command", "command /help", 1),
    ]
    harness.errors.clear()  # the three failures were expected


async def test_a_failing_job_is_alerted_and_network_trouble_only_counted(
    harness: Harness,
) -> None:
    app = harness.app
    assert app is not None and app.job_queue is not None
    job = app.job_queue.get_jobs_by_name("event-reminders")[0]

    def raise_in_a_job() -> None:
        raise KeyError("ana@example.mx")  # a message that could hold personal data

    try:
        raise_in_a_job()
    except KeyError as error:
        await app.process_error(None, error, job=job)
    [alert] = alerts_to(harness, 900)
    assert "KeyError in tests.operations" not in alert  # only the bot's own code is named
    assert alert.startswith("⚠️ Algo falló en el bot\nKeyError\nAl atender: job event-reminders")
    assert "ana@example.mx" not in alert

    await app.process_error(None, NetworkError("Timed out"), job=job)
    assert len(alerts_to(harness, 900)) == 1  # passing network trouble wakes nobody…
    kinds = [r[0] for r in await harness.db.fetchall("SELECT kind FROM error_reports")]
    assert kinds == ["KeyError", "NetworkError"]  # …but it is counted for /status
    harness.errors.clear()


async def test_an_admin_who_cannot_be_reached_does_not_stop_the_others(harness: Harness) -> None:
    await add_member(harness.db, 5005, full_name="Otra Admin", role="admin")
    harness.api.block(900)
    harness.api.fail("sendMessage", chat_id=4242, description="Bad Request: broken")
    await harness.person(user_id=4242).send("/help")
    assert not harness.api.sent(chat_id=900)
    assert len(alerts_to(harness, 5005)) == 1
    harness.errors.clear()


async def test_status_shows_the_bots_health_to_admins(harness: Harness) -> None:
    db = harness.db
    await add_member(db, 1001, full_name="Socia Uno")
    await add_member(db, 1002, full_name="Socio Dos")
    await add_member(db, 1003, full_name="Pendiente", status="pending")
    admin = harness.person(user_id=900, first_name="Laura")

    first = (await admin.send("/status")).last.text
    lines = first.splitlines()
    assert lines[0] == "📊 Estado del bot"
    assert lines[1].startswith("Versión ") and lines[1].endswith(
        ", en funcionamiento desde hace 0 min."
    )
    assert lines[2:] == [
        "👥 Miembros: 2 activos, 1 en espera de aprobación.",
        "📤 Bandeja de salida: 0 mensajes pendientes; el envío está detenido.",
        "🗄 Respaldos: desactivados (BACKUP_DIR no está configurado).",
        "✅ Errores en las últimas 24 horas: ninguno.",
    ]

    harness.api.fail("sendMessage", chat_id=1001, description="Bad Request: broken")
    await harness.person(user_id=1001).send("/help")
    harness.errors.clear()
    harness.clock.advance(hours=2, minutes=5)
    later = (await admin.send("/status")).last.text
    assert "en funcionamiento desde hace 2 h 5 min." in later
    assert "⚠️ Errores en las últimas 24 horas: 1." in later
    assert (
        "• 1× BadRequest in handlers.core.common.help_command (command /help), la última a "
        "las 10:00" in later
    )
    harness.clock.advance(days=1)
    assert "Errores en las últimas 24 horas: ninguno." in (await admin.send("/status")).last.text

    refused = await harness.person(user_id=1002).send("/status")
    assert refused.text == "⛔ Solo los administradores pueden hacer esto."


async def test_status_is_in_the_admins_menu_and_help_only(harness: Harness) -> None:
    assert "status" in harness.api.menu("chat", 900)
    assert "status" not in harness.api.menu("all_private_chats")
    await add_member(harness.db, 1001, full_name="Socia Uno")
    member_help = (await harness.person(user_id=1001).send("/help")).text
    assert "/status" not in member_help
    admin_help = (await harness.person(user_id=900).send("/help")).text
    assert "/status — Salud del bot: envíos, respaldos, errores" in admin_help


async def test_status_shows_the_last_backup(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    h = Harness(tmp_path, backup_dir=folder)
    await h.start()
    try:
        taken = h.clock()
        await h.app.bot_data.services.backups.run(taken)  # type: ignore[union-attr]
        h.clock.advance(hours=3)
        text = (await h.person(user_id=900).send("/status")).last.text
        assert f"🗄 Último respaldo: hace 3 h 0 min ({backup_name('clia', taken)})." in text
    finally:
        await h.stop()
        h.close()
    assert not h.errors


async def test_an_error_in_reporting_never_reaches_the_person(
    harness: Harness,
) -> None:
    """If storing the incident fails too (the database is gone), the person still gets the
    apology and nothing escapes the error handler."""
    assert harness.app is not None
    services = harness.app.bot_data.services
    assert services is not None
    harness.api.fail("sendMessage", chat_id=4242, description="Bad Request: broken")
    original = services.repos.operations.record_error

    async def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("database is not open")

    services.repos.operations.record_error = broken  # type: ignore[method-assign]
    try:
        replies = await harness.person(user_id=4242).send("/help")
    finally:
        services.repos.operations.record_error = original  # type: ignore[method-assign]
    assert "Perdón, algo falló de mi parte" in replies.text
    assert not alerts_to(harness, 900)
    harness.errors.clear()
