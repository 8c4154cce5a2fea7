"""An event as an .ics file (RFC 5545, through the icalendar library): phones add it to
their calendar with one tap. Times are UTC, so every calendar shows its own local time."""

from __future__ import annotations

from datetime import datetime

from storage.repositories.events.events import Event

PRODUCT = "-//CLIA Aguascalientes//Bot de miembros//ES"


def ics(event: Event, *, now: datetime, link: str | None = None) -> bytes:
    """The calendar file; the UID stays the same across changes, so calendars update it."""
    from icalendar import Calendar  # loaded when the first calendar file is asked for
    from icalendar import Event as CalendarEvent

    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if event.status == "cancelled" else "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.id}@clia-bot")
    entry.add("dtstamp", now)
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", event.title)
    if event.description:
        entry.add("description", event.description)
    if event.place:
        entry.add("location", event.place)
    elif event.online_url:
        entry.add("location", event.online_url)
    if event.online_url or link:
        entry.add("url", event.online_url or link)
    entry.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    calendar.add_component(entry)
    return bytes(calendar.to_ical())
