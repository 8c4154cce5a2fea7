"""Times in Aguascalientes and in a member's own zone: the dual display around midnight and
the daylight-saving changes (Berlin and the US change; Mexico and Tokyo do not), the zone
typed dates are read in, and zones as people type them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Translator
from bot.when import Reader, find_zone, parse_local

HOME = ZoneInfo("America/Mexico_City")  # Aguascalientes: UTC-6 all year since 2022


def reader(language: str, own: str | None) -> Reader:
    return Reader.of(Translator(language), HOME, own)


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A moment given in Aguascalientes time."""
    return datetime(year, month, day, hour, minute, tzinfo=HOME).astimezone(UTC)


SATURDAY_EVENING = at(2026, 12, 5, 18)  # 00:00 UTC on Sunday 6 December


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", "sábado, 5 de diciembre de 2026, 18:00 Aguascalientes · 09:00 (+1) Tokio"),
        ("en", "Saturday, December 5, 2026, 18:00 Aguascalientes · 09:00 (+1) Tokyo"),
        ("ja", "2026年12月5日土曜日 アグアスカリエンテス 18:00 · 東京 翌日9:00"),
        ("de", "Samstag, 5. Dezember 2026, 18:00 Aguascalientes · 09:00 (+1) Tokio"),
    ],
)
def test_tokyo_reads_the_next_morning_next_to_aguascalientes(language: str, expected: str) -> None:
    assert reader(language, "Asia/Tokyo").show(SATURDAY_EVENING) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", "sáb, 5 de dic de 2026, 18:00 Aguascalientes · 01:00 (+1) Berlín"),
        ("ja", "2026年12月5日(土) アグアスカリエンテス 18:00 · ベルリン 翌日1:00"),
        ("de", "Sa., 5. Dez. 2026, 18:00 Aguascalientes · 01:00 (+1) Berlin"),
    ],
)
def test_the_list_form_has_both_clocks_too(language: str, expected: str) -> None:
    assert reader(language, "Europe/Berlin").show_short(SATURDAY_EVENING) == expected


def test_without_an_own_zone_only_aguascalientes_time_is_shown() -> None:
    assert reader("es", None).show(SATURDAY_EVENING) == "sábado, 5 de diciembre de 2026, 18:00"
    assert reader("ja", None).show_short(SATURDAY_EVENING) == "2026年12月5日(土) 18:00"
    assert reader("de", None).show_short(SATURDAY_EVENING) == "Sa., 5. Dez. 2026, 18:00"
    # the bot's own zone, or a name the system no longer knows, is no second clock
    assert reader("es", "America/Mexico_City").own is None
    assert reader("es", "Mars/Olympus_Mons").own is None


def test_around_midnight_the_day_mark_goes_either_way() -> None:
    late = at(2026, 12, 5, 23, 30)  # Berlin is already on Sunday
    assert reader("en", "Europe/Berlin").show(late) == (
        "Saturday, December 5, 2026, 23:30 Aguascalientes · 06:30 (+1) Berlin"
    )
    early = at(2026, 12, 6, 0, 30)  # Los Angeles is still on Saturday
    assert reader("en", "America/Los_Angeles").show(early) == (
        "Sunday, December 6, 2026, 00:30 Aguascalientes · 22:30 (-1) Los Angeles"
    )
    assert reader("ja", "America/Los_Angeles").show_short(early) == (
        "2026年12月6日(日) アグアスカリエンテス 0:30 · ロサンゼルス 前日22:30"
    )
    same_day = at(2026, 12, 5, 8)
    assert (
        reader("es", "Europe/Berlin").show(same_day).endswith("08:00 Aguascalientes · 15:00 Berlín")
    )


@pytest.mark.parametrize(
    ("moment", "berlin"),
    [
        (at(2026, 3, 27, 12), "19:00 Berlin"),  # Friday: Berlin still on winter time, +7 h
        (at(2026, 3, 30, 12), "20:00 Berlin"),  # after Sunday 29 March: summer time, +8 h
        (at(2026, 10, 23, 12), "20:00 Berlin"),
        (at(2026, 10, 26, 12), "19:00 Berlin"),  # after Sunday 25 October: winter time again
    ],
)
def test_berlin_changes_its_clocks_and_aguascalientes_does_not(
    moment: datetime, berlin: str
) -> None:
    shown = reader("de", "Europe/Berlin").show(moment)
    assert shown.endswith(f"12:00 Aguascalientes · {berlin}")


def test_chicago_matches_aguascalientes_in_winter_and_is_shown_only_in_summer() -> None:
    chicago = reader("en", "America/Chicago")
    before = at(2026, 3, 6, 18)  # Friday; the US moves its clocks on Sunday 8 March
    after = at(2026, 3, 9, 18)
    assert chicago.show(before) == "Friday, March 6, 2026, 18:00"  # one clock: they agree
    assert chicago.show(after) == "Monday, March 9, 2026, 18:00 Aguascalientes · 19:00 Chicago"
    november = at(2026, 11, 2, 18)  # back on standard time since Sunday 1 November
    assert chicago.show(november) == "Monday, November 2, 2026, 18:00"
    new_york = reader("en", "America/New_York")
    assert new_york.show(before).endswith("18:00 Aguascalientes · 19:00 New York")
    assert new_york.show(after).endswith("18:00 Aguascalientes · 20:00 New York")


def test_tokyo_and_aguascalientes_keep_fifteen_hours_all_year() -> None:
    tokyo = reader("es", "Asia/Tokyo")
    for month in (1, 4, 7, 11):
        assert tokyo.show(at(2026, month, 10, 10)).endswith(
            "10:00 Aguascalientes · 01:00 (+1) Tokio"
        )


@pytest.mark.parametrize(
    ("language", "own", "expected"),
    [
        ("es", None, "hora de Aguascalientes"),
        ("es", "Asia/Tokyo", "hora de Tokio"),
        ("en", "America/Chicago", "Chicago time"),
        ("ja", None, "アグアスカリエンテス時間"),
        ("ja", "Asia/Tokyo", "東京時間"),
        ("de", "Europe/Berlin", "Ortszeit Berlin"),
    ],
)
def test_forms_say_which_zone_typed_dates_are_read_in(
    language: str, own: str | None, expected: str
) -> None:
    assert reader(language, own).typing_zone_name() == expected


def test_a_date_typed_in_tokyo_is_read_in_tokyo() -> None:
    now = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
    tokyo = reader("ja", "Asia/Tokyo")
    moment = parse_local("6/12 09:00", now=now, tz=tokyo.typing_zone)
    assert moment == SATURDAY_EVENING
    assert reader("es", None).typing_zone == HOME


@pytest.mark.parametrize(
    ("typed", "language", "zone"),
    [
        ("Asia/Tokyo", "en", "Asia/Tokyo"),
        ("  asia/tokyo ", "en", "Asia/Tokyo"),
        ("Tokyo", "en", "Asia/Tokyo"),
        ("Tokio", "es", "Asia/Tokyo"),
        ("東京", "ja", "Asia/Tokyo"),
        ("new york", "en", "America/New_York"),
        ("Nueva York", "es", "America/New_York"),
        ("Europe/Berlin", "de", "Europe/Berlin"),
        ("Wien", "de", "Europe/Vienna"),
        ("US/Eastern", "en", "America/New_York"),  # an old alias, stored by its current name
        ("Buenos Aires", "es", "America/Argentina/Buenos_Aires"),
    ],
)
def test_zones_as_people_type_them(typed: str, language: str, zone: str) -> None:
    found = find_zone(typed, language)
    assert found is not None and found.key == zone


@pytest.mark.parametrize(
    "typed", ["", "Tokio City", "UTC", "Etc/GMT-9", "EST5EDT", "../etc/passwd"]
)
def test_what_is_not_a_place_zone_is_refused(typed: str) -> None:
    assert find_zone(typed, "en") is None
