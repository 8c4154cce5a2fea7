"""Replies made often, made cheaply: what python-telegram-bot would build on every call for
nothing.

- `ReplyBot`, the Application's bot: python-telegram-bot turns the answer to every edit
  into a `Message` (its chat, sender, entities, keyboard…), and no handler reads it; on a
  survey tap that was a tenth of the bot's work. Edits here return True (as Telegram does
  for inline messages) once Telegram has accepted them; errors are raised as before.
- `send_text`: sendMessage when only the new message's id is needed (the forms' questions,
  the outbox sender's deliveries); its inline keyboard goes through `kept`.
- `KeptKeyboard`: an inline keyboard built once and sent many times (a survey question's)
  is turned into JSON data once, not on every call; `kept` finds the kept copy of a
  keyboard built again with the same buttons (a form's step, an invitation's Start).
- `ReplyLimiter`, the Application's rate limiter: AIORateLimiter paces groups (20 messages
  a minute) and waits out a 429; a reply in a private chat (or a tap's answer) while no
  429 holds the bot back has nothing to wait for, and goes straight out.

The calls themselves, their parameters and the path they take (the rate limiter, the retries
of bot/retries.py) are those of python-telegram-bot's own methods; `send_text` fills in the
defaults' parse mode itself.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, ExtBot

JSONDict = dict[str, Any]

# Edits whose answer (the edited message) nothing reads: see the module's docstring.
UNREAD = frozenset({"editMessageText", "editMessageReplyMarkup", "editMessageCaption"})


class ReplyBot(ExtBot[Any]):
    """The Application's bot; edits return True instead of the edited Message."""

    async def _post(
        self, endpoint: str, data: JSONDict | None = None, *args: Any, **kwargs: Any
    ) -> Any:
        result = await super()._post(endpoint, data, *args, **kwargs)
        return True if endpoint in UNREAD else result


async def send_text(
    bot: Bot,
    chat_id: int,
    text: str,
    reply_markup: Any = None,
    *,
    parse_mode: str | None = None,
    message_thread_id: int | None = None,
) -> int:
    """sendMessage (in `parse_mode`, else that of the bot's defaults); the new message's id.

    The parameters are complete as given: they go to the request (through the bot's rate
    limiter) without python-telegram-bot's pass inserting defaults."""
    defaults = bot.defaults if isinstance(bot, ExtBot) else None
    data: JSONDict = {"chat_id": chat_id, "text": text}
    parse_mode = parse_mode or (defaults.parse_mode if defaults is not None else None)
    if parse_mode is not None:
        data["parse_mode"] = parse_mode
    if reply_markup is not None:
        data["reply_markup"] = kept(reply_markup)
    if message_thread_id is not None:
        data["message_thread_id"] = message_thread_id
    sent = await bot._do_post("sendMessage", data)  # the call send_message makes, unparsed
    assert isinstance(sent, dict)
    return int(sent["message_id"])


class KeptKeyboard(InlineKeyboardMarkup):
    """An inline keyboard kept and sent again: its data is built on the first send only
    (keyboards are immutable; the data is only read, to be sent)."""

    __slots__ = ("_data",)

    def to_dict(self, recursive: bool = True) -> JSONDict:
        if not recursive:
            return super().to_dict(recursive=False)
        data: JSONDict | None = getattr(self, "_data", None)
        if data is None:
            data = super().to_dict()
            object.__setattr__(self, "_data", data)  # frozen for everything else
        return data


_KEPT: dict[InlineKeyboardMarkup, KeptKeyboard] = {}
_KEPT_MAX = 4096


def kept(markup: Any) -> Any:
    """The kept copy of an inline keyboard (equal buttons, equal keyboard); anything else as
    it is. A keyboard is hashed by its buttons, far cheaper than turning it into data."""
    if not isinstance(markup, InlineKeyboardMarkup) or isinstance(markup, KeptKeyboard):
        return markup
    found = _KEPT.get(markup)
    if found is None:
        if len(_KEPT) >= _KEPT_MAX:
            _KEPT.clear()
        found = _KEPT[markup] = KeptKeyboard(markup.inline_keyboard)
    return found


class ReplyLimiter(AIORateLimiter):
    """AIORateLimiter with a straight way out for private chats (see the module docstring)."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        chat_id = data.get("chat_id")
        private = chat_id is None or (isinstance(chat_id, int) and chat_id > 0)
        # AIORateLimiter clears this event while it waits out a 429 for everyone.
        if private and not data.get("allow_paid_broadcast") and self._retry_after_event.is_set():
            try:
                return await callback(*args, **kwargs)
            except RetryAfter:
                pass  # waited out and sent again by AIORateLimiter, as any call
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
