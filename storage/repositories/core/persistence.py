"""Rows behind python-telegram-bot's persistence: conversation states and user data."""

from __future__ import annotations

import json
from typing import Any

from storage.database import Database


class PersistenceRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def conversations(self, name: str) -> dict[tuple[int | str, ...], object]:
        rows = await self.db.fetchall(
            "SELECT key, state FROM conversation_states WHERE name = ?", (name,)
        )
        return {tuple(json.loads(r["key"])): json.loads(r["state"]) for r in rows}

    async def set_conversation(
        self, name: str, key: tuple[int | str, ...], state: object | None
    ) -> None:
        """Store a conversation's state; None ends it (the row goes)."""
        key_json = json.dumps(list(key))
        if state is None:
            await self.db.execute(
                "DELETE FROM conversation_states WHERE name = ? AND key = ?", (name, key_json)
            )
        else:
            await self.db.execute(
                "INSERT INTO conversation_states (name, key, state) VALUES (?, ?, ?)"
                " ON CONFLICT (name, key) DO UPDATE SET state = excluded.state",
                (name, key_json, json.dumps(state)),
            )

    async def all_data(self, kind: str) -> dict[int, Any]:
        rows = await self.db.fetchall(
            "SELECT key, data FROM persistence_data WHERE kind = ?", (kind,)
        )
        return {int(r["key"]): json.loads(r["data"]) for r in rows}

    async def set_data(self, kind: str, key: int, data_json: str) -> None:
        await self.db.execute(
            "INSERT INTO persistence_data (kind, key, data) VALUES (?, ?, ?)"
            " ON CONFLICT (kind, key) DO UPDATE SET data = excluded.data",
            (kind, key, data_json),
        )

    async def drop_data(self, kind: str, key: int) -> None:
        await self.db.execute(
            "DELETE FROM persistence_data WHERE kind = ? AND key = ?", (kind, key)
        )

    async def forget_user(self, user_id: int) -> None:
        """Everything kept for one person: their data and any conversation keyed by them."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "DELETE FROM persistence_data WHERE kind = 'user' AND key = ?", (user_id,)
            )
            await conn.execute(
                "DELETE FROM conversation_states"
                " WHERE EXISTS (SELECT 1 FROM json_each(conversation_states.key)"
                " WHERE json_each.value = ?)",
                (user_id,),
            )
