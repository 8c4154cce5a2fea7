"""The member form's answers, one handler per thing typed or tapped: language, privacy
notice, name, job title, e-mail, phone, axes, and on the summary ✏️ and ✅ Confirm and send.

Each stores the answer on the member row at once and goes on (asking.store and
asking.proceed). The organization step's answers live in organizations.py.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import ConversationHandler

from bot import validation
from bot.context import Ctx
from bot.privacy import PRIVACY_VERSION
from bot.roles import effective_role
from handlers.core import common, menu
from handlers.core.forms import chat_of, say
from handlers.members import approval
from handlers.members.admission import admit_to_community, welcome_active
from handlers.members.asking import ASK, axes_keyboard, first_missing, proceed, store
from handlers.members.form_base import button, current_member, form_data, profile_mode, reject
from handlers.members.steps import AXES, EMAIL, JOB_TITLE, NAME, PHONE, PRIVACY, SUMMARY


async def chose_language(update: Update, context: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    language = query.data.split(":")[2]
    await context.services.repos.members.set_language(
        update.effective_user.id, chat_of(update), language, context.now()
    )
    context.use_language(language)
    await query.answer()
    await query.edit_message_text(context.t("✅ I will talk to you in English from now on."))
    return await proceed(update, context)


async def accepted_privacy(update: Update, context: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None
    member = await current_member(update, context)
    assert member is not None
    await context.services.repos.members.record_consent(member.id, PRIVACY_VERSION, context.now())
    await query.answer()
    await query.edit_message_reply_markup(None)
    await say(update, context, context.t("✅ Thank you. Privacy notice accepted."))
    return await proceed(update, context)


async def full_privacy(update: Update, context: Ctx) -> str:
    from bot.privacy import full_notice

    query = update.callback_query
    assert query is not None
    await query.answer()
    _ = context.t
    markup = InlineKeyboardMarkup([[button(_.label("✅ I accept"), "ok")]])
    await say(update, context, full_notice(_), markup)
    return PRIVACY


async def typed_name(update: Update, context: Ctx) -> str | int:
    assert update.message is not None and update.message.text is not None
    value = validation.person_name(update.message.text)
    if isinstance(value, validation.Problem):
        return await reject(update, context, value, NAME)
    return await store(update, context, "full_name", value)


async def tapped_name(update: Update, context: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    value = validation.person_name(update.effective_user.full_name)
    await query.answer()
    if isinstance(value, validation.Problem):
        return await reject(update, context, value, NAME)
    await query.edit_message_reply_markup(None)
    return await store(update, context, "full_name", value)


async def typed_job_title(update: Update, context: Ctx) -> str | int:
    assert update.message is not None and update.message.text is not None
    value = validation.job_title(update.message.text)
    if isinstance(value, validation.Problem):
        return await reject(update, context, value, JOB_TITLE)
    return await store(update, context, "job_title", value)


async def typed_email(update: Update, context: Ctx) -> str | int:
    assert update.message is not None and update.message.text is not None
    value = validation.email(update.message.text)
    if isinstance(value, validation.Problem):
        return await reject(update, context, value, EMAIL)
    return await store(update, context, "email", value)


async def shared_contact(update: Update, context: Ctx) -> str | int:
    assert update.message is not None and update.message.contact is not None
    assert update.effective_user is not None
    contact = update.message.contact
    number = validation.phone(contact.phone_number)
    if contact.user_id != update.effective_user.id or number is None:
        await say(
            update,
            context,
            context.t(
                "That is not your own contact. Please share yours with the button below, "
                "or tap Skip."
            ),
        )
        return PHONE
    form_data(context)["phone_done"] = True
    await say(update, context, context.t("✅ Phone saved."), _after_phone_keyboard(context))
    return await store(update, context, "phone", number)


def _after_phone_keyboard(context: Ctx) -> ReplyKeyboardMarkup | ReplyKeyboardRemove:
    """The phone buttons go; in a profile edit the main menu comes back in their place."""
    return (
        menu.keyboard(context.t, context.role) if profile_mode(context) else ReplyKeyboardRemove()
    )


async def skipped_phone(update: Update, context: Ctx) -> str | int:
    """Skip: no phone at sign-up; in a profile edit, the number stays as it is."""
    form_data(context)["phone_done"] = True
    text = (
        context.t("Nothing changed.")
        if profile_mode(context)
        else context.t("OK, no phone number.")
    )
    await say(update, context, text, _after_phone_keyboard(context))
    return await proceed(update, context)


async def removed_phone(update: Update, context: Ctx) -> str | int:
    """🗑 in a profile edit: the stored number is deleted."""
    if not profile_mode(context):
        return await skipped_phone(update, context)
    form_data(context)["phone_done"] = True
    await say(
        update,
        context,
        context.t("🗑 Your phone number is deleted."),
        menu.keyboard(context.t, context.role),
    )
    return await store(update, context, "phone", None)


async def toggled_axis(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    member = await current_member(update, context)
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
    done = _.label("✅ Done") if profile_mode(context) else _.label("Continue ▶️")
    await query.edit_message_reply_markup(await axes_keyboard(context, member.id, done))
    return AXES


async def axes_done(update: Update, context: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None
    member = await current_member(update, context)
    assert member is not None
    if not await context.services.repos.members.axes(member.id):
        await query.answer(context.t.label("Please choose at least one axis."), show_alert=True)
        return AXES
    await query.answer()
    await query.edit_message_reply_markup(None)
    return await proceed(update, context)


async def edit_field(update: Update, context: Ctx) -> str:
    """✏️ on the summary: ask that step again; after it, the summary comes back."""
    query = update.callback_query
    assert query is not None and query.data is not None
    step = query.data.split(":")[2]
    await query.answer()
    await query.edit_message_reply_markup(None)
    if step == PHONE:
        form_data(context).pop("phone_done", None)
    await ASK[step](update, context)
    return step


async def confirmed(update: Update, context: Ctx) -> str | int:
    """Send the application: active at once with a valid invitation, else pending."""
    query = update.callback_query
    assert query is not None
    services = context.services
    member = await current_member(update, context)
    assert member is not None
    missing = await first_missing(context, member)
    if missing != SUMMARY:
        await query.answer()
        await ASK[missing](update, context)
        return missing
    code = form_data(context).pop("invitation", None)
    invitation = await services.repos.invitations.valid(code, context.now()) if code else None
    if invitation is not None and invitation.organization_id != member.organization_id:
        invitation = None  # the member chose another organization than the invitation's
    member = await services.repos.members.submit(
        member.id, context.now(), invitation.id if invitation else None
    )
    await query.answer()
    await query.edit_message_reply_markup(None)
    form_data(context).clear()
    common.remember_visit(context)  # the next /start says "welcome back"
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
        await say(
            update,
            context,
            context.t(
                "✅ Thank you, {name}! A coordinator will review your application and I will "
                "let you know here; then events, surveys and working groups open for you. "
                "Until then, the buttons below show your profile, the privacy notice, help "
                "and the language.",
                name=member.full_name,
            ),
            menu.keyboard(context.t, context.role),
        )
    return ConversationHandler.END
