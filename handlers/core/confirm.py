"""Confirming buttons act once; a second tap is told what already happened.

What decides is the database, never timing or memory: a conditional write whose result says
whether this tap acted (an application still pending, a role not yet given, an event still
published, a survey still open, a broadcast still scheduled, a member still there), or, for
what a form creates (an event, a survey, an announcement), the draft's key: its confirming
button carries it, and the repository records it with the audit entry of what it made, in the
same transaction (storage/audit_trail.py). A double tap, a second coordinator, a tap replayed
after a restart or an old button then acts no more, and gets `already_done`.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Callable
from typing import Any

from telegram import Update

from bot.auth import allowed
from bot.context import Ctx
from bot.i18n import Translator

KEY = r"([A-Za-z0-9_-]{8})"  # a draft's key in a button's data


def draft_key(draft: dict[str, Any]) -> str:
    """The key of this draft, made when it is first previewed: every preview of the same
    draft shares it, so whichever of its buttons is tapped first acts, and only once."""
    key = draft.get("key")
    if not isinstance(key, str):
        key = draft["key"] = secrets.token_urlsafe(6)  # 8 characters of A-Z a-z 0-9 _ -
    return key


def key_of(update: Update) -> str:
    """The draft key a confirming button carries (`prefix:action:<key>`)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    return query.data.rsplit(":", 1)[-1]


async def already_done(update: Update, context: Ctx, text: str) -> None:
    """Answer a confirmation that acted before: what happened, in a pop-up (plain text);
    the buttons of the message tapped go (if still there)."""
    query = update.callback_query
    if query is None:  # a typed confirmation (a time) sent again
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, html.escape(text, quote=False))
        return
    await query.answer(text, show_alert=True)
    await query.edit_message_reply_markup(None)


async def expired(update: Update, context: Ctx) -> None:
    """A confirming button that never acted and whose draft is gone: change nothing."""
    query = update.callback_query
    assert query is not None
    await query.answer(
        context.t.label("This button has expired. Please start again."), show_alert=True
    )


async def replayed(update: Update, context: Ctx, said: Callable[[Translator, int], str]) -> None:
    """A coordinator's confirming button whose draft is gone (a double tap, an old preview):
    `said(t, number)` of what it made, as the audit log knows it by the button's key; or, if
    it made nothing, that it expired. The role is checked first, as for any staff button."""
    if not await allowed(update, context, "coordinator"):
        return
    done = await context.services.repos.audit.confirmed(key_of(update))
    if done is None:
        await expired(update, context)
        return
    await already_done(update, context, said(context.t, done[1]))
