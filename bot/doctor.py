"""`clia-bot doctor`: is this installation healthy? One line per check, ✓ or ✗ with what to do.

Checks the settings; the token with Telegram (`getMe`), or that the sandbox is in use; the
webhook as Telegram sees it (`getWebhookInfo`: its URL, updates waiting, the last delivery
error) or that no webhook stands in the way of polling; the database (`PRAGMA quick_check`,
schema version, the write-ahead log's size); free disk space; the newest backup's age; the
time zone; that someone receives the admins' alerts. Exit status 1 when any check fails.

Safe while the bot runs: the database is opened read-only and Telegram is only asked.
Uses bot/ and storage/; printed in English, for whoever looks after the server.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram import Bot, WebhookInfo
from telegram.error import InvalidToken, TelegramError
from telegram.request import BaseRequest, HTTPXRequest

from bot.backups import STALE_AFTER, list_backups
from bot.config import Settings, SettingsError, load_settings
from bot.web import WEBHOOK_PATH
from storage.checks import NotADatabase, active_admins, check_file, wal_size
from storage.migrations import LATEST_VERSION

MIB = 1024 * 1024
WAL_LIMIT = 64 * MIB  # the bot empties the log at quiet moments; this much means it cannot
MIN_FREE = 256 * MIB  # and at least twice the database's size: its log and tonight's copy
RECENT_WEBHOOK_ERROR = timedelta(hours=1)


@dataclass(frozen=True)
class Check:
    ok: bool
    name: str
    detail: str
    fix: str = ""  # what to do, when the check failed

    def line(self) -> str:
        text = f"{'✓' if self.ok else '✗'} {self.name}: {self.detail}"
        return f"{text} → {self.fix}" if self.fix and not self.ok else text


def size_text(size: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def age_text(age: timedelta) -> str:
    hours = age.total_seconds() / 3600
    return f"{hours * 60:.0f} min" if hours < 1 else f"{hours:.1f} h"


# --- Telegram ----------------------------------------------------------------------------


async def telegram_checks(settings: Settings, request: BaseRequest | None = None) -> list[Check]:
    """The token (`getMe`) and the webhook (`getWebhookInfo`); the sandbox needs neither."""
    token = settings.token
    if token is None:
        return [
            Check(
                True,
                "Telegram",
                "no TELEGRAM_BOT_TOKEN, so `clia-bot run` starts the sandbox (a local Bot API "
                "and chat page), not the real bot",
            )
        ]
    http = request or HTTPXRequest(connection_pool_size=2, read_timeout=15)
    bot = Bot(
        token,
        base_url=f"{settings.telegram_api_base_url}/bot",
        base_file_url=f"{settings.telegram_api_base_url}/file/bot",
        request=http,
        get_updates_request=http,
    )
    try:
        await bot.initialize()  # asks getMe
    except InvalidToken:
        return [
            Check(
                False,
                "Telegram",
                "Telegram refused the token",
                "get a new one from @BotFather (/token) and put it in TELEGRAM_BOT_TOKEN",
            )
        ]
    except TelegramError as exc:
        return [
            Check(
                False,
                "Telegram",
                f"cannot reach {settings.telegram_api_base_url}: {exc.message}",
                "check the server's internet access and DNS, and TELEGRAM_API_BASE_URL",
            )
        ]
    try:
        checks = [Check(True, "Telegram", f"@{bot.username} accepts the token")]
        try:
            info = await bot.get_webhook_info()
        except TelegramError as exc:
            checks.append(
                Check(
                    False,
                    "webhook",
                    f"getWebhookInfo failed: {exc.message}",
                    "try again; if it persists, Telegram may be having trouble",
                )
            )
        else:
            checks.append(webhook_check(settings, info, datetime.now(UTC)))
        return checks
    finally:
        await bot.shutdown()


def webhook_check(settings: Settings, info: WebhookInfo, now: datetime) -> Check:
    """What Telegram knows of the webhook, against WEBHOOK_URL."""
    waiting = info.pending_update_count
    if settings.webhook_url is None:
        if info.url:
            return Check(
                False,
                "webhook",
                f"Telegram posts updates to {info.url}, but WEBHOOK_URL is empty (polling)",
                "`clia-bot run` removes that webhook when it starts polling; if another "
                "server uses this token, stop it first",
            )
        return Check(True, "updates", f"long polling; {waiting} update(s) waiting at Telegram")
    expected = f"{settings.webhook_url}{WEBHOOK_PATH}"
    if not info.url:
        return Check(
            False,
            "webhook",
            f"no webhook is set at Telegram; {waiting} update(s) waiting",
            f"start the bot: `clia-bot run` sets {expected}",
        )
    if info.url != expected:
        return Check(
            False,
            "webhook",
            f"Telegram posts to {info.url}, not to {expected}",
            "restart the bot to set it again; is another server using this token?",
        )
    last_error = info.last_error_date
    if last_error is not None and now - last_error < RECENT_WEBHOOK_ERROR:
        return Check(
            False,
            "webhook",
            f"{expected}: Telegram's last delivery failed {age_text(now - last_error)} ago "
            f"({info.last_error_message or 'no reason given'}); {waiting} update(s) waiting",
            "is the bot running? Does the reverse proxy answer https with a valid certificate "
            f"and pass {WEBHOOK_PATH} to WEB_HOST:PORT? (curl the /healthz address)",
        )
    return Check(True, "webhook", f"{expected}; {waiting} update(s) waiting")


# --- files -----------------------------------------------------------------------------


def database_checks(settings: Settings) -> list[Check]:
    path = settings.database_path
    if not path.exists():
        return [
            Check(
                False,
                "database",
                f"no database at {path}",
                "start the bot or run `clia-bot migrate` to create it; to bring back a "
                "backup: `clia-bot restore PATH`",
            )
        ]
    size = size_text(path.stat().st_size)
    try:
        report = check_file(path, quick=True)
    except NotADatabase as exc:
        return [
            Check(
                False,
                "database",
                f"{path} cannot be read as SQLite ({exc})",
                "stop the bot and restore the newest backup: `clia-bot restore PATH`",
            )
        ]
    checks = []
    if report.ok:
        checks.append(Check(True, "database", f"{path} ({size}): quick_check ok"))
    else:
        checks.append(
            Check(
                False,
                "database",
                f"{path}: quick_check found {report.problems[0]}",
                "stop the bot and restore the newest backup: `clia-bot restore PATH`",
            )
        )
    version = report.schema_version
    if version == LATEST_VERSION:
        checks.append(Check(True, "schema", f"version {version}, current"))
    elif version < LATEST_VERSION:
        checks.append(
            Check(
                False,
                "schema",
                f"version {version}; this program's is {LATEST_VERSION}",
                "run `clia-bot migrate` (the bot also does at start)",
            )
        )
    else:
        checks.append(
            Check(
                False,
                "schema",
                f"version {version} is newer than this program's ({LATEST_VERSION})",
                "upgrade the program (git pull), or restore a backup made by this version",
            )
        )
    wal = wal_size(path)
    if wal <= WAL_LIMIT:
        checks.append(Check(True, "write-ahead log", size_text(wal)))
    else:
        checks.append(
            Check(
                False,
                "write-ahead log",
                f"{size_text(wal)}: not being emptied",
                "something keeps reading the live file (an analysis left open?): close "
                "it, or restart the bot",
            )
        )
    return checks


def _existing(path: Path) -> Path:
    """The path, or its nearest folder that exists (for disk usage of what is not there yet)."""
    path = path.resolve()
    while not path.exists():
        path = path.parent
    return path


def disk_checks(settings: Settings) -> list[Check]:
    database = settings.database_path
    db_size = database.stat().st_size if database.exists() else 0
    needed = max(MIN_FREE, 2 * db_size)
    places = [("disk", _existing(database.parent))]
    if settings.backup_dir is not None:
        backups = _existing(settings.backup_dir)
        if backups.stat().st_dev != places[0][1].stat().st_dev:
            places.append(("backup disk", backups))
    checks = []
    for name, place in places:
        free = shutil.disk_usage(place).free
        if free >= needed:
            checks.append(Check(True, name, f"{size_text(free)} free at {place}"))
        else:
            checks.append(
                Check(
                    False,
                    name,
                    f"only {size_text(free)} free at {place}",
                    f"free some space: the bot needs at least {size_text(needed)} for the "
                    "database, its log and tonight's backup",
                )
            )
    return checks


def backup_check(settings: Settings, now: datetime) -> Check:
    folder = settings.backup_dir
    if folder is None:
        return Check(
            False,
            "backups",
            "BACKUP_DIR is not set, so the bot makes no backups",
            "set BACKUP_DIR to a folder the bot may write (README: Deploying)",
        )
    backups = list_backups(folder, settings.database_path.stem)
    if not backups:
        return Check(
            False,
            "backups",
            f"no backup in {folder} yet",
            "the running bot writes one at start and every night at 03:00; "
            "`clia-bot backup` writes one now",
        )
    newest = backups[0]
    age = now - newest.taken_at
    if age > STALE_AFTER:
        return Check(
            False,
            "backups",
            f"the newest, {newest.path.name}, is {age_text(age)} old",
            "is the bot running? A failed backup is reported to the admins in the "
            "chat and in the log (journalctl -u clia-bot)",
        )
    return Check(
        True, "backups", f"newest {age_text(age)} old ({newest.path.name}); {len(backups)} kept"
    )


def other_checks(settings: Settings, now: datetime) -> list[Check]:
    local = now.astimezone(settings.tz)
    checks = [
        Check(
            True, "time zone", f"{settings.timezone}: it is {local:%H:%M} there now (UTC{local:%z})"
        )
    ]
    if settings.webhook_url is not None and settings.webhook_secret is None:
        checks.append(
            Check(
                False,
                "webhook secret",
                "WEBHOOK_SECRET is empty: anyone who finds the address can post updates",
                "set it (openssl rand -hex 32), and the same in the reverse proxy",
            )
        )
    promoted = active_admins(settings.database_path) - settings.admin_ids
    found = []
    if settings.admin_ids:
        found.append(f"{len(settings.admin_ids)} in ADMIN_IDS")
    if promoted:
        found.append(f"{len(promoted)} admin{'s' if len(promoted) > 1 else ''} in the database")
    if found:
        one = len(settings.admin_ids) + len(promoted) == 1 and not settings.admin_ids
        verb = " gets alerts" if one else " get alerts"
        checks.append(Check(True, "admins", " and ".join(found) + verb))
    else:
        checks.append(
            Check(
                False,
                "admins",
                "ADMIN_IDS is empty and no member is an admin: nobody gets the bot's alerts",
                "put your Telegram user id in ADMIN_IDS (@userinfobot tells it)",
            )
        )
    return checks


async def diagnose(
    settings: Settings, request: BaseRequest | None = None, now: datetime | None = None
) -> list[Check]:
    """Every check after the settings, in the order printed."""
    now = now or datetime.now(UTC)
    checks = await telegram_checks(settings, request)
    checks += database_checks(settings)
    checks += disk_checks(settings)
    checks.append(backup_check(settings, now))
    checks += other_checks(settings, now)
    return checks


async def doctor(request: BaseRequest | None = None) -> int:
    """`clia-bot doctor`: print the checks; 1 when any failed."""
    try:
        settings = load_settings()
    except SettingsError as error:
        print(
            Check(
                False,
                "settings",
                str(error),
                "correct it in .env (or the service's EnvironmentFile)",
            ).line()
        )
        return 1
    print(Check(True, "settings", "valid").line())
    checks = await diagnose(settings, request)
    token = settings.token
    for check in checks:
        line = check.line()
        print(line.replace(token, "<token>") if token else line)
    failed = [c for c in checks if not c.ok]
    if failed:
        print(f"{len(failed)} of {len(checks) + 1} checks failed.")
        return 1
    print(f"All {len(checks) + 1} checks passed.")
    return 0
