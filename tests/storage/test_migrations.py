"""Migrations: from empty and from every earlier version; seeds; constraints; views."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import aiosqlite
import pytest

from storage.database import Database
from storage.migrations import LATEST_VERSION, load_migrations, migrate, schema_version

VERSIONS = [m.version for m in load_migrations()]


def _schema(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
    finally:
        conn.close()


async def _migrate_file(path: Path, target: int | None = None) -> list[int]:
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        return await migrate(conn, target)


async def test_empty_database_reaches_latest_and_rerun_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    assert await _migrate_file(path) == VERSIONS
    assert await _migrate_file(path) == []
    async with aiosqlite.connect(path) as conn:
        assert await schema_version(conn) == LATEST_VERSION


@pytest.mark.parametrize("start", [0, *VERSIONS[:-1]])
async def test_every_earlier_version_upgrades_to_the_same_schema(
    tmp_path: Path, start: int
) -> None:
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    await _migrate_file(fresh)
    await _migrate_file(old, target=start)
    async with aiosqlite.connect(old) as conn:
        assert await schema_version(conn) == start
    assert await _migrate_file(old) == [v for v in VERSIONS if v > start]
    assert _schema(old) == _schema(fresh)


async def test_a_failing_migration_leaves_the_version_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    await _migrate_file(path, target=1)
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        await conn.execute("INSERT INTO axes (code, position) VALUES ('talent', 9)")
        with pytest.raises(sqlite3.IntegrityError):
            await migrate(conn)  # the seed inserts 'talent' again: UNIQUE fails
        assert await schema_version(conn) == 1
        assert not conn.in_transaction


def test_migrations_are_numbered_in_order_each_number_once() -> None:
    assert sorted(set(VERSIONS)) == VERSIONS and VERSIONS[0] == 1
    assert VERSIONS[-1] == LATEST_VERSION


@pytest.fixture
async def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    async with Database(tmp_path / "c.db") as database:
        await database.migrate()
        yield database


async def test_seeds_axes_and_founding_organizations(db: Database) -> None:
    axes = [r[0] for r in await db.fetchall("SELECT code FROM axes ORDER BY position")]
    assert axes == ["innovation", "talent", "leadership", "globalization"]
    orgs = {r[0]: r[1] for r in await db.fetchall("SELECT name, sector FROM organizations")}
    assert len(orgs) == 18
    assert orgs["Nissan Mexicana"] == "oem"
    assert orgs["Continental"] == "tier1"
    assert orgs["SEDEC"] == "government"
    assert orgs["Tecnológico de Monterrey"] == "academia"
    assert orgs["Lobo 10 & Company"] == "supplier"


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO organizations (name, sector) VALUES ('X', 'bank')",
        "INSERT INTO organizations (name, sector) VALUES ('nissan mexicana', 'oem')",
        "INSERT INTO members (telegram_user_id, email) VALUES (1, 'not-an-email')",
        "INSERT INTO members (telegram_user_id, status) VALUES (1, 'active')",  # no consent
        "INSERT INTO members (telegram_user_id, role) VALUES (1, 'king')",
        "INSERT INTO member_axes (member_id, axis_id) VALUES (999, 1)",  # no such member
        "INSERT INTO events (kind, axis_id, title, starts_at, ends_at)"
        " VALUES ('meeting', 1, 'M', '2026-12-01T10:00:00Z', '2026-12-01T11:00:00Z')",
        "INSERT INTO events (kind, axis_id, title, starts_at, ends_at)"
        " VALUES ('event', 1, 'E', '2026-12-01T10:00:00Z', '2026-12-01T09:00:00Z')",
        "INSERT INTO surveys (title, audience) VALUES ('S', 'not json')",
    ],
)
async def test_constraints_refuse_what_the_domain_forbids(db: Database, sql: str) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        await db.execute(sql)


async def test_analysis_views_answer(db: Database) -> None:
    for view in (
        "v_members",
        "v_member_axes",
        "v_event_attendance",
        "v_survey_answers",
        "v_survey_response_rates",
        "v_broadcast_figures",
    ):
        assert await db.fetchall(f"SELECT * FROM {view}") == []  # noqa: S608
