"""/dashboard: a personal link to the web dashboard — signed by a random one-time token (only
its hash is stored), valid for 15 minutes, opening one session scoped to the caller's role and
axes. Nothing else opens the dashboard."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.auth import allowed, refuse
from bot.context import Ctx
from handlers.core import forms
from storage.repositories.impact.access import LINK_LIFETIME, DashboardAccess, Grant


async def dashboard_command(update: Update, context: Ctx) -> None:
    """Coordinators and admins get a link; the members' row must exist (ADMIN_IDS sign up)."""
    if not await allowed(update, context, "coordinator"):
        return
    member = context.member
    if member is None or not member.is_active:
        await refuse(update, context, "applicant")
        return
    services = context.services
    axis_ids: frozenset[int] = frozenset()
    if context.role == "coordinator":
        axis_ids = await services.repos.members.coordinator_axis_ids(member.id)
    grant = Grant(member.id, context.role, axis_ids)
    token = await DashboardAccess(services.db).issue_link(grant, context.now())
    link = f"{services.settings.dashboard_base}/login?t={token}"
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    await forms.say(
        update,
        context,
        context.t(
            "🔐 <b>Your link to the impact dashboard</b>\n"
            "It works once, for {minutes} minutes, and only for you: do not share it.\n\n{link}",
            minutes=minutes,
            link=link,
        ),
    )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [CommandHandler("dashboard", dashboard_command, filters=filters.ChatType.PRIVATE)]
