"""The one persistent sourcing form ("sourcing_form", its states stored in SQLite, so a restart
loses nothing): a buyer's new request (request_form.py), a coordinator's reason for rejecting
one (approval.py), a supplier's note and consent when interested (interest.py), and a typed
field of the capability profile (capabilities.py). Here it is put together: the handlers of
each state, the entry points, leaving it (/cancel, ✖), and the answer to an entry button
tapped while another step of the form is waiting.
"""

from __future__ import annotations

import re
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
from handlers.core import forms, menu
from handlers.suppliers import approval, capabilities, interest, request_form
from handlers.suppliers.common import alert

DRAFTS = ("sf", "si", "sp", "cp")  # the form's answers so far, in the person's user data
ENTRIES = {
    "new": callbacks.pattern("sf", "new"),
    "reject": callbacks.pattern("sp", r"(\d+)", "no"),
    "interested": callbacks.pattern("sr", r"(\d+)", "in"),
    "field": callbacks.pattern("cp", "ed", "(desc|cap|city)"),
}
BUSY_COMMANDS = ("sourcing", "capabilities")


async def cancel(update: Update, context: Ctx) -> int:
    """/cancel or ✖: the draft goes; nothing is sent or changed."""
    assert context.user_data is not None
    for key in DRAFTS:
        context.user_data.pop(key, None)
    if update.callback_query is not None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_reply_markup(None)
    _ = context.t
    await forms.say(update, context, _("Cancelled; nothing was sent or changed."), menu.keyboard(_))
    return ConversationHandler.END


async def busy(update: Update, context: Ctx) -> None:
    await forms.say(
        update,
        context,
        context.t("You are in the middle of a form. Finish it or send /cancel first."),
    )


async def busy_button(update: Update, context: Ctx) -> None:
    """An entry button (➕, ❌, 💡, a profile field) while a step of the form waits."""
    await alert(
        update,
        context.t.label("You are in the middle of a form. Finish it or send /cancel first."),
    )


def _cb(*parts: str) -> Any:
    return callbacks.pattern("sf", *parts)


def _step(*handlers: BaseHandler[Update, Ctx, Any]) -> list[BaseHandler[Update, Ctx, Any]]:
    """A step's own handlers, then ✖, the busy commands and the catch-alls (nothing typed
    or tapped is dropped: a stale button of the form says it belongs to an earlier step)."""
    return [
        *handlers,
        CallbackQueryHandler(cancel, re.compile(r"^(sf|si):x$")),
        CommandHandler(list(BUSY_COMMANDS), busy),
        MessageHandler(~filters.COMMAND, forms.wrong_input),
        CallbackQueryHandler(forms.wrong_input, forms.own_buttons("sf", "si")),
    ]


def conversation() -> ConversationHandler[Ctx]:
    text = menu.TYPED  # a main-menu tap is not an answer
    rf = request_form
    states: dict[object, list[BaseHandler[Update, Ctx, Any]]] = {
        rf.SF_TITLE: _step(MessageHandler(text, rf.typed_title)),
        rf.SF_PROCESSES: _step(
            CallbackQueryHandler(rf.toggled, _cb("p", r"(\d+)")),
            CallbackQueryHandler(rf.processes_done, _cb("pdone")),
        ),
        rf.SF_CERTIFICATIONS: _step(
            CallbackQueryHandler(rf.toggled, _cb("c", r"(\d+)")),
            CallbackQueryHandler(rf.certifications_done, _cb("cdone")),
        ),
        rf.SF_DESCRIPTION: _step(MessageHandler(text, rf.typed_description)),
        rf.SF_VOLUME: _step(
            MessageHandler(text, rf.typed_volume),
            CallbackQueryHandler(rf.skipped_volume, _cb("novol")),
        ),
        rf.SF_DEADLINE: _step(MessageHandler(text, rf.typed_deadline)),
        rf.SF_ANONYMITY: _step(CallbackQueryHandler(rf.chose_anonymity, _cb("anon", "(0|1)"))),
        rf.SF_PREVIEW: _step(CallbackQueryHandler(rf.send, _cb("send"))),
        approval.SP_REASON: _step(MessageHandler(text, approval.typed_reason)),
        interest.SI_NOTE: _step(
            MessageHandler(text, interest.typed_note),
            CallbackQueryHandler(interest.skipped_note, callbacks.pattern("si", "skip")),
        ),
        interest.SI_CONSENT: _step(
            CallbackQueryHandler(interest.consent_given, callbacks.pattern("si", "(yes|no)"))
        ),
        capabilities.CP_TEXT: _step(MessageHandler(text, capabilities.typed_text)),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # per_message=False: the form follows the person
        return Conversation(
            entry_points=[
                CallbackQueryHandler(request_form.start, ENTRIES["new"]),
                CallbackQueryHandler(approval.ask_reason, ENTRIES["reject"]),
                CallbackQueryHandler(interest.interested, ENTRIES["interested"]),
                CallbackQueryHandler(capabilities.ask_text, ENTRIES["field"]),
            ],
            states=states,
            fallbacks=[CommandHandler("cancel", cancel)],
            name="sourcing_form",
            persistent=True,
            allow_reentry=False,
        )


def busy_entries() -> list[BaseHandler[Update, Ctx, None]]:
    """Registered right after the form: its entry buttons, reached only while the person is at
    another of its steps (the form takes them otherwise)."""
    return [CallbackQueryHandler(busy_button, pattern) for pattern in ENTRIES.values()]
