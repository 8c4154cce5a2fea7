"""What the outbox sends for supplier development, each rendered for its recipient when it is
sent: an approved request to the members of the organizations it matched (with 💡 Interested
and Not for us), the invitation to create a capability profile, and a profile's change told
to the organization's other members. Also queueing them, and the sourcing switch of
/notifications (bot.mutes).

The rule for invitations: when a request is approved, supplier-sector organizations with no
process in a capability profile (other than the buyer's) get one invitation, at most once
every 30 days per organization, sent to their members who did not mute sourcing requests.
"""

from __future__ import annotations

import json
from datetime import timedelta

from telegram import InlineKeyboardMarkup

from bot import mutes, notices
from bot.context import Ctx
from bot.i18n import N_, Translator
from bot.notices import Notice, Rendered
from handlers.suppliers.cards import request_card
from handlers.suppliers.catalogue import processes_text
from handlers.suppliers.common import button
from storage.audience import Audience

INVITATION_EVERY = timedelta(days=30)
EXPLICIT = Audience(kind="organizations")  # recipients are listed; the record is in SQL

FIELD_NAMES = {
    "processes": N_("processes"),
    "certifications": N_("certifications"),
    "description": N_("description"),
    "monthly_capacity": N_("monthly capacity"),
    "city": N_("city"),
}


async def announce(context: Ctx, request_id: int, created_by: int | None) -> None:
    """Queue an approved request's notice to the organizations it reached, and invitations
    to suppliers without a profile; once (the outbox's keys), also if repeated after a stop."""
    services = context.services
    now = context.now()
    recipients = await services.repos.sourcing.recipients(request_id)
    if recipients:
        await services.repos.outbox.enqueue(
            kind="sourcing_request",
            text=json.dumps({"request": request_id}),
            now=now,
            audience=EXPLICIT,
            recipients=recipients,
            created_by=created_by,
            dedup_key=f"src:{request_id}",
        )
    invited = await services.repos.capabilities.invite_missing(
        request_id, now, now - INVITATION_EVERY
    )
    if invited:
        await services.repos.outbox.enqueue(
            kind="sourcing_invitation",
            text=json.dumps({"request": request_id}),
            now=now,
            audience=EXPLICIT,
            recipients=invited,
            created_by=created_by,
            dedup_key=f"srcinv:{request_id}",
        )
    await services.repos.sourcing.mark_announced(request_id, now)
    services.outbox_sender.wake()


async def tell_colleagues(context: Ctx, organization_id: int) -> int | None:
    """Queue the news of a profile's changes to the organization's other members: how many
    get it, or None when nothing changed since they were last told."""
    services = context.services
    changes = await services.repos.capabilities.take_changes(organization_id)
    if changes is None:
        return None
    fields, editor = changes
    recipients = await services.repos.capabilities.colleagues(organization_id, editor)
    if recipients:
        await services.repos.outbox.enqueue(
            kind="capability_update",
            text=json.dumps({"organization": organization_id, "by": editor, "fields": fields}),
            now=context.now(),
            audience=Audience(kind="organizations", ids=(organization_id,)),
            recipients=recipients,
            created_by=editor,
        )
        services.outbox_sender.wake()
    return len(recipients)


def _profile_button(t: Translator, label: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(t.label(label), "cp", "open")]])


async def render_request(notice: Notice) -> Rendered | None:
    """The request as suppliers read it; skipped if it closed before it went out."""
    services = notice.services
    request = await services.repos.sourcing.get(int(json.loads(notice.text)["request"]))
    if request is None or not request.takes_answers(services.clock()):
        return None
    t = notice.t
    text = (
        t("📣 <b>A buyer in the cluster is looking for suppliers</b>")
        + "\n\n"
        + request_card(t, request, tz=services.settings.tz)
        + "\n\n"
        + t(
            "You get this because your organization's capability profile matches. "
            "/sourcing lists the open requests; /notifications mutes them."
        )
    )
    markup = InlineKeyboardMarkup(
        [
            [
                button(t.label("💡 Interested"), "sr", request.id, "in"),
                button(t.label("Not for us"), "sr", request.id, "no"),
            ]
        ]
    )
    return Rendered(text, markup)


async def render_invitation(notice: Notice) -> Rendered | None:
    """The invitation to create a profile; skipped if the organization has one by then."""
    services = notice.services
    member = await services.repos.members.by_id(notice.member_id or 0)
    if member is None or member.organization_id is None:
        return None
    if await services.repos.capabilities.has_processes(member.organization_id):
        return None
    request = await services.repos.sourcing.get(int(json.loads(notice.text)["request"]))
    organization = await services.repos.reference.organization(member.organization_id)
    if request is None or organization is None:
        return None
    t = notice.t
    text = t(
        "🏭 A buyer in the cluster is looking for suppliers of {processes} right now. "
        "{organization} has no capability profile yet, so requests like this cannot reach "
        "you.\n\nIt takes two minutes: your processes, certifications, capacity and city.",
        processes=processes_text(t, request.processes),
        organization=organization.name,
    )
    return Rendered(text, _profile_button(t, N_("🏭 Create our profile")))


async def render_capability_update(notice: Notice) -> Rendered | None:
    services = notice.services
    data = json.loads(notice.text)
    organization = await services.repos.reference.organization(int(data["organization"]))
    if organization is None:
        return None
    editor = await services.repos.members.by_id(int(data["by"])) if data.get("by") else None
    t = notice.t
    fields = ", ".join(t.label(FIELD_NAMES[f]) for f in data["fields"] if f in FIELD_NAMES)
    text = t(
        "🏭 {name} updated the capability profile of {organization}: {fields}.",
        name=editor.full_name if editor and editor.full_name else t.label("A colleague"),
        organization=organization.name,
        fields=fields,
    )
    return Rendered(text, _profile_button(t, N_("🏭 See the profile")))


async def _muted(context: Ctx, member_id: int) -> bool:
    return await context.services.repos.capabilities.sourcing_muted(member_id)


async def _set_muted(context: Ctx, member_id: int, muted: bool) -> None:
    await context.services.repos.capabilities.set_sourcing_muted(member_id, muted, context.now())


SOURCING_NOTICES = mutes.MutableNotices(
    code="sourcing",
    label=N_("🤝 Sourcing requests"),
    is_muted=_muted,
    set_muted=_set_muted,
)


def register_notices_and_mutes() -> None:
    """The outbox sender renders these kinds here; /notifications offers the sourcing switch."""
    notices.register("sourcing_request", render_request)
    notices.register("sourcing_invitation", render_invitation)
    notices.register("capability_update", render_capability_update)
    mutes.register(SOURCING_NOTICES)
