"""Coordinators' forms for events: /newevent (axis, kind, group, title, description, date and
time, duration, place, capacity, repetition, preview, publish), moving an event, changing its
place, cancelling it, and /newgroup. One persistent conversation, so a restart loses nothing.

Every step that acts checks the role again, for the event's axis.
"""

from __future__ import annotations

import re
import warnings
from datetime import datetime, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import callbacks
from bot.auth import allowed, coordinator_scope
from bot.context import Ctx
from bot.labels import axis_name
from bot.validation import whole_number
from bot.when import WhenProblem, parse_local, series_starts, show
from handlers.core import forms, menu
from handlers.events.answers import tell_promoted
from handlers.events.cards import card_buttons, card_text
from handlers.events.notices import announce, tell_answered
from storage.repositories.events.events import Counts, Event, NewEvent

AXIS, KIND, GROUP, TITLE, DESCRIPTION, WHEN, DURATION, PLACE, CAPACITY, REPEAT, PREVIEW = (
    f"ev_{n}"
    for n in (
        "axis",
        "kind",
        "group",
        "title",
        "description",
        "when",
        "duration",
        "place",
        "capacity",
        "repeat",
        "preview",
    )
)
MOVE, NEW_PLACE, CONFIRM_CANCEL, GROUP_AXIS, GROUP_NAME = (
    "ev_move",
    "ev_new_place",
    "ev_confirm_cancel",
    "wg_axis",
    "wg_name",
)
EDIT_FIELD, EDIT_VALUE = "ev_edit_field", "ev_edit_value"
EDITABLE = ("title", "desc", "cap")
TITLE_MAX, DESCRIPTION_MAX, PLACE_MAX, GROUP_MAX = 120, 2000, 200, 100
_URL = re.compile(r"https?://\S+")
_DURATION = re.compile(r"(?:(\d{1,2})\s*(?:h|hrs?|horas?|:))?\s*(\d{1,3})?\s*(?:min|m)?", re.I)


def _draft(context: Ctx) -> dict[str, Any]:
    return forms.draft(context, "ev")


def _button(label: str, *parts: str | int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.pack("ef", *parts))


_chat = forms.chat_of
_say = forms.say


def _too_long(context: Ctx, maximum: int, text: str) -> str:
    return context.t(
        "That is too long: at most {maximum} characters (yours has {count}).",
        maximum=maximum,
        count=len(text),
    )


# --- /newevent -----------------------------------------------------------------------------------


async def start(update: Update, context: Ctx) -> str | int:
    if not await allowed(update, context, "coordinator"):
        return ConversationHandler.END
    assert context.user_data is not None
    context.user_data["ev"] = {}
    _ = context.t
    scope = await coordinator_scope(context)
    rows = [
        [_button(axis_name(_, a.code), "ax", a.id)]
        for a in await context.services.repos.reference.axes()
        if not scope or a.id in scope
    ]
    await _say(
        update,
        context,
        _("📅 <b>New event</b>\n\nWhich strategic axis is it for? (/cancel stops)"),
        InlineKeyboardMarkup(rows),
    )
    return AXIS


async def chose_axis(update: Update, context: Ctx) -> str | int | None:
    query = update.callback_query
    assert query is not None and query.data is not None
    axis_id = int(query.data.split(":")[2])
    if not await allowed(update, context, "coordinator", axis_id):
        return None
    await query.answer()
    _draft(context)["axis"] = axis_id
    _ = context.t
    rows = [
        [_button(_.label("📅 A cluster event"), "kind", "event")],
        [_button(_.label("👥 A working-group meeting"), "kind", "meeting")],
    ]
    await query.edit_message_text(_("What is it?"), reply_markup=InlineKeyboardMarkup(rows))
    return KIND


async def chose_kind(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    kind = query.data.split(":")[2]
    draft = _draft(context)
    draft["kind"] = kind
    _ = context.t
    if kind == "meeting":
        groups = await context.services.repos.events.groups(frozenset({draft["axis"]}))
        if not groups:
            await query.edit_message_text(
                _("This axis has no working groups yet. Create one with /newgroup, then try again.")
            )
            draft["kind"] = "event"
            return KIND
        rows = [[_button(g.name[:60], "grp", g.id)] for g in groups]
        await query.edit_message_text(
            _("Which working group?"), reply_markup=InlineKeyboardMarkup(rows)
        )
        return GROUP
    await query.edit_message_text(_("📅 A cluster event."))
    await _say(update, context, _("What is its title?"))
    return TITLE


async def chose_group(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    group = await context.services.repos.events.group(int(query.data.split(":")[2]))
    draft = _draft(context)
    if group is None or group.axis_id != draft.get("axis"):
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return GROUP
    await query.answer()
    draft["group"] = group.id
    await query.edit_message_text(context.t("👥 Meeting of {group}.", group=group.name))
    await _say(update, context, context.t("What is its title?"))
    return TITLE


async def typed_title(update: Update, context: Ctx) -> str:
    text = (
        " ".join((update.effective_message.text or "").split()) if update.effective_message else ""
    )
    if not text:
        await _say(update, context, context.t("What is its title?"))
        return TITLE
    if len(text) > TITLE_MAX:
        await _say(update, context, _too_long(context, TITLE_MAX, text))
        return TITLE
    _draft(context)["title"] = text
    _ = context.t
    await _say(
        update,
        context,
        _("A short description (what, for whom, agenda)?"),
        InlineKeyboardMarkup([[_button(_.label("Skip ⏭"), "nodesc")]]),
    )
    return DESCRIPTION


async def typed_description(update: Update, context: Ctx) -> str:
    message = update.effective_message
    assert message is not None
    text = (message.text or "").strip()
    if len(text) > DESCRIPTION_MAX:
        await _say(update, context, _too_long(context, DESCRIPTION_MAX, text))
        return DESCRIPTION
    _draft(context)["description"] = None if text == "-" else text  # "-": none, as in Edit
    return await _ask_when(update, context)


async def skipped_description(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    _draft(context)["description"] = None
    return await _ask_when(update, context)


async def _ask_when(update: Update, context: Ctx) -> str:
    await _say(
        update,
        context,
        context.t(
            "🕒 When does it start? Aguascalientes time, for example 28/11 18:00, "
            "28/11/2026 18:00 or 2026-11-28 18:00."
        ),
    )
    return WHEN


async def typed_when(update: Update, context: Ctx) -> str:
    message = update.effective_message
    assert message is not None
    moment = parse_local(message.text or "", now=context.now(), tz=context.services.settings.tz)
    if isinstance(moment, WhenProblem):
        await _say(update, context, context.t(moment.message, **moment.values))
        return WHEN
    _draft(context)["starts"] = moment.isoformat()
    _ = context.t
    rows = [
        [
            _button(_.label("1 h"), "dur", 60),
            _button(_.label("1 h 30 min"), "dur", 90),
            _button(_.label("2 h"), "dur", 120),
            _button(_.label("3 h"), "dur", 180),
        ]
    ]
    when = show(moment, tz=context.services.settings.tz, language=_.language)
    await _say(
        update,
        context,
        _(
            "Starts {when}. How long does it last? Tap or type it (for example 45 min or 2:30).",
            when=when,
        ),
        InlineKeyboardMarkup(rows),
    )
    return DURATION


def parse_duration(text: str) -> int | None:
    """Minutes from `90`, `45 min`, `2 h`, `2:30`, `1h30`; None if unreadable or not 5 min–12 h."""
    cleaned = text.strip().lower()
    if (whole := whole_number(cleaned)) is not None:
        minutes = whole
    else:
        match = _DURATION.fullmatch(cleaned)
        if match is None or not (match.group(1) or match.group(2)):
            return None
        minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    return minutes if 5 <= minutes <= 720 else None


async def typed_duration(update: Update, context: Ctx) -> str:
    message = update.effective_message
    assert message is not None
    minutes = parse_duration(message.text or "")
    if minutes is None:
        await _say(
            update,
            context,
            context.t(
                "I could not read that duration. Write it like 45 min, 2 h or 2:30 (up to 12 h)."
            ),
        )
        return DURATION
    return await _set_duration(update, context, minutes)


async def tapped_duration(update: Update, context: Ctx) -> str:
    return await _set_duration(update, context, int(await forms.take_choice(update)))


async def _set_duration(update: Update, context: Ctx, minutes: int) -> str:
    _draft(context)["minutes"] = minutes
    await _say(
        update,
        context,
        context.t("📍 Where? Write the place, or paste the online link (https://…)."),
    )
    return PLACE


def _place(text: str) -> tuple[str | None, str | None]:
    """(place, online link) from what was typed: a link alone, a place, or both."""
    link = _URL.search(text)
    url = link.group(0) if link else None
    place = _URL.sub("", text).strip(" ,;-\n") if link else text.strip()
    return (place or None), url


async def typed_place(update: Update, context: Ctx) -> str:
    message = update.effective_message
    assert message is not None
    text = (message.text or "").strip()
    if len(text) > PLACE_MAX:
        await _say(update, context, _too_long(context, PLACE_MAX, text))
        return PLACE
    place, url = _place(text)
    draft = _draft(context)
    draft["place"], draft["url"] = place, url
    _ = context.t
    await _say(
        update,
        context,
        _("👥 Is there a limit of seats? Write the number, or tap No limit."),
        InlineKeyboardMarkup([[_button(_.label("No limit"), "nocap")]]),
    )
    return CAPACITY


async def typed_capacity(update: Update, context: Ctx) -> str:
    message = update.effective_message
    assert message is not None
    text = (message.text or "").strip()
    if text == "-":  # as in Edit: no limit
        _draft(context)["capacity"] = None
        return await _ask_repeat(update, context)
    seats = whole_number(text)
    if seats is None or not 1 <= seats <= 10_000:
        await _say(
            update,
            context,
            context.t("Write a whole number of seats between 1 and 10000, or tap No limit."),
        )
        return CAPACITY
    _draft(context)["capacity"] = seats
    return await _ask_repeat(update, context)


async def no_capacity(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    _draft(context)["capacity"] = None
    return await _ask_repeat(update, context)


async def _ask_repeat(update: Update, context: Ctx) -> str:
    draft = _draft(context)
    if draft.get("kind") != "meeting":
        draft["rule"] = None
        return await _preview(update, context)
    _ = context.t
    rows = [
        [_button(_.label("Only once"), "rep", "once")],
        [_button(_.label("Every week"), "rep", "weekly")],
        [_button(_.label("Every two weeks"), "rep", "biweekly")],
        [_button(_.label("Every month, same weekday"), "rep", "monthly_weekday")],
    ]
    await _say(update, context, _("🔁 Does the meeting repeat?"), InlineKeyboardMarkup(rows))
    return REPEAT


async def chose_repeat(update: Update, context: Ctx) -> str:
    rule = await forms.take_choice(update)
    _draft(context)["rule"] = None if rule == "once" else rule
    return await _preview(update, context)


def _new_event(context: Ctx, draft: dict[str, Any]) -> NewEvent:
    starts = datetime.fromisoformat(draft["starts"])
    rule = draft.get("rule")
    tz = context.services.settings.tz
    return NewEvent(
        kind=draft.get("kind", "event"),
        axis_id=draft["axis"],
        group_id=draft.get("group") if draft.get("kind") == "meeting" else None,
        title=draft["title"],
        description=draft.get("description"),
        starts_at=starts,
        ends_at=starts + timedelta(minutes=draft["minutes"]),
        place=draft.get("place"),
        online_url=draft.get("url"),
        capacity=draft.get("capacity"),
        rule=rule,
        occurrences=tuple(series_starts(starts, rule, tz=tz)) if rule else (),
    )


async def _preview(update: Update, context: Ctx) -> str:
    """The card exactly as members will see it, then Publish."""
    draft = _draft(context)
    new = _new_event(context, draft)
    repos = context.services.repos
    codes = {a.id: a.code for a in await repos.reference.axes()}
    group = await repos.events.group(new.group_id) if new.group_id else None
    sample = Event(
        id=0,
        kind=new.kind,
        axis_id=new.axis_id,
        axis_code=codes[new.axis_id],
        group_id=new.group_id,
        group_name=group.name if group else None,
        series_id=None,
        title=new.title,
        description=new.description,
        starts_at=new.starts_at,
        ends_at=new.ends_at,
        place=new.place,
        online_url=new.online_url,
        capacity=new.capacity,
        status="published",
        checkin_token=None,
    )
    _ = context.t
    now = context.now()
    tz = context.services.settings.tz
    card = card_text(_, sample, Counts(), now=now, tz=tz, personal=False)
    await context.bot.send_message(
        _chat(update),
        card,
        reply_markup=card_buttons(_, sample, now=now),
        disable_web_page_preview=True,
    )
    lines = [_("👆 This is how members will see it.")]
    if new.occurrences:
        dates = ", ".join(show(d, tz=tz, language=_.language) for d in new.occurrences)
        lines.append(_("🔁 Also on: {dates}", dates=dates))
    rows = [[_button(_.label("📣 Publish"), "pub"), _button(_.label("✖ Cancel"), "x")]]
    await _say(update, context, "\n".join(lines), InlineKeyboardMarkup(rows))
    return PREVIEW


async def publish(update: Update, context: Ctx) -> str | int | None:
    query = update.callback_query
    assert query is not None
    draft = _draft(context)
    if "minutes" not in draft:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return None
    if not await allowed(update, context, "coordinator", draft["axis"]):
        return None
    new = _new_event(context, draft)
    now = context.now()
    if new.starts_at <= now:
        await query.answer(
            context.t.label(
                "That moment has already passed. Please give a date and time in the future."
            ),
            show_alert=True,
        )
        return await _ask_when(update, context)
    await query.answer()
    await query.edit_message_reply_markup(None)
    member_id = context.member.id if context.member else None
    ids = await context.services.repos.events.create(new, member_id, now)
    await context.services.repos.audit.record(
        now, member_id, "event.publish", "event", ids[0], title=new.title, occurrences=len(ids)
    )
    await announce(context, ids, member_id)
    assert context.user_data is not None
    context.user_data.pop("ev", None)
    _ = context.t
    link = f"https://t.me/{context.bot.username}?start=ev_{ids[0]}"
    await _say(
        update,
        context,
        _(
            "✅ Published as event #{number}. Its members are being told. Link to share: {link}",
            number=ids[0],
            link=link,
        ),
        menu.keyboard(_),
    )
    return ConversationHandler.END


# --- moving, changing the place, cancelling ------------------------------------------------------


async def _managed_event(update: Update, context: Ctx) -> Event | None:
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return None
    event = await context.services.repos.events.get(int(query.data.split(":")[1]))
    if event is None or event.status != "published":
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return None
    if not await allowed(update, context, "coordinator", event.axis_id):
        return None
    await query.answer()
    assert context.user_data is not None
    context.user_data["ev"] = {"edit": event.id}
    return event


async def ask_move(update: Update, context: Ctx) -> str | None:
    event = await _managed_event(update, context)
    if event is None:
        return None
    await _say(
        update,
        context,
        context.t(
            "🕒 New date and time for <b>{title}</b>? For example 28/11 18:00.", title=event.title
        ),
    )
    return MOVE


async def typed_move(update: Update, context: Ctx) -> str | int:
    message = update.effective_message
    assert message is not None
    event = await context.services.repos.events.get(_draft(context).get("edit", 0))
    if event is None or not await allowed(update, context, "coordinator", event.axis_id):
        return ConversationHandler.END
    now = context.now()
    moment = parse_local(message.text or "", now=now, tz=context.services.settings.tz)
    if isinstance(moment, WhenProblem):
        await _say(update, context, context.t(moment.message, **moment.values))
        return MOVE
    repos = context.services.repos
    await repos.events.reschedule(event.id, moment, now)
    member_id = context.member.id if context.member else None
    await repos.audit.record(
        now, member_id, "event.move", "event", event.id, starts=moment.isoformat()
    )
    await tell_answered(context, event, "moved", old=event.starts_at)
    _ = context.t
    when = show(moment, tz=context.services.settings.tz, language=_.language)
    await _say(
        update, context, _("✅ Moved to {when}. Everyone who answered is being told.", when=when)
    )
    return ConversationHandler.END


async def ask_place(update: Update, context: Ctx) -> str | None:
    event = await _managed_event(update, context)
    if event is None:
        return None
    await _say(
        update,
        context,
        context.t("📍 New place or online link for <b>{title}</b>?", title=event.title),
    )
    return NEW_PLACE


async def typed_new_place(update: Update, context: Ctx) -> str | int:
    message = update.effective_message
    assert message is not None
    event = await context.services.repos.events.get(_draft(context).get("edit", 0))
    if event is None or not await allowed(update, context, "coordinator", event.axis_id):
        return ConversationHandler.END
    text = (message.text or "").strip()
    if len(text) > PLACE_MAX:
        await _say(update, context, _too_long(context, PLACE_MAX, text))
        return NEW_PLACE
    place, url = _place(text)
    now = context.now()
    await context.services.repos.events.set_place(event.id, place, url, now)
    member_id = context.member.id if context.member else None
    await context.services.repos.audit.record(now, member_id, "event.place", "event", event.id)
    await tell_answered(context, event, "place")
    await _say(update, context, context.t("✅ Place changed. Everyone who answered is being told."))
    return ConversationHandler.END


async def ask_edit(update: Update, context: Ctx) -> str | None:
    event = await _managed_event(update, context)
    if event is None:
        return None
    _ = context.t
    rows = [
        [_button(_.label("Title"), "edf", "title"), _button(_.label("Description"), "edf", "desc")],
        [_button(_.label("Capacity"), "edf", "cap")],
    ]
    await _say(
        update,
        context,
        _("✏️ What should change in <b>{title}</b>?", title=event.title),
        InlineKeyboardMarkup(rows),
    )
    return EDIT_FIELD


async def chose_edit_field(update: Update, context: Ctx) -> str:
    field = await forms.take_choice(update)
    _draft(context)["field"] = field
    _ = context.t
    prompts = {
        "title": _("The new title?"),
        "desc": _("The new description? (Send - to remove it.)"),
        "cap": _("How many seats now? A whole number, or - for no limit."),
    }
    await _say(update, context, prompts[field])
    return EDIT_VALUE


async def typed_edit_value(update: Update, context: Ctx) -> str | int:
    """A new title or description (everyone who answered is told) or capacity (freed seats go
    to the waiting list, who are told)."""
    message = update.effective_message
    assert message is not None
    draft = _draft(context)
    event = await context.services.repos.events.get(draft.get("edit", 0))
    if event is None or event.status != "published":
        await _say(update, context, context.t("This event can no longer be changed."))
        return ConversationHandler.END
    if not await allowed(update, context, "coordinator", event.axis_id):
        return ConversationHandler.END
    field = draft.get("field")
    if field == "cap":
        return await _typed_capacity_change(update, context, event, (message.text or "").strip())
    text = (message.text or "").strip()
    if field == "title":
        text = " ".join(text.split())
        if not text or len(text) > TITLE_MAX:
            await _say(update, context, _too_long(context, TITLE_MAX, text))
            return EDIT_VALUE
        title, description = text, event.description
    else:
        if len(text) > DESCRIPTION_MAX:
            await _say(update, context, _too_long(context, DESCRIPTION_MAX, text))
            return EDIT_VALUE
        title, description = event.title, (None if text in ("", "-") else text)
    repos, now = context.services.repos, context.now()
    await repos.events.set_details(event.id, title, description, now)
    member_id = context.member.id if context.member else None
    await repos.audit.record(now, member_id, "event.edit", "event", event.id, field=field)
    await tell_answered(context, event, "details")
    await _say(update, context, context.t("✅ Saved. Everyone who answered is being told."))
    return ConversationHandler.END


async def _typed_capacity_change(
    update: Update, context: Ctx, event: Event, text: str
) -> str | int:
    seats = whole_number(text)
    if text == "-":
        capacity = None
    elif seats is not None and 1 <= seats <= 10_000:
        capacity = seats
    else:
        await _say(
            update,
            context,
            context.t("Write a whole number of seats between 1 and 10000, or - for no limit."),
        )
        return EDIT_VALUE
    repos, now = context.services.repos, context.now()
    promoted = await repos.events.set_capacity(event.id, capacity, now)
    member_id = context.member.id if context.member else None
    await repos.audit.record(now, member_id, "event.capacity", "event", event.id, capacity=capacity)
    for promoted_id in promoted:
        await tell_promoted(context, event, promoted_id)
    _ = context.t
    lines = [
        _("✅ Capacity: {capacity}.", capacity=capacity)
        if capacity is not None
        else _("✅ No seat limit now.")
    ]
    going = (await repos.events.counts(event.id)).going
    if capacity is not None and going > capacity:
        lines.append(
            _(
                "{going} are going already: nobody loses their seat, and new answers wait "
                "until fewer than {capacity} are going.",
                going=going,
                capacity=capacity,
            )
        )
    if promoted:
        lines.append(
            _._n(
                "🎉 {count} person moved up from the waiting list and was told.",
                "🎉 {count} people moved up from the waiting list and were told.",
                len(promoted),
            )
        )
    await _say(update, context, "\n".join(lines))
    return ConversationHandler.END


async def ask_cancel(update: Update, context: Ctx) -> str | None:
    event = await _managed_event(update, context)
    if event is None:
        return None
    _ = context.t
    rows = [
        [
            _button(_.label("❌ Yes, cancel it"), "cx", event.id),
            _button(_.label("◀ No, keep it"), "keep"),
        ]
    ]
    await _say(
        update,
        context,
        _("Cancel <b>{title}</b>? Everyone who answered will be told.", title=event.title),
        InlineKeyboardMarkup(rows),
    )
    return CONFIRM_CANCEL


async def confirmed_cancel(update: Update, context: Ctx) -> str | int | None:
    query = update.callback_query
    assert query is not None and query.data is not None
    event = await context.services.repos.events.get(int(query.data.split(":")[2]))
    if event is None or event.id != _draft(context).get("edit"):
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return None
    if not await allowed(update, context, "coordinator", event.axis_id):
        return None
    await query.answer()
    await query.edit_message_reply_markup(None)
    now = context.now()
    if await context.services.repos.events.cancel(event.id, now):
        member_id = context.member.id if context.member else None
        await context.services.repos.audit.record(now, member_id, "event.cancel", "event", event.id)
        await tell_answered(context, event, "cancelled")
    await _say(
        update,
        context,
        context.t(
            "❌ <b>{title}</b> is cancelled. Everyone who answered is being told.",
            title=event.title,
        ),
    )
    return ConversationHandler.END


async def kept(update: Update, context: Ctx) -> int:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    await _say(update, context, context.t("Nothing changed."))
    return ConversationHandler.END


# --- /newgroup -----------------------------------------------------------------------------------


async def start_group(update: Update, context: Ctx) -> str | int:
    if not await allowed(update, context, "coordinator"):
        return ConversationHandler.END
    _ = context.t
    scope = await coordinator_scope(context)
    rows = [
        [_button(axis_name(_, a.code), "gax", a.id)]
        for a in await context.services.repos.reference.axes()
        if not scope or a.id in scope
    ]
    await _say(
        update,
        context,
        _("👥 <b>New working group</b>\n\nWhich axis does it belong to?"),
        InlineKeyboardMarkup(rows),
    )
    return GROUP_AXIS


async def group_axis(update: Update, context: Ctx) -> str | None:
    query = update.callback_query
    assert query is not None and query.data is not None
    axis_id = int(query.data.split(":")[2])
    if not await allowed(update, context, "coordinator", axis_id):
        return None
    await query.answer()
    assert context.user_data is not None
    context.user_data["ev"] = {"group_axis": axis_id}
    await query.edit_message_text(context.t("What is the working group's name?"))
    return GROUP_NAME


async def group_name(update: Update, context: Ctx) -> str | int:
    message = update.effective_message
    assert message is not None
    name = " ".join((message.text or "").split())
    if not name:
        await _say(update, context, context.t("What is the working group's name?"))
        return GROUP_NAME
    if len(name) > GROUP_MAX:
        await _say(update, context, _too_long(context, GROUP_MAX, name))
        return GROUP_NAME
    axis_id = _draft(context).get("group_axis")
    if axis_id is None or not await allowed(update, context, "coordinator", axis_id):
        return ConversationHandler.END
    now = context.now()
    member_id = context.member.id if context.member else None
    group_id = await context.services.repos.events.create_group(axis_id, name, member_id, now)
    if group_id is None:
        await _say(
            update,
            context,
            context.t("That axis already has a group with that name. Choose another name."),
        )
        return GROUP_NAME
    await context.services.repos.audit.record(
        now, member_id, "group.create", "working_group", group_id, name=name
    )
    await _say(
        update,
        context,
        context.t("✅ Working group {name} created. Members join it from /groups.", name=name),
    )
    return ConversationHandler.END


# --- leaving, wrong input, registration ----------------------------------------------------------


async def cancel(update: Update, context: Ctx) -> int:
    assert context.user_data is not None
    context.user_data.pop("ev", None)
    if update.callback_query is not None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_reply_markup(None)
    _ = context.t
    await _say(update, context, _("Cancelled; nothing was published or changed."), menu.keyboard(_))
    return ConversationHandler.END


async def busy(update: Update, context: Ctx) -> None:
    await _say(
        update,
        context,
        context.t("You are in the middle of a form. Finish it or send /cancel first."),
    )


def _cb(*parts: str) -> Any:
    return callbacks.pattern("ef", *parts)


def _step(*handlers: BaseHandler[Update, Ctx, Any]) -> list[BaseHandler[Update, Ctx, Any]]:
    return forms.step("ef", cancel, *handlers, busy=busy, busy_commands=("newevent", "newgroup"))


def conversation() -> ConversationHandler[Ctx]:
    private = filters.ChatType.PRIVATE
    text = menu.TYPED  # a main-menu tap is not an answer
    event_button = r"(\d+)"
    states: dict[object, list[BaseHandler[Update, Ctx, Any]]] = {
        AXIS: _step(CallbackQueryHandler(chose_axis, _cb("ax", r"(\d+)"))),
        KIND: _step(CallbackQueryHandler(chose_kind, _cb("kind", "(event|meeting)"))),
        GROUP: _step(CallbackQueryHandler(chose_group, _cb("grp", r"(\d+)"))),
        TITLE: _step(MessageHandler(text, typed_title)),
        DESCRIPTION: _step(
            MessageHandler(text, typed_description),
            CallbackQueryHandler(skipped_description, _cb("nodesc")),
        ),
        WHEN: _step(MessageHandler(text, typed_when)),
        DURATION: _step(
            MessageHandler(text, typed_duration),
            CallbackQueryHandler(tapped_duration, _cb("dur", r"(\d+)")),
        ),
        PLACE: _step(MessageHandler(text, typed_place)),
        CAPACITY: _step(
            MessageHandler(text, typed_capacity), CallbackQueryHandler(no_capacity, _cb("nocap"))
        ),
        REPEAT: _step(
            CallbackQueryHandler(chose_repeat, _cb("rep", "(once|weekly|biweekly|monthly_weekday)"))
        ),
        PREVIEW: _step(CallbackQueryHandler(publish, _cb("pub"))),
        MOVE: _step(MessageHandler(text, typed_move)),
        NEW_PLACE: _step(MessageHandler(text, typed_new_place)),
        EDIT_FIELD: _step(CallbackQueryHandler(chose_edit_field, _cb("edf", "(title|desc|cap)"))),
        EDIT_VALUE: _step(MessageHandler(text, typed_edit_value)),
        CONFIRM_CANCEL: _step(
            CallbackQueryHandler(confirmed_cancel, _cb("cx", r"(\d+)")),
            CallbackQueryHandler(kept, _cb("keep")),
        ),
        GROUP_AXIS: _step(CallbackQueryHandler(group_axis, _cb("gax", r"(\d+)"))),
        GROUP_NAME: _step(MessageHandler(text, group_name)),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # per_message=False: the form follows the person
        return ConversationHandler(
            entry_points=[
                CommandHandler("newevent", start, filters=private),
                CommandHandler("newgroup", start_group, filters=private),
                CallbackQueryHandler(ask_move, callbacks.pattern("ev", event_button, "rs")),
                CallbackQueryHandler(ask_place, callbacks.pattern("ev", event_button, "pl")),
                CallbackQueryHandler(ask_cancel, callbacks.pattern("ev", event_button, "cx")),
                CallbackQueryHandler(ask_edit, callbacks.pattern("ev", event_button, "ed")),
            ],
            states=states,
            fallbacks=[CommandHandler("cancel", cancel)],
            name="event_form",
            persistent=True,
            allow_reentry=True,
        )
