"""What the modules of supplier development share: their buttons, the "expired" answer, the
member acting for an organization, messages to one person that may have blocked the bot, and
the translator of someone who is not the caller."""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any

from telegram import InlineKeyboardButton, Message, Update
from telegram.error import Forbidden, TelegramError

from bot import callbacks
from bot.auth import active_member
from bot.context import Ctx
from bot.i18n import N_, Translator
from storage.models import Member

log = logging.getLogger(__name__)

EXPIRED = N_("This button has expired. Please start again.")
TITLE_MAX, DESCRIPTION_MAX, VOLUME_MAX, NOTE_MAX, REASON_MAX = 120, 2000, 200, 500, 500


_LETTER = re.compile(r"[^\W\d_]")


def letters(text: str) -> int:
    """How many letters a text has (any alphabet), to refuse "…" or "123" as a title."""
    return len(_LETTER.findall(text))


def button(label: str, *parts: str | int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.pack(*parts))


async def take_buttons(update: Update) -> str:
    """A step's button tapped: acknowledged, the buttons taken off that message (so the step
    cannot be answered twice); the last part of its data (`si:yes` → "yes")."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    return query.data.rsplit(":", 1)[-1]


async def expired(update: Update, context: Ctx) -> None:
    """A tap on something that is gone, or that this person may not see: change nothing."""
    assert update.callback_query is not None
    await update.callback_query.answer(context.t.label(EXPIRED), show_alert=True)


async def alert(update: Update, text: str) -> None:
    """Answer a tap with a pop-up (plain text)."""
    assert update.callback_query is not None
    await update.callback_query.answer(text, show_alert=True)


async def organization_member(update: Update, context: Ctx) -> Member | None:
    """The caller as an active member of an organization; otherwise told why."""
    member = await active_member(update, context)
    if member is None:
        return None
    if member.organization_id is None:
        text = context.t.label(
            "Your profile has no organization. Choose it in /profile, then try again."
        )
        if update.callback_query is not None:
            await alert(update, text)
        else:
            assert update.effective_chat is not None
            await context.bot.send_message(update.effective_chat.id, text, parse_mode=None)
        return None
    return member


def translator(context: Ctx, language: str | None) -> Translator:
    """Someone else's language (a buyer, a supplier, a coordinator)."""
    i18n = context.services.i18n
    return i18n.get(i18n.resolve(language, None))


async def send_to(context: Ctx, chat_id: int, text: str, markup: Any = None) -> Message | None:
    """A message to one person who is not the caller; None when it could not be delivered (a
    person who blocked the bot is marked unreachable)."""
    try:
        return await context.bot.send_message(chat_id, text, reply_markup=markup)
    except Forbidden:
        await context.services.repos.members.mark_unreachable(chat_id, context.now())
    except TelegramError as error:
        log.warning("could not send a sourcing message: %s", error.message)
    return None


async def edit_quietly(
    context: Ctx, chat_id: int, message_id: int, text: str, markup: Any = None
) -> bool:
    """Edit a message shown earlier (it may be gone or unchanged); True when it was edited."""
    try:
        await context.bot.edit_message_text(text, chat_id, message_id, reply_markup=markup)
    except TelegramError as error:
        log.debug("could not edit a sourcing message: %s", error.message)
        return False
    return True


HALF_ROW = 20  # columns of a label that fit half a phone's row of buttons (CJK counts two)


def columns(text: str) -> int:
    """How wide a label is on a phone, in columns: East Asian wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def toggle_rows(
    buttons: list[InlineKeyboardButton], names: list[str]
) -> list[list[InlineKeyboardButton]]:
    """Toggles two to a row where both names (with room for the ✓) fit half a phone's row,
    else alone: Telegram's apps keep a label on one line and cut what does not fit
    ("✓ Electrónica / ensamble …"). Decided on the names, so a tick never moves a button."""
    fits = [columns("✓ " + name) <= HALF_ROW for name in names]
    rows: list[list[InlineKeyboardButton]] = []
    i = 0
    while i < len(buttons):
        if i + 1 < len(buttons) and fits[i] and fits[i + 1]:
            rows.append([buttons[i], buttons[i + 1]])
            i += 2
        else:
            rows.append([buttons[i]])
            i += 1
    return rows
