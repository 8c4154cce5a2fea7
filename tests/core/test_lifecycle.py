"""Stopping, restarting, backing up and restoring lose nothing."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3

from tests.factories import add_member
from tests.harness import Harness


async def test_stop_lets_updates_in_flight_finish_and_saves_the_form(harness: Harness) -> None:
    ana = harness.person(first_name="Ana", last_name="López")
    await ana.send("/start")
    await ana.tap("✓ Español")
    await ana.tap("✅ Acepto")
    harness.api.delay = 0.05
    assert harness.app is not None
    for payload in (ana.text_update("Ana López"),):
        from telegram import Update

        await harness.app.update_queue.put(
            Update.de_json({"update_id": 777, **payload}, harness.app.bot)
        )
    await asyncio.sleep(0.01)  # the update is being processed (its reply is slow)
    before = len(harness.api.calls)
    await harness.stop()  # what SIGTERM / SIGINT do through run_polling
    assert any("¿En qué organización trabajas?" in c.text for c in harness.api.calls[before:])
    harness.api.delay = 0

    await harness.start()
    replies = await ana.tap("Continental")  # the next step, after the restart
    assert "¿Cuál es tu puesto?" in replies.text


async def test_backup_while_writing_and_restore(harness: Harness) -> None:
    db_path = harness.settings.database_path
    await add_member(harness.db, 1001, full_name="Antes del respaldo")
    backup_path = db_path.parent / "backup.db"

    async def keep_writing() -> None:
        for i in range(200):
            await harness.db.execute(
                "INSERT INTO audit_log (at, action) VALUES ('2026-11-24T16:00:00Z', ?)", (f"w{i}",)
            )

    def backup() -> None:
        source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        copy = sqlite3.connect(backup_path)
        source.backup(copy)
        copy.close()
        source.close()

    await asyncio.gather(keep_writing(), asyncio.to_thread(backup))
    with sqlite3.connect(backup_path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        written = copy.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert 0 <= written <= 200

    await add_member(harness.db, 1002, full_name="Después del respaldo")
    # The documented restore: stop, put the copy in place (without -wal/-shm), start.
    await harness.stop()
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    shutil.copy(backup_path, db_path)
    await harness.start()
    names = [r[0] for r in await harness.db.fetchall("SELECT full_name FROM members ORDER BY id")]
    assert names == ["Antes del respaldo"]
    assert "¡Hola, Antes del respaldo! Soy el bot" in (await harness.person().send("/start")).text
