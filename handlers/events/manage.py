"""Changing a published event from the buttons of its card (coordinators of its axis): move
it to a new date and time, give it a new place or online link, edit its title, description
or capacity (seats freed go to the waiting list), or cancel it. Everyone who answered is
told. These steps are part of the one event form (form.py).

The states' values are stored with the persisted conversation: keep them.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from bot.auth import allowed
from bot.context import Ctx
from bot.validation import whole_number
from bot.when import WhenProblem, parse_local
from handlers.core import forms
from handlers.events.answers import tell_promoted
from handlers.events.form_shared import (
    DESCRIPTION_MAX,
    PLACE_MAX,
    TITLE_MAX,
    form_button,
    form_draft,
    place_and_link,
    too_long,
)
from handlers.events.notices import tell_answered
from storage.repositories.events.events import Event

MOVE, NEW_PLACE, CONFIRM_CANCEL = "ev_move", "ev_new_place", "ev_confirm_cancel"
EDIT_FIELD, EDIT_VALUE = "ev_edit_field", "ev_edit_value"


async def _managed_event(update: Update, context: Ctx) -> Event | None:
    """The published event a card's staff button names, if the tapper may change it; the
    form remembers it for the next step."""
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
    await forms.say(
        update,
        context,
        context.t(
            "🕒 New date and time for <b>{title}</b>? For example 28/11 18:00 ({zone}).",
            title=event.title,
            zone=context.reader.typing_zone_name(),
        ),
    )
    return MOVE


async def typed_move(update: Update, context: Ctx) -> str | int:
    message = update.effective_message
    assert message is not None
    event = await context.services.repos.events.get(form_draft(context).get("edit", 0))
    if event is None or not await allowed(update, context, "coordinator", event.axis_id):
        return ConversationHandler.END
    now = context.now()
    moment = parse_local(message.text or "", now=now, tz=context.reader.typing_zone)
    if isinstance(moment, WhenProblem):
        await forms.say(update, context, context.t(moment.message, **moment.values))
        return MOVE
    repos = context.services.repos
    await repos.events.reschedule(event.id, moment, now)
    member_id = context.member.id if context.member else None
    await repos.audit.record(
        now, member_id, "event.move", "event", event.id, starts=moment.isoformat()
    )
    await tell_answered(context, event, "moved", old=event.starts_at)
    _ = context.t
    when = context.reader.show(moment)
    await forms.say(
        update, context, _("✅ Moved to {when}. Everyone who answered is being told.", when=when)
    )
    return ConversationHandler.END


async def ask_place(update: Update, context: Ctx) -> str | None:
    event = await _managed_event(update, context)
    if event is None:
        return None
    await forms.say(
        update,
        context,
        context.t("📍 New place or online link for <b>{title}</b>?", title=event.title),
    )
    return NEW_PLACE


async def typed_new_place(update: Update, context: Ctx) -> str | int:
    message = update.effective_message
    assert message is not None
    event = await context.services.repos.events.get(form_draft(context).get("edit", 0))
    if event is None or not await allowed(update, context, "coordinator", event.axis_id):
        return ConversationHandler.END
    text = (message.text or "").strip()
    if len(text) > PLACE_MAX:
        await forms.say(update, context, too_long(context, PLACE_MAX, text))
        return NEW_PLACE
    place, url = place_and_link(text)
    now = context.now()
    await context.services.repos.events.set_place(event.id, place, url, now)
    member_id = context.member.id if context.member else None
    await context.services.repos.audit.record(now, member_id, "event.place", "event", event.id)
    await tell_answered(context, event, "place")
    await forms.say(
        update, context, context.t("✅ Place changed. Everyone who answered is being told.")
    )
    return ConversationHandler.END


async def ask_edit(update: Update, context: Ctx) -> str | None:
    event = await _managed_event(update, context)
    if event is None:
        return None
    _ = context.t
    rows = [
        [
            form_button(_.label("Title"), "edf", "title"),
            form_button(_.label("Description"), "edf", "desc"),
        ],
        [form_button(_.label("Capacity"), "edf", "cap")],
    ]
    await forms.say(
        update,
        context,
        _("✏️ What should change in <b>{title}</b>?", title=event.title),
        InlineKeyboardMarkup(rows),
    )
    return EDIT_FIELD


async def chose_edit_field(update: Update, context: Ctx) -> str:
    field = await forms.take_choice(update)
    form_draft(context)["field"] = field
    _ = context.t
    prompts = {
        "title": _("The new title?"),
        "desc": _("The new description? (Send - to remove it.)"),
        "cap": _("How many seats now? A whole number, or - for no limit."),
    }
    await forms.say(update, context, prompts[field])
    return EDIT_VALUE


async def typed_edit_value(update: Update, context: Ctx) -> str | int:
    """A new title or description (everyone who answered is told) or capacity (freed seats go
    to the waiting list, who are told)."""
    message = update.effective_message
    assert message is not None
    draft = form_draft(context)
    event = await context.services.repos.events.get(draft.get("edit", 0))
    if event is None or event.status != "published":
        await forms.say(update, context, context.t("This event can no longer be changed."))
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
            await forms.say(update, context, too_long(context, TITLE_MAX, text))
            return EDIT_VALUE
        title, description = text, event.description
    else:
        if len(text) > DESCRIPTION_MAX:
            await forms.say(update, context, too_long(context, DESCRIPTION_MAX, text))
            return EDIT_VALUE
        title, description = event.title, (None if text in ("", "-") else text)
    repos, now = context.services.repos, context.now()
    await repos.events.set_details(event.id, title, description, now)
    member_id = context.member.id if context.member else None
    await repos.audit.record(now, member_id, "event.edit", "event", event.id, field=field)
    await tell_answered(context, event, "details")
    await forms.say(update, context, context.t("✅ Saved. Everyone who answered is being told."))
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
        await forms.say(
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
    await forms.say(update, context, "\n".join(lines))
    return ConversationHandler.END


async def ask_cancel(update: Update, context: Ctx) -> str | None:
    event = await _managed_event(update, context)
    if event is None:
        return None
    _ = context.t
    rows = [
        [
            form_button(_.label("❌ Yes, cancel it"), "cx", event.id),
            form_button(_.label("◀ No, keep it"), "keep"),
        ]
    ]
    await forms.say(
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
    if event is None or event.id != form_draft(context).get("edit"):
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
    await forms.say(
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
    await forms.say(update, context, context.t("Nothing changed."))
    return ConversationHandler.END
