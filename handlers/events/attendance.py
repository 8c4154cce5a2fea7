"""Attendance, for coordinators: /attendees (counts, the list and a CSV), the venue's check-in
QR code and the link it opens, and the door list where a name is checked in by hand.

Check-in, by QR code or by hand, works from two hours before the start until two hours
after the end.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks, deeplinks
from bot.auth import active_member, allowed, coordinator_scope
from bot.context import Ctx
from bot.validation import whole_number
from handlers.events.cards import answer_label, button_data, counts_line, tapped_event
from handlers.shared.audience import picker_label
from storage.repositories.events.events import Event

CHECKIN_EARLY = timedelta(hours=2)  # the venue's QR works from two hours before the start…
CHECKIN_LATE = timedelta(hours=2)  # …until two hours after the end


async def tapped(update: Update, context: Ctx) -> None:
    """A coordinator's button of a card or of the door list: the attendees, the check-in QR
    code, a name checked in by hand (or undone), a page of the door list."""
    query = update.callback_query
    assert query is not None
    if not await allowed(update, context, "coordinator"):
        return
    found = await tapped_event(update, context)
    if found is None:
        return
    event, action = found
    door = action == "qr" or action.startswith(("mk", "un", "ck", "cp"))
    if door and event.status != "published":  # no check-in for a cancelled event
        await query.answer(context.t.label("This event was cancelled."), show_alert=True)
        return
    if action == "at":
        if await allowed(update, context, "coordinator", event.axis_id):
            await query.answer()
            await send_attendees(update, context, event)
    elif action == "qr":
        if await allowed(update, context, "coordinator", event.axis_id):
            await query.answer()
            await send_checkin_qr(update, context, event)
    elif action.startswith(("mk", "un")):
        await _mark_by_hand(update, context, event, action)
    elif action.startswith(("ck", "cp")):
        if await allowed(update, context, "coordinator", event.axis_id):
            await query.answer()
            page = whole_number(action[2:]) or 0
            await _show_sheet(update, context, event, page, edit=action[:2] == "cp")
    else:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )


async def attendees_command(update: Update, context: Ctx) -> None:
    """/attendees <event number>: counts, the list, manual check-in and a CSV."""
    if not await allowed(update, context, "coordinator"):
        return
    assert update.effective_chat is not None
    _ = context.t
    arg = context.args[0].lstrip("#") if context.args else ""
    number = whole_number(arg)
    event = await context.services.repos.events.get(number) if number is not None else None
    if event is None:
        await _pick_event_for_attendees(update, context, unknown=bool(arg))
        return
    if not await allowed(update, context, "coordinator", event.axis_id):
        return
    await send_attendees(update, context, event)


async def _pick_event_for_attendees(update: Update, context: Ctx, *, unknown: bool) -> None:
    """/attendees without a (known) number: the recent and coming events to tap."""
    assert update.effective_chat is not None
    _ = context.t
    scope = await coordinator_scope(context)
    found = await context.services.repos.targets.events(context.now(), scope)
    reader = context.reader
    rows = [
        [InlineKeyboardButton(picker_label(reader, e), callback_data=button_data(e.id, "at"))]
        for e in found
    ]
    lines = [_("I could not find that event.")] if unknown else []
    lines.append(
        _("👥 Whose attendance? Tap an event (or send /attendees and its number).")
        if found
        else _("There are no published events from the last 30 days or coming up.")
    )
    await context.bot.send_message(
        update.effective_chat.id,
        "\n".join(lines),
        reply_markup=InlineKeyboardMarkup(rows) if rows else None,
    )


async def send_attendees(update: Update, context: Ctx, event: Event) -> None:
    assert update.effective_chat is not None
    _ = context.t
    repos = context.services.repos
    counts = await repos.events.counts(event.id)
    people = await repos.events.attendees(event.id)
    lines = [
        _("👥 <b>{title}</b> (#{number})", title=event.title, number=event.id),
        counts_line(_, counts, staff=True),
        "",
    ]
    for person in people[:40]:
        here = " 📍" if person.checked_in_at else ""
        lines.append(
            _(
                "• {name} ({organization}): {answer}",
                name=person.full_name or "—",
                organization=person.organization or "—",
                answer=answer_label(_, person.answer) or "—",
            )
            + here
        )
    if len(people) > 40:
        lines.append(_("…and {count} more in the CSV.", count=len(people) - 40))
    sheet = InlineKeyboardButton(
        _.label("📍 Check in by hand"), callback_data=button_data(event.id, "ck0")
    )
    await context.bot.send_message(
        update.effective_chat.id, "\n".join(lines), reply_markup=InlineKeyboardMarkup([[sheet]])
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "organization", "answer", "checked_in_at"])
    for person in people:
        stamp = person.checked_in_at.isoformat() if person.checked_in_at else ""
        writer.writerow(
            [person.full_name or "", person.organization or "", person.answer or "", stamp]
        )
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(
            io.BytesIO(buffer.getvalue().encode("utf-8-sig")),
            filename=f"event-{event.id}-attendees.csv",
        ),
    )


CHECKIN_PAGE = 15
EXPECTED = ("going", "maybe", "waitlisted")


async def _checkin_sheet(context: Ctx, event: Event, page: int) -> tuple[str, InlineKeyboardMarkup]:
    """The door list: who is expected, a tap checks a person in, a second tap undoes it."""
    _ = context.t
    people = [
        p
        for p in await context.services.repos.events.attendees(event.id)
        if p.answer in EXPECTED or p.checked_in_at is not None
    ]
    pages = max(1, -(-len(people) // CHECKIN_PAGE))
    page = min(max(page, 0), pages - 1)
    present = sum(1 for p in people if p.checked_in_at is not None)
    text = _(
        "📍 <b>Check-in: {title}</b>\n{present} of {expected} here. Tap a name when the person "
        "arrives; tap it again to undo.",
        title=event.title,
        present=present,
        expected=len(people),
    )
    rows = []
    for person in people[page * CHECKIN_PAGE : (page + 1) * CHECKIN_PAGE]:
        name = (person.full_name or "—")[:40]
        # The button says what it does: check in (mk) or undo (un). A list that is out of date
        # (the person scanned the QR meanwhile, a double tap) then never undoes by mistake.
        label, act = (f"📍 {name} ↩", "un") if person.checked_in_at else (f"☑️ {name}", "mk")
        data = button_data(event.id, f"{act}{person.member_id}p{page}")
        rows.append([InlineKeyboardButton(label, callback_data=data)])
    paging = []
    if page > 0:
        paging.append(
            InlineKeyboardButton(
                _.label("◀ Previous"), callback_data=button_data(event.id, f"cp{page - 1}")
            )
        )
    if page + 1 < pages:
        paging.append(
            InlineKeyboardButton(
                _.label("Next ▶"), callback_data=button_data(event.id, f"cp{page + 1}")
            )
        )
    if paging:
        rows.append(paging)
    return text, InlineKeyboardMarkup(rows)


async def _show_sheet(update: Update, context: Ctx, event: Event, page: int, *, edit: bool) -> None:
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    text, markup = await _checkin_sheet(context, event, page)
    if edit and query.message is not None:
        await query.edit_message_text(text, reply_markup=markup)
        return
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def _mark_by_hand(update: Update, context: Ctx, event: Event, action: str) -> None:
    """A name on the door list: checked in (mk) or undone (un) during the check-in window,
    the same hours as the venue's QR code."""
    query = update.callback_query
    assert query is not None
    if not await allowed(update, context, "coordinator", event.axis_id):
        return
    member_part, _sep, page_part = action[2:].partition("p")
    member_id = whole_number(member_part) or 0
    person = await context.services.repos.members.by_id(member_id)
    _ = context.t
    if person is None:
        await query.answer(_.label("This button has expired. Please start again."), show_alert=True)
        return
    now = context.now()
    if now < event.starts_at - CHECKIN_EARLY:
        await query.answer(
            _.label("Check-in opens two hours before {title} starts.", title=event.title),
            show_alert=True,
        )
        return
    if now > event.ends_at + CHECKIN_LATE:
        await query.answer(
            _.label("Check-in for {title} has closed.", title=event.title), show_alert=True
        )
        return
    repos = context.services.repos
    marker = context.member.id if context.member else None
    name = person.full_name or ""
    if action.startswith("mk"):
        if await repos.events.check_in(event.id, member_id, now, "manual", marker):
            await repos.audit.record(
                now, marker, "event.check_in", "event", event.id, member=member_id
            )
        await query.answer(_.label("📍 {name} is checked in.", name=name))
    else:
        if await repos.events.undo_check_in(event.id, member_id):
            await repos.audit.record(
                now, marker, "event.check_in_undone", "event", event.id, member=member_id
            )
        await query.answer(_.label("↩ {name} is no longer checked in.", name=name))
    await _show_sheet(update, context, event, whole_number(page_part) or 0, edit=True)


async def send_checkin_qr(update: Update, context: Ctx, event: Event) -> None:
    """The QR code to show at the venue: scanning it opens the bot and checks the member in."""
    assert update.effective_chat is not None and event.checkin_token is not None
    link = deeplinks.link(context.bot.username, "ci", event.checkin_token)
    png = io.BytesIO()
    import segno  # loaded when the first QR code is drawn, not at start-up

    segno.make(link, error="m").save(png, kind="png", scale=10, border=2)
    await context.bot.send_photo(
        update.effective_chat.id,
        InputFile(png.getvalue(), filename=f"checkin-{event.id}.png"),
        caption=context.t(
            "📷 Check-in for <b>{title}</b>: show this code at the entrance. Scanning it "
            "opens the bot and marks the member present.\n{link}",
            title=event.title,
            link=link,
        ),
    )


async def check_in_by_link(update: Update, context: Ctx, token: str) -> None:
    """?start=ci_<token>: the venue's QR code marks the member present."""
    if await active_member(update, context) is None:
        return
    assert update.effective_chat is not None and context.member is not None
    _ = context.t
    event = await context.services.repos.events.by_checkin_token(token)
    now = context.now()
    if event is None or event.status != "published":
        text = _("This check-in code is not valid.")
    elif now < event.starts_at - CHECKIN_EARLY:
        text = _("Check-in opens two hours before <b>{title}</b> starts.", title=event.title)
    elif now > event.ends_at + CHECKIN_LATE:
        text = _("Check-in for <b>{title}</b> has closed.", title=event.title)
    elif await context.services.repos.events.check_in(event.id, context.member.id, now, "qr", None):
        text = _("✅ Welcome! You are checked in at <b>{title}</b>.", title=event.title)
    else:
        text = _("You were already checked in at <b>{title}</b>.", title=event.title)
    await context.bot.send_message(update.effective_chat.id, text)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        CommandHandler("attendees", attendees_command, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(
            tapped,
            callbacks.pattern("ev", r"(\d+)", r"(at|qr|(?:mk|un)\d+(?:p\d+)?|ck\d+|cp\d+)"),
        ),
    ]
