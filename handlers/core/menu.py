"""The reply-keyboard main menu, so members on phones rarely type commands.

Each item is a label (matched in every language), the callback it runs and the roles it is
for: everyone gets the menu of what they can do now (a pending applicant their profile,
language, privacy and help; a member also events, surveys and groups). A tap on an item that
is not for the person's role (a keyboard sent before their role changed) is answered with why,
and the menu they have now.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import KeyboardButton, Message, ReplyKeyboardMarkup, Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.auth import refusal_text
from bot.context import Ctx
from bot.i18n import I18n, Translator
from bot.roles import Role

Callback = Callable[[Update, Ctx], Coroutine[Any, Any, None]]


EVERYONE: frozenset[Role] = frozenset({"stranger", "applicant", "member", "coordinator", "admin"})
SIGNED_UP: frozenset[Role] = EVERYONE - {"stranger"}  # applicants and members
MEMBERS: frozenset[Role] = SIGNED_UP - {"applicant"}  # active members, coordinators, admins


@dataclass(frozen=True)
class MenuItem:
    label: str  # a msgid
    callback: Callback
    roles: frozenset[Role] = MEMBERS  # who the item is shown to


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


def keyboard(t: Translator, role: Role = "member") -> ReplyKeyboardMarkup:
    """The menu of what someone of this role can do, two buttons a row. The coordinators'
    forms may leave the role out: everyone who reaches them has the members' menu."""
    buttons = [KeyboardButton(t.label(item.label)) for item in items() if role in item.roles]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)


def _for_roles(item: MenuItem) -> Callback:
    """The item's callback for the roles it is for; anyone else is told why, with their menu."""

    async def callback(update: Update, context: Ctx) -> None:
        if context.role in item.roles:
            await item.callback(update, context)
            return
        assert update.effective_chat is not None
        needed: Role = "member" if "applicant" not in item.roles else "applicant"
        await context.bot.send_message(
            update.effective_chat.id,
            refusal_text(context, needed),
            parse_mode=None,
            reply_markup=keyboard(context.t, context.role),
        )

    return callback


def handlers(i18n: I18n) -> list[BaseHandler[Update, Ctx, None]]:
    """One handler per item, matching its label in any shipped language."""
    MENU_BUTTON.learn(i18n)
    result: list[BaseHandler[Update, Ctx, None]] = []
    for item in items():
        labels = sorted({i18n.get(lang).label(item.label) for lang in i18n.languages})
        result.append(
            MessageHandler(filters.ChatType.PRIVATE & filters.Text(labels), _for_roles(item))
        )
    return result
