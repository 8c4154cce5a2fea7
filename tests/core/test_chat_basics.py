"""/start, /help, /language, the main menu and the answers to the unexpected, in a chat."""

from __future__ import annotations

from tests.factories import add_member
from tests.harness import Harness


async def test_start_greets_a_first_visit_then_welcomes_back(harness: Harness) -> None:
    """A member put in the database (the sandbox's demo people) has never been here: the first
    /start introduces the bot; only later visits are "welcome back", after a restart too."""
    await add_member(harness.db, 1001, full_name="Ana López")
    ana = harness.person(first_name="Ana")
    replies = await ana.send("/start")
    assert "¡Hola, Ana López! Soy el bot de CLIA" in replies.text
    assert "ya eres miembro" in replies.text
    assert "de nuevo" not in replies.text
    await harness.restart()
    replies = await ana.send("/start")
    assert "¡Qué gusto verte de nuevo, Ana López!" in replies.text
    assert "Soy el bot" not in replies.text
    assert replies.last.keyboard_labels == [
        "📅 Eventos",
        "📝 Encuestas",
        "👥 Grupos de trabajo",
        "👤 Mi perfil",
        "❓ Ayuda",
        "🌐 Idioma",
    ]
    assert replies.last.params["parse_mode"] == "HTML"


async def test_start_offers_sign_up_in_the_phones_language(harness: Harness) -> None:
    ana = harness.person(first_name="Ana")
    replies = await ana.send("/start")
    assert "¡Bienvenido(a) a CLIA, el Clúster de Industriales de Aguascalientes!" in replies.text
    assert replies.last.button_labels == ["✓ Español", "English", "日本語", "Deutsch"]
    assert replies.last.params["reply_markup"]["inline_keyboard"][1][0]["text"] == "日本語"

    john = harness.person(user_id=1002, first_name="John", language_code="en")
    replies = await john.send("/start")
    assert "Welcome to CLIA, the Cluster of Industrialists of Aguascalientes!" in replies.text
    assert replies.last.button_labels == ["Español", "✓ English", "日本語", "Deutsch"]

    kenji = harness.person(user_id=1003, first_name="Kenji", language_code="ja")
    replies = await kenji.send("/start")
    assert "CLIA（アグアスカリエンテス産業クラスター）へようこそ" in replies.text
    assert replies.last.button_labels == ["Español", "English", "✓ 日本語", "Deutsch"]

    jurgen = harness.person(user_id=1004, first_name="Jürgen", language_code="de-AT")
    replies = await jurgen.send("/start")
    assert "Willkommen bei CLIA, dem Industriecluster Aguascalientes!" in replies.text
    assert replies.last.button_labels == ["Español", "English", "日本語", "✓ Deutsch"]


async def test_unsupported_phone_language_gets_the_default(harness: Harness) -> None:
    pedro = harness.person(user_id=1003, first_name="Pedro", language_code="pt-BR")
    labels = (await pedro.send("/start")).last.button_labels
    assert labels == ["✓ Español", "English", "日本語", "Deutsch"]


async def test_user_text_is_escaped_in_html(harness: Harness) -> None:
    await add_member(harness.db, 1004, full_name="<b>Eve & co")
    replies = await harness.person(user_id=1004).send("/start")
    assert "¡Hola, <b>Eve & co! Soy el bot" in replies.text  # literal, not markup
    assert "&lt;b&gt;Eve &amp; co" in replies.last.html


async def test_help_lists_the_commands_in_the_persons_language(harness: Harness) -> None:
    ana = harness.person()
    replies = await ana.send("/help")
    assert "Lo que puedo hacer por ti" in replies.text
    for line in ("/start — ", "/help — ", "/language — Cambiar el idioma", "/cancel — "):
        assert line in replies.text
    assert "Para coordinadores" not in replies.text


async def test_help_from_the_menu_button_in_either_language(harness: Harness) -> None:
    ana = harness.person()
    assert "Lo que puedo hacer por ti" in (await ana.send("❓ Ayuda")).text
    john = harness.person(user_id=1002, language_code="en")
    assert "What I can do for you" in (await john.send("❓ Help")).text


async def test_switching_language_is_stored_and_used_from_then_on(harness: Harness) -> None:
    ana = harness.person()
    replies = await ana.send("🌐 Idioma")
    assert replies.last.text == "🌐 Elige tu idioma:"
    assert replies.last.button_labels == ["✓ Español", "English", "日本語", "Deutsch"]

    replies = await ana.tap("English")
    assert "I will talk to you in English from now on." in replies.texts[0]
    assert replies.messages[0].method == "editMessageText"
    # someone who has not signed up gets the menu of what they can do, in English
    assert replies.last.keyboard_labels == ["🔒 Privacy", "❓ Help", "🌐 Language"]
    stored = await harness.db.fetchone(
        "SELECT language, status FROM members WHERE telegram_user_id = ?", (ana.id,)
    )
    assert tuple(stored) == ("en", "prospect")
    # The person's own command menu now speaks English.
    assert harness.api.menu("chat", ana.id)["language"] == "Change the language"

    # The Telegram app still says Spanish, but the stored choice wins, also after a restart.
    await harness.restart()
    assert "What I can do for you" in (await ana.send("/help")).text


async def test_menus_are_set_per_language_at_start_up(harness: Harness) -> None:
    es = harness.api.menu("all_private_chats", language="es")
    en = harness.api.menu("all_private_chats", language="en")
    ja = harness.api.menu("all_private_chats", language="ja")
    de = harness.api.menu("all_private_chats", language="de")
    assert es["help"] == "Lo que puedo hacer por ti"
    assert en["help"] == "What I can do for you"
    assert ja["help"] == "できること"
    assert de["help"] == "Was ich für Sie tun kann"
    assert list(ja) == list(de) == list(en) == list(es)
    assert len(set(ja.values())) == len(ja) and len(set(de.values())) == len(de)
    assert harness.api.menu("all_private_chats") == es
    assert list(es) == [
        "start",
        "help",
        "language",
        "cancel",
        "events",
        "myevents",
        "groups",
        "surveys",
        "sourcing",
        "capabilities",
        "profile",
        "notifications",
        "privacy",
        "mydata",
        "forget",
    ]
    assert "pending" not in es  # coordinators' commands only in their own menus


async def test_cancel_with_nothing_to_cancel(harness: Harness) -> None:
    replies = await harness.person().send("/cancel")
    assert "No hay nada que cancelar" in replies.text
    assert replies.last.keyboard_labels


async def test_unknown_command_and_unexpected_messages(harness: Harness) -> None:
    ana = harness.person()
    assert "No conozco el comando /fly" in (await ana.send("/fly@clia_test_bot now")).text
    hello = "¡Hola! Soy el bot del clúster CLIA. Envía /start para registrarte"
    assert hello in (await ana.send("hola bot")).text  # not signed up: pointed to /start
    await add_member(harness.db, ana.id)
    assert "No entendí eso" in (await ana.send("hola bot")).text  # a member: the menu
    assert "No entendí eso" in (await ana.send_sticker()).text
    assert "No entendí eso" in (await ana.send_photo()).text


async def test_edited_messages_are_answered_not_replayed(harness: Harness) -> None:
    replies = await harness.person().edit("/language")
    assert replies.texts == ["✏️ No leo mensajes editados. Si algo estaba mal, envíalo de nuevo."]


async def test_forged_or_stale_buttons_expire_and_change_nothing(harness: Harness) -> None:
    ana = harness.person()
    await ana.send("/help")
    huge = "9" * 20  # would overflow SQLite's integers if it reached a query
    for data in ("lang:fr", "lang:es:extra", "ev:1:go", "", "x" * 64, "lang", f"ev:{huge}:go"):
        replies = await ana.tap_data(data)
        assert replies.alerts == ["Este botón ya caducó. Vuelve a empezar, por favor."]
        assert replies.messages == []
    assert await harness.db.fetchval("SELECT count(*) FROM members") == 0


async def test_group_messages_are_ignored_on_purpose(harness: Harness) -> None:
    group = {"id": -100123, "type": "supergroup", "title": "CLIA"}
    replies = await harness.feed(
        {
            "message": {
                "message_id": 5,
                "date": 0,
                "chat": group,
                "from": {"id": 1001, "is_bot": False, "first_name": "Ana"},
                "text": "hola a todos",
            }
        }
    )
    assert replies.calls == []


async def test_unknown_or_malformed_deep_links_are_an_ordinary_start(harness: Harness) -> None:
    ana = harness.person()
    await add_member(harness.db, 1002, full_name="Bea")
    bea = harness.person(user_id=1002)
    await bea.send("/start")  # her first visit; the links below find her back
    for payload in ("zz_1", "ev_", "../etc", "x" * 80):
        assert "Bienvenido(a) a CLIA" in (await ana.send(f"/start {payload}")).text
        assert "Qué gusto verte de nuevo, Bea" in (await bea.send(f"/start {payload}")).text
