"""What the step-by-step forms share: the reply to input a step did not expect, the
catch-alls every step ends with, so that nothing typed or tapped is ever dropped, and
steps that survive a reply Telegram did not take (`resumable`)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import callbacks, replies
from bot.context import Ctx
from bot.i18n import N_
from bot.retries import ReplyLost, is_transient

Callback = Callable[[Update, Ctx], Coroutine[Any, Any, Any]]


async def wrong_input(update: Update, context: Ctx) -> None:
    """A button of another step (or message) says it expired; anything typed is redirected."""
    query = update.callback_query
    if query is not None:
        await query.answer(
            context.t.label(
                "That button belongs to an earlier step. Please answer the last question."
            ),
            show_alert=True,
        )
        return
    assert update.effective_chat is not None
    await context.bot.send_message(
        update.effective_chat.id,
        context.t("Please answer the question above, or /cancel to stop."),
    )


async def take_choice(update: Update) -> str:
    """A button of a form's step was tapped: acknowledge it, take the buttons off that message
    (so the step cannot be answered twice), and return the choice (`prefix:step:<choice>`)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    return query.data.split(":")[2]


def step(
    prefix: str,
    cancel: Callback,
    *handlers: BaseHandler[Update, Ctx, Any],
    busy: Callback | None = None,
    busy_commands: tuple[str, ...] = (),
) -> list[BaseHandler[Update, Ctx, Any]]:
    """A step's own handlers, then ✖ (`<prefix>:x`), the busy commands, and the catch-alls."""
    tail: list[BaseHandler[Update, Ctx, Any]] = [
        CallbackQueryHandler(cancel, callbacks.pattern(prefix, "x"))
    ]
    if busy is not None and busy_commands:
        tail.append(CommandHandler(list(busy_commands), busy))
    return [
        *handlers,
        *tail,
        MessageHandler(~filters.COMMAND, wrong_input),
        CallbackQueryHandler(wrong_input, own_buttons(prefix)),
    ]


def own_buttons(*prefixes: str) -> Callable[[object], bool]:
    """A form answers only its own stale buttons (`<prefix>:…`); any other button (an event
    card or its preview, a survey, /language) goes to its own handler, also mid-form."""
    own = tuple(f"{prefix}:" for prefix in prefixes)

    def matches(data: object) -> bool:
        return str(data).startswith(own)

    return matches


def draft(context: Ctx, key: str) -> dict[str, Any]:
    """The form's answers so far, in the person's user data (persisted, so they survive a
    restart)."""
    assert context.user_data is not None
    answers: dict[str, Any] = context.user_data.setdefault(key, {})
    return answers


def chat_of(update: Update) -> int:
    assert update.effective_chat is not None
    return update.effective_chat.id


async def say(update: Update, context: Ctx, text: str, markup: Any = None) -> int:
    """A new message in this chat (HTML, like every reply); its message id."""
    return await replies.send_text(context.bot, chat_of(update), text, markup)


Where = Callable[[Update, Ctx], Coroutine[Any, Any, object]]


def resumable(conversation: ConversationHandler[Ctx], where: Where) -> ConversationHandler[Ctx]:
    """A form whose steps survive a reply that does not get through.

    PTB keeps a conversation's state when a step's callback raises; when that is
    because Telegram was away after the step stored its answer, the form would stay a
    step behind what was stored, and the next message would answer the wrong
    question. Here such a step ends at `where(update, context)` — the step the stored
    answers lead to — and the error handler tells the person that /start continues.
    Other errors (bugs, refusals) are left to the error handler as they are.
    """
    handlers = [*conversation.entry_points]
    for step_handlers in conversation.states.values():
        handlers.extend(step_handlers)
    for handler in handlers:
        handler.callback = _resuming(handler.callback, where)
    return conversation


def _resuming(callback: Callback, where: Where) -> Callback:
    async def step(update: Update, context: Ctx) -> object:
        try:
            return await callback(update, context)
        except TelegramError as error:
            if not is_transient(error):
                raise
            state = await where(update, context)
            await context.application.process_error(update, ReplyLost(error))
            return state

    return step


# --- one form at a time ----------------------------------------------------------------------

BUSY = N_("You are in the middle of a form. Finish it or send /cancel first.")


class StartsNoForm:
    """Marks an entry point that never starts a form for someone who may be in another one (an
    export, a member's /start or event link): `one_at_a_time` leaves it alone."""

    __slots__ = ()


class PassingQuery(StartsNoForm, CallbackQueryHandler[Ctx, Any]):
    """A form's entry button that starts no form (see `StartsNoForm`)."""

    __slots__ = ()


class PassingCommand(StartsNoForm, CommandHandler[Ctx, Any]):
    """A form's entry command that starts no form for anyone who can be in another one."""

    __slots__ = ()


def one_at_a_time(conversations: list[ConversationHandler[Ctx]]) -> None:
    """A person is in one form at a time.

    The forms share handler group 0 and each sees every update before the forms registered
    after it: while one waits for a typed answer, a second form started meanwhile would never
    get its answers (the first takes them, as a time zone or as an announcement). So an entry
    point of one form, used while another waits for this person, does not start it: the
    person is told to finish the open form or /cancel it. Entry points marked `StartsNoForm`
    are left alone; a form's own entry points mid-form are the form's business.
    """
    for conversation in conversations:
        others = [c for c in conversations if c is not conversation]
        for handler in conversation.entry_points:
            if not isinstance(handler, StartsNoForm):
                handler.callback = _refusing_mid_form(handler.callback, others)


def _in_a_form(update: Update, conversations: list[ConversationHandler[Ctx]]) -> bool:
    if update.effective_chat is None or update.effective_user is None:
        return False
    for conversation in conversations:
        # PTB keeps each form's states by (chat, user); it offers no public reader for them.
        key = conversation._get_key(update)
        if conversation._conversations.get(key) is not None:
            return True
    return False


def _refusing_mid_form(callback: Callback, others: list[ConversationHandler[Ctx]]) -> Callback:
    async def entry(update: Update, context: Ctx) -> object:
        if not _in_a_form(update, others):
            return await callback(update, context)
        if update.callback_query is not None:
            await update.callback_query.answer(context.t.label(BUSY), show_alert=True)
        else:
            await context.bot.send_message(chat_of(update), context.t(BUSY))
        return ConversationHandler.END

    return entry
