"""Scheduled backups and restoring one: names, the nightly schedule, what is kept.

With BACKUP_DIR set, the running bot writes a consistent copy of the database every night at
03:00 local time (SQLite's online backup API on its own connection, so members are not kept
waiting), checks it with `PRAGMA integrity_check`, and keeps 7 daily, 4 weekly and 12 monthly
copies. The folder is the schedule's memory: a night missed while the bot was down is made up
at the next start, because the newest copy is older than the last 03:00. Copies are named
`<database stem>-<UTC time>.db`; nothing else in the folder is ever touched.

The job that runs this and tells the admins about a failure is the operations feature's
(handlers/operations/backups.py); `clia-bot doctor`, `/healthz` and `/status` read the age of
the newest copy from here. Uses storage/ only.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from storage.backup import replace_database, write_checked_copy
from storage.checks import NotADatabase, check_file
from storage.database import Database
from storage.lockfile import DatabaseLock
from storage.migrations import LATEST_VERSION

BACKUP_TIME = time(3, 0)  # local time, when the cluster sleeps
STALE_AFTER = timedelta(hours=26)  # a nightly copy is missing: /healthz and doctor say so
RETRY_AFTER = timedelta(hours=1)  # after a failed attempt, the next one
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
_STAMP = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True, order=True)
class BackupFile:
    taken_at: datetime  # UTC, from the name
    path: Path


class BackupError(Exception):
    """A backup could not be written or failed its check; the message says why (no data)."""


def backup_name(stem: str, at: datetime) -> str:
    return f"{stem}-{at.astimezone(UTC).strftime(_STAMP)}.db"


def list_backups(folder: Path, stem: str) -> list[BackupFile]:
    """This database's copies in `folder`, newest first (other files are ignored)."""
    pattern = re.compile(re.escape(stem) + r"-(\d{8}T\d{6}Z)\.db")
    found = []
    try:
        entries = list(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match and entry.is_file():
            taken = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
            found.append(BackupFile(taken, entry))
    return sorted(found, reverse=True)


def newest_backup(folder: Path, stem: str) -> BackupFile | None:
    backups = list_backups(folder, stem)
    return backups[0] if backups else None


def last_slot(now: datetime, tz: ZoneInfo) -> datetime:
    """The latest 03:00 local time at or before `now`."""
    local = now.astimezone(tz)
    slot = datetime.combine(local.date(), BACKUP_TIME, tzinfo=tz)
    if slot > local:
        slot = datetime.combine(local.date() - timedelta(days=1), BACKUP_TIME, tzinfo=tz)
    return slot


def is_due(newest: BackupFile | None, now: datetime, tz: ZoneInfo) -> bool:
    """No copy since the last 03:00 (tonight's, or one missed while the bot was down)."""
    return newest is None or newest.taken_at < last_slot(now, tz)


def to_keep(backups: Iterable[BackupFile], tz: ZoneInfo) -> set[Path]:
    """The newest copy of each of the last 7 days, 4 ISO weeks and 12 months that have one
    (local time), like `restic forget --keep-daily 7 --keep-weekly 4 --keep-monthly 12`."""
    newest_first = sorted(backups, reverse=True)

    def day(b: BackupFile) -> Hashable:
        return b.taken_at.astimezone(tz).date()

    def week(b: BackupFile) -> Hashable:
        return b.taken_at.astimezone(tz).isocalendar()[:2]

    def month(b: BackupFile) -> Hashable:
        local = b.taken_at.astimezone(tz)
        return (local.year, local.month)

    keep: set[Path] = set()
    rules: tuple[tuple[Callable[[BackupFile], Hashable], int], ...] = (
        (day, KEEP_DAILY),
        (week, KEEP_WEEKLY),
        (month, KEEP_MONTHLY),
    )
    for period, count in rules:
        seen: set[Hashable] = set()
        for backup in newest_first:
            key = period(backup)
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.add(key)
            keep.add(backup.path)
    return keep


def prune(folder: Path, stem: str, tz: ZoneInfo) -> list[Path]:
    """Delete the copies the rule does not keep; the deleted paths."""
    backups = list_backups(folder, stem)
    keep = to_keep(backups, tz)
    deleted = []
    for backup in backups:
        if backup.path not in keep:
            backup.path.unlink(missing_ok=True)
            deleted.append(backup.path)
    return deleted


@dataclass(frozen=True)
class BackupResult:
    file: BackupFile
    size: int  # bytes
    pruned: list[Path]


class Backups:
    """The scheduled backups of one running bot (`Services.backups` when BACKUP_DIR is set).
    One at a time: the nightly run and a catch-up at start never overlap."""

    def __init__(self, db: Database, folder: Path, tz: ZoneInfo) -> None:
        self.db = db
        self.folder = folder
        self.tz = tz
        self.stem = db.path.stem
        self._lock = asyncio.Lock()

    def newest(self) -> BackupFile | None:
        return newest_backup(self.folder, self.stem)

    async def run_if_due(self, now: datetime) -> BackupResult | None:
        """Write tonight's copy (or the one missed) unless there is one already."""
        async with self._lock:
            if not is_due(await asyncio.to_thread(self.newest), now, self.tz):
                return None
            return await self._run(now)

    async def run(self, now: datetime) -> BackupResult:
        """Write a copy now, whatever the schedule says."""
        async with self._lock:
            return await self._run(now)

    async def _run(self, now: datetime) -> BackupResult:
        name = backup_name(self.stem, now)
        final = self.folder / name
        partial = self.folder / f".{name}.partial"  # never mistaken for a backup
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial.unlink(missing_ok=True)
            report = await asyncio.to_thread(write_checked_copy, self.db.path, partial)
        except Exception as exc:  # disk full, permissions, an unreadable database…
            _discard(partial)
            raise BackupError(_reason(exc)) from exc
        if not report.ok:
            _discard(partial)
            raise BackupError(f"the copy failed its integrity check: {report.problems[0]}")
        os.replace(partial, final)
        pruned = await asyncio.to_thread(prune, self.folder, self.stem, self.tz)
        return BackupResult(BackupFile(_taken(now), final), final.stat().st_size, pruned)


def _discard(partial: Path) -> None:
    """Remove a copy that does not count; what made the copy fail may forbid this too."""
    with contextlib.suppress(OSError):
        partial.unlink(missing_ok=True)


def _taken(now: datetime) -> datetime:
    """The time the name records (second precision), so it compares equal to a listed one."""
    return now.astimezone(UTC).replace(microsecond=0)


def _reason(exc: BaseException) -> str:
    """What went wrong, for the admins and the log: an OS or SQLite message, no data."""
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{where}"
    return f"{type(exc).__name__}: {exc}"


# --- restoring --------------------------------------------------------------------------


class RestoreError(Exception):
    """The file cannot be restored, or not now; the message says what to do."""


def _same_file(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


@dataclass(frozen=True)
class Restored:
    source_version: int
    kept: list[Path]
    migrated_to: list[int]


async def restore(database: Path, source: Path, now: datetime) -> Restored:
    """`clia-bot restore`: check `source`, keep the database it replaces, put it in place,
    bring its schema up to date. Refuses while a bot holds the database."""
    if await asyncio.to_thread(_same_file, source, database):
        raise RestoreError("That file is the database itself; choose a backup copy.")
    try:
        report = await asyncio.to_thread(check_file, source, quick=False)
    except NotADatabase as exc:
        raise RestoreError(f"{source} is not a readable SQLite database ({exc}).") from exc
    if not report.has_bot_tables:
        raise RestoreError(f"{source} is an SQLite file but not a database of this bot.")
    if not report.ok:
        raise RestoreError(
            f"{source} failed its integrity check ({report.problems[0]}); choose another copy."
        )
    if report.schema_version > LATEST_VERSION:
        raise RestoreError(
            f"{source} was written by a newer version of the bot (schema "
            f"{report.schema_version}, this one knows {LATEST_VERSION}): upgrade the code first."
        )
    lock = DatabaseLock(database)
    if not lock.acquire():
        raise RestoreError(
            "The bot is running on this database: stop it first "
            "(sudo systemctl stop clia-bot), then restore."
        )
    try:
        keep_as = database.with_name(
            f"{database.name}.replaced-{now.astimezone(UTC).strftime(_STAMP)}"
        )
        kept = await asyncio.to_thread(replace_database, source, database, keep_as)
        async with Database(database) as db:
            migrated = await db.migrate()
    finally:
        lock.release()
    return Restored(report.schema_version, kept, migrated)
