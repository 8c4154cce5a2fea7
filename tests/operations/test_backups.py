"""Scheduled backups: written at 03:00 local time (and at the next start when a night was
missed), checked, pruned to 7 daily, 4 weekly and 12 monthly copies; a failure reaches the
admins in the chat; `clia-bot backup` with no path writes into BACKUP_DIR."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import backups as backups_module
from bot.backups import (
    BackupError,
    BackupFile,
    Backups,
    backup_name,
    is_due,
    last_slot,
    list_backups,
    to_keep,
)
from bot.context import Ctx
from storage.checks import FileReport
from storage.database import Database
from tests.factories import add_member
from tests.harness import Harness
from tests.operations.conftest import Cli
from tests.operations.test_web import until

TZ = ZoneInfo("America/Mexico_City")  # UTC−6 all year since 2022


def at_local(day: date, hour: int = 3, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ).astimezone(UTC)


def test_a_backup_is_due_after_three_in_the_morning_local_time() -> None:
    yesterday_night = BackupFile(at_local(date(2026, 11, 23)), Path("a.db"))
    tonight = BackupFile(at_local(date(2026, 11, 24)), Path("b.db"))
    before_three = at_local(date(2026, 11, 24), 2, 59)
    after_three = at_local(date(2026, 11, 24), 3, 0)
    assert last_slot(before_three, TZ) == at_local(date(2026, 11, 23))
    assert last_slot(after_three, TZ) == at_local(date(2026, 11, 24))
    assert not is_due(yesterday_night, before_three, TZ)
    assert is_due(yesterday_night, after_three, TZ)
    assert not is_due(tonight, at_local(date(2026, 11, 24), 23, 59), TZ)
    assert is_due(None, before_three, TZ)  # no copy at all: one now


def test_seven_daily_four_weekly_and_twelve_monthly_copies_are_kept() -> None:
    first, last = date(2025, 10, 1), date(2026, 11, 24)  # a Tuesday
    nightly = []
    day = first
    while day <= last:
        nightly.append(BackupFile(at_local(day), Path(f"{day.isoformat()}.db")))
        day += timedelta(days=1)
    kept = sorted(p.stem for p in to_keep(nightly, TZ))
    assert kept == sorted(
        [f"2026-11-{d}" for d in range(18, 25)]  # the last 7 days
        + ["2026-11-15", "2026-11-08"]  # Sundays ending the two weeks before those
        + [
            "2026-10-31",
            "2026-09-30",
            "2026-08-31",
            "2026-07-31",
            "2026-06-30",
            "2026-05-31",
            "2026-04-30",
            "2026-03-31",
            "2026-02-28",
            "2026-01-31",
            "2025-12-31",
        ]  # the last day of each of the 11 months before November
    )
    # Two copies on one day (a manual one at noon): the newer stands for the day.
    noon = BackupFile(at_local(last, 12), Path("noon.db"))
    assert to_keep([*nightly, noon], TZ) == (to_keep(nightly, TZ) - {Path(f"{last}.db")}) | {
        Path("noon.db")
    }


@pytest.fixture
async def harness_with_backups(tmp_path: Path) -> AsyncIterator[Harness]:
    """A bot whose BACKUP_DIR already holds last night's copy of yesterday and older ones
    that the rule no longer keeps (and files that are not its backups)."""
    folder = tmp_path / "backups"
    folder.mkdir()
    h = Harness(tmp_path, backup_dir=folder)
    now = h.clock()
    for days in range(1, 10):
        (folder / backup_name("clia", now - timedelta(days=days, hours=7))).write_bytes(b"")
    (folder / "notes.txt").write_text("not a backup")
    (folder / backup_name("other", now - timedelta(days=30))).write_bytes(b"")
    await h.start()
    try:
        yield h
    finally:
        await h.stop()
        h.close()
    assert not h.api.unexpected
    assert not h.errors


async def run_job(harness: Harness) -> None:
    """The backup job's callback, as the scheduler runs it every minute."""
    assert harness.app is not None and harness.app.job_queue is not None
    job = next(j for j in harness.app.job_queue.jobs() if j.name == "backups")
    await job.callback(Ctx.from_job(job, harness.app))  # type: ignore[arg-type]


async def test_the_copy_missed_while_down_is_made_at_start_then_each_night_at_three(
    harness_with_backups: Harness,
) -> None:
    h = harness_with_backups
    folder = h.settings.backup_dir
    assert folder is not None
    # It is 10:00 in Aguascalientes and the newest copy is from yesterday: one is due now.
    await run_job(h)  # (or the run at start did it already: either way, exactly one)
    today = folder / backup_name("clia", h.clock())
    assert list_backups(folder, "clia")[0].path == today
    with closing(sqlite3.connect(f"file:{today}?mode=ro", uri=True)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert not list(folder.glob("*-wal")) and not list(folder.glob(".*partial"))
    # The last 7 days and the newest of the week before (Sunday 15th) are kept; 16th and
    # 17th go; nothing else in the folder is touched.
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        *[f"clia-202611{d}T090000Z.db" for d in (15, 18, 19, 20, 21, 22, 23)],
        today.name,
        "notes.txt",
        "other-20261025T160000Z.db",
    ]

    await add_member(h.db, 1001, full_name="Nueva Socia")
    h.clock.now = at_local(date(2026, 11, 25), 2, 59)
    await run_job(h)
    assert list_backups(folder, "clia")[0].path == today  # not yet: tonight's is at 03:00
    h.clock.now = at_local(date(2026, 11, 25), 3, 0)
    await run_job(h)
    tonight = list_backups(folder, "clia")[0]
    assert tonight.taken_at == h.clock()
    with closing(sqlite3.connect(f"file:{tonight.path}?mode=ro", uri=True)) as copy:
        names_in_copy = [r[0] for r in copy.execute("SELECT full_name FROM members")]
    assert names_in_copy == ["Nueva Socia"]
    await run_job(h)  # a minute later: already done tonight
    assert len(list_backups(folder, "clia")) == 8  # 19th to 25th, and the 15th


async def test_a_failed_backup_is_told_to_the_admins_and_tried_again_an_hour_later(
    tmp_path: Path,
) -> None:
    not_a_folder = tmp_path / "backups"
    not_a_folder.write_text("a file where the folder should be")
    h = Harness(tmp_path, backup_dir=not_a_folder)
    await h.start()
    alert = "Falló el respaldo de la base de datos"

    def alerts() -> list[str]:
        return [c.text for c in h.api.sent(chat_id=900) if alert in c.text]

    try:
        await until(alerts, "the admin told of the backup that failed at start")
        text = alerts()[0]
        assert str(not_a_folder) in text
        assert "Todavía no hay ninguna copia válida." in text
        assert "clia-bot doctor" in text
        await run_job(h)  # a minute later: not tried again yet, nobody told twice
        assert len(alerts()) == 1
        h.clock.advance(minutes=61)
        await run_job(h)
        assert len(alerts()) == 2
        rows = await h.db.fetchall("SELECT kind, source FROM error_reports ORDER BY id")
        assert [tuple(r) for r in rows] == [("backup failed", "job backups")] * 2
        assert not_a_folder.read_text() == "a file where the folder should be"
    finally:
        await h.stop()
        h.close()
    assert not h.api.unexpected


async def test_a_copy_that_fails_its_integrity_check_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def damaged_copy(source: Path, target: Path) -> FileReport:
        target.write_bytes(b"half a copy")
        return FileReport(("row 7 missing from index members_email",), 9, True)

    monkeypatch.setattr(backups_module, "write_checked_copy", damaged_copy)
    folder = tmp_path / "backups"
    async with Database(tmp_path / "clia.db") as db:
        await db.migrate()
        with pytest.raises(BackupError, match="integrity check: row 7 missing"):
            await Backups(db, folder, TZ).run(datetime(2026, 11, 24, 9, tzinfo=UTC))
    assert list(folder.iterdir()) == []


def test_cli_backup_without_a_path_writes_into_backup_dir(tmp_path: Path, cli: Cli) -> None:
    assert cli("migrate", DATABASE_PATH="clia.db").code == 0
    assert cli("backup").code == 1  # no path and no BACKUP_DIR
    result = cli("backup", BACKUP_DIR=str(tmp_path / "backups"))
    assert result.code == 0, result.err
    [written] = list_backups(tmp_path / "backups", "clia")
    assert f"Backup written to {written.path} and checked (integrity ok)." in result.out
