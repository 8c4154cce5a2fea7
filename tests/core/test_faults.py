"""Telegram refusing, rate-limiting or being blocked: handled, logged, never shown as a crash."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError

from tests.harness import Harness


async def test_a_failed_reply_ends_in_a_localized_apology(harness: Harness) -> None:
    ana = harness.person()
    harness.api.fail("sendMessage", chat_id=ana.id, description="Bad Request: message is broken")
    replies = await ana.send("/help")
    assert [c.text for c in replies.messages if c.chat_id == ana.id] == [
        "😕 Perdón, algo falló de mi parte. No se perdió nada de lo que enviaste; "
        "inténtalo de nuevo en un momento."
    ]
    assert [c.chat_id for c in replies.messages if c.chat_id != ana.id] == [900]  # admin alert
    assert "Traceback" not in replies.text
    assert len(harness.errors) == 1  # logged with its context
    harness.errors.clear()


async def test_blocking_the_bot_marks_the_member_unreachable_and_back(harness: Harness) -> None:
    ana = harness.person()
    await ana.send("/language")
    await ana.tap("✓ Español")
    harness.api.block(ana.id)
    replies = await ana.send("/help")
    assert [c.method for c in replies.calls] == ["sendMessage"]  # no retry, no apology
    assert await harness.db.fetchval(
        "SELECT unreachable_since IS NOT NULL FROM members WHERE telegram_user_id = ?", (ana.id,)
    )
    assert harness.errors == []  # a blocked bot is not a crash

    harness.api.blocked.clear()
    await ana.send("/help")  # writing again means reachable again
    assert await harness.db.fetchval(
        "SELECT unreachable_since IS NULL FROM members WHERE telegram_user_id = ?", (ana.id,)
    )


async def test_my_chat_member_block_and_unblock(harness: Harness) -> None:
    ana = harness.person()
    await ana.send("/language")
    await ana.tap("✓ Español")

    def change(old: str, new: str) -> dict[str, object]:
        bot = {"id": 7000000001, "is_bot": True, "first_name": "CLIA"}
        return {
            "my_chat_member": {
                "chat": ana.chat,
                "from": ana.user,
                "date": 0,
                "old_chat_member": {"status": old, "user": bot, "until_date": 0},
                "new_chat_member": {"status": new, "user": bot, "until_date": 0},
            }
        }

    query = "SELECT unreachable_since IS NOT NULL FROM members WHERE telegram_user_id = ?"
    await harness.feed(change("member", "kicked"))
    assert await harness.db.fetchval(query, (ana.id,)) == 1
    await harness.feed(change("kicked", "member"))
    assert await harness.db.fetchval(query, (ana.id,)) == 0


async def test_429_is_waited_out_and_the_message_still_arrives(harness: Harness) -> None:
    ana = harness.person()
    harness.api.flood(chat_id=ana.id, retry_after=1, times=1)
    replies = await ana.send("/help")
    sends = [c for c in replies.calls if c.method == "sendMessage"]
    assert len(sends) == 2  # refused once with retry_after, then sent again
    assert "Lo que puedo hacer por ti" in sends[-1].text
    assert harness.errors == []


async def test_the_fake_refuses_methods_it_was_not_taught(harness: Harness) -> None:
    assert harness.app is not None
    with pytest.raises(NetworkError, match="sendDice"):
        await harness.app.bot.send_dice(chat_id=1001)
    assert harness.api.unexpected == ["sendDice"]
    harness.api.unexpected.clear()


async def test_an_edit_that_changes_nothing_is_refused_and_taken_as_done(harness: Harness) -> None:
    """Telegram answers 400 "message is not modified" to an edit that would leave a message as
    it is (the fake does too); the Application's bot and the sender's bot take it as done."""
    assert harness.app is not None
    bot = harness.app.bot
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await bot.send_message(1001, "<b>Hola</b>", reply_markup=keyboard)
    same = await bot.edit_message_text("<b>Hola</b>", 1001, sent.message_id, reply_markup=keyboard)
    assert same is True
    assert [c.ok for c in harness.api.of("editMessageText")] == [False]  # Telegram refused it
    # Other formatting, or another keyboard, is a change (accepted: the `ok` calls below; the
    # Application's bot returns True for edits, whose Message nobody reads, bot/replies.py).
    assert await bot.edit_message_text("Hola", 1001, sent.message_id, reply_markup=keyboard)
    assert await bot.edit_message_reply_markup(1001, sent.message_id)
    # Removing a keyboard that is already gone changes nothing.
    assert await bot.edit_message_reply_markup(1001, sent.message_id) is True
    # The outbox sender edits its live reports through its own bot: covered as well.
    sender_bot = harness.app.bot_data.services.outbox_sender.bot  # type: ignore[union-attr]
    assert await sender_bot.edit_message_text("Hola", 1001, sent.message_id) is True
    assert [c.ok for c in harness.api.calls if c.method.startswith("edit")] == [
        False,
        True,
        True,
        False,
        False,
    ]
    # Any other refusal is still an error.
    harness.api.fail("editMessageText", description="Bad Request: message to edit not found")
    with pytest.raises(BadRequest, match="not found"):
        await bot.edit_message_text("Adiós", 1001, sent.message_id)
    assert harness.errors == []
