"""Migrations: from empty and from every earlier version; seeds; constraints; views."""

from __future__ import annotations

import json
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


def test_migrations_are_numbered_without_gaps() -> None:
    assert list(range(1, len(VERSIONS) + 1)) == VERSIONS
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


REBUILD = next(m.version for m in load_migrations() if m.name.startswith("0010_"))
BEFORE_REBUILD = max(v for v in VERSIONS if v < REBUILD)


async def _members_shape(db: Database) -> tuple[set[str], set[str], set[str]]:
    """The columns of `members`, and the indexes and triggers on it."""
    columns = {r[1] for r in await db.fetchall("PRAGMA table_info(members)")}
    indexes = {r[1] for r in await db.fetchall("PRAGMA index_list(members)")}
    triggers = {
        r[0]
        for r in await db.fetchall(
            "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'members'"
        )
    }
    return columns, indexes, triggers


async def test_the_members_rebuild_keeps_every_row_link_column_and_index(tmp_path: Path) -> None:
    """0010 rebuilds `members` (wider language CHECK, time_zone) with foreign keys on in the
    bot's own connection: no child row may cascade away, and nothing `members` had before
    (columns, indexes, triggers — also those a later-merged migration adds) may be lost."""
    async with Database(tmp_path / "old.db") as db:
        await db.migrate(BEFORE_REBUILD)
        assert await db.fetchval("PRAGMA foreign_keys") == 1
        columns, indexes, triggers = await _members_shape(db)
        org = await db.fetchval("SELECT id FROM organizations WHERE name = 'Continental'")
        for telegram_id, language in ((1, "es"), (2, "en")):
            await db.execute(
                "INSERT INTO members (telegram_user_id, chat_id, full_name, organization_id,"
                " language, status, consent_version, consent_at)"
                " VALUES (?, ?, 'Ana', ?, ?, 'active', '1', '2026-11-01T12:00:00Z')",
                (telegram_id, telegram_id, org, language),
            )
        await db.execute("UPDATE members SET decided_by = 1 WHERE id = 2")
        await db.execute("INSERT INTO member_axes (member_id, axis_id) VALUES (1, 1), (2, 2)")
        group = await db.execute("INSERT INTO working_groups (axis_id, name) VALUES (1, 'G')")
        await db.execute(
            "INSERT INTO working_group_members (group_id, member_id) VALUES (?, 1)", (group,)
        )
        await db.execute(
            "INSERT INTO application_notices (member_id, chat_id, message_id) VALUES (2, 1, 7)"
        )
        before = {
            table: await db.fetchval(f"SELECT count(*) FROM {table}")  # noqa: S608
            for table in ("members", "member_axes", "working_group_members", "application_notices")
        }

        assert await db.migrate(REBUILD) == [REBUILD]

        assert await db.fetchval("PRAGMA foreign_keys") == 1  # back on after the rebuild
        for table, count in before.items():
            assert await db.fetchval(f"SELECT count(*) FROM {table}") == count  # noqa: S608
        assert await db.fetchval("SELECT decided_by FROM members WHERE id = 2") == 1
        assert await db.fetchall("PRAGMA foreign_key_check") == []
        assert await db.fetchval("PRAGMA integrity_check") == "ok"
        after_columns, after_indexes, after_triggers = await _members_shape(db)
        assert after_columns == columns | {"time_zone"}
        assert indexes <= after_indexes and triggers <= after_triggers
        assert [r[0] for r in await db.fetchall("SELECT full_name FROM v_members")] == [
            "Ana",
            "Ana",
        ]
        await db.execute(
            "UPDATE members SET language = 'ja', time_zone = 'Asia/Tokyo' WHERE id = 1"
        )
        await db.execute("UPDATE members SET language = 'de' WHERE id = 2")
        await db.execute("DELETE FROM members WHERE id = 1")  # cascades work again
        assert await db.fetchval("SELECT count(*) FROM member_axes") == 1


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE members SET language = 'fr'",
        "UPDATE members SET time_zone = 'Tokyo'",  # not a Region/City name
        "UPDATE members SET time_zone = 'Asia/Tokyo; DROP'",
    ],
)
async def test_member_language_and_zone_are_checked(db: Database, sql: str) -> None:
    await db.execute(
        "INSERT INTO members (telegram_user_id, language, time_zone) VALUES (1, 'ja', 'Asia/Tokyo')"
    )
    with pytest.raises(sqlite3.IntegrityError):
        await db.execute(sql)


async def test_answers_of_named_responses_in_progress_move_into_their_drafts(
    tmp_path: Path,
) -> None:
    """Version 13 keeps answers in the draft until the response is filed: what a member had
    answered so far before the upgrade is where the bot now looks for it."""
    path = tmp_path / "v12.db"
    await _migrate_file(path, target=12)
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO members (id, telegram_user_id) VALUES (?, ?)", [(1, 101), (2, 102)]
        )
        conn.execute("INSERT INTO surveys (id, title, status) VALUES (1, 'S', 'open')")
        conn.executemany(
            "INSERT INTO survey_questions (id, survey_id, position, kind, text)"
            " VALUES (?, 1, ?, ?, 'Q')",
            [(1, 1, "multi"), (2, 2, "number"), (3, 3, "text"), (4, 4, "scale")],
        )
        conn.executemany(
            "INSERT INTO survey_options (id, question_id, position, code, label)"
            " VALUES (?, 1, ?, ?, 'O')",
            [(1, 1, "o1"), (2, 2, "o2")],
        )
        conn.execute(
            "INSERT INTO survey_drafts (survey_id, member_id, answers, position)"
            " VALUES (1, 1, '{}', 4)"
        )
        conn.executemany(
            "INSERT INTO survey_responses (id, survey_id, member_id, complete) VALUES (?, 1, ?, ?)",
            [(10, 1, 0), (20, 2, 1)],
        )
        conn.executemany(
            "INSERT INTO survey_answers (response_id, question_id, option_id, value_number,"
            " value_text) VALUES (?, ?, ?, ?, ?)",
            [
                (10, 1, 1, None, None),
                (10, 1, 2, None, None),
                (10, 2, None, 1200.0, None),
                (10, 3, None, None, "Falta de presupuesto"),
                (20, 4, None, 4.0, None),  # a complete response stays as it is
            ],
        )
    conn.close()
    assert await _migrate_file(path) == list(range(13, LATEST_VERSION + 1))
    conn = sqlite3.connect(path)
    try:
        draft = conn.execute("SELECT answers, position FROM survey_drafts").fetchone()
        answers = conn.execute("SELECT response_id, value_number FROM survey_answers").fetchall()
    finally:
        conn.close()
    assert json.loads(draft[0]) == {"1": ["o1", "o2"], "2": ["1200"], "3": ["Falta de presupuesto"]}
    assert draft[1] == 4
    assert answers == [(20, 4.0)]
