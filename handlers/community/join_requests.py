"""The community supergroup's gate: join requests are approved for active members only.

Anyone else gets a private message inviting them to sign up, and their request
is approved by the bot as soon as their membership becomes active (the pattern
of python-telegram-bot's rules-bot).
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import BaseHandler, ChatJoinRequestHandler

from bot.context import Ctx

log = logging.getLogger(__name__)


async def join_request(update: Update, context: Ctx) -> None:
    """Someone asked to join the community group."""
    request = update.chat_join_request
    assert request is not None
    services = context.services
    user_id = request.from_user.id
    if context.role in ("member", "coordinator", "admin"):
        await request.approve()
        return
    await services.repos.members.add_join_request(user_id, request.chat.id, context.now())
    _ = context.t
    text = (
        _(
            "⏳ Thanks for asking to join the CLIA community group. Your membership "
            "application is being reviewed; I will let you into the group as soon as it is "
            "approved."
        )
        if context.role == "applicant"
        else _(
            "👋 The CLIA community group is for members of the cluster. Send /start to sign "
            "up (about a minute); I will let you into the group as soon as your membership "
            "is active."
        )
    )
    try:
        await context.bot.send_message(request.user_chat_id, text)
    except Forbidden:
        log.info("could not write to a person who asked to join the group")
    except TelegramError as error:
        log.warning("join request message failed: %s", error.message)


def handlers(community_chat_id: int | None) -> list[BaseHandler[Update, Ctx, None]]:
    if community_chat_id is None:
        return []
    return [ChatJoinRequestHandler(join_request, chat_id=community_chat_id)]
