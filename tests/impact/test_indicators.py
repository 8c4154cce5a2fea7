"""Every indicator on the hand-made cluster of tests/impact/dataset.py, checked by hand.

October 2026 is the period, September the previous one; the edge cases: an event nobody said
Going to (e2), a cancelled event (e4), a member who left mid-October (m4), one who joined at
23:00 local time on 30 September (m6, a September join), a survey without an NPS question (s2),
an incomplete response (m3 in s1), and a period with nothing in it.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from storage.database import Database
from storage.repositories.impact.figures import ImpactRepository, Indicators
from storage.repositories.impact.periods import Period
from tests.impact import dataset

TZ = ZoneInfo("America/Mexico_City")
OCTOBER, SEPTEMBER = Period("month", 2026, 10), Period("month", 2026, 9)


@pytest.fixture
async def repo(tmp_path: Path):  # type: ignore[no-untyped-def]
    async with Database(tmp_path / "impact.db") as db:
        await db.migrate()
        await dataset.build(db)
        yield ImpactRepository(db, TZ)


def _figures(indicators: Indicators, *names: str) -> dict[str, object]:
    return {name: getattr(indicators, name) for name in names}


async def test_the_whole_cluster_in_october_beside_september(repo: ImpactRepository) -> None:
    impact = await repo.impact(OCTOBER, "cluster")
    october, september = impact.current, impact.previous
    assert september.period == SEPTEMBER
    # Members: m1 m2 m3 m5 m6 (m4 left on 15 Oct; m7 is pending; staff joined in November).
    assert _figures(
        october,
        "active",
        "joined",
        "left",
        "unreachable",
        "became_unreachable",
        "organizations",
        "supplier_organizations",
        "supplier_pct",
    ) == {
        "active": 5,
        "joined": 1,
        "left": 1,
        "unreachable": 1,
        "became_unreachable": 1,
        "organizations": 4,
        "supplier_organizations": 1,
        "supplier_pct": 25.0,
    }
    # September: m1 m2 m4 m5 m6 (m6 joined at 23:00 on 30 Sep, local time), two joined.
    assert _figures(september, "active", "joined", "left", "organizations", "supplier_pct") == {
        "active": 5,
        "joined": 2,
        "left": 0,
        "organizations": 4,
        "supplier_pct": 0.0,
    }
    # Organizations engaged: Flex (m1), Continental (m2), U. Panamericana (m5) of 4.
    assert _figures(october, "member_organizations", "engaged_organizations", "engaged_pct") == {
        "member_organizations": 4,
        "engaged_organizations": 3,
        "engaged_pct": 75.0,
    }
    # Took part in the 90 days: m1 (e1, s1), m2 (e3, s1), m5 (e1, e3, s2, group); not m3, m6.
    assert _figures(october, "took_part_90d", "took_part", "participation_pct") == {
        "took_part_90d": 3,
        "took_part": 3,
        "participation_pct": 60.0,
    }
    # September: m2 (joined the group) and m4 (e5, s3) of five.
    assert september.took_part_90d == 2 and september.participation_pct == 40.0
    # Activities: e1 and e2 (e4 was cancelled) and the meeting e3. Going 4 (e1: m1 m3; e3: m2
    # m5), checked in 4 (m5 walked in at e1), of those going 3 came: conversion 75 %.
    assert _figures(
        october,
        "events",
        "meetings",
        "going",
        "maybe",
        "declined",
        "checked_in",
        "no_shows",
        "conversion_pct",
        "participants",
    ) == {
        "events": 2,
        "meetings": 1,
        "going": 4,
        "maybe": 1,
        "declined": 2,
        "checked_in": 4,
        "no_shows": 1,
        "conversion_pct": 75.0,
        "participants": 3,
    }
    assert _figures(september, "events", "going", "checked_in", "conversion_pct") == {
        "events": 1,
        "going": 2,
        "checked_in": 1,
        "conversion_pct": 50.0,
    }
    # Working groups: Talento dual (m2, m5) and Industria 4.0 (new in October, empty).
    assert _figures(october, "groups", "group_members", "group_meetings", "average_attendance") == {
        "groups": 2,
        "group_members": 2,
        "group_meetings": 1,
        "average_attendance": 2.0,
    }
    assert _figures(
        september, "groups", "group_members", "group_meetings", "average_attendance"
    ) == {
        "groups": 1,
        "group_members": 1,
        "group_meetings": 0,
        "average_attendance": None,
    }
    # Surveys launched in October: s1 (4 invited, 2 complete) and s2 (3 invited, 1): 3 of 7.
    # NPS over s1's complete answers only: 10 (promoter) and 5 (detractor) = 0.
    assert _figures(
        october, "surveys", "invited", "completed", "response_pct", "nps_answers", "nps"
    ) == {
        "surveys": 2,
        "invited": 7,
        "completed": 3,
        "response_pct": 42.9,
        "nps_answers": 2,
        "nps": 0.0,
    }
    assert september.nps == 100.0 and september.response_pct == 50.0
    # Reach: the announcement (4 intended: the skipped one does not count; 2 sent) and the
    # event notice (2 of 2): 4 of 6.
    assert _figures(
        october,
        "broadcasts",
        "intended",
        "delivered",
        "unreachable_deliveries",
        "failed_deliveries",
        "reach_pct",
    ) == {
        "broadcasts": 2,
        "intended": 6,
        "delivered": 4,
        "unreachable_deliveries": 1,
        "failed_deliveries": 1,
        "reach_pct": 66.7,
    }
    assert september.broadcasts == 0 and september.reach_pct is None
    assert {(c.sector, c.members) for c in impact.composition} == {
        ("tier1", 3),
        ("supplier", 1),
        ("academia", 1),
    }
    assert len(impact.months) == 12 and impact.months[-1].period == OCTOBER
    assert impact.months[-2].participants == 1  # September: m4 at e5


async def test_each_axis_counts_its_members_and_its_activities(repo: ImpactRepository) -> None:
    talent = (await repo.impact(OCTOBER, "talent")).current
    # Talent's members: m2 m3 m5 m6; activities: e2 (nobody going) and e3; survey s2 only.
    assert _figures(
        talent,
        "active",
        "events",
        "meetings",
        "going",
        "declined",
        "checked_in",
        "no_shows",
        "conversion_pct",
        "participants",
        "took_part_90d",
        "participation_pct",
        "member_organizations",
        "engaged_organizations",
        "surveys",
        "invited",
        "completed",
        "response_pct",
        "nps",
        "broadcasts",
        "intended",
        "reach_pct",
        "groups",
        "group_members",
    ) == {
        "active": 4,
        "events": 1,
        "meetings": 1,
        "going": 2,
        "declined": 1,
        "checked_in": 2,
        "no_shows": 0,
        "conversion_pct": 100.0,
        "participants": 2,
        "took_part_90d": 2,
        "participation_pct": 50.0,
        "member_organizations": 4,
        "engaged_organizations": 2,
        "surveys": 1,
        "invited": 3,
        "completed": 1,
        "response_pct": 33.3,
        "nps": None,
        "broadcasts": 1,
        "intended": 2,
        "reach_pct": 100.0,
        "groups": 1,
        "group_members": 2,
    }
    innovation = (await repo.impact(OCTOBER, "innovation")).current
    # Innovation's members: m1 m3 (m4 left); e1 only; no survey; m5 walked in but does not
    # follow Innovation, so she is a participant of e1 and not an Innovation member.
    assert _figures(
        innovation,
        "active",
        "left",
        "events",
        "going",
        "maybe",
        "checked_in",
        "conversion_pct",
        "participants",
        "took_part_90d",
        "participation_pct",
        "surveys",
        "response_pct",
        "groups",
        "group_members",
    ) == {
        "active": 2,
        "left": 1,
        "events": 1,
        "going": 2,
        "maybe": 1,
        "checked_in": 2,
        "conversion_pct": 50.0,
        "participants": 2,
        "took_part_90d": 1,
        "participation_pct": 50.0,
        "surveys": 0,
        "response_pct": None,
        "groups": 1,
        "group_members": 0,
    }


async def test_an_empty_period_has_zeros_and_no_percentages(repo: ImpactRepository) -> None:
    empty = (await repo.impact(Period("month", 2025, 3), "cluster")).current
    assert (empty.active, empty.events, empty.surveys, empty.broadcasts, empty.groups) == (
        0,
        0,
        0,
        0,
        0,
    )
    assert (
        empty.participation_pct,
        empty.conversion_pct,
        empty.response_pct,
        empty.nps,
        empty.reach_pct,
        empty.engaged_pct,
    ) == (None, None, None, None, None, None)


async def test_quarters_and_years_span_their_months(repo: ImpactRepository) -> None:
    quarter = (await repo.impact(Period("quarter", 2026, 4), "cluster")).current
    # The quarter ends on 31 December: the three staff members who joined in November count.
    assert (quarter.events, quarter.meetings, quarter.active) == (2, 1, 8)
    year = (await repo.impact(Period("year", 2026), "cluster")).current
    # 2026: e1 e2 e5 and the meeting; joined m1 m2 m3 m4 m5 m6 (the staff in November too).
    assert (year.events, year.meetings, year.joined, year.left) == (3, 1, 9, 1)


async def test_the_tables_behind_the_dashboard(repo: ImpactRepository) -> None:
    events = await repo.events(OCTOBER, "cluster")
    rows = {row[5]: dict(zip(events.columns, row, strict=True)) for row in events.rows}
    assert rows["Feria sin asistentes"]["conversion_pct"] is None  # nobody said Going
    assert rows["Foro de innovación"]["no_shows"] == 1
    assert rows["Cancelado"]["status"] == "cancelled"
    organizations = await repo.organizations(OCTOBER, "talent")
    assert {(r[0], r[2], r[3]) for r in organizations.rows} == {
        ("Continental", 1, 1),
        ("Universidad Panamericana", 1, 1),
        ("Mextamp", 1, 0),
        ("Flex", 1, 0),
    }
    surveys = await repo.surveys(OCTOBER, "talent")
    assert [r[2] for r in surveys.rows] == ["Talento"]  # s1 went to everyone: cluster only
