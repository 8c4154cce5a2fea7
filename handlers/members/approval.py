"""Coordinators: the approval queue, decisions, the member list and invitations."""

from __future__ import annotations

import io
import logging

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    MaybeInaccessibleMessage,
    Update,
)
from telegram.error import Forbidden, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks, deeplinks
from bot.auth import allowed
from bot.context import Ctx
from bot.i18n import Translator
from bot.labels import SECTOR_NAMES, axis_name, sector_name, status_name
from bot.validation import echo
from handlers.members.admission import admit_to_community, welcome_active
from handlers.members.summary import member_summary
from storage.models import Member
from storage.repositories.members.members import MemberFilter

log = logging.getLogger(__name__)

MEMBERS_PER_PAGE = 10
_STATUS_CODES = {"a": "active", "p": "pending", "r": "rejected", "l": "left", "x": None}


def _decision_buttons(t: Translator, member_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.label("✅ Approve"), callback_data=callbacks.pack("ap", member_id, "ok")
                ),
                InlineKeyboardButton(
                    t.label("❌ Reject"), callback_data=callbacks.pack("ap", member_id, "no")
                ),
            ]
        ]
    )


async def notify_staff(context: Ctx, applicant: Member) -> int:
    """Tell every coordinator and admin about a new application; returns how many got it."""
    services = context.services
    staff: dict[int, Member | None] = {
        m.telegram_user_id: m for m in await services.repos.members.staff()
    }
    for admin_id in services.settings.admin_ids - staff.keys():
        staff[admin_id] = await services.repos.members.by_telegram_id(admin_id)
    reached = 0
    for user_id, member in staff.items():
        t = services.i18n.get(services.i18n.resolve(member.language if member else None, None))
        summary = await member_summary(context, applicant, t)
        text = t("🆕 <b>New membership application</b>") + "\n\n" + summary
        buttons = _decision_buttons(t, applicant.id)
        chat_id = member.chat_id if member is not None and member.chat_id else user_id
        try:
            message = await context.bot.send_message(chat_id, text, reply_markup=buttons)
            # Kept at once: someone may decide before the last copy has gone out.
            await services.repos.members.remember_application_notices(
                applicant.id, [(chat_id, message.message_id)]
            )
            reached += 1
        except Forbidden:
            await services.repos.members.mark_unreachable(user_id, context.now())
        except TelegramError as error:
            log.warning("could not notify a coordinator of an application: %s", error.message)
    return reached


async def decide(update: Update, context: Ctx) -> None:
    """✅/❌ on an application: checked now, applied once, the applicant told."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return
    _prefix, member_id, verdict = query.data.split(":")
    services = context.services
    decider = context.member.id if context.member else None
    applicant = await services.repos.members.decide(
        int(member_id), verdict == "ok", decider, context.now()
    )
    _ = context.t
    if applicant is None:
        current = await services.repos.members.by_id(int(member_id))
        text = (
            _.label("Already decided: {state}.", state=status_name(_, current.status))
            if current
            else _.label("This applicant deleted their data; there is nothing to decide.")
        )
        await query.answer(text, show_alert=True)
        await query.edit_message_reply_markup(None)
        return
    await services.repos.audit.record(
        context.now(),
        decider,
        "member_approved" if applicant.status == "active" else "member_rejected",
        "member",
        applicant.id,
    )
    await query.answer()
    summary = await member_summary(context, applicant, _)
    outcome = (
        _("✅ Approved by {name}.", name=_coordinator_name(context))
        if applicant.status == "active"
        else _("❌ Rejected by {name}.", name=_coordinator_name(context))
    )
    header = _("🆕 <b>New membership application</b>")
    await query.edit_message_text(header + "\n\n" + summary + "\n\n" + outcome)
    await _close_other_copies(context, applicant, query.message)
    await _tell_applicant(context, applicant)


async def _close_other_copies(
    context: Ctx, applicant: Member, decided_on: MaybeInaccessibleMessage | None
) -> None:
    """The other coordinators' copies of the application lose their buttons and say who
    decided, each in that person's language."""
    services = context.services
    for chat_id, message_id in await services.repos.members.take_application_notices(applicant.id):
        if decided_on is not None and (decided_on.chat.id, decided_on.message_id) == (
            chat_id,
            message_id,
        ):
            continue
        staff = await services.repos.members.by_telegram_id(chat_id)
        t = services.i18n.get(services.i18n.resolve(staff.language if staff else None, None))
        name = _coordinator_name(context, t)
        outcome = (
            t("✅ Approved by {name}.", name=name)
            if applicant.status == "active"
            else t("❌ Rejected by {name}.", name=name)
        )
        header = t("🆕 <b>New membership application</b>")
        text = header + "\n\n" + await member_summary(context, applicant, t) + "\n\n" + outcome
        try:
            await context.bot.edit_message_text(text, chat_id, message_id)
        except TelegramError as error:  # deleted meanwhile, or too old to edit
            log.debug("could not update a copy of an application: %s", error.message)


def _coordinator_name(context: Ctx, t: Translator | None = None) -> str:
    """Who decided: their name, or "an administrator" (in `t`'s language) for an admin
    known only from ADMIN_IDS."""
    if context.member and context.member.full_name:
        return context.member.full_name
    return (t or context.t).label("an administrator")


async def _tell_applicant(context: Ctx, applicant: Member) -> None:
    """The applicant hears the decision; the group's door follows it (let in, or the waiting
    join request declined) even when the applicant has blocked the bot."""
    await admit_to_community(context, applicant, admit=applicant.status == "active")
    if applicant.chat_id is None:
        return
    try:
        if applicant.status == "active":
            await welcome_active(context, applicant)
        else:
            t = context.services.i18n.get(context.services.i18n.resolve(applicant.language, None))
            await context.bot.send_message(
                applicant.chat_id,
                t(
                    "Your application to CLIA was not approved this time. If you think this "
                    "is a mistake, you can apply again with /start."
                ),
            )
    except Forbidden:
        await context.services.repos.members.mark_unreachable(
            applicant.telegram_user_id, context.now()
        )


async def pending(update: Update, context: Ctx) -> None:
    """/pending: the applications waiting for a decision, each with its buttons."""
    if not await allowed(update, context, "coordinator"):
        return
    assert update.effective_chat is not None
    _ = context.t
    waiting = await context.services.repos.members.pending()
    if not waiting:
        await context.bot.send_message(
            update.effective_chat.id, _("✅ No applications are waiting.")
        )
        return
    await context.bot.send_message(
        update.effective_chat.id,
        _._n(
            "⏳ {count} application is waiting:",
            "⏳ {count} applications are waiting:",
            len(waiting),
        ),
    )
    for applicant in waiting[:10]:
        await context.bot.send_message(
            update.effective_chat.id,
            await member_summary(context, applicant, _),
            reply_markup=_decision_buttons(_, applicant.id),
        )
    if len(waiting) > 10:
        await context.bot.send_message(
            update.effective_chat.id, _("Decide these first; /pending shows the next ones.")
        )


# --- /members ----------------------------------------------------------------------


def _members_data(status: str, axis: int, sector: str, organization: int, page: int) -> str:
    return callbacks.pack("mb", status, axis, sector, organization, page)


async def members(update: Update, context: Ctx) -> None:
    """/members [organization]: counts and a paged list, with filter buttons."""
    if not await allowed(update, context, "coordinator"):
        return
    organization = 0
    if context.args:
        found = await context.services.repos.reference.find_organizations(" ".join(context.args))
        if not found:
            assert update.effective_chat is not None
            await context.bot.send_message(
                update.effective_chat.id,
                context.t("No organization matches “{text}”.", text=echo(" ".join(context.args))),
            )
            return
        organization = found[0].id
    text, markup = await _members_view(context, "a", 0, "-", organization, 0)
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def members_page(update: Update, context: Ctx) -> None:
    """A filter or page button of /members: re-checked, then the view is redrawn."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return
    _prefix, status, axis, sector, organization, page = query.data.split(":")
    await query.answer()
    text, markup = await _members_view(
        context, status, int(axis), sector, int(organization), int(page)
    )
    await query.edit_message_text(text, reply_markup=markup)


async def _members_view(
    context: Ctx, status: str, axis: int, sector: str, organization: int, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    _ = context.t
    repo = context.services.repos.members
    where = MemberFilter(
        status=_STATUS_CODES.get(status),
        axis_id=axis or None,
        sector=sector if sector in SECTOR_NAMES else None,
        organization_id=organization or None,
    )
    total = await repo.count(where)
    pages = max(1, -(-total // MEMBERS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    rows = await repo.page(where, page * MEMBERS_PER_PAGE, MEMBERS_PER_PAGE)
    axes = {a.id: a.code for a in await context.services.repos.reference.axes()}
    filters_shown = [
        _("status: {value}", value=status_name(_, where.status))
        if where.status
        else _("status: any"),
    ]
    if where.axis_id:
        filters_shown.append(_("axis: {value}", value=axis_name(_, axes.get(where.axis_id, ""))))
    if where.sector:
        filters_shown.append(_("sector: {value}", value=sector_name(_, where.sector)))
    if where.organization_id:
        org = await context.services.repos.reference.organization(where.organization_id)
        filters_shown.append(_("organization: {value}", value=org.name if org else "—"))
    lines = [
        _._n(
            "👥 <b>{count} member</b> ({filters})",
            "👥 <b>{count} members</b> ({filters})",
            total,
            filters=", ".join(filters_shown),
        )
    ]
    for member, organization_name in rows:
        lines.append(
            _(
                "• {name} — {title}, {organization}",
                name=member.full_name or "—",
                title=member.job_title or "—",
                organization=organization_name or "—",
            )
        )
    if total > MEMBERS_PER_PAGE:
        lines.append(_("Page {page} of {pages}", page=page + 1, pages=pages))

    def button(label: str, **change: str | int) -> InlineKeyboardButton:
        values: dict[str, str | int] = {
            "status": status,
            "axis": axis,
            "sector": sector,
            "organization": organization,
            "page": 0,
        }
        values.update(change)
        return InlineKeyboardButton(
            label,
            callback_data=_members_data(
                str(values["status"]),
                int(values["axis"]),
                str(values["sector"]),
                int(values["organization"]),
                int(values["page"]),
            ),
        )

    keyboard = []
    navigation = []
    if page > 0:
        navigation.append(button("◀️", page=page - 1))
    if page < pages - 1:
        navigation.append(button("▶️", page=page + 1))
    if navigation:
        keyboard.append(navigation)
    keyboard.append(
        [
            button(("✓ " if axis == a else "") + axis_name(_, code), axis=0 if axis == a else a)
            for a, code in axes.items()
        ][:2]
    )
    keyboard.append(
        [
            button(("✓ " if axis == a else "") + axis_name(_, code), axis=0 if axis == a else a)
            for a, code in axes.items()
        ][2:]
    )
    keyboard.append(
        [
            button(
                ("✓ " if sector == code else "") + sector_name(_, code),
                sector="-" if sector == code else code,
            )
            for code in ("oem", "tier1", "supplier")
        ]
    )
    keyboard.append(
        [
            button(
                ("✓ " if sector == code else "") + sector_name(_, code),
                sector="-" if sector == code else code,
            )
            for code in ("academia", "government", "other")
        ]
    )
    keyboard.append(
        [
            button(("✓ " if status == code else "") + status_name(_, name or ""), status=code)
            for code, name in _STATUS_CODES.items()
            if name in ("active", "pending", "rejected")
        ]
        + [button(("✓ " if status == "x" else "") + _.label("all"), status="x")]
    )
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


# --- /invite ---------------------------------------------------------------------------


async def invite(update: Update, context: Ctx) -> None:
    """/invite <organization>: a link that makes whoever uses it an active member of it."""
    if not await allowed(update, context, "coordinator"):
        return
    assert update.effective_chat is not None
    _ = context.t
    text = " ".join(context.args or []).strip()
    if not text:
        await context.bot.send_message(
            update.effective_chat.id,
            _("Write the organization after the command, for example: /invite Continental"),
        )
        return
    found = await context.services.repos.reference.find_organizations(text)
    if not found:
        await context.bot.send_message(
            update.effective_chat.id,
            _(
                "No organization matches “{text}”. Check the name, or ask the person to sign up "
                "with /start and choose “Other”.",
                text=echo(text),
            ),
        )
        return
    if len(found) > 1 and found[0].name.casefold() != text.casefold():
        rows = [
            [InlineKeyboardButton(o.name, callback_data=callbacks.pack("iv", o.id))] for o in found
        ]
        await context.bot.send_message(
            update.effective_chat.id,
            _("Which organization do you mean?"),
            reply_markup=InlineKeyboardMarkup(rows),
        )
        return
    await _send_invitation(update, context, found[0].id)


async def invite_chosen(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    await _send_invitation(update, context, int(query.data.split(":")[1]))


async def _send_invitation(update: Update, context: Ctx, organization_id: int) -> None:
    assert update.effective_chat is not None
    _ = context.t
    organization = await context.services.repos.reference.organization(organization_id)
    if organization is None:
        await context.bot.send_message(
            update.effective_chat.id, _("That organization no longer exists.")
        )
        return
    creator = context.member.id if context.member else None
    invitation = await context.services.repos.invitations.create(
        organization.id, creator, context.now()
    )
    await context.services.repos.audit.record(
        context.now(), creator, "invitation_created", "organization", organization.id
    )
    link = deeplinks.link(context.bot.username, "join", invitation.code)
    png = io.BytesIO()
    import segno  # loaded when the first QR code is drawn, not at start-up

    segno.make(link, error="m").save(png, kind="png", scale=10, border=2)
    await context.bot.send_photo(
        update.effective_chat.id,
        InputFile(png.getvalue(), filename="invitation.png"),
        caption=_(
            "🔗 Invitation for <b>{organization}</b>\n{link}\n\nWhoever opens it and signs up "
            "becomes an active member of {organization} at once, without waiting for approval. "
            "Share it only with people of that organization. Valid for 90 days.",
            organization=organization.name,
            link=link,
        ),
    )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("pending", pending, filters=private),
        CommandHandler("members", members, filters=private),
        CommandHandler("invite", invite, filters=private),
        CallbackQueryHandler(decide, callbacks.pattern("ap", r"(\d+)", "(ok|no)")),
        CallbackQueryHandler(
            members_page,
            callbacks.pattern("mb", "([apxrl])", r"(\d+)", "([a-z0-9-]+)", r"(\d+)", r"(\d+)"),
        ),
        CallbackQueryHandler(invite_chosen, callbacks.pattern("iv", r"(\d+)")),
    ]
