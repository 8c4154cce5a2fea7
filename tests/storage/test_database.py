"""The store: pragmas, group commit, isolation of failures, nesting, durability before reply."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.database import Database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "t.db")
    await database.open()
    await database.migrate()
    async with database.transaction() as conn:
        await conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    try:
        yield database
    finally:
        await database.close()


async def test_pragmas_are_set(db: Database) -> None:
    assert await db.fetchval("PRAGMA journal_mode") == "wal"
    assert await db.fetchval("PRAGMA foreign_keys") == 1
    assert await db.fetchval("PRAGMA synchronous") == 1  # NORMAL
    assert await db.fetchval("PRAGMA busy_timeout") == 5000


async def test_concurrent_writers_share_commits_and_all_land(db: Database) -> None:
    commits_before = db.commits

    async def write(i: int) -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO t (v) VALUES (?)", (f"row{i}",))

    await asyncio.gather(*(write(i) for i in range(200)))
    assert await db.fetchval("SELECT count(*) FROM t") == 200
    # Gathered into far fewer commits than writers: that is the point of group commit.
    assert db.commits - commits_before < 20


async def test_a_failing_transaction_rolls_back_alone(db: Database) -> None:
    async def good(i: int) -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO t (v) VALUES (?)", (f"ok{i}",))

    async def bad() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO t (v) VALUES ('half')")
            await conn.execute("INSERT INTO t (v) VALUES (NULL)")  # NOT NULL fails

    results = await asyncio.gather(good(1), bad(), good(2), return_exceptions=True)
    assert isinstance(results[1], sqlite3.IntegrityError)
    rows = [r[0] for r in await db.fetchall("SELECT v FROM t ORDER BY id")]
    assert rows == ["ok1", "ok2"]


async def test_transactions_nest_as_savepoints(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO t (v) VALUES ('outer')")
        with pytest.raises(sqlite3.IntegrityError):  # noqa: PT012 - the block is the subject
            async with db.transaction() as inner:
                await inner.execute("INSERT INTO t (v) VALUES ('inner')")
                await inner.execute("INSERT INTO t (v) VALUES (NULL)")
        async with db.transaction() as inner:
            await inner.execute("INSERT INTO t (v) VALUES ('inner2')")
        # Reads inside the transaction see its own writes.
        assert await db.fetchval("SELECT count(*) FROM t") == 2
    rows = [r[0] for r in await db.fetchall("SELECT v FROM t ORDER BY id")]
    assert rows == ["outer", "inner2"]


async def test_caller_resumes_only_after_commit(db: Database, tmp_path: Path) -> None:
    """What a handler confirms is already visible to any other connection."""
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO t (v) VALUES ('durable')")
    other = sqlite3.connect(tmp_path / "t.db")
    try:
        assert other.execute("SELECT v FROM t").fetchall() == [("durable",)]
    finally:
        other.close()


async def test_reads_outside_a_transaction_do_not_see_uncommitted_rows(db: Database) -> None:
    seen: list[int] = []
    started = asyncio.Event()
    release = asyncio.Event()

    async def writer() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO t (v) VALUES ('pending')")
            started.set()
            await release.wait()

    task = asyncio.create_task(writer())
    await started.wait()
    seen.append(await db.fetchval("SELECT count(*) FROM t"))
    release.set()
    await task
    seen.append(await db.fetchval("SELECT count(*) FROM t"))
    assert seen == [0, 1]


async def test_reader_connection_refuses_writes(db: Database) -> None:
    with pytest.raises(sqlite3.OperationalError):
        await db.fetchall("INSERT INTO t (v) VALUES ('x')")


async def test_backup_is_a_consistent_copy(db: Database, tmp_path: Path) -> None:
    await db.executemany("INSERT INTO t (v) VALUES (?)", [(f"r{i}",) for i in range(100)])
    await db.backup(tmp_path / "copy.db")
    copy = sqlite3.connect(tmp_path / "copy.db")
    try:
        assert copy.execute("SELECT count(*) FROM t").fetchone() == (100,)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        copy.close()


async def test_a_read_after_a_commit_sees_it_while_many_others_are_reading(db: Database) -> None:
    """Found by the sign-up benchmark: with reads always in flight, the reader kept an old
    snapshot and a member who had just accepted the privacy notice was asked again."""
    stop = asyncio.Event()

    async def busy_reader() -> None:
        while not stop.is_set():
            await db.fetchone("SELECT id, v FROM t")

    readers = [asyncio.create_task(busy_reader()) for _ in range(20)]
    try:
        for i in range(30):
            await db.execute("INSERT INTO t (v) VALUES (?)", (f"row{i}",))
            assert await db.fetchval("SELECT count(*) FROM t WHERE v = ?", (f"row{i}",)) == 1
    finally:
        stop.set()
        await asyncio.gather(*readers)
