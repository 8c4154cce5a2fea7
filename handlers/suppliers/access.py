"""Who decides on sourcing requests: admins, and coordinators of an axis in SOURCING_AXES
(a coordinator not limited to some axes coordinates them all). Checked at the moment of every
decision, buttons and typed reasons alike."""

from __future__ import annotations

from telegram import Update

from bot.auth import allowed, coordinator_scope, refuse
from bot.context import Ctx
from storage.models import Member


async def sourcing_axis_ids(context: Ctx) -> frozenset[int]:
    codes = context.services.settings.sourcing_axes
    return frozenset(a.id for a in await context.services.repos.reference.axes() if a.code in codes)


async def may_decide(update: Update, context: Ctx) -> bool:
    """True when the caller may approve or reject sourcing requests now; else they are told."""
    if not await allowed(update, context, "coordinator"):
        return False
    scope = await coordinator_scope(context)  # empty: an admin, or a coordinator of every axis
    axes = await sourcing_axis_ids(context)
    if not scope and (context.role == "admin" or axes):
        return True
    if scope & axes:
        return True
    await refuse(update, context, "coordinator", min(axes, default=-1))
    return False


async def decides_quietly(context: Ctx) -> bool:
    """The same rule, without telling anyone (to offer the approval list or not)."""
    if context.role == "admin":
        return True
    if context.role != "coordinator" or context.member is None:
        return False
    axes = await sourcing_axis_ids(context)
    scope = await coordinator_scope(context)
    return bool(axes) and (not scope or bool(scope & axes))


async def deciders(context: Ctx) -> dict[int, Member | None]:
    """Everyone who decides, by Telegram id: admins (also those known only from ADMIN_IDS)
    and the coordinators of the sourcing axes."""
    services = context.services
    axes = await sourcing_axis_ids(context)
    people: dict[int, Member | None] = {}
    for member in await services.repos.members.staff():
        if member.role == "admin":
            people[member.telegram_user_id] = member
            continue
        scope = await services.repos.members.coordinator_axis_ids(member.id)
        if axes and (not scope or scope & axes):
            people[member.telegram_user_id] = member
    for admin_id in services.settings.admin_ids - people.keys():
        people[admin_id] = await services.repos.members.by_telegram_id(admin_id)
    return people
