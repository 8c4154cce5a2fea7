"""The forms' ConversationHandler: its state saved right after each update it handles, and
taps on other buttons turned away at once.

- python-telegram-bot saves a conversation's new state when the persistence is next
  updated; `flush_after_update` (bot/persistence.py) saves it at the end of the update
  a `Conversation` handled, which it notes (`Ctx.forms_ran`).
- Every tap was offered to every form, which asked each of its entry points (and looked
  the person up in its states) before saying no. A person who is not in the form can only
  enter it through an entry point; a tap whose prefix none of them has is turned away
  before that. Inside a form, its steps still see every tap (and answer those of other
  buttons, see handlers/core/forms.py).
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)
from telegram.ext._handlers.conversationhandler import PendingState
from telegram.ext._utils.types import ConversationKey

from bot import callbacks
from bot.context import Ctx


def _entry_prefixes(entry_points: list[BaseHandler[Update, Any, Any]]) -> frozenset[str] | None:
    """The prefixes of the taps that can enter the form; None when some entry point could
    take any tap (then every tap is offered, as python-telegram-bot does)."""
    prefixes = set()
    for handler in entry_points:
        if isinstance(handler, CallbackQueryHandler):
            prefix = callbacks.prefix_of(handler.pattern)
            if prefix is None:
                return None
            prefixes.add(prefix)
        elif not isinstance(handler, CommandHandler | MessageHandler):  # those take no taps
            return None
    return frozenset(prefixes)


class Conversation(ConversationHandler[Ctx]):
    """A form (see the module's docstring); built like any ConversationHandler."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tap_prefixes = _entry_prefixes(self.entry_points)

    def check_update(self, update: object) -> Any:
        if (
            self._tap_prefixes is not None
            and isinstance(update, Update)
            and update.callback_query is not None
            and isinstance(update.callback_query.data, str)
            and callbacks.prefix(update.callback_query.data) not in self._tap_prefixes
            and not self._in_form(update)
        ):
            return None
        return super().check_update(update)

    def _in_form(self, update: Update) -> bool:
        if update.effective_chat is None or update.effective_user is None:
            return True  # not ours to decide: as python-telegram-bot would
        return self._conversations.get(self._get_key(update)) is not None

    async def handle_update(
        self,
        update: Update,
        application: Application[Any, Ctx, Any, Any, Any, Any],
        check_result: Any,
        context: Ctx,
    ) -> object | None:
        context.forms_ran.append((self, check_result[1]))  # (state, key, handler, check)
        return await super().handle_update(update, application, check_result, context)

    def state_of(self, key: ConversationKey) -> object | None:
        """The person's step in this form now (None: not in it)."""
        return self._conversations.get(key)

    def pending(self, key: ConversationKey) -> bool:
        """A step still running in the background (block=False): saved once it is done."""
        return isinstance(self._conversations.get(key), PendingState)
