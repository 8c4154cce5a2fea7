"""Unexpected errors, described without personal data, for whoever listens (the admins' alerts).

The error handler (handlers/core/errors.py) turns what a handler or a job raised into an
`Incident` and calls `report`; the operations feature registers the listener that stores it
and tells the admins (from handlers/__init__.py, as renderers are registered in
bot/notices.py), so core needs no feature and bot/ none of handlers/.

An incident names the exception's type and the function of the bot that raised it, and what
the bot was doing ("command /results", "button ev", "job event-reminders"): never the
exception's message, the text someone typed or a name, which may all hold personal data.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from telegram import Bot, Update

from bot.retries import is_transient
from bot.services import Services

log = logging.getLogger(__name__)

OUR_PACKAGES = frozenset({"bot", "handlers", "storage"})


@dataclass(frozen=True)
class Incident:
    kind: str  # the throttling key: "KeyError in handlers.events.cards.rsvp"
    source: str  # what the bot was doing: "command /results", "button ev", "job backups"
    at: datetime
    alert: bool = True  # False: stored and counted, but nobody is woken (passing network trouble)


Listener = Callable[[Incident, Services, Bot], Awaitable[None]]
_listeners: list[Listener] = []


def register(listener: Listener) -> None:
    """Called once from handlers/__init__.py; registering the same listener again is a no-op."""
    if listener not in _listeners:
        _listeners.append(listener)


async def report(incident: Incident, services: Services, bot: Bot) -> None:
    """Tell every listener; a failing listener is logged, never raised to the caller."""
    for listener in _listeners:
        try:
            await listener(incident, services, bot)
        except Exception:
            log.exception("could not report an incident (%s)", incident.kind)


# The shared request path every Bot API call goes through: never "where" an error happened, since
# every call passes there; the feature's function that made the call is.
CALL_PATH = frozenset({"bot.retries", "bot.replies"})


def describe(error: BaseException) -> str:
    """The exception's type and the deepest function of the bot it passed through."""
    where = None
    for frame, _line in traceback.walk_tb(error.__traceback__):
        module = str(frame.f_globals.get("__name__", ""))
        if module.split(".")[0] in OUR_PACKAGES and module not in CALL_PATH:
            where = f"{module}.{frame.f_code.co_name}"
    name = type(error).__name__
    return f"{name} in {where}" if where else name


def source_of(update: object, job_name: str | None = None) -> str:
    """What the bot was doing, without content: a command's name, a button's prefix."""
    if job_name is not None:
        return f"job {job_name}"
    if not isinstance(update, Update):
        return "background task"
    message = update.effective_message
    if update.callback_query is not None:
        data = update.callback_query.data or ""
        return f"button {data.split(':', 1)[0][:20]}".rstrip()
    if message is not None and message.text and message.text.startswith("/"):
        command = message.text.split()[0].split("@")[0]
        return f"command {command[:32]}"
    for kind in ("message", "edited_message", "poll_answer", "chat_join_request", "my_chat_member"):
        if getattr(update, kind, None) is not None:
            return kind.replace("_", " ")
    return "update"


def incident_of(
    error: BaseException, update: object, at: datetime, job_name: str | None = None
) -> Incident:
    """The incident for what the error handler received. Network trouble reaching Telegram
    (a timeout, a dropped connection) passes by itself: it is counted, not alerted. Telegram
    refusing a request (BadRequest, which python-telegram-bot derives from NetworkError) is
    a failure of the bot's and is alerted."""
    passing = is_transient(error)  # also a form's reply lost that way (ReplyLost)
    return Incident(
        kind=describe(error), source=source_of(update, job_name), at=at, alert=not passing
    )
