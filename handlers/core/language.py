"""/language: choose Spanish, English, Japanese or German; stored for the person, menus follow."""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.commands import set_personal_menu
from bot.config import SUPPORTED_LANGUAGES
from bot.context import Ctx
from handlers.core import menu

# Each language is named in itself, so anyone can find their own.
LANGUAGE_NAMES = {"es": "Español", "en": "English", "ja": "日本語", "de": "Deutsch"}
PER_ROW = 2  # four names side by side would be cut on a phone


def language_rows(
    current: str, languages: tuple[str, ...], data: Callable[[str], str]
) -> list[list[InlineKeyboardButton]]:
    """The languages two by two, the one in use ticked; `data` makes each button's data."""
    buttons = [
        InlineKeyboardButton(
            ("✓ " if lang == current else "") + LANGUAGE_NAMES[lang], callback_data=data(lang)
        )
        for lang in languages
    ]
    return [buttons[i : i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]


def _keyboard(current: str, languages: tuple[str, ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        language_rows(current, languages, lambda lang: callbacks.pack("lang", lang))
    )


async def ask_language(update: Update, context: Ctx) -> None:
    """Offer the languages, marking the one in use."""
    assert update.effective_chat is not None
    await context.bot.send_message(
        update.effective_chat.id,
        context.t("🌐 Choose your language:"),
        reply_markup=_keyboard(context.t.language, context.services.i18n.languages),
    )


async def choose_language(update: Update, context: Ctx) -> None:
    """Store the choice, confirm in the new language and refresh the menus."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    language = query.data.split(":")[1]
    services = context.services
    chat_id = update.effective_chat.id if update.effective_chat else None
    await services.repos.members.set_language(
        update.effective_user.id, chat_id, language, context.now()
    )
    context.use_language(language)
    _ = context.t
    await query.answer()
    await query.edit_message_text(_("✅ I will talk to you in English from now on."))
    if chat_id is not None:
        await context.bot.send_message(
            chat_id,
            _("Here is the main menu in your language."),
            reply_markup=menu.keyboard(_, context.role),
        )
        await set_personal_menu(context.bot, services.i18n, chat_id, language, context.role)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        CommandHandler("language", ask_language, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(
            choose_language,
            pattern=callbacks.pattern("lang", "(" + "|".join(SUPPORTED_LANGUAGES) + ")"),
        ),
    ]
