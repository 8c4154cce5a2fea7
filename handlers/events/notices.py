"""What the outbox sends about events: the announcement of a new event (to its axis's members
or its group's, and to the axis's forum topic), the news of a change to everyone who answered,
and the reminders a day and an hour before; each rendered for its recipient when it is sent.
Also where the renderers and the deep links to a card and to check in are registered.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta

from bot import deeplinks, notices
from bot.context import Ctx
from bot.notices import Notice, Rendered
from handlers.events.attendance import check_in_by_link
from handlers.events.cards import card_buttons, card_text, open_by_link
from storage.audience import Audience, Recipient
from storage.repositories.events.events import Event

REMINDERS = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))


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
        + card_text(notice.t, event, counts, now=now, reader=notice.reader, personal=personal)
    )
    return Rendered(text, card_buttons(notice.t, event, now=now))


async def render_update(notice: Notice) -> Rendered | None:
    services = notice.services
    event = await services.repos.events.get(notice.event_id or 0)
    if event is None:
        return None
    t, reader = notice.t, notice.reader
    details = json.loads(notice.text)
    when = reader.show(event.starts_at)
    if details["change"] == "cancelled":
        text = t("❌ <b>{title}</b> ({when}) was cancelled.", title=event.title, when=when)
        return Rendered(text)
    if details["change"] == "moved":
        old = reader.show(datetime.fromisoformat(details["old"]))
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
    card = card_text(t, event, counts, now=services.clock(), reader=reader, answer=answer)
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
    t = notice.t
    when = notice.reader.show(event.starts_at)
    minutes = int((event.starts_at - services.clock()).total_seconds() // 60)
    if details["lead"] == "1h" and minutes < 50:  # late: said Going since, or the bot was down
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


def _reminder_key(event_id: int, starts_at: datetime, lead: str) -> str:
    """One reminder per event, start time and lead: a moved event gets new ones."""
    return f"rem:{event_id}:{starts_at.isoformat()}:{lead}"


def _reminder_text(starts_at: datetime, lead: str) -> str:
    return json.dumps({"for": starts_at.isoformat(), "lead": lead})


async def settle_reminders(context: Ctx, starts: Iterable[tuple[int, datetime]]) -> None:
    """An event was published or moved (event id, new start): the reminders whose lead time
    has already passed make no sense any more (an event three hours ahead gets only its
    one-hour reminder; half an hour ahead, none: the announcement or the news of the move
    says when). They are recorded as not sent, so the reminder job never queues them.

    Call it in the same transaction as the change of start, so that the job cannot see
    the new start without these records.
    """
    services = context.services
    now = context.now()
    for event_id, starts_at in starts:
        for lead, delta in REMINDERS:
            if starts_at - delta > now:
                continue  # its time is still to come: the job queues it then
            await services.repos.outbox.settle_unsent(
                kind="event_reminder",
                text=_reminder_text(starts_at, lead),
                now=now,
                audience=Audience(kind="event", ids=(event_id,), answers=("going",)),
                dedup_key=_reminder_key(event_id, starts_at, lead),
                event_id=event_id,
            )


async def remind_due(context: Ctx) -> int:
    """Queue the reminders that are due now (job every minute; also at start-up).

    Each reminder has a key made of the event, its start and the lead time, so a restart
    never sends one twice and a moved event gets new reminders at its new time. A reminder
    already queued also reaches whoever said Going since (once each), until the next,
    shorter reminder takes over or the event starts. One settled as not sent when the
    event was published or moved at short notice (`settle_reminders`) stays unsent.
    """
    services = context.services
    outbox = services.repos.outbox
    now = services.clock()
    queued = 0
    for lead, delta in REMINDERS:
        # due: the start is within `delta` from now (and the later, shorter lead has not come)
        shorter = min((d for _, d in REMINDERS if d < delta), default=timedelta(0))
        for event in await services.repos.events.starting_between(now + shorter, now + delta):
            key = _reminder_key(event.id, event.starts_at, lead)
            status = await outbox.status_of(key)
            if status is not None:  # queued on an earlier minute, or settled as not sent
                queued += await outbox.include_newcomers(key, now) > 0
                continue
            broadcast = await outbox.enqueue(
                kind="event_reminder",
                text=_reminder_text(event.starts_at, lead),
                now=now,
                audience=Audience(kind="event", ids=(event.id,), answers=("going",)),
                event_id=event.id,
                dedup_key=key,
            )
            queued += broadcast is not None
    if queued:
        services.outbox_sender.wake()
    return queued


def register_notices_and_links() -> None:
    """The outbox sender renders these kinds of notice here; `?start=ev_…` opens a card and
    `?start=ci_…` checks in."""
    notices.register("event_announcement", render_announcement)
    notices.register("event_update", render_update)
    notices.register("event_reminder", render_reminder)
    deeplinks.register("ev", open_by_link)
    deeplinks.register("ci", check_in_by_link)
