"""Authorization at the moment of the action, for commands and buttons alike.

Every coordinator or admin handler starts with `if not await allowed(...): return`.
The role comes from the database for this very update (see `Ctx.load_caller`),
never from what was true when a button was shown.
"""

from __future__ import annotations

from telegram import Update

from bot.context import Ctx
from bot.roles import Role, at_least
from storage.audience import Audience
from storage.models import Member


async def allowed(update: Update, context: Ctx, needed: Role, axis_id: int | None = None) -> bool:
    """True when the caller may act; otherwise tell them why (localized) and return False."""
    if at_least(context.role, needed) and await _covers_axis(context, axis_id):
        return True
    await refuse(update, context, needed, axis_id)
    return False


async def _covers_axis(context: Ctx, axis_id: int | None) -> bool:
    """A coordinator limited to some axes manages only those; admins manage all."""
    if axis_id is None or context.role == "admin" or context.member is None:
        return True
    scope = await context.services.repos.members.coordinator_axis_ids(context.member.id)
    return not scope or axis_id in scope


def refusal_text(context: Ctx, needed: Role, axis_id: int | None = None) -> str:
    _ = context.t
    if needed in ("applicant", "member") and at_least(context.role, needed):
        return _.label("This is for cluster members. Send /start to join.")
    if at_least(context.role, needed) and axis_id is not None:
        return _.label("⛔ You coordinate other axes; this one is managed by its own coordinators.")
    if needed == "admin":
        return _.label("⛔ Only administrators can do this.")
    if needed == "coordinator":
        return _.label("⛔ Only cluster coordinators can do this.")
    if context.role == "applicant":
        return _.label(
            "⏳ Your application is still being reviewed. You can do this once approved."
        )
    return _.label("This is for cluster members. Send /start to join.")


async def refuse(update: Update, context: Ctx, needed: Role, axis_id: int | None = None) -> None:
    """Answer a refused command with a message, a refused button with an alert."""
    text = refusal_text(context, needed, axis_id)
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_chat is not None:
        message = update.effective_message
        thread = message.message_thread_id if message and message.is_topic_message else None
        await context.bot.send_message(  # in a forum topic, the answer stays in that topic
            update.effective_chat.id, text, parse_mode=None, message_thread_id=thread
        )


async def own_member(update: Update, context: Ctx) -> Member | None:
    """The caller's own membership (pending or active), for personal commands.

    Admins named in ADMIN_IDS have every role but may have no member row yet:
    they are told to sign up like anyone else.
    """
    member = context.member
    if member is not None and member.status in ("pending", "active"):
        return member
    await refuse(update, context, "applicant")
    return None


async def active_member(update: Update, context: Ctx) -> Member | None:
    """The caller as an active member, for members' features (events, groups, surveys).

    Admins named in ADMIN_IDS pass every role check but may have no member row: they
    are asked to sign up like anyone else. Others are refused as `allowed` does.
    """
    if not await allowed(update, context, "member"):
        return None
    member = context.member
    if member is not None and member.is_active:
        return member
    await refuse(update, context, "applicant")
    return None


async def coordinator_scope(context: Ctx) -> frozenset[int]:
    """The axes the caller coordinates when limited to some; empty means every axis
    (admins, and coordinators without a limit)."""
    if context.role == "admin" or context.member is None:
        return frozenset()
    return await context.services.repos.members.coordinator_axis_ids(context.member.id)


async def audience_axes(context: Ctx, audience: Audience) -> set[int]:
    """The axes an audience lies in; {-1} when it spans the cluster (everyone, organizations,
    sectors, surveys) or a group or event without one axis."""
    if audience.kind == "axes":
        return set(audience.ids)
    if audience.kind in ("working_group", "event"):
        kind = audience.kind
        targets = [await context.services.repos.targets.name(kind, i) for i in audience.ids]
        axes = {t.axis_id for t in targets if t is not None and t.axis_id is not None}
        return axes if len(axes) == 1 else {-1}
    return {-1}


async def _outside_scope(context: Ctx, audience: Audience) -> int | None:
    """An axis of the audience the caller does not coordinate (-1: the whole cluster), or None
    when they coordinate all of it (and always for admins and unlimited coordinators)."""
    scope = await coordinator_scope(context)
    if not scope:
        return None
    return next((a for a in sorted(await audience_axes(context, audience)) if a not in scope), None)


async def may_address(update: Update, context: Ctx, audience: Audience) -> bool:
    """Coordinators may address (or manage what addresses) this audience now; otherwise they
    are told why. Coordinators limited to some axes keep to audiences inside them."""
    if not await allowed(update, context, "coordinator"):
        return False
    axis = await _outside_scope(context, audience)
    if axis is None:
        return True
    await refuse(update, context, "coordinator", axis)
    return False


async def addresses(context: Ctx, audience: Audience) -> bool:
    """`may_address` without a word to the caller: whether to offer them an action at all."""
    return at_least(context.role, "coordinator") and await _outside_scope(context, audience) is None


async def reads(context: Ctx, audience: Audience) -> bool:
    """Whether the caller may read what was asked of this audience (a survey's results and
    exports). Admins and unlimited coordinators read everything; a coordinator limited to some
    axes reads what was asked of the whole cluster (everyone, organizations, sectors, several
    axes' groups or events) and of any of their axes, not what only other axes were asked."""
    if not at_least(context.role, "coordinator"):
        return False
    scope = await coordinator_scope(context)
    if not scope:
        return True
    axes = await audience_axes(context, audience)
    return -1 in axes or bool(axes & scope)


async def may_read(update: Update, context: Ctx, audience: Audience) -> bool:
    """`reads`, checked at the moment of the action; otherwise the caller is told why."""
    if not await allowed(update, context, "coordinator"):
        return False
    if await reads(context, audience):
        return True
    await refuse(update, context, "coordinator", min(await audience_axes(context, audience)))
    return False
