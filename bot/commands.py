"""The bot's commands: one list feeds both the Telegram command menus and /help."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from telegram import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.i18n import N_, I18n
from bot.roles import Role, at_least


@dataclass(frozen=True)
class CommandSpec:
    name: str
    description: str  # a msgid, translated where shown
    role: Role  # the least role that may use it


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("start", N_("Start or open the main menu"), "stranger"),
    CommandSpec("help", N_("What I can do for you"), "stranger"),
    CommandSpec("language", N_("Change the language"), "stranger"),
    CommandSpec("cancel", N_("Cancel what you are doing"), "stranger"),
    CommandSpec("events", N_("Upcoming events and meetings"), "member"),
    CommandSpec("myevents", N_("The events you are going to"), "member"),
    CommandSpec("groups", N_("Working groups: join or leave"), "member"),
    CommandSpec("surveys", N_("Surveys waiting for your answer"), "member"),
    CommandSpec("sourcing", N_("Sourcing requests: ask suppliers, answer buyers"), "member"),
    CommandSpec("capabilities", N_("Your organization's supplier profile"), "member"),
    CommandSpec("profile", N_("See and correct your data"), "applicant"),
    CommandSpec("notifications", N_("Choose which announcements you get"), "applicant"),
    CommandSpec("privacy", N_("The privacy notice"), "stranger"),
    CommandSpec("mydata", N_("Get a copy of your data"), "applicant"),
    CommandSpec("forget", N_("Delete your personal data"), "applicant"),
    CommandSpec("pending", N_("Applications waiting for approval"), "coordinator"),
    CommandSpec("members", N_("Members by axis, organization, sector"), "coordinator"),
    CommandSpec("invite", N_("Invitation link for an organization"), "coordinator"),
    CommandSpec("newevent", N_("Publish an event or a meeting"), "coordinator"),
    CommandSpec("newgroup", N_("Create a working group"), "coordinator"),
    CommandSpec("attendees", N_("Who is coming and who came"), "coordinator"),
    CommandSpec("newsurvey", N_("Create and launch a survey"), "coordinator"),
    CommandSpec("results", N_("Survey results, charts and exports"), "coordinator"),
    CommandSpec("broadcast", N_("Send an announcement to members"), "coordinator"),
    CommandSpec("broadcasts", N_("Past announcements and their delivery"), "coordinator"),
    CommandSpec("impact", N_("The cluster's engagement per axis"), "coordinator"),
    CommandSpec("dashboard", N_("A link to the impact dashboard"), "coordinator"),
    CommandSpec("promote", N_("Make a member coordinator or admin"), "admin"),
    CommandSpec("demote", N_("Make a coordinator a member again"), "admin"),
    CommandSpec("audit", N_("What coordinators and admins did"), "admin"),
    CommandSpec("status", N_("Bot health: outbox, backups, errors"), "admin"),
)


def commands_for(role: Role) -> list[CommandSpec]:
    return [c for c in COMMANDS if at_least(role, c.role)]


def bot_commands(i18n: I18n, language: str, role: Role) -> list[BotCommand]:
    t = i18n.get(language)
    return [BotCommand(c.name, t.label(c.description)) for c in commands_for(role)]


async def set_default_menus(bot: ExtBot[None], i18n: I18n) -> None:
    """Members' menu in every language (Telegram picks it by the user's app language)."""
    scope = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands(bot_commands(i18n, i18n.default, "member"), scope=scope)
    for language in i18n.languages:
        await bot.set_my_commands(
            bot_commands(i18n, language, "member"), scope=scope, language_code=language
        )


async def set_personal_menu(
    bot: ExtBot[None], i18n: I18n, chat_id: int, language: str, role: Role
) -> bool:
    """One person's menu in their chosen language and role; False if Telegram refused."""
    try:
        await bot.set_my_commands(
            bot_commands(i18n, language, role), scope=BotCommandScopeChat(chat_id)
        )
    except TelegramError:
        return False
    return True


async def clear_personal_menu(bot: ExtBot[None], chat_id: int) -> None:
    """Back to the menu everyone sees (after /forget): no staff commands left behind."""
    with contextlib.suppress(TelegramError):
        await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id))
