"""Benchmark 6: impact figures for a cluster of 10,000 members, 1,000 events and 100,000 answers.

- the whole /impact computation (a month beside the previous one, the 12-month trends, the
  composition; and the summary in words) vs the same numbers read by plain SQL queries in one
  sqlite3 connection: the views' SELECTs as the repository sends them (target ≤ 1.5×);
- the monthly PDF report of an admin (the cluster in full and each axis beside it), in CPU
  seconds of the whole process, worker threads included: a printed figure against the 3-second
  budget, not a test.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.common import Row, at_most, bench_settings
from bench.impact_data import build_async
from bot.application import build_application
from handlers.impact import report
from handlers.impact.command import summary_text
from storage.repositories.impact.figures import _TREND_VIEWS, _VIEWS, SCOPES, ImpactRepository
from storage.repositories.impact.periods import Period, last_months, period_ids

TZ = ZoneInfo("America/Mexico_City")
PERIOD = Period("month", 2026, 10)
ROUNDS = 3


def _plain_sql(path: Path, ids: dict[Period, int]) -> None:
    """The same figures with sqlite3 in one connection: one SELECT per view, over the periods
    each is needed for, and the composition."""
    current, previous = ids[PERIOD], ids[PERIOD.previous()]
    with sqlite3.connect(path) as conn:
        for view, columns in _VIEWS.items():
            wanted = sorted(ids.values()) if view in _TREND_VIEWS else [current, previous]
            marks = ",".join("?" for _ in wanted)
            conn.execute(
                f"SELECT period_id, {', '.join(columns.values())} FROM {view}"  # noqa: S608
                f" WHERE period_id IN ({marks}) AND scope = 'cluster'",
                wanted,
            ).fetchall()
        conn.execute(
            "SELECT sector, helix, members, organizations FROM v_impact_composition"
            " WHERE period_id = ? AND scope = 'cluster' ORDER BY members DESC, sector",
            (current,),
        ).fetchall()


async def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "impact.db"
        await build_async(path)
        application = build_application(bench_settings(path))
        services = application.bot_data.services
        assert services is not None
        await services.db.ensure_ready()
        try:
            repo = ImpactRepository(services.db, TZ)
            t = services.i18n.get("es")
            ids = await period_ids(
                services.db, [PERIOD, PERIOD.previous(), *last_months(PERIOD)], TZ
            )
            bot, plain = float("inf"), float("inf")
            for _ in range(ROUNDS):  # interleaved, best of each
                started = time.perf_counter()
                summary_text(t, await repo.impact(PERIOD, "cluster"))
                bot = min(bot, time.perf_counter() - started)
                started = time.perf_counter()
                await asyncio.to_thread(_plain_sql, path, ids)
                plain = min(plain, time.perf_counter() - started)
            cpu = time.process_time()
            pdf, _caption = await report.build(services, t, PERIOD, SCOPES)
            cpu = time.process_time() - cpu
        finally:
            await services.db.close()
    figures = at_most("impact: /impact figures vs plain SQL", bot, plain, "s", 1.5)
    figures.note = "10k members, 1,000 events, 100k answers; the same view queries in sqlite3"
    pdf_row = at_most("impact: monthly PDF report, CPU s (budget 3 s)", cpu, 3.0, "s", 1.0)
    pdf_row.note = f"the cluster in full and four axes beside it; {len(pdf) // 1024} KiB"
    return [figures, pdf_row]


if __name__ == "__main__":
    for result in asyncio.run(run()):
        print(result)
