"""The member form: sign-up for newcomers, and field edits from /profile.

One ConversationHandler asks for one thing per step. Every answer is stored on
the member row as soon as it is given, and the conversation state is persisted
in SQLite, so a restart of the bot or a pause loses nothing: the person goes on
at the step they left. The next step is always the first thing still missing,
so the same steps serve the first pass, edits from the summary, and a person
who comes back days later.

Here: entering the form (/start, a ✏️ of /profile), what does not fit a step, leaving it,
and the ConversationHandler. Asking the steps is in asking.py, their answers in answers.py
and organizations.py, what they share in form_base.py.
"""

from __future__ import annotations

import warnings
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import callbacks, deeplinks
from bot.auth import own_member
from bot.config import SUPPORTED_LANGUAGES
from bot.context import Ctx
from bot.conversations import Conversation
from handlers.core import common, forms, menu
from handlers.core.forms import say
from handlers.members.answers import (
    accepted_privacy,
    axes_done,
    chose_language,
    confirmed,
    edit_field,
    full_privacy,
    removed_phone,
    shared_contact,
    skipped_phone,
    tapped_name,
    toggled_axis,
    typed_email,
    typed_job_title,
    typed_name,
)
from handlers.members.asking import ASK, apply_invitation, first_missing, proceed
from handlers.members.form_base import current_member, form_data, profile_mode
from handlers.members.organizations import (
    add_typed_organization,
    chose_organization,
    chose_sector,
    organization_page,
    other_organization,
    searched_organization,
    typed_new_organization,
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
    TIME_ZONE,
)
from handlers.members.zones import ask_time_zone, chose_zone, typed_zone

EDITABLE = (NAME, ORGANIZATION, JOB_TITLE, EMAIL, PHONE, AXES)
PROFILE_ONLY = (TIME_ZONE,)  # edited from /profile, never asked at sign-up
# Every step's question: the sign-up's, and the time zone of /profile.
ASKED = {**ASK, TIME_ZONE: ask_time_zone}


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
    data = form_data(context)
    data.clear()
    if payload.startswith("join_"):
        invitation = await context.services.repos.invitations.valid(payload[5:], context.now())
        if invitation is None:
            await say(
                update,
                context,
                context.t(
                    "⚠️ This invitation link is not valid or has expired. You can still "
                    "apply: a coordinator will review your application."
                ),
            )
        else:
            data["invitation"] = invitation.code
    member = await current_member(update, context)
    applied_before = member is not None and member.status in ("rejected", "left")
    if applied_before:
        data["phone_done"] = True  # what they said about the phone still stands
    step = await first_missing(context, member)
    if applied_before and step == SUMMARY:
        await say(
            update,
            context,
            context.t(
                "👋 Welcome back! Here is what you told us before: check it, change what you "
                "need, and send your application again."
            ),
        )
    elif step != LANGUAGE:
        await say(update, context, context.t("👋 Welcome back! Let's continue where you left off."))
    await ASKED[step](update, context)
    return step


async def edit_from_profile(update: Update, context: Ctx) -> str | int:
    """A ✏️ button of /profile: ask that one field, then show the profile again."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if await own_member(update, context) is None:
        return ConversationHandler.END
    await query.answer()
    step = query.data.split(":")[2]
    form_data(context)["mode"] = "profile"
    await ASKED[step](update, context)
    return step


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
        await say(update, context, hint)
        await ASKED[step](update, context)
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
            member = await current_member(update, context)
            if invitation is not None and member is not None:
                form_data(context)["invitation"] = invitation.code  # used when it is sent
                if step not in (LANGUAGE, PRIVACY, NAME):  # else applied at the organization
                    await apply_invitation(update, context, member)
                    if step == ORGANIZATION:
                        return await proceed(update, context)
        await say(
            update,
            context,
            context.t("You are in the middle of the form. Let's continue where you left off."),
        )
        await ASKED[step](update, context)
        return step

    return callback


async def cancel(update: Update, context: Ctx) -> int:
    """/cancel: stop the form; what was answered stays for next time."""
    _ = context.t
    text = (
        _("Editing cancelled.")
        if profile_mode(context)
        else _("Sign-up paused. What you answered is kept: send /start to continue.")
    )
    form_data(context).pop("mode", None)
    await say(update, context, text, menu.keyboard(_, context.role))
    return ConversationHandler.END


async def where_it_stands(update: Update, context: Ctx) -> str | int:
    """After a step whose reply did not get through: the step the stored answers lead to."""
    if profile_mode(context):  # the field's answer is stored, or /profile asks it again
        form_data(context).pop("mode", None)
        return ConversationHandler.END
    member = await current_member(update, context)
    if member is not None and member.status in ("pending", "active"):
        return ConversationHandler.END
    step = await first_missing(context, member)
    if step == ORGANIZATION and form_data(context).get("new_organization"):
        return SECTOR  # a new organization's name was given; its sector is next
    return step


async def busy(update: Update, context: Ctx) -> None:
    """A command that must not run in the middle of the form."""
    await say(update, context, context.t("You are in the middle of the form. Send /cancel first."))


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
        LANGUAGE: _step(
            LANGUAGE,
            CallbackQueryHandler(
                chose_language, _cb("lang", "(" + "|".join(SUPPORTED_LANGUAGES) + ")")
            ),
        ),
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
        TIME_ZONE: _step(
            TIME_ZONE,
            CallbackQueryHandler(chose_zone, _cb("tz", r"(\d+|home)")),
            MessageHandler(text, typed_zone),
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
        form = Conversation(
            entry_points=[
                # Only newcomers sign up, and they are in no other form: for members /start
                # shows the menu or follows a link, also in the middle of another form.
                forms.PassingCommand("start", begin, filters=private),
                CallbackQueryHandler(
                    edit_from_profile,
                    callbacks.pattern("pf", "ed", "(" + "|".join(EDITABLE + PROFILE_ONLY) + ")"),
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
