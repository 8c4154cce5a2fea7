"""Months, quarters and years as people name them ("2026-10", "2026-Q4", "2026"), their local
midnight-to-midnight bounds in UTC, and the `impact_periods` calendar the views are keyed by."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from storage.database import Database
from storage.models import to_db_time

PeriodKind = Literal["month", "quarter", "year"]
KINDS: tuple[PeriodKind, ...] = ("month", "quarter", "year")
_LABEL = re.compile(r"(\d{4})(?:-(\d{2})|-Q([1-4]))?")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period; `number` is the month (1–12), the quarter (1–4) or 1 for a year."""

    kind: PeriodKind
    year: int
    number: int = 1

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year:04d}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year:04d}-Q{self.number}"
        return f"{self.year:04d}"

    @property
    def _months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.kind]

    def _first_month(self) -> tuple[int, int]:
        """(year, month) of the period's first month."""
        return self.year, (self.number - 1) * self._months + 1

    def previous(self) -> Period:
        if self.number > 1:
            return Period(self.kind, self.year, self.number - 1)
        return Period(self.kind, self.year - 1, 12 // self._months)

    def next(self) -> Period:
        if self.number < 12 // self._months:
            return Period(self.kind, self.year, self.number + 1)
        return Period(self.kind, self.year + 1, 1)

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """Local midnight of the first day to local midnight after the last, as UTC."""
        year, month = self._first_month()
        start = datetime(year, month, 1, tzinfo=tz)
        end_year, end_month = divmod(month - 1 + self._months, 12)
        end = datetime(year + end_year, end_month + 1, 1, tzinfo=tz)
        return start.astimezone(UTC), end.astimezone(UTC)

    def months(self) -> list[Period]:
        """The months the period is made of."""
        year, month = self._first_month()
        return [Period("month", year, month + i) for i in range(self._months)]

    @classmethod
    def containing(cls, kind: PeriodKind, moment: datetime, tz: ZoneInfo) -> Period:
        local = moment.astimezone(tz)
        if kind == "month":
            return cls("month", local.year, local.month)
        if kind == "quarter":
            return cls("quarter", local.year, (local.month - 1) // 3 + 1)
        return cls("year", local.year)

    @classmethod
    def parse(cls, label: str) -> Period | None:
        """ "2026-10", "2026-Q4" or "2026"; None for anything else."""
        match = _LABEL.fullmatch(label.strip())
        if match is None:
            return None
        year, month, quarter = match.groups()
        if month is not None:
            return cls("month", int(year), int(month)) if 1 <= int(month) <= 12 else None
        if quarter is not None:
            return cls("quarter", int(year), int(quarter))
        return cls("year", int(year))


def last_months(period: Period, count: int = 12) -> list[Period]:
    """The `count` months up to the period's last month, oldest first."""
    month = period.months()[-1]
    months = [month]
    while len(months) < count:
        months.append(months[-1].previous())
    return months[::-1]


async def period_ids(db: Database, periods: list[Period], tz: ZoneInfo) -> dict[Period, int]:
    """The calendar rows of these periods, written (with `tz`'s bounds) when missing."""
    wanted = {(p.kind, p.label): p for p in periods}
    found: dict[Period, int] = {}
    for batch in _chunks(list(wanted), 200):
        marks = ",".join("(?, ?)" for _ in batch)
        params = [value for key in batch for value in key]
        for row in await db.fetchall(
            f"SELECT id, kind, label FROM impact_periods WHERE (kind, label) IN (VALUES {marks})",
            params,
        ):
            found[wanted[(row[1], row[2])]] = int(row[0])
    missing = [p for p in wanted.values() if p not in found]
    if missing:
        async with db.transaction() as conn:
            for p in missing:
                start, end = p.bounds(tz)
                cursor = await conn.execute(
                    "INSERT INTO impact_periods (kind, label, starts_at, ends_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (kind, label) DO UPDATE"
                    " SET starts_at = excluded.starts_at, ends_at = excluded.ends_at"
                    " RETURNING id",
                    (p.kind, p.label, to_db_time(start), to_db_time(end)),
                )
                inserted = await cursor.fetchone()
                assert inserted is not None
                found[p] = int(inserted[0])
    return found


def _chunks(items: list[tuple[str, str]], size: int) -> list[list[tuple[str, str]]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
