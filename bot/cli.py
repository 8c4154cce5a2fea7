"""The `clia-bot` command: run, sandbox, migrate, export, backup, report."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import Settings, SettingsError, load_settings
from storage.backup import copy_database
from storage.database import Database

log = logging.getLogger("bot")


def configure_logging(level: str) -> None:
    """One line per record; HTTP client logs stay quiet because their URLs carry the token,
    and APScheduler's line per job run (every minute) only at WARNING."""
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )
    for noisy in ("httpx", "httpcore", "tornado.access", "apscheduler", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _run(settings: Settings, _args: argparse.Namespace) -> int:
    """Start the bot: webhook when WEBHOOK_URL is set, else long polling."""
    from bot.application import ALLOWED_UPDATES, build_application

    if settings.token is None:
        print(
            "TELEGRAM_BOT_TOKEN is not set, so this is the sandbox: the real bot on a local "
            "Bot API server. To run against Telegram, put a token from @BotFather in .env.",
            file=sys.stderr,
        )
        return _sandbox(settings, argparse.Namespace(port=settings.sandbox_port))
    application = build_application(settings)
    if settings.webhook_url:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        log.info("starting in webhook mode on port %d", settings.port)
        application.run_webhook(
            listen="0.0.0.0",  # noqa: S104 - the webhook must be reachable from outside
            port=settings.port,
            url_path="telegram",
            webhook_url=f"{settings.webhook_url}/telegram",
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        log.info("starting with long polling")
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


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
    """SQLite's online backup: a consistent copy even while the bot writes."""
    source_path = settings.database_path
    target = Path(args.path)
    if not source_path.exists():
        print(f"No database at {source_path} (DATABASE_PATH).", file=sys.stderr)
        return 1
    if target.resolve() == source_path.resolve():
        print("The backup path must differ from DATABASE_PATH.", file=sys.stderr)
        return 1
    copy_database(source_path, target)
    print(f"Backup written to {target}")
    return 0


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
    backup.add_argument("path", help="where to write the copy")
    backup.set_defaults(handler=_backup)
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
    report.add_argument("--language", choices=["es", "en"], help="default: DEFAULT_LANGUAGE")
    report.set_defaults(handler=_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    return int(args.handler(settings, args))
