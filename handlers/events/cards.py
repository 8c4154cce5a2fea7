"""The event card: its text and buttons in each member's language, showing it in a private
chat (also from a shared link), and reading which event a tapped card button names. The
answers, the lists, attendance, the notices and /newevent's preview build on it.

A card's buttons carry `ev:<event id>:<action>`; the database holds the rest, so a card keeps
working after a restart and wherever it was shared.
"""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import callbacks
from bot.auth import active_member, coordinator_scope
from bot.context import Ctx
from bot.i18n import Translator
from bot.labels import axis_name
from bot.roles import at_least
from bot.validation import whole_number
from bot.when import Reader
from storage.repositories.events.events import Counts, Event


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
    reader: Reader,
    answer: str | None = None,
    personal: bool = True,
) -> str:
    """The event as members read it, in their language and time zones; `personal` adds their
    own answer."""
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
    when = reader.show(event.starts_at)
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
                InlineKeyboardButton(
                    t.label("✅ Going"), callback_data=button_data(event.id, "go")
                ),
                InlineKeyboardButton(
                    t.label("🤔 Maybe"), callback_data=button_data(event.id, "mb")
                ),
                InlineKeyboardButton(
                    t.label("❌ Can't go"), callback_data=button_data(event.id, "no")
                ),
            ]
        )
        rows.append(
            [
                InlineKeyboardButton(
                    t.label("📆 Add to my calendar"), callback_data=button_data(event.id, "ics")
                )
            ]
        )
    if staff and event.status == "published":
        rows.append(
            [
                InlineKeyboardButton(t.label("🕒 Move"), callback_data=button_data(event.id, "rs")),
                InlineKeyboardButton(
                    t.label("📍 Place"), callback_data=button_data(event.id, "pl")
                ),
            ]
        )
        rows.append(
            [
                InlineKeyboardButton(t.label("✏️ Edit"), callback_data=button_data(event.id, "ed")),
                InlineKeyboardButton(
                    t.label("❌ Cancel event"), callback_data=button_data(event.id, "cx")
                ),
            ]
        )
    if staff:
        rows.append(
            [
                InlineKeyboardButton(
                    t.label("👥 Attendees"), callback_data=button_data(event.id, "at")
                ),
                InlineKeyboardButton(
                    t.label("📷 Check-in QR"), callback_data=button_data(event.id, "qr")
                ),
            ]
        )
    return InlineKeyboardMarkup(rows) if rows else None


def button_data(event_id: int, action: str) -> str:
    """What a card's button (or a list's button to a card) sends back: `ev:<id>:<action>`."""
    return callbacks.pack("ev", event_id, action)


async def is_staff_for(context: Ctx, event: Event) -> bool:
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
        reader=context.reader,
        answer=answer,
    )
    staff = await is_staff_for(context, event)
    await context.bot.send_message(
        update.effective_chat.id,
        text,
        reply_markup=card_buttons(context.t, event, now=now, staff=staff),
        disable_web_page_preview=True,
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


async def tapped_event(update: Update, context: Ctx) -> tuple[Event, str] | None:
    """The event and the action a card's button names (`ev:<id>:<action>`). None once the tap
    is answered: a button of a coordinator's preview, or of an event that no longer exists."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _prefix, event_id, action = query.data.split(":")
    if event_id == "0":  # the card in a coordinator's preview, before it exists
        await query.answer(
            context.t.label("This is the preview: the buttons work once it is published."),
            show_alert=True,
        )
        return None
    event = await context.services.repos.events.get(int(event_id))
    if event is None:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return None
    return event, action
