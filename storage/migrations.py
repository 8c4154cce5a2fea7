"""Ordered, versioned migrations tracked by `PRAGMA user_version`.

Each file `migrations/NNNN_name.sql` moves the schema from the version before it
to NNNN in one transaction. Applying them is idempotent: a database already at
the latest version is left alone.

A migration that rebuilds a table (SQLite's procedure for changes ALTER TABLE
cannot make, such as a CHECK) starts with the line `-- foreign_keys: off`: foreign
keys are turned off around its transaction (they cannot be inside one), so
dropping the old table does not cascade, and `PRAGMA foreign_key_check` must find
nothing before it commits.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

import aiosqlite

log = logging.getLogger(__name__)
_NAME = re.compile(r"(\d{4})_[a-z0-9_]+\.sql")
_FOREIGN_KEYS_OFF = "-- foreign_keys: off"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def foreign_keys_off(self) -> bool:
        """A table rebuild: run with foreign keys off, checked before the commit."""
        return self.sql.lstrip().startswith(_FOREIGN_KEYS_OFF)


def load_migrations() -> list[Migration]:
    """The shipped migrations, checked to be numbered 0001, 0002, … without gaps."""
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.fullmatch(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError("migrations must be numbered 0001, 0002, … without gaps")
    return found


LATEST_VERSION = load_migrations()[-1].version


async def schema_version(conn: aiosqlite.Connection) -> int:
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(conn: aiosqlite.Connection, target: int | None = None) -> list[int]:
    """Bring the database to `target` (default: latest); return the versions applied."""
    target = LATEST_VERSION if target is None else target
    current = await schema_version(conn)
    if current > LATEST_VERSION:
        raise RuntimeError(
            f"database schema version {current} is newer than this program ({LATEST_VERSION})"
        )
    applied = []
    for migration in load_migrations():
        if current < migration.version <= target:
            await _apply(conn, migration)
            log.info("applied migration %s", migration.name)
            applied.append(migration.version)
    return applied


async def _pragma(conn: aiosqlite.Connection, name: str) -> int:
    async with conn.execute(f"PRAGMA {name}") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def _apply(conn: aiosqlite.Connection, migration: Migration) -> None:
    """One migration in one transaction, with foreign keys off around a table rebuild."""
    rebuild = migration.foreign_keys_off
    keys_were_on = rebuild and await _pragma(conn, "foreign_keys") == 1
    if keys_were_on:
        await conn.execute("PRAGMA foreign_keys = OFF")
    try:
        await conn.executescript(
            f"BEGIN IMMEDIATE;\n{migration.sql}\nPRAGMA user_version = {migration.version};"
        )
        if rebuild:
            async with conn.execute("PRAGMA foreign_key_check") as cursor:
                broken = await cursor.fetchall()
            if broken:
                raise RuntimeError(
                    f"{migration.name} would break foreign keys: {[tuple(r) for r in broken][:5]}"
                )
        await conn.execute("COMMIT")
    except Exception:
        if conn.in_transaction:
            await conn.execute("ROLLBACK")
        raise
    finally:
        if rebuild:
            await conn.execute("PRAGMA legacy_alter_table = OFF")
        if keys_were_on:
            await conn.execute("PRAGMA foreign_keys = ON")
