"""Read-only checks of a database file: integrity, schema version, the write-ahead log's size.

Used by `clia-bot doctor`, by the scheduled backups (each copy is checked before it counts)
and by `clia-bot restore` (a file is checked before it replaces the database). Opens files
read-only with plain sqlite3: safe on the live database while the bot runs.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from storage.database import read_only_uri

MAX_PROBLEMS = 10  # SQLite can list many; the first few say enough


class NotADatabase(Exception):
    """The file is not an SQLite database (or cannot be read as one)."""


@dataclass(frozen=True)
class FileReport:
    problems: tuple[str, ...]  # what the check found; empty when SQLite says "ok"
    schema_version: int  # PRAGMA user_version: the last migration applied
    has_bot_tables: bool  # a database of this bot, not some other SQLite file

    @property
    def ok(self) -> bool:
        return not self.problems


def check_file(path: Path, *, quick: bool) -> FileReport:
    """`PRAGMA quick_check` (quick: seconds even on a large file) or the full
    `PRAGMA integrity_check` (also compares every index with its table)."""
    if not path.is_file():
        raise NotADatabase(f"no file at {path}")
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise NotADatabase(str(exc)) from exc
    try:
        check = "PRAGMA quick_check" if quick else "PRAGMA integrity_check"
        rows = conn.execute(f"{check}({MAX_PROBLEMS})").fetchall()
        problems = tuple(str(r[0]) for r in rows if r[0] != "ok")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        has_tables = (
            conn.execute(
                "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'members'"
            ).fetchone()
            is not None
        )
    except sqlite3.DatabaseError as exc:
        raise NotADatabase(str(exc)) from exc
    finally:
        conn.close()
    return FileReport(problems, version, has_tables)


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def shm_path(path: Path) -> Path:
    return path.with_name(path.name + "-shm")


def wal_size(path: Path) -> int:
    """Bytes in the database's write-ahead log (0 when there is none)."""
    try:
        return wal_path(path).stat().st_size
    except FileNotFoundError:
        return 0


def active_admins(path: Path) -> frozenset[int]:
    """The Telegram user ids of active members whose role is admin (made with /promote); they
    get the admins' alerts as ADMIN_IDS do. Empty when the file cannot be read as this bot's."""
    if not path.is_file():
        return frozenset()
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error:
        return frozenset()
    try:
        rows = conn.execute(
            "SELECT telegram_user_id FROM members WHERE role = 'admin' AND status = 'active'"
        ).fetchall()
    except sqlite3.DatabaseError:
        return frozenset()
    finally:
        conn.close()
    return frozenset(int(r[0]) for r in rows)
