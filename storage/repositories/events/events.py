"""Events, working-group meetings and their series, answers (RSVP), waiting lists, attendance
and the community group's topics: the SQL behind the handlers/events package (working groups
themselves: groups.py)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from storage import audit_trail
from storage.database import Database
from storage.models import from_db_time, to_db_time

Answer = Literal["going", "maybe", "declined", "waitlisted"]
Rule = Literal["weekly", "biweekly", "monthly_weekday"]


@dataclass(frozen=True)
class Event:
    id: int
    kind: str
    axis_id: int
    axis_code: str
    group_id: int | None
    group_name: str | None
    series_id: int | None
    title: str
    description: str | None
    starts_at: datetime
    ends_at: datetime
    place: str | None
    online_url: str | None
    capacity: int | None
    status: str
    checkin_token: str | None

    def started(self, now: datetime) -> bool:
        return now >= self.starts_at


@dataclass(frozen=True)
class Counts:
    going: int = 0
    maybe: int = 0
    declined: int = 0
    waitlisted: int = 0
    checked_in: int = 0


@dataclass(frozen=True)
class RsvpResult:
    answer: Answer  # what was stored (going may become waitlisted)
    promoted: int | None  # a member moved up from the waiting list, to be told


@dataclass(frozen=True)
class NewEvent:
    kind: Literal["event", "meeting"]
    axis_id: int
    group_id: int | None
    title: str
    description: str | None
    starts_at: datetime
    ends_at: datetime
    place: str | None
    online_url: str | None
    capacity: int | None
    rule: Rule | None = None
    occurrences: tuple[datetime, ...] = ()  # a series' later starts (bot.when.series_starts)


@dataclass(frozen=True)
class Attendee:
    member_id: int
    full_name: str | None
    organization: str | None
    answer: str | None
    checked_in_at: datetime | None


_EVENT = (
    "SELECT e.id, e.kind, e.axis_id, a.code, e.group_id, g.name, e.series_id, e.title,"
    " e.description, e.starts_at, e.ends_at, e.place, e.online_url, e.capacity, e.status,"
    " e.checkin_token FROM events e JOIN axes a ON a.id = e.axis_id"
    " LEFT JOIN working_groups g ON g.id = e.group_id"
)


def _event(row: tuple[object, ...]) -> Event:
    values = list(row)
    values[9] = from_db_time(str(values[9]))
    values[10] = from_db_time(str(values[10]))
    return Event(*values)  # type: ignore[arg-type]


class EventRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- events ----------------------------------------------------------------------

    async def create(
        self, new: NewEvent, created_by: int | None, now: datetime, *, confirmation: str
    ) -> list[int] | None:
        """Publish the event (and a series' next occurrences) with its audit entry; their ids,
        first one first. None when this confirmation published it already: nothing is
        published again (see storage/audit_trail.py)."""
        stamp = to_db_time(now)
        starts = [new.starts_at, *new.occurrences]
        series_id = None
        duration = new.ends_at - new.starts_at
        async with self.db.transaction() as conn:
            if await audit_trail.confirmed(conn, confirmation) is not None:
                return None
            if new.rule is not None:
                cursor = await conn.execute(
                    "INSERT INTO event_series (rule, created_by, created_at) VALUES (?, ?, ?)",
                    (new.rule, created_by, stamp),
                )
                series_id = cursor.lastrowid
            ids = []
            for start in starts:
                cursor = await conn.execute(
                    "INSERT INTO events (kind, axis_id, group_id, series_id, title, description,"
                    " starts_at, ends_at, place, online_url, capacity, status, checkin_token,"
                    " created_by, created_at, updated_at, published_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'published', ?, ?, ?, ?, ?)",
                    (
                        new.kind,
                        new.axis_id,
                        new.group_id,
                        series_id,
                        new.title,
                        new.description,
                        to_db_time(start),
                        to_db_time(start + duration),
                        new.place,
                        new.online_url,
                        new.capacity,
                        secrets.token_urlsafe(12),
                        created_by,
                        stamp,
                        stamp,
                        stamp,
                    ),
                )
                ids.append(int(cursor.lastrowid or 0))
            await audit_trail.write(
                conn,
                now,
                created_by,
                "event.publish",
                "event",
                ids[0],
                title=new.title,
                occurrences=len(ids),
                confirmation=confirmation,
            )
        return ids

    async def get(self, event_id: int) -> Event | None:
        row = await self.db.fetchone(f"{_EVENT} WHERE e.id = ?", (event_id,))
        return _event(tuple(row)) if row else None

    async def by_checkin_token(self, token: str) -> Event | None:
        row = await self.db.fetchone(f"{_EVENT} WHERE e.checkin_token = ?", (token,))
        return _event(tuple(row)) if row else None

    async def upcoming(
        self, now: datetime, member_id: int | None = None, limit: int = 10
    ) -> list[Event]:
        """Published events not yet ended; with `member_id`, those of the member's axes and
        the meetings of their working groups."""
        params: list[object] = [to_db_time(now)]
        mine = ""
        if member_id is not None:
            mine = (
                " AND ((e.kind = 'event' AND e.axis_id IN (SELECT axis_id FROM member_axes"
                " WHERE member_id = ?)) OR e.group_id IN (SELECT group_id FROM"
                " working_group_members WHERE member_id = ?))"
            )
            params += [member_id, member_id]
        rows = await self.db.fetchall(
            f"{_EVENT} WHERE e.status = 'published' AND e.ends_at > ?{mine}"
            " ORDER BY e.starts_at LIMIT ?",
            [*params, limit],
        )
        return [_event(tuple(r)) for r in rows]

    async def answered(self, member_id: int, now: datetime) -> list[tuple[Event, str]]:
        """Upcoming events the member said Going or Maybe to (or waits for), with the answer."""
        rows = await self.db.fetchall(
            f"{_EVENT.replace('SELECT e.id', 'SELECT r.answer, e.id')}"
            " JOIN rsvps r ON r.event_id = e.id AND r.member_id = ?"
            " WHERE e.status = 'published' AND e.ends_at > ? AND r.answer <> 'declined'"
            " ORDER BY e.starts_at",
            (member_id, to_db_time(now)),
        )
        return [(_event(tuple(r)[1:]), str(r[0])) for r in rows]

    async def following(self, event: Event) -> list[Event]:
        """The published occurrences of the event's series that start after it, soonest first
        (none for an event outside a series)."""
        if event.series_id is None:
            return []
        rows = await self.db.fetchall(
            f"{_EVENT} WHERE e.series_id = ? AND e.status = 'published' AND e.starts_at > ?"
            " ORDER BY e.starts_at",
            (event.series_id, to_db_time(event.starts_at)),
        )
        return [_event(tuple(r)) for r in rows]

    async def meetings_ahead(self, group_id: int, now: datetime) -> list[Event]:
        """The group's published meetings that have not ended, soonest first."""
        rows = await self.db.fetchall(
            f"{_EVENT} WHERE e.group_id = ? AND e.status = 'published' AND e.ends_at > ?"
            " ORDER BY e.starts_at",
            (group_id, to_db_time(now)),
        )
        return [_event(tuple(r)) for r in rows]

    async def reschedule(self, moves: Sequence[tuple[int, datetime]], now: datetime) -> None:
        """New starts (event id, start), each event keeping its duration; all or none."""
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            await conn.executemany(
                "UPDATE events SET ends_at = strftime('%Y-%m-%dT%H:%M:%SZ', ?, '+' ||"
                " CAST(round((julianday(ends_at) - julianday(starts_at)) * 86400) AS INTEGER)"
                " || ' seconds'),"
                " starts_at = ?, updated_at = ? WHERE id = ?",
                [(to_db_time(s), to_db_time(s), stamp, event_id) for event_id, s in moves],
            )

    async def set_place(
        self, event_ids: Sequence[int], place: str | None, online_url: str | None, now: datetime
    ) -> None:
        await self.db.executemany(
            "UPDATE events SET place = ?, online_url = ?, updated_at = ? WHERE id = ?",
            [(place, online_url, to_db_time(now), i) for i in event_ids],
        )

    async def set_title(self, event_ids: Sequence[int], title: str, now: datetime) -> None:
        await self.db.executemany(
            "UPDATE events SET title = ?, updated_at = ? WHERE id = ?",
            [(title, to_db_time(now), i) for i in event_ids],
        )

    async def set_description(
        self, event_ids: Sequence[int], description: str | None, now: datetime
    ) -> None:
        await self.db.executemany(
            "UPDATE events SET description = ?, updated_at = ? WHERE id = ?",
            [(description, to_db_time(now), i) for i in event_ids],
        )

    async def set_capacity(self, event_id: int, capacity: int | None, now: datetime) -> list[int]:
        """A new capacity; seats it frees go to the waiting list in order (returned, to be told).

        A smaller capacity never takes a seat from someone already going: it only makes the
        next Going answers wait.
        """
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE events SET capacity = ?, updated_at = ? WHERE id = ?",
                (capacity, stamp, event_id),
            )
            ((going,),) = await conn.execute_fetchall(
                "SELECT count(*) FROM rsvps WHERE event_id = ? AND answer = 'going'", (event_id,)
            )
            free = -1 if capacity is None else max(0, capacity - int(going))
            rows = await conn.execute_fetchall(
                "SELECT member_id FROM rsvps WHERE event_id = ? AND answer = 'waitlisted'"
                " ORDER BY answered_at, member_id LIMIT ?",
                (event_id, free),
            )
            promoted = [int(r[0]) for r in rows]
            for member_id in promoted:
                await conn.execute(
                    "UPDATE rsvps SET answer = 'going', answered_at = ?"
                    " WHERE event_id = ? AND member_id = ?",
                    (stamp, event_id, member_id),
                )
            return promoted

    async def cancel(self, event_id: int, now: datetime) -> bool:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE events SET status = 'cancelled', cancelled_at = ?, updated_at = ?"
                " WHERE id = ? AND status = 'published'",
                (to_db_time(now), to_db_time(now), event_id),
            )
            return cursor.rowcount > 0

    # --- answers -----------------------------------------------------------------------

    async def counts(self, event_id: int) -> Counts:
        row = await self.db.fetchone(
            "SELECT going, maybe, declined, waitlisted, checked_in FROM v_event_attendance"
            " WHERE event_id = ?",
            (event_id,),
        )
        return Counts(*row) if row else Counts()

    async def answer_of(self, event_id: int, member_id: int) -> str | None:
        value = await self.db.fetchval(
            "SELECT answer FROM rsvps WHERE event_id = ? AND member_id = ?", (event_id, member_id)
        )
        return str(value) if value else None

    async def answer(
        self, event: Event, member_id: int, answer: Answer, now: datetime
    ) -> RsvpResult:
        """Store an answer; Going beyond capacity waits; a freed seat goes to the first waiting.

        The capacity and the count are read inside the transaction (a coordinator may have
        just changed the capacity): a seat is given only while fewer than capacity are going.
        """
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            ((capacity,),) = await conn.execute_fetchall(
                "SELECT capacity FROM events WHERE id = ?", (event.id,)
            )
            before = await self.db.fetchval(
                "SELECT answer FROM rsvps WHERE event_id = ? AND member_id = ?",
                (event.id, member_id),
            )
            stored: Answer = answer
            full = capacity is not None and await self._going(event.id) >= capacity
            if answer == "going" and before != "going" and full:
                stored = "waitlisted"
            if before == stored:
                return RsvpResult(stored, None)
            keep_place = before == "waitlisted" and stored == "waitlisted"
            await conn.execute(
                "INSERT INTO rsvps (event_id, member_id, answer, answered_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (event_id, member_id) DO UPDATE SET answer = excluded.answer,"
                " answered_at = CASE WHEN ? THEN answered_at ELSE excluded.answered_at END",
                (event.id, member_id, stored, stamp, keep_place),
            )
            promoted = None
            freed = before == "going" and stored != "going" and capacity is not None
            if freed and await self._going(event.id) < capacity:
                first = await self.db.fetchval(
                    "SELECT member_id FROM rsvps WHERE event_id = ? AND answer = 'waitlisted'"
                    " ORDER BY answered_at, member_id LIMIT 1",
                    (event.id,),
                )
                if first is not None:
                    await conn.execute(
                        "UPDATE rsvps SET answer = 'going', answered_at = ?"
                        " WHERE event_id = ? AND member_id = ?",
                        (stamp, event.id, first),
                    )
                    promoted = int(first)
            return RsvpResult(stored, promoted)

    async def _going(self, event_id: int) -> int:
        """How many are going (inside a transaction: counting what it wrote)."""
        value = await self.db.fetchval(
            "SELECT count(*) FROM rsvps WHERE event_id = ? AND answer = 'going'", (event_id,)
        )
        return int(value or 0)

    # --- attendance --------------------------------------------------------------------

    async def check_in(
        self, event_id: int, member_id: int, now: datetime, method: str, marked_by: int | None
    ) -> bool:
        """Mark the member present; False if they were already."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO attendance (event_id, member_id, checked_in_at, method, marked_by)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (event_id, member_id, to_db_time(now), method, marked_by),
            )
            return cursor.rowcount > 0

    async def undo_check_in(self, event_id: int, member_id: int) -> bool:
        """A check-in by mistake at the door, taken back; False if there was none."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM attendance WHERE event_id = ? AND member_id = ?", (event_id, member_id)
            )
            return cursor.rowcount > 0

    async def attendees(self, event_id: int) -> list[Attendee]:
        """Everyone who answered or checked in, by answer then name."""
        rows = await self.db.fetchall(
            "SELECT m.id, m.full_name, o.name, r.answer, t.checked_in_at FROM members m"
            " LEFT JOIN organizations o ON o.id = m.organization_id"
            " LEFT JOIN rsvps r ON r.event_id = ? AND r.member_id = m.id"
            " LEFT JOIN attendance t ON t.event_id = ? AND t.member_id = m.id"
            " WHERE r.member_id IS NOT NULL OR t.member_id IS NOT NULL"
            " ORDER BY CASE r.answer WHEN 'going' THEN 0 WHEN 'waitlisted' THEN 1"
            " WHEN 'maybe' THEN 2 WHEN 'declined' THEN 3 ELSE 4 END, m.full_name",
            (event_id, event_id),
        )
        return [
            Attendee(r[0], r[1], r[2], r[3], from_db_time(r[4]) if r[4] else None) for r in rows
        ]

    # --- reminders ---------------------------------------------------------------------

    async def starting_between(self, start: datetime, end: datetime) -> list[Event]:
        rows = await self.db.fetchall(
            f"{_EVENT} WHERE e.status = 'published' AND e.starts_at > ? AND e.starts_at <= ?"
            " ORDER BY e.starts_at",
            (to_db_time(start), to_db_time(end)),
        )
        return [_event(tuple(r)) for r in rows]

    # --- the community group's topics --------------------------------------------------

    async def bind_topic(
        self, axis_id: int, chat_id: int, thread_id: int, bound_by: int | None, now: datetime
    ) -> None:
        await self.db.execute(
            "INSERT INTO community_topics (axis_id, chat_id, message_thread_id, bound_by,"
            " bound_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (axis_id) DO UPDATE SET"
            " chat_id = excluded.chat_id, message_thread_id = excluded.message_thread_id,"
            " bound_by = excluded.bound_by, bound_at = excluded.bound_at",
            (axis_id, chat_id, thread_id, bound_by, to_db_time(now)),
        )

    async def topic(self, axis_id: int) -> tuple[int, int] | None:
        row = await self.db.fetchone(
            "SELECT chat_id, message_thread_id FROM community_topics WHERE axis_id = ?",
            (axis_id,),
        )
        return (int(row[0]), int(row[1])) if row else None
