"""The member form: sign-up for newcomers, and field edits from /profile.

One ConversationHandler asks for one thing per step. Every answer is stored on
the member row as soon as it is given, and the conversation state is persisted
in SQLite, so a restart of the bot or a pause loses nothing: the person goes on
at the step they left. The next step is always the first thing still missing,
so the same steps serve the first pass, edits from the summary, and a person
who comes back days later.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import callbacks, deeplinks, validation
from bot.auth import own_member
from bot.context import Ctx
from bot.i18n import N_
from bot.labels import SECTOR_NAMES, axis_name, sector_name
from bot.privacy import PRIVACY_VERSION
from bot.roles import effective_role
from handlers.core import common, forms, menu
from handlers.core.language import LANGUAGE_NAMES
from handlers.members import approval, profile
from handlers.members.admission import admit_to_community, welcome_active
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

log = logging.getLogger(__name__)

ORGANIZATIONS_PER_PAGE = 8
EDITABLE = (NAME, ORGANIZATION, JOB_TITLE, EMAIL, PHONE, AXES)
SKIP = N_("Skip")
_SHARE_PHONE = N_("📱 Share my phone number")
REMOVE_PHONE = N_("🗑 Remove my number")


# --- small helpers ---------------------------------------------------------------


def _chat_id(update: Update) -> int:
    assert update.effective_chat is not None
    return update.effective_chat.id


def _data(context: Ctx) -> dict[str, Any]:
    assert context.user_data is not None
    return context.user_data


def _profile_mode(context: Ctx) -> bool:
    return bool(_data(context).get("mode") == "profile")


async def _send(update: Update, context: Ctx, text: str, markup: Any = None) -> None:
    await context.bot.send_message(_chat_id(update), text, reply_markup=markup)


async def _member(update: Update, context: Ctx) -> Member | None:
    """The member row as it is now (it changes during the form)."""
    assert update.effective_user is not None
    return await context.services.repos.members.by_telegram_id(update.effective_user.id)


def _button(label: str, *parts: str | int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.pack("su", *parts))


async def _first_missing(context: Ctx, member: Member | None) -> str:
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
    if member.phone is None and not _data(context).get("phone_done"):
        return PHONE
    if not await context.services.repos.members.axes(member.id):
        return AXES
    return SUMMARY


async def _proceed(update: Update, context: Ctx) -> str | int:
    """After a stored answer: back to the profile, or on to the next missing step."""
    if _profile_mode(context):
        _data(context).pop("mode", None)
        await profile.show_profile(update, context)
        return ConversationHandler.END
    member = await _member(update, context)
    step = await _first_missing(context, member)
    if step == ORGANIZATION and member is not None:
        member = await _apply_invitation(update, context, member)
        step = await _first_missing(context, member)
    await ASK[step](update, context)
    return step


async def _apply_invitation(update: Update, context: Ctx, member: Member) -> Member | None:
    """With a valid invitation the organization is known: fill it in and say so."""
    code = _data(context).get("invitation")
    invitation = (
        await context.services.repos.invitations.valid(code, context.now()) if code else None
    )
    if invitation is None:
        return member
    await context.services.repos.members.set_field(
        member.id, "organization_id", invitation.organization_id, context.now()
    )
    await _send(
        update,
        context,
        context.t(
            "🏢 Organization: {name} (from your invitation).", name=invitation.organization_name
        ),
    )
    return await _member(update, context)


# --- asking each step --------------------------------------------------------------


async def ask_language(update: Update, context: Ctx) -> None:
    _ = context.t
    current = _.language
    buttons = [
        _button(("✓ " if code == current else "") + name, "lang", code)
        for code, name in LANGUAGE_NAMES.items()
    ]
    await _send(
        update,
        context,
        _(
            "👋 Welcome to CLIA, the Cluster of Industrialists of Aguascalientes! "
            "Let's make you a member; it takes about a minute.\n\nFirst, choose your language:"
        ),
        InlineKeyboardMarkup([buttons]),
    )


async def ask_privacy(update: Update, context: Ctx) -> None:
    from bot.privacy import short_notice

    _ = context.t
    markup = InlineKeyboardMarkup(
        [
            [_button(_.label("✅ I accept"), "ok")],
            [_button(_.label("📄 Read the full notice"), "full")],
        ]
    )
    await _send(update, context, short_notice(_), markup)


async def ask_name(update: Update, context: Ctx) -> None:
    _ = context.t
    user = update.effective_user
    offered = validation.person_name(user.full_name) if user else None
    markup = None
    text = _("What is your full name? Please type it.")
    if isinstance(offered, str):
        markup = InlineKeyboardMarkup([[_button("✅ " + offered, "name")]])
        text = _("What is your full name? Tap the button if this is it, or type it.")
    await _send(update, context, text, markup)


async def ask_organization(update: Update, context: Ctx, page: int = 0) -> None:
    _ = context.t
    await _send(
        update,
        context,
        _(
            "🏢 Which organization do you work for? Choose it below, or type part of its "
            "name to search."
        ),
        await _organization_keyboard(context, page),
    )


async def _organization_keyboard(context: Ctx, page: int) -> InlineKeyboardMarkup:
    reference = context.services.repos.reference
    viewer = context.member.id if context.member else None
    total = await reference.organization_count(viewer)
    pages = max(1, -(-total // ORGANIZATIONS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    organizations = await reference.organizations_page(
        page * ORGANIZATIONS_PER_PAGE, ORGANIZATIONS_PER_PAGE, viewer
    )
    rows = [[_button(o.name, "org", o.id)] for o in organizations]
    navigation = []
    if page > 0:
        navigation.append(_button("◀️", "orgp", page - 1))
    navigation.append(_button(f"{page + 1}/{pages}", "orgp", page))
    if page < pages - 1:
        navigation.append(_button("▶️", "orgp", page + 1))
    rows.append(navigation)
    rows.append([_button(context.t.label("➕ Other (type its name)"), "orgnew")])
    return InlineKeyboardMarkup(rows)


async def ask_new_organization(update: Update, context: Ctx) -> None:
    await _send(update, context, context.t("Type the name of your organization:"))


async def ask_sector(update: Update, context: Ctx) -> None:
    _ = context.t
    rows = [[_button(_.label(label), "sec", code)] for code, label in SECTOR_NAMES.items()]
    await _send(
        update,
        context,
        _("What kind of organization is {name}?", name=_data(context).get("new_organization", "")),
        InlineKeyboardMarkup(rows),
    )


async def ask_job_title(update: Update, context: Ctx) -> None:
    await _send(update, context, context.t("💼 What is your job title?"))


async def ask_email(update: Update, context: Ctx) -> None:
    await _send(update, context, context.t("📧 What is your work e-mail?"))


async def ask_phone(update: Update, context: Ctx) -> None:
    _ = context.t
    rows: list[list[KeyboardButton | str]] = [
        [KeyboardButton(_.label(_SHARE_PHONE), request_contact=True)],
        [_.label(SKIP)],
    ]
    member = await _member(update, context) if _profile_mode(context) else None
    if member is not None and member.phone:
        rows.append([_.label(REMOVE_PHONE)])
    keyboard = ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)
    await _send(
        update,
        context,
        _(
            "📱 If you like, share your phone number with the button below, so coordinators "
            "can call you about events. It is optional: you can tap Skip."
        ),
        keyboard,
    )


async def _axes_keyboard(context: Ctx, member_id: int, done_label: str) -> InlineKeyboardMarkup:
    reference = context.services.repos.reference
    chosen = {a.axis_id for a in await context.services.repos.members.axes(member_id)}
    rows = [
        [_button(("✓ " if a.id in chosen else "") + axis_name(context.t, a.code), "ax", a.id)]
        for a in await reference.axes()
    ]
    rows.append([_button(done_label, "axdone")])
    return InlineKeyboardMarkup(rows)


async def ask_axes(update: Update, context: Ctx) -> None:
    _ = context.t
    member = await _member(update, context)
    assert member is not None
    done = _.label("✅ Done") if _profile_mode(context) else _.label("Continue ▶️")
    await _send(
        update,
        context,
        _(
            "🎯 Which strategic axes interest you? Tap to choose one or more, then {done}.",
            done=done,
        ),
        await _axes_keyboard(context, member.id, done),
    )


async def ask_summary(update: Update, context: Ctx) -> None:
    _ = context.t
    member = await _member(update, context)
    assert member is not None
    edit = [
        _button(_.label("✏️ Name"), "ed", NAME),
        _button(_.label("✏️ Organization"), "ed", ORGANIZATION),
        _button(_.label("✏️ Job title"), "ed", JOB_TITLE),
        _button(_.label("✏️ E-mail"), "ed", EMAIL),
        _button(_.label("✏️ Phone"), "ed", PHONE),
        _button(_.label("✏️ Axes"), "ed", AXES),
    ]
    rows = [[_button(_.label("✅ Confirm and send"), "cf")]]
    rows += [edit[i : i + 2] for i in range(0, len(edit), 2)]
    text = _("<b>Please check your details</b>") + "\n\n" + await member_summary(context, member, _)
    await _send(update, context, text, InlineKeyboardMarkup(rows))


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


# --- entering the form ------------------------------------------------------------------


async def begin(update: Update, context: Ctx) -> str | int:
    """/start: newcomers (and people applying again) sign up; members get the menu."""
    payload = context.args[0] if context.args else ""
    if payload and not payload.startswith("join_"):
        if await deeplinks.dispatch(update, context, payload):
            return ConversationHandler.END
        payload = ""  # not one of ours: an ordinary /start
    member = context.member
    if member is not None and member.status in ("pending", "active"):
        await common.start(update, context)
        return ConversationHandler.END
    data = _data(context)
    data.clear()
    if payload.startswith("join_"):
        invitation = await context.services.repos.invitations.valid(payload[5:], context.now())
        if invitation is None:
            await _send(
                update,
                context,
                context.t(
                    "⚠️ This invitation link is not valid or has expired. You can still "
                    "apply: a coordinator will review your application."
                ),
            )
        else:
            data["invitation"] = invitation.code
    member = await _member(update, context)
    applied_before = member is not None and member.status in ("rejected", "left")
    if applied_before:
        data["phone_done"] = True  # what they said about the phone still stands
    step = await _first_missing(context, member)
    if applied_before and step == SUMMARY:
        await _send(
            update,
            context,
            context.t(
                "👋 Welcome back! Here is what you told us before: check it, change what you "
                "need, and send your application again."
            ),
        )
    elif step != LANGUAGE:
        await _send(
            update, context, context.t("👋 Welcome back! Let's continue where you left off.")
        )
    await ASK[step](update, context)
    return step


async def edit_from_profile(update: Update, context: Ctx) -> str | int:
    """A ✏️ button of /profile: ask that one field, then show the profile again."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if await own_member(update, context) is None:
        return ConversationHandler.END
    await query.answer()
    step = query.data.split(":")[2]
    _data(context)["mode"] = "profile"
    await ASK[step](update, context)
    return step


# --- answering each step ------------------------------------------------------------------


async def chose_language(update: Update, context: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    language = query.data.split(":")[2]
    await context.services.repos.members.set_language(
        update.effective_user.id, _chat_id(update), language, context.now()
    )
    context.use_language(language)
    await query.answer()
    await query.edit_message_text(context.t("✅ I will talk to you in English from now on."))
    return await _proceed(update, context)


async def accepted_privacy(update: Update, context: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None
    member = await _member(update, context)
    assert member is not None
    await context.services.repos.members.record_consent(member.id, PRIVACY_VERSION, context.now())
    await query.answer()
    await query.edit_message_reply_markup(None)
    await _send(update, context, context.t("✅ Thank you. Privacy notice accepted."))
    return await _proceed(update, context)


async def full_privacy(update: Update, context: Ctx) -> str:
    from bot.privacy import full_notice

    query = update.callback_query
    assert query is not None
    await query.answer()
    _ = context.t
    markup = InlineKeyboardMarkup([[_button(_.label("✅ I accept"), "ok")]])
    await _send(update, context, full_notice(_), markup)
    return PRIVACY


async def _reject(update: Update, context: Ctx, problem: validation.Problem, step: str) -> str:
    await _send(update, context, context.t(problem.message, **problem.values))
    return step


async def typed_name(update: Update, context: Ctx) -> str | int:
    assert update.message is not None and update.message.text is not None
    value = validation.person_name(update.message.text)
    if isinstance(value, validation.Problem):
        return await _reject(update, context, value, NAME)
    return await _store(update, context, "full_name", value)


async def tapped_name(update: Update, context: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    value = validation.person_name(update.effective_user.full_name)
    await query.answer()
    if isinstance(value, validation.Problem):
        return await _reject(update, context, value, NAME)
    await query.edit_message_reply_markup(None)
    return await _store(update, context, "full_name", value)


async def _store(update: Update, context: Ctx, field: Any, value: str | int | None) -> str | int:
    member = await _member(update, context)
    assert member is not None
    await context.services.repos.members.set_field(member.id, field, value, context.now())
    return await _proceed(update, context)


async def chose_organization(update: Update, context: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None
    organization = await context.services.repos.reference.organization(
        int(query.data.split(":")[2])
    )
    if organization is None:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return ORGANIZATION
    await query.answer()
    await query.edit_message_text(context.t("🏢 Organization: {name}", name=organization.name))
    return await _store(update, context, "organization_id", organization.id)


async def organization_page(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    await query.edit_message_reply_markup(
        await _organization_keyboard(context, int(query.data.split(":")[2]))
    )
    return ORGANIZATION


async def other_organization(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await ask_new_organization(update, context)
    return NEW_ORGANIZATION


async def searched_organization(update: Update, context: Ctx) -> str:
    """Text typed at the organization step: show what matches, or offer to add it."""
    assert update.message is not None and update.message.text is not None
    _ = context.t
    value = validation.organization_name(update.message.text)
    if isinstance(value, validation.Problem):
        return await _reject(update, context, value, ORGANIZATION)
    typed = _data(context).setdefault("typed_organizations", [])
    typed[:] = [*typed[-9:], value]  # each "Add" button keeps the name it shows
    viewer = context.member.id if context.member else None
    matches = await context.services.repos.reference.find_organizations(value, viewer)
    rows = [[_button(o.name, "org", o.id)] for o in matches]
    add = _.label("➕ Add “{name}”", name=value[:40])
    rows.append([_button(add, "orgadd", len(typed) - 1)])
    rows.append([_button(_.label("📋 See the whole list"), "orgp", 0)])
    text = (
        _("Organizations matching “{text}”:", text=value)
        if matches
        else _("I found no organization called “{text}”. Add it as a new one?", text=value)
    )
    await _send(update, context, text, InlineKeyboardMarkup(rows))
    return ORGANIZATION


async def add_typed_organization(update: Update, context: Ctx) -> str:
    """➕ Add "…": the name on that very button (not the latest search)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    typed = _data(context).get("typed_organizations") or []
    index = (
        validation.whole_number(query.data.split(":")[-1]) if query.data.count(":") == 2 else None
    )
    if index is None or index >= len(typed):
        await ask_new_organization(update, context)
        return NEW_ORGANIZATION
    _data(context)["new_organization"] = typed[index]
    await ask_sector(update, context)
    return SECTOR


async def typed_new_organization(update: Update, context: Ctx) -> str:
    assert update.message is not None and update.message.text is not None
    value = validation.organization_name(update.message.text)
    if isinstance(value, validation.Problem):
        return await _reject(update, context, value, NEW_ORGANIZATION)
    _data(context)["new_organization"] = value
    await ask_sector(update, context)
    return SECTOR


async def chose_sector(update: Update, context: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None
    sector = query.data.split(":")[2]
    name = _data(context).pop("new_organization", None)
    await query.answer()
    if not name or sector not in SECTOR_NAMES:
        await ask_new_organization(update, context)
        return NEW_ORGANIZATION
    member = await _member(update, context)
    organization = await context.services.repos.reference.add_organization(
        name,
        sector,  # type: ignore[arg-type]
        member.id if member else None,
    )
    await query.edit_message_text(
        context.t(
            "🏢 Organization: {name} ({sector})",
            name=organization.name,
            sector=sector_name(context.t, organization.sector),
        )
    )
    return await _store(update, context, "organization_id", organization.id)


async def typed_job_title(update: Update, context: Ctx) -> str | int:
    assert update.message is not None and update.message.text is not None
    value = validation.job_title(update.message.text)
    if isinstance(value, validation.Problem):
        return await _reject(update, context, value, JOB_TITLE)
    return await _store(update, context, "job_title", value)


async def typed_email(update: Update, context: Ctx) -> str | int:
    assert update.message is not None and update.message.text is not None
    value = validation.email(update.message.text)
    if isinstance(value, validation.Problem):
        return await _reject(update, context, value, EMAIL)
    return await _store(update, context, "email", value)


async def shared_contact(update: Update, context: Ctx) -> str | int:
    assert update.message is not None and update.message.contact is not None
    assert update.effective_user is not None
    contact = update.message.contact
    number = validation.phone(contact.phone_number)
    if contact.user_id != update.effective_user.id or number is None:
        await _send(
            update,
            context,
            context.t(
                "That is not your own contact. Please share yours with the button below, "
                "or tap Skip."
            ),
        )
        return PHONE
    _data(context)["phone_done"] = True
    await _send(update, context, context.t("✅ Phone saved."), _after_phone_keyboard(context))
    return await _store(update, context, "phone", number)


def _after_phone_keyboard(context: Ctx) -> ReplyKeyboardMarkup | ReplyKeyboardRemove:
    """The phone buttons go; in a profile edit the main menu comes back in their place."""
    return menu.keyboard(context.t) if _profile_mode(context) else ReplyKeyboardRemove()


async def skipped_phone(update: Update, context: Ctx) -> str | int:
    """Skip: no phone at sign-up; in a profile edit, the number stays as it is."""
    _data(context)["phone_done"] = True
    text = (
        context.t("Nothing changed.")
        if _profile_mode(context)
        else context.t("OK, no phone number.")
    )
    await _send(update, context, text, _after_phone_keyboard(context))
    return await _proceed(update, context)


async def removed_phone(update: Update, context: Ctx) -> str | int:
    """🗑 in a profile edit: the stored number is deleted."""
    if not _profile_mode(context):
        return await skipped_phone(update, context)
    _data(context)["phone_done"] = True
    await _send(
        update, context, context.t("🗑 Your phone number is deleted."), menu.keyboard(context.t)
    )
    return await _store(update, context, "phone", None)


async def toggled_axis(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    member = await _member(update, context)
    assert member is not None
    axis_id = int(query.data.split(":")[2])
    if axis_id not in {a.id for a in await context.services.repos.reference.axes()}:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return AXES
    await context.services.repos.members.toggle_axis(member.id, axis_id)
    await query.answer()
    _ = context.t
    done = _.label("✅ Done") if _profile_mode(context) else _.label("Continue ▶️")
    await query.edit_message_reply_markup(await _axes_keyboard(context, member.id, done))
    return AXES


async def axes_done(update: Update, context: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None
    member = await _member(update, context)
    assert member is not None
    if not await context.services.repos.members.axes(member.id):
        await query.answer(context.t.label("Please choose at least one axis."), show_alert=True)
        return AXES
    await query.answer()
    await query.edit_message_reply_markup(None)
    return await _proceed(update, context)


async def edit_field(update: Update, context: Ctx) -> str:
    """✏️ on the summary: ask that step again; after it, the summary comes back."""
    query = update.callback_query
    assert query is not None and query.data is not None
    step = query.data.split(":")[2]
    await query.answer()
    await query.edit_message_reply_markup(None)
    if step == PHONE:
        _data(context).pop("phone_done", None)
    await ASK[step](update, context)
    return step


async def confirmed(update: Update, context: Ctx) -> str | int:
    """Send the application: active at once with a valid invitation, else pending."""
    query = update.callback_query
    assert query is not None
    services = context.services
    member = await _member(update, context)
    assert member is not None
    missing = await _first_missing(context, member)
    if missing != SUMMARY:
        await query.answer()
        await ASK[missing](update, context)
        return missing
    code = _data(context).pop("invitation", None)
    invitation = await services.repos.invitations.valid(code, context.now()) if code else None
    if invitation is not None and invitation.organization_id != member.organization_id:
        invitation = None  # the member chose another organization than the invitation's
    member = await services.repos.members.submit(
        member.id, context.now(), invitation.id if invitation else None
    )
    await query.answer()
    await query.edit_message_reply_markup(None)
    _data(context).clear()
    context.member, context.role = (
        member,
        effective_role(member, member.telegram_user_id, services.settings.admin_ids),
    )
    # What others must hear of the application goes first: if the applicant's own reply
    # then does not get through, nothing but that reply is missing.
    if member.status == "active":
        await admit_to_community(context, member)
        await welcome_active(context, member)
    else:
        await approval.notify_staff(context, member)
        await _send(
            update,
            context,
            context.t(
                "✅ Thank you, {name}! A coordinator will review your application; "
                "I will let you know here.",
                name=member.full_name,
            ),
            menu.keyboard(context.t),
        )
    return ConversationHandler.END


# --- what does not fit the step ------------------------------------------------------


def _wrong_input(step: str) -> Any:
    """A reply for anything the step cannot use; the step is asked again."""

    async def callback(update: Update, context: Ctx) -> str:
        _ = context.t
        if update.callback_query is not None:
            await update.callback_query.answer(
                _.label("That button belongs to an earlier step. Please answer the last question."),
                show_alert=True,
            )
            return step
        message = update.effective_message
        if message is not None and menu.MENU_BUTTON.check_update(update):
            hint = _(
                "You are in the middle of the form: answer the question, or /cancel to leave it."
            )
        elif step in (LANGUAGE, PRIVACY, ORGANIZATION, SECTOR, AXES, SUMMARY) and not (
            step == ORGANIZATION and update.message and update.message.text
        ):
            hint = _("Please use the buttons of the last message.")
        elif step == PHONE:
            hint = _("Please use the buttons below: share your number, or Skip.")
        else:
            hint = _("Please answer with a text message.")
        await _send(update, context, hint)
        await ASK[step](update, context)
        return step

    return callback


def _again(step: str) -> Any:
    """/start in the middle of the form: keep what was given and ask the current step.

    A link does what it says without leaving the form: an event card, a check-in at the
    venue, a survey; an invitation fills in the organization (and makes the application
    active at once when it is sent).
    """

    async def callback(update: Update, context: Ctx) -> str | int:
        payload = context.args[0] if context.args else ""
        link = payload and not payload.startswith("join_")
        if link and await deeplinks.dispatch(update, context, payload):
            return step
        if payload.startswith("join_"):
            invitation = await context.services.repos.invitations.valid(payload[5:], context.now())
            member = await _member(update, context)
            if invitation is not None and member is not None:
                _data(context)["invitation"] = invitation.code  # used when it is sent
                if step not in (LANGUAGE, PRIVACY, NAME):  # else applied at the organization
                    await _apply_invitation(update, context, member)
                    if step == ORGANIZATION:
                        return await _proceed(update, context)
        await _send(
            update,
            context,
            context.t("You are in the middle of the form. Let's continue where you left off."),
        )
        await ASK[step](update, context)
        return step

    return callback


async def cancel(update: Update, context: Ctx) -> int:
    """/cancel: stop the form; what was answered stays for next time."""
    _ = context.t
    text = (
        _("Editing cancelled.")
        if _profile_mode(context)
        else _("Sign-up paused. What you answered is kept: send /start to continue.")
    )
    _data(context).pop("mode", None)
    await _send(update, context, text, menu.keyboard(_))
    return ConversationHandler.END


async def where_it_stands(update: Update, context: Ctx) -> str | int:
    """After a step whose reply did not get through: the step the stored answers lead to."""
    if _profile_mode(context):  # the field's answer is stored, or /profile asks it again
        _data(context).pop("mode", None)
        return ConversationHandler.END
    member = await _member(update, context)
    if member is not None and member.status in ("pending", "active"):
        return ConversationHandler.END
    step = await _first_missing(context, member)
    if step == ORGANIZATION and _data(context).get("new_organization"):
        return SECTOR  # a new organization's name was given; its sector is next
    return step


async def busy(update: Update, context: Ctx) -> None:
    """A command that must not run in the middle of the form."""
    await _send(
        update, context, context.t("You are in the middle of the form. Send /cancel first.")
    )


def _step(
    step: str, *handlers: BaseHandler[Update, Ctx, Any]
) -> list[BaseHandler[Update, Ctx, Any]]:
    return [
        *handlers,
        CommandHandler("start", _again(step)),
        MessageHandler(~filters.COMMAND, _wrong_input(step)),
        CallbackQueryHandler(_wrong_input(step), forms.own_buttons("su", "pf")),
    ]


def _cb(name: str, *parts: str) -> Any:
    return callbacks.pattern("su", name, *parts)


def conversation(skip_labels: list[str], remove_labels: list[str]) -> ConversationHandler[Ctx]:
    """The form; `skip_labels` and `remove_labels` are the Skip and 🗑 Remove-my-number
    buttons' texts in every language."""
    text = menu.TYPED  # a main-menu tap is not an answer
    private = filters.ChatType.PRIVATE
    states: dict[object, list[BaseHandler[Update, Ctx, Any]]] = {
        LANGUAGE: _step(LANGUAGE, CallbackQueryHandler(chose_language, _cb("lang", "(es|en)"))),
        PRIVACY: _step(
            PRIVACY,
            CallbackQueryHandler(accepted_privacy, _cb("ok")),
            CallbackQueryHandler(full_privacy, _cb("full")),
        ),
        NAME: _step(
            NAME, MessageHandler(text, typed_name), CallbackQueryHandler(tapped_name, _cb("name"))
        ),
        ORGANIZATION: _step(
            ORGANIZATION,
            CallbackQueryHandler(chose_organization, _cb("org", r"(\d+)")),
            CallbackQueryHandler(organization_page, _cb("orgp", r"(\d+)")),
            CallbackQueryHandler(other_organization, _cb("orgnew")),
            CallbackQueryHandler(add_typed_organization, _cb("orgadd", r"(\d+)")),
            MessageHandler(text, searched_organization),
        ),
        NEW_ORGANIZATION: _step(NEW_ORGANIZATION, MessageHandler(text, typed_new_organization)),
        SECTOR: _step(SECTOR, CallbackQueryHandler(chose_sector, _cb("sec", "([a-z0-9]+)"))),
        JOB_TITLE: _step(JOB_TITLE, MessageHandler(text, typed_job_title)),
        EMAIL: _step(EMAIL, MessageHandler(text, typed_email)),
        PHONE: _step(
            PHONE,
            MessageHandler(filters.CONTACT, shared_contact),
            MessageHandler(filters.Text(skip_labels), skipped_phone),
            MessageHandler(filters.Text(remove_labels), removed_phone),
        ),
        AXES: _step(
            AXES,
            CallbackQueryHandler(toggled_axis, _cb("ax", r"(\d+)")),
            CallbackQueryHandler(axes_done, _cb("axdone")),
        ),
        SUMMARY: _step(
            SUMMARY,
            CallbackQueryHandler(confirmed, _cb("cf")),
            CallbackQueryHandler(edit_field, _cb("ed", "(" + "|".join(EDITABLE) + ")")),
        ),
    }
    with warnings.catch_warnings():
        # per_message=False is intended: the form follows the person, not one message.
        warnings.simplefilter("ignore")
        form = ConversationHandler(
            entry_points=[
                CommandHandler("start", begin, filters=private),
                CallbackQueryHandler(
                    edit_from_profile,
                    callbacks.pattern("pf", "ed", "(" + "|".join(EDITABLE) + ")"),
                ),
            ],
            states=states,
            fallbacks=[
                CommandHandler("cancel", cancel),
                CommandHandler("forget", busy),
            ],
            name="member_form",
            persistent=True,
            allow_reentry=False,
        )
    return forms.resumable(form, where_it_stands)
