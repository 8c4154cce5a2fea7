"""The supplier-development job, every minute and at start-up, derived from the database so
that a restart loses nothing: requests whose deadline came are closed (the buyer gets the
final shortlist) or, if never decided, expire (the coordinators' copies say so); approved
requests whose notices were never queued (a stop right after the approval) are queued; and
profiles changed by someone who never tapped Done are told to the colleagues after a quiet
while."""

from __future__ import annotations

from datetime import timedelta

from bot.context import Ctx
from bot.i18n import Translator
from handlers.suppliers.cards import figures_line, title_of
from handlers.suppliers.copies import close_copies
from handlers.suppliers.notices import announce, tell_colleagues
from handlers.suppliers.shortlist import send_shortlist, tell_buyer
from storage.repositories.suppliers.sourcing import Figures, Request

QUIET = timedelta(minutes=5)  # a profile edit untouched this long is told to the colleagues


async def run_due(context: Ctx) -> None:
    services = context.services
    repos = services.repos
    now = context.now()
    due = await repos.sourcing.next_deadline()
    if due is not None and due <= now:  # a read decides whether to write
        closed, expired = await repos.sourcing.close_due(now)
        for request_id in closed:
            await _closed(context, request_id)
        for request_id in expired:
            await _expired(context, request_id)
    for request_id in await repos.sourcing.unannounced():
        await announce(context, request_id, None)
    for organization_id in await repos.capabilities.changed_before(now - QUIET):
        await tell_colleagues(context, organization_id)


async def _closed(context: Ctx, request_id: int) -> None:
    repos = context.services.repos
    request = await repos.sourcing.get(request_id)
    if request is None:
        return
    figures = await repos.sourcing.figures(request_id)
    await tell_buyer(context, request, lambda t: _closed_text(t, request, figures))
    await send_shortlist(context, request_id)


def _closed_text(t: Translator, request: Request, figures: Figures) -> str:
    return (
        t(
            "🔒 Your sourcing request #{number} “{title}” closed at its deadline.",
            number=request.id,
            title=title_of(t, request),
        )
        + "\n"
        + figures_line(t, figures)
    )


async def _expired(context: Ctx, request_id: int) -> None:
    request = await context.services.repos.sourcing.get(request_id)
    if request is None:
        return
    await close_copies(
        context, request, lambda t: t("⌛ Its deadline passed before anyone decided.")
    )
    await tell_buyer(
        context,
        request,
        lambda t: t(
            "⌛ Your sourcing request #{number} “{title}” was not decided before its deadline, "
            "so it was not sent. You can send a new one with /sourcing.",
            number=request.id,
            title=title_of(t, request),
        ),
    )
