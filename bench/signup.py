"""Benchmark 2: complete sign-up conversations through the real bot vs a bare Application.

Each person walks the whole form (language, privacy, name, organization, job,
e-mail, contact, an axis, confirm): eleven updates. People advance in waves —
everyone's next step is sent together, as a crowd at a cluster event would — and
each step taps the button the bot actually showed that person.
"""

from __future__ import annotations

import asyncio
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

PEOPLE = 300
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
) -> tuple[float, list[list[dict[str, Any]]]]:
    """Seconds the bot took; the waves of updates it was sent (replayed to the baseline)."""
    api = InstantBotAPI()
    app = await start_bot(bench_settings(database), api)
    wire = Wire()
    waves: list[list[dict[str, Any]]] = []
    seconds = 0.0
    try:
        for step in STEPS:
            wave = [step(wire, api, user_id) for user_id in people]
            waves.append(wave)
            seconds += await pump(app, wave)
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
    return seconds, waves


async def _bare(waves: list[list[dict[str, Any]]]) -> float:
    api = InstantBotAPI()
    app = await start_bare(api)
    try:
        return sum([await pump(app, wave) for wave in waves])
    finally:
        await stop_bare(app)


async def run(people: int = PEOPLE) -> list[Row]:
    users = list(range(FIRST_USER, FIRST_USER + people))
    with tempfile.TemporaryDirectory() as tmp:
        bot_seconds, waves = await _bot_signups(users, Path(tmp) / "signup.db")
    bare_seconds = await _bare(waves)
    updates = sum(len(w) for w in waves)
    row = at_least(
        "sign-up: updates/s (bot vs bare PTB)",
        updates / bot_seconds,
        updates / bare_seconds,
        "updates/s",
        0.5,
    )
    row.note = f"{people / bot_seconds:.0f} complete sign-ups/s, {len(STEPS)} updates each"
    return [row]


if __name__ == "__main__":
    for result in asyncio.run(run()):
        print(result)
