"""/newevent, the coordinators' form to publish an event or a working-group meeting: axis,
kind, group, title, description, date and time, duration, place, capacity, repetition, a
preview of the card exactly as members will see it, and publishing (the announcement is
queued). Its steps are part of the one event form (form.py).

Every step that acts checks the role again, for the event's axis. The states' values are
stored with the persisted conversation: keep them.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from bot.auth import allowed, coordinator_scope
from bot.context import Ctx
from bot.labels import axis_name
from bot.validation import whole_number
from bot.when import WhenProblem, parse_local, series_starts
from handlers.core import confirm, forms, menu
from handlers.events.cards import card_buttons, card_text
from handlers.events.form_shared import (
    DESCRIPTION_MAX,
    PLACE_MAX,
    TITLE_MAX,
    form_button,
    form_draft,
    place_and_link,
    too_long,
)
from handlers.events.notices import announce, settle_reminders
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
_DURATION = re.compile(r"(?:(\d{1,2})\s*(?:h|hrs?|horas?|:))?\s*(\d{1,3})?\s*(?:min|m)?", re.I)


async def start(update: Update, context: Ctx) -> str | int:
    if not await allowed(update, context, "coordinator"):
        return ConversationHandler.END
    assert context.user_data is not None
    context.user_data["ev"] = {}
    _ = context.t
    scope = await coordinator_scope(context)
    rows = [
        [form_button(axis_name(_, a.code), "ax", a.id)]
        for a in await context.services.repos.reference.axes()
        if not scope or a.id in scope
    ]
    await forms.say(
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
    form_draft(context)["axis"] = axis_id
    _ = context.t
    rows = [
        [form_button(_.label("📅 A cluster event"), "kind", "event")],
        [form_button(_.label("👥 A working-group meeting"), "kind", "meeting")],
    ]
    await query.edit_message_text(_("What is it?"), reply_markup=InlineKeyboardMarkup(rows))
    return KIND


async def chose_kind(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    kind = query.data.split(":")[2]
    draft = form_draft(context)
    draft["kind"] = kind
    _ = context.t
    if kind == "meeting":
        groups = await context.services.repos.groups.groups(frozenset({draft["axis"]}))
        if not groups:
            await query.edit_message_text(
                _("This axis has no working groups yet. Create one with /newgroup, then try again.")
            )
            draft["kind"] = "event"
            return KIND
        rows = [[form_button(g.name[:60], "grp", g.id)] for g in groups]
        await query.edit_message_text(
            _("Which working group?"), reply_markup=InlineKeyboardMarkup(rows)
        )
        return GROUP
    await query.edit_message_text(_("📅 A cluster event."))
    await forms.say(update, context, _("What is its title?"))
    return TITLE


async def chose_group(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    group = await context.services.repos.groups.group(int(query.data.split(":")[2]))
    draft = form_draft(context)
    if group is None or group.axis_id != draft.get("axis"):
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return GROUP
    await query.answer()
    draft["group"] = group.id
    await query.edit_message_text(context.t("👥 Meeting of {group}.", group=group.name))
    await forms.say(update, context, context.t("What is its title?"))
    return TITLE


async def typed_title(update: Update, context: Ctx) -> str:
    text = (
        " ".join((update.effective_message.text or "").split()) if update.effective_message else ""
    )
    if not text:
        await forms.say(update, context, context.t("What is its title?"))
        return TITLE
    if len(text) > TITLE_MAX:
        await forms.say(update, context, too_long(context, TITLE_MAX, text))
        return TITLE
    form_draft(context)["title"] = text
    _ = context.t
    await forms.say(
        update,
        context,
        _("A short description (what, for whom, agenda)?"),
        InlineKeyboardMarkup([[form_button(_.label("Skip ⏭"), "nodesc")]]),
    )
    return DESCRIPTION


async def typed_description(update: Update, context: Ctx) -> str:
    message = update.effective_message
    assert message is not None
    text = (message.text or "").strip()
    if len(text) > DESCRIPTION_MAX:
        await forms.say(update, context, too_long(context, DESCRIPTION_MAX, text))
        return DESCRIPTION
    form_draft(context)["description"] = None if text == "-" else text  # "-": none, as in Edit
    return await _ask_when(update, context)


async def skipped_description(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    form_draft(context)["description"] = None
    return await _ask_when(update, context)


async def _ask_when(update: Update, context: Ctx) -> str:
    await forms.say(
        update,
        context,
        context.t(
            "🕒 When does it start? For example 28/11 18:00, 28/11/2026 18:00 or "
            "2026-11-28 18:00 ({zone}).",
            zone=context.reader.typing_zone_name(),
        ),
    )
    return WHEN


async def typed_when(update: Update, context: Ctx) -> str:
    message = update.effective_message
    assert message is not None
    moment = parse_local(message.text or "", now=context.now(), tz=context.reader.typing_zone)
    if isinstance(moment, WhenProblem):
        await forms.say(update, context, context.t(moment.message, **moment.values))
        return WHEN
    form_draft(context)["starts"] = moment.isoformat()
    _ = context.t
    rows = [
        [
            form_button(_.label("1 h"), "dur", 60),
            form_button(_.label("1 h 30 min"), "dur", 90),
            form_button(_.label("2 h"), "dur", 120),
            form_button(_.label("3 h"), "dur", 180),
        ]
    ]
    when = context.reader.show(moment)
    await forms.say(
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
        await forms.say(
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
    form_draft(context)["minutes"] = minutes
    await forms.say(
        update,
        context,
        context.t("📍 Where? Write the place, or paste the online link (https://…)."),
    )
    return PLACE


async def typed_place(update: Update, context: Ctx) -> str:
    message = update.effective_message
    assert message is not None
    text = (message.text or "").strip()
    if len(text) > PLACE_MAX:
        await forms.say(update, context, too_long(context, PLACE_MAX, text))
        return PLACE
    place, url = place_and_link(text)
    draft = form_draft(context)
    draft["place"], draft["url"] = place, url
    _ = context.t
    await forms.say(
        update,
        context,
        _("👥 Is there a limit of seats? Write the number, or tap No limit."),
        InlineKeyboardMarkup([[form_button(_.label("No limit"), "nocap")]]),
    )
    return CAPACITY


async def typed_capacity(update: Update, context: Ctx) -> str:
    message = update.effective_message
    assert message is not None
    text = (message.text or "").strip()
    if text == "-":  # as in Edit: no limit
        form_draft(context)["capacity"] = None
        return await _ask_repeat(update, context)
    seats = whole_number(text)
    if seats is None or not 1 <= seats <= 10_000:
        await forms.say(
            update,
            context,
            context.t("Write a whole number of seats between 1 and 10000, or tap No limit."),
        )
        return CAPACITY
    form_draft(context)["capacity"] = seats
    return await _ask_repeat(update, context)


async def no_capacity(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    form_draft(context)["capacity"] = None
    return await _ask_repeat(update, context)


async def _ask_repeat(update: Update, context: Ctx) -> str:
    draft = form_draft(context)
    if draft.get("kind") != "meeting":
        draft["rule"] = None
        return await _preview(update, context)
    _ = context.t
    rows = [
        [form_button(_.label("Only once"), "rep", "once")],
        [form_button(_.label("Every week"), "rep", "weekly")],
        [form_button(_.label("Every two weeks"), "rep", "biweekly")],
        [form_button(_.label("Every month, same weekday"), "rep", "monthly_weekday")],
    ]
    await forms.say(update, context, _("🔁 Does the meeting repeat?"), InlineKeyboardMarkup(rows))
    return REPEAT


async def chose_repeat(update: Update, context: Ctx) -> str:
    rule = await forms.take_choice(update)
    form_draft(context)["rule"] = None if rule == "once" else rule
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
    draft = form_draft(context)
    new = _new_event(context, draft)
    repos = context.services.repos
    codes = {a.id: a.code for a in await repos.reference.axes()}
    group = await repos.groups.group(new.group_id) if new.group_id else None
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
    reader = context.reader
    card = card_text(_, sample, Counts(), now=now, reader=reader, personal=False)
    await context.bot.send_message(
        forms.chat_of(update),
        card,
        reply_markup=card_buttons(_, sample, now=now),
        disable_web_page_preview=True,
    )
    lines = [_("👆 This is how members will see it.")]
    if new.occurrences:
        dates = _.join(reader.show(d) for d in new.occurrences)
        lines.append(_("🔁 Also on: {dates}", dates=dates))
    key = confirm.draft_key(draft)
    rows = [
        [form_button(_.label("📣 Publish"), "pub", key), form_button(_.label("✖ Cancel"), "x")]
    ]
    await forms.say(update, context, "\n".join(lines), InlineKeyboardMarkup(rows))
    return PREVIEW


async def publish(update: Update, context: Ctx) -> str | int | None:
    """📣 Publish: the event (or the series) is created once, announced, audited."""
    query = update.callback_query
    assert query is not None
    draft = form_draft(context)
    key = confirm.key_of(update)
    if draft.get("key") != key or "minutes" not in draft:
        await published_before(update, context)
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
    member_id = context.member.id if context.member else None
    async with context.services.db.transaction():  # the events and their reminders, together
        ids = await context.services.repos.events.create(new, member_id, now, confirmation=key)
        if ids is not None:
            starts = (new.starts_at, *new.occurrences)
            await settle_reminders(context, zip(ids, starts, strict=True))
    assert context.user_data is not None
    context.user_data.pop("ev", None)
    if ids is None:  # this very draft was published by an earlier tap (before a restart)
        await published_before(update, context)
        return ConversationHandler.END
    await query.answer()
    await query.edit_message_reply_markup(None)
    await announce(context, ids, member_id)
    _ = context.t
    link = f"https://t.me/{context.bot.username}?start=ev_{ids[0]}"
    await forms.say(
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


async def published_before(update: Update, context: Ctx) -> None:
    """📣 Publish of a draft that is gone (a double tap, an old preview): what it published,
    as the database says; or, if it published nothing, that it expired."""
    await confirm.replayed(
        update,
        context,
        lambda t, number: t.label("This event was already published as #{number}.", number=number),
    )
