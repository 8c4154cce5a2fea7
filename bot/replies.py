"""Replies made often, made cheaply: what python-telegram-bot would rebuild on every call.

- `edit_text`: python-telegram-bot turns every answer to editMessageText into a `Message`
  (its chat, its sender, its text entities, its keyboard…): on a survey tap that was a tenth
  of the bot's work, for a message nobody looked at. `edit_text` makes the same call through
  the same path (the Application's defaults, rate limiter and retries, bot/retries.py) and
  raises the same errors, but leaves Telegram's answer as it came.
- `KeptKeyboard`: an inline keyboard built once and sent many times (a survey question's)
  is turned into JSON data once, not on every call.
"""

from __future__ import annotations

from typing import Any

from telegram import Bot, InlineKeyboardMarkup
from telegram.ext import ExtBot

JSONDict = dict[str, Any]


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


async def edit_text(
    bot: Bot,
    chat_id: int,
    message_id: int,
    text: str,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> None:
    """editMessageText, in the parse mode of the bot's defaults; the edited message unread."""
    defaults = bot.defaults if isinstance(bot, ExtBot) else None
    data: dict[str, Any] = {
        "chat_id": chat_id,
        "message_id": message_id,
        "text": text,
        "parse_mode": defaults.parse_mode if defaults is not None else None,
        "reply_markup": reply_markup,
    }
    await bot._post("editMessageText", data)  # the call edit_message_text makes, unparsed
