"""Changing a published event from the buttons of its card (coordinators of its axis): move
it to a new date and time, give it a new place or online link, edit its title, description
or capacity (seats freed go to the waiting list), or cancel it. A meeting of a series asks
first whether the change is for that one only or for it and the following ones (moved by
the same change of local date and time, each keeping its own date). Everyone who answered
an occurrence that changed is told, once per occurrence, with that occurrence's card.
These steps are part of the one event form (form.py).

The states' values are stored with the persisted conversation: keep them.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from bot.auth import allowed
from bot.context import Ctx
from bot.validation import whole_number
from bot.when import WhenProblem, parse_local, shifted_like
from handlers.core import confirm, forms
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
from handlers.events.notices import settle_reminders, tell_answered
from storage.repositories.events.events import Event

MOVE, NEW_PLACE, CONFIRM_CANCEL = "ev_move", "ev_new_place", "ev_confirm_cancel"
EDIT_FIELD, EDIT_VALUE = "ev_edit_field", "ev_edit_value"
SCOPE = "ev_scope"  # a meeting of a series: only this one, or this and the following ones
ONE, FOLLOWING = "one", "following"


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


async def _begin(update: Update, context: Ctx, action: str) -> str | None:
    """A staff button of the card: for a meeting with later occurrences, which ones first."""
    event = await _managed_event(update, context)
    if event is None:
        return None
    following = await context.services.repos.events.following(event)
    if not following:
        return await _PROMPTS[action](update, context, event)
    form_draft(context)["then"] = action
    _ = context.t
    when = context.reader.show(event.starts_at)
    rows = [
        [form_button(_.label("Only this one"), "scope", ONE)],
        [form_button(_.label("This and the following ones"), "scope", FOLLOWING)],
    ]
    text = _._n(
        "🔁 <b>{title}</b> ({when}) is part of a series: {count} more meeting follows. "
        "Change only this one, or this one and the following?",
        "🔁 <b>{title}</b> ({when}) is part of a series: {count} more meetings follow. "
        "Change only this one, or this one and the following?",
        len(following),
        title=event.title,
        when=when,
    )
    await forms.say(update, context, text, InlineKeyboardMarkup(rows))
    return SCOPE


async def chose_scope(update: Update, context: Ctx) -> str | int | None:
    query = update.callback_query
    assert query is not None
    draft = form_draft(context)
    event = await context.services.repos.events.get(draft.get("edit", 0))
    action = draft.get("then")
    if event is None or event.status != "published" or action not in _PROMPTS:
        await query.answer(context.t.label("This event can no longer be changed."), show_alert=True)
        await query.edit_message_reply_markup(None)
        return ConversationHandler.END
    if not await allowed(update, context, "coordinator", event.axis_id):
        return None
    draft["scope"] = await forms.take_choice(update)
    return await _PROMPTS[action](update, context, event)


async def _targets(context: Ctx, event: Event) -> list[Event]:
    """What the change applies to: the event, and with "this and the following ones" the
    later occurrences of its series (as they are now)."""
    if form_draft(context).get("scope") != FOLLOWING:
        return [event]
    return [event, *await context.services.repos.events.following(event)]


def _also_following(context: Ctx, count: int) -> str:
    """The line saying the change applies to the following meetings too (empty: none)."""
    if not count:
        return ""
    return "\n" + context.t._n(
        "🔁 Also {count} following meeting.", "🔁 Also the {count} following meetings.", count
    )


async def _changeable(update: Update, context: Ctx) -> Event | None:
    """At a typed step: the event being changed, still published, and the caller still
    allowed to change it (else the form ends, saying why)."""
    event = await context.services.repos.events.get(form_draft(context).get("edit", 0))
    if event is None or event.status != "published":
        await forms.say(update, context, context.t("This event can no longer be changed."))
        return None
    if not await allowed(update, context, "coordinator", event.axis_id):
        return None
    return event


async def ask_move(update: Update, context: Ctx) -> str | None:
    return await _begin(update, context, "move")


async def _prompt_move(update: Update, context: Ctx, event: Event) -> str:
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
    event = await _changeable(update, context)
    if event is None:
        return ConversationHandler.END
    now = context.now()
    tz = context.services.settings.tz  # series keep their local time in Aguascalientes
    moment = parse_local(message.text or "", now=now, tz=context.reader.typing_zone)
    if isinstance(moment, WhenProblem):
        await forms.say(update, context, context.t(moment.message, **moment.values))
        return MOVE
    services = context.services
    repos = services.repos
    targets = await _targets(context, event)
    moves = [(event.id, moment)] + [
        (later.id, shifted_like(later.starts_at, event.starts_at, moment, tz=tz))
        for later in targets[1:]
    ]
    async with services.db.transaction():  # the new starts and their reminders, together
        await repos.events.reschedule(moves, now)
        await settle_reminders(context, moves)
    member_id = context.member.id if context.member else None
    for target, (_id, start) in zip(targets, moves, strict=True):
        await repos.audit.record(
            now, member_id, "event.move", "event", target.id, starts=start.isoformat()
        )
        await tell_answered(context, target, "moved", old=target.starts_at)
    _ = context.t
    text = _(
        "✅ Moved to {when}. Everyone who answered is being told.",
        when=context.reader.show(moment),
    )
    if len(moves) > 1:
        dates = _.join(context.reader.show_short(start) for _i, start in moves[1:])
        text += "\n" + _._n(
            "🔁 {count} following meeting too, by the same change: {dates}",
            "🔁 The {count} following meetings too, by the same change: {dates}",
            len(moves) - 1,
            dates=dates,
        )
    await forms.say(update, context, text)
    return ConversationHandler.END


async def ask_place(update: Update, context: Ctx) -> str | None:
    return await _begin(update, context, "place")


async def _prompt_place(update: Update, context: Ctx, event: Event) -> str:
    await forms.say(
        update,
        context,
        context.t("📍 New place or online link for <b>{title}</b>?", title=event.title),
    )
    return NEW_PLACE


async def typed_new_place(update: Update, context: Ctx) -> str | int:
    message = update.effective_message
    assert message is not None
    event = await _changeable(update, context)
    if event is None:
        return ConversationHandler.END
    text = (message.text or "").strip()
    if len(text) > PLACE_MAX:
        await forms.say(update, context, too_long(context, PLACE_MAX, text))
        return NEW_PLACE
    place, url = place_and_link(text)
    now = context.now()
    repos = context.services.repos
    targets = await _targets(context, event)
    await repos.events.set_place([t.id for t in targets], place, url, now)
    member_id = context.member.id if context.member else None
    for target in targets:
        await repos.audit.record(now, member_id, "event.place", "event", target.id)
        await tell_answered(context, target, "place")
    await forms.say(
        update,
        context,
        context.t("✅ Place changed. Everyone who answered is being told.")
        + _also_following(context, len(targets) - 1),
    )
    return ConversationHandler.END


async def ask_edit(update: Update, context: Ctx) -> str | None:
    return await _begin(update, context, "edit")


async def _prompt_edit(update: Update, context: Ctx, event: Event) -> str:
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
    event = await _changeable(update, context)
    if event is None:
        return ConversationHandler.END
    field = form_draft(context).get("field")
    if field == "cap":
        return await _typed_capacity_change(update, context, event, (message.text or "").strip())
    text = (message.text or "").strip()
    if field == "title":
        text = " ".join(text.split())
        if not text or len(text) > TITLE_MAX:
            await forms.say(update, context, too_long(context, TITLE_MAX, text))
            return EDIT_VALUE
    elif len(text) > DESCRIPTION_MAX:
        await forms.say(update, context, too_long(context, DESCRIPTION_MAX, text))
        return EDIT_VALUE
    repos, now = context.services.repos, context.now()
    targets = await _targets(context, event)
    ids = [t.id for t in targets]
    if field == "title":
        await repos.events.set_title(ids, text, now)
    else:
        await repos.events.set_description(ids, None if text in ("", "-") else text, now)
    member_id = context.member.id if context.member else None
    for target in targets:
        await repos.audit.record(now, member_id, "event.edit", "event", target.id, field=field)
        await tell_answered(context, target, "details")
    await forms.say(
        update,
        context,
        context.t("✅ Saved. Everyone who answered is being told.")
        + _also_following(context, len(targets) - 1),
    )
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
    member_id = context.member.id if context.member else None
    targets = await _targets(context, event)
    promoted: list[int] = []
    for target in targets:
        freed = await repos.events.set_capacity(target.id, capacity, now)
        await repos.audit.record(
            now, member_id, "event.capacity", "event", target.id, capacity=capacity
        )
        for promoted_id in freed:
            await tell_promoted(context, target, promoted_id)
        promoted += freed
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
    await forms.say(update, context, "\n".join(lines) + _also_following(context, len(targets) - 1))
    return ConversationHandler.END


async def ask_cancel(update: Update, context: Ctx) -> str | None:
    return await _begin(update, context, "cancel")


async def _prompt_cancel(update: Update, context: Ctx, event: Event) -> str:
    _ = context.t
    rows = [
        [
            form_button(_.label("❌ Yes, cancel it"), "cx", event.id),
            form_button(_.label("◀ No, keep it"), "keep"),
        ]
    ]
    following = len(await _targets(context, event)) - 1
    question = (
        _._n(
            "Cancel <b>{title}</b> and {count} following meeting? Everyone who answered will be "
            "told.",
            "Cancel <b>{title}</b> and the {count} following meetings? Everyone who answered "
            "will be told.",
            following,
            title=event.title,
        )
        if following
        else _("Cancel <b>{title}</b>? Everyone who answered will be told.", title=event.title)
    )
    await forms.say(update, context, question, InlineKeyboardMarkup(rows))
    return CONFIRM_CANCEL


async def confirmed_cancel(update: Update, context: Ctx) -> str | int | None:
    """❌ Yes, cancel it: the event is cancelled once (decided by the database), who answered
    told once; a second tap, or a second coordinator's, hears that it is cancelled already."""
    query = update.callback_query
    assert query is not None and query.data is not None
    event = await context.services.repos.events.get(int(query.data.split(":")[2]))
    if event is None or event.id != form_draft(context).get("edit"):
        await cancelled_before(update, context)
        return None
    if not await allowed(update, context, "coordinator", event.axis_id):
        return None
    now = context.now()
    targets = await _targets(context, event)  # with "this and the following ones"
    assert context.user_data is not None
    context.user_data.pop("ev", None)
    # The tapped event decides whether this tap acts (the database says if it was still
    # published); the following ones are cancelled each once too.
    if not await context.services.repos.events.cancel(event.id, now):
        await confirm.already_done(update, context, _already_cancelled(context))
        return ConversationHandler.END
    await query.answer()
    await query.edit_message_reply_markup(None)
    member_id = context.member.id if context.member else None
    for target in targets:
        if target.id == event.id or await context.services.repos.events.cancel(target.id, now):
            await context.services.repos.audit.record(
                now, member_id, "event.cancel", "event", target.id
            )
            await tell_answered(context, target, "cancelled")
    await forms.say(
        update,
        context,
        context.t(
            "❌ <b>{title}</b> is cancelled. Everyone who answered is being told.",
            title=event.title,
        )
        + _also_following(context, len(targets) - 1),
    )
    return ConversationHandler.END


async def cancelled_before(update: Update, context: Ctx) -> None:
    """❌ Yes, cancel it after its form ended (a double tap, an old message): the event is
    cancelled already, or the button has expired."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return
    event = await context.services.repos.events.get(int(query.data.split(":")[2]))
    if event is not None and event.status == "cancelled":
        await confirm.already_done(update, context, _already_cancelled(context))
        return
    await confirm.expired(update, context)


def _already_cancelled(context: Ctx) -> str:
    return context.t.label("This event is already cancelled; everyone who answered was told.")


async def kept(update: Update, context: Ctx) -> int:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    await forms.say(update, context, context.t("Nothing changed."))
    return ConversationHandler.END


_PROMPTS = {
    "move": _prompt_move,
    "place": _prompt_place,
    "edit": _prompt_edit,
    "cancel": _prompt_cancel,
}
