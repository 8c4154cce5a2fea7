"""Typed local dates and times: the forms people use, the ones refused, and the display."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.when import (
    WhenProblem,
    parse_local,
    shifted_like,
    show,
    show_compact,
    show_in_table,
    show_short,
)

TZ = ZoneInfo("America/Mexico_City")  # UTC-6 all year since 2022
NOW = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # 10:00 local


@pytest.mark.parametrize(
    "text",
    [
        "28/11 18:00",
        "28/11/2026 18:00",
        "2026-11-28 18:00",
        "28/11/26 18:00",
        " 28/11/2026   18:00 ",
        "28/11 6:00 pm",
        "28/11 6 p.m.",
        "28/11 a las 18:00",
        "28-11-2026 18h",
        "28.11.2026 18:00",
    ],
)
def test_the_forms_people_type(text: str) -> None:
    assert parse_local(text, now=NOW, tz=TZ) == datetime(2026, 11, 29, 0, 0, tzinfo=UTC)


def test_a_date_without_year_that_passed_means_next_year() -> None:
    assert parse_local("3/1 09:30", now=NOW, tz=TZ) == datetime(2027, 1, 3, 15, 30, tzinfo=UTC)


def test_today_earlier_is_refused_not_moved_a_year() -> None:
    result = parse_local("24/11 09:00", now=NOW, tz=TZ)
    assert isinstance(result, WhenProblem)
    assert "passed" in result.message


@pytest.mark.parametrize("text", ["31/02/2027 10:00", "28/13 10:00", "28/11 25:00", "28/11 13 pm"])
def test_impossible_dates(text: str) -> None:
    result = parse_local(text, now=NOW, tz=TZ)
    assert isinstance(result, WhenProblem)
    assert "exist" in result.message


@pytest.mark.parametrize(
    "text", ["", "mañana", "28/11", "18:00", "next friday 6pm", "28/11 18:00x"]
)
def test_garbage(text: str) -> None:
    result = parse_local(text, now=NOW, tz=TZ)
    assert isinstance(result, WhenProblem)
    assert result.values == {"examples": "28/11 18:00, 28/11/2026 18:00, 2026-11-28 18:00"}


def test_past_dates_allowed_when_asked() -> None:
    assert parse_local("1/1/2026 00:00", now=NOW, tz=TZ, future=False) == datetime(
        2026, 1, 1, 6, 0, tzinfo=UTC
    )


def test_display_is_local_and_localized() -> None:
    moment = datetime(2026, 11, 29, 0, 0, tzinfo=UTC)
    assert show(moment, tz=TZ, language="es") == "sábado, 28 de noviembre de 2026, 18:00"
    assert show(moment, tz=TZ, language="en") == "Saturday, November 28, 2026, 18:00"
    assert show_short(moment, tz=TZ, language="es") == "sáb, 28 de nov de 2026, 18:00"


@pytest.mark.parametrize(
    ("language", "full", "short", "table", "compact"),
    [
        (
            "es",
            "sábado, 5 de diciembre de 2026, 08:30",
            "sáb, 5 de dic de 2026, 08:30",
            "5 dic 2026, 08:30",
            "5 dic, 08:30",
        ),
        (
            "en",
            "Saturday, December 5, 2026, 08:30",
            "Sat, Dec 5, 2026, 08:30",
            "Dec 5, 2026, 08:30",
            "Dec 5, 08:30",
        ),
        (
            "ja",
            "2026年12月5日土曜日 8:30",
            "2026年12月5日(土) 8:30",
            "2026年12月5日 8:30",
            "12月5日 8:30",
        ),
        (
            "de",
            "Samstag, 5. Dezember 2026, 08:30",
            "Sa., 5. Dez. 2026, 08:30",
            "5. Dez. 2026, 08:30",
            "5. Dez., 08:30",
        ),
    ],
)
def test_each_language_writes_dates_its_own_way(
    language: str, full: str, short: str, table: str, compact: str
) -> None:
    """The locale's own date, time and the pattern joining them (CLDR, through Babel)."""
    moment = datetime(2026, 12, 5, 14, 30, tzinfo=UTC)  # 08:30 in Aguascalientes
    assert show(moment, tz=TZ, language=language) == full
    assert show_short(moment, tz=TZ, language=language) == short
    assert show_in_table(moment, tz=TZ, language=language) == table
    assert show_compact(moment, tz=TZ, language=language) == compact


def test_the_examples_of_the_issue() -> None:
    evening = datetime(2026, 12, 6, 0, 0, tzinfo=UTC)  # 18:00 on Saturday 5 December
    assert show_short(evening, tz=TZ, language="ja") == "2026年12月5日(土) 18:00"
    assert show_short(evening, tz=TZ, language="de") == "Sa., 5. Dez. 2026, 18:00"


def test_a_time_that_does_not_exist_is_named_as_such() -> None:
    result = parse_local("28/11 25:00", now=NOW, tz=TZ)
    assert isinstance(result, WhenProblem) and result.message.startswith("That time does not")


def test_more_than_a_year_ahead_is_refused_as_a_likely_typo() -> None:
    result = parse_local("28/11/2099 18:00", now=NOW, tz=TZ)
    assert isinstance(result, WhenProblem) and "more than a year away" in result.message
    assert not isinstance(parse_local("20/11/2027 18:00", now=NOW, tz=TZ), WhenProblem)


def test_weekly_and_every_two_weeks_series_keep_the_local_time() -> None:
    from bot.when import series_starts

    first = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)  # Monday 30 Nov, 18:00 in Aguascalientes
    weekly = series_starts(first, "weekly", tz=TZ, count=3)
    assert weekly == [
        datetime(2026, 12, 8, 0, 0, tzinfo=UTC),
        datetime(2026, 12, 15, 0, 0, tzinfo=UTC),
    ]
    biweekly = series_starts(first, "biweekly", tz=TZ, count=3)
    assert biweekly == [
        datetime(2026, 12, 15, 0, 0, tzinfo=UTC),
        datetime(2026, 12, 29, 0, 0, tzinfo=UTC),
    ]
    # the 5th Tuesday of a month becomes the last Tuesday of the next ones
    fifth = datetime(2026, 12, 30, 0, 0, tzinfo=UTC)  # Tuesday 29 Dec, 18:00 local
    assert series_starts(fifth, "monthly_weekday", tz=TZ, count=2) == [
        datetime(2027, 1, 27, 0, 0, tzinfo=UTC)  # Tuesday 26 Jan, the month's last
    ]


def test_a_later_meeting_moves_by_the_same_local_change_across_daylight_saving() -> None:
    chicago = ZoneInfo("America/Chicago")  # a zone that still changes its clocks
    first = datetime(2026, 10, 27, 23, 0, tzinfo=UTC)  # Tuesday 18:00 CDT (UTC-5)
    moved = datetime(2026, 10, 29, 0, 30, tzinfo=UTC)  # to Wednesday 19:30 CDT
    after_the_change = datetime(2026, 11, 4, 0, 0, tzinfo=UTC)  # Tuesday 3/11 18:00 CST (UTC-6)
    result = shifted_like(after_the_change, first, moved, tz=chicago)
    assert result.astimezone(chicago).strftime("%a %d/%m %H:%M") == "Wed 04/11 19:30"
    assert result == datetime(2026, 11, 5, 1, 30, tzinfo=UTC)
    # Mexico City keeps UTC-6 all year: the same change is the same shift in UTC.
    assert shifted_like(NOW, NOW, NOW.replace(hour=18), tz=TZ) == NOW.replace(hour=18)
