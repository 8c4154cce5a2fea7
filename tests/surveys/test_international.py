"""A survey answered in Japanese and in German by members who signed up in their language:
the invitation with its closing time in Aguascalientes and in the member's zone, every kind
of button in their language, the reminder, and the results and closing time of a German
coordinator in Berlin."""

from __future__ import annotations

from tests.factories import add_member
from tests.flows import haruka_and_katrin
from tests.harness import Harness, Person

COORDINATOR = 800
HARUKA, KATRIN = 2001, 2002

# Typed by a coordinator in Berlin: 01:00 there is 18:00 of the day before in Aguascalientes.
SURVEY = """
title: Pulso internacional
closes: 1/12/2026 01:00
audience: everyone
questions:
  - type: single
    text: ¿Exportan a Asia?
    options: [Sí, No]
  - type: multi
    text: ¿Qué temas?
    options: [Electromovilidad, Talento]
  - type: scale
    text: ¿Qué tan útil fue el foro?
    required: false
  - type: yesno
    text: ¿Vendrías en línea?
"""


async def _send_file(harness: Harness, person: Person, name: str, content: str) -> None:
    harness.api.uploaded["doc-1"] = content.encode()
    document = {
        "file_id": "doc-1",
        "file_unique_id": "udoc-1",
        "file_name": name,
        "file_size": len(content.encode()),
    }
    await harness.feed({"message": person._message(document=document)})


async def test_a_survey_in_japanese_and_german_with_both_clocks(harness: Harness) -> None:
    db = harness.db
    haruka, katrin = await haruka_and_katrin(harness)  # signed up, approved, zones set
    await add_member(
        db,
        COORDINATOR,
        full_name="Markus Braun",
        role="coordinator",
        language="de",
        time_zone="Europe/Berlin",
    )
    markus = harness.person(user_id=COORDINATOR, first_name="Markus", language_code="de")
    replies = await markus.send("/newsurvey")
    await markus.tap("📄 Beispieldatei")
    assert "• closes: Datum und Uhrzeit (Ortszeit Berlin)" in harness.api.calls[-1].text
    await _send_file(harness, markus, "pulso.yaml", SURVEY)
    replies = await markus.tap("🚀 Starten")
    assert "ist gestartet: 3 Mitglieder eingeladen" in replies.text
    assert await db.fetchval("SELECT closes_at FROM surveys") == "2026-12-01T00:00:00Z"

    invitations = {c.chat_id: c.text for c in (await harness.drain()).messages}
    assert invitations[HARUKA] == (
        "📝 アンケート：Pulso internacional\n全4問 · 2026年11月30日月曜日 アグアスカリエンテス "
        "18:00 · 東京 翌日9:00まで受付"
    )
    assert invitations[KATRIN] == (
        "📝 Umfrage: Pulso internacional\n4 Fragen · offen bis Montag, 30. November 2026, "
        "18:00 Aguascalientes · 01:00 (+1) Berlin"
    )

    replies = await haruka.tap("▶️ 開始")
    assert replies.last.text.startswith("📝 Pulso internacional · 1/4\n\n¿Exportan a Asia?")
    await haruka.tap("Sí")
    await haruka.tap("Talento")
    await haruka.tap("完了 ✅")
    await haruka.tap("スキップ ⏭")
    replies = await haruka.tap("はい")
    assert "🙏 ありがとうございました！Pulso internacionalへの回答を保存しました。" in replies.text

    await katrin.tap("▶️ Starten")
    await katrin.tap("No")
    await katrin.tap("Electromovilidad")
    replies = await katrin.tap("Fertig ✅")
    assert "3/4" in replies.last.text and "1 = überhaupt nicht · 5 = sehr" in replies.last.text
    await katrin.tap("4")
    replies = await katrin.tap("Nein")
    assert "🙏 Vielen Dank! Ihre Antworten zu Pulso internacional sind gespeichert." in (
        replies.text
    )

    replies = await markus.send("/results 1")
    assert "Rücklaufquote: 2 von 3 Eingeladenen (67\xa0%) · 2 begonnen" in replies.text
    assert "• Sí: 1 (50\xa0%)\n• No: 1 (50\xa0%)" in replies.text
    assert "Mittelwert: 4,00" in replies.text
    assert "• Ja: 1 (50\xa0%)\n• Nein: 1 (50\xa0%)" in replies.text
    await markus.tap("🔔 Ausstehende erinnern")
    reminders = {c.chat_id: c.text for c in (await harness.drain()).messages}
    assert reminders == {
        COORDINATOR: "🔔 Erinnerung: Die Umfrage Pulso internacional ist bis Montag, 30. "
        "November 2026, 18:00 Aguascalientes · 01:00 (+1) Berlin offen. Das Ausfüllen dauert "
        "nur wenige Augenblicke, und Sie machen dort weiter, wo Sie aufgehört haben."
    }
