"""Every impact figure of a period and scope, read from the v_impact_* views (README: "Impact
indicators"): nothing is computed here but the choice of rows. One query per view, each over
all the periods needed at once; the views' filters on period and scope reach down into them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any
from zoneinfo import ZoneInfo

from storage.database import Database
from storage.repositories.impact.periods import Period, last_months, period_ids

SCOPES = ("cluster", "innovation", "talent", "leadership", "globalization")

# The columns read from each per-period view, under the names Indicators gives them.
_VIEWS: dict[str, dict[str, str]] = {
    "v_impact_members": {
        "active": "active",
        "joined": "joined",
        "left": '"left"',
        "unreachable": "unreachable",
        "became_unreachable": "became_unreachable",
        "organizations": "organizations",
        "supplier_organizations": "supplier_organizations",
        "supplier_pct": "supplier_pct",
    },
    "v_impact_engagement": {
        "member_organizations": "member_organizations",
        "engaged_organizations": "engaged_organizations",
        "engaged_pct": "engaged_pct",
    },
    "v_impact_participation": {
        "took_part_90d": "took_part_90d",
        "took_part": "took_part",
        "participation_pct": "participation_pct",
    },
    "v_impact_activities": {
        "events": "events",
        "meetings": "meetings",
        "going": "going",
        "maybe": "maybe",
        "declined": "declined",
        "checked_in": "checked_in",
        "no_shows": "no_shows",
        "conversion_pct": "conversion_pct",
        "participants": "participants",
    },
    "v_impact_groups": {
        "groups": "groups",
        "group_members": "group_members",
        "group_meetings": "meetings",
        "average_attendance": "average_attendance",
    },
    "v_impact_survey_figures": {
        "surveys": "surveys",
        "invited": "invited",
        "completed": "completed",
        "response_pct": "response_pct",
        "nps_answers": "nps_answers",
        "nps": "nps",
    },
    "v_impact_reach": {
        "broadcasts": "broadcasts",
        "intended": "intended",
        "delivered": "delivered",
        "unreachable_deliveries": "unreachable",
        "failed_deliveries": "failed",
        "reach_pct": "reach_pct",
    },
}
# Views whose monthly values make the trends (the others are read for two periods only).
_TREND_VIEWS = ("v_impact_activities", "v_impact_survey_figures")


@dataclass(frozen=True)
class Indicators:
    """One period and scope; counts are 0 and percentages None where there is nothing."""

    period: Period
    scope: str
    active: int = 0
    joined: int = 0
    left: int = 0
    unreachable: int = 0
    became_unreachable: int = 0
    organizations: int = 0
    supplier_organizations: int = 0
    supplier_pct: float | None = None
    member_organizations: int = 0
    engaged_organizations: int = 0
    engaged_pct: float | None = None
    took_part_90d: int = 0
    took_part: int = 0
    participation_pct: float | None = None
    events: int = 0
    meetings: int = 0
    going: int = 0
    maybe: int = 0
    declined: int = 0
    checked_in: int = 0
    no_shows: int = 0
    conversion_pct: float | None = None
    participants: int = 0
    groups: int = 0
    group_members: int = 0
    group_meetings: int = 0
    average_attendance: float | None = None
    surveys: int = 0
    invited: int = 0
    completed: int = 0
    response_pct: float | None = None
    nps_answers: int = 0
    nps: float | None = None
    broadcasts: int = 0
    intended: int = 0
    delivered: int = 0
    unreachable_deliveries: int = 0
    failed_deliveries: int = 0
    reach_pct: float | None = None


_OPTIONAL = frozenset(f.name for f in fields(Indicators) if f.default is None)


@dataclass(frozen=True)
class SectorCount:
    sector: str
    helix: str
    members: int
    organizations: int


@dataclass(frozen=True)
class Impact:
    """What /impact, the dashboard and the report show for one period and scope."""

    current: Indicators
    previous: Indicators
    months: tuple[Indicators, ...]  # the 12 months up to the period's end: trends
    composition: tuple[SectorCount, ...] = field(default=())


@dataclass(frozen=True)
class Table:
    """Rows for a page and its CSV: column names as in the view, values as stored."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


class ImpactRepository:
    def __init__(self, db: Database, tz: ZoneInfo) -> None:
        self.db = db
        self.tz = tz

    async def impact(self, period: Period, scope: str, *, trend_months: int = 12) -> Impact:
        """The period beside the previous one, the monthly trends and the composition."""
        months = last_months(period, trend_months)
        previous = period.previous()
        ids = await period_ids(self.db, [period, previous, *months], self.tz)
        values: dict[int, dict[str, Any]] = {i: {} for i in ids.values()}
        for view, columns in _VIEWS.items():
            wanted = set(ids.values()) if view in _TREND_VIEWS else {ids[period], ids[previous]}
            await self._read(view, columns, sorted(wanted), scope, values)
        composition = await self.db.fetchall(
            "SELECT sector, helix, members, organizations FROM v_impact_composition"
            " WHERE period_id = ? AND scope = ? ORDER BY members DESC, sector",
            (ids[period], scope),
        )
        return Impact(
            current=Indicators(period, scope, **values[ids[period]]),
            previous=Indicators(previous, scope, **values[ids[previous]]),
            months=tuple(Indicators(m, scope, **values[ids[m]]) for m in months),
            composition=tuple(SectorCount(*row) for row in composition),
        )

    async def _read(
        self,
        view: str,
        columns: dict[str, str],
        id_list: Sequence[int],
        scope: str,
        into: dict[int, dict[str, Any]],
    ) -> None:
        marks = ",".join("?" for _ in id_list)
        names = ", ".join(columns.values())
        for row in await self.db.fetchall(
            f"SELECT period_id, {names} FROM {view} WHERE period_id IN ({marks}) AND scope = ?",
            [*id_list, scope],
        ):
            target = into[int(row[0])]
            for name, value in zip(columns, tuple(row)[1:], strict=True):
                target[name] = value if value is not None or name in _OPTIONAL else 0

    # --- tables of the dashboard (and their CSV files) ----------------------------------------

    async def organizations(self, period: Period, scope: str) -> Table:
        """Each member organization: members at the end, how many took part, engaged or not."""
        ids = await period_ids(self.db, [period], self.tz)
        return await self._table(
            ("organization", "sector", "members", "participants", "participation_pct"),
            "SELECT organization, sector, members, participants,"
            " round(100.0 * participants / members, 1)"
            " FROM v_impact_organizations WHERE period_id = ? AND scope = ?"
            " ORDER BY participants DESC, members DESC, organization",
            (ids[period], scope),
        )

    async def events(self, period: Period, scope: str) -> Table:
        """Each event and meeting that started in the period (held or cancelled)."""
        start, end = _bounds(period, self.tz)
        axis = "" if scope == "cluster" else " AND axis = ?"
        columns = (
            "event_id",
            "starts_at",
            "kind",
            "axis",
            "working_group",
            "title",
            "status",
            "going",
            "maybe",
            "declined",
            "checked_in",
            "no_shows",
            "conversion_pct",
        )
        return await self._table(
            columns,
            f"SELECT {', '.join(columns)} FROM v_impact_events"
            f" WHERE starts_at >= ? AND starts_at < ?{axis} ORDER BY starts_at, event_id",
            (start, end) if not axis else (start, end, scope),
        )

    async def event(self, event_id: int) -> dict[str, Any] | None:
        row = await self.db.fetchone(
            "SELECT * FROM v_impact_events WHERE event_id = ?", (event_id,)
        )
        return dict(row) if row is not None else None

    async def surveys(self, period: Period, scope: str) -> Table:
        """Each survey launched in the period: response rate and NPS."""
        start, end = _bounds(period, self.tz)
        columns = (
            "survey_id",
            "opened_at",
            "title",
            "status",
            "invited",
            "completed",
            "response_pct",
            "nps_answers",
            "nps",
        )
        return await self._table(
            columns,
            f"SELECT {', '.join('v.' + c for c in columns)} FROM v_impact_surveys AS v"
            " JOIN v_impact_survey_scopes AS ss ON ss.survey_id = v.survey_id AND ss.scope = ?"
            " WHERE v.opened_at >= ? AND v.opened_at < ? ORDER BY v.opened_at, v.survey_id",
            (scope, start, end),
        )

    async def survey(self, survey_id: int) -> dict[str, Any] | None:
        row = await self.db.fetchone(
            "SELECT * FROM v_impact_surveys WHERE survey_id = ?", (survey_id,)
        )
        return dict(row) if row is not None else None

    async def survey_scopes(self, survey_id: int) -> frozenset[str]:
        rows = await self.db.fetchall(
            "SELECT scope FROM v_impact_survey_scopes WHERE survey_id = ?", (survey_id,)
        )
        return frozenset(str(r[0]) for r in rows)

    async def _table(self, columns: tuple[str, ...], sql: str, params: Sequence[Any]) -> Table:
        rows = await self.db.fetchall(sql, params)
        return Table(columns, tuple(tuple(r) for r in rows))


def indicator_names() -> tuple[str, ...]:
    """The figures of Indicators, in order (for a CSV of the indicators themselves)."""
    return tuple(f.name for f in fields(Indicators) if f.name not in ("period", "scope"))


def _bounds(period: Period, tz: ZoneInfo) -> tuple[str, str]:
    start, end = period.bounds(tz)
    return start.strftime("%Y-%m-%dT%H:%M:%SZ"), end.strftime("%Y-%m-%dT%H:%M:%SZ")
