"""The one error handler: log with context, apologise in private, never show a traceback,
and report the failure (bot/incidents.py: the operations feature tells the admins)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden, TelegramError

from bot import incidents
from bot.context import Ctx

log = logging.getLogger(__name__)


async def on_error(update: object, context: Ctx) -> None:
    """Handle what a handler or job raised."""
    error = context.error
    if not isinstance(update, Update):
        log.error("job or internal task failed", exc_info=error)
        await _report(update, context)
        return
    user = update.effective_user
    if isinstance(error, Forbidden) and user is not None:
        # The person blocked the bot: not a crash; they are unreachable until they come back.
        await context.services.repos.members.mark_unreachable(user.id, context.now())
        log.info("update %s: the person blocked the bot", update.update_id)
        return
    log.error("update %s failed", update.update_id, exc_info=error)
    await _apologise(update, context)
    await _report(update, context)


async def _report(update: object, context: Ctx) -> None:
    """What failed, where and when, without personal data, to whoever listens."""
    if context.error is None:
        return
    job = context.job.name if context.job is not None else None
    incident = incidents.incident_of(context.error, update, context.now(), job)
    await incidents.report(incident, context.services, context.bot)


async def _apologise(update: Update, context: Ctx) -> None:
    """A short apology in the person's language, in private chats only."""
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
