"""The coordinators' event form, one persistent conversation: /newevent (new_event.py), the
changes started from a card's buttons (manage.py), /newgroup and renaming a group from
/groups (new_group.py) are its steps.
Here it is put together: which handlers each state has, how it starts, and leaving it
(/cancel, ✖). One persistent conversation ("event_form", its states stored in SQLite), so a
restart loses nothing.
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

from bot import callbacks
from bot.context import Ctx
from bot.conversations import Conversation
from handlers.core import confirm, forms, menu
from handlers.events import manage, new_event, new_group


async def cancel(update: Update, context: Ctx) -> int:
    """/cancel or ✖ at any step: the draft goes, and nothing is published or changed."""
    assert context.user_data is not None
    context.user_data.pop("ev", None)
    if update.callback_query is not None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_reply_markup(None)
    _ = context.t
    await forms.say(
        update, context, _("Cancelled; nothing was published or changed."), menu.keyboard(_)
    )
    return ConversationHandler.END


async def busy(update: Update, context: Ctx) -> None:
    await forms.say(
        update,
        context,
        context.t("You are in the middle of a form. Finish it or send /cancel first."),
    )


def _cb(*parts: str) -> Any:
    return callbacks.pattern("ef", *parts)


def _step(*handlers: BaseHandler[Update, Ctx, Any]) -> list[BaseHandler[Update, Ctx, Any]]:
    return forms.step(
        "ef", cancel, *handlers, *done_buttons(), busy=busy, busy_commands=("newevent", "newgroup")
    )


def done_buttons() -> list[BaseHandler[Update, Ctx, Any]]:
    """The form's confirming buttons tapped when their draft is gone (a double tap, an old
    message; in another step or after the form): answered with what they did."""
    return [
        CallbackQueryHandler(new_event.published_before, _cb("pub", confirm.KEY)),
        CallbackQueryHandler(manage.cancelled_before, _cb("cx", r"(\d+)")),
    ]


def conversation() -> ConversationHandler[Ctx]:
    private = filters.ChatType.PRIVATE
    text = menu.TYPED  # a main-menu tap is not an answer
    event_button = r"(\d+)"
    states: dict[object, list[BaseHandler[Update, Ctx, Any]]] = {
        new_event.AXIS: _step(CallbackQueryHandler(new_event.chose_axis, _cb("ax", r"(\d+)"))),
        new_event.KIND: _step(
            CallbackQueryHandler(new_event.chose_kind, _cb("kind", "(event|meeting)"))
        ),
        new_event.GROUP: _step(CallbackQueryHandler(new_event.chose_group, _cb("grp", r"(\d+)"))),
        new_event.TITLE: _step(MessageHandler(text, new_event.typed_title)),
        new_event.DESCRIPTION: _step(
            MessageHandler(text, new_event.typed_description),
            CallbackQueryHandler(new_event.skipped_description, _cb("nodesc")),
        ),
        new_event.WHEN: _step(MessageHandler(text, new_event.typed_when)),
        new_event.DURATION: _step(
            MessageHandler(text, new_event.typed_duration),
            CallbackQueryHandler(new_event.tapped_duration, _cb("dur", r"(\d+)")),
        ),
        new_event.PLACE: _step(MessageHandler(text, new_event.typed_place)),
        new_event.CAPACITY: _step(
            MessageHandler(text, new_event.typed_capacity),
            CallbackQueryHandler(new_event.no_capacity, _cb("nocap")),
        ),
        new_event.REPEAT: _step(
            CallbackQueryHandler(
                new_event.chose_repeat, _cb("rep", "(once|weekly|biweekly|monthly_weekday)")
            )
        ),
        new_event.PREVIEW: _step(
            CallbackQueryHandler(new_event.publish, _cb("pub", confirm.KEY))
        ),
        manage.SCOPE: _step(
            CallbackQueryHandler(
                manage.chose_scope, _cb("scope", f"({manage.ONE}|{manage.FOLLOWING})")
            )
        ),
        manage.MOVE: _step(MessageHandler(text, manage.typed_move)),
        manage.NEW_PLACE: _step(MessageHandler(text, manage.typed_new_place)),
        manage.EDIT_FIELD: _step(
            CallbackQueryHandler(manage.chose_edit_field, _cb("edf", "(title|desc|cap)"))
        ),
        manage.EDIT_VALUE: _step(MessageHandler(text, manage.typed_edit_value)),
        manage.CONFIRM_CANCEL: _step(
            CallbackQueryHandler(manage.confirmed_cancel, _cb("cx", r"(\d+)")),
            CallbackQueryHandler(manage.kept, _cb("keep")),
        ),
        new_group.GROUP_AXIS: _step(
            CallbackQueryHandler(new_group.group_axis, _cb("gax", r"(\d+)"))
        ),
        new_group.GROUP_NAME: _step(MessageHandler(text, new_group.group_name)),
        new_group.GROUP_RENAME: _step(MessageHandler(text, new_group.typed_rename)),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # per_message=False: the form follows the person
        return Conversation(
            entry_points=[
                CommandHandler("newevent", new_event.start, filters=private),
                CommandHandler("newgroup", new_group.start_group, filters=private),
                CallbackQueryHandler(manage.ask_move, callbacks.pattern("ev", event_button, "rs")),
                CallbackQueryHandler(manage.ask_place, callbacks.pattern("ev", event_button, "pl")),
                CallbackQueryHandler(
                    manage.ask_cancel, callbacks.pattern("ev", event_button, "cx")
                ),
                CallbackQueryHandler(manage.ask_edit, callbacks.pattern("ev", event_button, "ed")),
                CallbackQueryHandler(
                    new_group.ask_rename, callbacks.pattern("wg", r"(\d+)", "ren")
                ),
            ],
            states=states,
            fallbacks=[CommandHandler("cancel", cancel)],
            name="event_form",
            persistent=True,
            allow_reentry=True,
        )
