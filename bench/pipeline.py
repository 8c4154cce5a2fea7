"""Benchmark 1: survey-answer taps from many members through the whole bot vs a bare
Application.

The bot does everything it does in production for each tap: flood control, the
caller's member row and language, authorization, the answer committed to SQLite
before the reply, the reply itself, persistence. The baseline is
python-telegram-bot with one handler that sends one message per update; both get
the same updates, in the same process, through the same queue.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import (
    InstantBotAPI,
    Row,
    Wire,
    at_least,
    bench_settings,
    pump,
    start_bare,
    start_bot,
    stop_bare,
    stop_bot,
)
from bench.dataset import FIRST_USER, add_tap_survey, build_async

MEMBERS = 1_000
TAPS = 5_000

# (wire, member number 1.., tap number) → the update; prepared before timing starts.
TapMaker = Callable[[Wire, int, int], dict[str, Any]]


def survey_taps(survey_id: int, questions: list[tuple[int, str]]) -> TapMaker:
    """Each member answers the five questions of an open survey, one tap each, in order."""

    def tap(wire: Wire, member: int, n: int) -> dict[str, Any]:
        question_id, action = questions[n % len(questions)]
        return wire.tap(FIRST_USER + member, 1, f"sv:{survey_id}:{question_id}:{action}")

    return tap


async def _timed(
    database: Path, tap: TapMaker, *, members: int, taps: int
) -> tuple[float, float, int]:
    """Seconds for the bot, seconds for the baseline, and the taps."""
    wire = Wire()
    updates = [tap(wire, 1 + i % members, i // members) for i in range(taps)]
    api = InstantBotAPI()
    app = await start_bot(bench_settings(database), api)
    try:
        bot_seconds = await pump(app, updates)
    finally:
        await stop_bot(app)
    if api.calls["answerCallbackQuery"] != taps:
        raise RuntimeError(f"{api.calls['answerCallbackQuery']} of {taps} taps were answered")
    with sqlite3.connect(database) as conn:
        stored = conn.execute("SELECT count(*) FROM survey_responses WHERE complete = 1").fetchone()
    if stored[0] < members:  # the 10k responses of the seeded survey are complete too
        raise RuntimeError("the answers were not all stored")
    bare = await start_bare(InstantBotAPI())
    try:
        bare_seconds = await pump(bare, updates)
    finally:
        await stop_bare(bare)
    return bot_seconds, bare_seconds, taps


async def run(members: int = MEMBERS, taps: int = TAPS) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "pipeline.db"
        await build_async(database, members=members)
        survey_id, questions = add_tap_survey(database, members)
        tap = survey_taps(survey_id, questions)
        bot, bare, n = await _timed(database, tap, members=members, taps=taps)
    row = at_least(
        "update pipeline: survey-answer taps/s (bot vs bare PTB)",
        n / bot,
        n / bare,
        "updates/s",
        0.8,
    )
    row.note = f"{taps} taps from {members} members, each answer committed before the reply"
    return [row]


if __name__ == "__main__":
    for result in asyncio.run(run()):
        print(result)
