"""/groups: the working groups of each axis; members join and leave them with one tap.
A meeting of a working group is announced to its members.

Coordinators of a group's axis (and admins) also see ✏️ (rename: a step of the event form,
new_group.py) and 🗄 (archive, after a confirmation) on it. An archived group is no longer
listed here nor offered in pickers; its members and meetings stay on record. A group with
meetings that have not ended is not archived: its meetings are cancelled first, from their
cards, so that nobody waits for a meeting of a group that is gone.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.auth import active_member, allowed, coordinator_scope
from bot.context import Ctx
from bot.labels import axis_name
from bot.roles import at_least
from handlers.events.cards import button_data
from storage.repositories.events.events import Event
from storage.repositories.events.groups import Group


async def _view(context: Ctx, member_id: int) -> tuple[str, InlineKeyboardMarkup | None]:
    _ = context.t
    repos = context.services.repos
    groups = await repos.groups.groups()
    mine = await repos.groups.member_groups(member_id)
    if not groups:
        return _("There are no working groups yet."), None
    staff = at_least(context.role, "coordinator")
    scope = await coordinator_scope(context) if staff else frozenset()
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
        row = [InlineKeyboardButton(label, callback_data=callbacks.pack("wg", group.id, action))]
        if staff and (not scope or group.axis_id in scope):
            row += [
                InlineKeyboardButton("✏️", callback_data=callbacks.pack("wg", group.id, "ren")),
                InlineKeyboardButton("🗄", callback_data=callbacks.pack("wg", group.id, "arc")),
            ]
        rows.append(row)
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
    group = await repos.groups.group(int(group_id))
    if group is None:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return
    if action == "join":
        await repos.groups.join(group.id, context.member.id, context.now())
        await query.answer(context.t.label("You joined {name}.", name=group.name))
    else:
        await repos.groups.leave(group.id, context.member.id)
        await query.answer(context.t.label("You left {name}.", name=group.name))
    text, markup = await _view(context, context.member.id)
    await query.edit_message_text(text, reply_markup=markup)


async def managed_group(update: Update, context: Ctx) -> Group | None:
    """The group a staff button of /groups names (`wg:<id>:<action>`), if it is still listed
    and the tapper coordinates its axis (else they are told why); the tap is not answered."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return None
    group = await context.services.repos.groups.group(int(query.data.split(":")[1]))
    if group is None:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return None
    if not await allowed(update, context, "coordinator", group.axis_id):
        return None
    return group


async def ask_archive(update: Update, context: Ctx) -> None:
    """🗄 on a group: its meetings ahead must be cancelled first; else confirm."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    group = await managed_group(update, context)
    if group is None:
        return
    await query.answer()
    _ = context.t
    meetings = await context.services.repos.events.meetings_ahead(group.id, context.now())
    if meetings:
        await _refuse_with_meetings(update, context, group, len(meetings), meetings[:10])
        return
    rows = [
        [
            InlineKeyboardButton(
                _.label("🗄 Yes, archive it"), callback_data=callbacks.pack("wg", group.id, "arcy")
            ),
            InlineKeyboardButton(
                _.label("◀ No, keep it"), callback_data=callbacks.pack("wg", group.id, "arcn")
            ),
        ]
    ]
    await context.bot.send_message(
        update.effective_chat.id,
        _(
            "Archive the working group <b>{name}</b>? It will no longer be listed nor offered "
            "for meetings and announcements; its members and its past meetings stay on record.",
            name=group.name,
        ),
        reply_markup=InlineKeyboardMarkup(rows),
    )


async def _refuse_with_meetings(
    update: Update, context: Ctx, group: Group, count: int, shown: list[Event]
) -> None:
    """The group still has meetings ahead: say so, with a button to each one's card."""
    assert update.effective_chat is not None
    _ = context.t
    rows = [
        [
            InlineKeyboardButton(
                f"{context.reader.show_compact(m.starts_at)} · {m.title}"[:60],
                callback_data=button_data(m.id, "open"),
            )
        ]
        for m in shown
    ]
    await context.bot.send_message(
        update.effective_chat.id,
        _._n(
            "🗄 <b>{name}</b> still has {count} meeting ahead. Cancel it first (open it below "
            "and tap ❌ Cancel event), then archive the group.",
            "🗄 <b>{name}</b> still has {count} meetings ahead. Cancel them first (open each "
            "below and tap ❌ Cancel event; in a series, “This and the following ones” cancels "
            "the rest too), then archive the group.",
            count,
            name=group.name,
        ),
        reply_markup=InlineKeyboardMarkup(rows),
    )


async def confirmed_archive(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None
    group = await managed_group(update, context)
    if group is None:
        return
    _ = context.t
    now = context.now()
    repos = context.services.repos
    outcome = await repos.groups.archive(group.id, now)
    if outcome == "has_meetings":  # a meeting was published since the question
        await query.answer()
        await query.edit_message_reply_markup(None)
        meetings = await repos.events.meetings_ahead(group.id, now)
        await _refuse_with_meetings(update, context, group, len(meetings), meetings[:10])
        return
    if outcome == "gone":
        await query.answer(_.label("This button has expired. Please start again."), show_alert=True)
        return
    member_id = context.member.id if context.member else None
    await repos.audit.record(now, member_id, "group.archive", "working_group", group.id)
    await query.answer()
    await query.edit_message_text(
        _(
            "🗄 <b>{name}</b> is archived. It is no longer listed; its members and meetings "
            "stay on record.",
            name=group.name,
        )
    )


async def kept_group(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None
    if await managed_group(update, context) is None:
        return
    await query.answer()
    await query.edit_message_text(context.t("Nothing changed."))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    """Members' join and leave; the staff's archive (rename is a step of the event form)."""
    return [
        CommandHandler("groups", list_groups, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(join_or_leave, callbacks.pattern("wg", r"(\d+)", "(join|leave)")),
        CallbackQueryHandler(ask_archive, callbacks.pattern("wg", r"(\d+)", "arc")),
        CallbackQueryHandler(confirmed_archive, callbacks.pattern("wg", r"(\d+)", "arcy")),
        CallbackQueryHandler(kept_group, callbacks.pattern("wg", r"(\d+)", "arcn")),
    ]
