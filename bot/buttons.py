"""Taps reach their handler by the prefix of the button's data, not by asking every handler.

python-telegram-bot asks the handlers of a group one by one whether an update is theirs:
a tap on a survey answer was checked against some sixty handlers before its own. After
registration, `index_buttons` puts one `Buttons` handler in place of a group's plain button
handlers (CallbackQueryHandlers with a `callbacks.pattern`), where the first of them was: it
asks only the handlers of the tap's prefix (`sv` of `sv:12:34:o2`), in their order.

Every tap reaches the same handler as before: in a group, besides these, only conversations
(registered before the first of them, and asked first as before) and a catch-all without a
pattern (registered after them, asked after as before) can take a tap; commands, messages
and the other kinds of handler never take one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeGuard, cast

from telegram import Update
from telegram.ext import Application, BaseHandler, CallbackQueryHandler
from telegram.ext._utils.types import CCT

from bot import callbacks

ButtonHandler = CallbackQueryHandler[Any, Any]


class Buttons(BaseHandler[Update, Any, object]):
    """The plain button handlers of a group, by the prefix of the data they match."""

    def __init__(self, handlers: Sequence[ButtonHandler]) -> None:
        super().__init__(self._never_called)
        self.by_prefix: dict[str, list[ButtonHandler]] = {}
        for handler in handlers:
            prefix = callbacks.prefix_of(handler.pattern)
            if prefix is None or handler.block is False:
                raise ValueError(f"not a plain button handler: {handler}")
            self.by_prefix.setdefault(prefix, []).append(handler)

    def check_update(self, update: object) -> tuple[ButtonHandler, object] | None:
        if not isinstance(update, Update) or update.callback_query is None:
            return None
        data = update.callback_query.data
        if not isinstance(data, str):
            return None
        for handler in self.by_prefix.get(callbacks.prefix(data), ()):
            check = handler.check_update(update)
            if check is not None and check is not False:
                return handler, check
        return None

    async def handle_update(
        self,
        update: Update,
        application: Application[Any, CCT, Any, Any, Any, Any],
        check_result: object,
        context: CCT,
    ) -> object:
        handler, check = cast(tuple[ButtonHandler, object], check_result)
        return await handler.handle_update(update, application, check, context)

    @staticmethod
    async def _never_called(update: object, context: object) -> None:
        raise AssertionError("Buttons hands each tap to the handler of its prefix")


def _plain(handler: BaseHandler[Any, Any, Any]) -> TypeGuard[ButtonHandler]:
    return (
        isinstance(handler, CallbackQueryHandler)
        and callbacks.prefix_of(handler.pattern) is not None
        and handler.block is not False
    )


def index_buttons(application: Application[Any, Any, Any, Any, Any, Any], group: int) -> None:
    """Replace the group's plain button handlers by one `Buttons`, where the first was."""
    handlers = application.handlers.get(group, [])
    plain = [h for h in handlers if _plain(h)]
    if not plain:
        return
    at = handlers.index(plain[0])
    kept = [h for h in handlers if not _plain(h)]
    kept.insert(at, Buttons(plain))
    handlers[:] = kept  # the group's list, in place: the Application iterates it per update
