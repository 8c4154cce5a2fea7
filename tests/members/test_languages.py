"""Japanese and German members: sign-up in their language (preselected from Telegram's),
approval, their menus, and their own time zone in /profile."""

from __future__ import annotations

import json

from tests.factories import add_member
from tests.flows import sign_up_in
from tests.harness import Harness

ADMIN = 900  # from ADMIN_IDS in the harness's settings


async def _stored(harness: Harness, user_id: int) -> tuple[str, str, str | None]:
    row = await harness.db.fetchone(
        "SELECT language, status, time_zone FROM members WHERE telegram_user_id = ?", (user_id,)
    )
    return tuple(row)  # type: ignore[return-value]


async def test_a_japanese_manager_signs_up_in_japanese_and_is_approved(harness: Harness) -> None:
    haruka = harness.person(
        user_id=2001, first_name="Haruka", last_name="Tanaka", language_code="ja"
    )
    await sign_up_in(haruka, "ja", "Nissan Mexicana", "購買部 マネージャー")
    assert await _stored(harness, haruka.id) == ("ja", "pending", None)
    admin = harness.person(user_id=ADMIN, first_name="Laura")
    replies = await admin.send("/pending")
    assert "Haruka Tanaka" in replies.text and "購買部 マネージャー" in replies.text
    replies = await admin.tap("✅ Aprobar")
    welcome = next(c for c in replies.messages if c.chat_id == haruka.id)
    assert welcome.text.startswith("🎉 Haruka Tanakaさん、CLIAへようこそ！")
    assert welcome.keyboard_labels == [
        "📅 イベント",
        "📝 アンケート",
        "👥 ワーキンググループ",
        "👤 プロフィール",
        "❓ ヘルプ",
        "🌐 言語",
    ]
    # Telegram shows her the Japanese command menu set at start-up for Japanese phones
    assert harness.api.menu("all_private_chats", language="ja")["events"] == (
        "今後のイベントとミーティング"
    )
    replies = await haruka.send("❓ ヘルプ")
    assert "<b>できること</b>" in replies.last.html
    assert "/language — 言語を変更" in replies.text


async def test_a_german_manager_signs_up_in_german_from_an_austrian_phone(
    harness: Harness,
) -> None:
    katrin = harness.person(
        user_id=2002, first_name="Katrin", last_name="Vogel", language_code="de-AT"
    )
    await sign_up_in(katrin, "de", "Continental", "Leiterin Qualitätsmanagement")
    assert await _stored(harness, katrin.id) == ("de", "pending", None)
    await harness.person(user_id=ADMIN).send("/pending")
    replies = await harness.person(user_id=ADMIN).tap("✅ Aprobar")
    welcome = next(c for c in replies.messages if c.chat_id == katrin.id)
    assert welcome.text.startswith("🎉 Willkommen bei CLIA, Katrin Vogel! Sie sind jetzt Mitglied.")
    replies = await katrin.send("👤 Mein Profil")
    assert "👤 Name: Katrin Vogel" in replies.text
    assert "🕒 Zeitzone: Aguascalientes" in replies.text


async def test_language_and_profile_offer_all_four(harness: Harness) -> None:
    await add_member(harness.db, 2003, full_name="Kenji Sato", language="en")
    kenji = harness.person(user_id=2003, first_name="Kenji", language_code="en")
    replies = await kenji.send("/language")
    assert replies.last.button_labels == ["Español", "✓ English", "日本語", "Deutsch"]
    replies = await kenji.tap("日本語")
    assert "今後は日本語でご案内します。" in replies.texts[0]
    assert harness.api.menu("chat", kenji.id)["language"] == "言語を変更"
    replies = await kenji.send("/profile")
    assert replies.last.button_labels[-3:] == ["🌐 言語", "🕒 タイムゾーン", "🔔 通知"]
    await kenji.tap("🌐 言語")
    replies = await kenji.tap("Deutsch")
    assert "Ab jetzt spreche ich Deutsch mit Ihnen." in replies.texts[0]
    assert (await _stored(harness, kenji.id))[0] == "de"


async def test_a_member_sets_their_time_zone_from_the_profile(harness: Harness) -> None:
    await add_member(harness.db, 2004, full_name="Haruka Tanaka", language="ja")
    haruka = harness.person(user_id=2004, first_name="Haruka", language_code="ja")
    replies = await haruka.send("/profile")
    assert "🕒 タイムゾーン：アグアスカリエンテス" in replies.text
    replies = await haruka.tap("🕒 タイムゾーン")
    assert "時刻は常にアグアスカリエンテス時間で表示されます" in replies.text
    assert replies.last.button_labels == ["🕒 東京", "🇲🇽 アグアスカリエンテス時間のみ"]
    replies = await haruka.tap("🕒 東京")
    assert "✅ タイムゾーン：東京（Asia/Tokyo）" in replies.text
    assert "🕒 タイムゾーン：東京（Asia/Tokyo）" in replies.last.text  # the profile again
    assert await _stored(harness, haruka.id) == ("ja", "active", "Asia/Tokyo")

    # typed: a name that is no zone is explained and asked again; a city in Japanese works
    await haruka.tap("🕒 タイムゾーン")
    replies = await haruka.send("東京タワー")
    assert "そのタイムゾーンは見つかりませんでした" in replies.text
    assert (await _stored(harness, haruka.id))[2] == "Asia/Tokyo"
    replies = await haruka.send("ベルリン")
    assert "✅ タイムゾーン：ベルリン（Europe/Berlin）" in replies.text
    assert (await _stored(harness, haruka.id))[2] == "Europe/Berlin"
    await haruka.tap("🕒 タイムゾーン")
    replies = await haruka.send("america/new_york")
    assert (await _stored(harness, haruka.id))[2] == "America/New_York"

    # back to Aguascalientes time only
    await haruka.tap("🕒 タイムゾーン")
    replies = await haruka.tap("🇲🇽 アグアスカリエンテス時間のみ")
    assert "✅ タイムゾーン：アグアスカリエンテス" in replies.text
    assert (await _stored(harness, haruka.id))[2] is None


async def test_zones_are_offered_by_language_and_kept_in_mydata(harness: Harness) -> None:
    await add_member(harness.db, 2005, full_name="John Miller", language="en")
    john = harness.person(user_id=2005, first_name="John", language_code="en")
    await john.send("/profile")
    replies = await john.tap("🕒 Time zone")
    assert replies.last.button_labels == [
        "🕒 New York",
        "🕒 Chicago",
        "🕒 Denver",
        "🕒 Los Angeles",
        "🇲🇽 Aguascalientes time only",
    ]
    await john.tap("🕒 Chicago")
    await add_member(harness.db, 2006, full_name="Ana López", language="es")
    ana = harness.person(user_id=2006)
    await ana.send("/profile")
    replies = await ana.tap("🕒 Zona horaria")
    assert replies.last.button_labels == ["🇲🇽 Solo hora de Aguascalientes"]  # or typed
    replies = await ana.send("Madrid")
    assert "✅ Zona horaria: Madrid (Europe/Madrid)." in replies.text

    replies = await john.send("/mydata")
    data = json.loads(replies.last.files["document"][1])
    assert data["time_zone"] == "America/Chicago" and data["language"] == "en"
    await john.send("/forget")
    await john.tap("🗑 Yes, delete my data")
    assert (
        await harness.db.fetchval("SELECT count(*) FROM members WHERE time_zone IS NOT NULL") == 1
    )
