"""Events: creating with each date form and bad dates, local time, the announcement audience,
answers and the waiting list, reminders across a restart, moves and cancellations, check-in,
the calendar file, working groups, topics, and refusals."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from icalendar import Calendar

from bot.context import Ctx
from tests.factories import add_group, add_member, axis_id, join_group
from tests.harness import Harness, Person

COORDINATOR = 800
COMMUNITY = -100555


async def _coordinator(harness: Harness, user_id: int = COORDINATOR) -> Person:
    await add_member(
        harness.db, user_id, full_name="Cora Coord", role="coordinator", axes=("leadership",)
    )
    return harness.person(user_id=user_id, first_name="Cora")


async def _create(
    harness: Harness,
    cora: Person,
    when: str = "28/11/2026 18:00",
    *,
    capacity: str | None = None,
    place: str = "Sede CLIA, Av. Universidad 1001",
) -> int:
    await cora.send("/newevent")
    await cora.tap("💡 Innovación")
    await cora.tap("📅 Un evento del clúster")
    await cora.send("Foro de innovación abierta")
    await cora.send("Casos de éxito de proveedores locales")
    await cora.send(when)
    await cora.tap("2 h")
    await cora.send(place)
    if capacity is None:
        await cora.tap("Sin límite")
    else:
        await cora.send(capacity)
    replies = await cora.tap("📣 Publicar")
    match = re.search(r"evento #(\d+)", replies.text)
    assert match, replies.texts
    return int(match.group(1))


async def test_each_date_form_is_read_in_local_time(harness: Harness) -> None:
    cora = await _coordinator(harness)
    for number, typed in enumerate(["28/11 18:00", "28/11/2026 18:00", "2026-11-28 18:00"], 1):
        assert await _create(harness, cora, typed) == number
    rows = await harness.db.fetchall("SELECT starts_at, ends_at FROM events")
    # 18:00 in Aguascalientes (UTC-6) is midnight UTC
    assert {tuple(r) for r in rows} == {("2026-11-29T00:00:00Z", "2026-11-29T02:00:00Z")}


async def test_bad_dates_are_refused_and_the_step_repeats(harness: Harness) -> None:
    cora = await _coordinator(harness)
    await cora.send("/newevent")
    await cora.tap("💡 Innovación")
    await cora.tap("📅 Un evento del clúster")
    await cora.send("Foro")
    await cora.tap("Omitir ⏭")
    replies = await cora.send("24/11/2026 08:00")  # now is 10:00 local on the 24th
    assert replies.texts == ["Ese momento ya pasó. Indica una fecha y hora futuras."]
    replies = await cora.send("31/02/2027 10:00")
    assert replies.texts[0].startswith("Esa fecha no existe.")
    replies = await cora.send("el jueves en la tarde")
    assert replies.texts[0].startswith("No pude leer esa fecha y hora.")
    replies = await cora.send_sticker()
    assert replies.texts == ["Responde la pregunta de arriba, o /cancel para salir."]
    replies = await cora.send("30/11 9:30")
    assert "Empieza el lunes, 30 de noviembre de 2026, 09:30" in replies.text
    replies = await cora.send("cuatro horas")
    assert replies.texts[0].startswith("No pude leer esa duración.")
    await cora.send("1:30")
    await cora.send("https://meet.example.com/foro")
    replies = await cora.send("cero")
    assert replies.texts[0].startswith("Escribe un número entero")
    await cora.send("25")
    await cora.tap("📣 Publicar")
    row = await harness.db.fetchone(
        "SELECT starts_at, ends_at, place, online_url, capacity, description FROM events"
    )
    assert tuple(row) == (
        "2026-11-30T15:30:00Z",
        "2026-11-30T17:00:00Z",
        None,
        "https://meet.example.com/foro",
        25,
        None,
    )


async def test_preview_is_the_card_members_see(harness: Harness) -> None:
    cora = await _coordinator(harness)
    await cora.send("/newevent")
    await cora.tap("💡 Innovación")
    await cora.tap("📅 Un evento del clúster")
    await cora.send("Foro <de> innovación")
    await cora.send("Agenda & ponentes")
    await cora.send("28/11 18:00")
    await cora.tap("2 h")
    await cora.send("Sede CLIA")
    replies = await cora.tap("Sin límite")
    card = replies.messages[-2]
    assert card.html.startswith("📅 <b>Foro &lt;de&gt; innovación</b>\n💡 Innovación · evento del")
    assert "🕒 sábado, 28 de noviembre de 2026, 18:00 (2 h)" in card.text
    assert "📍 Sede CLIA" in card.text and "Agenda & ponentes" in card.text
    assert [b["text"] for b in card.inline_buttons] == [
        "✅ Asistiré",
        "🤔 Tal vez",
        "❌ No puedo",
        "📆 Agregar a mi calendario",
    ]
    replies = await cora.tap("✅ Asistiré")  # on the preview: explained, not "expired"
    assert replies.alerts == ["Esta es la vista previa: los botones funcionan al publicarlo."]
    assert await harness.db.fetchval("SELECT count(*) FROM events") == 0


async def test_announcement_reaches_the_axis_members_who_want_it(harness: Harness) -> None:
    db = harness.db
    ana = await add_member(db, 101, axes=("innovation",), language="en")
    await add_member(db, 102, axes=("talent",))
    await add_member(db, 103, muted=("innovation",))
    await add_member(db, 104, notifications=False)
    await add_member(db, 105, status="pending")
    cora = await _coordinator(harness)
    event_id = await _create(harness, cora)
    delivered = await harness.drain()
    assert [c.chat_id for c in delivered.messages] == [101]
    card = delivered.messages[0]
    assert card.text.startswith("📣 New\n📅 Foro de innovación abierta")
    assert "Saturday, November 28, 2026, 18:00" in card.text
    assert card.inline_buttons[0]["callback_data"] == f"ev:{event_id}:go"
    assert ana
    assert (await harness.drain()).calls == []


async def test_meeting_goes_to_its_working_group_and_repeats(harness: Harness) -> None:
    db = harness.db
    group = await add_group(db, "Electromovilidad")
    inside = await add_member(db, 101, axes=("talent",))
    await add_member(db, 102, axes=("innovation",))  # follows the axis, not in the group
    await join_group(db, group, inside)
    cora = await _coordinator(harness)
    await cora.send("/newevent")
    await cora.tap("💡 Innovación")
    await cora.tap("👥 Una reunión de grupo de trabajo")
    await cora.tap("Electromovilidad")
    await cora.send("Reunión mensual")
    await cora.tap("Omitir ⏭")
    await cora.send("8/12 18:00")  # the second Tuesday of December
    await cora.tap("1 h")
    await cora.send("https://meet.example.com/em")
    await cora.tap("Sin límite")
    replies = await cora.tap("Cada mes, el mismo día de la semana")
    assert "También: martes, 12 de enero de 2027, 18:00" in replies.text
    await cora.tap("📣 Publicar")
    starts = [r[0] for r in await db.fetchall("SELECT starts_at FROM events ORDER BY starts_at")]
    assert starts[:3] == ["2026-12-09T00:00:00Z", "2027-01-13T00:00:00Z", "2027-02-10T00:00:00Z"]
    assert len(starts) == 6
    delivered = await harness.drain()
    assert [c.chat_id for c in delivered.messages] == [101]
    assert "reunión del grupo de trabajo Electromovilidad" in delivered.messages[0].text


async def test_answers_capacity_and_waiting_list_promotion(harness: Harness) -> None:
    db = harness.db
    for user in (101, 102, 103):
        await add_member(db, user, full_name=f"P{user}")
    cora = await _coordinator(harness)
    event_id = await _create(harness, cora, capacity="2")
    await harness.drain()
    p1, p2, p3 = (harness.person(user_id=u) for u in (101, 102, 103))
    replies = await p1.tap("✅ Asistiré")
    assert replies.alerts == ["✅ ¡Nos vemos ahí! El archivo de calendario está en el chat."]
    card = next(c for c in replies.messages if c.method == "editMessageText")
    assert "✅ 1 asistirá" in card.text and "Queda 1 lugar" in card.text
    assert "Tu respuesta: ✅ Asistiré" in card.text
    assert any(c.method == "sendDocument" for c in replies.calls)
    await p2.tap("✅ Asistiré")
    replies = await p3.tap("✅ Asistiré")
    assert replies.alerts[0].startswith("⏳ El evento está lleno")
    assert "Tu respuesta: ⏳ En lista de espera" in replies.text
    replies = await p1.tap("❌ No puedo")  # a seat frees up: p3 is promoted and told
    told = [c for c in replies.messages if c.chat_id == 103]
    assert told and "Se liberó un lugar" in told[0].text
    assert told[1].method == "sendDocument"  # with the calendar file, as Going always has
    answers = dict(
        await db.fetchall(
            "SELECT m.telegram_user_id, r.answer FROM rsvps r JOIN members m ON m.id = r.member_id"
        )
    )
    assert answers == {101: "declined", 102: "going", 103: "going"}
    assert event_id


async def test_answers_close_when_the_event_starts(harness: Harness) -> None:
    await add_member(harness.db, 101)
    cora = await _coordinator(harness)
    await _create(harness, cora, "24/11 12:00")
    await harness.drain()
    harness.clock.advance(hours=3)
    replies = await harness.person(user_id=101).tap("✅ Asistiré")
    assert replies.alerts == ["Las respuestas a este evento están cerradas."]
    assert "🔒 El evento ya empezó" in replies.text
    assert await harness.db.fetchval("SELECT count(*) FROM rsvps") == 0


async def test_reminders_24h_and_1h_once_each_even_across_a_restart(harness: Harness) -> None:
    db = harness.db
    await add_member(db, 101)
    await add_member(db, 102)
    cora = await _coordinator(harness)
    await _create(harness, cora, "26/11 18:00")  # 2 days and 8 hours from now
    await harness.drain()
    await harness.person(user_id=101).tap("✅ Asistiré")
    await harness.person(user_id=102).tap("🤔 Tal vez")
    job = harness.app.job_queue.get_jobs_by_name("event-reminders")[0]  # type: ignore[union-attr]

    async def tick(**delta: float) -> list[str]:
        harness.clock.advance(**delta)
        await job.callback(Ctx.from_job(job, harness.app))  # type: ignore[arg-type]
        messages = [c for c in (await harness.drain()).messages if c.chat_id in (101, 102)]
        assert {c.chat_id for c in messages} <= {101}  # Going only: Maybe gets no reminder
        return [c.text for c in messages]

    assert await tick(hours=31) == []  # 25 h before: nothing yet
    sent = await tick(hours=1, minutes=1)  # 23:59 before
    assert len(sent) == 1 and sent[0].startswith(
        "⏰ Recordatorio: Foro de innovación abierta es el"
    )
    assert "📍 Sede CLIA" in sent[0]
    await harness.restart()
    job = harness.app.job_queue.get_jobs_by_name("event-reminders")[0]  # type: ignore[union-attr]
    assert await tick(minutes=1) == []  # not again after the restart
    sent = await tick(hours=23)
    assert len(sent) == 1 and "empieza en una hora" in sent[0]
    assert await tick(minutes=30) == []


async def test_moving_and_cancelling_tell_who_answered_and_old_reminders_do_not_fire(
    harness: Harness,
) -> None:
    db = harness.db
    await add_member(db, 101, language="en")
    await add_member(db, 102)  # did not answer: is not told
    await add_member(db, 104)  # could not go: is told (the new date may suit)
    cora = await _coordinator(harness)
    event_id = await _create(harness, cora, "25/11 18:00")
    await harness.drain()
    await harness.person(user_id=101).tap("✅ Going")
    await harness.person(user_id=104).tap("❌ No puedo")
    await cora.send(f"/start ev_{event_id}")
    await cora.tap("🕒 Mover")
    replies = await cora.send("27/11 19:00")
    assert "Movido al viernes, 27 de noviembre de 2026, 19:00" in replies.text
    delivered = await harness.drain()
    notices = [c for c in delivered.messages if c.chat_id in (101, 102, 104)]
    assert [c.chat_id for c in notices] == [101, 104]
    assert (
        "was moved: now Friday, November 27, 2026, 19:00 (before: Wednesday, November 25"
        in notices[0].text
    )
    # a reminder queued for the old time is skipped when its turn comes
    harness.clock.advance(hours=8)  # 1 h before the OLD start: a reminder was due then…
    await db.execute(
        "INSERT INTO broadcasts (kind, text, audience, event_id, status, created_at, started_at)"
        " VALUES ('event_reminder', ?, ?, ?, 'sending', '2026-11-25T23:00:00Z',"
        " '2026-11-25T23:00:00Z')",
        ('{"for": "2026-11-26T00:00:00+00:00", "lead": "1h"}', '{"kind":"event"}', event_id),
    )
    await db.execute(
        "INSERT INTO deliveries (broadcast_id, member_id, chat_id)"
        " SELECT max(b.id), m.id, m.chat_id FROM broadcasts b, members m"
        " WHERE m.telegram_user_id = 101"
    )
    delivered = await harness.drain()
    assert [c for c in delivered.messages if c.chat_id == 101] == []
    assert await db.fetchval("SELECT status FROM deliveries ORDER BY id DESC LIMIT 1") == "skipped"

    await cora.send(f"/start ev_{event_id}")
    await cora.tap("❌ Cancelar evento")
    await cora.tap("❌ Sí, cancelarlo")
    delivered = await harness.drain()
    notices = [c for c in delivered.messages if c.chat_id == 101]
    assert len(notices) == 1 and "was cancelled" in notices[0].text
    assert await db.fetchval("SELECT status FROM events") == "cancelled"
    actions = [r[0] for r in await db.fetchall("SELECT action FROM audit_log ORDER BY id")]
    assert actions == ["event.publish", "event.move", "event.cancel"]


async def test_editing_details_tells_who_answered_and_more_seats_promote_the_waiting(
    harness: Harness,
) -> None:
    db = harness.db
    for user in (101, 102, 103):
        await add_member(db, user, full_name=f"P{user}")
    cora = await _coordinator(harness)
    event_id = await _create(harness, cora, capacity="1")
    await harness.drain()
    p1, p2, p3 = (harness.person(user_id=u) for u in (101, 102, 103))
    await p1.tap("✅ Asistiré")
    await p2.tap("✅ Asistiré")
    await p3.tap("✅ Asistiré")  # p2 and p3 wait, in that order

    await cora.send(f"/start ev_{event_id}")
    await cora.tap("✏️ Editar")
    await cora.tap("Título")
    replies = await cora.send("x" * 121)
    assert "Es demasiado largo: máximo 120 caracteres" in replies.text
    replies = await cora.send("Foro de innovación abierta 2026")
    assert "✅ Guardado. Se está avisando a quienes respondieron." in replies.text
    delivered = await harness.drain()
    told = sorted(c.chat_id for c in delivered.messages if c.chat_id in (101, 102, 103))
    assert told == [101, 102, 103]
    assert "✏️ Foro de innovación abierta 2026 se actualizó." in delivered.messages[0].text
    assert await db.fetchval("SELECT title FROM events") == "Foro de innovación abierta 2026"

    await cora.send(f"/start ev_{event_id}")
    await cora.tap("✏️ Editar")
    await cora.tap("Cupo")
    replies = await cora.send("muchos")
    assert "Escribe un número entero de lugares entre 1 y 10000, o - para no limitar." in (
        replies.text
    )
    replies = await cora.send("2")
    assert "✅ Cupo: 2." in replies.text
    assert "1 persona subió de la lista de espera y ya se le avisó." in replies.text
    promoted = [c for c in replies.messages if c.chat_id == 102]
    assert promoted and "Se liberó un lugar" in promoted[0].text
    answers = dict(
        await db.fetchall(
            "SELECT m.telegram_user_id, r.answer FROM rsvps r JOIN members m ON m.id = r.member_id"
        )
    )
    assert answers == {101: "going", 102: "going", 103: "waitlisted"}
    actions = [r[0] for r in await db.fetchall("SELECT action FROM audit_log ORDER BY id")]
    assert actions == ["event.publish", "event.edit", "event.capacity"]

    await cora.send(f"/start ev_{event_id}")  # fewer seats: nobody loses theirs, but…
    await cora.tap("✏️ Editar")
    await cora.tap("Cupo")
    replies = await cora.send("1")
    assert "Ya hay 2 confirmados: nadie pierde su lugar" in replies.text
    await p1.tap("❌ No puedo")  # …a seat freed above the new capacity goes to nobody
    waiting = "SELECT count(*) FROM rsvps WHERE answer = 'waitlisted'"
    assert await db.fetchval(waiting) == 1
    assert await db.fetchval("SELECT count(*) FROM rsvps WHERE answer = 'going'") == 1


async def test_check_in_by_qr_and_by_hand(harness: Harness) -> None:
    db = harness.db
    await add_member(db, 101, full_name="Ana López")
    await add_member(db, 102, full_name="Beto Ruiz")
    cora = await _coordinator(harness)
    event_id = await _create(harness, cora, "24/11 18:00")
    await harness.drain()
    await harness.person(user_id=102).tap("✅ Asistiré")
    token = await db.fetchval("SELECT checkin_token FROM events")
    await cora.send(f"/start ev_{event_id}")
    replies = await cora.tap("📷 QR de asistencia")
    assert replies.last.method == "sendPhoto"
    assert f"start=ci_{token}" in replies.last.text
    ana = harness.person(user_id=101)
    replies = await ana.send(f"/start ci_{token}")
    assert "abre dos horas antes de que empiece" in replies.text
    await cora.send(f"/attendees {event_id}")
    replies = await cora.tap("📍 Registrar a mano")
    assert "0 de 1 presentes" in replies.text
    replies = await cora.tap("☑️ Beto Ruiz")  # the door list keeps the QR's hours
    assert replies.alerts == [
        "El registro de asistencia abre dos horas antes de que empiece Foro de innovación abierta."
    ]
    harness.clock.advance(hours=7)  # 17:00 local
    replies = await ana.send(f"/start ci_{token}")
    assert "Quedó registrada tu asistencia" in replies.text
    replies = await ana.send(f"/start ci_{token}")
    assert "Tu asistencia a" in replies.text
    replies = await ana.send("/start ci_forgedtoken123")
    assert replies.texts == ["Este código de asistencia no es válido."]
    replies = await cora.send(f"/attendees {event_id}")
    assert "📍 1 presente" in replies.text
    await cora.tap("📍 Registrar a mano")
    replies = await cora.tap("☑️ Beto Ruiz")
    assert replies.alerts == ["📍 Beto Ruiz quedó registrado(a)."]
    sheet = replies.messages[-1]
    assert sheet.method == "editMessageText" and "2 de 2 presentes" in sheet.text
    assert sheet.button_labels == ["📍 Beto Ruiz ↩", "📍 Ana López ↩"] or sheet.button_labels == [
        "📍 Ana López ↩",
        "📍 Beto Ruiz ↩",
    ]
    beto = await db.fetchval("SELECT id FROM members WHERE telegram_user_id = 102")
    replies = await cora.tap_data(f"ev:{event_id}:mk{beto}p0")  # a stale list's button again
    assert replies.alerts == ["📍 Beto Ruiz quedó registrado(a)."]
    # The sheet already says so: Telegram refuses the unchanged edit, and that is no error.
    assert [(c.method, c.ok) for c in replies.calls if c.method.startswith("edit")] == [
        ("editMessageText", False)
    ]
    assert "2 de 2 presentes" in cora.inbox()[-1]["text"]  # still checked in: never undone
    replies = await cora.tap("📍 Beto Ruiz ↩")  # a tap by mistake, undone
    assert "1 de 2 presentes" in replies.messages[-1].text
    await cora.tap("☑️ Beto Ruiz")
    rows = await db.fetchall(
        "SELECT m.full_name, a.method FROM attendance a"
        " JOIN members m ON m.id = a.member_id ORDER BY 1"
    )
    assert [tuple(r) for r in rows] == [("Ana López", "qr"), ("Beto Ruiz", "manual")]
    replies = await cora.send(f"/attendees {event_id}")
    csv_file = next(c for c in replies.calls if c.method == "sendDocument")
    lines = csv_file.files["document"][1].decode("utf-8-sig").splitlines()
    assert lines[0] == "name,organization,answer,checked_in_at"
    assert lines[1].startswith("Beto Ruiz,Flex,going,2026-11-24T23:00")


async def test_calendar_file_contents(harness: Harness) -> None:
    await add_member(harness.db, 101)
    cora = await _coordinator(harness)
    event_id = await _create(harness, cora)
    await harness.drain()
    replies = await harness.person(user_id=101).tap("📆 Agregar a mi calendario")
    document = replies.last
    assert document.files["document"][0] == f"clia-{event_id}.ics"
    calendar = Calendar.from_ical(document.files["document"][1])
    entry = calendar.walk("VEVENT")[0]
    assert str(entry["uid"]) == f"event-{event_id}@clia-bot"
    assert entry.decoded("dtstart") == datetime(2026, 11, 29, 0, 0, tzinfo=UTC)
    assert entry.decoded("dtend") == datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
    assert str(entry["summary"]) == "Foro de innovación abierta"
    assert str(entry["location"]) == "Sede CLIA, Av. Universidad 1001"
    assert str(entry["status"]) == "CONFIRMED"


async def test_events_lists_and_deep_link(harness: Harness) -> None:
    await add_member(harness.db, 101, axes=("talent",))
    cora = await _coordinator(harness)
    event_id = await _create(harness, cora)
    member = harness.person(user_id=101)
    replies = await member.send("📅 Eventos")  # the main menu's button
    assert "Aún no hay nada programado" in replies.text  # Innovation is not her axis
    replies = await member.tap("🔎 Ver todos los eventos")
    assert "sáb, 28 de nov de 2026, 18:00: Foro de innovación abierta" in replies.text
    replies = await member.send(f"/start ev_{event_id}")
    assert replies.last.text.startswith("📅 Foro de innovación abierta")
    await member.tap("🤔 Tal vez")
    replies = await member.send("/myevents")
    assert "Foro de innovación abierta — 🤔 Tal vez" in replies.text
    await member.send("/events")
    replies = await member.tap("🔎 Ver todos los eventos")  # each with the member's own answer
    assert "sáb, 28 de nov de 2026, 18:00: Foro de innovación abierta — 🤔 Tal vez" in replies.text


async def test_groups_join_and_leave(harness: Harness) -> None:
    await add_group(harness.db, "Electromovilidad")
    await add_member(harness.db, 101)
    member = harness.person(user_id=101)
    replies = await member.send("/groups")
    assert "Electromovilidad (💡 Innovación) — 0 miembros" in replies.text
    replies = await member.tap("➕ Unirme a Electromovilidad")
    assert replies.alerts == ["Te uniste a Electromovilidad."]
    assert "— 1 miembro ✓" in replies.text
    await member.tap("✓ Salir de Electromovilidad")
    assert await harness.db.fetchval("SELECT count(*) FROM working_group_members") == 0
    cora = await _coordinator(harness)
    await cora.send("/newgroup")
    await cora.tap("🎓 Talento")
    replies = await cora.send("Talento dual")
    assert "Grupo de trabajo Talento dual creado" in replies.text
    replies = await cora.send("/newgroup")
    await cora.tap("🎓 Talento")
    replies = await cora.send("Talento dual")
    assert "ya tiene un grupo con ese nombre" in replies.text


async def test_topic_binding_posts_announcements_in_the_axis_topic(tmp_path: object) -> None:
    from pathlib import Path

    harness = Harness(Path(str(tmp_path)), community_chat_id=COMMUNITY)
    await harness.start()
    try:
        cora = await _coordinator(harness)
        member = harness.person(user_id=101)
        await add_member(harness.db, 101)
        group_message = {
            "message_id": 77,
            "date": int(harness.clock().timestamp()),
            "chat": {"id": COMMUNITY, "type": "supergroup", "title": "CLIA", "is_forum": True},
            "message_thread_id": 5,
            "is_topic_message": True,
            "text": "/bindtopic innovation",
            "entities": [{"type": "bot_command", "offset": 0, "length": 10}],
        }
        replies = await harness.feed({"message": {**group_message, "from": member.user}})
        assert replies.texts == ["⛔ Solo los coordinadores del clúster pueden hacer esto."]
        assert replies.messages[0].params["message_thread_id"] == 5  # in the topic, not General
        replies = await harness.feed({"message": {**group_message, "from": cora.user}})
        assert "Los avisos de 💡 Innovación también se publicarán en este tema" in replies.text
        event_id = await _create(harness, cora)
        delivered = await harness.drain()
        topic = [c for c in delivered.messages if c.chat_id == COMMUNITY]
        assert len(topic) == 1 and topic[0].params["message_thread_id"] == 5
        assert "Tu respuesta" not in topic[0].text
        posted = [m for (chat, _), m in sorted(harness.api.messages.items()) if chat == COMMUNITY]
        replies = await member.tap_data(f"ev:{event_id}:go", posted[-1])  # Going, in the group
        assert replies.alerts == [
            "✅ ¡Nos vemos ahí! El archivo de calendario está en nuestro chat privado."
        ]
        calendar = [c for c in replies.calls if c.method == "sendDocument"]
        assert [c.chat_id for c in calendar] == [101]
    finally:
        await harness.stop()
        harness.close()


async def test_members_and_other_axes_coordinators_are_refused(harness: Harness) -> None:
    db = harness.db
    await add_member(db, 101)
    cora = await _coordinator(harness)
    event_id = await _create(harness, cora)
    sara = await _coordinator(harness, user_id=810)
    await db.execute(
        "INSERT INTO coordinator_axes (member_id, axis_id) SELECT id, ? FROM members"
        " WHERE telegram_user_id = 810",
        (await axis_id(db, "talent"),),
    )
    member = harness.person(user_id=101)
    await member.send("/help")
    await sara.send("/help")
    for action in ("rs", "pl", "cx", "at", "qr", "mk1"):
        replies = await member.tap_data(f"ev:{event_id}:{action}")
        assert replies.alerts == ["⛔ Solo los coordinadores del clúster pueden hacer esto."], (
            action
        )
        replies = await sara.tap_data(f"ev:{event_id}:{action}")
        assert replies.alerts == [
            "⛔ Tú coordinas otros ejes; este lo gestionan sus propios coordinadores."
        ], action
    replies = await sara.send("/newevent")
    assert [b["text"] for b in replies.last.inline_buttons] == ["🎓 Talento"]
    replies = await sara.tap_data("ef:ax:1")  # forged: Innovation
    assert replies.alerts == [
        "⛔ Tú coordinas otros ejes; este lo gestionan sus propios coordinadores."
    ]
    assert await db.fetchval("SELECT status FROM events") == "published"
    assert await db.fetchval("SELECT count(*) FROM attendance") == 0


async def test_coordinators_find_events_by_date_and_number(harness: Harness) -> None:
    await add_member(harness.db, 101)
    cora = await _coordinator(harness)
    event_id = await _create(harness, cora)
    replies = await cora.send("/attendees")
    assert "¿De qué evento? Toca uno" in replies.text
    assert replies.last.button_labels == ["28 nov, 18:00 · Foro de innovación abierta"]
    replies = await cora.tap("28 nov, 18:00 · Foro de innovación abierta")
    assert f"Foro de innovación abierta (#{event_id})" in replies.text
    replies = await cora.send("/attendees 999")
    assert "No encontré ese evento." in replies.text
    await cora.send("/events")
    replies = await cora.tap("🔎 Ver todos los eventos")
    assert f"Foro de innovación abierta (#{event_id})" in replies.text
    member = harness.person(user_id=101)
    replies = await member.send("/events")
    assert "#" not in replies.text  # numbers are for coordinators


async def test_numbers_that_are_not_ascii_digits_are_refused_not_a_crash(
    harness: Harness,
) -> None:
    await add_member(harness.db, 101)
    cora = await _coordinator(harness)
    event_id = await _create(harness, cora)
    replies = await cora.send("/attendees ²")
    assert "No encontré ese evento." in replies.text
    await cora.send(f"/start ev_{event_id}")
    await cora.tap("✏️ Editar")
    await cora.tap("Cupo")
    replies = await cora.send("①")
    assert "Escribe un número entero de lugares" in replies.text


async def test_event_buttons_and_links_work_in_the_middle_of_a_form(harness: Harness) -> None:
    await add_member(harness.db, 101)
    cora = await _coordinator(harness)
    event_id = await _create(harness, cora, "24/11 18:00")
    await harness.drain()
    ana = harness.person(user_id=101)
    await ana.send("👤 Mi perfil")
    await ana.tap("✏️ Puesto")  # a form left open…
    replies = await ana.tap("✅ Asistiré")  # …does not block the event card
    assert replies.alerts[0].startswith("✅ ¡Nos vemos ahí!")
    harness.clock.advance(hours=7)
    token = await harness.db.fetchval("SELECT checkin_token FROM events")
    replies = await ana.send(f"/start ci_{token}")  # nor the venue's QR code
    assert "Quedó registrada tu asistencia" in replies.text
    replies = await ana.send("Gerente")  # and the form goes on where it was
    assert (
        await harness.db.fetchval("SELECT job_title FROM members WHERE telegram_user_id = 101")
        == "Gerente"
    )
    assert event_id


async def test_the_reminder_job_follows_moves_and_cancellations(harness: Harness) -> None:
    await add_member(harness.db, 101)
    cora = await _coordinator(harness)
    event_id = await _create(harness, cora, "26/11 18:00")
    await harness.drain()
    await harness.person(user_id=101).tap("✅ Asistiré")
    job = harness.app.job_queue.get_jobs_by_name("event-reminders")[0]  # type: ignore[union-attr]

    async def tick(**delta: float) -> list[str]:
        harness.clock.advance(**delta)
        await job.callback(Ctx.from_job(job, harness.app))  # type: ignore[arg-type]
        return [c.text for c in (await harness.drain()).messages if c.chat_id == 101]

    await cora.send(f"/start ev_{event_id}")
    await cora.tap("🕒 Mover")
    await cora.send("27/11 18:00")  # a day later
    await harness.drain()
    assert await tick(hours=32, minutes=1) == []  # 24 h before the OLD time: nothing
    sent = await tick(hours=24)  # 24 h before the new time
    assert len(sent) == 1 and sent[0].startswith("⏰ Recordatorio")
    await cora.send(f"/start ev_{event_id}")
    await cora.tap("❌ Cancelar evento")
    await cora.tap("❌ Sí, cancelarlo")
    await harness.drain()
    assert await tick(hours=23) == []  # cancelled: no one-hour reminder


async def test_a_new_place_is_told_to_who_answered(harness: Harness) -> None:
    await add_member(harness.db, 101)
    cora = await _coordinator(harness)
    event_id = await _create(harness, cora)
    await harness.drain()
    await harness.person(user_id=101).tap("✅ Asistiré")
    await cora.send(f"/start ev_{event_id}")
    await cora.tap("📍 Lugar")
    replies = await cora.send("https://meet.example.com/foro")
    assert "Se está avisando" in replies.text
    delivered = await harness.drain()
    notice = [c for c in delivered.messages if c.chat_id == 101]
    assert len(notice) == 1 and "tiene nuevo lugar: https://meet.example.com/foro" in notice[0].text
    stored = await harness.db.fetchone("SELECT place, online_url FROM events")
    assert tuple(stored) == (None, "https://meet.example.com/foro")
