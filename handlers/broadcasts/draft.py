"""The announcement being prepared: the form's states, where its draft is kept, its buttons
(`bc:…`) and the answer to a button of an earlier step.

Kept below the audience picker, the preview and the form so that they import it and not
each other in circles. The state names are stored in SQLite with the conversation: keep
them stable.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, Update

from bot import callbacks
from bot.context import Ctx
from handlers.core import forms

COMPOSE, AUDIENCE, PICK, PREVIEW, WHEN = (
    "bc_compose",
    "bc_audience",
    "bc_pick",
    "bc_preview",
    "bc_when",
)


def draft_of(context: Ctx) -> dict[str, Any]:
    """The draft in the coordinator's user data (persisted, so a restart loses nothing)."""
    return forms.draft(context, "bc")


def button(label: str, *parts: str | int) -> InlineKeyboardButton:
    """A button of the form; its data starts with `bc`, which stale taps are matched by."""
    return InlineKeyboardButton(label, callback_data=callbacks.pack("bc", *parts))


async def expired(update: Update, context: Ctx) -> str:
    """A button of an earlier step or another draft: say so, change nothing."""
    query = update.callback_query
    if query is not None:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
    return PREVIEW
