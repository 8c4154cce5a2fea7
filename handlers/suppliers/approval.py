"""Deciding on sourcing requests: ✅ Approve (the notice queued to the suppliers it matched,
the buyer told and given the shortlist), ❌ Reject with a typed reason (a step of the sourcing
form) and the list of requests waiting (🗂 in /sourcing). Each is checked at the moment of the
action: an admin, or a coordinator of an axis in SOURCING_AXES (access.py); a request is
decided once, and every copy then says so.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler

from bot import callbacks
from bot.context import Ctx
from bot.i18n import Translator
from handlers.core import forms, menu
from handlers.suppliers.access import may_decide
from handlers.suppliers.cards import title_of
from handlers.suppliers.common import (
    REASON_MAX,
    alert,
    button,
    edit_quietly,
    expired,
    letters,
)
from handlers.suppliers.copies import close_copies, copy_text, decider_name, decision_buttons
from handlers.suppliers.notices import announce
from handlers.suppliers.shortlist import send_shortlist, tell_buyer
from storage.repositories.suppliers.sourcing import Request

SP_REASON = "sp_reason"  # the conversation state of the typed reason (persisted)
LISTED = 10  # waiting requests shown at once


def already_decided(t: Translator, request: Request) -> str:
    """Why a decision button does nothing now (plain text)."""
    if request.status in ("open", "closed") and request.decided_at is not None:
        return t.label("Already decided: approved.")
    if request.status == "rejected":
        return t.label("Already decided: not approved.")
    if request.status == "expired":
        return t.label("Its deadline passed before anyone decided.")
    return t.label("The buyer withdrew this request.")


async def approve(update: Update, context: Ctx) -> None:
    """✅ Approve: checked now, applied once, sent to the suppliers it matches."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await may_decide(update, context):
        return
    repos = context.services.repos
    request = await repos.sourcing.get(int(query.data.split(":")[1]))
    if request is None:
        await expired(update, context)
        return
    _ = context.t
    if request.status != "pending":
        await alert(update, already_decided(_, request))
        await query.edit_message_reply_markup(None)
        return
    now = context.now()
    if request.deadline_at <= now:
        await alert(
            update,
            _.label(
                "Its deadline for answers has passed, so it cannot be sent. Reject it with a "
                "reason, and the buyer can send a new one."
            ),
        )
        return
    decider = context.member.id if context.member else None
    if not await repos.sourcing.approve(request.id, decider, now):
        fresh = await repos.sourcing.get(request.id)
        await alert(update, already_decided(_, fresh or request))
        return
    await announce(context, request.id, decider)
    figures = await repos.sourcing.figures(request.id)
    await repos.audit.record(
        now, decider, "sourcing.approve", "sourcing_request", request.id, organizations=figures.sent
    )
    await query.answer()
    approved = await repos.sourcing.get(request.id)
    assert approved is not None
    name = decider_name(context, _)  # (not inside _n's call: the extractor would lose it)
    outcome = _._n(
        "✅ Approved by {name}: sent to {count} organization.",
        "✅ Approved by {name}: sent to {count} organizations.",
        figures.sent,
        name=name,
    )
    await query.edit_message_text(await copy_text(context, _, approved) + "\n\n" + outcome)
    tapped = (query.message.chat.id, query.message.message_id) if query.message else None
    await close_copies(
        context,
        approved,
        lambda t: t("✅ Approved by {name}.", name=decider_name(context, t)),
        skip=tapped,
    )

    def told(t: Translator) -> str:
        title = title_of(t, approved)
        if figures.sent:
            return t._n(
                "✅ Your sourcing request #{number} “{title}” was approved and sent to {count} "
                "organization whose capability profile matches. I will show you here who is "
                "interested.",
                "✅ Your sourcing request #{number} “{title}” was approved and sent to {count} "
                "organizations whose capability profile matches. I will show you here who is "
                "interested.",
                figures.sent,
                number=approved.id,
                title=title,
            )
        return t(
            "✅ Your sourcing request #{number} “{title}” was approved. No member organization's "
            "capability profile matches it yet: it stays open until its deadline, and suppliers "
            "who create or change their profile find it in /sourcing.",
            number=approved.id,
            title=title_of(t, approved),
        )

    await tell_buyer(context, approved, told)
    await send_shortlist(context, approved.id)


async def ask_reason(update: Update, context: Ctx) -> str | int:
    """❌ Reject: the reason is asked (the buyer reads it); nothing changes until it is typed."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await may_decide(update, context):
        return ConversationHandler.END
    request = await context.services.repos.sourcing.get(int(query.data.split(":")[1]))
    if request is None:
        await expired(update, context)
        return ConversationHandler.END
    _ = context.t
    if request.status != "pending":
        await alert(update, already_decided(_, request))
        await query.edit_message_reply_markup(None)
        return ConversationHandler.END
    await query.answer()
    draft = forms.draft(context, "sp")
    draft.clear()
    draft["request"] = request.id
    if query.message is not None:
        draft["copy"] = [query.message.chat.id, query.message.message_id]
    await forms.say(
        update,
        context,
        _(
            "✍️ Why is request #{number} not approved? The buyer reads your reason (up to "
            "{maximum} characters). /cancel leaves it waiting.",
            number=request.id,
            maximum=REASON_MAX,
        ),
    )
    return SP_REASON


async def typed_reason(update: Update, context: Ctx) -> str | int:
    """The reason: checked, the request rejected once, every copy and the buyer told."""
    message = update.effective_message
    assert message is not None and message.text is not None and context.user_data is not None
    if not await may_decide(update, context):
        context.user_data.pop("sp", None)
        return ConversationHandler.END
    draft = forms.draft(context, "sp")
    _ = context.t
    reason = " ".join(message.text.split())
    if len(reason) > REASON_MAX:
        await forms.say(
            update,
            context,
            _(
                "That is too long: at most {maximum} characters (yours has {count}).",
                maximum=REASON_MAX,
                count=len(reason),
            ),
        )
        return SP_REASON
    if letters(reason) < 2:
        await forms.say(update, context, _("Please write it with letters (at least two)."))
        return SP_REASON
    repos = context.services.repos
    request = await repos.sourcing.get(int(draft.get("request", 0)))
    context.user_data.pop("sp", None)
    if request is None:
        await forms.say(update, context, _.label("This request no longer exists."))
        return ConversationHandler.END
    now = context.now()
    decider = context.member.id if context.member else None
    if not await repos.sourcing.reject(request.id, decider, reason, now):
        fresh = await repos.sourcing.get(request.id) or request
        await forms.say(update, context, already_decided(_, fresh), menu.keyboard(_))
        return ConversationHandler.END
    await repos.audit.record(now, decider, "sourcing.reject", "sourcing_request", request.id)
    rejected = await repos.sourcing.get(request.id)
    assert rejected is not None

    def outcome(t: Translator) -> str:
        return t("❌ Rejected by {name}: {reason}", name=decider_name(context, t), reason=reason)

    copy = draft.get("copy")
    tapped = (int(copy[0]), int(copy[1])) if copy else None
    if tapped is not None:
        text = await copy_text(context, _, rejected) + "\n\n" + outcome(_)
        await edit_quietly(context, tapped[0], tapped[1], text)
    await close_copies(context, rejected, outcome, skip=tapped)
    await tell_buyer(
        context,
        rejected,
        lambda t: t(
            "❌ Your sourcing request #{number} “{title}” was not approved.\nReason: {reason}\n\n"
            "You can send a new one with /sourcing.",
            number=rejected.id,
            title=title_of(t, rejected),
            reason=reason,
        ),
    )
    await forms.say(
        update,
        context,
        _("❌ Request #{number} rejected; the buyer was told why.", number=request.id),
        menu.keyboard(_),
    )
    return ConversationHandler.END


async def waiting(update: Update, context: Ctx) -> None:
    """🗂 Waiting for approval (in /sourcing): each request with its buttons."""
    if not await may_decide(update, context):
        return
    query = update.callback_query
    assert query is not None
    await query.answer()
    _ = context.t
    pending = await context.services.repos.sourcing.pending()
    if not pending:
        await forms.say(update, context, _("✅ No sourcing request is waiting."))
        return
    await forms.say(
        update,
        context,
        _._n(
            "⏳ {count} sourcing request is waiting:",
            "⏳ {count} sourcing requests are waiting:",
            len(pending),
        ),
    )
    for request in pending[:LISTED]:
        await forms.say(
            update, context, await copy_text(context, _, request), decision_buttons(_, request.id)
        )
    if len(pending) > LISTED:
        await forms.say(update, context, _("Decide these first; the next ones come after."))


def waiting_button(t: Translator, count: int) -> InlineKeyboardButton:
    """The button of /sourcing that lists the requests waiting for a decision."""
    return button(t.label("🗂 Waiting for approval ({count})", count=count), "sp", "q")


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        CallbackQueryHandler(approve, callbacks.pattern("sp", r"(\d+)", "ok")),
        CallbackQueryHandler(waiting, callbacks.pattern("sp", "q")),
    ]
