"""Small caches of rows that many updates read and few writes change.

A `RowCache` keeps what a repository read for a key (a member by Telegram id, a
survey by id). It is kept correct by the writes themselves, whatever code makes
them: `Database.watch` reports every row written to the watched table once the
write's transaction has ended, and the cache forgets that key (see
storage/changes.py). A read that raced such a write is not kept, so the very
next update after a commit reads the new row.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_MISSING = object()


class RowCache(Generic[K, V]):
    """Up to `limit` values by key (the oldest go first); `forget` and `clear` on writes."""

    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self._rows: dict[Hashable, V] = {}
        self._loading: dict[Hashable, asyncio.Task[V]] = {}  # one read per key at a time
        self._generation = 0  # moves on every forget: a load that raced it is not kept

    async def get(self, key: K, load: Callable[[K], Awaitable[V]]) -> V:
        """The cached value, or `load(key)`'s, kept unless a write to it ended meanwhile.
        Whoever asks for a key being loaded waits for that load (a burst reads it once)."""
        found = self._rows.get(key, _MISSING)
        if found is not _MISSING:
            return found  # type: ignore[return-value]
        task = self._loading.get(key)
        if task is None:
            task = asyncio.ensure_future(self._load(key, load))
            task.add_done_callback(_retrieved)
            self._loading[key] = task
        return await asyncio.shield(task)

    async def _load(self, key: K, load: Callable[[K], Awaitable[V]]) -> V:
        generation = self._generation
        try:
            value = await load(key)
        finally:
            if self._loading.get(key) is asyncio.current_task():
                del self._loading[key]
        if generation == self._generation:
            if len(self._rows) >= self.limit:
                del self._rows[next(iter(self._rows))]
            self._rows[key] = value
        return value

    def forget(self, key: Hashable) -> None:
        """A row with this key was written (inserted, changed or deleted)."""
        self._rows.pop(key, None)
        self._loading.pop(key, None)  # a read begun before the write is nobody's answer now
        self._generation += 1

    def clear(self) -> None:
        """Anything may have changed (the schema was migrated)."""
        self._rows.clear()
        self._loading.clear()
        self._generation += 1

    def __len__(self) -> int:
        return len(self._rows)


def _retrieved(task: asyncio.Task[object]) -> None:
    """A load's failure reaches whoever waits for it; if they were all cancelled, nobody."""
    if not task.cancelled():
        task.exception()
