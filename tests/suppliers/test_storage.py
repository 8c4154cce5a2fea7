"""Supplier development's schema: the outbox's rebuild keeps every broadcast and delivery, the
catalogues are seeded, the constraints refuse what the domain forbids, the views answer, and
the sandbox's demo has profiles and an open request to try."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
import pytest

from storage import demo
from storage.database import Database
from storage.migrations import migrate


async def test_the_outbox_rebuild_keeps_broadcasts_and_deliveries(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        await conn.execute("PRAGMA foreign_keys=ON")
        await migrate(conn, target=10)
        await conn.execute(
            "INSERT INTO broadcasts (id, kind, text, status, dedup_key)"
            " VALUES (7, 'announcement', 'Hola', 'sending', 'k7')"
        )
        await conn.execute(
            "INSERT INTO deliveries (broadcast_id, chat_id, status) VALUES (7, 5, 'pending'),"
            " (7, 6, 'sent')"
        )
        assert await migrate(conn, target=11) == [11]
        rows = await conn.execute_fetchall(
            "SELECT broadcast_id, chat_id, status FROM deliveries ORDER BY id"
        )
        assert [tuple(r) for r in rows] == [(7, 5, "pending"), (7, 6, "sent")]
        figures = await conn.execute_fetchall(
            "SELECT recipients, sent, pending FROM v_broadcast_figures"
        )
        assert [tuple(r) for r in figures] == [(2, 1, 1)]
        assert [tuple(r) for r in await conn.execute_fetchall("PRAGMA foreign_key_check")] == []
        await conn.execute(  # the new kinds are accepted, the dedup key still unique
            "INSERT INTO broadcasts (kind, text, status) VALUES ('sourcing_request', '{}', 'done')"
        )
        with pytest.raises(sqlite3.IntegrityError):
            await conn.execute(
                "INSERT INTO broadcasts (kind, text, dedup_key) VALUES ('announcement', 'x', 'k7')"
            )
        await conn.execute("DELETE FROM broadcasts WHERE id = 7")  # cascades as before
        assert [
            tuple(r) for r in await conn.execute_fetchall("SELECT count(*) FROM deliveries")
        ] == [(0,)]


@pytest.fixture
async def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    async with Database(tmp_path / "c.db") as database:
        await database.migrate()
        yield database


async def test_catalogues_and_constraints(db: Database) -> None:
    assert await db.fetchval("SELECT count(*) FROM supplier_processes") == 18
    codes = [
        r[0]
        for r in await db.fetchall("SELECT code FROM supplier_certifications ORDER BY position")
    ]
    assert codes[:2] == ["iso9001", "iatf16949"] and len(codes) == 8
    for sql in (
        "INSERT INTO sourcing_requests (title, deadline_at, anonymous, requested_at, status)"
        " VALUES ('T', '2026-12-01T00:00:00Z', 0, '2026-11-01T00:00:00Z', 'sent')",
        "INSERT INTO sourcing_requests (title, description, deadline_at, anonymous,"
        " requested_at) VALUES ('T', '" + "x" * 2001 + "', '2026-12-01T00:00:00Z', 0,"
        " '2026-11-01T00:00:00Z')",
        "INSERT INTO sourcing_requests (title, deadline_at, anonymous, requested_at, status)"
        " VALUES ('T', '2026-12-01T00:00:00Z', 0, '2026-11-01T00:00:00Z', 'closed')",
        "INSERT INTO capability_processes (organization_id, process_id) VALUES (1, 1)",
    ):
        with pytest.raises(sqlite3.IntegrityError):
            await db.execute(sql)
    for view in (
        "v_capability_profiles",
        "v_sourcing_requests",
        "v_sourcing_answers",
        "v_sourcing_figures",
    ):
        assert await db.fetchall(f"SELECT * FROM {view}") == []  # noqa: S608


async def test_the_demo_has_profiles_and_an_open_request(db: Database) -> None:
    await demo.seed(db, datetime(2026, 11, 24, 16, tzinfo=UTC), -100, {})
    profiles = {r[0] for r in await db.fetchall("SELECT organization FROM v_capability_profiles")}
    assert {"AP Controles", "Telas Laprotex", "Mextamp"} <= profiles
    # Each was last changed by a colleague of the demo (the card says who), not "a former member".
    editors = await db.fetchall(
        "SELECT o.name, m.full_name FROM capability_profiles p"
        " JOIN organizations o ON o.id = p.organization_id"
        " LEFT JOIN members m ON m.id = p.updated_by AND m.organization_id = o.id"
    )
    assert all(editor for _organization, editor in editors), editors
    requests = await db.fetchall(
        "SELECT status, organizations_sent, interested FROM v_sourcing_requests ORDER BY request_id"
    )
    assert [tuple(r) for r in requests] == [("open", 1, 1), ("pending", 0, 0)]
    figures = await db.fetchone("SELECT requested, approved FROM v_sourcing_figures")
    assert tuple(figures) == (2, 1)
