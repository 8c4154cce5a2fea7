"""The community group's forum topics: /bindtopic, sent by a coordinator inside a topic, has
that axis's event announcements posted there too (notices.announce reads the binding).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.auth import allowed
from bot.context import Ctx
from bot.labels import axis_name


async def bind_topic(update: Update, context: Ctx) -> None:
    """/bindtopic <axis> inside a forum topic: that axis's announcements are posted there too."""
    message = update.effective_message
    assert message is not None
    if not await allowed(update, context, "coordinator"):
        return
    _ = context.t
    community = context.services.settings.community_chat_id
    if community is None or message.chat.id != community or not message.is_topic_message:
        await message.reply_text(_("Send /bindtopic inside a topic of the community group."))
        return
    axes = {a.code: a for a in await context.services.repos.reference.axes()}
    names = {axis_name(_, code).split(" ", 1)[-1].lower(): code for code in axes}
    wanted = " ".join(context.args or []).strip().lower()
    code = wanted if wanted in axes else names.get(wanted)
    if code is None:
        choices = ", ".join(sorted(axes))
        await message.reply_text(
            _("Which axis? For example /bindtopic innovation ({choices}).", choices=choices)
        )
        return
    axis = axes[code]
    if not await allowed(update, context, "coordinator", axis.id):
        return
    assert message.message_thread_id is not None
    member_id = context.member.id if context.member else None
    now = context.now()
    await context.services.repos.events.bind_topic(
        axis.id, message.chat.id, message.message_thread_id, member_id, now
    )
    await context.services.repos.audit.record(
        now, member_id, "topic.bind", "axis", axis.id, thread=message.message_thread_id
    )
    await message.reply_text(
        _("✅ Announcements of {axis} will also be posted in this topic.", axis=axis_name(_, code))
    )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [CommandHandler("bindtopic", bind_topic, filters=filters.ChatType.SUPERGROUP)]
