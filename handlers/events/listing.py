"""The lists members open: /events (the upcoming events of their axes and groups, or all of
them) and /myevents (what they said Going or Maybe to, or wait for). Each line has a button
to its card.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.auth import active_member
from bot.context import Ctx
from bot.roles import at_least
from handlers.events.cards import answer_label, button_data
from handlers.shared.audience import picker_label


async def list_events(update: Update, context: Ctx) -> None:
    """/events: upcoming events of the member's axes and groups; a button shows all."""
    if await active_member(update, context) is None:
        return
    member = context.member
    assert member is not None and update.effective_chat is not None
    query = update.callback_query
    everything = query is not None
    if query is not None:
        await query.answer()
    repos, _ = context.services.repos, context.t
    now = context.now()
    found = await repos.events.upcoming(now, None if everything else member.id)
    header = (
        _("📅 <b>All upcoming events</b>") if everything else _("📅 <b>Upcoming events for you</b>")
    )
    rows = []
    lines = [header]
    reader = context.reader
    staff = at_least(context.role, "coordinator")
    for event in found:
        answer = await repos.events.answer_of(event.id, member.id)
        mark = f" — {answer_label(_, answer)}" if answer else ""
        when = reader.show_short(event.starts_at)
        line = (  # coordinators see the number that /attendees and survey files refer to
            _("• {when}: {title} (#{number})", when=when, title=event.title, number=event.id)
            if staff
            else _("• {when}: {title}", when=when, title=event.title)
        )
        lines.append(line + mark)
        label = picker_label(reader, event)
        rows.append([InlineKeyboardButton(label, callback_data=button_data(event.id, "open"))])
    if not found:
        lines.append(_("Nothing planned yet. I will tell you when something is published."))
    if not everything:
        rows.append(
            [
                InlineKeyboardButton(
                    _.label("🔎 Show all events"), callback_data=callbacks.pack("evl", "all")
                )
            ]
        )
    await context.bot.send_message(
        update.effective_chat.id, "\n".join(lines), reply_markup=InlineKeyboardMarkup(rows)
    )


async def my_events(update: Update, context: Ctx) -> None:
    """/myevents: what the member said Going or Maybe to (or waits for)."""
    if await active_member(update, context) is None:
        return
    member = context.member
    assert member is not None and update.effective_chat is not None
    _ = context.t
    found = await context.services.repos.events.answered(member.id, context.now())
    lines = [_("🗓 <b>Your events</b>")]
    rows = []
    reader = context.reader
    for event, answer in found:
        when = reader.show_short(event.starts_at)
        lines.append(
            _("• {when}: {title}", when=when, title=event.title) + f" — {answer_label(_, answer)}"
        )
        label = picker_label(reader, event)
        rows.append([InlineKeyboardButton(label, callback_data=button_data(event.id, "open"))])
    if not found:
        lines.append(
            _("You have not said Going or Maybe to any upcoming event. /events shows them.")
        )
    await context.bot.send_message(
        update.effective_chat.id,
        "\n".join(lines),
        reply_markup=InlineKeyboardMarkup(rows) if rows else None,
    )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("events", list_events, filters=private),
        CommandHandler("myevents", my_events, filters=private),
        CallbackQueryHandler(list_events, callbacks.pattern("evl", "all")),
    ]
