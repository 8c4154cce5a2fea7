"""Benchmark 3: survey analysis on 100,000 answers.

- /results' figures (response rate, counts per option and value, means, NPS, texts) vs a
  raw sqlite3 `GROUP BY question, option` over the same table (target ≤ 2×);
- the long CSV export (labels, codes, names joined in) vs a raw sqlite3 SELECT of the
  same answers written with the csv module (target ≤ 2× in every one of five runs).

Both sides read the same file in the same run: the figures the best of three runs each,
the export five runs, each the bot's then the raw one, and the worst of their ratios.
"""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.common import Row, at_most
from bench.dataset import build_async
from storage.database import Database
from storage.repositories.surveys import exports as survey_exports
from storage.repositories.surveys.repository import SurveyRepository

ROUNDS = 3
EXPORT_ROUNDS = 5


def _raw_group_by(path: Path, survey_id: int) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(
            "SELECT a.question_id, a.option_id, a.value_number, count(*) FROM survey_answers a"
            " JOIN survey_questions q ON q.id = a.question_id WHERE q.survey_id = ?"
            " GROUP BY 1, 2, 3",
            (survey_id,),
        ).fetchall()


def _raw_csv(path: Path, survey_id: int) -> int:
    with sqlite3.connect(path) as conn:
        cursor = conn.execute(
            "SELECT a.* FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id"
            " WHERE q.survey_id = ?",
            (survey_id,),
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerows(cursor)
        return len(buffer.getvalue())


async def _best(step: object, rounds: int = ROUNDS) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        result = step()  # type: ignore[operator]
        if asyncio.iscoroutine(result):
            await result
        best = min(best, time.perf_counter() - started)
    return best


async def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "analysis.db"
        survey_id = await build_async(path)
        db = Database(path)
        await db.open()
        try:
            repo = SurveyRepository(db)

            async def figures() -> None:
                repo._surveys.clear()  # each run reads the survey as /results would
                assert await repo.results(survey_id) is not None

            async def export() -> None:
                survey = await repo.get(survey_id)
                assert survey is not None
                await survey_exports.export(db, survey, "csv")

            bot_figures = await _best(figures)
            exports: list[tuple[float, float]] = []
            for _ in range(EXPORT_ROUNDS):  # interleaved: a busy moment hits both sides
                exports.append(
                    (await _best(export, 1), await _best(lambda: _raw_csv(path, survey_id), 1))
                )
        finally:
            await db.close()
        raw_figures = await _best(lambda: _raw_group_by(path, survey_id))
    first = at_most(
        "analysis: /results figures vs raw GROUP BY", bot_figures, raw_figures, "s", 2.0
    )
    first.note = "100,000 answers; counts, means, NPS and texts vs one GROUP BY"
    ratios = [bot / raw for bot, raw in exports]
    bot_export, raw_export = exports[max(range(len(ratios)), key=ratios.__getitem__)]
    second = at_most(
        "analysis: CSV export ÷ raw SELECT + csv, worst of 5 runs", bot_export, raw_export, "s", 2.0
    )
    second.note = (
        f"labels, codes, names and organizations vs the bare answer rows; {EXPORT_ROUNDS} runs"
        f" interleaved, each {min(ratios):.2f}–{max(ratios):.2f}"
    )
    return [first, second]


if __name__ == "__main__":
    for result in asyncio.run(run()):
        print(result)
