"""A buyer's sourcing request, step by step (➕ New request in /sourcing): title, processes
wanted (toggles, at least one), certifications required (toggles, any number), description,
estimated volume (optional), deadline for answers, whether suppliers see the buyer's
organization, and a preview as suppliers will read it; then it goes to the coordinators who
decide (copies.py). Its steps are part of the one sourcing form (form.py); the answers so far
are kept in the person's user data under "sf", so a restart loses nothing.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from bot.context import Ctx
from bot.i18n import Translator
from bot.when import WhenProblem, parse_local, show
from handlers.core import forms, menu
from handlers.suppliers.cards import request_card
from handlers.suppliers.catalogue import certification_name, process_name
from handlers.suppliers.common import (
    DESCRIPTION_MAX,
    EXPIRED,
    TITLE_MAX,
    VOLUME_MAX,
    alert,
    button,
    letters,
    organization_member,
    take_buttons,
    toggle_rows,
)
from handlers.suppliers.copies import show_to_deciders
from storage.repositories.suppliers.capabilities import CatalogueItem
from storage.repositories.suppliers.sourcing import NewRequest, Request

DATE_ALONE = re.compile(r"\d{1,2}/\d{1,2}(/\d{4})?|\d{4}-\d{1,2}-\d{1,2}")  # a deadline's day
SF_TITLE, SF_PROCESSES, SF_CERTIFICATIONS, SF_DESCRIPTION = (
    "sf_title",
    "sf_processes",
    "sf_certifications",
    "sf_description",
)
SF_VOLUME, SF_DEADLINE, SF_ANONYMITY, SF_PREVIEW = (
    "sf_volume",
    "sf_deadline",
    "sf_anonymity",
    "sf_preview",
)
MIN_LEAD = timedelta(hours=24)  # approval first, then time for suppliers to answer


def draft(context: Ctx) -> dict[str, Any]:
    return forms.draft(context, "sf")


async def _say_too_long(update: Update, context: Ctx, maximum: int, text: str) -> None:
    await forms.say(
        update,
        context,
        context.t(
            "That is too long: at most {maximum} characters (yours has {count}).",
            maximum=maximum,
            count=len(text),
        ),
    )


async def start(update: Update, context: Ctx) -> str | int:
    """➕ New request: a fresh draft, and the first question."""
    member = await organization_member(update, context)
    if member is None:
        return ConversationHandler.END
    if update.callback_query is not None:
        await update.callback_query.answer()
    assert context.user_data is not None
    context.user_data["sf"] = {}
    await forms.say(
        update,
        context,
        context.t(
            "🤝 <b>New sourcing request</b>\n\nA coordinator of the cluster approves it; then it "
            "goes to the member suppliers whose capability profile matches. /cancel stops.\n\n"
            "What do you need? A short title (up to {maximum} characters), for example "
            "“Stamped brackets for a new model”.",
            maximum=TITLE_MAX,
        ),
    )
    return SF_TITLE


async def typed_title(update: Update, context: Ctx) -> str:
    message = update.effective_message
    assert message is not None and message.text is not None
    title = " ".join(message.text.split())
    if len(title) > TITLE_MAX:
        await _say_too_long(update, context, TITLE_MAX, title)
        return SF_TITLE
    if letters(title) < 2:
        await forms.say(update, context, context.t("Please write it with letters (at least two)."))
        return SF_TITLE
    draft(context)["title"] = title
    return await _ask_processes(update, context)


def _toggles(
    t: Translator, items: list[CatalogueItem], chosen: set[int], prefix: str, done: str
) -> InlineKeyboardMarkup:
    name = process_name if prefix == "p" else certification_name
    names = [name(t, i.code, i.name) for i in items]
    buttons = [
        button(("✓ " if i.id in chosen else "") + label, "sf", prefix, i.id)
        for i, label in zip(items, names, strict=True)
    ]
    rows = toggle_rows(buttons, names)
    rows.append([button(t.label("Continue ▶️"), "sf", done), button(t.label("✖ Cancel"), "sf", "x")])
    return InlineKeyboardMarkup(rows)


async def _ask_processes(update: Update, context: Ctx) -> str:
    items = await context.services.repos.capabilities.processes()
    chosen = set(draft(context).get("processes", []))
    await forms.say(
        update,
        context,
        context.t(
            "⚙️ Which processes do you need? Tap one or more, then Continue. Suppliers that do "
            "at least one of them get the request."
        ),
        _toggles(context.t, items, chosen, "p", "pdone"),
    )
    return SF_PROCESSES


async def toggled(update: Update, context: Ctx) -> str:
    """A process or a certification tapped: kept in the draft, the buttons redrawn."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _prefix, kind, item = query.data.split(":")
    repos = context.services.repos
    items = await (
        repos.capabilities.processes() if kind == "p" else repos.capabilities.certifications()
    )
    step, key, done = (
        (SF_PROCESSES, "processes", "pdone")
        if kind == "p"
        else (SF_CERTIFICATIONS, "certifications", "cdone")
    )
    if int(item) not in {i.id for i in items}:
        await alert(update, context.t.label(EXPIRED))
        return step
    chosen = set(draft(context).get(key, []))
    chosen ^= {int(item)}
    draft(context)[key] = sorted(chosen)
    await query.answer()
    await query.edit_message_reply_markup(_toggles(context.t, items, chosen, kind, done))
    return step


async def processes_done(update: Update, context: Ctx) -> str:
    if not draft(context).get("processes"):
        await alert(update, context.t.label("Choose at least one process."))
        return SF_PROCESSES
    await take_buttons(update)
    items = await context.services.repos.capabilities.certifications()
    chosen = set(draft(context).get("certifications", []))
    await forms.say(
        update,
        context,
        context.t(
            "📜 Which certifications must the supplier hold? Only suppliers with all of them "
            "get the request. Choose none to ask for no certification, then Continue."
        ),
        _toggles(context.t, items, chosen, "c", "cdone"),
    )
    return SF_CERTIFICATIONS


async def certifications_done(update: Update, context: Ctx) -> str:
    await take_buttons(update)
    await forms.say(
        update,
        context,
        context.t(
            "📝 Describe the need: the part or service, materials, specifications, quality "
            "requirements (up to {maximum} characters).",
            maximum=DESCRIPTION_MAX,
        ),
    )
    return SF_DESCRIPTION


async def typed_description(update: Update, context: Ctx) -> str:
    message = update.effective_message
    assert message is not None and message.text is not None
    text = message.text.strip()
    if len(text) > DESCRIPTION_MAX:
        await _say_too_long(update, context, DESCRIPTION_MAX, text)
        return SF_DESCRIPTION
    if letters(text) < 2:
        await forms.say(update, context, context.t("Please write it with letters (at least two)."))
        return SF_DESCRIPTION
    draft(context)["description"] = text
    _ = context.t
    await forms.say(
        update,
        context,
        _(
            "📦 The estimated volume, in your own words (for example 20,000 pieces a month for "
            "two years; up to {maximum} characters). Or tap Skip.",
            maximum=VOLUME_MAX,
        ),
        InlineKeyboardMarkup([[button(_.label("Skip ⏭"), "sf", "novol")]]),
    )
    return SF_VOLUME


async def typed_volume(update: Update, context: Ctx) -> str:
    message = update.effective_message
    assert message is not None and message.text is not None
    volume = " ".join(message.text.split())
    if len(volume) > VOLUME_MAX:
        await _say_too_long(update, context, VOLUME_MAX, volume)
        return SF_VOLUME
    draft(context)["volume"] = volume
    return await _ask_deadline(update, context)


async def skipped_volume(update: Update, context: Ctx) -> str:
    await take_buttons(update)
    draft(context)["volume"] = None
    return await _ask_deadline(update, context)


async def _ask_deadline(update: Update, context: Ctx) -> str:
    await forms.say(
        update,
        context,
        context.t(
            "🕒 Until when do you take answers? Aguascalientes time, for example 15/12 18:00 "
            "(a date alone: until the end of that day), at least a day from now (a coordinator "
            "approves the request first)."
        ),
    )
    return SF_DEADLINE


def _deadline_problem(context: Ctx, deadline: datetime) -> str | None:
    if deadline < context.now() + MIN_LEAD:
        return context.t(
            "That is too soon: give a deadline at least a day from now, so that a coordinator "
            "can approve the request and suppliers can answer."
        )
    return None


async def typed_deadline(update: Update, context: Ctx) -> str:
    message = update.effective_message
    assert message is not None and message.text is not None
    tz = context.services.settings.tz
    text = message.text.strip()
    moment = parse_local(text, now=context.now(), tz=tz)
    if isinstance(moment, WhenProblem) and DATE_ALONE.fullmatch(text):
        moment = parse_local(f"{text} 23:59", now=context.now(), tz=tz)  # to the day's end
    if isinstance(moment, WhenProblem):
        await forms.say(update, context, context.t(moment.message, **moment.values))
        return SF_DEADLINE
    problem = _deadline_problem(context, moment)
    if problem is not None:
        await forms.say(update, context, problem)
        return SF_DEADLINE
    draft(context)["deadline"] = moment.isoformat()
    member = await organization_member(update, context)
    if member is None or member.organization_id is None:
        return SF_DEADLINE
    organization = await context.services.repos.reference.organization(member.organization_id)
    _ = context.t
    name = organization.name if organization else "?"
    await forms.say(
        update,
        context,
        _(
            "Answers until {when}.\n\n🏢 May suppliers see that {organization} is buying? If "
            "not, the request is anonymous until you choose to show it (introductions always "
            "tell the supplier who you are).",
            when=show(moment, tz=tz, language=_.language),
            organization=name,
        ),
        InlineKeyboardMarkup(
            [
                [
                    button(
                        _.label("🏢 Show {organization}", organization=name)[:60], "sf", "anon", 0
                    )
                ],
                [button(_.label("🕶 Keep us anonymous for now"), "sf", "anon", 1)],
            ]
        ),
    )
    return SF_ANONYMITY


async def chose_anonymity(update: Update, context: Ctx) -> str:
    draft(context)["anonymous"] = await take_buttons(update) == "1"
    return await _preview(update, context)


async def _sample(context: Ctx, data: dict[str, Any]) -> Request | None:
    """The draft as the request it will be, for the preview; None when it is incomplete."""
    needed = ("title", "processes", "description", "deadline", "anonymous")
    if any(k not in data for k in needed) or not data["processes"]:
        return None
    repos = context.services.repos
    processes = {i.id: i.code for i in await repos.capabilities.processes()}
    certifications = {i.id: i.code for i in await repos.capabilities.certifications()}
    member = context.member
    organization = (
        await repos.reference.organization(member.organization_id)
        if member is not None and member.organization_id is not None
        else None
    )
    return Request(
        id=0,
        buyer_id=member.id if member else None,
        organization_id=organization.id if organization else None,
        organization=organization.name if organization else None,
        title=data["title"],
        description=data["description"],
        volume=data.get("volume"),
        deadline_at=datetime.fromisoformat(data["deadline"]),
        anonymous=bool(data["anonymous"]),
        revealed_at=None,
        status="pending",
        requested_at=context.now(),
        decided_at=None,
        rejection_reason=None,
        closed_at=None,
        closed_reason=None,
        shortlist_chat_id=None,
        shortlist_message_id=None,
        processes=tuple(processes[i] for i in sorted(data["processes"]) if i in processes),
        certifications=tuple(
            certifications[i] for i in sorted(data.get("certifications", [])) if i in certifications
        ),
    )


async def _preview(update: Update, context: Ctx) -> str:
    sample = await _sample(context, draft(context))
    assert sample is not None
    _ = context.t
    card = request_card(_, sample, tz=context.services.settings.tz)
    await forms.say(update, context, card)
    await forms.say(
        update,
        context,
        _("👆 This is how suppliers will read it (with its number once it is sent)."),
        InlineKeyboardMarkup(
            [
                [
                    button(_.label("📨 Send for approval"), "sf", "send"),
                    button(_.label("✖ Cancel"), "sf", "x"),
                ]
            ]
        ),
    )
    return SF_PREVIEW


async def send(update: Update, context: Ctx) -> str | int:
    """📨 Send for approval: stored as pending, shown to those who decide."""
    query = update.callback_query
    assert query is not None and context.user_data is not None
    member = await organization_member(update, context)
    if member is None:
        return ConversationHandler.END
    data = draft(context)
    sample = await _sample(context, data)
    if sample is None:
        await alert(update, context.t.label(EXPIRED))
        return ConversationHandler.END
    problem = _deadline_problem(context, sample.deadline_at)
    if problem is not None:  # the preview waited too long
        await query.answer()
        await forms.say(update, context, problem)
        return await _ask_deadline(update, context)
    await take_buttons(update)
    repos = context.services.repos
    new = NewRequest(
        title=data["title"],
        process_ids=tuple(data["processes"]),
        certification_ids=tuple(data.get("certifications", [])),
        description=data["description"],
        volume=data.get("volume"),
        deadline_at=sample.deadline_at,
        anonymous=sample.anonymous,
    )
    request_id = await repos.sourcing.create(new, member.id, member.organization_id, context.now())
    context.user_data.pop("sf", None)
    request = await repos.sourcing.get(request_id)
    assert request is not None
    await show_to_deciders(context, request)
    _ = context.t
    await forms.say(
        update,
        context,
        _(
            "✅ Request #{number} was sent for approval. A coordinator reviews it before it "
            "goes to suppliers; I will tell you here. /sourcing shows your requests.",
            number=request_id,
        ),
        menu.keyboard(_),
    )
    return ConversationHandler.END
