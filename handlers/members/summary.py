"""A member's details as one short block: the sign-up summary, /profile, /mydata and the
coordinators' copy of an application all show the same words."""

from __future__ import annotations

from bot.context import Ctx
from bot.i18n import Translator
from bot.labels import axis_name
from storage.models import Member


async def member_summary(context: Ctx, member: Member, t: Translator) -> str:
    """The member's details as a short HTML block, in the reader's language."""
    _ = t
    organization = (
        await context.services.repos.reference.organization(member.organization_id)
        if member.organization_id
        else None
    )
    axes = await context.services.repos.members.axes(member.id)
    dash = "—"
    return _(
        "👤 Name: {name}\n🏢 Organization: {organization}\n💼 Job title: {title}\n"
        "📧 E-mail: {email}\n📱 Phone: {phone}\n🎯 Axes: {axes}",
        name=member.full_name or dash,
        organization=organization.name if organization else dash,
        title=member.job_title or dash,
        email=member.email or dash,
        phone=member.phone or dash,
        axes=t.join(axis_name(t, a.code) for a in axes) or dash,
    )
