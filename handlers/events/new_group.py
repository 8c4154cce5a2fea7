"""/newgroup, the coordinators' form to create a working group of an axis: the axis, then
the name. Members then join it from /groups (groups.py). Its steps are part of the one event
form (form.py); the states' values are stored with it: keep them.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from bot.auth import allowed, coordinator_scope
from bot.context import Ctx
from bot.labels import axis_name
from handlers.core import forms
from handlers.events.form_shared import form_button, form_draft, too_long

GROUP_AXIS, GROUP_NAME = "wg_axis", "wg_name"
GROUP_MAX = 100


async def start_group(update: Update, context: Ctx) -> str | int:
    if not await allowed(update, context, "coordinator"):
        return ConversationHandler.END
    _ = context.t
    scope = await coordinator_scope(context)
    rows = [
        [form_button(axis_name(_, a.code), "gax", a.id)]
        for a in await context.services.repos.reference.axes()
        if not scope or a.id in scope
    ]
    await forms.say(
        update,
        context,
        _("👥 <b>New working group</b>\n\nWhich axis does it belong to?"),
        InlineKeyboardMarkup(rows),
    )
    return GROUP_AXIS


async def group_axis(update: Update, context: Ctx) -> str | None:
    query = update.callback_query
    assert query is not None and query.data is not None
    axis_id = int(query.data.split(":")[2])
    if not await allowed(update, context, "coordinator", axis_id):
        return None
    await query.answer()
    assert context.user_data is not None
    context.user_data["ev"] = {"group_axis": axis_id}
    await query.edit_message_text(context.t("What is the working group's name?"))
    return GROUP_NAME


async def group_name(update: Update, context: Ctx) -> str | int:
    message = update.effective_message
    assert message is not None
    name = " ".join((message.text or "").split())
    if not name:
        await forms.say(update, context, context.t("What is the working group's name?"))
        return GROUP_NAME
    if len(name) > GROUP_MAX:
        await forms.say(update, context, too_long(context, GROUP_MAX, name))
        return GROUP_NAME
    axis_id = form_draft(context).get("group_axis")
    if axis_id is None or not await allowed(update, context, "coordinator", axis_id):
        return ConversationHandler.END
    now = context.now()
    member_id = context.member.id if context.member else None
    group_id = await context.services.repos.events.create_group(axis_id, name, member_id, now)
    if group_id is None:
        await forms.say(
            update,
            context,
            context.t("That axis already has a group with that name. Choose another name."),
        )
        return GROUP_NAME
    await context.services.repos.audit.record(
        now, member_id, "group.create", "working_group", group_id, name=name
    )
    await forms.say(
        update,
        context,
        context.t("✅ Working group {name} created. Members join it from /groups.", name=name),
    )
    return ConversationHandler.END
