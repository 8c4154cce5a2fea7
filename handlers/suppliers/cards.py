"""How a sourcing request and a capability profile read, in each person's language: the
request as suppliers see it (the buyer named or anonymous), the coordinators' copy, a
request's state in lists, and the capability card (with the organization's name, or anonymous
until the supplier consents)."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.when import show, show_short
from handlers.suppliers.catalogue import certifications_text, processes_text
from storage.repositories.suppliers.capabilities import Profile
from storage.repositories.suppliers.sourcing import Figures, Request


def title_of(t: Translator, request: Request) -> str:
    """The title, or a mark once the buyer deleted their data (plain text)."""
    return request.title or t.label("(deleted by the buyer)")


def request_card(
    t: Translator, request: Request, *, tz: ZoneInfo, show_buyer: bool | None = None
) -> str:
    """The request as suppliers read it; `show_buyer` overrides the buyer's anonymity. A
    request not stored yet (a preview, number 0) has no number."""
    if request.id:
        head = t(
            "🤝 <b>{title}</b> · request #{number}", title=title_of(t, request), number=request.id
        )
    else:
        head = t("🤝 <b>{title}</b>", title=title_of(t, request))
    lines = [head]
    shown = request.buyer_shown if show_buyer is None else show_buyer
    if shown and request.organization:
        lines.append(t("🏢 Buyer: {organization}", organization=request.organization))
    else:
        lines.append(t("🕶 Buyer: a member organization of the cluster (anonymous for now)"))
    lines.append(t("⚙️ Processes: {names}", names=processes_text(t, request.processes)))
    if request.certifications:
        lines.append(
            t(
                "📜 Certifications required: {names}",
                names=certifications_text(t, request.certifications),
            )
        )
    else:
        lines.append(t("📜 No certification required"))
    if request.volume:
        lines.append(t("📦 Estimated volume: {volume}", volume=request.volume))
    when = show(request.deadline_at, tz=tz, language=t.language)
    lines.append(t("🕒 Answers until: {when}", when=when))
    if request.description:
        lines.append("\n" + html.escape(request.description))
    return "\n".join(lines)


def staff_card(t: Translator, request: Request, buyer: str | None, *, tz: ZoneInfo) -> str:
    """The copy of a request that coordinators decide on: who asked, and the card."""
    head = t("🆕 <b>Sourcing request waiting for approval</b>")
    who = t(
        "👤 Requested by {name} ({organization})",
        name=buyer or t.label("a former member"),
        organization=request.organization or "—",
    )
    lines = [head, who]
    if request.anonymous:
        lines.append(t("🕶 The buyer asked to stay anonymous to suppliers."))
    return "\n".join(lines) + "\n\n" + request_card(t, request, tz=tz, show_buyer=True)


def state_line(t: Translator, request: Request, figures: Figures, *, tz: ZoneInfo) -> str:
    """A request's state in one line, for the buyer's lists (HTML)."""
    if request.status == "pending":
        return t("⏳ waiting for approval")
    if request.status == "rejected":
        return t("❌ not approved")
    if request.status == "expired":
        return t("⌛ expired before a decision")
    if request.status == "closed" and request.closed_reason == "withdrawn":
        return t("↩️ withdrawn")
    interested = t._n("{count} interested", "{count} interested", figures.interested)
    if request.status == "open":
        until = show_short(request.deadline_at, tz=tz, language=t.language)
        return t("🟢 open until {date}", date=until) + " · " + interested
    introductions = t._n("{count} introduction", "{count} introductions", figures.introductions)
    return t("🔒 closed") + " · " + interested + " · " + introductions


def figures_line(t: Translator, figures: Figures) -> str:
    """Reached, interested, not for them, introductions (HTML). Reached counts the
    organizations sent the notice at approval and those that found the request in /sourcing
    later, so it is never less than those who answered."""
    return " · ".join(
        (
            t._n(
                "📨 reached {count} organization",
                "📨 reached {count} organizations",
                figures.reached,
            ),
            t._n("💡 {count} interested", "💡 {count} interested", figures.interested),
            t._n(
                "🙅 {count} said it is not for them",
                "🙅 {count} said it is not for them",
                figures.declined,
            ),
            t._n("🤝 {count} introduction", "🤝 {count} introductions", figures.introductions),
        )
    )


def profile_card(
    t: Translator,
    profile: Profile | None,
    organization: str,
    *,
    anonymous: bool = False,
    tz: ZoneInfo | None = None,
) -> str:
    """A capability profile. Anonymous: no name, description or city (they could say who it
    is) until the supplier agrees to share them."""
    if anonymous:
        lines = [t("🏭 <b>Capability profile of a supplier</b> (named once they share it)")]
    else:
        lines = [t("🏭 <b>Capability profile of {organization}</b>", organization=organization)]
    processes = profile.processes if profile else ()
    certifications = profile.certifications if profile else ()
    if processes:
        lines.append(t("⚙️ Processes: {names}", names=processes_text(t, processes)))
    else:
        lines.append(t("⚙️ Processes: none chosen yet"))
    if certifications:
        lines.append(t("📜 Certifications: {names}", names=certifications_text(t, certifications)))
    else:
        lines.append(t("📜 Certifications: none"))
    if profile and profile.monthly_capacity:
        lines.append(t("📦 Monthly capacity: {capacity}", capacity=profile.monthly_capacity))
    if not anonymous:
        if profile and profile.city:
            lines.append(t("📍 City: {city}", city=profile.city))
        if profile and profile.description:
            lines.append("📝 " + html.escape(profile.description))
        if profile and tz is not None:
            lines.append(
                t(
                    "✏️ Last change: {when}, by {name}",
                    when=show_short(profile.updated_at, tz=tz, language=t.language),
                    name=profile.updated_by or t.label("a former member"),
                )
            )
    return "\n".join(lines)


def short(text: str, limit: int = 200) -> str:
    """A long note in a list: its start (plain text)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def local_date(moment: datetime, t: Translator, tz: ZoneInfo) -> str:
    return show_short(moment, tz=tz, language=t.language)
