"""The reply-keyboard main menu, so members on phones rarely type commands.

Each item is a label (matched in every language) and the callback it runs.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import KeyboardButton, Message, ReplyKeyboardMarkup, Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.context import Ctx
from bot.i18n import I18n, Translator

Callback = Callable[[Update, Ctx], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class MenuItem:
    label: str  # a msgid
    callback: Callback


_items: tuple[MenuItem, ...] = ()


def set_items(menu_items: Sequence[MenuItem]) -> None:
    """Called once from handlers/__init__.py: the features own the callbacks, so the menu
    is given them rather than importing the features (core sits below every feature)."""
    global _items
    _items = tuple(menu_items)


def items() -> tuple[MenuItem, ...]:
    """The menu in display order."""
    return _items


class _MenuButton(filters.MessageFilter):
    """A tap on a main-menu button: its label, in any shipped language.

    The menu stays under the text box during forms, so a form's text steps exclude these
    (`TYPED`): a tap on "📅 Events" is never stored as a title or an answer.
    """

    def __init__(self) -> None:
        super().__init__(name="menu button")
        self.labels: frozenset[str] = frozenset()

    def learn(self, i18n: I18n) -> None:
        self.labels = frozenset(
            i18n.get(lang).label(item.label) for item in items() for lang in i18n.languages
        )

    def filter(self, message: Message) -> bool:
        return message.text in self.labels


MENU_BUTTON = _MenuButton()
TYPED = filters.TEXT & ~filters.COMMAND & ~MENU_BUTTON  # what a form's text steps accept


def keyboard(t: Translator) -> ReplyKeyboardMarkup:
    buttons = [KeyboardButton(t.label(item.label)) for item in items()]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)


def handlers(i18n: I18n) -> list[BaseHandler[Update, Ctx, None]]:
    """One handler per item, matching its label in any shipped language."""
    MENU_BUTTON.learn(i18n)
    result: list[BaseHandler[Update, Ctx, None]] = []
    for item in items():
        labels = sorted({i18n.get(lang).label(item.label) for lang in i18n.languages})
        result.append(
            MessageHandler(filters.ChatType.PRIVATE & filters.Text(labels), item.callback)
        )
    return result
