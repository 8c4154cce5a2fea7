"""The sandbox's Telegram: people, chats, messages, updates, files and polls, in memory.

Everything here is shaped like the Bot API's JSON, so the bot cannot tell the
difference, and the chat page reads the same objects.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

BOT_ID = 7000000001
BOT_USERNAME = "clia_sandbox_bot"
BOT_USER: dict[str, Any] = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "CLIA",
    "username": BOT_USERNAME,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
COMMUNITY_ID = -1001000000001
# The community supergroup's forum topics: General (no thread id) and one per axis.
TOPICS: dict[int, str] = {
    101: "💡 Innovación",
    102: "🎓 Talento",
    103: "🧭 Liderazgo Consciente",
    104: "🌎 Globalización",
}


@dataclass
class Person:
    id: int
    first_name: str
    last_name: str | None
    language_code: str
    role_hint: str  # what the page shows: newcomer, member, coordinator, admin

    @property
    def user(self) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }
        if self.last_name:
            user["last_name"] = self.last_name
        return user

    @property
    def chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": self.first_name}


@dataclass
class StoredFile:
    file_id: str
    name: str
    mime: str
    data: bytes


@dataclass
class World:
    people: dict[int, Person] = field(default_factory=dict)
    messages: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # chat id → messages
    reply_keyboards: dict[int, dict[str, Any] | None] = field(default_factory=dict)
    commands: dict[tuple[str, int | None, str | None], list[dict[str, str]]] = field(
        default_factory=dict
    )
    files: dict[str, StoredFile] = field(default_factory=dict)
    polls: dict[str, dict[str, Any]] = field(default_factory=dict)
    alerts: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # user → pop-ups
    group_members: set[int] = field(default_factory=set)
    join_requests: set[int] = field(default_factory=set)
    updates: list[dict[str, Any]] = field(default_factory=list)
    query_users: dict[str, int] = field(default_factory=dict)  # callback query → who tapped
    version: int = 0  # bumped on every change, so the page knows when to redraw

    def __post_init__(self) -> None:
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._ids = itertools.count(1)
        self._new_update = asyncio.Condition()
        self.closing = False
        self.changed = asyncio.Event()
        self.messages.setdefault(COMMUNITY_ID, [])

    # --- people and their actions (from the page) ---------------------------------

    def add_person(
        self,
        first_name: str,
        last_name: str | None,
        language_code: str,
        role_hint: str,
        user_id: int | None = None,
    ) -> Person:
        person_id = user_id or 10_000 + len(self.people) + 1
        person = Person(person_id, first_name, last_name, language_code, role_hint)
        self.people[person_id] = person
        self.messages.setdefault(person_id, [])
        self._touch()
        return person

    def now(self) -> int:
        return int(time.time())

    def _message_from(self, person: Person, chat: dict[str, Any], **content: Any) -> dict[str, Any]:
        message = {
            "message_id": next(self._message_ids),
            "date": self.now(),
            "chat": chat,
            "from": person.user,
            **content,
        }
        self.messages.setdefault(chat["id"], []).append(message)
        return message

    async def person_sends(self, person: Person, text: str, thread_id: int | None = None) -> None:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split()[0])
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        chat = person.chat
        if thread_id is not None:
            chat = self.community_chat()
            if thread_id:
                content.update(message_thread_id=thread_id, is_topic_message=True)
        keyboard = self.reply_keyboards.get(chat["id"])
        if keyboard and keyboard.get("one_time_keyboard"):
            self.reply_keyboards[chat["id"]] = None
        await self.push({"message": self._message_from(person, chat, **content)})

    async def person_sends_file(
        self, person: Person, name: str, mime: str, data: bytes, caption: str = ""
    ) -> None:
        """A photo (an image) or a document from the page's 📎, as the Telegram app sends it."""
        stored = self.store_file(name, mime, data)
        content: dict[str, Any]
        if mime.startswith("image/"):
            size = {"width": 800, "height": 800, "file_size": len(data)}
            content = {
                "photo": [{"file_id": stored.file_id, "file_unique_id": stored.file_id, **size}]
            }
        else:
            content = {
                "document": {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_id,
                    "file_name": name,
                    "mime_type": mime,
                    "file_size": len(data),
                }
            }
        if caption:
            content["caption"] = caption
        await self.push({"message": self._message_from(person, person.chat, **content)})

    async def person_shares_contact(self, person: Person) -> None:
        contact = {
            "phone_number": f"+52449{person.id % 10_000_000:07d}",
            "first_name": person.first_name,
            "user_id": person.id,
        }
        self.reply_keyboards[person.id] = None
        await self.push({"message": self._message_from(person, person.chat, contact=contact)})

    async def person_taps(self, person: Person, chat_id: int, message_id: int, data: str) -> bool:
        message = self.find_message(chat_id, message_id)
        if message is None:
            return False
        query_id = str(next(self._ids))
        self.query_users[query_id] = person.id
        query = {
            "id": query_id,
            "from": person.user,
            "chat_instance": f"sandbox-{chat_id}",
            "data": data,
            "message": message,
        }
        await self.push({"callback_query": query})
        return True

    async def person_answers_poll(self, person: Person, poll_id: str, options: list[int]) -> bool:
        poll = self.polls.get(poll_id)
        if poll is None or poll["is_closed"]:
            return False
        voters = poll.setdefault("_voters", {})
        previous = voters.get(person.id, [])
        for index in previous:
            poll["options"][index]["voter_count"] -= 1
        for index in options:
            poll["options"][index]["voter_count"] += 1
        voters[person.id] = options
        poll["total_voter_count"] = len([v for v in voters.values() if v])
        if not poll["is_anonymous"]:
            answer = {
                "poll_id": poll_id,
                "user": person.user,
                "option_ids": options,
                "option_persistent_ids": [f"{poll_id}-{n}" for n in options],
            }
            await self.push({"poll_answer": answer})
        await self.push({"poll": _public_poll(poll)})
        return True

    async def person_asks_to_join(self, person: Person) -> None:
        self.join_requests.add(person.id)
        request = {
            "chat": self.community_chat(),
            "from": person.user,
            "user_chat_id": person.id,
            "date": self.now(),
        }
        await self.push({"chat_join_request": request})

    def community_chat(self) -> dict[str, Any]:
        return {
            "id": COMMUNITY_ID,
            "type": "supergroup",
            "title": "Comunidad CLIA",
            "is_forum": True,
        }

    # --- updates for getUpdates ----------------------------------------------------------

    async def push(self, payload: dict[str, Any]) -> None:
        update = {"update_id": next(self._update_ids), **payload}
        async with self._new_update:
            self.updates.append(update)
            self._new_update.notify_all()
        self._touch()

    async def close(self) -> None:
        """Shutting down: long polls (the bot's and the page's) answer now instead of being
        cut off mid-request."""
        self.closing = True
        async with self._new_update:
            self._new_update.notify_all()
        self._touch()

    async def get_updates(self, offset: int, limit: int, wait: float) -> list[dict[str, Any]]:
        """Long polling: confirmed updates (below offset) are forgotten, as Telegram does."""
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        deadline = time.monotonic() + wait
        async with self._new_update:
            while not self.updates and not self.closing:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    await asyncio.wait_for(self._new_update.wait(), remaining)
                except TimeoutError:
                    break
        return self.updates[:limit]

    # --- what the bot does (Bot API methods) ------------------------------------------------

    def bot_message(
        self, chat_id: int, thread_id: int | None = None, **content: Any
    ) -> dict[str, Any]:
        chat = self.community_chat() if chat_id == COMMUNITY_ID else self.people[chat_id].chat
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": self.now(),
            "chat": chat,
            "from": BOT_USER,
            **content,
        }
        if thread_id:
            message.update(message_thread_id=thread_id, is_topic_message=True)
        self.messages.setdefault(chat_id, []).append(message)
        self._touch()
        return message

    def find_message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        for message in self.messages.get(chat_id, []):
            if message["message_id"] == message_id:
                return message
        return None

    def store_file(self, name: str, mime: str, data: bytes) -> StoredFile:
        stored = StoredFile(f"sandbox-file-{next(self._ids)}", name, mime, data)
        self.files[stored.file_id] = stored
        return stored

    def new_poll_id(self) -> str:
        return f"sandbox-poll-{next(self._ids)}"

    def alert(self, user_id: int, text: str, show_alert: bool) -> None:
        self.alerts.setdefault(user_id, []).append({"text": text, "show_alert": show_alert})
        self._touch()

    def _touch(self) -> None:
        self.version += 1
        self.changed.set()
        self.changed = asyncio.Event()


def _public_poll(poll: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in poll.items() if not k.startswith("_")}
