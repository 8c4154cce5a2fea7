"""Blocking and unblocking the bot (`my_chat_member` in the private chat)."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.ext import BaseHandler, ChatMemberHandler

from bot.context import Ctx


async def bot_status_changed(update: Update, context: Ctx) -> None:
    """Blocked: the member becomes unreachable. Unblocked: reachable again."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    members = context.services.repos.members
    if change.new_chat_member.status == ChatMember.BANNED:
        await members.mark_unreachable(change.from_user.id, context.now())
    elif change.new_chat_member.status == ChatMember.MEMBER:
        await members.mark_reachable(change.from_user.id, context.now())


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [ChatMemberHandler(bot_status_changed, ChatMemberHandler.MY_CHAT_MEMBER)]
