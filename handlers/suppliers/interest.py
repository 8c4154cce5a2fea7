"""The supplier's side of a sourcing request: the request's card (from a notice or /sourcing),
💡 Interested (an optional note, then consent to share the organization's name, the member's
name and e-mail with the buyer; steps of the sourcing form) and Not for us.

An organization answers once: a second "interested" is refused, a "not for us" can become
"interested". Only organizations the request reached (or that match it while it is open) see
it; anything else is an expired button. Buttons carry `sr:<request>:…` (the card) and
`si:…` (the steps).
"""

from __future__ import annotations

import html

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler

from bot import callbacks
from bot.context import Ctx
from bot.i18n import Translator
from bot.when import show_short
from handlers.core import forms, menu
from handlers.suppliers.cards import request_card, title_of
from handlers.suppliers.common import (
    NOTE_MAX,
    alert,
    button,
    edit_quietly,
    expired,
    letters,
    organization_member,
    take_buttons,
)
from handlers.suppliers.shortlist import refresh_shortlist, tell_buyer
from storage.models import Member
from storage.repositories.suppliers.answers import Answer
from storage.repositories.suppliers.sourcing import Request

SI_NOTE, SI_CONSENT = "si_note", "si_consent"  # conversation states (persisted)


def answer_buttons(t: Translator, request_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                button(t.label("💡 Interested"), "sr", request_id, "in"),
                button(t.label("Not for us"), "sr", request_id, "no"),
            ]
        ]
    )


def _answered_by(context: Ctx, t: Translator, answer: Answer) -> str:
    """ "(Ana López, 24 nov 2026, 10:00)" — who answered for the organization, and when."""
    when = show_short(answer.answered_at, tz=context.services.settings.tz, language=t.language)
    return t.label(
        "{name}, {date}", name=answer.member_name or t.label("a former member"), date=when
    )


def already_interested(context: Ctx, t: Translator, answer: Answer) -> str:
    return t.label(
        "{organization} already said it is interested ({who}).",
        organization=answer.organization,
        who=_answered_by(context, t, answer),
    )


async def _visible(update: Update, context: Ctx, member: Member) -> Request | None:
    """The request a button names, if the member's organization may see it."""
    query = update.callback_query
    assert query is not None and query.data is not None
    assert member.organization_id is not None
    request = await context.services.repos.sourcing.for_supplier(
        int(query.data.split(":")[1]), member.organization_id, context.now()
    )
    if request is None:
        await expired(update, context)
    return request


async def _closed(update: Update, context: Ctx) -> None:
    await alert(update, context.t.label("This request is closed: it no longer takes answers."))
    assert update.callback_query is not None
    await update.callback_query.edit_message_reply_markup(None)


async def view(update: Update, context: Ctx) -> None:
    """🔎 A request listed in /sourcing: its card, the organization's answer or its buttons."""
    member = await organization_member(update, context)
    if member is None:
        return
    request = await _visible(update, context, member)
    if request is None:
        return
    assert update.callback_query is not None and member.organization_id is not None
    await update.callback_query.answer()
    _ = context.t
    text = request_card(_, request, tz=context.services.settings.tz)
    answer = await context.services.repos.sourcing_answers.of_organization(
        request.id, member.organization_id
    )
    markup = None
    if answer is not None and answer.answer == "interested":
        text += "\n\n" + _("💡 {line}", line=already_interested(context, _, answer))
    elif not request.takes_answers(context.now()):
        text += "\n\n" + _("🔒 Closed for answers.")
    else:
        if answer is not None:
            text += "\n\n" + _(
                "🙅 {organization} said it is not for them ({who}); you can still say you are "
                "interested.",
                organization=answer.organization,
                who=_answered_by(context, _, answer),
            )
        markup = answer_buttons(_, request.id)
    await forms.say(update, context, text, markup)


async def interested(update: Update, context: Ctx) -> str | int:
    """💡 Interested: checked (visible, open, the organization's first interest); then the
    note is asked."""
    member = await organization_member(update, context)
    if member is None:
        return ConversationHandler.END
    request = await _visible(update, context, member)
    if request is None:
        return ConversationHandler.END
    if not request.takes_answers(context.now()):
        await _closed(update, context)
        return ConversationHandler.END
    assert member.organization_id is not None
    _ = context.t
    answer = await context.services.repos.sourcing_answers.of_organization(
        request.id, member.organization_id
    )
    if answer is not None and answer.answer == "interested":
        await alert(update, already_interested(context, _, answer))
        return ConversationHandler.END
    query = update.callback_query
    assert query is not None
    await query.answer()
    draft = forms.draft(context, "si")
    draft.clear()
    draft["request"] = request.id
    if query.message is not None:
        draft["card"] = [query.message.chat.id, query.message.message_id]
    await forms.say(
        update,
        context,
        _(
            "💡 Add a note for the buyer of “{title}”: what you can offer, lead times, a "
            "customer you already supply (up to {maximum} characters). Or tap Skip.",
            title=title_of(_, request),
            maximum=NOTE_MAX,
        ),
        InlineKeyboardMarkup(
            [[button(_.label("Skip ⏭"), "si", "skip"), button(_.label("✖ Cancel"), "si", "x")]]
        ),
    )
    return SI_NOTE


async def typed_note(update: Update, context: Ctx) -> str | int:
    message = update.effective_message
    assert message is not None and message.text is not None
    note = message.text.strip()
    _ = context.t
    if len(note) > NOTE_MAX:
        await forms.say(
            update,
            context,
            _(
                "That is too long: at most {maximum} characters (yours has {count}).",
                maximum=NOTE_MAX,
                count=len(note),
            ),
        )
        return SI_NOTE
    if letters(note) < 2:
        await forms.say(update, context, _("Please write it with letters (at least two)."))
        return SI_NOTE
    forms.draft(context, "si")["note"] = note
    return await _ask_consent(update, context)


async def skipped_note(update: Update, context: Ctx) -> str | int:
    await take_buttons(update)
    forms.draft(context, "si")["note"] = None
    return await _ask_consent(update, context)


async def _ask_consent(update: Update, context: Ctx) -> str | int:
    member = await organization_member(update, context)
    if member is None:
        return ConversationHandler.END
    assert member.organization_id is not None
    organization = await context.services.repos.reference.organization(member.organization_id)
    _ = context.t
    await forms.say(
        update,
        context,
        _(
            "🤝 May I share with the buyer the name of {organization}, your name and your e-mail "
            "({email})? They reach the buyer only if you say yes. If not, the buyer sees your "
            "interest, your note and your capabilities without your name, and I ask you again "
            "if they want to talk.",
            organization=organization.name if organization else "",
            email=member.email or "",
        ),
        InlineKeyboardMarkup(
            [
                [button(_.label("✅ Yes, share them"), "si", "yes")],
                [button(_.label("🕶 Not now"), "si", "no")],
            ]
        ),
    )
    return SI_CONSENT


async def consent_given(update: Update, context: Ctx) -> str | int:
    """✅ Yes / 🕶 Not now: the interest is stored (once per organization), the buyer's
    shortlist updated and the buyer told."""
    member = await organization_member(update, context)
    if member is None:
        return ConversationHandler.END
    assert member.organization_id is not None and context.user_data is not None
    consent = await take_buttons(update) == "yes"
    draft = context.user_data.pop("si", {})
    repos = context.services.repos
    _ = context.t
    now = context.now()
    request = await repos.sourcing.for_supplier(
        int(draft.get("request", 0)), member.organization_id, now
    )
    if request is None or not request.takes_answers(now):
        await forms.say(
            update,
            context,
            _("This request is closed: it no longer takes answers."),
            menu.keyboard(_),
        )
        return ConversationHandler.END
    outcome = await repos.sourcing_answers.interested(
        request.id, member.organization_id, member.id, draft.get("note"), consent, now
    )
    answer = await repos.sourcing_answers.of_organization(request.id, member.organization_id)
    assert answer is not None
    if outcome == "already":
        text = html.escape(already_interested(context, _, answer))
        await forms.say(update, context, text, menu.keyboard(_))
        return ConversationHandler.END
    card = draft.get("card")
    if card:
        await edit_quietly(
            context,
            int(card[0]),
            int(card[1]),
            request_card(_, request, tz=context.services.settings.tz)
            + "\n\n"
            + _("💡 {line}", line=already_interested(context, _, answer)),
        )
    text = (
        _(
            "✅ Done: the buyer sees that {organization} is interested, with your name and "
            "e-mail. If they want to talk, you both get an introduction here.",
            organization=answer.organization,
        )
        if consent
        else _(
            "✅ Done: the buyer sees your interest and capabilities without your name. If they "
            "want to talk, I will ask you first."
        )
    )
    await forms.say(update, context, text, menu.keyboard(_))
    await refresh_shortlist(context, request.id)

    def news(t: Translator) -> str:
        who = answer.organization if consent else t.label("a supplier (not named yet)")
        return t(
            "💡 New interest in your request #{number} “{title}”: {who}. The shortlist is updated.",
            number=request.id,
            title=title_of(t, request),
            who=who,
        )

    await tell_buyer(context, request, news, with_shortlist_button=True)
    return ConversationHandler.END


async def not_for_us(update: Update, context: Ctx) -> None:
    """Not for us: noted once for the organization (the buyer sees only a count)."""
    member = await organization_member(update, context)
    if member is None:
        return
    request = await _visible(update, context, member)
    if request is None:
        return
    if not request.takes_answers(context.now()):
        await _closed(update, context)
        return
    assert member.organization_id is not None and update.callback_query is not None
    repos = context.services.repos
    _ = context.t
    if not await repos.sourcing_answers.declined(
        request.id, member.organization_id, member.id, context.now()
    ):
        answer = await repos.sourcing_answers.of_organization(request.id, member.organization_id)
        assert answer is not None
        if answer.answer == "interested":
            await alert(update, already_interested(context, _, answer))
        else:
            await alert(
                update,
                _.label(
                    "Already noted: not for {organization} ({who}).",
                    organization=answer.organization,
                    who=_answered_by(context, _, answer),
                ),
            )
        return
    await update.callback_query.answer()
    await update.callback_query.edit_message_reply_markup(None)
    organization = await repos.reference.organization(member.organization_id)
    await forms.say(
        update,
        context,
        _(
            "Noted: not for {organization}. Thank you; the buyer only sees how many said so.",
            organization=organization.name if organization else "",
        ),
    )
    await refresh_shortlist(context, request.id)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    """The stateless buttons (💡 Interested starts a step of the form: form.py)."""
    return [
        CallbackQueryHandler(view, callbacks.pattern("sr", r"(\d+)", "v")),
        CallbackQueryHandler(not_for_us, callbacks.pattern("sr", r"(\d+)", "no")),
    ]
