"""Events for Japanese and German members who signed up in their language and set their
zone: the card, the answers, the lists and the reminders in their language and in
Aguascalientes time next to their own; the calendar file unchanged; coordinators whose own
zone is set type dates in it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from icalendar import Calendar

from bot.context import Ctx
from tests.factories import add_member
from tests.flows import haruka_and_katrin
from tests.harness import Harness, Person

COORDINATOR = 800
HARUKA, KATRIN, JONAS = 2001, 2002, 203


async def _publish(harness: Harness, cora: Person, when: str, label: str = "Sin límite") -> int:
    await cora.send("/newevent")
    await cora.tap("🌎 Globalización")
    await cora.tap("📅 Un evento del clúster")
    await cora.send("Foro de innovación abierta")
    await cora.send("Casos de éxito de proveedores locales")
    await cora.send(when)
    await cora.tap("2 h")
    await cora.send("Sede CLIA")
    await cora.tap(label)
    replies = await cora.tap("📣 Publicar")
    match = re.search(r"evento #(\d+)", replies.text)
    assert match, replies.texts
    return int(match.group(1))


async def test_japanese_and_german_members_sign_up_read_answer_and_are_reminded(
    harness: Harness,
) -> None:
    db = harness.db
    haruka, katrin = await haruka_and_katrin(harness)  # signed up, approved, zones set
    await add_member(db, JONAS, full_name="Jonas Weber", language="de", axes=("globalization",))
    await add_member(db, COORDINATOR, full_name="Cora Coord", role="coordinator")
    cora = harness.person(user_id=COORDINATOR, first_name="Cora")
    event_id = await _publish(harness, cora, "28/11/2026 18:00")  # 00:00 UTC on the 29th

    cards = {c.chat_id: c for c in (await harness.drain()).messages}
    assert cards[HARUKA].text.startswith("📣 新着\n📅 Foro de innovación abierta\n🌎 グローバル化")
    assert "🕒 2026年11月28日土曜日 アグアスカリエンテス 18:00 · 東京 翌日9:00（2時間）" in (
        cards[HARUKA].text
    )
    assert cards[HARUKA].button_labels == ["✅ 参加", "🤔 未定", "❌ 不参加", "📆 カレンダーに追加"]
    assert "🕒 Samstag, 28. November 2026, 18:00 Aguascalientes · 01:00 (+1) Berlin (2 Std.)" in (
        cards[KATRIN].text
    )
    assert "🕒 Samstag, 28. November 2026, 18:00 (2 Std.)" in cards[JONAS].text
    assert cards[KATRIN].button_labels[:3] == ["✅ Zusage", "🤔 Vielleicht", "❌ Absage"]

    replies = await haruka.tap("✅ 参加")
    assert "あなたの回答：✅ 参加" in replies.text
    assert "✅ 参加 1名 · 🤔 未定 0名 · ❌ 不参加 0名" in replies.text
    calendar = Calendar.from_ical(replies.last.files["document"][1])  # the .ics: UTC, as ever
    assert calendar.walk("VEVENT")[0].decoded("dtstart") == datetime(2026, 11, 29, tzinfo=UTC)
    replies = await katrin.tap("🤔 Vielleicht")
    assert "Ihre Antwort: 🤔 Vielleicht" in replies.text
    assert "✅ 1 Zusage · 🤔 1 vielleicht · ❌ 0 Absagen" in replies.text

    replies = await haruka.send("/events")
    assert replies.last.text.startswith("📅 あなた向けの今後のイベント\n")
    assert (
        "• 2026年11月28日(土) アグアスカリエンテス 18:00 · 東京 翌日9:00：Foro de innovación "
        "abierta — ✅ 参加"
    ) in replies.text
    assert replies.last.button_labels[0] == "11月28日 18:00 · Foro de innovación abierta"
    replies = await katrin.send("/myevents")
    assert (
        "• Sa., 28. Nov. 2026, 18:00 Aguascalientes · 01:00 (+1) Berlin: Foro de innovación "
        "abierta — 🤔 Vielleicht"
    ) in replies.text

    await katrin.tap("✅ Zusage")
    await harness.person(user_id=JONAS).tap("✅ Zusage")
    job = harness.app.job_queue.get_jobs_by_name("event-reminders")[0]  # type: ignore[union-attr]
    harness.clock.advance(hours=80, minutes=1)  # 23:59 before the start
    await job.callback(Ctx.from_job(job, harness.app))  # type: ignore[arg-type]
    reminders = {c.chat_id: c.text for c in (await harness.drain()).messages}
    assert reminders[HARUKA] == (
        "⏰ リマインダー：Foro de innovación abiertaは2026年11月28日土曜日 アグアスカリエンテス "
        "18:00 · 東京 翌日9:00に開催されます。\n📍 Sede CLIA"
    )
    assert reminders[KATRIN].startswith(
        "⏰ Erinnerung: Foro de innovación abierta findet am Samstag, 28. November 2026, 18:00 "
        "Aguascalientes · 01:00 (+1) Berlin statt."
    )
    assert reminders[JONAS].startswith(
        "⏰ Erinnerung: Foro de innovación abierta findet am Samstag, 28. November 2026, "
        "18:00 statt."
    )
    assert event_id


async def test_a_coordinator_in_tokyo_types_dates_in_tokyo_time(harness: Harness) -> None:
    db = harness.db
    await add_member(
        db, COORDINATOR, full_name="Kenji Sato", role="coordinator", time_zone="Asia/Tokyo"
    )
    await add_member(db, 801, full_name="Cora Coord", role="coordinator")
    kenji = harness.person(user_id=COORDINATOR, first_name="Kenji")
    await kenji.send("/newevent")
    await kenji.tap("💡 Innovación")
    await kenji.tap("📅 Un evento del clúster")
    await kenji.send("Webinar con Yokohama")
    replies = await kenji.send("Resultados del piloto")
    assert "2026-11-28 18:00 (hora de Tokio)." in replies.text  # the form says which zone
    replies = await kenji.send("29/11 09:00")
    assert replies.last.text.startswith(
        "Empieza el sábado, 28 de noviembre de 2026, 18:00 Aguascalientes · 09:00 (+1) Tokio."
    )
    await kenji.tap("2 h")
    await kenji.send("https://meet.example.org/yokohama")
    await kenji.tap("Sin límite")
    await kenji.tap("📣 Publicar")
    assert await db.fetchval("SELECT starts_at FROM events") == "2026-11-29T00:00:00Z"

    replies = await kenji.send("/start ev_1")
    await kenji.tap("🕒 Mover")
    prompt = harness.api.calls[-1].params["text"]
    assert "Por ejemplo 28/11 18:00 (hora de Tokio)." in str(prompt)
    replies = await kenji.send("30/11 10:00")
    assert "Movido al domingo, 29 de noviembre de 2026, 19:00 Aguascalientes · 10:00 (+1)" in (
        replies.text
    )
    assert await db.fetchval("SELECT starts_at FROM events") == "2026-11-30T01:00:00Z"

    cora = harness.person(user_id=801, first_name="Cora")  # no zone set: Aguascalientes time
    await cora.send("/newevent")
    await cora.tap("💡 Innovación")
    await cora.tap("📅 Un evento del clúster")
    await cora.send("Otro foro")
    replies = await cora.send("Más casos")
    assert "2026-11-28 18:00 (hora de Aguascalientes)." in replies.text
