"""Consistent copies of the database with SQLite's online backup API (safe while the bot
writes): `clia-bot backup` and the scheduled backups use it; `replace_database` puts a copy
back in place for `clia-bot restore` (with the bot stopped), keeping the replaced file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from storage.checks import FileReport, check_file, shm_path, wal_path
from storage.database import read_only_uri


def copy_database(source_path: Path, target: Path) -> None:
    """Write a consistent copy of `source_path` to `target` (its folder is created).

    The copy is one self-contained file (rollback journal, not WAL), so it can be moved,
    mailed or opened read-only without `-wal` and `-shm` companions appearing beside it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(read_only_uri(source_path), uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()


def write_checked_copy(source_path: Path, target: Path) -> FileReport:
    """A copy and the full `PRAGMA integrity_check` of it: a backup counts only if it is ok."""
    copy_database(source_path, target)
    return check_file(target, quick=False)


def replace_database(source: Path, target: Path, keep_as: Path) -> list[Path]:
    """Make `target` a copy of `source`; the database it replaces (and its write-ahead log,
    which may hold its latest commits) is moved to `keep_as` (and `keep_as`-wal), untouched.

    The copy is written beside the target first, so a failure leaves everything as it was.
    Returns the files kept. The caller makes sure no bot has the database open.
    """
    staging = target.with_name(f".{target.name}.restoring")
    staging.unlink(missing_ok=True)
    copy_database(source, staging)
    kept: list[Path] = []
    if target.exists():
        os.replace(target, keep_as)
        kept.append(keep_as)
    if wal_path(target).exists():
        os.replace(wal_path(target), wal_path(keep_as))
        kept.append(wal_path(keep_as))
    shm_path(target).unlink(missing_ok=True)  # shared-memory index, rebuilt when opened
    os.replace(staging, target)
    return kept
