"""Dates and times as people type them and as they read them.

Members and coordinators type local times the way they write them on a phone:
`28/11 18:00`, `28/11/2026 18:00`, `2026-11-28 18:00`; in Aguascalientes time
(America/Mexico_City, the TIMEZONE setting), or in their own zone when they set one in
/profile. Everything is stored in UTC. Everything shown is localized by Babel from the
locale's own patterns (CLDR skeletons joined by the locale's date-time pattern), never a
pattern written here: `sábado, 5 de diciembre de 2026, 18:00`, `2026年12月5日(土) 18:00`,
`Sa., 5. Dez. 2026, 18:00`. A `Reader` adds the member's own zone when it differs:
`18:00 Aguascalientes · 09:00 (+1) Tokio`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.core import get_global
from babel.dates import format_date, format_skeleton, get_datetime_format, get_timezone_location

from bot.i18n import FORMAT_LOCALES, N_, Translator

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


Width = Literal["full", "long", "medium", "short"]
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


def _glue(date_text: str, time_text: str, locale: str, width: Width) -> str:
    """A date and a time joined the way the locale joins them (`{1}, {0}`, `{1} {0}`)."""
    pattern = str(get_datetime_format(width, locale=locale)).replace("'", "")
    return pattern.replace("{1}", date_text).replace("{0}", time_text)


def _clock(local: datetime, locale: str) -> str:
    """The 24-hour time as the locale writes it (`18:00`, `8:00` in Japanese)."""
    return format_skeleton("Hm", local, locale=locale)


def _locale(language: str) -> str:
    return FORMAT_LOCALES.get(language, language)


def show(moment: datetime, *, tz: ZoneInfo, language: str) -> str:
    """`sábado, 28 de noviembre de 2026, 18:00` — a local moment in the reader's language."""
    local, locale = moment.astimezone(tz), _locale(language)
    return _glue(format_date(local, "full", locale=locale), _clock(local, locale), locale, "full")


def show_short(moment: datetime, *, tz: ZoneInfo, language: str) -> str:
    """`sáb, 28 de nov de 2026, 18:00`, `2026年11月28日(土) 18:00` — for lists and reports."""
    local, locale = moment.astimezone(tz), _locale(language)
    day = format_skeleton("yMMMEd", local, locale=locale)
    return _glue(day, _clock(local, locale), locale, "medium")


def show_in_table(moment: datetime, *, tz: ZoneInfo, language: str) -> str:
    """`10 oct 2026, 12:00`, `2026年10月10日 12:00`, `10. Okt. 2026, 12:00` — for a table's
    cell (the dashboard, the monthly PDF): the date without its weekday, and the time."""
    local, locale = moment.astimezone(tz), _locale(language)
    day = format_skeleton("yMMMd", local, locale=locale)
    return _glue(day, _clock(local, locale), locale, "medium")


def show_compact(moment: datetime, *, tz: ZoneInfo, language: str) -> str:
    """`28 nov, 18:00`, `11月28日 18:00` — for a button, where a phone shows about 25
    characters (events are within a year, so the year is left out)."""
    local, locale = moment.astimezone(tz), _locale(language)
    day = format_skeleton("MMMd", local, locale=locale)
    return _glue(day, _clock(local, locale), locale, "short")


# --- time zones ----------------------------------------------------------------------------

# Translators: the cluster's city, naming the time of the bot's zone ("18:00 Aguascalientes").
HOME_PLACE = N_("Aguascalientes")
# Translators: a time and the place whose time it is: "18:00 Aguascalientes", "09:00 Tokio".
_PLACE_TIME = N_("{time} {place}")
# Translators: a time on the next (or previous) calendar day than in Aguascalientes.
_NEXT_DAY = N_("{time} (+1)")
_PREVIOUS_DAY = N_("{time} (-1)")
# Translators: which clock typed dates are read in: "Aguascalientes time", "Tokio time".
_ZONE_TIME = N_("{place} time")
# Translators: a member's own time zone: its city and its IANA name, "Tokio (Asia/Tokyo)".
_CITY_AND_ZONE = N_("{city} ({zone})")

# Zones offered in /profile by the member's language (others are typed as IANA names).
SUGGESTED_ZONES: dict[str, tuple[str, ...]] = {
    "ja": ("Asia/Tokyo",),
    "de": ("Europe/Berlin",),
    "en": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
}
# Every suggested zone once, in a fixed order: buttons carry the position (`su:tz:3`).
OFFERED_ZONES: tuple[str, ...] = tuple(
    dict.fromkeys(z for zs in SUGGESTED_ZONES.values() for z in zs)
)


def zone(name: str | None) -> ZoneInfo | None:
    """The stored zone name as a zone; None when unset or no longer known to the system."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _place_zones() -> dict[str, str]:
    """The system's IANA place zones, each with its current name (`Asia/Calcutta` →
    `Asia/Kolkata`); offsets (`Etc/GMT-9`, whose sign is the opposite of what it looks
    like) and bare abbreviations (`EST5EDT`) are left out."""
    known = available_timezones()
    aliases = get_global("zone_aliases")
    return {
        key: aliases[key] if aliases.get(key) in known else key
        for key in sorted(known)
        if "/" in key and not key.startswith(("Etc/", "SystemV/"))
    }


def _one_of(keys: list[str]) -> str | None:
    """The zone several names point to, when they all keep the same clock (a city and its
    older alias, `America/Buenos_Aires`); None when they are different places."""
    year = datetime.now(UTC).year
    probes = [datetime(year, month, 1, tzinfo=UTC) for month in (1, 7)]
    clocks = {tuple(p.astimezone(ZoneInfo(k)).utcoffset() for p in probes) for k in keys}
    return keys[0] if len(clocks) == 1 else None


@cache
def _zone_names(locale: str) -> dict[str, str]:
    """Folded names → zone: `asia/tokyo`, its city `tokyo`, and the city in the reader's
    language (`tokio`, `東京`), each only where it names one clock."""
    names: dict[str, str] = {}
    cities: dict[str, list[str]] = {}
    zones = _place_zones()
    for key, current in zones.items():
        names[key.casefold()] = current
    for key in sorted(set(zones.values())):
        for city in {key.rsplit("/", 1)[1], city_name(key, locale)}:
            cities.setdefault("_".join(city.split()).casefold(), []).append(key)
    for city, keys in cities.items():
        found = _one_of(keys)
        if found is not None:
            names.setdefault(city, found)
    return names


def find_zone(text: str, language: str = "en") -> ZoneInfo | None:
    """A zone as a person types it: `Asia/Tokyo`, `asia/tokyo`, `Tokyo`, `new york`, or the
    city in their language (`Tokio`, `東京`); None when it names no place zone."""
    wanted = "_".join(text.strip().split()).casefold()
    key = _zone_names(_locale(language)).get(wanted) if wanted else None
    return ZoneInfo(key) if key else None


@cache
def city_name(zone_key: str, locale: str) -> str:
    """The zone's city in a Babel locale (or one of the bot's languages), as CLDR names it:
    `Tokio`, `東京`, `New York`."""
    return str(get_timezone_location(ZoneInfo(zone_key), locale=_locale(locale), return_city=True))


@dataclass(frozen=True)
class Reader:
    """How one person reads and types times: in their language, in Aguascalientes time, and
    also in their own zone when they set one that differs (`own` is None otherwise)."""

    t: Translator
    home: ZoneInfo
    own: ZoneInfo | None = None

    @classmethod
    def of(cls, t: Translator, home: ZoneInfo, own: str | None) -> Reader:
        """`own` as stored on the member row (an IANA name or NULL)."""
        found = zone(own)
        return cls(t, home, None if found is None or found.key == home.key else found)

    @property
    def typing_zone(self) -> ZoneInfo:
        """Typed dates are read in the person's own zone when they set one."""
        return self.own or self.home

    def place(self, tz: ZoneInfo) -> str:
        """`Aguascalientes` for the bot's zone, else the zone's city in the reader's language."""
        if tz.key == self.home.key:
            return self.t.label(HOME_PLACE)
        return city_name(tz.key, self.t.locale)

    def zone_label(self, key: str | None) -> str:
        """A stored zone as /profile names it: `Aguascalientes` for none (or the bot's own),
        else `Tokio (Asia/Tokyo)` in the reader's language."""
        if key is None or key == self.home.key:
            return self.place(self.home)
        return self.t.label(_CITY_AND_ZONE, city=city_name(key, self.t.locale), zone=key)

    def typing_zone_name(self) -> str:
        """`Aguascalientes time`, `Tokio time`: what a form says typed dates are read in."""
        return self.t.label(_ZONE_TIME, place=self.place(self.typing_zone))

    def _differs(self, moment: datetime) -> bool:
        return (
            self.own is not None
            and moment.astimezone(self.own).utcoffset() != moment.astimezone(self.home).utcoffset()
        )

    def _clocks(self, moment: datetime) -> str:
        """`18:00 Aguascalientes · 09:00 (+1) Tokio`."""
        assert self.own is not None
        locale = self.t.locale
        home, own = moment.astimezone(self.home), moment.astimezone(self.own)
        own_time = _clock(own, locale)
        days = (own.date() - home.date()).days
        if days > 0:
            own_time = self.t.label(_NEXT_DAY, time=own_time)
        elif days < 0:
            own_time = self.t.label(_PREVIOUS_DAY, time=own_time)
        return " · ".join(
            (
                self.t.label(_PLACE_TIME, time=_clock(home, locale), place=self.place(self.home)),
                self.t.label(_PLACE_TIME, time=own_time, place=self.place(self.own)),
            )
        )

    def show(self, moment: datetime) -> str:
        """The long form (cards, reminders, confirmations), with both clocks when they differ."""
        if not self._differs(moment):
            return show(moment, tz=self.home, language=self.t.language)
        locale, local = self.t.locale, moment.astimezone(self.home)
        return _glue(
            format_date(local, "full", locale=locale), self._clocks(moment), locale, "full"
        )

    def show_short(self, moment: datetime) -> str:
        """The list form (/events, /myevents, /surveys), with both clocks when they differ."""
        if not self._differs(moment):
            return show_short(moment, tz=self.home, language=self.t.language)
        locale, local = self.t.locale, moment.astimezone(self.home)
        day = format_skeleton("yMMMEd", local, locale=locale)
        return _glue(day, self._clocks(moment), locale, "medium")

    def show_compact(self, moment: datetime) -> str:
        """A button's date: Aguascalientes time only (the text above it has both)."""
        return show_compact(moment, tz=self.home, language=self.t.language)


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
