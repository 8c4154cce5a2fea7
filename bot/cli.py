"""The `clia-bot` command: run, sandbox, migrate, backup, restore, export, doctor, report."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.backups import BackupError, Backups, RestoreError, restore
from bot.config import SUPPORTED_LANGUAGES, Settings, SettingsError, load_settings
from bot.logformat import configure_logging
from storage.backup import copy_database
from storage.database import Database


def _run(settings: Settings, _args: argparse.Namespace) -> int:
    """Start the bot: webhook when WEBHOOK_URL is set, else long polling (bot/runner.py)."""
    from bot.runner import run

    if settings.token is None:
        print(
            "TELEGRAM_BOT_TOKEN is not set, so this is the sandbox: the real bot on a local "
            "Bot API server. To run against Telegram, put a token from @BotFather in .env.",
            file=sys.stderr,
        )
        return _sandbox(settings, argparse.Namespace(port=settings.sandbox_port))
    return run(settings)


async def _migrate_database(path: Path) -> tuple[list[int], int]:
    async with Database(path) as db:
        applied = await db.migrate()
        version = int(await db.fetchval("PRAGMA user_version"))
    return applied, version


def _sandbox(settings: Settings, args: argparse.Namespace) -> int:
    """The whole bot on this machine, no token needed: a chat page at http://127.0.0.1:PORT."""
    from bot.sandbox.runner import run

    return run(settings, port=args.port or settings.sandbox_port)


def _migrate(settings: Settings, _args: argparse.Namespace) -> int:
    applied, version = asyncio.run(_migrate_database(settings.database_path))
    done = ", ".join(str(v) for v in applied) if applied else "none (already up to date)"
    print(f"{settings.database_path}: schema version {version}; migrations applied: {done}")
    return 0


def _backup(settings: Settings, args: argparse.Namespace) -> int:
    """SQLite's online backup: a consistent copy even while the bot writes. Without a path,
    a checked copy in BACKUP_DIR named like the nightly ones (and counted with them)."""
    source_path = settings.database_path
    if not source_path.exists():
        print(f"No database at {source_path} (DATABASE_PATH).", file=sys.stderr)
        return 1
    if args.path is None:
        return _backup_to_folder(settings)
    target = Path(args.path)
    if target.resolve() == source_path.resolve():
        print("The backup path must differ from DATABASE_PATH.", file=sys.stderr)
        return 1
    copy_database(source_path, target)
    print(f"Backup written to {target}")
    return 0


def _backup_to_folder(settings: Settings) -> int:
    if settings.backup_dir is None:
        print("Give a path for the copy, or set BACKUP_DIR.", file=sys.stderr)
        return 1

    async def write() -> int:
        async with Database(settings.database_path) as db:
            backups = Backups(db, settings.backup_dir or Path(), settings.tz)
            result = await backups.run(datetime.now(UTC))
        print(f"Backup written to {result.file.path} and checked (integrity ok).")
        for path in result.pruned:
            print(f"Removed {path} (older than the copies kept).")
        return 0

    try:
        return asyncio.run(write())
    except BackupError as error:
        print(f"The backup failed: {error}", file=sys.stderr)
        return 1


def _restore(settings: Settings, args: argparse.Namespace) -> int:
    """Put a backup in place of the database (bot stopped), keeping the replaced file."""
    source, database = Path(args.path), settings.database_path
    try:
        done = asyncio.run(restore(database, source, datetime.now(UTC)))
    except RestoreError as error:
        print(f"Nothing was changed. {error}", file=sys.stderr)
        return 1
    print(f"Checked {source}: integrity ok, schema version {done.source_version}.")
    if done.kept:
        print(
            f"The database it replaces was kept as {done.kept[0]}"
            + (f" (with {done.kept[1].name})." if len(done.kept) > 1 else ".")
        )
    else:
        print(f"There was no database at {database} to keep.")
    migrated = ", ".join(str(v) for v in done.migrated_to)
    print(
        f"Restored {database} from {source}"
        + (f"; migrations applied: {migrated}." if migrated else "; its schema is current.")
    )
    print("Start the bot again (sudo systemctl start clia-bot).")
    return 0


def _doctor() -> int:
    """Checks the settings itself: an invalid one is a failed check, not a stop."""
    from bot.doctor import doctor

    configure_logging("WARNING")
    return asyncio.run(doctor())


def _export(settings: Settings, args: argparse.Namespace) -> int:
    """The analysis views as CSV files, for a spreadsheet or pandas."""
    from storage.views_export import export_views

    if not settings.database_path.exists():
        print(f"No database at {settings.database_path} (DATABASE_PATH).", file=sys.stderr)
        return 1
    counts = export_views(settings.database_path, Path(args.directory))
    for name, count in counts.items():
        print(f"{Path(args.directory) / (name + '.csv')}: {count} rows")
    return 0


def _report(settings: Settings, args: argparse.Namespace) -> int:
    """The monthly impact report of a period as a PDF file, as the admins get it."""
    from bot.application import build_application
    from bot.documents import DocumentRequest, builder

    if not settings.database_path.exists():
        print(f"No database at {settings.database_path} (DATABASE_PATH).", file=sys.stderr)
        return 1
    application = build_application(settings)  # registers the document builders
    services = application.bot_data.services
    assert services is not None
    request = DocumentRequest(args.month, args.axis, args.language or settings.default_language)

    async def build() -> bytes:
        await services.db.ensure_ready()
        try:
            return await builder("impact-report")(services, request)
        finally:
            await services.db.close()

    try:
        data = asyncio.run(build())
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    Path(args.out).write_bytes(data)
    print(f"Impact report of {args.month} written to {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clia-bot", description="Member-engagement Telegram bot of CLIA."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    run = commands.add_parser("run", help="run the bot (long polling, or webhook if WEBHOOK_URL)")
    run.set_defaults(handler=_run)
    sandbox = commands.add_parser(
        "sandbox", help="run the bot against a local Bot API with a chat page (no token needed)"
    )
    sandbox.add_argument("--port", type=int, default=None, help="page and API port (SANDBOX_PORT)")
    sandbox.set_defaults(handler=_sandbox)
    migrate = commands.add_parser("migrate", help="bring the database schema up to date")
    migrate.set_defaults(handler=_migrate)
    backup = commands.add_parser("backup", help="copy the database safely while the bot runs")
    backup.add_argument(
        "path", nargs="?", default=None, help="where to write the copy (default: in BACKUP_DIR)"
    )
    backup.set_defaults(handler=_backup)
    restore_cmd = commands.add_parser(
        "restore", help="put a backup in place of the database (stop the bot first)"
    )
    restore_cmd.add_argument("path", help="the backup file to restore")
    restore_cmd.set_defaults(handler=_restore)
    doctor = commands.add_parser(
        "doctor", help="check settings, Telegram, database, disk and backups; exit 1 if not ok"
    )
    doctor.set_defaults(handler=None)
    export = commands.add_parser("export", help="write every analysis view as a CSV file")
    export.add_argument("directory", help="folder for the CSV files (created if missing)")
    export.set_defaults(handler=_export)
    report = commands.add_parser("report", help="write the monthly impact report as a PDF")
    report.add_argument("--month", required=True, help="the period: 2026-10, 2026-Q4 or 2026")
    report.add_argument("--out", required=True, help="the PDF file to write")
    report.add_argument(
        "--axis",
        default="cluster",
        choices=["cluster", "innovation", "talent", "leadership", "globalization"],
        help="one axis instead of the whole cluster and each axis",
    )
    report.add_argument("--language", choices=SUPPORTED_LANGUAGES, help="default: DEFAULT_LANGUAGE")
    report.set_defaults(handler=_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "doctor":
        return _doctor()
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format)
    return int(args.handler(settings, args))
