"""Equal-work baselines: python-telegram-bot written the straightforward way, doing per update
exactly the Bot API calls the bot made for it and one committed write, and nothing else.

The bare baseline of `bench.instant` makes one call and touches no database, so comparing
the bot with it measures mostly the difference in work. Here each update gets the calls the
bot made for the same update in the same run — the same methods with the same texts and
keyboards, recorded by `RecordingAPI` — around one aiosqlite `INSERT` and `COMMIT` on one
shared connection (WAL, `synchronous=NORMAL`): the bot's durability, without its caller
lookup, authorization, state or persistence. `concurrent_updates(True)` runs the updates
concurrently, as a naive bot would.

Nothing here imports the bot, so the baseline measures python-telegram-bot and aiosqlite alone.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiosqlite
from telegram import (
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    TelegramObject,
    Update,
)
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import RequestData

from bench.instant import TOKEN, InstantBotAPI

Call = tuple[str, dict[str, Any]]  # a Bot API method and its parameters, as the bot sent them
Script = list[Call]  # the calls made for one update, in order
PTBApp = Application[Any, Any, Any, Any, Any, Any]

# The methods the bot makes while answering people, as PTB names them.
_METHODS = {
    "sendMessage": "send_message",
    "editMessageText": "edit_message_text",
    "editMessageReplyMarkup": "edit_message_reply_markup",
    "answerCallbackQuery": "answer_callback_query",
    "deleteMessage": "delete_message",
}


class RecordingAPI(InstantBotAPI):
    """The instant Bot API that also notes, per chat, each call and when it was made.

    `callback_chats` tells whose chat an answer to a tap belongs to (answerCallbackQuery
    names only the tap).
    """

    def __init__(self) -> None:
        super().__init__()
        self.callback_chats: dict[str, int] = {}
        self.log: list[tuple[int | None, str, dict[str, Any]]] = []  # (chat, method, params)
        self.last_call_at: dict[int, float] = {}  # per chat: perf_counter of its latest call
        self.recording = True

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        if name in _METHODS:
            params: dict[str, Any] = dict(request_data.parameters) if request_data else {}
            chat = params.get("chat_id")
            if chat is None:
                chat = self.callback_chats.get(str(params.get("callback_query_id")))
            chat_id = int(chat) if chat is not None else None
            if chat_id is not None:
                self.last_call_at[chat_id] = time.perf_counter()
            if self.recording:
                self.log.append((chat_id, name, params))
        return await super().do_request(url, method, request_data, *args, **kwargs)

    def learn_taps(self, payloads: list[dict[str, Any]]) -> None:
        """Remember whose chat each tap in these wire updates comes from."""
        for payload in payloads:
            query = payload.get("callback_query")
            if query is not None:
                self.callback_chats[str(query["id"])] = int(query["from"]["id"])

    def calls_to(self, chat_id: int, since: int = 0) -> Script:
        return [(name, params) for chat, name, params in self.log[since:] if chat == chat_id]


def split_at_answers(calls: Script) -> list[Script]:
    """One person's calls cut into one script per tap: each tap's calls start with the
    answer to it (the bot answers every tap once)."""
    scripts: list[Script] = []
    for call in calls:
        if call[0] == "answerCallbackQuery" or not scripts:
            scripts.append([])
        scripts[-1].append(call)
    return scripts


def _markup(value: dict[str, Any]) -> TelegramObject:
    if "inline_keyboard" in value:
        return InlineKeyboardMarkup.de_json(value, None)
    if "keyboard" in value:
        return ReplyKeyboardMarkup.de_json(value, None)
    return ReplyKeyboardRemove.de_json(value, None)


async def _replay(context: ContextTypes.DEFAULT_TYPE, update: Update, call: Call) -> None:
    """Make the call for this update: its chat, its tap and its message in place of the
    recorded person's; a keyboard is built afresh, as a handler builds it."""
    name, recorded = call
    params = dict(recorded)
    chat, query = update.effective_chat, update.callback_query
    if "chat_id" in params and chat is not None and int(params["chat_id"]) > 0:
        params["chat_id"] = chat.id  # staff notices (to other chats) keep their chat
    if "callback_query_id" in params and query is not None:
        params["callback_query_id"] = query.id
    if "message_id" in params and query is not None and query.message is not None:
        params["message_id"] = query.message.message_id
    if isinstance(params.get("reply_markup"), dict):
        params["reply_markup"] = _markup(params["reply_markup"])
    method = getattr(context.bot, _METHODS[name])
    accepted = _accepted(method)  # the bot's defaults add parse_mode even where unused
    await method(**{key: value for key, value in params.items() if key in accepted})


_ACCEPTED: dict[str, frozenset[str]] = {}


def _accepted(method: Any) -> frozenset[str]:
    name = method.__name__
    if name not in _ACCEPTED:
        _ACCEPTED[name] = frozenset(inspect.signature(method).parameters)
    return _ACCEPTED[name]


def equal_work_application(
    request: InstantBotAPI,
    connection: aiosqlite.Connection,
    script_for: Callable[[Update], Script],
    failures: list[BaseException],
) -> PTBApp:
    """The baseline: per update, answer the tap (if any), INSERT and COMMIT, then the rest
    of the calls the bot made for the same update."""

    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        calls = script_for(update)
        if calls and calls[0][0] == "answerCallbackQuery":
            await _replay(context, update, calls[0])
            calls = calls[1:]
        user = update.effective_user
        await connection.execute(
            "INSERT INTO answers (user_id, data, at) VALUES (?, ?, ?)",
            (user.id if user else 0, _data(update), time.time()),
        )
        await connection.commit()
        for call in calls:
            await _replay(context, update, call)

    async def failed(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if context.error is not None:
            failures.append(context.error)

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(request)
        .get_updates_request(request)
        .concurrent_updates(True)
        .build()
    )
    app.add_handler(TypeHandler(Update, handle))
    app.add_error_handler(failed)
    return app


def _data(update: Update) -> str:
    if update.callback_query is not None:
        return update.callback_query.data or ""
    message = update.effective_message
    if message is not None and message.contact is not None:
        return message.contact.phone_number
    return message.text or "" if message is not None else ""


async def open_store(path: Path) -> aiosqlite.Connection:
    """The baseline's one shared connection, with the bot's durability settings."""
    connection = await aiosqlite.connect(path)
    await connection.execute("PRAGMA journal_mode=WAL")
    await connection.execute("PRAGMA synchronous=NORMAL")
    await connection.execute(
        "CREATE TABLE IF NOT EXISTS answers (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL,"
        " data TEXT NOT NULL, at REAL NOT NULL)"
    )
    await connection.commit()
    return connection


class EqualWork:
    """The equal-work baseline, started and stopped around a run: `async with EqualWork(...)`."""

    def __init__(self, path: Path, script_for: Callable[[Update], Script]) -> None:
        self.path = path
        self.script_for = script_for
        self.api = RecordingAPI()
        self.api.recording = False
        self.app: PTBApp | None = None
        self.connection: aiosqlite.Connection | None = None
        self.failures: list[BaseException] = []

    async def __aenter__(self) -> PTBApp:
        self.connection = await open_store(self.path)
        self.app = equal_work_application(self.api, self.connection, self.script_for, self.failures)
        await self.app.initialize()
        await self.app.start()
        return self.app

    async def __aexit__(self, *exc: object) -> None:
        if self.app is not None:
            await self.app.stop()
            await self.app.shutdown()
        if self.connection is not None:
            await self.connection.close()
        if self.failures:
            raise RuntimeError(
                f"the equal-work baseline failed {len(self.failures)} updates"
            ) from self.failures[0]

    def check_same_calls(self, bot: InstantBotAPI) -> None:
        """The baseline made exactly the calls the bot made (for the updates both were sent)."""
        for method in _METHODS:
            if self.api.calls[method] != bot.calls[method]:
                raise RuntimeError(
                    f"{method}: the bot made {bot.calls[method]} calls, the equal-work baseline "
                    f"{self.api.calls[method]}"
                )

    def stored(self) -> int:
        import sqlite3

        with sqlite3.connect(self.path) as conn:
            return int(conn.execute("SELECT count(*) FROM answers").fetchone()[0])
