"""What every benchmark shares: an instant offline Bot API, update builders, a pump, rows.

Benchmarks compare the bot with a bare python-telegram-bot Application in the
same process and the same run, so the machine's speed cancels out of the ratio.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import BaseRequest, RequestData

from bot.application import App, build_application
from bot.config import Settings

BOT_USER = {"id": 777000, "is_bot": True, "first_name": "CLIA", "username": "clia_bench_bot"}
TOKEN = "123456:BENCH-token-never-sent"  # noqa: S105 - not a secret


class InstantBotAPI(BaseRequest):
    """Answers every call at once, like a Telegram with no latency.

    It remembers the newest inline keyboard per chat so that a driver can tap a
    button by its label, and counts calls per method.
    """

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.keyboards: dict[int, dict[str, tuple[int, str]]] = {}
        self._message_ids = itertools.count(1)

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        self.calls[name] += 1
        params: dict[str, Any] = dict(request_data.parameters) if request_data else {}
        result: Any = True
        if name == "getMe":
            result = BOT_USER
        elif name.startswith(("send", "edit")) and "chat_id" in params:
            chat_id = int(params["chat_id"])
            message_id = int(params.get("message_id") or next(self._message_ids))
            self._remember_keyboard(chat_id, message_id, params.get("reply_markup"))
            result = {
                "message_id": message_id,
                "date": 1_764_000_000,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": BOT_USER,
                "text": "…",
            }
        elif name == "getChatMember":
            result = {"status": "member", "user": BOT_USER}
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _remember_keyboard(self, chat_id: int, message_id: int, markup: Any) -> None:
        if isinstance(markup, str):
            markup = json.loads(markup)
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            self.keyboards[chat_id] = {
                button["text"]: (message_id, button["callback_data"])
                for row in markup["inline_keyboard"]
                for button in row
                if "callback_data" in button
            }

    def sent(self) -> int:
        return sum(n for name, n in self.calls.items() if name.startswith("send"))


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


def bare_application(request: InstantBotAPI) -> Application[Any, Any, Any, Any, Any, Any]:
    """The baseline: python-telegram-bot with one handler that sends one message per update."""

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is not None:
            await context.bot.send_message(chat.id, "ok")

    app = ApplicationBuilder().token(TOKEN).request(request).get_updates_request(request).build()
    app.add_handler(TypeHandler(Update, answer))
    return app


@dataclass
class Row:
    """One line of the results table."""

    name: str
    value: float
    baseline: float
    unit: str
    ratio: float
    target: str
    met: bool
    note: str = ""

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def at_least(name: str, value: float, baseline: float, unit: str, target: float) -> Row:
    ratio = value / baseline if baseline else 0.0
    return Row(name, value, baseline, unit, ratio, f">= {target}", ratio >= target)


def at_most(name: str, value: float, baseline: float, unit: str, target: float) -> Row:
    ratio = value / baseline if baseline else float("inf")
    return Row(name, value, baseline, unit, ratio, f"<= {target}", ratio <= target)


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


async def start_bare(request: InstantBotAPI) -> Application[Any, Any, Any, Any, Any, Any]:
    app = bare_application(request)
    await app.initialize()
    await app.start()
    return app


async def stop_bare(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await app.stop()
    await app.shutdown()
