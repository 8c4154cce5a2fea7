"""Asking the member form's steps: each step's question and buttons, which step comes next
(the first thing the application still lacks), and going on to it once an answer is stored.

The answer handlers (answers.py, organizations.py) and the entry points (signup.py) all go
on through `store` and `proceed` here; nothing here imports them.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from bot import callbacks, validation
from bot.context import Ctx
from bot.i18n import N_
from bot.labels import SECTOR_NAMES, axis_name
from bot.privacy import PRIVACY_VERSION
from handlers.core.forms import say
from handlers.core.language import language_rows
from handlers.members import profile
from handlers.members.form_base import (
    button,
    current_member,
    form_data,
    offered,
    profile_mode,
    retire_offers,
)
from handlers.members.steps import (
    AXES,
    EMAIL,
    JOB_TITLE,
    LANGUAGE,
    NAME,
    NEW_ORGANIZATION,
    ORGANIZATION,
    PHONE,
    PRIVACY,
    SECTOR,
    SUMMARY,
)
from handlers.members.summary import member_summary
from storage.models import Member

ORGANIZATIONS_PER_PAGE = 8
SKIP = N_("Skip")
_SHARE_PHONE = N_("📱 Share my phone number")
REMOVE_PHONE = N_("🗑 Remove my number")


# --- asking each step --------------------------------------------------------------


async def ask_language(update: Update, context: Ctx) -> None:
    _ = context.t
    rows = language_rows(
        _.language,
        context.services.i18n.languages,
        lambda code: callbacks.pack("su", "lang", code),
    )
    await say(
        update,
        context,
        _(
            "👋 Welcome to CLIA, the Cluster of Industrialists of Aguascalientes! "
            "Let's make you a member; it takes about a minute.\n\nFirst, choose your language:"
        ),
        InlineKeyboardMarkup(rows),
    )


async def ask_privacy(update: Update, context: Ctx) -> None:
    from bot.privacy import short_notice

    _ = context.t
    markup = InlineKeyboardMarkup(
        [
            [button(_.label("✅ I accept"), "ok")],
            [button(_.label("📄 Read the full notice"), "full")],
        ]
    )
    await say(update, context, short_notice(_), markup)


async def ask_name(update: Update, context: Ctx) -> None:
    _ = context.t
    user = update.effective_user
    offered = validation.person_name(user.full_name) if user else None
    markup = None
    text = _("What is your full name? Please type it.")
    if isinstance(offered, str):
        markup = InlineKeyboardMarkup([[button("✅ " + offered, "name")]])
        text = _("What is your full name? Tap the button if this is it, or type it.")
    await say(update, context, text, markup)


async def ask_organization(update: Update, context: Ctx, page: int = 0) -> None:
    _ = context.t
    await retire_offers(update, context)  # a list asked again replaces the earlier ones
    message = await say(
        update,
        context,
        _(
            "🏢 Which organization do you work for? Choose it below, or type part of its "
            "name to search."
        ),
        await organization_keyboard(context, page),
    )
    offered(context, message)


async def organization_keyboard(context: Ctx, page: int) -> InlineKeyboardMarkup:
    """One page of the organization list, with its pages and ➕ Other (also for paging)."""
    reference = context.services.repos.reference
    viewer = context.member.id if context.member else None
    total = await reference.organization_count(viewer)
    pages = max(1, -(-total // ORGANIZATIONS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    organizations = await reference.organizations_page(
        page * ORGANIZATIONS_PER_PAGE, ORGANIZATIONS_PER_PAGE, viewer
    )
    rows = [[button(o.name, "org", o.id)] for o in organizations]
    navigation = []
    if page > 0:
        navigation.append(button("◀️", "orgp", page - 1))
    navigation.append(button(f"{page + 1}/{pages}", "orgp", page))
    if page < pages - 1:
        navigation.append(button("▶️", "orgp", page + 1))
    rows.append(navigation)
    rows.append([button(context.t.label("➕ Other (type its name)"), "orgnew")])
    return InlineKeyboardMarkup(rows)


async def ask_new_organization(update: Update, context: Ctx) -> None:
    await say(update, context, context.t("Type the name of your organization:"))


async def ask_sector(update: Update, context: Ctx) -> None:
    _ = context.t
    rows = [[button(_.label(label), "sec", code)] for code, label in SECTOR_NAMES.items()]
    await say(
        update,
        context,
        _(
            "What kind of organization is {name}?",
            name=form_data(context).get("new_organization", ""),
        ),
        InlineKeyboardMarkup(rows),
    )


async def ask_job_title(update: Update, context: Ctx) -> None:
    await say(update, context, context.t("💼 What is your job title?"))


async def ask_email(update: Update, context: Ctx) -> None:
    await say(update, context, context.t("📧 What is your work e-mail?"))


async def ask_phone(update: Update, context: Ctx) -> None:
    _ = context.t
    rows: list[list[KeyboardButton | str]] = [
        [KeyboardButton(_.label(_SHARE_PHONE), request_contact=True)],
        [_.label(SKIP)],
    ]
    member = await current_member(update, context) if profile_mode(context) else None
    if member is not None and member.phone:
        rows.append([_.label(REMOVE_PHONE)])
    keyboard = ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)
    await say(
        update,
        context,
        _(
            "📱 If you like, share your phone number with the button below, so coordinators "
            "can call you about events. It is optional: you can tap Skip."
        ),
        keyboard,
    )


async def axes_keyboard(context: Ctx, member_id: int, done_label: str) -> InlineKeyboardMarkup:
    """The axes with the member's choices ticked (redrawn after every tap)."""
    reference = context.services.repos.reference
    chosen = {a.axis_id for a in await context.services.repos.members.axes(member_id)}
    rows = [
        [button(("✓ " if a.id in chosen else "") + axis_name(context.t, a.code), "ax", a.id)]
        for a in await reference.axes()
    ]
    rows.append([button(done_label, "axdone")])
    return InlineKeyboardMarkup(rows)


async def ask_axes(update: Update, context: Ctx) -> None:
    _ = context.t
    member = await current_member(update, context)
    assert member is not None
    done = _.label("✅ Done") if profile_mode(context) else _.label("Continue ▶️")
    await say(
        update,
        context,
        _(
            "🎯 Which strategic axes interest you? Tap to choose one or more, then {done}.",
            done=done,
        ),
        await axes_keyboard(context, member.id, done),
    )


async def ask_summary(update: Update, context: Ctx) -> None:
    _ = context.t
    member = await current_member(update, context)
    assert member is not None
    edit = [
        button(_.label("✏️ Name"), "ed", NAME),
        button(_.label("✏️ Organization"), "ed", ORGANIZATION),
        button(_.label("✏️ Job title"), "ed", JOB_TITLE),
        button(_.label("✏️ E-mail"), "ed", EMAIL),
        button(_.label("✏️ Phone"), "ed", PHONE),
        button(_.label("✏️ Axes"), "ed", AXES),
    ]
    rows = [[button(_.label("✅ Confirm and send"), "cf")]]
    rows += [edit[i : i + 2] for i in range(0, len(edit), 2)]
    text = _("<b>Please check your details</b>") + "\n\n" + await member_summary(context, member, _)
    await say(update, context, text, InlineKeyboardMarkup(rows))


ASK = {
    LANGUAGE: ask_language,
    PRIVACY: ask_privacy,
    NAME: ask_name,
    ORGANIZATION: ask_organization,
    NEW_ORGANIZATION: ask_new_organization,
    SECTOR: ask_sector,
    JOB_TITLE: ask_job_title,
    EMAIL: ask_email,
    PHONE: ask_phone,
    AXES: ask_axes,
    SUMMARY: ask_summary,
}


# --- what comes next -------------------------------------------------------------


async def first_missing(context: Ctx, member: Member | None) -> str:
    """The step to ask next: the first thing the application still lacks."""
    if member is None or member.language is None:
        return LANGUAGE
    if member.consent_version != PRIVACY_VERSION:
        return PRIVACY
    if member.full_name is None:
        return NAME
    if member.organization_id is None:
        return ORGANIZATION
    if member.job_title is None:
        return JOB_TITLE
    if member.email is None:
        return EMAIL
    if member.phone is None and not form_data(context).get("phone_done"):
        return PHONE
    if not await context.services.repos.members.axes(member.id):
        return AXES
    return SUMMARY


async def proceed(update: Update, context: Ctx) -> str | int:
    """After a stored answer: back to the profile, or on to the next missing step."""
    if profile_mode(context):
        form_data(context).pop("mode", None)
        await profile.show_profile(update, context)
        return ConversationHandler.END
    member = await current_member(update, context)
    step = await first_missing(context, member)
    if step == ORGANIZATION and member is not None:
        member = await apply_invitation(update, context, member)
        step = await first_missing(context, member)
    await ASK[step](update, context)
    return step


async def apply_invitation(update: Update, context: Ctx, member: Member) -> Member | None:
    """With a valid invitation the organization is known: fill it in and say so."""
    code = form_data(context).get("invitation")
    invitation = (
        await context.services.repos.invitations.valid(code, context.now()) if code else None
    )
    if invitation is None:
        return member
    await context.services.repos.members.set_field(
        member.id, "organization_id", invitation.organization_id, context.now()
    )
    await retire_offers(update, context)  # the list, if it was shown, is answered
    await say(
        update,
        context,
        context.t(
            "🏢 Organization: {name} (from your invitation).", name=invitation.organization_name
        ),
    )
    return await current_member(update, context)


async def store(update: Update, context: Ctx, field: Any, value: str | int | None) -> str | int:
    """Keep an answer on the member row at once (a pause loses nothing), then go on."""
    member = await current_member(update, context)
    assert member is not None
    await context.services.repos.members.set_field(member.id, field, value, context.now())
    return await proceed(update, context)
