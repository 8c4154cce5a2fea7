"""The offline Bot API that answers at once, and the bare python-telegram-bot baseline.

Nothing here imports the bot, so a baseline process measures python-telegram-bot alone.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import BaseRequest, RequestData

BOT_USER = {"id": 777000, "is_bot": True, "first_name": "CLIA", "username": "clia_bench_bot"}
TOKEN = "123456:BENCH-token-never-sent"  # noqa: S105 - not a secret
ANNOUNCEMENT = "<b>Aviso del clúster</b>: la asamblea general es el jueves."  # bot and baseline


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


def bare_application(request: InstantBotAPI) -> Application[Any, Any, Any, Any, Any, Any]:
    """The baseline: python-telegram-bot with one handler that sends one message per update."""

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is not None:
            await context.bot.send_message(chat.id, "ok")

    app = ApplicationBuilder().token(TOKEN).request(request).get_updates_request(request).build()
    app.add_handler(TypeHandler(Update, answer))
    return app


async def start_bare(request: InstantBotAPI) -> Application[Any, Any, Any, Any, Any, Any]:
    app = bare_application(request)
    await app.initialize()
    await app.start()
    return app


async def stop_bare(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await app.stop()
    await app.shutdown()
