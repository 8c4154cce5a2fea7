"""Letting a member in: the welcome of a newly active member and their group join requests.

Used by sign-up (an invitation makes someone active at once) and by approval.
"""

from __future__ import annotations

import logging

from telegram.error import TelegramError

from bot.context import Ctx
from bot.roles import effective_role
from handlers.core import menu
from storage.models import Member

log = logging.getLogger(__name__)


async def welcome_active(context: Ctx, member: Member) -> None:
    """Tell a new active member they are in, in their language, with the members' menu (it
    replaces an applicant's)."""
    services = context.services
    t = services.i18n.get(services.i18n.resolve(member.language, None))
    role = effective_role(member, member.telegram_user_id, services.settings.admin_ids)
    assert member.chat_id is not None
    await context.bot.send_message(
        member.chat_id,
        t(
            "🎉 Welcome to CLIA, {name}! You are now a member. You will hear about events "
            "and surveys of your axes here. Use the buttons below to get around.",
            name=member.full_name or "",
        ),
        reply_markup=menu.keyboard(t, role),
    )


async def admit_to_community(context: Ctx, member: Member, *, admit: bool = True) -> None:
    """The group join requests this person made before a decision: approved once they are
    active, declined when their application is rejected."""
    bot = context.bot
    answer = bot.approve_chat_join_request if admit else bot.decline_chat_join_request
    for chat_id in await context.services.repos.members.take_join_requests(member.telegram_user_id):
        try:
            await answer(chat_id, member.telegram_user_id)
        except TelegramError as error:  # the request may have expired or been withdrawn
            log.info("join request of member %s left as it was: %s", member.id, error.message)
