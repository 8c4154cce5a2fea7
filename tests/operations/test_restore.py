"""`clia-bot restore PATH`: checks the file, keeps the database it replaces beside it, puts
the copy in place and brings its schema up to date; refuses while the bot runs."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

from bot.backups import list_backups
from storage.database import Database
from storage.lockfile import DatabaseLock
from storage.migrations import LATEST_VERSION
from tests.operations.conftest import Cli


def add_person(database: Path, name: str) -> None:
    with closing(sqlite3.connect(database)) as conn, conn:
        number = conn.execute("SELECT count(*) + 1 FROM members").fetchone()[0]
        conn.execute(
            "INSERT INTO members (telegram_user_id, full_name, status) VALUES (?, ?, 'prospect')",
            (number, name),
        )


def names(database: Path) -> list[str]:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        return [r[0] for r in conn.execute("SELECT full_name FROM members ORDER BY id")]


def test_restore_puts_the_backup_back_and_keeps_what_it_replaced(tmp_path: Path, cli: Cli) -> None:
    database = tmp_path / "data" / "clia.db"
    env = {"DATABASE_PATH": str(database), "BACKUP_DIR": str(tmp_path / "backups")}
    assert cli("migrate", **env).code == 0
    add_person(database, "Antes del respaldo")
    assert cli("backup", **env).code == 0
    [backup] = list_backups(tmp_path / "backups", "clia")
    add_person(database, "Después del respaldo")

    result = cli("restore", str(backup.path), **env)
    assert result.code == 0, result.err
    assert names(database) == ["Antes del respaldo"]
    [kept] = list(database.parent.glob("clia.db.replaced-*Z"))  # (its -wal, if any, beside)
    assert names(kept) == ["Antes del respaldo", "Después del respaldo"]
    lines = result.out.splitlines()
    assert lines[0] == (f"Checked {backup.path}: integrity ok, schema version {LATEST_VERSION}.")
    assert lines[1].startswith(f"The database it replaces was kept as {kept}")
    assert lines[2] == f"Restored {database} from {backup.path}; its schema is current."
    assert "systemctl start clia-bot" in lines[3]


def test_restore_migrates_a_copy_from_an_older_version(tmp_path: Path, cli: Cli) -> None:
    old = tmp_path / "old.db"

    async def make_old() -> None:
        async with Database(old) as db:
            await db.migrate(target=LATEST_VERSION - 1)

    asyncio.run(make_old())
    database = tmp_path / "clia.db"
    result = cli("restore", str(old), DATABASE_PATH=str(database))
    assert result.code == 0, result.err
    assert f"schema version {LATEST_VERSION - 1}" in result.out
    assert f"migrations applied: {LATEST_VERSION}." in result.out
    assert f"There was no database at {database} to keep." in result.out
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (LATEST_VERSION,)


def test_restore_refuses_while_the_bot_runs_and_changes_nothing(tmp_path: Path, cli: Cli) -> None:
    database = tmp_path / "clia.db"
    assert cli("migrate", DATABASE_PATH=str(database)).code == 0
    add_person(database, "Sigue aquí")
    copy = tmp_path / "copy.db"
    assert cli("backup", str(copy)).code == 0
    lock = DatabaseLock(database)
    assert lock.acquire()  # as `clia-bot run` holds it
    try:
        result = cli("restore", str(copy))
    finally:
        lock.release()
    assert result.code == 1
    assert "The bot is running on this database: stop it first" in result.err
    assert result.err.startswith("Nothing was changed.")
    assert not list(tmp_path.glob("clia.db.replaced-*"))
    assert names(database) == ["Sigue aquí"]


def test_restore_refuses_files_that_are_not_a_good_backup(tmp_path: Path, cli: Cli) -> None:
    database = tmp_path / "clia.db"
    assert cli("migrate", DATABASE_PATH=str(database)).code == 0
    add_person(database, "Intacta")

    text = tmp_path / "notes.db"
    text.write_text("these are notes, not a database " * 100)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE things (x)")
    newer = tmp_path / "newer.db"
    assert cli("backup", str(newer)).code == 0
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 99")

    cases = {
        text: "is not a readable SQLite database",
        other: "is an SQLite file but not a database of this bot",
        newer: "was written by a newer version of the bot (schema 99",
        database: "That file is the database itself",
        tmp_path / "missing.db": "is not a readable SQLite database (no file at",
    }
    for path, words in cases.items():
        result = cli("restore", str(path))
        assert result.code == 1, path
        assert words in result.err, result.err
        assert "Traceback" not in result.err
    assert names(database) == ["Intacta"]
    assert not list(tmp_path.glob("clia.db.replaced-*"))
