"""Coordinators decide on applications: the new application sent to every coordinator and
admin, ✅/❌ on it (applied once, the other copies closed, the applicant told) and /pending.

The member directory (/members) is in directory.py, invitation links (/invite) in
invitations.py.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MaybeInaccessibleMessage, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks, replies
from bot.auth import allowed
from bot.context import Ctx
from bot.i18n import Translator
from bot.labels import status_name
from handlers.core import confirm
from handlers.members.admission import admit_to_community, welcome_active
from handlers.members.summary import member_summary
from storage.models import Member

log = logging.getLogger(__name__)


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
            message_id = await replies.send_text(context.bot, chat_id, text, buttons)
            # Kept at once: someone may decide before the last copy has gone out.
            await services.repos.members.remember_application_notices(
                applicant.id, [(chat_id, message_id)]
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
        await confirm.already_done(update, context, text)
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
    # Translators: who decided, as {name} in "✅ Approved by {name}." and "❌ Rejected by {name}."
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


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("pending", pending, filters=private),
        CallbackQueryHandler(decide, callbacks.pattern("ap", r"(\d+)", "(ok|no)")),
    ]
