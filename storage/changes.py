"""Which rows the writer changed: how the row caches stay correct whoever writes.

`Database.watch(table, column, cache)` puts TEMP triggers on the one writing
connection. Every row a statement inserts, updates or deletes in that table —
through a repository, a cascade of a foreign key, a test's raw SQL or a future
feature's — calls the SQL function `clia_changed` with the row's key, which is
noted here on the connection's thread. When the transaction has ended (committed
or rolled back), before any of its callers resumes, `deliver()` makes each cache
forget the keys written. The triggers are temporary (nothing is stored in the
database file) and are put back after migrations, which may rebuild a table.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Hashable
from typing import Protocol

import aiosqlite

log = logging.getLogger(__name__)

FUNCTION = "clia_changed"


class Forgetful(Protocol):
    """What a cache offers the writes (storage.cache.RowCache)."""

    def forget(self, key: Hashable) -> None: ...

    def clear(self) -> None: ...


class Changes:
    """The watched (table, column) pairs, their caches, and the keys written since the
    last transaction ended."""

    def __init__(self) -> None:
        self._watched: dict[tuple[str, str], list[Forgetful]] = {}
        self._installed: set[tuple[str, str]] = set()
        self._function_on: aiosqlite.Connection | None = None
        self._written: list[tuple[str, str, Hashable]] = []  # appended on the writer's thread

    def watch(self, table: str, column: str, cache: Forgetful) -> None:
        if not (table.isidentifier() and column.isidentifier()):
            raise ValueError(f"not a plain table and column name: {table}.{column}")
        self._watched.setdefault((table, column), []).append(cache)

    @property
    def pending(self) -> bool:
        """Some watch has no triggers yet on the writer."""
        return len(self._installed) < len(self._watched)

    def _note(self, table: str, column: str, key: Hashable) -> None:
        self._written.append((table, column, key))

    async def install(self, writer: aiosqlite.Connection) -> None:
        """Put the triggers of every watch on the writer (those already there stay)."""
        if self._function_on is not writer:
            await writer.create_function(FUNCTION, 3, self._note)
            self._function_on = writer
            self._installed.clear()
        for table, column in self._watched.keys() - self._installed:
            try:
                for statement in _triggers(table, column):
                    await writer.execute(statement)
            except sqlite3.OperationalError:  # no such table yet: after the migrations
                log.debug("%s is not there yet; watched once migrated", table)
                continue
            self._installed.add((table, column))

    def reset(self) -> None:
        """The database was opened or migrated: every cache starts afresh, and the triggers
        are put back (a migration may have rebuilt a table, which drops its triggers)."""
        self._installed.clear()
        self._written.clear()
        for caches in self._watched.values():
            for cache in caches:
                cache.clear()

    def deliver(self) -> None:
        """A transaction ended: the caches forget every key written in it."""
        written, self._written = self._written, []
        for table, column, key in written:
            for cache in self._watched.get((table, column), ()):
                cache.forget(key)


def _triggers(table: str, column: str) -> list[str]:
    """After each insert, update (old and new key) and delete, report the row's key."""
    name = f"clia_watch_{table}_{column}"
    report = f"SELECT {FUNCTION}('{table}', '{column}', {{row}}.{column})"
    return [
        f"CREATE TEMP TRIGGER IF NOT EXISTS {name}_{event.split()[0].lower()}"
        f" AFTER {event} ON main.{table} BEGIN {body}; END"
        for event, body in (
            ("INSERT", report.format(row="NEW")),
            ("UPDATE", f"{report.format(row='OLD')}; {report.format(row='NEW')}"),
            ("DELETE", report.format(row="OLD")),
        )
    ]
