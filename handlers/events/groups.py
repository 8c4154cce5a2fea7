"""/groups: the working groups of each axis; members join and leave them with one tap.
A meeting of a working group is announced to its members."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.auth import active_member
from bot.context import Ctx
from bot.labels import axis_name


async def _view(context: Ctx, member_id: int) -> tuple[str, InlineKeyboardMarkup | None]:
    _ = context.t
    repos = context.services.repos
    groups = await repos.events.groups()
    mine = await repos.events.member_groups(member_id)
    if not groups:
        return _("There are no working groups yet."), None
    lines = [_("👥 <b>Working groups</b>\nTap one to join or leave it.")]
    rows = []
    axes = {g.axis_code: axis_name(_, g.axis_code) for g in groups}
    for group in groups:
        joined = group.id in mine
        lines.append(
            _._n(
                "• {name} ({axis}) — {count} member",
                "• {name} ({axis}) — {count} members",
                group.members,
                name=group.name,
                axis=axes[group.axis_code],
            )
            + (" ✓" if joined else "")
        )
        label = (
            _.label("✓ Leave {name}", name=group.name[:40])
            if joined
            else _.label("➕ Join {name}", name=group.name[:40])
        )
        action = "leave" if joined else "join"
        rows.append(
            [InlineKeyboardButton(label, callback_data=callbacks.pack("wg", group.id, action))]
        )
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def list_groups(update: Update, context: Ctx) -> None:
    """/groups: every working group, with the member's own marked."""
    if await active_member(update, context) is None:
        return
    assert context.member is not None and update.effective_chat is not None
    text, markup = await _view(context, context.member.id)
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def join_or_leave(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    if await active_member(update, context) is None:
        return
    assert context.member is not None
    _prefix, group_id, action = query.data.split(":")
    repos = context.services.repos
    group = await repos.events.group(int(group_id))
    if group is None:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return
    if action == "join":
        await repos.events.join(group.id, context.member.id, context.now())
        await query.answer(context.t.label("You joined {name}.", name=group.name))
    else:
        await repos.events.leave(group.id, context.member.id)
        await query.answer(context.t.label("You left {name}.", name=group.name))
    text, markup = await _view(context, context.member.id)
    await query.edit_message_text(text, reply_markup=markup)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        CommandHandler("groups", list_groups, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(join_or_leave, callbacks.pattern("wg", r"(\d+)", "(join|leave)")),
    ]
