"""The one error handler: log with context, apologise in private, never show a traceback."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden, TelegramError

from bot.context import Ctx

log = logging.getLogger(__name__)


async def on_error(update: object, context: Ctx) -> None:
    """Handle what a handler or job raised."""
    error = context.error
    if not isinstance(update, Update):
        log.error("job or internal task failed", exc_info=error)
        return
    user = update.effective_user
    if isinstance(error, Forbidden) and user is not None:
        # The person blocked the bot: not a crash; they are unreachable until they come back.
        await context.services.repos.members.mark_unreachable(user.id, context.now())
        log.info("update %s: the person blocked the bot", update.update_id)
        return
    log.error("update %s failed", update.update_id, exc_info=error)
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await context.bot.send_message(
            chat.id,
            context.t(
                "😕 Sorry, something went wrong on my side. Nothing you sent was lost; "
                "please try again in a moment."
            ),
        )
    except TelegramError:
        log.warning("could not send the apology for update %s", update.update_id)
