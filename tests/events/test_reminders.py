"""Reminders: the first pass at start-up, only the reminders that still make sense when an
event is published or moved at short notice, and who says Going after a reminder went out
still getting it, once."""

from __future__ import annotations

import asyncio
import re

from bot.context import Ctx
from tests.events.test_events import _coordinator, _create
from tests.factories import add_member
from tests.harness import Harness, Person

REMINDERS = (
    "SELECT count(*) FROM broadcasts WHERE kind = 'event_reminder' AND status <> 'cancelled'"
)


async def _tick(harness: Harness, **delta: float) -> dict[int, list[str]]:
    """Move the clock, run the reminder job once, send what it queued: texts per chat."""
    harness.clock.advance(**delta)
    assert harness.app is not None and harness.app.job_queue is not None
    job = harness.app.job_queue.get_jobs_by_name("event-reminders")[0]
    await job.callback(Ctx.from_job(job, harness.app))  # type: ignore[arg-type]
    sent: dict[int, list[str]] = {}
    for call in (await harness.drain()).messages:
        sent.setdefault(call.chat_id, []).append(call.text)
    return sent


async def _answer(person: Person, event_id: int, answer: str = "go") -> None:
    """Tap an answer on the card of this event in the person's chat."""
    data = f"ev:{event_id}:{answer}"
    for message in reversed(person.inbox()):
        buttons = message.get("reply_markup", {}).get("inline_keyboard", [])
        if any(b.get("callback_data") == data for row in buttons for b in row):
            replies = await person.tap_data(data, message)
            assert replies.alerts, replies.calls
            return
    raise AssertionError(f"no card of event {event_id} in the chat of {person.id}")


async def test_a_reminder_due_while_the_bot_was_stopped_goes_out_at_start_up(
    harness: Harness,
) -> None:
    await add_member(harness.db, 101)
    cora = await _coordinator(harness)
    await _create(harness, cora, "26/11 18:00")  # 2 days and 8 hours ahead
    await harness.drain()
    await harness.person(user_id=101).tap("✅ Asistiré")
    await harness.stop()
    harness.clock.advance(hours=32, minutes=30)  # 23 h 30 min before: its reminder is due
    await harness.start()
    # No tick and no minute of waiting: the job's first pass runs as the scheduler starts.
    for _ in range(150):
        if await harness.db.fetchval(REMINDERS):
            break
        await asyncio.sleep(0.02)
    sent = [c for c in (await harness.drain()).messages if c.chat_id == 101]
    assert len(sent) == 1 and sent[0].text.startswith("⏰ Recordatorio: Foro de innovación")


async def test_published_at_short_notice_only_the_reminders_that_still_make_sense(
    harness: Harness,
) -> None:
    await add_member(harness.db, 101)
    cora = await _coordinator(harness)
    three_hours = await _create(harness, cora, "24/11 13:00")  # now is 10:00 local
    half_hour = await _create(harness, cora, "24/11 10:30")
    await harness.drain()
    ana = harness.person(user_id=101)
    await _answer(ana, three_hours)
    await _answer(ana, half_hour)
    assert await _tick(harness) == {}  # no "24 h" reminder three hours before
    assert await _tick(harness, minutes=20) == {}  # nor anything ten minutes before
    assert await _tick(harness, minutes=40) == {}  # half an hour: the first has started
    sent = await _tick(harness, hours=1, minutes=1)  # 59 minutes before the second
    assert list(sent) == [101] and len(sent[101]) == 1
    assert "empieza en una hora" in sent[101][0]
    assert await _tick(harness, minutes=30) == {}
    unsent = await harness.db.fetchall(
        "SELECT b.event_id, b.dedup_key, count(d.id) FROM broadcasts b"
        " LEFT JOIN deliveries d ON d.broadcast_id = b.id"
        " WHERE b.kind = 'event_reminder' AND b.status = 'cancelled' GROUP BY b.id ORDER BY 1, 2"
    )
    assert [(r[0], r[1].rsplit(":", 1)[1], r[2]) for r in unsent] == [
        (three_hours, "24h", 0),
        (half_hour, "1h", 0),
        (half_hour, "24h", 0),
    ]


async def test_an_event_moved_to_five_hours_ahead_gets_only_its_one_hour_reminder(
    harness: Harness,
) -> None:
    await add_member(harness.db, 101)
    cora = await _coordinator(harness)
    event_id = await _create(harness, cora, "28/11 18:00")
    await harness.drain()
    await _answer(harness.person(user_id=101), event_id)
    await cora.send(f"/start ev_{event_id}")
    await cora.tap("🕒 Mover")
    await cora.send("24/11 15:00")  # five hours from now
    moved = await harness.drain()
    assert [c.chat_id for c in moved.messages if c.chat_id == 101] == [101]  # the news only
    assert await _tick(harness) == {}
    assert await _tick(harness, hours=3) == {}
    sent = await _tick(harness, hours=1, minutes=1)
    assert len(sent[101]) == 1 and "empieza en una hora" in sent[101][0]


async def test_who_says_going_after_a_reminder_went_out_gets_it_once(harness: Harness) -> None:
    for user in (101, 102, 103):
        await add_member(harness.db, user)
    cora = await _coordinator(harness)
    event_id = await _create(harness, cora, "26/11 18:00")
    await harness.drain()
    ana, beto, caro = (harness.person(user_id=u) for u in (101, 102, 103))
    await _answer(ana, event_id)
    sent = await _tick(harness, hours=32, minutes=1)  # 23 h 59 min before
    assert list(sent) == [101]
    await _answer(beto, event_id)  # after the day-before reminder went out
    sent = await _tick(harness, minutes=1)
    assert list(sent) == [102] and sent[102][0].startswith("⏰ Recordatorio: Foro")
    await _answer(beto, event_id, "mb")
    await _answer(beto, event_id)  # Going again: not a second time
    assert await _tick(harness, minutes=1) == {}
    sent = await _tick(harness, hours=22, minutes=58)  # 59 minutes before
    assert sorted(sent) == [101, 102] and "empieza en una hora" in sent[101][0]
    harness.clock.advance(minutes=29)
    await _answer(caro, event_id)  # half an hour before: the hour's reminder, not the day's
    sent = await _tick(harness, minutes=1)
    assert list(sent) == [103] and len(sent[103]) == 1
    assert re.search(r"empieza en 2\d minutos", sent[103][0])  # the sender's pace takes seconds
    assert await _tick(harness, minutes=1) == {}
    harness.clock.advance(minutes=30)  # it started: nothing more, whatever is answered
    assert await _tick(harness, minutes=1) == {}
    rows = await harness.db.fetchall(
        "SELECT b.dedup_key, m.telegram_user_id FROM deliveries d"
        " JOIN broadcasts b ON b.id = d.broadcast_id JOIN members m ON m.id = d.member_id"
        " WHERE b.kind = 'event_reminder' ORDER BY 1, 2"
    )
    assert [(key.rsplit(":", 1)[1], user) for key, user in rows] == [
        ("1h", 101),
        ("1h", 102),
        ("1h", 103),
        ("24h", 101),
        ("24h", 102),
    ]


async def test_a_seat_freed_after_the_reminder_brings_it_to_who_moves_up(
    harness: Harness,
) -> None:
    for user in (101, 102):
        await add_member(harness.db, user)
    cora = await _coordinator(harness)
    event_id = await _create(harness, cora, "26/11 18:00", capacity="1")
    await harness.drain()
    ana, beto = harness.person(user_id=101), harness.person(user_id=102)
    await _answer(ana, event_id)
    await _answer(beto, event_id)  # full: waits
    assert list(await _tick(harness, hours=32, minutes=1)) == [101]
    await _answer(ana, event_id, "no")  # Beto moves up (and is told at once)
    await harness.drain()
    sent = await _tick(harness, minutes=1)
    assert list(sent) == [102] and sent[102][0].startswith("⏰ Recordatorio")
