"""Consistent copies of the database with SQLite's online backup API (safe while the bot
writes): `clia-bot backup` uses it, and so may anything else that needs a copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.database import read_only_uri


def copy_database(source_path: Path, target: Path) -> None:
    """Write a consistent copy of `source_path` to `target` (its folder is created)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(read_only_uri(source_path), uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
