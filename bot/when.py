"""Dates and times as people type them and as they read them.

Members and coordinators type local times (America/Mexico_City) the way they
write them on a phone: `28/11 18:00`, `28/11/2026 18:00`, `2026-11-28 18:00`.
Everything is stored in UTC; everything shown is local and localized by Babel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time

from bot.i18n import N_

# day/month[/year] and year-month-day, then hour:minute (optionally "h", "hrs", am/pm).
_DMY = re.compile(r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})(?:[/.-](?P<year>\d{4}|\d{2}))?")
_YMD = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_TIME = re.compile(
    r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<suffix>h|hrs|am|a\.m\.|pm|p\.m\.)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class WhenProblem:
    """Why a typed date was refused: a msgid and its placeholder values."""

    message: str
    values: dict[str, str]


EXAMPLES = "28/11 18:00, 28/11/2026 18:00, 2026-11-28 18:00"
FURTHEST_DAYS = 366  # events, closings and schedules: within a year (2099 is a typo)


def parse_local(
    text: str, *, now: datetime, tz: ZoneInfo, future: bool = True
) -> datetime | WhenProblem:
    """A typed local date and time → an aware UTC datetime, or why not.

    A date without a year means the next such date (28/11 typed in December is
    next November). With `future`, a moment that has passed is refused.
    """
    cleaned = " ".join(text.strip().split())
    match = _YMD.match(cleaned) or _DMY.match(cleaned)
    rest = cleaned[match.end() :].strip() if match else ""
    rest = re.sub(r"^(a las|at|,)\s*", "", rest, flags=re.IGNORECASE)
    clock = _TIME.fullmatch(rest) if match else None
    if match is None or clock is None:
        return WhenProblem(
            N_("I could not read that date and time. Write it like this: {examples}"),
            {"examples": EXAMPLES},
        )
    hour, minute = int(clock["hour"]), int(clock["minute"] or 0)
    suffix = (clock["suffix"] or "").lower().replace(".", "")
    if suffix in ("am", "pm"):  # 13 pm becomes hour 99, refused below as impossible
        hour = hour % 12 + (12 if suffix == "pm" else 0) if 1 <= hour <= 12 else 99
    local_now = now.astimezone(tz)
    year_text = match["year"]
    year = int(year_text) if year_text else local_now.year
    if year_text and len(year_text) == 2:
        year += 2000
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return WhenProblem(
            N_(
                "That time does not exist (hours 0–23, minutes 0–59). "
                "Write it like this: {examples}"
            ),
            {"examples": EXAMPLES},
        )
    try:
        moment = datetime(year, int(match["month"]), int(match["day"]), hour, minute, tzinfo=tz)
    except ValueError:
        return WhenProblem(
            N_("That date does not exist. Write it like this: {examples}"),
            {"examples": EXAMPLES},
        )
    if moment > local_now + timedelta(days=FURTHEST_DAYS):
        return WhenProblem(
            N_("That is more than a year away. Please give a date within the next twelve months."),
            {},
        )
    if not year_text and moment < local_now - timedelta(days=1):
        moment = moment.replace(year=year + 1)
    utc = moment.astimezone(UTC)
    if future and utc <= now:
        return WhenProblem(
            N_("That moment has already passed. Please give a date and time in the future."),
            {},
        )
    return utc


def show(moment: datetime, *, tz: ZoneInfo, language: str) -> str:
    """`viernes, 28 de noviembre de 2026, 18:00` — a local moment in the reader's language."""
    local = moment.astimezone(tz)
    day = format_date(local, "full", locale=language)
    return f"{day}, {format_time(local, 'HH:mm', locale=language)}"


def show_short(moment: datetime, *, tz: ZoneInfo, language: str) -> str:
    """`28 nov 2026, 18:00` — for lists and reports."""
    return format_datetime(moment.astimezone(tz), "d MMM y, HH:mm", locale=language)


SERIES_LENGTH = 6  # a recurring meeting is created with this many dates


def series_starts(
    first: datetime, rule: str, *, tz: ZoneInfo, count: int = SERIES_LENGTH
) -> list[datetime]:
    """The later starts of a series after `first` (UTC), computed on the local calendar.

    weekly, biweekly, or monthly_weekday: the same weekday of the month as the first
    date (the 2nd Tuesday…; a 5th weekday becomes the month's last).
    """
    local = first.astimezone(tz)
    starts: list[datetime] = []
    for n in range(1, count):
        if rule == "weekly":
            moment = local + timedelta(weeks=n)
        elif rule == "biweekly":
            moment = local + timedelta(weeks=2 * n)
        else:
            nth = (local.day - 1) // 7
            year, month = divmod(local.month - 1 + n, 12)
            day = datetime(local.year + year, month + 1, 1, local.hour, local.minute, tzinfo=tz)
            day += timedelta(days=(local.weekday() - day.weekday()) % 7)
            moment = day + timedelta(weeks=nth)
            while moment.month != day.month:
                moment -= timedelta(weeks=1)
        starts.append(moment.replace(tzinfo=tz).astimezone(UTC))
    return starts


def shifted_like(moment: datetime, old: datetime, new: datetime, *, tz: ZoneInfo) -> datetime:
    """`moment` (UTC) moved as `old` was moved to `new`: by the same change of local date and
    clock time, so a later meeting of a series keeps its own date and its local hour, also
    across a change of daylight saving time (18:00 stays 18:00)."""
    change = _wall(new, tz) - _wall(old, tz)
    return (_wall(moment, tz) + change).replace(tzinfo=tz).astimezone(UTC)


def _wall(moment: datetime, tz: ZoneInfo) -> datetime:
    """The local date and clock time, without a zone, for calendar arithmetic."""
    return moment.astimezone(tz).replace(tzinfo=None)
