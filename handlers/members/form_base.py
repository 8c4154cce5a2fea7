"""What every module of the member form shares: its answers so far, the edit-from-profile
mode, the member row as it is now, its buttons (`su:…`), the messages of a step that offer
buttons (retired together once the step is answered) and the reply to an answer that does
not pass validation.

Kept below the modules that ask and answer the steps, so that they import it and not each
other in circles.
"""

from __future__ import annotations

import contextlib
import functools
from typing import Any

from telegram import InlineKeyboardButton, Update
from telegram.error import TelegramError

from bot import callbacks, validation
from bot.context import Ctx
from handlers.core.forms import say
from storage.models import Member


def form_data(context: Ctx) -> dict[str, Any]:
    """The form's answers so far and its mode, in the person's user data (persisted)."""
    assert context.user_data is not None
    return context.user_data


def profile_mode(context: Ctx) -> bool:
    """True when one field is edited from /profile rather than signing up."""
    return bool(form_data(context).get("mode") == "profile")


async def current_member(update: Update, context: Ctx) -> Member | None:
    """The member row as it is now (it changes during the form)."""
    assert update.effective_user is not None
    return await context.services.repos.members.by_telegram_id(update.effective_user.id)


@functools.lru_cache(maxsize=4096)
def button(label: str, *parts: str | int) -> InlineKeyboardButton:
    """A button of the form; its data starts with `su`, which stale taps are matched by.
    Built once per label and data (buttons are immutable) and shared by every keyboard."""
    return InlineKeyboardButton(label, callback_data=callbacks.pack("su", *parts))


_OFFERS = "offers"  # ids of the messages whose buttons answer the current step


def offered(context: Ctx, message_id: int) -> None:
    """This message's buttons answer the current step, beside any sent before for it (the
    organization list and the results of each search)."""
    offers: list[int] = form_data(context).setdefault(_OFFERS, [])
    offers[:] = [*offers[-9:], message_id]


async def retire_offers(update: Update, context: Ctx) -> None:
    """The step is answered: the buttons of its other messages go, so that none looks live
    (the tapped one is edited by its own handler)."""
    tapped = update.callback_query.message if update.callback_query else None
    tapped_id = tapped.message_id if tapped is not None else None
    chat = update.effective_chat
    for message_id in form_data(context).pop(_OFFERS, []):
        if message_id != tapped_id and chat is not None:
            with contextlib.suppress(TelegramError):  # deleted, or already without buttons
                await context.bot.edit_message_reply_markup(chat.id, message_id, reply_markup=None)


async def reject(update: Update, context: Ctx, problem: validation.Problem, step: str) -> str:
    """Say what is wrong with a typed answer and stay at the step."""
    await say(update, context, context.t(problem.message, **problem.values))
    return step
