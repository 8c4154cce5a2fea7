"""Ordered, versioned migrations tracked by `PRAGMA user_version`.

Each file `migrations/NNNN_name.sql` moves the schema from version NNNN-1 to
NNNN in one transaction. Applying them is idempotent: a database already at
the latest version is left alone.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

import aiosqlite

log = logging.getLogger(__name__)
_NAME = re.compile(r"(\d{4})_[a-z0-9_]+\.sql")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations() -> list[Migration]:
    """The shipped migrations, checked to be numbered 1, 2, 3… without gaps."""
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.fullmatch(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions) or (versions and versions[0] != 1):
        raise RuntimeError("migrations must be numbered 0001, 0002, … each number once")
    return found


# Numbers are reserved per feature branch (0009–0013 by others, 0014 impact), so a branch may
# have gaps until they all merge; the database's version is the highest number applied.
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
            script = (
                f"BEGIN IMMEDIATE;\n{migration.sql}\n"
                f"PRAGMA user_version = {migration.version};\nCOMMIT;"
            )
            try:
                await conn.executescript(script)
            except Exception:
                if conn.in_transaction:
                    await conn.execute("ROLLBACK")
                raise
            log.info("applied migration %s", migration.name)
            applied.append(migration.version)
    return applied
