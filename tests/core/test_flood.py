"""One person flooding is throttled with one notice; everyone else is served as usual."""

from __future__ import annotations

from tests.harness import Harness


async def test_a_flood_is_throttled_while_another_member_signs_up(harness: Harness) -> None:
    flooder = harness.person(user_id=6666, first_name="Flo")
    ana = harness.person(user_id=1001, first_name="Ana", last_name="López")
    batch = [flooder.text_update(f"spam {i}") for i in range(60)]
    batch.insert(30, ana.text_update("/start"))
    replies = await harness.feed_all(batch)

    to_flooder = [c.text for c in replies.messages if c.chat_id == flooder.id]
    notices = [t for t in to_flooder if t.startswith("🐢")]
    assert notices == ["🐢 Vas muy rápido con los mensajes. Espera un momento y luego sigue."]
    answered = [t for t in to_flooder if t.startswith("¡Hola! Soy el bot")]
    assert 1 <= len(answered) <= 9  # the first few were answered, the rest dropped

    # Ana was served normally in the same batch, and goes on signing up.
    assert any("¡Bienvenido(a) a CLIA" in c.text for c in replies.messages if c.chat_id == ana.id)
    replies = await ana.tap("✓ Español")
    assert "Aviso de privacidad" in replies.text

    # Once the burst is over, the flooder is answered again.
    assert "Envía /start" in (await flooder.send("hola")).text


async def test_the_same_persons_updates_keep_their_order(harness: Harness) -> None:
    ana = harness.person(user_id=1001, first_name="Ana", last_name="López")
    await ana.send("/start")
    await ana.tap("✓ Español")
    await ana.tap("✅ Acepto")
    # A name and the next answer sent together arrive in order, not raced.
    replies = await harness.feed_all([ana.text_update("Ana López"), ana.text_update("Flex")])
    texts = [c.text for c in replies.messages]
    assert any("¿En qué organización trabajas?" in t for t in texts)
    assert any("Organizaciones que coinciden con «Flex»" in t for t in texts)
    assert (
        await harness.db.fetchval("SELECT full_name FROM members WHERE telegram_user_id = 1001")
        == "Ana López"
    )
