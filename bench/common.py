"""What every benchmark shares: an instant offline Bot API, update builders, a pump, rows.

Benchmarks compare the bot with baselines in the same process and the same run
(bench/equal.py, bench/instant.py), so the machine's speed cancels out of the ratio.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest

from bench.instant import (  # re-exported below
    BOT_USER,
    TOKEN,
    InstantBotAPI,
    bare_application,
    start_bare,
    stop_bare,
)
from bot.application import App, build_application
from bot.config import Settings


class Wire:
    """Builds updates as Telegram sends them (wire JSON), for many people."""

    def __init__(self) -> None:
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)

    @staticmethod
    def user(user_id: int, language: str = "es") -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": f"Persona{user_id}",
            "last_name": "Bench",
            "language_code": language,
        }

    def text(self, user_id: int, text: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": 1_764_000_000,
            "chat": {"id": user_id, "type": "private", "first_name": f"Persona{user_id}"},
            "from": self.user(user_id),
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        return {"update_id": next(self._update_ids), "message": message}

    def contact(self, user_id: int, phone: str) -> dict[str, Any]:
        update = self.text(user_id, "")
        del update["message"]["text"]
        update["message"]["contact"] = {
            "phone_number": phone,
            "first_name": f"Persona{user_id}",
            "user_id": user_id,
        }
        return update

    def tap(self, user_id: int, message_id: int, data: str) -> dict[str, Any]:
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": str(next(self._callback_ids)),
                "from": self.user(user_id),
                "chat_instance": str(user_id),
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": 1_764_000_000,
                    "chat": {"id": user_id, "type": "private"},
                    "from": BOT_USER,
                    "text": "…",
                },
            },
        }


async def pump(
    app: Application[Any, Any, Any, Any, Any, Any], payloads: list[dict[str, Any]]
) -> float:
    """Put the updates in the Application's queue as polling would; seconds until all handled.

    The Application marks each update done in its queue after processing it, so
    `join()` returns exactly when the last one has been answered.
    """
    updates = [Update.de_json(p, app.bot) for p in payloads]
    started = time.perf_counter()
    for update in updates:
        await app.update_queue.put(update)
    await app.update_queue.join()
    return time.perf_counter() - started


@dataclass
class Row:
    """One line of the results table."""

    name: str
    value: float
    baseline: float
    unit: str
    ratio: float
    target: str
    met: bool | None  # None: a reference row, with no target
    note: str = ""

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def at_least(name: str, value: float, baseline: float, unit: str, target: float) -> Row:
    ratio = value / baseline if baseline else 0.0
    return Row(name, value, baseline, unit, ratio, f">= {target}", ratio >= target)


def at_most(name: str, value: float, baseline: float, unit: str, target: float) -> Row:
    ratio = value / baseline if baseline else float("inf")
    return Row(name, value, baseline, unit, ratio, f"<= {target}", ratio <= target)


def reference(name: str, value: float, baseline: float, unit: str) -> Row:
    """A row kept for comparison with earlier runs: printed, with no target."""
    ratio = value / baseline if baseline else 0.0
    return Row(name, value, baseline, unit, ratio, "-", None)


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` (0..1) of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def bench_settings(database: Path, **overrides: Any) -> Settings:
    """Production settings but for the token and the database; quiet logs."""
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "database_path": database,
        "admin_ids": frozenset({900}),
        "log_level": "WARNING",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


async def start_bot(settings: Settings, request: BaseRequest, *, sender_loop: bool = True) -> App:
    """The real bot, assembled and started as `clia-bot run` does, minus the polling."""
    app = build_application(settings, request=request, sender_loop=sender_loop)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    await app.start()
    return app


async def stop_bot(app: App) -> None:
    await app.stop()
    await app.shutdown()
    assert app.post_shutdown is not None
    await app.post_shutdown(app)


__all__ = [
    "BOT_USER",
    "TOKEN",
    "InstantBotAPI",
    "Row",
    "Wire",
    "at_least",
    "at_most",
    "bare_application",
    "bench_settings",
    "percentile",
    "pump",
    "reference",
    "start_bare",
    "start_bot",
    "stop_bare",
    "stop_bot",
]
