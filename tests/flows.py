"""Conversations several tests walk through, as a person would."""

from __future__ import annotations

from tests.harness import Harness, Person, Replies


async def sign_up_until_summary(ana: Person) -> None:
    """The whole form with good answers, up to the summary (not confirmed)."""
    await ana.send("/start")
    await ana.tap("✓ Español")
    await ana.tap("✅ Acepto")
    await ana.tap("✅ Ana López")
    await ana.tap("Continental")
    await ana.send("Ingeniera de Calidad")
    await ana.send("ana.lopez@Continental.com")
    await ana.share_contact("+52 449 123 4567")
    await ana.tap("💡 Innovación")
    await ana.tap("🎓 Talento")
    await ana.tap("Continuar ▶️")


# What a newcomer taps and reads in the sign-up form, in Japanese and in German.
SIGN_UP = {
    "ja": {
        "language": "✓ 日本語",
        "chosen": "今後は日本語でご案内します。",
        "accept": "✅ 同意する",
        "skip": "スキップ",
        "axis": "🌎 グローバル化",
        "continue": "次へ ▶️",
        "check": "登録内容をご確認ください",
        "send": "✅ 確定して送信",
        "sent": "申請はコーディネーターが確認し、結果はこちらでお知らせします。",
    },
    "de": {
        "language": "✓ Deutsch",
        "chosen": "Ab jetzt spreche ich Deutsch mit Ihnen.",
        "accept": "✅ Ich stimme zu",
        "skip": "Überspringen",
        "axis": "🌎 Globalisierung",
        "continue": "Weiter ▶️",
        "check": "Bitte prüfen Sie Ihre Angaben",
        "send": "✅ Bestätigen und senden",
        "sent": "Die Koordination prüft Ihren Antrag, und ich melde mich hier",
    },
}


async def sign_up_in(person: Person, language: str, organization: str, title: str) -> Replies:
    """The whole form in Japanese or German, as the phone's language suggests; sent."""
    words = SIGN_UP[language]
    replies = await person.send("/start")
    assert replies.last.button_labels.count(words["language"]) == 1  # preselected
    assert words["chosen"] in (await person.tap(words["language"])).text
    await person.tap(words["accept"])
    await person.tap("✅ " + person.user["first_name"] + " " + person.user["last_name"])
    await person.send(organization.split()[0])  # typed to search, as on a phone
    await person.tap(organization)
    await person.send(title)
    await person.send(f"{person.user['first_name'].lower()}@example.com")
    await person.send(words["skip"])
    await person.tap(words["axis"])
    replies = await person.tap(words["continue"])
    assert words["check"] in replies.text
    replies = await person.tap(words["send"])
    assert words["sent"] in replies.text
    return replies


async def haruka_and_katrin(harness: Harness) -> tuple[Person, Person]:
    """A Japanese manager of Nissan and a German one of Continental sign up from their
    phones (Globalization), an admin approves them, and each sets their own time zone in
    /profile: Tokyo and Berlin."""
    haruka = harness.person(2001, "Haruka", last_name="Tanaka", language_code="ja")
    katrin = harness.person(2002, "Katrin", last_name="Vogel", language_code="de-DE")
    await sign_up_in(haruka, "ja", "Nissan Mexicana", "購買部 マネージャー")
    await sign_up_in(katrin, "de", "Continental", "Leiterin Qualitätsmanagement")
    admin = harness.person(900, "Laura")  # an admin by ADMIN_IDS
    await admin.send("/pending")
    for _ in range(2):
        await admin.tap("✅ Aprobar")
    for person, button, city in (
        (haruka, "🕒 タイムゾーン", "🕒 東京"),
        (katrin, "🕒 Zeitzone", "🕒 Berlin"),
    ):
        await person.send("/profile")
        await person.tap(button)
        await person.tap(city)
    rows = await harness.db.fetchall(
        "SELECT language, status, time_zone FROM members WHERE telegram_user_id IN (2001, 2002)"
        " ORDER BY telegram_user_id"
    )
    assert [tuple(r) for r in rows] == [
        ("ja", "active", "Asia/Tokyo"),
        ("de", "active", "Europe/Berlin"),
    ]
    return haruka, katrin
