"""What each update costs the bot, held by behaviour: a person's changes are seen by their very
next update though members and surveys are cached, forms save their state though most updates
skip the persistence, and a survey tap runs a handful of SQL statements."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import pytest
from telegram.ext import CommandHandler, ConversationHandler

from bot.conversations import Conversation
from bot.persistence import check_conversations


async def _noop(update: object, context: object) -> None:
    return None


def _form(kind: type[ConversationHandler]) -> ConversationHandler:  # type: ignore[type-arg]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return kind(
            entry_points=[CommandHandler("x", _noop)],
            states={},
            fallbacks=[],
            name="form_x",
            persistent=True,
        )


def test_every_persistent_form_saves_its_state_after_the_update() -> None:
    """A plain ConversationHandler would be saved by python-telegram-bot's minute only."""
    check_conversations(SimpleNamespace(handlers={0: [_form(Conversation)]}))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"form_x: use bot\.conversations\.Conversation"):
        check_conversations(SimpleNamespace(handlers={0: [_form(ConversationHandler)]}))  # type: ignore[arg-type]
