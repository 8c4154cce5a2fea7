"""Telegram refusing where events meet it: a 429 on an edited card is waited out and the card
edited again; a person who blocked the bot (403) while their card is edited, or while the
reminder job's messages go out, is marked unreachable and nothing crashes; the job goes on."""

from __future__ import annotations

from tests.factories import add_member, axis_id
from tests.harness import Harness, Person

UNREACHABLE = "SELECT unreachable_since IS NOT NULL FROM members WHERE telegram_user_id = ?"


async def _event(harness: Harness, starts_at: str = "2026-11-26T00:00:00Z") -> int:
    """A published Innovation event (by default two days from now, 18:00 local)."""
    return await harness.db.execute(
        "INSERT INTO events (kind, axis_id, title, starts_at, ends_at, place, status)"
        " VALUES ('event', ?, 'Foro', ?, strftime('%Y-%m-%dT%H:%M:%SZ', ?, '+2 hours'),"
        " 'Sede CLIA', 'published')",
        (await axis_id(harness.db, "innovation"), starts_at, starts_at),
    )


async def _card(harness: Harness, user_id: int, event_id: int) -> Person:
    await add_member(harness.db, user_id)
    person = harness.person(user_id=user_id)
    await person.send(f"/start ev_{event_id}")
    return person


async def test_a_429_on_the_card_edit_is_waited_out_and_the_card_edited_again(
    harness: Harness,
) -> None:
    event_id = await _event(harness)
    ana = await _card(harness, 101, event_id)
    harness.api.fail(
        "editMessageText",
        chat_id=101,
        status=429,
        description="Too Many Requests: retry after 1",
        retry_after=1,
    )
    replies = await ana.tap("✅ Asistiré")
    edits = [c for c in replies.calls if c.method == "editMessageText"]
    assert [c.ok for c in edits] == [False, True]  # refused, waited out, edited again
    assert "Tu respuesta: ✅ Asistiré" in edits[-1].text
    assert await harness.db.fetchval("SELECT answer FROM rsvps") == "going"
    assert harness.errors == []


async def test_a_403_on_the_card_edit_is_no_crash(harness: Harness) -> None:
    event_id = await _event(harness)
    ana = await _card(harness, 101, event_id)
    harness.api.block(101)  # blocked the bot right after tapping
    replies = await ana.tap("✅ Asistiré")
    assert [c for c in replies.calls if c.method == "editMessageText" and c.ok] == []
    assert not [c for c in replies.calls if c.ok and c.chat_id == 101]  # no apology either
    assert await harness.db.fetchval("SELECT answer FROM rsvps") == "going"  # the answer stays
    assert await harness.db.fetchval(UNREACHABLE, (101,)) == 1
    assert harness.errors == []


async def test_the_reminder_job_meets_a_blocked_member_and_goes_on(harness: Harness) -> None:
    event_id = await _event(harness, "2026-11-25T16:30:00Z")  # 24 h 30 min from now
    ana = await _card(harness, 101, event_id)
    beto = await _card(harness, 102, event_id)
    await ana.tap("✅ Asistiré")
    await beto.tap("✅ Asistiré")
    harness.api.block(102)
    assert harness.app is not None and harness.app.job_queue is not None
    job = harness.app.job_queue.get_jobs_by_name("event-reminders")[0]

    async def tick(**delta: float) -> list[int]:
        harness.clock.advance(**delta)
        await job.run(harness.app)  # as the JobQueue runs it: failures reach the error handler
        delivered = await harness.drain()
        return sorted(c.chat_id for c in delivered.messages if c.chat_id in (101, 102))

    assert await tick(minutes=31) == [101]  # the 24 h reminder: Beto's is refused (403)
    assert await harness.db.fetchval(UNREACHABLE, (102,)) == 1
    statuses = await harness.db.fetchall(
        "SELECT m.telegram_user_id, d.status FROM deliveries d JOIN members m"
        " ON m.id = d.member_id ORDER BY m.telegram_user_id"
    )
    assert [tuple(r) for r in statuses] == [(101, "sent"), (102, "unreachable")]
    assert await tick(hours=23) == [101]  # the next run goes on: the 1 h reminder
    assert [c for c in harness.api.calls if c.chat_id == 102 and c.method == "sendMessage"][
        -1
    ].ok is False
    assert harness.errors == []
