"""Drive the real Application like people in a chat: send, tap, share; then look."""

from __future__ import annotations

import asyncio
import copy
import itertools
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from telegram import Update

from bot.application import App, build_application
from bot.config import Settings
from bot.retries import Sleep
from storage.database import Database
from tests.fake_bot_api import Call, FakeBotAPI

TEST_TOKEN = "123456:TEST-token-for-the-offline-fake-api"


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 24, 16, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": TEST_TOKEN,
        "database_path": tmp_path / "clia.db",
        "admin_ids": frozenset({900}),
        "default_language": "es",
        "timezone": "America/Mexico_City",
        "community_chat_id": None,
        "webhook_url": None,
        "log_level": "DEBUG",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class Replies:
    """What the bot did in answer to one action."""

    calls: list[Call]

    @property
    def messages(self) -> list[Call]:
        """Sends and edits that Telegram accepted."""
        return [c for c in self.calls if c.ok and c.method.startswith(("send", "edit"))]

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.messages]

    @property
    def text(self) -> str:
        """All visible text, joined: for `in` assertions."""
        return "\n".join(self.texts)

    @property
    def last(self) -> Call:
        assert self.messages, f"the bot sent nothing; calls: {[c.method for c in self.calls]}"
        return self.messages[-1]

    @property
    def alerts(self) -> list[str]:
        return [
            str(c.params.get("text", "")) for c in self.calls if c.method == "answerCallbackQuery"
        ]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class Harness:
    """The real Application over the offline fake; restartable on the same database.

    `errors` collects what reached the error handler: a test that expects a
    failure empties it; otherwise the fixture fails the test.
    """

    def __init__(self, tmp_path: Path, **settings: Any) -> None:
        self._errors = _Collect()
        logging.getLogger("handlers.core.errors").addHandler(self._errors)
        self.tmp_path = tmp_path
        self.clock = FakeClock()
        self.api = FakeBotAPI(self.clock)
        self.settings = make_settings(tmp_path, **settings)
        self.app: App | None = None
        self.slept: list[float] = []
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._message_ids = itertools.count(1)

    @property
    def errors(self) -> list[logging.LogRecord]:
        return self._errors.records

    def close(self) -> None:
        logging.getLogger("handlers.core.errors").removeHandler(self._errors)

    def build(self, sleep: Sleep | None = None) -> App:
        """The Application over the fake, not started (`start`, or bot.running.serve)."""
        app = build_application(
            self.settings,
            request=self.api,
            clock=self.clock,
            sender_loop=False,
            sleep=sleep or self._sleep,
        )
        sender = app.bot_data.services.outbox_sender  # type: ignore[union-attr]
        sender.monotonic = lambda: self.clock().timestamp()
        return app

    async def start(self) -> App:
        app = self.build()
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
        await app.start()
        self.app = app
        return app

    async def stop(self) -> None:
        app, self.app = self.app, None
        if app is None:
            return
        await app.stop()
        await app.shutdown()
        assert app.post_shutdown is not None
        await app.post_shutdown(app)

    async def restart(self) -> App:
        await self.stop()
        return await self.start()

    async def saved_forms(self) -> list[tuple[str, tuple[object, ...]]]:
        """The forms' state as saved now (conversation states and user data)."""
        saved: list[tuple[str, tuple[object, ...]]] = []
        for table in ("conversation_states", "persistence_data"):
            rows = await self.db.fetchall(f"SELECT * FROM {table}")  # noqa: S608 - fixed names
            saved += [(table, tuple(r)) for r in rows]
        return saved

    async def restart_as_if_crashed(self, forms: list[tuple[str, tuple[object, ...]]]) -> App:
        """Restart as if the process had died right after a commit, before the forms' state of
        that update was saved: everything committed stays, the forms are as in `forms`."""
        await self.stop()
        async with Database(self.settings.database_path) as db, db.transaction() as conn:
            for table in ("conversation_states", "persistence_data"):
                await conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
            for table, row in forms:
                marks = ", ".join("?" for _ in row)
                await conn.execute(f"INSERT INTO {table} VALUES ({marks})", row)  # noqa: S608
        return await self.start()

    async def _sleep(self, seconds: float) -> None:
        """The bot's waits (retries, the sender's pacing, 429) pass on the fake clock at once."""
        self.slept.append(seconds)
        self.clock.advance(seconds=seconds)
        await asyncio.sleep(0)

    async def drain(self) -> Replies:
        """Let the outbox sender send everything pending now; what it did."""
        assert self.app is not None, "start the harness first"
        before = len(self.api.calls)
        await self.app.bot_data.services.outbox_sender.drain()  # type: ignore[union-attr]
        return Replies(self.api.calls[before:])

    @property
    def db(self) -> Database:
        assert self.app is not None and self.app.bot_data.services is not None
        return self.app.bot_data.services.db

    async def feed(self, payload: dict[str, Any]) -> Replies:
        """Send one update (wire JSON) through the Application; return what the bot did."""
        assert self.app is not None, "start the harness first"
        before = len(self.api.calls)
        payload = {"update_id": next(self._update_ids), **payload}
        await self.app.process_update(Update.de_json(payload, self.app.bot))
        return Replies(self.api.calls[before:])

    async def feed_all(self, payloads: list[dict[str, Any]]) -> Replies:
        """Updates as Telegram delivers a batch: through the update queue and the
        concurrent update processor, all at once. Returns when all are processed."""
        assert self.app is not None, "start the harness first"
        before = len(self.api.calls)
        for payload in payloads:
            payload = {"update_id": next(self._update_ids), **payload}
            await self.app.update_queue.put(Update.de_json(payload, self.app.bot))
        await asyncio.wait_for(self.app.update_queue.join(), timeout=10)
        return Replies(self.api.calls[before:])

    def person(self, user_id: int = 1001, first_name: str = "Ana", **kwargs: Any) -> Person:
        return Person(self, user_id, first_name, **kwargs)


class Person:
    """Someone in a private chat with the bot."""

    def __init__(
        self,
        harness: Harness,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        language_code: str | None = "es",
        username: str | None = None,
    ) -> None:
        self.h = harness
        self.id = user_id
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            self.user["last_name"] = last_name
        if language_code:
            self.user["language_code"] = language_code
        if username:
            self.user["username"] = username

    @property
    def chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": self.user["first_name"]}

    def _message(self, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self.h._message_ids),
            "date": int(self.h.clock().timestamp()),
            "chat": self.chat,
            "from": self.user,
            **content,
        }

    def text_update(self, text: str) -> dict[str, Any]:
        """The update of this person sending `text` (commands get their entity)."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split()[0])
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"message": self._message(**content)}

    async def send(self, text: str) -> Replies:
        return await self.h.feed(self.text_update(text))

    async def send_sticker(self) -> Replies:
        sticker = {
            "file_id": "sticker-1",
            "file_unique_id": "s1",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
        return await self.h.feed({"message": self._message(sticker=sticker)})

    async def send_photo(self) -> Replies:
        photo = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90}]
        return await self.h.feed({"message": self._message(photo=photo)})

    async def share_contact(self, phone: str, user_id: int | None = None) -> Replies:
        contact = {"phone_number": phone, "first_name": self.user["first_name"]}
        contact["user_id"] = self.id if user_id is None else user_id
        return await self.h.feed({"message": self._message(contact=contact)})

    async def edit(self, text: str) -> Replies:
        message = self._message(text=text)
        message["edit_date"] = message["date"]
        return await self.h.feed({"edited_message": message})

    def inbox(self) -> list[dict[str, Any]]:
        """The messages the bot has in this chat now, oldest first."""
        return [m for (chat, _), m in sorted(self.h.api.messages.items()) if chat == self.id]

    def tap_update(self, label: str) -> dict[str, Any]:
        """The update of tapping the inline button with this label on the newest message that
        shows it (the message as it is now, as Telegram sends it with the tap)."""
        for message in reversed(self.inbox()):
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"] == label:
                        return self.callback_update(button["callback_data"], message)
        shown = [
            b["text"]
            for m in self.inbox()
            for row in m.get("reply_markup", {}).get("inline_keyboard", [])
            for b in row
        ]
        raise AssertionError(f"no button {label!r} in the chat; buttons shown: {shown}")

    def callback_update(self, data: str, message: dict[str, Any] | None = None) -> dict[str, Any]:
        """A callback query with any data, as a forged or stale button would send."""
        if message is None:
            inbox = self.inbox()
            assert inbox, "no message of the bot to attach the button to"
            message = inbox[-1]
        query = {
            "id": str(next(self.h._callback_ids)),
            "from": self.user,
            "chat_instance": f"ci{self.id}",
            "data": data,
            "message": copy.deepcopy(message),  # as it was when tapped, whatever happens next
        }
        return {"callback_query": query}

    async def tap(self, label: str) -> Replies:
        """Tap the inline button with this label on the newest message that shows it."""
        return await self.h.feed(self.tap_update(label))

    async def tap_data(self, data: str, message: dict[str, Any] | None = None) -> Replies:
        """Send a callback query with any data, as a forged or stale button would."""
        return await self.h.feed(self.callback_update(data, message))

    async def double_tap(self, label: str) -> Replies:
        """Two taps on the same button before the first is answered: both carry the message
        as it was, and Telegram delivers them together."""
        first = self.tap_update(label)
        second = copy.deepcopy(first)
        second["callback_query"]["id"] = str(next(self.h._callback_ids))
        return await self.h.feed_all([first, second])

    def tap_data_update(self, data: str, message: dict[str, Any] | None = None) -> dict[str, Any]:
        """The update of a tap with any data (for `feed_all`, many people at once)."""
        return self.callback_update(data, message)
