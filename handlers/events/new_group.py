"""/newgroup, the coordinators' form to create a working group of an axis: the axis, then
the name; and renaming a group from its ✏️ in /groups. Members join groups from /groups
(groups.py). A name is unique in its axis, whatever the accents and case. These steps are
part of the one event form (form.py); the states' values are stored with it: keep them.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from bot.auth import allowed, coordinator_scope
from bot.context import Ctx
from bot.labels import axis_name
from handlers.core import forms
from handlers.events.form_shared import form_button, form_draft, too_long
from handlers.events.groups import managed_group

GROUP_AXIS, GROUP_NAME, GROUP_RENAME = "wg_axis", "wg_name", "wg_rename"
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


async def _typed_name(update: Update, context: Ctx) -> str | None:
    """The name typed, spaces tidied; None (and the reason said) when empty or too long."""
    message = update.effective_message
    assert message is not None
    name = " ".join((message.text or "").split())
    if not name:
        await forms.say(update, context, context.t("What is the working group's name?"))
        return None
    if len(name) > GROUP_MAX:
        await forms.say(update, context, too_long(context, GROUP_MAX, name))
        return None
    return name


async def group_name(update: Update, context: Ctx) -> str | int:
    name = await _typed_name(update, context)
    if name is None:
        return GROUP_NAME
    axis_id = form_draft(context).get("group_axis")
    if axis_id is None or not await allowed(update, context, "coordinator", axis_id):
        return ConversationHandler.END
    now = context.now()
    member_id = context.member.id if context.member else None
    group_id = await context.services.repos.groups.create(axis_id, name, member_id, now)
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


async def ask_rename(update: Update, context: Ctx) -> str | None:
    """✏️ on a group in /groups (coordinators of its axis): its new name, typed."""
    query = update.callback_query
    assert query is not None
    group = await managed_group(update, context)
    if group is None:
        return None
    await query.answer()
    assert context.user_data is not None
    context.user_data["ev"] = {"rename": group.id}
    await forms.say(
        update,
        context,
        context.t("✏️ New name for the working group <b>{name}</b>?", name=group.name),
    )
    return GROUP_RENAME


async def typed_rename(update: Update, context: Ctx) -> str | int:
    name = await _typed_name(update, context)
    if name is None:
        return GROUP_RENAME
    repos = context.services.repos
    group = await repos.groups.group(form_draft(context).get("rename", 0))
    if group is None:
        await forms.say(update, context, context.t("This working group can no longer be changed."))
        return ConversationHandler.END
    if not await allowed(update, context, "coordinator", group.axis_id):
        return ConversationHandler.END
    outcome = await repos.groups.rename(group.id, name)
    if outcome == "taken":
        await forms.say(
            update,
            context,
            context.t("That axis already has a group with that name. Choose another name."),
        )
        return GROUP_RENAME
    if outcome == "gone":
        await forms.say(update, context, context.t("This working group can no longer be changed."))
        return ConversationHandler.END
    now = context.now()
    member_id = context.member.id if context.member else None
    await repos.audit.record(
        now, member_id, "group.rename", "working_group", group.id, old=group.name, name=name
    )
    await forms.say(
        update,
        context,
        context.t("✅ The working group {old} is now called {name}.", old=group.name, name=name),
    )
    return ConversationHandler.END
