"""/start, /help, /cancel and the answers to anything no feature handled."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import deeplinks
from bot.commands import commands_for
from bot.context import Ctx
from bot.i18n import N_
from bot.roles import Role
from handlers.core import menu

_VISITED = "visited"  # in the person's user data

_SECTIONS: tuple[tuple[Role, str], ...] = (
    ("stranger", N_("<b>What I can do for you</b>")),
    ("coordinator", N_("<b>For coordinators</b>")),
    ("admin", N_("<b>For administrators</b>")),
)


def _section(role: Role) -> Role:
    """Commands everyone may use share the first section of /help."""
    return role if role in ("coordinator", "admin") else "stranger"


def _chat_id(update: Update) -> int:
    assert update.effective_chat is not None
    return update.effective_chat.id


async def start(update: Update, context: Ctx) -> None:
    """Follow a deep link if there is one; otherwise greet and show the main menu."""
    if context.args and await deeplinks.dispatch(update, context, context.args[0]):
        return
    _ = context.t
    user = update.effective_user
    name = user.first_name if user else ""
    member = context.member
    if member is not None and member.is_active and visited_before(context):
        text = _("👋 Welcome back, {name}!", name=member.full_name or name)
    elif member is not None and member.is_active:
        text = _(
            "👋 Hi, {name}! I am the bot of CLIA, the Cluster of Industrialists of "
            "Aguascalientes, and you are already a member.\n\nHere you hear about events "
            "and working-group meetings of your axes, answer them with one tap and take "
            "quick surveys.",
            name=member.full_name or name,
        )
    elif context.role == "applicant":
        text = _(
            "⏳ Hi, {name}! Your application is being reviewed by a coordinator; "
            "I will let you know here.",
            name=name,
        )
    else:
        text = _(
            "👋 Hi, {name}! I am the bot of CLIA, the Cluster of Industrialists of "
            "Aguascalientes.\n\nHere you hear about events and working-group meetings of the "
            "four strategic axes (Innovation, Talent, Conscious Leadership and Globalization), "
            "answer them with one tap and take quick surveys.",
            name=name,
        )
    text += "\n\n" + _("Use the buttons below, or /help to see everything I can do.")
    remember_visit(context)
    await context.bot.send_message(
        _chat_id(update), text, reply_markup=menu.keyboard(_, context.role)
    )


def visited_before(context: Ctx) -> bool:
    """Whether this person has been here before: greeted by /start, or through the sign-up
    form. Kept in their user data (persisted with the bot's state, in SQLite); members seeded
    into the database (the sandbox's demo people) have none until their first visit."""
    return bool(context.user_data and context.user_data.get(_VISITED))


def remember_visit(context: Ctx) -> None:
    """From now on this person is greeted as someone who has been here before."""
    if context.user_data is not None:
        context.user_data[_VISITED] = True


async def help_command(update: Update, context: Ctx) -> None:
    """List what this person's role can do, by section."""
    _ = context.t
    blocks = []
    for section_role, title in _SECTIONS:
        specs = [c for c in commands_for(context.role) if _section(c.role) == section_role]
        if specs:
            lines = [f"/{c.name} — {_(c.description)}" for c in specs]
            blocks.append(_(title) + "\n" + "\n".join(lines))
    blocks.append(_("Tip: the buttons under the text box do the most common things."))
    await context.bot.send_message(
        _chat_id(update), "\n\n".join(blocks), reply_markup=menu.keyboard(_, context.role)
    )


async def cancel(update: Update, context: Ctx) -> None:
    """/cancel outside any form: nothing to cancel, back to the menu."""
    _ = context.t
    await context.bot.send_message(
        _chat_id(update),
        _("There is nothing to cancel right now. Here is the main menu."),
        reply_markup=menu.keyboard(_, context.role),
    )


async def unknown_command(update: Update, context: Ctx) -> None:
    """A command no feature knows."""
    _ = context.t
    assert update.effective_message is not None and update.effective_message.text
    command = update.effective_message.text.split()[0].split("@")[0]
    await context.bot.send_message(
        _chat_id(update),
        _("I don't know the command {command}. Send /help to see what I can do.", command=command),
        reply_markup=menu.keyboard(_, context.role),
    )


async def not_understood(update: Update, context: Ctx) -> None:
    """Text or media that no form or menu expected. Members get the menu back; someone who
    has not signed up is pointed to /start (the menu is for members)."""
    _ = context.t
    if context.member is None:
        await context.bot.send_message(
            _chat_id(update),
            _("Hello! I am the CLIA cluster's bot. Send /start to sign up (about a minute)."),
        )
        return
    await context.bot.send_message(
        _chat_id(update),
        _("I didn't understand that. Please use the buttons below or send /help."),
        reply_markup=menu.keyboard(_, context.role),
    )


async def expired_button(update: Update, context: Ctx) -> None:
    """A tap on a button that is stale, forged or from an old message: change nothing."""
    query = update.callback_query
    assert query is not None
    await query.answer(
        context.t.label("This button has expired. Please start again."), show_alert=True
    )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("start", start, filters=private),
        CommandHandler("help", help_command, filters=private),
        CommandHandler("cancel", cancel, filters=private),
    ]


def fallbacks() -> list[BaseHandler[Update, Ctx, None]]:
    """Registered last: whatever reaches these was handled by nobody else."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    return [
        MessageHandler(private & filters.COMMAND, unknown_command),
        MessageHandler(private & ~filters.StatusUpdate.ALL, not_understood),
        CallbackQueryHandler(expired_button),
    ]
