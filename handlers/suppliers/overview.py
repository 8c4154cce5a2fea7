"""/sourcing: the member's own requests (each opens its shortlist), the open requests their
organization reached or matches (each opens its card), ➕ New request, an invitation to create
a capability profile when the organization has none, and, for those who decide, the requests
waiting for approval."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.context import Ctx
from bot.when import show_short
from handlers.core import forms
from handlers.suppliers.access import decides_quietly
from handlers.suppliers.approval import waiting_button
from handlers.suppliers.cards import state_line, title_of
from handlers.suppliers.common import button, organization_member
from storage.models import Member

LISTED = 10  # requests of each kind shown


async def overview(context: Ctx, member: Member) -> tuple[str, InlineKeyboardMarkup]:
    _ = context.t
    repos = context.services.repos
    tz = context.services.settings.tz
    assert member.organization_id is not None
    organization = await repos.reference.organization(member.organization_id)
    name = organization.name if organization else "?"
    lines = [
        _(
            "🤝 <b>Sourcing</b>\n\nBuyers of the cluster describe what they need; the member "
            "suppliers whose capability profile matches hear about it and say whether they are "
            "interested."
        ),
        "\n" + _("<b>Your requests</b>"),
    ]
    rows: list[list[InlineKeyboardButton]] = [[button(_.label("➕ New request"), "sf", "new")]]
    mine = await repos.sourcing.mine(member.id, LISTED)
    for request in mine:
        figures = await repos.sourcing.figures(request.id)
        lines.append(
            _("• #{number} {title}", number=request.id, title=title_of(_, request))
            + " — "
            + state_line(_, request, figures, tz=tz)
        )
        label = f"📋 #{request.id} · {title_of(_, request)}"
        rows.append([button(label[:60], "sb", request.id, "v")])
    if not mine:
        lines.append(_("You have not made any request yet."))
    lines.append("\n" + _("<b>Open requests for {organization}</b>", organization=name))
    opened = await repos.sourcing.open_for(member.organization_id, context.now(), LISTED)
    for request in opened:
        until = show_short(request.deadline_at, tz=tz, language=_.language)
        lines.append(
            _(
                "• #{number} {title} — answers until {date}",
                number=request.id,
                title=title_of(_, request),
                date=until,
            )
        )
        label = f"🔎 #{request.id} · {title_of(_, request)}"
        rows.append([button(label[:60], "sr", request.id, "v")])
    if not await repos.capabilities.has_processes(member.organization_id):
        lines.append(
            _(
                "{organization} has no capability profile yet, so buyers' requests cannot "
                "reach it: /capabilities takes two minutes.",
                organization=name,
            )
        )
    elif not opened:
        lines.append(_("No open request matches {organization} right now.", organization=name))
    if await decides_quietly(context):
        waiting = len(await repos.sourcing.pending())
        if waiting:
            rows.append([waiting_button(_, waiting)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def sourcing(update: Update, context: Ctx) -> None:
    """/sourcing."""
    member = await organization_member(update, context)
    if member is None:
        return
    text, markup = await overview(context, member)
    await forms.say(update, context, text, markup)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [CommandHandler("sourcing", sourcing, filters=filters.ChatType.PRIVATE)]
