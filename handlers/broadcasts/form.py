"""Coordinators' announcements: the /broadcast form (compose, audience, preview, send now or
schedule) as one ConversationHandler.

The draft lives in the coordinator's user data (persisted in SQLite), so a restart
mid-way loses nothing. Authorization is checked again at every step that acts,
against the audience chosen: a coordinator limited to some axes may address only
the members of those axes.

Here: composing the message, sending or scheduling it, leaving the form, and the
ConversationHandler. Choosing the audience is in audience_picker.py, the preview in
preview.py, what they share in draft.py; /broadcasts is in listing.py.
"""

from __future__ import annotations

import re
import warnings
from datetime import datetime
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
from bot.auth import allowed, may_address
from bot.context import Ctx
from bot.conversations import Conversation
from bot.when import WhenProblem, parse_local
from handlers.broadcasts.audience_picker import (
    ask_audience,
    back,
    chose_audience,
    paged,
    picked_answers,
    picked_many,
    picked_one,
    toggled,
)
from handlers.broadcasts.draft import (
    AUDIENCE,
    COMPOSE,
    PICK,
    PREVIEW,
    WHEN,
    draft_of,
    expired,
)
from handlers.core import confirm, forms, menu
from handlers.core.forms import chat_of
from storage.audience import Audience

TEXT_MAX = 4096  # the stored HTML, as Telegram's message limit


# --- composing ---------------------------------------------------------------------


_HREF = re.compile(r'href="([^"]*)"')
_BARE_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)")


def _safe_html(text: str) -> str:
    """PTB's text_html leaves `&` of link addresses bare; Telegram wants it as `&amp;`."""
    return _HREF.sub(lambda m: 'href="' + _BARE_AMPERSAND.sub("&amp;", m.group(1)) + '"', text)


async def start(update: Update, context: Ctx) -> str | int:
    """/broadcast: ask for the message."""
    if not await allowed(update, context, "coordinator"):
        return ConversationHandler.END
    assert context.user_data is not None
    context.user_data["bc"] = {}
    _ = context.t
    await context.bot.send_message(
        chat_of(update),
        _(
            "📣 <b>New announcement</b>\n\nSend me the message exactly as members should read "
            "it: text with bold, italics and links, or a photo or a document with a caption.\n\n"
            "/cancel stops without sending anything."
        ),
    )
    return COMPOSE


async def composed(update: Update, context: Ctx) -> str:
    """The message: text, or a photo or document with its caption, formatting kept as HTML."""
    message = update.effective_message
    assert message is not None
    _ = context.t
    draft = draft_of(context)
    if message.photo:
        draft.update(media_kind="photo", media=message.photo[-1].file_id)
        text = message.caption_html
    elif message.document:
        draft.update(media_kind="document", media=message.document.file_id)
        text = message.caption_html
    else:
        draft.update(media_kind=None, media=None)
        text = message.text_html
    if not text or not text.strip():
        await message.reply_text(
            _("Please add a caption: members should know what the file is about.")
        )
        return COMPOSE
    if len(text) > TEXT_MAX:
        await message.reply_text(
            _(
                "That is too long: at most {maximum} characters including formatting "
                "(yours has {count}). Please shorten it.",
                maximum=TEXT_MAX,
                count=len(text),
            )
        )
        return COMPOSE
    draft["text"] = _safe_html(text)
    return await ask_audience(update, context)


async def wrong_kind(update: Update, context: Ctx) -> str:
    """A sticker, voice note, location… where the announcement is expected."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(
        context.t("Send the announcement as text, a photo or a document. /cancel to stop.")
    )
    return COMPOSE


# --- the preview's choices: change the audience, send now or schedule -----------------


async def change_audience(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    return await ask_audience(update, context)


async def send_now(update: Update, context: Ctx) -> str | int | None:
    """Queue one delivery per recipient, start the live report, wake the sender; once."""
    draft = draft_of(context)
    if draft.get("key") != confirm.key_of(update) or "audience" not in draft or "text" not in draft:
        await sent_before(update, context)
        return None
    audience = Audience.model_validate(draft["audience"])
    if not await may_address(update, context, audience):
        return PREVIEW
    return await _queue(update, context, draft, audience, scheduled_for=None)


async def ask_when(update: Update, context: Ctx) -> str | None:
    query = update.callback_query
    assert query is not None
    if draft_of(context).get("key") != confirm.key_of(update):
        await sent_before(update, context)
        return None
    await query.answer()
    await query.edit_message_reply_markup(None)
    await context.bot.send_message(
        chat_of(update),
        context.t(
            "🕒 When should it go out? Write the date and time, for example 28/11 18:00 ({zone}).",
            zone=context.reader.typing_zone_name(),
        ),
    )
    return WHEN


async def typed_when(update: Update, context: Ctx) -> str | int:
    message = update.effective_message
    assert message is not None and message.text is not None
    moment = parse_local(message.text, now=context.now(), tz=context.reader.typing_zone)
    if isinstance(moment, WhenProblem):
        await message.reply_text(context.t(moment.message, **moment.values))
        return WHEN
    draft = draft_of(context)
    if "audience" not in draft or "text" not in draft:
        return await expired(update, context)
    audience = Audience.model_validate(draft["audience"])
    if not await may_address(update, context, audience):
        return WHEN
    return await _queue(update, context, draft, audience, scheduled_for=moment)


async def _queue(
    update: Update,
    context: Ctx,
    draft: dict[str, Any],
    audience: Audience,
    scheduled_for: datetime | None,
) -> int:
    """Send or schedule the draft, audited; once per draft, whichever way it was confirmed."""
    _ = context.t
    services = context.services
    member = context.member
    now = context.now()
    chat_id = chat_of(update)
    key = confirm.draft_key(draft)
    broadcast_id = await services.repos.outbox.enqueue(
        kind="announcement",
        text=draft["text"],
        now=now,
        audience=audience,
        created_by=member.id if member else None,
        media_kind=draft.get("media_kind"),
        media_file_id=draft.get("media"),
        report_chat_id=chat_id,
        scheduled_for=scheduled_for,
        confirmation=key,
    )
    assert context.user_data is not None
    context.user_data.pop("bc", None)
    if broadcast_id is None:  # this very draft went out by an earlier tap (before a restart)
        await _told_before(update, context, key)
        return ConversationHandler.END
    query = update.callback_query
    if query is not None:
        await query.answer()
        await query.edit_message_reply_markup(None)
    figures = await services.repos.outbox.figures(broadcast_id)
    assert figures is not None
    if scheduled_for is not None:
        when = context.reader.show(scheduled_for)
        await context.bot.send_message(
            chat_id,
            _(
                "🕒 Broadcast #{number} is scheduled for {when}. Its audience is counted when it "
                "goes out. /broadcasts shows it and lets you cancel it.",
                number=figures.number,
                when=when,
            ),
            reply_markup=menu.keyboard(_),
        )
        services.outbox_sender.wake()
        return ConversationHandler.END
    from bot.sender import report_text

    status = await context.bot.send_message(chat_id, report_text(_, figures, final=False))
    await services.repos.outbox.set_report_message(broadcast_id, status.message_id)
    services.outbox_sender.wake()
    return ConversationHandler.END


async def sent_before(update: Update, context: Ctx) -> None:
    """📤 Send now or 🕒 Schedule of a draft that is gone (a double tap, an old preview): what
    it did, as the database says; or, if it did nothing, that it expired."""
    if not await allowed(update, context, "coordinator"):
        return
    if not await _told_before(update, context, confirm.key_of(update)):
        await confirm.expired(update, context)


async def _told_before(update: Update, context: Ctx, key: str) -> bool:
    """Say what the draft with this key did (sent or scheduled, and its number); False when
    it did nothing yet."""
    done = await context.services.repos.audit.confirmed(key)
    if done is None:
        return False
    action, number = done
    _ = context.t
    text = (
        _.label("Broadcast #{number} is already scheduled.", number=number)
        if action == "broadcast.schedule"
        else _.label("Broadcast #{number} was already sent.", number=number)
    )
    await confirm.already_done(update, context, text)
    return True


# --- leaving the form ------------------------------------------------------------------


async def cancel(update: Update, context: Ctx) -> int:
    """/cancel or ✖: nothing is sent, the draft is dropped."""
    assert context.user_data is not None
    context.user_data.pop("bc", None)
    if update.callback_query is not None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_reply_markup(None)
    _ = context.t
    await context.bot.send_message(
        chat_of(update), _("Broadcast cancelled; nothing was sent."), reply_markup=menu.keyboard(_)
    )
    return ConversationHandler.END


async def wrong_input(update: Update, context: Ctx) -> None:
    """Anything else mid-form: remind what is expected."""
    if update.callback_query is not None:
        await expired(update, context)
        return
    message = update.effective_message
    assert message is not None
    await message.reply_text(
        context.t("Please use the buttons above, or /cancel to stop the broadcast.")
    )


async def busy(update: Update, context: Ctx) -> None:
    """/broadcast again while one is being prepared."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(
        context.t("You are preparing a broadcast already. Finish it or send /cancel first.")
    )


# --- registration ------------------------------------------------------------------------


def _cb(*parts: str) -> Any:
    return callbacks.pattern("bc", *parts)


def _step(*handlers: BaseHandler[Update, Ctx, Any]) -> list[BaseHandler[Update, Ctx, Any]]:
    return [
        *handlers,
        *done_buttons(),
        CallbackQueryHandler(cancel, _cb("x")),
        CommandHandler("broadcast", busy),
        MessageHandler(~filters.COMMAND, wrong_input),
        CallbackQueryHandler(wrong_input, forms.own_buttons("bc")),
    ]


def done_buttons() -> list[BaseHandler[Update, Ctx, Any]]:
    """Send and Schedule tapped when their draft is gone (a double tap, an old preview; in
    another step or after the form): answered with what they did."""
    return [CallbackQueryHandler(sent_before, _cb("(send|when)", confirm.KEY))]


def conversation() -> ConversationHandler[Ctx]:
    private = filters.ChatType.PRIVATE
    text = menu.TYPED  # a main-menu tap is not an answer
    states: dict[object, list[BaseHandler[Update, Ctx, Any]]] = {
        COMPOSE: [
            MessageHandler(text | filters.PHOTO | filters.Document.ALL, composed),
            CommandHandler("broadcast", busy),
            MessageHandler(~filters.COMMAND, wrong_kind),
            CallbackQueryHandler(wrong_input, forms.own_buttons("bc")),
        ],
        AUDIENCE: _step(
            CallbackQueryHandler(
                chose_audience,
                _cb("a", "(everyone|axes|organizations|sectors|working_group|event|survey)"),
            )
        ),
        PICK: _step(
            CallbackQueryHandler(toggled, _cb("t", r"(\d+)")),
            CallbackQueryHandler(paged, _cb("p", r"(\d+)")),
            CallbackQueryHandler(picked_one, _cb("o", r"(\d+)")),
            CallbackQueryHandler(picked_answers, _cb("ans", "(g|gm)")),
            CallbackQueryHandler(picked_many, _cb("go")),
            CallbackQueryHandler(back, _cb("back")),
        ),
        PREVIEW: _step(
            CallbackQueryHandler(send_now, _cb("send", confirm.KEY)),
            CallbackQueryHandler(ask_when, _cb("when", confirm.KEY)),
            CallbackQueryHandler(change_audience, _cb("aud")),
        ),
        WHEN: _step(MessageHandler(text, typed_when)),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # per_message=False: the form follows the person
        return Conversation(
            entry_points=[CommandHandler("broadcast", start, filters=private)],
            states=states,
            fallbacks=[CommandHandler("cancel", cancel)],
            name="broadcast_form",
            persistent=True,
            allow_reentry=False,
        )
