"""The organization step's answers: a tap on the list or its pages, a search by typing part
of a name, and adding an organization that is not listed (its name, then its sector).

How the step is asked (the paged list) lives in asking.py; a chosen or added organization
is stored through asking.store like every other answer.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import validation
from bot.context import Ctx
from bot.labels import SECTOR_NAMES, sector_name
from handlers.core.forms import say
from handlers.members.asking import ask_new_organization, ask_sector, organization_keyboard, store
from handlers.members.form_base import (
    button,
    current_member,
    form_data,
    offered,
    reject,
    retire_offers,
)
from handlers.members.steps import NEW_ORGANIZATION, ORGANIZATION, SECTOR


async def chose_organization(update: Update, context: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None
    organization = await context.services.repos.reference.organization(
        int(query.data.split(":")[2])
    )
    if organization is None:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return ORGANIZATION
    await query.answer()
    await query.edit_message_text(context.t("🏢 Organization: {name}", name=organization.name))
    await retire_offers(update, context)  # the list, and the other searches' results
    return await store(update, context, "organization_id", organization.id)


async def organization_page(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    await query.edit_message_reply_markup(
        await organization_keyboard(context, int(query.data.split(":")[2]))
    )
    return ORGANIZATION


async def other_organization(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await retire_offers(update, context)
    await query.edit_message_reply_markup(None)
    await ask_new_organization(update, context)
    return NEW_ORGANIZATION


async def searched_organization(update: Update, context: Ctx) -> str:
    """Text typed at the organization step: show what matches, or offer to add it."""
    assert update.message is not None and update.message.text is not None
    _ = context.t
    value = validation.organization_name(update.message.text)
    if isinstance(value, validation.Problem):
        return await reject(update, context, value, ORGANIZATION)
    typed = form_data(context).setdefault("typed_organizations", [])
    typed[:] = [*typed[-9:], value]  # each "Add" button keeps the name it shows
    viewer = context.member.id if context.member else None
    matches = await context.services.repos.reference.find_organizations(value, viewer)
    rows = [[button(o.name, "org", o.id)] for o in matches]
    add = _.label("➕ Add “{name}”", name=value[:40])
    rows.append([button(add, "orgadd", len(typed) - 1)])
    rows.append([button(_.label("📋 See the whole list"), "orgp", 0)])
    text = (
        _("Organizations matching “{text}”:", text=value)
        if matches
        else _("I found no organization called “{text}”. Add it as a new one?", text=value)
    )
    offered(context, await say(update, context, text, InlineKeyboardMarkup(rows)))
    return ORGANIZATION


async def add_typed_organization(update: Update, context: Ctx) -> str:
    """➕ Add "…": the name on that very button (not the latest search)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    await retire_offers(update, context)
    await query.edit_message_reply_markup(None)
    typed = form_data(context).get("typed_organizations") or []
    index = (
        validation.whole_number(query.data.split(":")[-1]) if query.data.count(":") == 2 else None
    )
    if index is None or index >= len(typed):
        await ask_new_organization(update, context)
        return NEW_ORGANIZATION
    form_data(context)["new_organization"] = typed[index]
    await ask_sector(update, context)
    return SECTOR


async def typed_new_organization(update: Update, context: Ctx) -> str:
    assert update.message is not None and update.message.text is not None
    value = validation.organization_name(update.message.text)
    if isinstance(value, validation.Problem):
        return await reject(update, context, value, NEW_ORGANIZATION)
    form_data(context)["new_organization"] = value
    await ask_sector(update, context)
    return SECTOR


async def chose_sector(update: Update, context: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None
    sector = query.data.split(":")[2]
    name = form_data(context).pop("new_organization", None)
    await query.answer()
    if not name or sector not in SECTOR_NAMES:
        await ask_new_organization(update, context)
        return NEW_ORGANIZATION
    member = await current_member(update, context)
    organization = await context.services.repos.reference.add_organization(
        name,
        sector,  # type: ignore[arg-type]
        member.id if member else None,
    )
    await query.edit_message_text(
        context.t(
            "🏢 Organization: {name} ({sector})",
            name=organization.name,
            sector=sector_name(context.t, organization.sector),
        )
    )
    return await store(update, context, "organization_id", organization.id)
