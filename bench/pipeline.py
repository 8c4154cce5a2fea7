"""Benchmark 1: survey-answer taps from many members through the whole bot.

The bot does everything it does in production for each tap: flood control, the
caller's member row and language, authorization, the answer committed to SQLite
before the reply, the reply itself, persistence. It is compared, in the same run,
with the equal-work baseline (bench/equal.py: python-telegram-bot doing the same
Bot API calls around one committed INSERT, nothing else) and, as a reference kept
from the first round, with a bare Application that sends one message per update.

Rows: taps per second (rounds interleaved, each on a fresh survey), the reply
latency p99 when 1,000 members tap at once, and the SQL statements and
transactions per tap under load (counted with sqlite3's trace callback).
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from telegram import Update

from bench.common import (
    Row,
    Wire,
    at_least,
    at_most,
    bench_settings,
    percentile,
    pump,
    reference,
    start_bare,
    start_bot,
    stop_bare,
    stop_bot,
)
from bench.dataset import FIRST_USER, add_tap_survey, build_async
from bench.equal import EqualWork, RecordingAPI, Script, split_at_answers
from bench.instant import InstantBotAPI
from bot.application import App, services_of

MEMBERS = 1_000
TAPS = 5_000
ROUNDS = 3  # throughput: bot and equal-work baseline interleaved, each round a fresh survey

# (wire, member number 1.., tap number) → the update; prepared before timing starts.
TapMaker = Callable[[Wire, int, int], dict[str, Any]]


def survey_taps(survey_id: int, questions: list[tuple[int, str]]) -> TapMaker:
    """Each member answers the five questions of an open survey, one tap each, in order."""

    def tap(wire: Wire, member: int, n: int) -> dict[str, Any]:
        question_id, action = questions[n % len(questions)]
        return wire.tap(FIRST_USER + member, 1, f"sv:{survey_id}:{question_id}:{action}")

    return tap


def _taps(tap: TapMaker, members: int, taps: int) -> list[dict[str, Any]]:
    wire = Wire()
    return [tap(wire, 1 + i % members, i // members) for i in range(taps)]


def _scripts(api: RecordingAPI, payloads: list[dict[str, Any]]) -> dict[str, Script]:
    """What the bot sent for each tap, by the tap's button: every member follows the same
    path, so the first member's calls, cut at each answer, serve for all."""
    first = int(payloads[0]["callback_query"]["from"]["id"])
    mine = [
        p["callback_query"]["data"] for p in payloads if p["callback_query"]["from"]["id"] == first
    ]
    scripts = split_at_answers(api.calls_to(first))
    if len(scripts) != len(mine):
        raise RuntimeError(f"{len(scripts)} scripts for {len(mine)} taps")
    return dict(zip(mine, scripts, strict=True))


def _script_for(scripts: dict[str, Script]) -> Callable[[Update], Script]:
    def script_for(update: Update) -> Script:
        assert update.callback_query is not None and update.callback_query.data is not None
        return scripts[update.callback_query.data]

    return script_for


def _check_answered(api: InstantBotAPI, taps: int) -> None:
    if api.calls["answerCallbackQuery"] != taps:
        raise RuntimeError(f"{api.calls['answerCallbackQuery']} of {taps} taps were answered")


async def _bot_round(
    database: Path, payloads: list[dict[str, Any]]
) -> tuple[float, dict[str, Script], RecordingAPI]:
    """Seconds the bot took, the calls it made per tap's button, and its Bot API."""
    api = RecordingAPI()
    api.learn_taps(payloads)
    app = await start_bot(bench_settings(database), api)
    try:
        seconds = await pump(app, payloads)
    finally:
        await stop_bot(app)
    _check_answered(api, len(payloads))
    return seconds, _scripts(api, payloads), api


async def _equal_round(
    path: Path, payloads: list[dict[str, Any]], scripts: dict[str, Script], bot: RecordingAPI
) -> float:
    baseline = EqualWork(path, _script_for(scripts))
    async with baseline as app:
        seconds = await pump(app, payloads)
    baseline.check_same_calls(bot)
    return seconds


async def _bare_round(payloads: list[dict[str, Any]]) -> float:
    bare = await start_bare(InstantBotAPI())
    try:
        return await pump(bare, payloads)
    finally:
        await stop_bare(bare)


async def throughput(
    tmp: Path, database: Path, members: int, taps: int, rounds: int
) -> tuple[list[float], list[float], float, dict[str, Script]]:
    """Seconds per round of the bot and of the equal-work baseline, the bare reference's
    seconds, and the bot's calls per button (for the latency run)."""
    bot: list[float] = []
    equal: list[float] = []
    scripts: dict[str, Script] = {}
    payloads: list[dict[str, Any]] = []
    for n in range(rounds):
        survey_id, questions = add_tap_survey(database, members)
        payloads = _taps(survey_taps(survey_id, questions), members, taps)
        seconds, scripts, api = await _bot_round(database, payloads)
        bot.append(seconds)
        equal.append(await _equal_round(tmp / f"equal{n}.db", payloads, scripts, api))
    with sqlite3.connect(database) as conn:
        done = conn.execute(
            "SELECT count(*) FROM survey_responses r JOIN surveys s ON s.id = r.survey_id"
            " WHERE s.title = 'Pulso rápido' AND r.complete = 1"
        ).fetchone()[0]
    if done != rounds * members:
        raise RuntimeError(f"{done} of {rounds * members} responses were completed")
    return bot, equal, await _bare_round(payloads), scripts


async def _latencies(app: Any, api: RecordingAPI, payloads: list[dict[str, Any]]) -> list[float]:
    """Seconds from each tap entering the queue to the last call of its reply."""
    updates = [Update.de_json(p, app.bot) for p in payloads]
    entered: dict[int, float] = {}
    for update in updates:
        assert update.effective_user is not None
        entered[update.effective_user.id] = time.perf_counter()
        await app.update_queue.put(update)
    await app.update_queue.join()
    return [api.last_call_at[user] - at for user, at in entered.items()]


async def latency(tmp: Path, database: Path, members: int) -> tuple[float, float]:
    """p99 of the reply latency, bot and equal-work baseline, every member tapping at once."""
    survey_id, questions = add_tap_survey(database, members)
    payloads = _taps(survey_taps(survey_id, questions), members, members)  # one tap each
    api = RecordingAPI()
    api.learn_taps(payloads)
    app = await start_bot(bench_settings(database), api)
    try:
        bot = await _latencies(app, api, payloads)
    finally:
        await stop_bot(app)
    scripts = _scripts(api, payloads)
    baseline = EqualWork(tmp / "latency.db", _script_for(scripts))
    baseline.api.learn_taps(payloads)
    async with baseline as bare:
        equal = await _latencies(bare, baseline.api, payloads)
    baseline.check_same_calls(api)
    return percentile(bot, 0.99), percentile(equal, 0.99)


async def statements(database: Path, members: int) -> tuple[float, float, float, float]:
    """SQL statements per tap (all, those answering a question, the last ones, which file the
    response) and transactions (COMMITs) per tap: every member answering a whole survey, the
    taps interleaved as in the throughput run, on a freshly started bot."""
    survey_id, questions = add_tap_survey(database, members)
    payloads = _taps(survey_taps(survey_id, questions), members, members * len(questions))
    last = members * (len(questions) - 1)  # the taps before answer the other questions
    app: App = await start_bot(bench_settings(database), InstantBotAPI())
    db = services_of(app).db
    counted: list[str] = []
    try:
        await db.trace(counted.append)
        commits = db.commits
        await pump(app, payloads[:last])
        answering = len(counted)
        await pump(app, payloads[last:])
        commits = db.commits - commits
        await db.trace(None)
    finally:
        await stop_bot(app)
    taps = len(payloads)
    return (
        len(counted) / taps,
        answering / last,
        (len(counted) - answering) / (taps - last),
        commits / taps,
    )


async def run(members: int = MEMBERS, taps: int = TAPS, rounds: int = ROUNDS) -> list[Row]:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        database = tmp / "pipeline.db"
        await build_async(database, members=members)
        bot, equal, bare, _ = await throughput(tmp, database, members, taps, rounds)
        bot_p99, equal_p99 = await latency(tmp, database, members)
        per_tap, answering, filing, transactions = await statements(database, members)
    ratios = [e / b for b, e in zip(bot, equal, strict=True)]
    median = statistics.median(bot)
    row = at_least(
        "survey taps/s ÷ equal-work tap baseline",
        taps / median,
        taps / statistics.median(equal),
        "updates/s",
        1.0,
    )
    row.note = (
        f"{taps} taps from {members} members, {rounds} rounds interleaved (median);"
        f" per round {min(ratios):.2f}–{max(ratios):.2f}"
    )
    bare_row = reference(
        "  reference: survey taps/s ÷ bare PTB (1 call, no db)",
        taps / median,
        taps / bare,
        "updates/s",
    )
    latency_row = at_most(
        "reply latency p99, 1,000 members at once ÷ equal-work",
        bot_p99 * 1000,
        equal_p99 * 1000,
        "ms",
        2.0,
    )
    latency_row.note = "from the update entering the queue to its reply call"
    sql_row = Row(
        "SQL statements per tap under load (trace callback)",
        per_tap,
        4.0,
        "statements",
        per_tap / 4.0,
        "<= 4",
        per_tap <= 4.0 and transactions < 1.0,
        note=f"a whole survey per member; answering a question {answering:.2f}, the last tap"
        f" (files the response) {filing:.2f}; transactions (COMMITs) per tap {transactions:.3f}"
        " (target < 1)",
    )
    return [row, bare_row, latency_row, sql_row]


if __name__ == "__main__":
    for result in asyncio.run(run()):
        print(result)
