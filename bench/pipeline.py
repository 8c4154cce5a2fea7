"""Benchmark 1: button taps from many members through the whole bot vs a bare Application.

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
from bench.dataset import FIRST_USER, build_async

MEMBERS = 1_000
TAPS = 5_000

# (wire, member number 1.., tap number) → the update; prepared before timing starts.
TapMaker = Callable[[Wire, int, int], dict[str, Any]]


def notification_taps(axes: list[int]) -> TapMaker:
    """Members muting and unmuting axes on their /notifications card: a stored toggle each."""

    def tap(wire: Wire, member: int, n: int) -> dict[str, Any]:
        return wire.tap(FIRST_USER + member, 1, f"nt:ax:{axes[n % len(axes)]}")

    return tap


async def _timed(
    database: Path, make: Callable[[sqlite3.Connection], TapMaker], *, members: int, taps: int
) -> tuple[float, float, int]:
    """Seconds for the bot, seconds for the baseline, and the rows the bot changed."""
    with sqlite3.connect(database) as conn:
        tap = make(conn)
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
    bare = await start_bare(InstantBotAPI())
    try:
        bare_seconds = await pump(bare, updates)
    finally:
        await stop_bare(bare)
    return bot_seconds, bare_seconds, taps


def _axes(conn: sqlite3.Connection) -> TapMaker:
    return notification_taps([r[0] for r in conn.execute("SELECT id FROM axes ORDER BY id")])


async def run(members: int = MEMBERS, taps: int = TAPS) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "pipeline.db"
        await build_async(database, members=members)
        bot, bare, n = await _timed(database, _axes, members=members, taps=taps)
    row = at_least(
        "update pipeline: notification taps/s (bot vs bare PTB)",
        n / bot,
        n / bare,
        "updates/s",
        0.8,
    )
    row.note = f"{taps} taps from {members} members, each stored before the reply"
    return [row]


if __name__ == "__main__":
    for result in asyncio.run(run()):
        print(result)
