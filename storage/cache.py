"""Small caches of rows that many updates read and few writes change.

A `RowCache` keeps what a repository read for a key (a member by Telegram id, a
survey by id). It is kept correct by the writes themselves, whatever code makes
them: `Database.watch` reports every row written to the watched table once the
write's transaction has ended, and the cache forgets that key (see
storage/changes.py). A read that raced such a write is not kept, so the very
next update after a commit reads the new row.
"""

from __future__ import annotations

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
        self._generation = 0  # moves on every forget: a load that raced it is not kept

    async def get(self, key: K, load: Callable[[K], Awaitable[V]]) -> V:
        """The cached value, or `load(key)`'s, kept unless a write to it ended meanwhile."""
        found = self._rows.get(key, _MISSING)
        if found is not _MISSING:
            return found  # type: ignore[return-value]
        generation = self._generation
        value = await load(key)
        if generation == self._generation:
            if len(self._rows) >= self.limit:
                del self._rows[next(iter(self._rows))]
            self._rows[key] = value
        return value

    def forget(self, key: Hashable) -> None:
        """A row with this key was written (inserted, changed or deleted)."""
        self._rows.pop(key, None)
        self._generation += 1

    def clear(self) -> None:
        """Anything may have changed (the schema was migrated)."""
        self._rows.clear()
        self._generation += 1

    def __len__(self) -> int:
        return len(self._rows)
