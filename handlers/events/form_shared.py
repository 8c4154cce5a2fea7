"""What the steps of the coordinators' event form share, wherever they live: the answers so
far (the draft, kept in the person's user data), the form's buttons (`ef:<step>:<choice>`),
the length limits and their message, and reading a place or an online link from what was
typed. The form itself, its states and entry points, is put together in form.py.
"""

from __future__ import annotations

import re
from typing import Any

from telegram import InlineKeyboardButton

from bot import callbacks
from bot.context import Ctx
from handlers.core import forms

TITLE_MAX, DESCRIPTION_MAX, PLACE_MAX = 120, 2000, 200
_URL = re.compile(r"https?://\S+")


def form_draft(context: Ctx) -> dict[str, Any]:
    """The event form's answers so far (user data under "ev", so they survive a restart)."""
    return forms.draft(context, "ev")


def form_button(label: str, *parts: str | int) -> InlineKeyboardButton:
    """A button of the event form: its data starts with `ef`, the form's own prefix."""
    return InlineKeyboardButton(label, callback_data=callbacks.pack("ef", *parts))


def too_long(context: Ctx, maximum: int, text: str) -> str:
    """The reply to a text over its limit, saying both numbers."""
    return context.t(
        "That is too long: at most {maximum} characters (yours has {count}).",
        maximum=maximum,
        count=len(text),
    )


def place_and_link(text: str) -> tuple[str | None, str | None]:
    """(place, online link) from what was typed: a link alone, a place, or both."""
    link = _URL.search(text)
    url = link.group(0) if link else None
    place = _URL.sub("", text).strip(" ,;-\n") if link else text.strip()
    return (place or None), url
