"""Members answering an event from its card: Going, Maybe and Can't go (a full event puts
them on the waiting list), the card redrawn in place, the seat that frees up going to the
first person waiting, and the calendar file (.ics) for whoever is going.

Answer taps are stateless: the button names the event and the answer, the database holds
the rest, so a card keeps working after a restart and wherever it was shared.
"""

from __future__ import annotations

import io
import logging

from telegram import InputFile, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks
from bot.auth import active_member
from bot.calendar_file import ics
from bot.context import Ctx
from bot.when import Reader
from handlers.events.cards import card_buttons, card_text, is_staff_for, show_card, tapped_event
from storage.repositories.events.events import Event

log = logging.getLogger(__name__)

ANSWERS = {"go": "going", "mb": "maybe", "no": "declined"}


async def tapped(update: Update, context: Ctx) -> None:
    """A member's button of a card: an answer, the calendar file, or opening the card."""
    query = update.callback_query
    assert query is not None
    found = await tapped_event(update, context)
    if found is None:
        return
    event, action = found
    if action in ANSWERS:
        await _answer(update, context, event, ANSWERS[action])
    elif action == "ics":
        await _send_calendar(update, context, event)
    elif action == "open":
        if await active_member(update, context) is None:
            return
        await query.answer()
        await show_card(update, context, event)
    else:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )


async def _answer(update: Update, context: Ctx, event: Event, answer: str) -> None:
    query = update.callback_query
    assert query is not None
    if await active_member(update, context) is None:
        return
    member = context.member
    assert member is not None
    _ = context.t
    now = context.now()
    if event.status != "published" or event.started(now):
        await query.answer(_.label("Answers to this event are closed."), show_alert=True)
        await _refresh(update, context, event)
        return
    repos = context.services.repos
    result = await repos.events.answer(event, member.id, answer, now)  # type: ignore[arg-type]
    private = update.effective_chat is not None and update.effective_chat.type == "private"
    notes = {
        "going": _.label("✅ See you there! The calendar file is in the chat.")
        if private
        else _.label("✅ See you there! The calendar file is in our private chat."),
        "maybe": _.label("🤔 Noted: maybe."),
        "declined": _.label("Noted: you can't go."),
        "waitlisted": _.label(
            "⏳ The event is full: you are on the waiting list. I will tell you if a seat frees up."
        ),
    }
    await query.answer(notes[result.answer])
    await _refresh(update, context, event)
    if result.answer == "going":  # from the group too: the file goes to the private chat
        await _send_calendar(update, context, event, answered=True)
    if result.promoted is not None:
        await tell_promoted(context, event, result.promoted)


async def _refresh(update: Update, context: Ctx, event: Event) -> None:
    """Redraw the tapped card in place with the current counts (and the tapper's answer)."""
    query = update.callback_query
    assert query is not None
    if query.message is None:
        return
    repos = context.services.repos
    private = query.message.chat.type == "private"
    member = context.member
    answer = await repos.events.answer_of(event.id, member.id) if member and private else None
    staff = private and await is_staff_for(context, event)
    now = context.now()
    text = card_text(
        context.t,
        event,
        await repos.events.counts(event.id),
        now=now,
        # a card in a group is read by many: Aguascalientes time only
        reader=context.reader if private else Reader(context.t, context.services.settings.tz),
        answer=answer,
        personal=private,
    )
    await query.edit_message_text(
        text,
        reply_markup=card_buttons(context.t, event, now=now, staff=staff),
        disable_web_page_preview=True,
    )


async def tell_promoted(context: Ctx, event: Event, member_id: int) -> None:
    """A seat freed up: the first on the waiting list is going now, and is told."""
    services = context.services
    member = await services.repos.members.by_id(member_id)
    if member is None or member.chat_id is None:
        return
    reader = context.reader_of(member)
    t = reader.t
    when = reader.show(event.starts_at)
    text = t(
        "🎉 A seat freed up: you are now going to <b>{title}</b> ({when}).",
        title=event.title,
        when=when,
    )
    try:
        await context.bot.send_message(member.chat_id, text)
        await context.bot.send_document(
            member.chat_id,
            InputFile(io.BytesIO(ics(event, now=context.now())), filename=f"clia-{event.id}.ics"),
            caption=t(
                "📆 Open the file to add <b>{title}</b> to your calendar.", title=event.title
            ),
        )
    except Forbidden:
        await services.repos.members.mark_unreachable(member.telegram_user_id, context.now())
    except TelegramError as error:  # the seat is theirs (stored); the others are still told
        log.warning("could not tell member %s of a seat: %s", member.id, error.message)


async def _send_calendar(
    update: Update, context: Ctx, event: Event, *, answered: bool = False
) -> None:
    query = update.callback_query
    if not answered and query is not None:
        if await active_member(update, context) is None:
            return
        await query.answer()
    chat = update.effective_user
    assert chat is not None
    data = ics(event, now=context.now())
    await context.bot.send_document(
        chat.id,
        InputFile(io.BytesIO(data), filename=f"clia-{event.id}.ics"),
        caption=context.t(
            "📆 Open the file to add <b>{title}</b> to your calendar.", title=event.title
        ),
    )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    """The answer buttons of every card (the staff's buttons are attendance's)."""
    return [CallbackQueryHandler(tapped, callbacks.pattern("ev", r"(\d+)", "(go|mb|no|ics|open)"))]
