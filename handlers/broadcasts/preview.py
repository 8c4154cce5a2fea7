"""The preview of an announcement: the message exactly as members will see it, then its
audience, how many it would reach now, and the choices (send now, schedule, change the
audience, cancel).

Reached once an audience is chosen and may be addressed by this coordinator.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update

from bot.auth import may_address
from bot.context import Ctx
from bot.sender import visible_length
from handlers.broadcasts.draft import PREVIEW, button, draft_of
from handlers.core import confirm
from handlers.core.forms import chat_of
from handlers.shared.audience import describe
from storage.audience import Audience, count


async def _send_as_members_see_it(context: Ctx, chat_id: int, draft: dict[str, Any]) -> Message:
    text, media = draft["text"], draft.get("media")
    if media is None:
        return await context.bot.send_message(chat_id, text)
    send = (
        context.bot.send_photo if draft.get("media_kind") == "photo" else context.bot.send_document
    )
    if visible_length(text) <= 1024:
        return await send(chat_id, media, caption=text)
    await send(chat_id, media)
    return await context.bot.send_message(chat_id, text)


async def chosen(update: Update, context: Ctx, audience: Audience) -> str | int | None:
    """An audience was chosen: check it may be addressed, keep it, show the preview.

    Refused: the form stays where it was (None keeps the conversation's state).
    """
    if not await may_address(update, context, audience):
        return None
    if update.callback_query is not None:
        await update.callback_query.answer()
    draft_of(context)["audience"] = audience.model_dump(mode="json")
    return await show_preview(update, context)


async def show_preview(update: Update, context: Ctx) -> str | int:
    """The message exactly as members will see it, then the audience, the count and the choices."""
    _ = context.t
    draft = draft_of(context)
    audience = Audience.model_validate(draft["audience"])
    chat_id = chat_of(update)
    await _send_as_members_see_it(context, chat_id, draft)
    recipients = await count(context.services.db, audience)
    who = await describe(context, _, audience)
    lines = _("👆 This is exactly what members will see.") + "\n\n"
    lines += _("👥 Audience: {who}", who=who) + "\n"
    lines += _._n(
        "📬 It would reach {count} member now (people who turned these notifications off or "
        "blocked the bot are left out).",
        "📬 It would reach {count} members now (people who turned these notifications off or "
        "blocked the bot are left out).",
        recipients,
    )
    rows = []
    if recipients:
        key = confirm.draft_key(draft)
        rows.append(
            [
                button(_.label("📤 Send now"), "send", key),
                button(_.label("🕒 Schedule"), "when", key),
            ]
        )
    rows.append(
        [button(_.label("🎯 Change the audience"), "aud"), button(_.label("✖ Cancel"), "x")]
    )
    await context.bot.send_message(chat_id, lines, reply_markup=InlineKeyboardMarkup(rows))
    return PREVIEW
