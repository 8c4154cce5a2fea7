"""The Bot classes every call to Telegram goes through: the Application's and the sender's.

Telegram refuses an edit that would leave a message exactly as it is (400 "message is not
modified"): the same text, formatting and buttons, or a keyboard removed that is already
gone. For the bot that is success, not a failure: what the edit wanted is what the person
sees. A double tap, a second coordinator deciding on the same application, an old button
on a message that already says the outcome, a list shown again unchanged: all end here,
once, instead of in every handler (or in an apology to the person).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any

from telegram import Bot
from telegram.error import BadRequest
from telegram.ext import ExtBot

log = logging.getLogger(__name__)

_EDITS = frozenset(
    {"editMessageText", "editMessageCaption", "editMessageMedia", "editMessageReplyMarkup"}
)
_NOT_MODIFIED = "message is not modified"


def unchanged(endpoint: str, error: BadRequest) -> bool:
    """Was this refusal Telegram saying the edit would change nothing?"""
    return endpoint in _EDITS and _NOT_MODIFIED in error.message.lower()


async def _answered(endpoint: str, call: Awaitable[Any]) -> Any:
    """The call's result; True (Telegram's answer to an edit without a Message to return)
    when the call was an edit that changed nothing."""
    try:
        return await call
    except BadRequest as error:
        if not unchanged(endpoint, error):
            raise
        log.debug("%s changed nothing: the message already shows it", endpoint)
        return True


class ClusterBot(ExtBot[Any]):
    """The Application's bot (defaults, rate limiter): an unchanged edit is a success."""

    async def _do_post(self, endpoint: str, data: Any, **kwargs: Any) -> Any:
        return await _answered(endpoint, super()._do_post(endpoint, data, **kwargs))


class SenderBot(Bot):
    """The outbox sender's plain bot (no defaults, no rate limiter; see bot/sender.py): its
    live report edits treat an unchanged edit as a success too."""

    async def _do_post(self, endpoint: str, data: Any, **kwargs: Any) -> Any:
        return await _answered(endpoint, super()._do_post(endpoint, data, **kwargs))
