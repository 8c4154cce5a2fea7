"""Events and working-group meetings for members: the card with its answer buttons, the
waiting list, calendar files, /events and /myevents, deep links to a card and to check in,
reminders, and the coordinators' /attendees and /bindtopic.

Answer taps are stateless: the button names the event and the answer, the database holds
the rest, so a card keeps working after a restart and wherever it was shared.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks, deeplinks, notices
from bot.auth import active_member, allowed, coordinator_scope
from bot.calendar_file import ics
from bot.context import Ctx
from bot.i18n import Translator
from bot.labels import axis_name
from bot.notices import Notice, Rendered
from bot.roles import at_least
from bot.validation import whole_number
from bot.when import show, show_short
from handlers.shared.audience import picker_label
from storage.audience import Audience, Recipient
from storage.repositories.events.events import Counts, Event

log = logging.getLogger(__name__)

REMINDERS = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))
CHECKIN_EARLY = timedelta(hours=2)  # the venue's QR works from two hours before the start…
CHECKIN_LATE = timedelta(hours=2)  # …until two hours after the end
ANSWERS = {"go": "going", "mb": "maybe", "no": "declined"}


# --- the card ------------------------------------------------------------------------------------


def duration_text(t: Translator, event: Event) -> str:
    minutes = int((event.ends_at - event.starts_at).total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return t.label("{hours} h {minutes} min", hours=hours, minutes=rest)
    if hours:
        return t.label("{hours} h", hours=hours)
    return t.label("{minutes} min", minutes=rest)


def answer_label(t: Translator, answer: str | None) -> str:
    return {
        "going": t.label("✅ Going"),
        "maybe": t.label("🤔 Maybe"),
        "declined": t.label("❌ Can't go"),
        "waitlisted": t.label("⏳ On the waiting list"),
    }.get(answer or "", "")


def counts_line(t: Translator, counts: Counts, *, staff: bool = False) -> str:
    """ "✅ 1 going · 🤔 0 maybe · ❌ 2 can't go", each count agreeing with its number; staff
    also see the waiting list and the check-ins."""
    parts = [t._n("✅ {count} going", "✅ {count} going", counts.going)]
    if staff:
        parts.append(t._n("⏳ {count} waiting", "⏳ {count} waiting", counts.waitlisted))
    parts.append(t._n("🤔 {count} maybe", "🤔 {count} maybe", counts.maybe))
    parts.append(t._n("❌ {count} can't go", "❌ {count} can't go", counts.declined))
    if staff:
        parts.append(t._n("📍 {count} checked in", "📍 {count} checked in", counts.checked_in))
    return " · ".join(parts)


def card_text(
    t: Translator,
    event: Event,
    counts: Counts,
    *,
    now: datetime,
    tz: ZoneInfo,
    answer: str | None = None,
    personal: bool = True,
) -> str:
    """The event as members read it, in their language; `personal` adds their own answer."""
    icon = "👥" if event.kind == "meeting" else "📅"
    lines = [f"{icon} <b>{_escape(event.title)}</b>"]
    if event.kind == "meeting":
        lines.append(
            t(
                "{axis} · meeting of the working group {group}",
                axis=axis_name(t, event.axis_code),
                group=event.group_name or "",
            )
        )
    else:
        lines.append(t("{axis} · cluster event", axis=axis_name(t, event.axis_code)))
    when = show(event.starts_at, tz=tz, language=t.language)
    lines.append(t("🕒 {when} ({duration})", when=when, duration=duration_text(t, event)))
    if event.place:
        lines.append(t("📍 {place}", place=event.place))
    if event.online_url:
        lines.append(t('🔗 <a href="{url}">Online link</a>', url=event.online_url))
    if event.description:
        lines += ["", _escape(event.description)]
    lines.append("")
    if event.status == "cancelled":
        lines.append(t("❌ <b>This event was cancelled.</b>"))
        return "\n".join(lines)
    lines.append(counts_line(t, counts))
    if event.capacity is not None:
        free = max(0, event.capacity - counts.going)
        lines.append(
            t._n("👥 {count} seat left", "👥 {count} seats left", free)
            + (
                t._n(
                    " · ⏳ {count} on the waiting list",
                    " · ⏳ {count} on the waiting list",
                    counts.waitlisted,
                )
                if counts.waitlisted
                else ""
            )
        )
    if personal and answer:
        lines.append(t("Your answer: {answer}", answer=answer_label(t, answer)))
    if event.started(now):
        lines.append(t("🔒 The event has started; answers are closed."))
    return "\n".join(lines)


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)


def card_buttons(
    t: Translator, event: Event, *, now: datetime, staff: bool = False
) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    if event.status == "published" and not event.started(now):
        rows.append(
            [
                InlineKeyboardButton(t.label("✅ Going"), callback_data=_cb(event.id, "go")),
                InlineKeyboardButton(t.label("🤔 Maybe"), callback_data=_cb(event.id, "mb")),
                InlineKeyboardButton(t.label("❌ Can't go"), callback_data=_cb(event.id, "no")),
            ]
        )
        rows.append(
            [
                InlineKeyboardButton(
                    t.label("📆 Add to my calendar"), callback_data=_cb(event.id, "ics")
                )
            ]
        )
    if staff and event.status == "published":
        rows.append(
            [
                InlineKeyboardButton(t.label("🕒 Move"), callback_data=_cb(event.id, "rs")),
                InlineKeyboardButton(t.label("📍 Place"), callback_data=_cb(event.id, "pl")),
            ]
        )
        rows.append(
            [
                InlineKeyboardButton(t.label("✏️ Edit"), callback_data=_cb(event.id, "ed")),
                InlineKeyboardButton(t.label("❌ Cancel event"), callback_data=_cb(event.id, "cx")),
            ]
        )
    if staff:
        rows.append(
            [
                InlineKeyboardButton(t.label("👥 Attendees"), callback_data=_cb(event.id, "at")),
                InlineKeyboardButton(t.label("📷 Check-in QR"), callback_data=_cb(event.id, "qr")),
            ]
        )
    return InlineKeyboardMarkup(rows) if rows else None


def _cb(event_id: int, action: str) -> str:
    return callbacks.pack("ev", event_id, action)


async def _is_staff_for(context: Ctx, event: Event) -> bool:
    """Coordinators of the event's axis (or of every axis) and admins manage it."""
    if not at_least(context.role, "coordinator"):
        return False
    scope = await coordinator_scope(context)
    return not scope or event.axis_id in scope


async def show_card(update: Update, context: Ctx, event: Event) -> None:
    """The card in this private chat, with the member's own answer (and staff tools)."""
    assert update.effective_chat is not None
    repos = context.services.repos
    member = context.member
    answer = await repos.events.answer_of(event.id, member.id) if member else None
    now = context.now()
    text = card_text(
        context.t,
        event,
        await repos.events.counts(event.id),
        now=now,
        tz=context.services.settings.tz,
        answer=answer,
    )
    staff = await _is_staff_for(context, event)
    await context.bot.send_message(
        update.effective_chat.id,
        text,
        reply_markup=card_buttons(context.t, event, now=now, staff=staff),
        disable_web_page_preview=True,
    )


# --- answering -----------------------------------------------------------------------------------


async def tapped(update: Update, context: Ctx) -> None:
    """A button of a card: an answer, the calendar file, or (staff) a tool."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _prefix, event_id, action = query.data.split(":")
    staff_tool = action in ("at", "qr") or action.startswith(("mk", "un", "ck", "cp"))
    if staff_tool and not await allowed(update, context, "coordinator"):
        return
    if event_id == "0":  # the card in a coordinator's preview, before it exists
        await query.answer(
            context.t.label("This is the preview: the buttons work once it is published."),
            show_alert=True,
        )
        return
    event = await context.services.repos.events.get(int(event_id))
    if event is None:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return
    door = action == "qr" or action.startswith(("mk", "un", "ck", "cp"))
    if door and event.status != "published":  # no check-in for a cancelled event
        await query.answer(context.t.label("This event was cancelled."), show_alert=True)
        return
    if action in ANSWERS:
        await _answer(update, context, event, ANSWERS[action])
    elif action == "ics":
        await _send_calendar(update, context, event)
    elif action == "open":
        if await active_member(update, context) is None:
            return
        await query.answer()
        await show_card(update, context, event)
    elif action == "at":
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
    staff = private and await _is_staff_for(context, event)
    now = context.now()
    text = card_text(
        context.t,
        event,
        await repos.events.counts(event.id),
        now=now,
        tz=context.services.settings.tz,
        answer=answer,
        personal=private,
    )
    try:
        await query.edit_message_text(
            text,
            reply_markup=card_buttons(context.t, event, now=now, staff=staff),
            disable_web_page_preview=True,
        )
    except TelegramError as exc:
        if "not modified" not in str(exc):
            raise


async def tell_promoted(context: Ctx, event: Event, member_id: int) -> None:
    """A seat freed up: the first on the waiting list is going now, and is told."""
    services = context.services
    member = await services.repos.members.by_id(member_id)
    if member is None or member.chat_id is None:
        return
    t = services.i18n.get(services.i18n.resolve(member.language, None))
    when = show(event.starts_at, tz=services.settings.tz, language=t.language)
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


# --- lists and deep links ------------------------------------------------------------------------


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
    tz = context.services.settings.tz
    staff = at_least(context.role, "coordinator")
    for event in found:
        answer = await repos.events.answer_of(event.id, member.id)
        mark = f" — {answer_label(_, answer)}" if answer else ""
        when = show_short(event.starts_at, tz=tz, language=_.language)
        line = (  # coordinators see the number that /attendees and survey files refer to
            _("• {when}: {title} (#{number})", when=when, title=event.title, number=event.id)
            if staff
            else _("• {when}: {title}", when=when, title=event.title)
        )
        lines.append(line + mark)
        label = picker_label(_, event, tz)
        rows.append([InlineKeyboardButton(label, callback_data=_cb(event.id, "open"))])
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
    tz = context.services.settings.tz
    for event, answer in found:
        when = show_short(event.starts_at, tz=tz, language=_.language)
        lines.append(
            _("• {when}: {title}", when=when, title=event.title) + f" — {answer_label(_, answer)}"
        )
        label = picker_label(_, event, tz)
        rows.append([InlineKeyboardButton(label, callback_data=_cb(event.id, "open"))])
    if not found:
        lines.append(
            _("You have not said Going or Maybe to any upcoming event. /events shows them.")
        )
    await context.bot.send_message(
        update.effective_chat.id,
        "\n".join(lines),
        reply_markup=InlineKeyboardMarkup(rows) if rows else None,
    )


async def open_by_link(update: Update, context: Ctx, rest: str) -> None:
    """?start=ev_<id>: the card in the private chat (shared anywhere)."""
    if await active_member(update, context) is None:
        return
    number = whole_number(rest)
    event = await context.services.repos.events.get(number) if number is not None else None
    if event is None:
        assert update.effective_chat is not None
        await context.bot.send_message(
            update.effective_chat.id, context.t("I could not find that event.")
        )
        return
    await show_card(update, context, event)


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


# --- attendance (coordinators) -------------------------------------------------------------------


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
    tz = context.services.settings.tz
    rows = [
        [InlineKeyboardButton(picker_label(_, e, tz), callback_data=_cb(e.id, "at"))] for e in found
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
    sheet = InlineKeyboardButton(_.label("📍 Check in by hand"), callback_data=_cb(event.id, "ck0"))
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
        data = _cb(event.id, f"{act}{person.member_id}p{page}")
        rows.append([InlineKeyboardButton(label, callback_data=data)])
    paging = []
    if page > 0:
        paging.append(
            InlineKeyboardButton(
                _.label("◀ Previous"), callback_data=_cb(event.id, f"cp{page - 1}")
            )
        )
    if page + 1 < pages:
        paging.append(
            InlineKeyboardButton(_.label("Next ▶"), callback_data=_cb(event.id, f"cp{page + 1}"))
        )
    if paging:
        rows.append(paging)
    return text, InlineKeyboardMarkup(rows)


async def _show_sheet(update: Update, context: Ctx, event: Event, page: int, *, edit: bool) -> None:
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    text, markup = await _checkin_sheet(context, event, page)
    if edit and query.message is not None:
        try:
            await query.edit_message_text(text, reply_markup=markup)
        except TelegramError as exc:
            if "not modified" not in str(exc):
                raise
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


# --- the community group's topics ----------------------------------------------------------------


async def bind_topic(update: Update, context: Ctx) -> None:
    """/bindtopic <axis> inside a forum topic: that axis's announcements are posted there too."""
    message = update.effective_message
    assert message is not None
    if not await allowed(update, context, "coordinator"):
        return
    _ = context.t
    community = context.services.settings.community_chat_id
    if community is None or message.chat.id != community or not message.is_topic_message:
        await message.reply_text(_("Send /bindtopic inside a topic of the community group."))
        return
    axes = {a.code: a for a in await context.services.repos.reference.axes()}
    names = {axis_name(_, code).split(" ", 1)[-1].lower(): code for code in axes}
    wanted = " ".join(context.args or []).strip().lower()
    code = wanted if wanted in axes else names.get(wanted)
    if code is None:
        choices = ", ".join(sorted(axes))
        await message.reply_text(
            _("Which axis? For example /bindtopic innovation ({choices}).", choices=choices)
        )
        return
    axis = axes[code]
    if not await allowed(update, context, "coordinator", axis.id):
        return
    assert message.message_thread_id is not None
    member_id = context.member.id if context.member else None
    now = context.now()
    await context.services.repos.events.bind_topic(
        axis.id, message.chat.id, message.message_thread_id, member_id, now
    )
    await context.services.repos.audit.record(
        now, member_id, "topic.bind", "axis", axis.id, thread=message.message_thread_id
    )
    await message.reply_text(
        _("✅ Announcements of {axis} will also be posted in this topic.", axis=axis_name(_, code))
    )


# --- notices (rendered by the outbox sender for each recipient) ----------------------------------


async def announce(context: Ctx, event_ids: list[int], created_by: int | None) -> None:
    """Queue the announcement of new events: their axis's members (a meeting: its group's),
    and the axis's topic in the community group when one is bound."""
    services = context.services
    for event_id in event_ids[:1]:  # a series is announced once, with its first date
        event = await services.repos.events.get(event_id)
        assert event is not None
        if event.group_id is not None:
            audience = Audience(kind="working_group", ids=(event.group_id,))
        else:
            audience = Audience(kind="axes", ids=(event.axis_id,))
        from storage.audience import resolve

        recipients = await resolve(services.db, audience)
        topic = await services.repos.events.topic(event.axis_id)
        if topic is not None:
            chat_id, thread = topic
            recipients.append(
                Recipient(
                    member_id=None,
                    chat_id=chat_id,
                    language=services.settings.default_language,
                    message_thread_id=thread,
                )
            )
        await services.repos.outbox.enqueue(
            kind="event_announcement",
            text=event.title,
            now=context.now(),
            audience=audience,
            recipients=recipients,
            created_by=created_by,
            event_id=event.id,
            dedup_key=f"ann:{event.id}",
        )
    services.outbox_sender.wake()


async def tell_answered(
    context: Ctx, event: Event, change: str, old: datetime | None = None
) -> None:
    """Everyone who answered hears what changed: going, maybe and waiting, and also who could
    not go (a new date or place may suit them)."""
    services = context.services
    details = {"change": change, "old": old.isoformat() if old else None}
    await services.repos.outbox.enqueue(
        kind="event_update",
        text=json.dumps(details),
        now=context.now(),
        audience=Audience(
            kind="event", ids=(event.id,), answers=("going", "maybe", "waitlisted", "declined")
        ),
        event_id=event.id,
    )
    services.outbox_sender.wake()


async def render_announcement(notice: Notice) -> Rendered | None:
    services = notice.services
    event = await services.repos.events.get(notice.event_id or 0)
    if event is None or event.status != "published":
        return None
    now = services.clock()
    if event.started(now):
        return None
    counts = await services.repos.events.counts(event.id)
    personal = notice.member_id is not None
    text = (
        notice.t("📣 <b>New</b>")
        + "\n"
        + card_text(notice.t, event, counts, now=now, tz=services.settings.tz, personal=personal)
    )
    return Rendered(text, card_buttons(notice.t, event, now=now))


async def render_update(notice: Notice) -> Rendered | None:
    services = notice.services
    event = await services.repos.events.get(notice.event_id or 0)
    if event is None:
        return None
    t, tz = notice.t, services.settings.tz
    details = json.loads(notice.text)
    when = show(event.starts_at, tz=tz, language=t.language)
    if details["change"] == "cancelled":
        text = t("❌ <b>{title}</b> ({when}) was cancelled.", title=event.title, when=when)
        return Rendered(text)
    if details["change"] == "moved":
        old = show(datetime.fromisoformat(details["old"]), tz=tz, language=t.language)
        text = t(
            "🕒 <b>{title}</b> was moved: now {when} (before: {old}).",
            title=event.title,
            when=when,
            old=old,
        )
    elif details["change"] == "details":
        text = t("✏️ <b>{title}</b> was updated.", title=event.title)
    else:
        where = event.place or event.online_url or ""
        text = t("📍 <b>{title}</b> has a new place: {place}.", title=event.title, place=where)
    answer = (
        await services.repos.events.answer_of(event.id, notice.member_id)
        if notice.member_id
        else None
    )
    counts = await services.repos.events.counts(event.id)
    card = card_text(t, event, counts, now=services.clock(), tz=tz, answer=answer)
    return Rendered(f"{text}\n\n{card}", card_buttons(t, event, now=services.clock()))


async def render_reminder(notice: Notice) -> Rendered | None:
    """A reminder of an event that was cancelled or moved since it was queued is skipped."""
    services = notice.services
    event = await services.repos.events.get(notice.event_id or 0)
    details = json.loads(notice.text)
    if (
        event is None
        or event.status != "published"
        or event.starts_at.isoformat() != details["for"]
    ):
        return None
    member_id = notice.member_id
    if (
        member_id is not None
        and await services.repos.events.answer_of(event.id, member_id) != "going"
    ):
        return None
    t, tz = notice.t, services.settings.tz
    when = show(event.starts_at, tz=tz, language=t.language)
    minutes = int((event.starts_at - services.clock()).total_seconds() // 60)
    if details["lead"] == "1h" and minutes < 50:  # published at short notice
        head = t._n(
            "⏰ <b>{title}</b> starts in {count} minute: {when}.",
            "⏰ <b>{title}</b> starts in {count} minutes: {when}.",
            max(minutes, 1),
            title=event.title,
            when=when,
        )
    elif details["lead"] == "1h":
        head = t("⏰ <b>{title}</b> starts in an hour: {when}.", title=event.title, when=when)
    else:
        head = t("⏰ Reminder: <b>{title}</b> is on {when}.", title=event.title, when=when)
    lines = [head]
    if event.place:
        lines.append(t("📍 {place}", place=event.place))
    if event.online_url:
        lines.append(t('🔗 <a href="{url}">Online link</a>', url=event.online_url))
    return Rendered("\n".join(lines))


async def remind_due(context: Ctx) -> int:
    """Queue the reminders that are due now (job every minute; also at start-up).

    Each reminder has a key made of the event, its start and the lead time, so a restart
    never sends one twice and a moved event gets new reminders at its new time.
    """
    services = context.services
    now = services.clock()
    queued = 0
    for lead, delta in REMINDERS:
        # due: the start is within `delta` from now (and the later, shorter lead has not come)
        shorter = min((d for _, d in REMINDERS if d < delta), default=timedelta(0))
        for event in await services.repos.events.starting_between(now + shorter, now + delta):
            key = f"rem:{event.id}:{event.starts_at.isoformat()}:{lead}"
            if await services.repos.outbox.exists(key):
                continue  # queued on an earlier minute: no write at all
            broadcast = await services.repos.outbox.enqueue(
                kind="event_reminder",
                text=json.dumps({"for": event.starts_at.isoformat(), "lead": lead}),
                now=now,
                audience=Audience(kind="event", ids=(event.id,), answers=("going",)),
                event_id=event.id,
                dedup_key=key,
            )
            queued += broadcast is not None
    if queued:
        services.outbox_sender.wake()
    return queued


# --- registration --------------------------------------------------------------------------------


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("events", list_events, filters=private),
        CommandHandler("myevents", my_events, filters=private),
        CommandHandler("attendees", attendees_command, filters=private),
        CommandHandler("bindtopic", bind_topic, filters=filters.ChatType.SUPERGROUP),
        CallbackQueryHandler(list_events, callbacks.pattern("evl", "all")),
        CallbackQueryHandler(
            tapped,
            callbacks.pattern(
                "ev", r"(\d+)", r"(go|mb|no|ics|open|at|qr|(?:mk|un)\d+(?:p\d+)?|ck\d+|cp\d+)"
            ),
        ),
    ]


def register_notices_and_links() -> None:
    notices.register("event_announcement", render_announcement)
    notices.register("event_update", render_update)
    notices.register("event_reminder", render_reminder)
    deeplinks.register("ev", open_by_link)
    deeplinks.register("ci", check_in_by_link)
