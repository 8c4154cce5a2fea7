"""One SQLite database: a read connection, one writer, and group commit.

Every write runs in a transaction: a `transaction()` block, a `write()` function,
or a single `execute()` statement. Concurrent ones from different tasks are
gathered into one `BEGIN IMMEDIATE ... COMMIT`: blocks and functions each in
their own SAVEPOINT (so a failing one rolls back alone; a single statement is
undone by SQLite itself), and each caller is resumed only after the shared
COMMIT. A handler that confirms something to a member therefore replies after
the data is durable, while a burst of writers pays for one commit instead of one
each. Single statements, functions and reads outside transactions go to their
connection's thread together (storage/trips.py); the caches of rows learn of
every write when its transaction ends (storage/changes.py).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import sqlite3
import unicodedata
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

import aiosqlite

from storage import migrations, trips
from storage.changes import Changes, Forgetful

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA secure_delete=ON",  # deleted rows (drafts of anonymous answers) are zeroed
)

Row = aiosqlite.Row
T = TypeVar("T")
Params = Sequence[Any] | dict[str, Any]

# The database whose writer the current task is inside, to let transactions nest.
_inside: contextvars.ContextVar[Database | None] = contextvars.ContextVar(
    "clia_db_inside", default=None
)


def fold(text: object) -> str | None:
    """Text as people search it: no accents, no case ("frio" finds "Frío Express"). Registered
    in SQLite as `fold(x)`; phones often type without accents."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def read_only_uri(path: Path) -> str:
    """A `file:` URI opening the database read-only; the path is percent-encoded, so a
    folder called "a#b" or "¿datos?" is not cut short."""
    return f"{Path(path).resolve().as_uri()}?mode=ro"


def like_pattern(text: str) -> str:
    """A LIKE pattern (ESCAPE '\\') for names containing the folded text."""
    folded = fold(text) or ""
    return "%" + folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class _Batch:
    """Transactions that share one COMMIT; their callers wait on `committed`, or (queued
    writes) on their own future, resolved with their result once committed."""

    def __init__(self) -> None:
        self.committed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.committed.add_done_callback(_retrieved)  # a failure is reported to each caller
        self.size = 0
        self.writes: list[tuple[asyncio.Future[Any], Any]] = []

    def settle(self, error: BaseException | None) -> None:
        if error is not None:
            self.committed.set_exception(error)
        else:
            self.committed.set_result(None)
        for done, result in self.writes:
            if done.done():  # its caller was cancelled
                continue
            if error is not None:
                done.set_exception(error)
            else:
                done.set_result(result)


def _retrieved(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()


class Database:
    """The one store: open it once, share it, close it on shutdown."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._batch: _Batch | None = None
        self._commit_task: asyncio.Task[None] | None = None
        self._writes: list[trips.Write] = []  # waiting for the next trip (see execute, write)
        self._write_task: asyncio.Task[None] | None = None
        self._reads = trips.Reads()  # reads outside transactions travel together
        self._savepoints = 0
        self.commits = 0  # how many COMMITs ran; the benchmarks read it
        self.wal_needs_scrub = False  # an anonymous draft was deleted since the last scrub
        self.changes = Changes()  # rows written, for the caches (storage/changes.py)

    async def open(self) -> None:
        """Open both connections and apply the pragmas."""
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = await self._connect()
        self._reader = await self._connect()
        await self._reader.execute("PRAGMA query_only=ON")
        self._reads.conn = self._reader
        self.changes.reset()
        await self.changes.install(self._writer)

    async def _connect(self) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.create_function("fold", 1, fold, deterministic=True)
        for pragma in _PRAGMAS:
            await conn.execute(pragma)
        return conn

    async def close(self) -> None:
        """Wait for the last commit, then close both connections."""
        if self._write_task is not None:
            await asyncio.gather(self._write_task, return_exceptions=True)
        if self._commit_task is not None:
            await asyncio.gather(self._commit_task, return_exceptions=True)
        for conn in (self._reader, self._writer):
            if conn is not None:
                await conn.close()
        self._reader = self._writer = self._reads.conn = None

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def is_open(self) -> bool:
        return self._writer is not None

    async def ensure_ready(self) -> None:
        """Open and migrate once; called by whichever start-up step needs the store first."""
        if not self.is_open:
            await self.open()
            applied = await self.migrate()
            if applied:
                log.info("database migrated to version %d", applied[-1])

    async def migrate(self, target: int | None = None) -> list[int]:
        """Apply pending migrations (see `storage.migrations`); return the versions applied."""
        async with self._lock:
            try:
                return await migrations.migrate(self.writer, target)
            finally:
                self.changes.reset()
                await self.changes.install(self.writer)

    def watch(self, table: str, column: str, cache: Forgetful) -> None:
        """Make `cache` forget `column`'s value of every row of `table` written, as soon as
        the write's transaction has ended (storage/changes.py); repositories call it once."""
        self.changes.watch(table, column, cache)

    @property
    def writer(self) -> aiosqlite.Connection:
        """The writing connection; use it only inside `transaction()`."""
        if self._writer is None:
            raise RuntimeError("database is not open")
        return self._writer

    # --- writing -------------------------------------------------------------

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run the block atomically; return only once it is committed.

        Keep the block to SQL: no network calls while the writer is held.
        Nested use (a repository calling another inside a transaction) becomes
        a SAVEPOINT of the enclosing transaction.
        """
        if _inside.get() is self:
            async with self._savepoint():
                yield self.writer
            return
        async with self._in_batch() as batch:
            async with self._savepoint():
                yield self.writer
            batch.size += 1
        await asyncio.shield(batch.committed)

    @property
    def inside_transaction(self) -> bool:
        """Whether the current task holds the writer (its reads see what it wrote)."""
        return _inside.get() is self

    @asynccontextmanager
    async def _in_batch(self) -> AsyncIterator[_Batch]:
        """Hold the writer inside the shared transaction, which the first of a batch begins;
        its COMMIT runs once the writers already waiting have had their turn."""
        async with self._lock:
            token = _inside.set(self)
            try:
                if self._batch is None:
                    if self.changes.pending:
                        await self.changes.install(self.writer)
                    await self.writer.execute("BEGIN IMMEDIATE")
                    self._batch = _Batch()
                try:
                    yield self._batch
                finally:
                    # Even a failed block leaves BEGIN open: the commit task ends it.
                    if self._commit_task is None:
                        self._commit_task = asyncio.create_task(self._commit())
            finally:
                _inside.reset(token)

    @asynccontextmanager
    async def _savepoint(self) -> AsyncIterator[None]:
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        await self.writer.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            await self.writer.execute(f"ROLLBACK TO {name}")
            await self.writer.execute(f"RELEASE {name}")
            raise
        await self.writer.execute(f"RELEASE {name}")

    async def _commit(self) -> None:
        """Commit everything gathered so far: writers queued before us join this batch."""
        async with self._lock:
            batch, self._batch, self._commit_task = self._batch, None, None
            if batch is None:
                return
            try:
                if batch.size:
                    await self.writer.execute("COMMIT")
                    self.commits += 1
                else:
                    await self.writer.execute("ROLLBACK")
            except Exception as exc:
                log.exception("commit failed; %d transactions rolled back", batch.size)
                if self.writer.in_transaction:
                    await self.writer.execute("ROLLBACK")
                self.changes.deliver()
                batch.settle(exc)
            else:
                self.changes.deliver()  # before anyone resumes: caches never lag a commit
                batch.settle(None)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One write statement, committed with its batch before this returns; its lastrowid.

        No SAVEPOINT is needed: SQLite undoes a failed statement by itself, and the other
        writes of the batch stand.
        """
        if _inside.get() is self:
            cursor = await self.writer.execute(sql, params)
            return cursor.lastrowid or 0
        result: int = await self._queue(trips.Write(trips.statement(sql, params), isolated=False))
        return result

    async def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` atomically on the writer's own thread; return its result once committed.

        For the writes of a hot path: `work` is plain sqlite3 code, run in one trip with the
        other writes waiting (storage/trips.py), in a SAVEPOINT of its own inside the shared
        transaction. Like a `transaction()` block it makes no network calls.
        """
        if _inside.get() is self:
            async with self._savepoint():
                return await trips.on_thread(self.writer, work)
        result: T = await self._queue(trips.Write(work, isolated=True))
        return result

    async def _queue(self, write: trips.Write) -> Any:
        self._writes.append(write)
        if self._write_task is None:
            self._write_task = asyncio.create_task(self._run_writes())
        return await write.done  # resolved by the batch's commit (see _Batch.settle)

    async def _run_writes(self) -> None:
        """Run the writes waiting, in the current batch, in one trip to the writer's thread."""
        async with self._lock:
            writes, self._writes, self._write_task = self._writes, [], None
            begin = self._batch is None
            if begin and self.changes.pending:
                await self.changes.install(self.writer)
            try:
                results = await trips.on_thread(
                    self.writer, lambda conn: trips.run_writes(conn, begin, writes)
                )
            except Exception as exc:  # BEGIN failed, or the connection is gone: nothing ran
                for write in writes:
                    if not write.done.done():
                        write.done.set_exception(exc)
                return
            if begin:
                self._batch = _Batch()
            batch = self._batch
            assert batch is not None
            for write, result in zip(writes, results, strict=True):
                if isinstance(result, Exception):
                    if not write.done.done():
                        write.done.set_exception(result)
                else:
                    batch.size += 1
                    batch.writes.append((write.done, result))
            if self._commit_task is None:
                self._commit_task = asyncio.create_task(self._commit())

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Many rows of one statement in one transaction."""
        async with self.transaction() as conn:
            await conn.executemany(sql, rows)

    async def scrub_wal(self) -> bool:
        """Fold the write-ahead log into the database and empty it (TRUNCATE checkpoint).

        `secure_delete` zeroes deleted rows in the database file, but older versions of a
        page stay in the `-wal` file until a checkpoint: after an anonymous draft is turned
        into an unlinked response, this makes sure no copy of the draft (member and answers
        together) is left on disk. False when readers kept it from finishing (try again).
        """
        if _inside.get() is self:  # inside a transaction: the checkpoint would wait on us
            self.wal_needs_scrub = True
            return False
        async with self._lock:
            rows = list(await self.writer.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)"))
        busy = bool(rows and rows[0][0])
        self.wal_needs_scrub = busy
        return not busy

    async def optimize(self) -> None:
        """Refresh query-planner statistics and fold the WAL back into the database."""
        async with self._lock:
            await self.writer.execute("PRAGMA optimize")
            await self.writer.execute("PRAGMA wal_checkpoint(PASSIVE)")

    async def trace(self, callback: Callable[[str], object] | None) -> None:
        """Call `callback` with each SQL statement either connection runs (None: stop).

        It runs on the connections' threads; the benchmarks and a test count statements."""
        for conn in (self._writer, self._reader):
            if conn is not None:
                await conn.set_trace_callback(cast(Callable[..., Any], callback))

    async def backup(self, target: Path | str) -> None:
        """A consistent copy through SQLite's online backup API, safe while the bot runs."""
        destination = Path(target)
        destination.parent.mkdir(parents=True, exist_ok=True)
        async with aiosqlite.connect(destination) as copy:
            await self._read_conn.backup(copy)

    # --- reading -------------------------------------------------------------

    @property
    def _read_conn(self) -> aiosqlite.Connection:
        """Inside a transaction, read what it wrote; else read the committed state."""
        if _inside.get() is self:
            return self.writer
        if self._reader is None:
            raise RuntimeError("database is not open")
        return self._reader

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        """Run and finish the statement in one step on the connection's thread.

        A statement left open between awaits (execute, then fetch, then close)
        keeps the reader's snapshot: with many people at once there is always
        one open, and reads would never see newer commits. Outside a transaction,
        reads waiting at the same time share one trip (storage/trips.py).
        """
        if _inside.get() is self:
            return list(await self.writer.execute_fetchall(sql, params))
        return await self._reads.fetchall(sql, params)

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]
