"""The one error handler: log with context, tell the person what to do next, never a traceback.

A Telegram failure left after the request layer's retries (bot/retries.py) is not a bug:
it is logged as one warning line, and the person, when the message can be delivered, is
told what to do next. Anything else is logged with its traceback for the developers and
the person gets a short apology. Whatever happened, what the person confirmed was
committed before the reply was attempted, so nothing is lost. Every failure is also
reported as an incident (bot/incidents.py: the operations feature tells the admins).
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden, TelegramError

from bot import incidents
from bot.context import Ctx
from bot.retries import ReplyLost, is_transient

log = logging.getLogger(__name__)


async def on_error(update: object, context: Ctx) -> None:
    """Handle what a handler or job raised."""
    error = context.error
    if not isinstance(update, Update):
        if error is not None and is_transient(error):
            log.warning("job or internal task: Telegram did not answer (%s)", error)
        else:
            log.error("job or internal task failed", exc_info=error)
        await _report(update, context)
        return
    user = update.effective_user
    if isinstance(error, Forbidden) and user is not None:
        # The person blocked the bot: not a crash; they are unreachable until they come back.
        await context.services.repos.members.mark_unreachable(user.id, context.now())
        log.info("update %s: the person blocked the bot", update.update_id)
        return
    lost = isinstance(error, ReplyLost) or (error is not None and is_transient(error))
    if lost:
        cause = error.error if isinstance(error, ReplyLost) else error
        log.warning(
            "update %s: a reply did not get through (%s); the person is told how to go on",
            update.update_id,
            type(cause).__name__,
        )
    else:
        log.error("update %s failed", update.update_id, exc_info=error)
    await _tell(update, context, error, lost=lost)
    await _report(update, context)


async def _report(update: object, context: Ctx) -> None:
    """What failed, where and when, without personal data, to whoever listens."""
    if context.error is None:
        return
    job = context.job.name if context.job is not None else None
    incident = incidents.incident_of(context.error, update, context.now(), job)
    await incidents.report(incident, context.services, context.bot)


async def _tell(update: Update, context: Ctx, error: BaseException | None, *, lost: bool) -> None:
    """In a private chat: what to do next (Telegram's trouble) or a short apology (ours)."""
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        return
    with contextlib.suppress(Exception):  # this context is new: speak the person's language
        await context.load_caller(update)
    text = _what_next(update, context, error) if lost else _apology(context)
    if update.callback_query is not None:
        # Stop the button's spinner; refused when the handler had answered already.
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    try:
        await context.bot.send_message(chat.id, text)
    except TelegramError as failure:
        log.warning(
            "could not tell the person about update %s (%s)",
            update.update_id,
            type(failure).__name__,
        )


def _apology(context: Ctx) -> str:
    return context.t(
        "😕 Sorry, something went wrong on my side. Nothing you sent was lost; "
        "please try again in a moment."
    )


def _what_next(update: Update, context: Ctx, error: BaseException | None) -> str:
    """Telegram is having trouble: say so, and what continues the conversation."""
    _ = context.t
    if isinstance(error, ReplyLost):
        return _(
            "⚠️ Telegram is having trouble right now, so my last message may not have "
            "reached you. What you answered is saved: if you don't see my next question, "
            "send /start to continue where you left off."
        )
    if update.callback_query is not None:
        return _(
            "⚠️ Telegram is having trouble right now, so my reply may not have reached you. "
            "Nothing is lost: if you don't see the result, tap the button again in a moment."
        )
    return _(
        "⚠️ Telegram is having trouble right now, so my reply may not have reached you. "
        "Nothing you sent is lost: if you don't see my answer, send it again in a moment."
    )
