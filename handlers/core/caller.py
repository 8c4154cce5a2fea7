"""Pre-handlers: run before every feature handler (negative groups)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot import callbacks
from bot.context import Ctx

log = logging.getLogger(__name__)


def _kind(update: Update) -> str:
    """What kind of update this is, without any of its content (no personal data)."""
    for name in (
        "message",
        "edited_message",
        "callback_query",
        "my_chat_member",
        "chat_join_request",
        "poll_answer",
        "poll",
        "channel_post",
        "chat_member",
    ):
        if getattr(update, name, None) is not None:
            return name
    return "other"


async def load_caller(update: Update, context: Ctx) -> None:
    """Find who is writing and in which language to answer them."""
    await context.load_caller(update)
    if log.isEnabledFor(logging.DEBUG):
        log.debug("update %d: %s from a %s", update.update_id, _kind(update), context.role)
    member, chat = context.member, update.effective_chat
    came_back = member is not None and member.unreachable_since is not None
    if came_back and chat is not None and chat.type == ChatType.PRIVATE:
        assert member is not None
        await context.services.repos.members.mark_reachable(member.telegram_user_id, context.now())


async def edited_message(update: Update, context: Ctx) -> None:
    """Edits do not replay a step; say so in private chats, ignore them in groups."""
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        await context.bot.send_message(
            chat.id,
            context.t(
                "✏️ I don't read edited messages. If something was wrong, just send it again."
            ),
        )
    raise ApplicationHandlerStop


async def malformed_button(update: Update, context: Ctx) -> None:
    """Button data we could never have sent: answer "expired", let no handler see it."""
    assert update.callback_query is not None
    await update.callback_query.answer(
        context.t.label("This button has expired. Please start again."), show_alert=True
    )
    raise ApplicationHandlerStop


def guards() -> list[BaseHandler[Update, Ctx, None]]:
    """Updates that stop before any feature sees them."""
    return [
        MessageHandler(filters.UpdateType.EDITED, edited_message),
        CallbackQueryHandler(
            malformed_button, pattern=lambda data: not callbacks.well_formed(data)
        ),
    ]
