"""Announcements: composing, the audience and its opt-outs, the preview, delivery through the
outbox (429, 403, network errors, a restart mid-way), scheduling, the live report, /broadcasts."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.factories import add_member, axis_id
from tests.harness import Harness, Person

COORDINATOR = 800


async def _coordinator(harness: Harness, user_id: int = COORDINATOR, **kwargs: Any) -> Person:
    kwargs.setdefault("axes", ("leadership",))
    await add_member(harness.db, user_id, full_name="Cora Coord", role="coordinator", **kwargs)
    return harness.person(user_id=user_id, first_name="Cora")


async def _cluster(harness: Harness) -> dict[str, int]:
    """Members of Innovation and Talent, and people who must not get an Innovation notice."""
    db = harness.db
    return {
        "ana": await add_member(db, 101, full_name="Ana", axes=("innovation",)),
        "beto": await add_member(db, 102, full_name="Beto", axes=("innovation", "talent")),
        "carla": await add_member(db, 103, full_name="Carla", axes=("talent",)),
        "muted": await add_member(db, 104, full_name="Muda", muted=("innovation",)),
        "off": await add_member(db, 105, full_name="Off", notifications=False),
        "pending": await add_member(db, 106, full_name="Pend", status="pending"),
        "blocked": await add_member(db, 107, full_name="Blo", unreachable=True),
    }


def _text_update(person: Person, text: str, entities: list[dict[str, Any]]) -> dict[str, Any]:
    return {"message": person._message(text=text, entities=entities)}


async def _compose_to_innovation(harness: Harness, cora: Person) -> None:
    await cora.send("/broadcast")
    text = "Asamblea el jueves: inscríbete aquí"
    entities = [
        {"type": "bold", "offset": 0, "length": 8},
        {"type": "text_link", "offset": 31, "length": 4, "url": "https://clia.mx/a?x=1&y=2"},
    ]
    await harness.feed(_text_update(cora, text, entities))
    await cora.tap("🎯 Miembros de ejes")
    await cora.tap("💡 Innovación")
    await cora.tap("Continuar ▶️")


async def test_preview_shows_the_message_as_members_see_it_and_who_gets_it(
    harness: Harness,
) -> None:
    await _cluster(harness)
    cora = await _coordinator(harness)
    replies = await cora.send("/broadcast")
    assert "Nuevo aviso" in replies.text
    await harness.feed(
        _text_update(cora, "Asamblea el jueves", [{"type": "bold", "offset": 0, "length": 8}])
    )
    await cora.tap("🎯 Miembros de ejes")
    await cora.tap("💡 Innovación")
    replies = await cora.tap("Continuar ▶️")
    preview, control = replies.messages[-2], replies.messages[-1]
    assert preview.html == "<b>Asamblea</b> el jueves"
    assert "Destinatarios: miembros de 💡 Innovación" in control.text
    # Ana and Beto; not the one who muted Innovation, turned everything off, is pending or blocked
    assert "llegaría a 2 miembros" in control.text
    assert [b["text"] for b in control.inline_buttons] == [
        "📤 Enviar ahora",
        "🕒 Programar",
        "🎯 Cambiar destinatarios",
        "✖ Cancelar",
    ]
    assert await harness.db.fetchval("SELECT count(*) FROM broadcasts") == 0


async def test_send_now_delivers_once_to_each_recipient_with_a_live_report(
    harness: Harness,
) -> None:
    ids = await _cluster(harness)
    cora = await _coordinator(harness)
    await _compose_to_innovation(harness, cora)
    replies = await cora.tap("📤 Enviar ahora")
    assert "se está enviando</b> a 2 destinatarios" in replies.last.html
    report_id = replies.last.params.get("message_id") or None
    rows = await harness.db.fetchall("SELECT member_id, status FROM deliveries ORDER BY member_id")
    assert [tuple(r) for r in rows] == [(ids["ana"], "pending"), (ids["beto"], "pending")]

    delivered = await harness.drain()
    to_members = [c for c in delivered.messages if c.chat_id in (101, 102)]
    assert sorted(c.chat_id for c in to_members) == [101, 102]
    assert all(
        c.html
        == '<b>Asamblea</b> el jueves: inscríbete <a href="https://clia.mx/a?x=1&amp;y=2">aquí</a>'
        for c in to_members
    )
    final = [c for c in delivered.messages if c.chat_id == COORDINATOR][-1]
    assert final.method == "editMessageText"
    assert "Aviso #1 terminado</b>: 2 destinatarios" in final.html
    assert "Enviados: 2" in final.text and "Pendientes: 0" in final.text
    assert report_id is None  # the status message was sent, then edited in place
    assert await harness.db.fetchval("SELECT status FROM broadcasts") == "done"
    audit = await harness.db.fetchone("SELECT action, target_id, details FROM audit_log")
    assert audit is not None and audit["action"] == "broadcast.send"
    assert '"recipients": 2' in audit["details"]

    assert (await harness.drain()).calls == []  # nothing is sent twice


async def test_429_in_the_middle_waits_and_sends_the_same_message_again(harness: Harness) -> None:
    await _cluster(harness)
    cora = await _coordinator(harness)
    await _compose_to_innovation(harness, cora)
    await cora.tap("📤 Enviar ahora")
    harness.api.flood(chat_id=102, retry_after=7)
    delivered = await harness.drain()
    to_beto = [c for c in delivered.calls if c.chat_id == 102 and c.method == "sendMessage"]
    assert [c.ok for c in to_beto] == [False, True]
    assert to_beto[0].params["text"] == to_beto[1].params["text"]
    assert 7 in harness.slept
    assert await harness.db.fetchval("SELECT count(*) FROM deliveries WHERE status = 'sent'") == 2


async def test_blocked_members_become_unreachable_and_are_not_retried(harness: Harness) -> None:
    ids = await _cluster(harness)
    cora = await _coordinator(harness)
    await _compose_to_innovation(harness, cora)
    harness.api.block(101)
    await cora.tap("📤 Enviar ahora")
    delivered = await harness.drain()
    assert len([c for c in delivered.calls if c.chat_id == 101]) == 1
    status = await harness.db.fetchval(
        "SELECT status FROM deliveries WHERE member_id = ?", (ids["ana"],)
    )
    assert status == "unreachable"
    assert await harness.db.fetchval(
        "SELECT unreachable_since IS NOT NULL FROM members WHERE id = ?", (ids["ana"],)
    )
    assert (await harness.drain()).calls == []
    final = [c for c in delivered.messages if c.chat_id == COORDINATOR][-1]
    assert "Inalcanzables (bloquearon el bot): 1" in final.text


async def test_telegram_away_keeps_deliveries_pending_then_sends_them(harness: Harness) -> None:
    ids = await _cluster(harness)
    cora = await _coordinator(harness)
    await _compose_to_innovation(harness, cora)
    await cora.tap("📤 Enviar ahora")
    harness.api.fail("sendMessage", chat_id=101, status=502, description="Bad Gateway", times=2)
    harness.api.fail("sendMessage", chat_id=102, status=502, description="Bad Gateway", times=9)
    await harness.drain()
    rows = {
        r["member_id"]: (r["status"], r["last_error"])
        for r in await harness.db.fetchall("SELECT member_id, status, last_error FROM deliveries")
    }
    assert rows[ids["ana"]] == ("sent", None)  # the request layer's third try went through
    assert rows[ids["beto"]] == ("sent", None)  # after two pauses of the outbox, not failed
    to_beto = [c for c in harness.api.of("sendMessage") if c.chat_id == 102]
    assert [c.ok for c in to_beto] == [False] * 9 + [True]
    assert [s for s in harness.slept if s >= 5] == [5.0, 10.0]  # the outbox's pauses
    retries = [s for s in harness.slept if s < 5 and s not in (0.0,)]
    assert any(0.4 <= s <= 0.6 for s in retries) and any(1.6 <= s <= 2.4 for s in retries)


async def test_a_restart_mid_broadcast_sends_each_recipient_exactly_one_message(
    harness: Harness,
) -> None:
    people = [await add_member(harness.db, 300 + i, full_name=f"M{i}") for i in range(40)]
    cora = await _coordinator(harness)
    await cora.send("/broadcast")
    await cora.send("Corte de agua en el parque industrial")
    await cora.tap("🌐 Todos los miembros")
    await cora.tap("📤 Enviar ahora")
    assert len(people) == 40

    harness.api.delay = 0.002  # each send takes a moment, so the stop comes mid-way
    sender = harness.app.bot_data.services.outbox_sender  # type: ignore[union-attr]
    sender.start()
    for _ in range(200):
        await asyncio.sleep(0.005)
        if len(harness.api.sent(method="sendMessage")) > 10:
            break
    await harness.restart()  # graceful stop mid-way; a new Application on the same database
    first_part = await harness.db.fetchval("SELECT count(*) FROM deliveries WHERE status='sent'")
    assert 0 < first_part < 41
    harness.api.delay = 0
    await harness.drain()
    per_chat: dict[int, int] = {}
    for call in harness.api.sent(method="sendMessage"):
        if call.text == "Corte de agua en el parque industrial":
            per_chat[call.chat_id or 0] = per_chat.get(call.chat_id or 0, 0) + 1
    expected = {chat: 1 for chat in range(300, 340)}
    expected[COORDINATOR] = 2  # her preview, and her copy as a member
    assert per_chat == expected


async def test_replies_to_members_do_not_wait_behind_a_broadcast(harness: Harness) -> None:
    for i in range(60):
        await add_member(harness.db, 400 + i, full_name=f"M{i}")
    cora = await _coordinator(harness)
    await cora.send("/broadcast")
    await cora.send("Aviso largo")
    await cora.tap("🌐 Todos los miembros")
    await cora.tap("📤 Enviar ahora")
    harness.api.delay = 0.003
    sender = harness.app.bot_data.services.outbox_sender  # type: ignore[union-attr]
    sender.start()
    await asyncio.sleep(0.02)
    replies = await harness.person(user_id=400).send("/help")
    assert "Lo que puedo hacer por ti" in replies.text
    pending = await harness.db.fetchval("SELECT count(*) FROM deliveries WHERE status='pending'")
    assert pending > 0  # answered while the broadcast was still going out
    harness.api.delay = 0
    await sender.stop()


async def test_photo_with_caption_goes_out_as_a_photo(harness: Harness) -> None:
    await _cluster(harness)
    cora = await _coordinator(harness)
    await cora.send("/broadcast")
    photo = [{"file_id": "AgPhoto", "file_unique_id": "p9", "width": 900, "height": 600}]
    await harness.feed({"message": cora._message(photo=photo, caption="Cartel del foro")})
    await cora.tap("🎯 Miembros de ejes")
    await cora.tap("🎓 Talento")
    replies = await cora.tap("Continuar ▶️")
    assert replies.messages[-2].method == "sendPhoto"
    await cora.tap("📤 Enviar ahora")
    delivered = await harness.drain()
    photos = [c for c in delivered.calls if c.method == "sendPhoto"]
    assert sorted(c.chat_id for c in photos) == [102, 103]
    assert all(c.params["photo"] == "AgPhoto" and c.text == "Cartel del foro" for c in photos)


async def test_a_document_goes_out_as_a_document_with_escaped_text(harness: Harness) -> None:
    await _cluster(harness)
    cora = await _coordinator(harness)
    await cora.send("/broadcast")
    document = {"file_id": "BQDoc", "file_unique_id": "d9", "file_name": "agenda.pdf"}
    caption = "Agenda <final> & anexos"  # plain text from the coordinator: escaped in HTML
    await harness.feed({"message": cora._message(document=document, caption=caption)})
    await cora.tap("🎯 Miembros de ejes")
    await cora.tap("🎓 Talento")
    await cora.tap("Continuar ▶️")
    await cora.tap("📤 Enviar ahora")
    delivered = await harness.drain()
    documents = [c for c in delivered.calls if c.method == "sendDocument"]
    assert sorted(c.chat_id for c in documents) == [102, 103]
    assert all(c.params["document"] == "BQDoc" for c in documents)
    assert all(c.html == "Agenda &lt;final&gt; &amp; anexos" for c in documents)


async def test_bad_input_while_composing_is_answered_and_nothing_is_lost(
    harness: Harness,
) -> None:
    await _cluster(harness)
    cora = await _coordinator(harness)
    await cora.send("/broadcast")
    replies = await cora.send_sticker()
    assert replies.texts == ["Envía el aviso como texto, foto o documento. /cancel para salir."]
    photo = [{"file_id": "AgPhoto", "file_unique_id": "p9", "width": 9, "height": 6}]
    replies = await harness.feed({"message": cora._message(photo=photo)})
    assert "Agrega un texto al archivo" in replies.text
    await cora.send("Texto bueno")
    replies = await cora.send("otro texto")  # the audience is asked with buttons
    assert replies.texts == ["Usa los botones de arriba, o /cancel para cancelar el aviso."]
    await harness.restart()  # the draft survives a restart
    await cora.tap("🌐 Todos los miembros")
    replies = await cora.send("/cancel")
    assert replies.texts == ["Aviso cancelado; no se envió nada."]
    assert await harness.db.fetchval("SELECT count(*) FROM broadcasts") == 0


async def test_scheduled_broadcast_goes_out_at_its_time_with_the_audience_of_then(
    harness: Harness,
) -> None:
    await _cluster(harness)
    cora = await _coordinator(harness)
    await _compose_to_innovation(harness, cora)
    await cora.tap("🕒 Programar")
    replies = await cora.send("ayer")
    assert "No pude leer esa fecha y hora" in replies.text
    replies = await cora.send("24/11 18:00")  # now is 10:00 local on the 24th
    assert "programado para el martes, 24 de noviembre de 2026, 18:00" in replies.text
    assert await harness.db.fetchval("SELECT count(*) FROM deliveries") == 0
    assert (await harness.drain()).calls == []
    late = await add_member(harness.db, 150, full_name="Tardía", axes=("innovation",))
    harness.clock.advance(hours=8)
    delivered = await harness.drain()
    assert sorted(c.chat_id for c in delivered.messages if c.chat_id != COORDINATOR) == [
        101,
        102,
        150,
    ]
    assert late


async def test_a_coordinator_in_new_york_schedules_in_new_york_time(harness: Harness) -> None:
    await _cluster(harness)
    cora = await _coordinator(harness, time_zone="America/New_York", language="en")
    await cora.send("/broadcast")
    await harness.feed(_text_update(cora, "Assembly on Thursday", []))
    await cora.tap("🎯 Members of axes")
    await cora.tap("💡 Innovation")
    await cora.tap("Continue ▶️")
    replies = await cora.tap("🕒 Schedule")
    assert "for example 28/11 18:00 (New York time)." in replies.text
    replies = await cora.send("24/11 19:00")  # 18:00 in Aguascalientes, midnight UTC
    assert (
        "scheduled for Tuesday, November 24, 2026, 18:00 Aguascalientes · 19:00 New York"
        in replies.text
    )
    assert await harness.db.fetchval("SELECT scheduled_for FROM broadcasts") == (
        "2026-11-25T00:00:00Z"
    )
    harness.clock.advance(hours=7, minutes=59)
    assert (await harness.drain()).calls == []  # not before its time
    harness.clock.advance(minutes=1)
    delivered = await harness.drain()
    assert {101, 102} <= {c.chat_id for c in delivered.messages}


async def test_a_scheduled_broadcast_can_be_cancelled_from_the_list(harness: Harness) -> None:
    await _cluster(harness)
    cora = await _coordinator(harness)
    await _compose_to_innovation(harness, cora)
    await cora.tap("🕒 Programar")
    await cora.send("25/11 09:00")
    replies = await cora.send("/broadcasts")
    assert "programado para el mié, 25 de nov de 2026, 09:00" in replies.text
    replies = await cora.tap("✖ Cancelar #1")
    assert "quedó cancelado" in replies.text
    harness.clock.advance(days=2)
    assert (await harness.drain()).calls == []
    replies = await cora.tap_data("bl:x:1")  # the list's button again (it is gone from it)
    assert replies.alerts[-1] == "Ya está cancelado."
    assert (
        await harness.db.fetchval(
            "SELECT count(*) FROM audit_log WHERE action = 'broadcast.cancel'"
        )
        == 1
    )


async def test_broadcast_list_shows_figures_and_exports_what_did_not_arrive(
    harness: Harness,
) -> None:
    await _cluster(harness)
    cora = await _coordinator(harness)
    await _compose_to_innovation(harness, cora)
    harness.api.block(102)
    await cora.tap("📤 Enviar ahora")
    await harness.drain()
    replies = await cora.send("/broadcasts")
    assert "✅ 1 enviados · ⏳ 0 pendientes · 🚫 1 inalcanzables · ⚠️ 0 fallidos" in replies.text
    assert "Asamblea el jueves: inscríbete aquí" in replies.text
    replies = await cora.tap("📄 No entregados #1 (CSV)")
    document = replies.last
    assert document.method == "sendDocument"
    content = document.files["document"][1].decode("utf-8-sig")
    assert content.splitlines() == [
        "name,organization,status,reason",
        "Beto,Flex,unreachable,Forbidden: bot was blocked by the user",
    ]


async def test_scoped_coordinator_may_address_only_their_axes(harness: Harness) -> None:
    await _cluster(harness)
    sara = await _coordinator(harness, user_id=810)
    await harness.db.execute(
        "INSERT INTO coordinator_axes (member_id, axis_id) SELECT id, ? FROM members"
        " WHERE telegram_user_id = 810",
        (await axis_id(harness.db, "talent"),),
    )
    await sara.send("/broadcast")
    replies = await sara.send("Solo talento")
    labels = replies.last.inline_buttons
    assert [b["text"] for b in labels] == [
        "🎯 Miembros de ejes",
        "👥 Un grupo de trabajo",
        "📅 Quienes respondieron a un evento",
        "✖ Cancelar",
    ]
    replies = await sara.tap_data("bc:a:everyone")  # forged: not offered to her
    assert replies.alerts == [
        "⛔ Tú coordinas otros ejes; este lo gestionan sus propios coordinadores."
    ]
    replies = await sara.tap("🎯 Miembros de ejes")
    assert replies.last.inline_buttons[0]["text"] == "🎓 Talento"
    assert "💡 Innovación" not in str(replies.last.inline_buttons)
    assert await harness.db.fetchval("SELECT count(*) FROM broadcasts") == 0


async def test_a_coordinator_demoted_mid_form_cannot_send(harness: Harness) -> None:
    await _cluster(harness)
    cora = await _coordinator(harness)
    await _compose_to_innovation(harness, cora)
    await harness.db.execute(
        "UPDATE members SET role = 'member' WHERE telegram_user_id = ?", (COORDINATOR,)
    )
    replies = await cora.tap("📤 Enviar ahora")
    assert replies.alerts == ["⛔ Solo los coordinadores del clúster pueden hacer esto."]
    assert await harness.db.fetchval("SELECT count(*) FROM broadcasts") == 0


async def test_an_idle_sender_only_reads(harness: Harness) -> None:
    """It looks at the outbox every second when idle: those looks must not write."""
    cora = await _coordinator(harness)
    await cora.send("/broadcast")
    await cora.send("Nadie lo recibirá")
    await cora.tap("🎯 Miembros de ejes")
    await cora.tap("🌎 Globalización")  # nobody follows it
    await cora.tap("Continuar ▶️")
    assert await harness.db.fetchval("SELECT count(*) FROM broadcasts") == 0  # nothing to send
    await harness.drain()
    commits = harness.db.commits
    for _ in range(3):
        assert (await harness.drain()).calls == []
    assert harness.db.commits == commits


async def test_audiences_by_event_answers_unfinished_survey_and_sector(harness: Harness) -> None:
    db = harness.db
    ana = await add_member(db, 101, organization="Flex")  # tier1
    beto = await add_member(db, 102, organization="SEDEC")  # government
    carla = await add_member(db, 103, organization="Flex")
    cora = await _coordinator(harness)
    event = await db.execute(
        "INSERT INTO events (kind, axis_id, title, starts_at, ends_at, status)"
        " VALUES ('event', 1, 'Foro', '2026-12-01T16:00:00Z', '2026-12-01T18:00:00Z', 'published')"
    )
    for member, answer in ((ana, "going"), (beto, "maybe"), (carla, "declined")):
        await db.execute(
            "INSERT INTO rsvps (event_id, member_id, answer, answered_at)"
            " VALUES (?, ?, ?, '2026-11-24T16:00:00Z')",
            (event, member, answer),
        )
    survey = await db.execute(
        "INSERT INTO surveys (title, status, closes_at)"
        " VALUES ('Pulso', 'open', '2026-12-01T00:00:00Z')"
    )
    await db.execute(
        "INSERT INTO survey_participation (survey_id, member_id, invited_at, completed_on)"
        " VALUES (?, ?, '2026-11-24T16:00:00Z', NULL),"
        " (?, ?, '2026-11-24T16:00:00Z', '2026-11-24')",
        (survey, beto, survey, carla),
    )

    async def recipients(*taps: str) -> list[int]:
        await cora.send("/broadcast")
        await cora.send("Aviso de prueba")
        for label in taps:
            await cora.tap(label)
        await cora.tap("📤 Enviar ahora")
        delivered = await harness.drain()
        return sorted(c.chat_id for c in delivered.messages if c.chat_id in (101, 102, 103))

    going_or_maybe = (
        "📅 Quienes respondieron a un evento",
        "1 dic, 10:00 · Foro",
        "✅ Asistiré y 🤔 Tal vez",
    )
    assert await recipients(*going_or_maybe) == [101, 102]
    unfinished = ("📝 Quienes no han terminado una encuesta", "Pulso")
    # Carla finished; Ana was not invited but is in the survey's audience (everyone): included
    assert await recipients(*unfinished) == [101, 102]
    sectors = ("🏭 Sectores", "Proveedor Tier-1", "Continuar ▶️")
    assert await recipients(*sectors) == [101, 103]


async def test_the_default_rate_paces_a_large_broadcast_with_live_progress(
    harness: Harness,
) -> None:
    """120 members at the default 25 messages/s: about five seconds on the sender's clock
    (slots 1/24 s apart), and the coordinator's status edited while it goes."""
    for n in range(120):
        await add_member(harness.db, 5000 + n, axes=("innovation",))
    cora = await _coordinator(harness)
    await _compose_to_innovation(harness, cora)
    await cora.tap("📤 Enviar ahora")
    started = harness.clock()
    delivered = await harness.drain()
    sends = [c for c in delivered.messages if c.method == "sendMessage" and c.chat_id >= 5000]
    assert len(sends) == 120
    seconds = (harness.clock() - started).total_seconds()
    assert 120 / 25 <= seconds <= 120 / 24 + 1  # slots 1/(25 − 1) s apart
    report = [c for c in delivered.messages if c.chat_id == COORDINATOR]
    progress = [c for c in report if "Pendientes: 0" not in c.text]
    assert progress and all(c.method == "editMessageText" for c in report)  # edited in place


async def test_announcements_are_numbered_on_their_own(harness: Harness) -> None:
    """The outbox also holds event and survey notices: /broadcasts numbers announcements 1, 2…
    without the gaps of the outbox's ids, in the list, its buttons and the replies; buttons
    sent with outbox ids still work, and anything else answers "expired"."""
    await _cluster(harness)
    cora = await _coordinator(harness)

    async def notice() -> int:  # an event reminder in the outbox, between announcements
        return await harness.db.execute(
            "INSERT INTO broadcasts (kind, text, status) VALUES ('event_reminder', 'x', 'done')"
        )

    reminder = await notice()
    await _compose_to_innovation(harness, cora)
    replies = await cora.tap("📤 Enviar ahora")
    assert "El aviso #1 se está enviando" in replies.text  # its outbox id is 2
    assert "📣 Aviso #1 terminado" in (await harness.drain()).text
    await notice()
    await notice()
    await _compose_to_innovation(harness, cora)
    await cora.tap("🕒 Programar")
    replies = await cora.send("25/11 09:00")
    assert "🕒 El aviso #2 está programado para el" in replies.text
    second = int(await harness.db.fetchval("SELECT max(id) FROM broadcasts"))
    assert second == 5  # its outbox id, which nobody sees

    replies = await cora.send("/broadcasts")
    assert "#2 ·" in replies.text and "#1 ·" in replies.text
    assert "#5" not in replies.text and "#3" not in replies.text
    assert replies.last.inline_buttons[0] == {"text": "✖ Cancelar #2", "callback_data": "bl:nx:2"}
    replies = await cora.tap("✖ Cancelar #2")
    assert "✖ El aviso #2 quedó cancelado; nadie lo recibirá." in replies.text
    assert await harness.db.fetchval("SELECT status FROM broadcasts WHERE id = ?", (second,)) == (
        "cancelled"
    )

    expired = "Este botón ya caducó. Vuelve a empezar, por favor."
    replies = await cora.tap_data(f"bl:x:{second}")  # a button of before, with the outbox id
    assert replies.alerts[-1] == "Ya está cancelado."
    for data in (f"bl:x:{reminder}", "bl:nx:3", "bl:ncsv:0", f"bl:csv:{reminder}"):
        replies = await cora.tap_data(data)
        assert replies.alerts == [expired], data
        assert not replies.messages, data
