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
