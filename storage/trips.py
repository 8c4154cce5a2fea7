"""Trips to a connection's thread, shared by everyone waiting for one.

aiosqlite runs each statement on its connection's own thread and wakes the event loop
with the result: one trip there and back per statement, each costing the loop a wake-up
and both threads a hand-over of Python's lock. Under load that was a large part of the
bot's time. Here what is waiting travels together:

- `Reads`: the reads queued while a trip is out go together on the next one, each its own
  statement, each finished before the next (no snapshot is kept open between them).
- `run_writes`: the writes gathered for the current group commit (storage/database.py) run
  in one trip: single statements as they are (SQLite undoes a failed statement by itself),
  functions each in a SAVEPOINT of their own, so that one failing rolls back alone.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar, cast

import aiosqlite

T = TypeVar("T")
Params = Sequence[Any] | dict[str, Any]
Work = Callable[[sqlite3.Connection], Any]


async def on_thread(conn: aiosqlite.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """Run `work` with the sqlite3 connection on its own thread, in one trip. aiosqlite has
    no public way to do so; its own methods all go through `_execute`."""
    run = cast(Callable[[Callable[[], T]], Awaitable[T]], conn._execute)
    return await run(lambda: work(conn._conn))


@dataclass
class Write:
    """A write waiting for the writer: `run(conn)` gives its result (a lastrowid, or what a
    function returns), set on `done` once committed; `isolated` ones run in a SAVEPOINT."""

    run: Work
    isolated: bool
    done: asyncio.Future[Any] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


def run_writes(conn: sqlite3.Connection, begin: bool, writes: list[Write]) -> list[Any]:
    """On the writer's thread: BEGIN if asked, then each write; per write its result or the
    exception that undid it (the others stand)."""
    if begin:
        conn.execute("BEGIN IMMEDIATE")
    results: list[Any] = []
    for write in writes:
        if not write.isolated:
            try:
                results.append(write.run(conn))
            except sqlite3.Error as exc:  # one statement: SQLite has undone it already
                results.append(exc)
            continue
        conn.execute("SAVEPOINT write")
        try:
            results.append(write.run(conn))
        except Exception as exc:
            conn.execute("ROLLBACK TO write")
            results.append(exc)
        conn.execute("RELEASE write")
    return results


def statement(sql: str, params: Params) -> Work:
    """A single write statement as a write's `run`: its lastrowid."""
    return lambda conn: conn.execute(sql, params).lastrowid or 0


@dataclass
class _Read:
    sql: str
    params: Params
    done: asyncio.Future[list[sqlite3.Row]]


def _fetch_each(conn: sqlite3.Connection, reads: list[_Read]) -> list[Any]:
    results: list[Any] = []
    for read in reads:
        try:
            results.append(conn.execute(read.sql, read.params).fetchall())
        except sqlite3.Error as exc:
            results.append(exc)
    return results


class Reads:
    """The reads waiting for one connection; a trip takes all of them, and those that come
    meanwhile take the next."""

    def __init__(self) -> None:
        self.conn: aiosqlite.Connection | None = None
        self._waiting: list[_Read] = []
        self._task: asyncio.Task[None] | None = None

    async def fetchall(self, sql: str, params: Params) -> list[sqlite3.Row]:
        if self.conn is None:
            raise RuntimeError("database is not open")
        read = _Read(sql, params, asyncio.get_running_loop().create_future())
        self._waiting.append(read)
        if self._task is None:
            self._task = asyncio.create_task(self._trips(self.conn))
        return await read.done

    async def _trips(self, conn: aiosqlite.Connection) -> None:
        try:
            while self._waiting:
                reads, self._waiting = self._waiting, []
                try:
                    results = await on_thread(conn, partial(_fetch_each, reads=reads))
                except asyncio.CancelledError:
                    for read in reads:
                        read.done.cancel()
                    raise
                except Exception as exc:  # the connection is gone: nobody gets an answer
                    results = [exc] * len(reads)
                for read, result in zip(reads, results, strict=True):
                    if read.done.done():
                        continue
                    if isinstance(result, BaseException):
                        read.done.set_exception(result)
                    else:
                        read.done.set_result(result)
        finally:
            self._task = None
