"""Benchmark 2: complete sign-up conversations through the real bot vs the equal-work baseline.

Each person walks the whole form (language, privacy, name, organization, job,
e-mail, contact, an axis, confirm): eleven updates. People advance in waves —
everyone's next step is sent together, as a crowd at a cluster event would — and
each step taps the button the bot actually showed that person.

The equal-work baseline (bench/equal.py) gets the same waves and makes, per update,
the calls the bot made for that step (recorded in the same run: answer, edits, the
next question, the coordinators' notice) around one committed INSERT; the bare
Application (one message per update, no database) stays as a reference.
"""

from __future__ import annotations

import asyncio
import statistics
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
    reference,
    start_bare,
    start_bot,
    stop_bare,
    stop_bot,
)
from bench.equal import EqualWork, RecordingAPI, Script

PEOPLE = 300
ROUNDS = 3
FIRST_USER = 500_000

Step = Callable[[Wire, InstantBotAPI, int], dict[str, Any]]


def _tap(label: Callable[[int], str]) -> Step:
    def step(wire: Wire, api: InstantBotAPI, user_id: int) -> dict[str, Any]:
        keyboard = api.keyboards[user_id]
        if label(user_id) not in keyboard:
            raise RuntimeError(f"{user_id}: no {label(user_id)!r} in {list(keyboard)}")
        message_id, data = keyboard[label(user_id)]
        return wire.tap(user_id, message_id, data)

    return step


def _say(text: Callable[[int], str]) -> Step:
    return lambda wire, api, user_id: wire.text(user_id, text(user_id))


STEPS: list[Step] = [
    _say(lambda u: "/start"),
    _tap(lambda u: "✓ Español"),
    _tap(lambda u: "✅ Acepto"),
    _tap(lambda u: f"✅ Persona{u} Bench"),
    _tap(lambda u: "Continental"),
    _say(lambda u: "Ingeniera de procesos"),
    _say(lambda u: f"persona{u}@continental.com"),
    lambda wire, api, u: wire.contact(u, f"+52449{u:07d}"),
    _tap(lambda u: "💡 Innovación"),
    _tap(lambda u: "Continuar ▶️"),
    _tap(lambda u: "✅ Confirmar y enviar"),
]


async def _bot_signups(
    people: list[int], database: Path
) -> tuple[float, list[list[dict[str, Any]]], list[Script], RecordingAPI]:
    """Seconds the bot took; the waves of updates it was sent (replayed to the baselines) and,
    per wave, the calls it made for one person's update."""
    api = RecordingAPI()
    app = await start_bot(bench_settings(database), api)
    wire = Wire()
    waves: list[list[dict[str, Any]]] = []
    scripts: list[Script] = []
    seconds = 0.0
    try:
        for step in STEPS:
            wave = [step(wire, api, user_id) for user_id in people]
            api.learn_taps(wave)
            waves.append(wave)
            since = len(api.log)
            seconds += await pump(app, wave)
            scripts.append(_script(api, since, people))
        assert app.bot_data.services is not None
        db = app.bot_data.services.db
        done = await db.fetchval(
            "SELECT count(*) FROM members WHERE status = 'pending' AND telegram_user_id >= ?",
            (FIRST_USER,),
        )
        if done != len(people):
            raise RuntimeError(f"only {done} of {len(people)} sign-ups completed")
    finally:
        await stop_bot(app)
    return seconds, waves, scripts, api


def _script(api: RecordingAPI, since: int, people: list[int]) -> Script:
    """One person's calls in a wave, and their share of the calls to other chats (the
    coordinators' copy of each application)."""
    calls = api.calls_to(people[0], since)
    others = [(n, p) for chat, n, p in api.log[since:] if chat is not None and chat not in people]
    if len(others) % len(people):
        raise RuntimeError(f"{len(others)} calls to other chats for {len(people)} people")
    return calls + others[: len(others) // len(people)]


async def _equal(
    path: Path, waves: list[list[dict[str, Any]]], scripts: list[Script], bot: RecordingAPI
) -> float:
    current: list[Script] = [[]]
    baseline = EqualWork(path, lambda update: current[0])
    async with baseline as app:
        seconds = 0.0
        for wave, script in zip(waves, scripts, strict=True):
            current[0] = script
            baseline.api.learn_taps(wave)
            seconds += await pump(app, wave)
    if baseline.stored() != sum(len(w) for w in waves):
        raise RuntimeError("the equal-work baseline did not store every step")
    baseline.check_same_calls(bot)
    return seconds


async def _bare(waves: list[list[dict[str, Any]]]) -> float:
    api = InstantBotAPI()
    app = await start_bare(api)
    try:
        return sum([await pump(app, wave) for wave in waves])
    finally:
        await stop_bare(app)


async def run(people: int = PEOPLE, rounds: int = ROUNDS) -> list[Row]:
    """Rounds interleaved: each a fresh database and new people for the bot, then the
    equal-work baseline on the same waves."""
    bot: list[float] = []
    equal: list[float] = []
    updates = 0
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(rounds):
            users = list(range(FIRST_USER, FIRST_USER + people))
            seconds, waves, scripts, api = await _bot_signups(users, Path(tmp) / f"signup{n}.db")
            bot.append(seconds)
            equal.append(await _equal(Path(tmp) / f"equal{n}.db", waves, scripts, api))
            updates = sum(len(w) for w in waves)
    bare_seconds = await _bare(waves)
    ratios = [e / b for b, e in zip(bot, equal, strict=True)]
    median = statistics.median(bot)
    row = at_least(
        "sign-up updates/s ÷ equal-work sign-up baseline",
        updates / median,
        updates / statistics.median(equal),
        "updates/s",
        1.0,
    )
    row.note = (
        f"{people} people, {len(STEPS)} updates each, in waves; {rounds} rounds interleaved"
        f" (median), per round {min(ratios):.2f}–{max(ratios):.2f};"
        f" {people / median:.0f} complete sign-ups/s"
    )
    bare_row = reference(
        "  reference: sign-up updates/s ÷ bare PTB (1 call, no db)",
        updates / median,
        updates / bare_seconds,
        "updates/s",
    )
    return [row, bare_row]


if __name__ == "__main__":
    for result in asyncio.run(run()):
        print(result)
