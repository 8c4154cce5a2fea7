"""/profile and /notifications: members see and correct their data, and object to announcements
(per axis, other features' kinds of notice registered in bot.mutes, or all of them)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks, mutes
from bot.auth import own_member
from bot.context import Ctx
from bot.labels import axis_name, status_name
from handlers.core.language import ask_language
from handlers.members.steps import AXES, EMAIL, JOB_TITLE, NAME, ORGANIZATION, PHONE, TIME_ZONE
from handlers.members.summary import member_summary


def _edit(label: str, step: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.pack("pf", "ed", step))


async def show_profile(update: Update, context: Ctx) -> None:
    """The member's data with a ✏️ button per field."""
    assert update.effective_user is not None and update.effective_chat is not None
    member = await context.services.repos.members.by_telegram_id(update.effective_user.id)
    if member is None:
        return
    _ = context.t
    text = (
        _("<b>Your profile</b> ({status})", status=status_name(_, member.status))
        + "\n\n"
        + await member_summary(context, member, _)
        + "\n"
        + _(
            "🕒 Time zone: {zone}",
            zone=context.reader.zone_label(member.time_zone),
        )
    )
    rows = [
        [_edit(_.label("✏️ Name"), NAME), _edit(_.label("✏️ Organization"), ORGANIZATION)],
        [_edit(_.label("✏️ Job title"), JOB_TITLE), _edit(_.label("✏️ E-mail"), EMAIL)],
        [_edit(_.label("✏️ Phone"), PHONE), _edit(_.label("🎯 Axes"), AXES)],
        [
            InlineKeyboardButton(
                _.label("🌐 Language"), callback_data=callbacks.pack("pf", "lang")
            ),
            _edit(_.label("🕒 Time zone"), TIME_ZONE),
        ],
        [
            InlineKeyboardButton(
                _.label("🔔 Notifications"), callback_data=callbacks.pack("pf", "ntf")
            ),
        ],
    ]
    await context.bot.send_message(
        update.effective_chat.id, text, reply_markup=InlineKeyboardMarkup(rows)
    )


async def profile(update: Update, context: Ctx) -> None:
    """/profile and the 👤 menu button."""
    if await own_member(update, context) is not None:
        await show_profile(update, context)


async def profile_language(update: Update, context: Ctx) -> None:
    """🌐 on the profile: the same choice as /language."""
    assert update.callback_query is not None
    await update.callback_query.answer()
    await ask_language(update, context)


# --- /notifications --------------------------------------------------------------------


async def _notifications_view(context: Ctx, member_id: int) -> tuple[str, InlineKeyboardMarkup]:
    _ = context.t
    member = await context.services.repos.members.by_id(member_id)
    assert member is not None
    axes = await context.services.repos.members.axes(member_id)
    if member.notifications_enabled:
        text = _(
            "🔔 <b>Notifications</b>\n\nYou receive what is marked 🔔: the announcements of "
            "your axes and the notices below them. Tap one to mute or unmute it, or turn "
            "everything off."
        )
        master = InlineKeyboardButton(
            _.label("🔕 Turn all off"), callback_data=callbacks.pack("nt", "all", "off")
        )
    else:
        text = _(
            "🔕 <b>Notifications are off.</b>\n\nYou receive no announcements, events or surveys "
            "from the cluster. You can turn them on again at any time."
        )
        master = InlineKeyboardButton(
            _.label("🔔 Turn notifications on"), callback_data=callbacks.pack("nt", "all", "on")
        )
    rows = []
    if member.notifications_enabled:
        rows = [
            [
                InlineKeyboardButton(
                    ("🔕 " if a.muted else "🔔 ") + axis_name(_, a.code),
                    callback_data=callbacks.pack("nt", "ax", a.axis_id),
                )
            ]
            for a in axes
        ]
        for kind in mutes.kinds():  # other features' notices (sourcing requests…)
            muted = await kind.is_muted(context, member_id)
            label = ("🔕 " if muted else "🔔 ") + _.label(kind.label)
            rows.append(
                [InlineKeyboardButton(label, callback_data=callbacks.pack("nt", "tp", kind.code))]
            )
    rows.append([master])
    return text, InlineKeyboardMarkup(rows)


async def notifications(update: Update, context: Ctx) -> None:
    """/notifications: the right to object, per axis or entirely."""
    member = await own_member(update, context)
    if member is None:
        return
    assert update.effective_chat is not None
    if update.callback_query is not None:
        await update.callback_query.answer()
    text, markup = await _notifications_view(context, member.id)
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def notifications_changed(update: Update, context: Ctx) -> None:
    """A 🔔/🔕 button: stored at once, the view redrawn."""
    query = update.callback_query
    assert query is not None and query.data is not None
    member = await own_member(update, context)
    if member is None:
        return
    repo = context.services.repos.members
    _prefix, what, value = query.data.split(":")
    if what == "all":
        await repo.set_notifications(member.id, value == "on", context.now())
    elif await repo.toggle_mute(member.id, int(value)) is None:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return
    await query.answer(context.t.label("Saved."))
    text, markup = await _notifications_view(context, member.id)
    await query.edit_message_text(text, reply_markup=markup)


async def notice_kind_changed(update: Update, context: Ctx) -> None:
    """A 🔔/🔕 button of another feature's kind of notice: stored at once, the view redrawn."""
    query = update.callback_query
    assert query is not None and query.data is not None
    member = await own_member(update, context)
    if member is None:
        return
    kind = mutes.get(query.data.split(":")[2])
    if kind is None:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return
    await kind.set_muted(context, member.id, not await kind.is_muted(context, member.id))
    await query.answer(context.t.label("Saved."))
    text, markup = await _notifications_view(context, member.id)
    await query.edit_message_text(text, reply_markup=markup)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("profile", profile, filters=private),
        CommandHandler("notifications", notifications, filters=private),
        CallbackQueryHandler(profile_language, callbacks.pattern("pf", "lang")),
        CallbackQueryHandler(notifications, callbacks.pattern("pf", "ntf")),
        CallbackQueryHandler(
            notifications_changed, callbacks.pattern("nt", "(all|ax)", r"(on|off|\d+)")
        ),
        CallbackQueryHandler(notice_kind_changed, callbacks.pattern("nt", "tp", "([a-z]{1,16})")),
    ]
