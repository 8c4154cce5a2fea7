"""/privacy, /mydata and /forget: the notice and the rights of access and cancellation."""

from __future__ import annotations

import contextlib
import json

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.commands import clear_personal_menu
from bot.context import Ctx
from bot.privacy import full_notice
from handlers.core import confirm
from handlers.members.summary import member_summary


def _chat_id(update: Update) -> int:
    assert update.effective_chat is not None
    return update.effective_chat.id


async def privacy(update: Update, context: Ctx) -> None:
    """/privacy: the full notice, to anyone."""
    await context.bot.send_message(_chat_id(update), full_notice(context.t))


async def my_data(update: Update, context: Ctx) -> None:
    """/mydata: everything stored about the member, as a JSON file and a readable summary."""
    if context.member is None or (
        context.member.status == "prospect" and not context.member.full_name
    ):
        await context.bot.send_message(
            _chat_id(update), context.t("I have no personal data of yours stored.")
        )
        return
    _ = context.t
    data = await context.services.repos.members.personal_data(context.member.id)
    document = json.dumps(data, ensure_ascii=False, indent=2).encode()
    await context.bot.send_message(
        _chat_id(update),
        _("<b>Your data at CLIA</b>") + "\n\n" + await member_summary(context, context.member, _),
    )
    await context.bot.send_document(
        _chat_id(update),
        InputFile(document, filename="my-clia-data.json"),
        caption=_("📄 Everything stored about you, in a file you can keep."),
    )


async def forget(update: Update, context: Ctx) -> None:
    """/forget: ask for confirmation before deleting."""
    if context.member is None:
        await context.bot.send_message(
            _chat_id(update), context.t("I have no personal data of yours stored.")
        )
        return
    _ = context.t
    rows = [
        [
            InlineKeyboardButton(
                _.label("🗑 Yes, delete my data"), callback_data=callbacks.pack("fg", "yes")
            )
        ],
        [InlineKeyboardButton(_.label("No, keep it"), callback_data=callbacks.pack("fg", "no"))],
    ]
    await context.bot.send_message(
        _chat_id(update),
        _(
            "⚠️ <b>Delete your personal data?</b>\n\nYour profile, axes, working groups, event "
            "answers and survey answers given with your name are deleted (anonymous answers "
            "stay, as they are not linked to you). You will stop receiving messages from the "
            "cluster. This cannot be undone; you can sign up again later."
        ),
        reply_markup=InlineKeyboardMarkup(rows),
    )


async def forget_answer(update: Update, context: Ctx) -> None:
    """The confirmation buttons of /forget."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    _ = context.t
    already = _.label("Your personal data was already deleted.")
    if context.member is None:  # deleted by an earlier tap: the database has nobody left
        await confirm.already_done(update, context, already)
        return
    if query.data.endswith(":no"):
        await query.answer()
        await query.edit_message_text(_("OK, nothing was deleted."))
        return
    services = context.services
    copies = await services.repos.members.take_application_notices(context.member.id)
    if not await services.repos.members.forget(context.member.id, context.now()):
        await confirm.already_done(update, context, already)
        return
    await query.answer()
    await _clear_application_copies(context, copies)
    await services.repos.persistence.forget_user(update.effective_user.id)
    assert context.user_data is not None
    context.user_data.clear()
    context.member, context.role = None, "stranger"
    await query.edit_message_text(_("🗑 Your personal data was deleted."))
    await clear_personal_menu(context.bot, _chat_id(update))
    await context.bot.send_message(
        _chat_id(update),
        _("Goodbye! If you want to come back, send /start at any time."),
        reply_markup=ReplyKeyboardRemove(),
    )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("privacy", privacy, filters=private),
        CommandHandler("mydata", my_data, filters=private),
        CommandHandler("forget", forget, filters=private),
        CallbackQueryHandler(forget_answer, callbacks.pattern("fg", "(yes|no)")),
    ]


async def _clear_application_copies(context: Ctx, copies: list[tuple[int, int]]) -> None:
    """An applicant who deletes their data: the coordinators' copies of the application (name,
    e-mail, phone) are replaced by a line saying so, in each coordinator's language."""
    services = context.services
    for chat_id, message_id in copies:
        staff = await services.repos.members.by_telegram_id(chat_id)
        t = services.i18n.get(services.i18n.resolve(staff.language if staff else None, None))
        with contextlib.suppress(TelegramError):  # deleted meanwhile, or too old to edit
            await context.bot.edit_message_text(
                t("🗑 This applicant deleted their data; there is nothing to decide."),
                chat_id,
                message_id,
            )
