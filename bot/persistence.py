"""python-telegram-bot persistence on the bot's own SQLite database.

Conversation states and per-user data survive a restart, so someone halfway
through a form continues at the step they left. Only conversations and user
data are stored (bot and chat data are not used). Writes are skipped when
nothing changed, and `flush_after_update` (registered as the last handler
group) saves the state right after each update instead of once a minute — only
what the update changed: the state of the forms that handled it
(bot.conversations.Conversation, which every persistent conversation must be:
`check_conversations`) and the person's user data if it differs from what was
saved. Most updates (a tap on an answer) change neither and write nothing.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from telegram import Update
from telegram.ext import Application, BasePersistence, ConversationHandler, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from bot.context import Ctx
from bot.conversations import Conversation
from storage.database import Database
from storage.repositories.core.persistence import PersistenceRepository

UserData = dict[Any, Any]


class SQLitePersistence(BasePersistence[UserData, dict[Any, Any], Any]):
    def __init__(self, db: Database, update_interval: float = 60) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self.db = db
        self.repo = PersistenceRepository(db)
        self._written: dict[int, str] = {}  # last JSON written per user
        # Last state written per conversation: PTB hands over every state touched since
        # the last flush (and unresolved ones again each time); unchanged ones are skipped.
        self._states: dict[tuple[str, ConversationKey], object | None] = {}

    async def get_user_data(self) -> dict[int, UserData]:
        await self.db.ensure_ready()
        data = await self.repo.all_data("user")
        self._written = {key: json.dumps(value, sort_keys=True) for key, value in data.items()}
        return data

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> Any:
        return None

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        await self.db.ensure_ready()
        states = await self.repo.conversations(name)
        self._states.update({(name, key): state for key, state in states.items()})
        return states

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        if self._states.get((name, key)) == new_state:
            return
        await self.repo.set_conversation(name, key, new_state)
        self._states[(name, key)] = new_state

    def unsaved(self, user_id: int, data: UserData | None) -> bool:
        """Whether this user data differs from what was stored (nothing stored: empty)."""
        return self._written.get(user_id, "{}") != json.dumps(data or {}, sort_keys=True)

    async def update_user_data(self, user_id: int, data: UserData) -> None:
        encoded = json.dumps(data, sort_keys=True)
        if self._written.get(user_id, "{}") == encoded:  # nothing stored means empty data
            return
        if data:
            await self.repo.set_data("user", user_id, encoded)
        else:
            await self.repo.drop_data("user", user_id)
        self._written[user_id] = encoded

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_bot_data(self, data: Any) -> None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def drop_user_data(self, user_id: int) -> None:
        await self.repo.drop_data("user", user_id)
        self._written.pop(user_id, None)

    async def refresh_user_data(self, user_id: int, user_data: UserData) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: Any) -> None:
        return None

    async def flush(self) -> None:
        """Every write is already committed; nothing is buffered here."""


def check_conversations(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Every persistent conversation is a `Conversation`: a plain ConversationHandler's new
    state would wait for python-telegram-bot's minute instead of the end of the update."""
    for handlers in application.handlers.values():
        for handler in handlers:
            if not isinstance(handler, ConversationHandler) or isinstance(handler, Conversation):
                continue
            if handler.persistent:
                raise TypeError(f"{handler.name}: use bot.conversations.Conversation")


async def flush_after_update(update: Update, context: Ctx) -> None:
    """Save the conversation states and the user data this update changed, now, together.

    Only the forms that handled the update (`Ctx.forms_ran`) and this person's user data
    can have changed: those are saved, in one group commit, without python-telegram-bot's
    pass over all its data under one lock (which made every form's update wait for the
    others' commits). Its own pass still runs every minute and at shutdown, and finds
    nothing left to write."""
    user, application = update.effective_user, context.application
    persistence = application.persistence
    if user is None or persistence is None:
        return
    if not isinstance(persistence, SQLitePersistence):
        await application.update_persistence()
        return
    saves = []
    for form, key in context.forms_ran:
        state = form.state_of(key)
        if form.name is not None and not form.pending(key):
            saves.append(persistence.update_conversation(form.name, key, state))
    data = application.user_data.get(user.id)
    if persistence.unsaved(user.id, data):
        saves.append(persistence.update_user_data(user.id, data or {}))
    if saves:
        await asyncio.gather(*saves)


__all__ = ["SQLitePersistence", "check_conversations", "flush_after_update"]
