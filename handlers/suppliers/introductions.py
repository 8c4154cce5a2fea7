"""🤝 Connect and the introductions: with the supplier's consent (given with the interest),
both sides get each other's name, organization and e-mail at once; without it, the supplier is
asked first (`sc:<answer>:ok|no`, which only that member may answer) and the introduction
follows their yes. Each introduction happens once, is recorded and is in the audit log.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks
from bot.context import Ctx
from bot.i18n import Translator
from handlers.suppliers.cards import title_of
from handlers.suppliers.common import (
    alert,
    button,
    expired,
    organization_member,
    send_to,
    translator,
)
from handlers.suppliers.shortlist import (
    buyer_of,
    entry_of,
    own_request,
    refresh_shortlist,
    tell_buyer,
)
from storage.models import Member
from storage.repositories.suppliers.answers import Answer
from storage.repositories.suppliers.sourcing import Request


async def connect(update: Update, context: Ctx) -> None:
    """🤝 Connect: the introduction now if the supplier consented; else they are asked."""
    own = await own_request(update, context)
    if own is None:
        return
    _member, request = own
    entry = await entry_of(update, context, request)
    if entry is None:
        return
    _ = context.t
    if entry.introduced_at is not None:
        await alert(update, _.label("You were introduced already: you both have the contacts."))
        return
    if entry.member_id is None or entry.member_chat_id is None:
        await alert(update, _.label("This supplier's contact is no longer available."))
        return
    if entry.consented:
        assert update.callback_query is not None
        await update.callback_query.answer(_.label("🤝 Introduction sent to both of you."))
        await introduce(context, request, entry)
        return
    if entry.connect_asked_at is not None:
        text = (
            _.label("They prefer not to share their contact for now.")
            if entry.consent_declined_at is not None
            else _.label("They were asked already; you will hear here as soon as they answer.")
        )
        await alert(update, text)
        return
    if not await context.services.repos.sourcing_answers.ask_connect(entry.id, context.now()):
        await alert(
            update,
            _.label("They were asked already; you will hear here as soon as they answer."),
        )
        return
    question, markup = _consent_question(translator(context, entry.member_language), request, entry)
    assert update.callback_query is not None
    await update.callback_query.answer()
    sent = await send_to(context, entry.member_chat_id, question, markup)
    assert update.effective_chat is not None
    await context.bot.send_message(
        update.effective_chat.id,
        _(
            "⏳ They agreed to show you their interest, not yet their contact: I asked them. "
            "You will get the introduction here as soon as they accept."
        )
        if sent is not None
        else _("This supplier cannot be reached on Telegram right now; try again later."),
    )
    await refresh_shortlist(context, request.id)


def _consent_question(
    t: Translator, request: Request, entry: Answer
) -> tuple[str, InlineKeyboardMarkup]:
    """The supplier is asked, in their language, whether the buyer may have their contact."""
    question = t(
        "🤝 The buyer of request #{number} “{title}” would like to talk with {organization}. "
        "May I give them your organization's name, your name and your e-mail, and give you "
        "theirs?",
        number=request.id,
        title=title_of(t, request),
        organization=entry.organization,
    )
    markup = InlineKeyboardMarkup(
        [
            [button(t.label("✅ Yes, introduce us"), "sc", entry.id, "ok")],
            [button(t.label("No, thanks"), "sc", entry.id, "no")],
        ]
    )
    return question, markup


def _supplier_introduction(
    t: Translator, request: Request, entry: Answer, buyer: Member | None
) -> str:
    """The introduction as the supplier reads it: who the buyer is and how to reach them."""
    return t(
        "🤝 <b>Introduction</b> · request #{number} {title}\n\nThe buyer would like to talk with "
        "{organization}:\n🏢 {buyer_organization}\n👤 {name}\n📧 {email}\n\nThey have your name "
        "and e-mail too. Write to them!",
        number=request.id,
        title=title_of(t, request),
        organization=entry.organization,
        buyer_organization=request.organization or "—",
        name=buyer.full_name if buyer and buyer.full_name else "—",
        email=buyer.email if buyer and buyer.email else "—",
    )


async def introduce(context: Ctx, request: Request, entry: Answer) -> bool:
    """Both sides get each other's contact, once; recorded and audited. False (and nothing
    shared) when either side is no longer an active member with a chat."""
    services = context.services
    buyer, t = await buyer_of(context, request)
    if buyer is None or not buyer.is_active or buyer.chat_id is None:
        return False
    if entry.member_chat_id is None or not await services.repos.sourcing_answers.introduce(
        entry.id, context.now()
    ):
        return False
    text = t(
        "🤝 <b>Introduction</b> · request #{number} {title}\n\n🏭 {organization}\n"
        "👤 {name}\n📧 {email}",
        number=request.id,
        title=title_of(t, request),
        organization=entry.organization,
        name=entry.member_name or "",
        email=entry.member_email or "",
    )
    if entry.note:
        text += "\n" + t("💬 {note}", note=entry.note)
    text += "\n\n" + t("They have your name, organization and e-mail too. Write to them!")
    await send_to(context, buyer.chat_id, text)
    text = _supplier_introduction(translator(context, entry.member_language), request, entry, buyer)
    await send_to(context, entry.member_chat_id, text)
    await services.repos.audit.record(
        context.now(),
        request.buyer_id,
        "sourcing.introduce",
        "sourcing_request",
        request.id,
        answer=entry.id,
        organization_id=entry.organization_id,
    )
    await refresh_shortlist(context, request.id)
    return True


async def consent_answer(update: Update, context: Ctx) -> None:
    """✅ Yes, introduce us / No, thanks: only the member who said interested answers."""
    query = update.callback_query
    assert query is not None and query.data is not None
    member = await organization_member(update, context)
    if member is None:
        return
    _prefix, answer_id, choice = query.data.split(":")
    repos = context.services.repos
    entry = await repos.sourcing_answers.get(int(answer_id))
    if entry is None or entry.member_id != member.id:
        await expired(update, context)
        return
    request = await repos.sourcing.get(entry.request_id)
    assert request is not None
    _ = context.t
    now = context.now()
    if choice == "no":
        if not await repos.sourcing_answers.refuse_consent(entry.id, member.id, now):
            await alert(update, _.label("You answered this already."))
            return
        await query.answer()
        await query.edit_message_text(_("OK: your contact is not shared."))
        await tell_buyer(
            context,
            request,
            lambda t: t(
                "🚫 A supplier interested in request #{number} prefers not to share their "
                "contact for now.",
                number=request.id,
            ),
        )
        await refresh_shortlist(context, request.id)
        return
    if not await repos.sourcing_answers.give_consent(entry.id, member.id, now):
        await alert(update, _.label("You answered this already."))
        return
    await query.answer()
    refreshed = await repos.sourcing_answers.get(entry.id)
    assert refreshed is not None
    if await introduce(context, request, refreshed):
        text = _("✅ Thank you: the buyer gets your contact now, and you get theirs.")
    else:
        text = _("The buyer is no longer a member of the cluster; nothing was shared.")
    await query.edit_message_text(text)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        CallbackQueryHandler(connect, callbacks.pattern("sb", r"(\d+)", "k", r"(\d+)")),
        CallbackQueryHandler(consent_answer, callbacks.pattern("sc", r"(\d+)", "(ok|no)")),
    ]
