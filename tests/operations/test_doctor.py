"""`clia-bot doctor`: one line per check, ✓ or ✗ with what to do, exit 1 when something is
wrong. Driven through `main(argv)` against the offline Bot API served on 127.0.0.1, and
check by check for the cases that need a broken server to happen."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram import WebhookInfo

from bot import doctor as doctor_module
from bot.backups import Backups, backup_name
from bot.config import Settings
from bot.doctor import Check, diagnose, webhook_check
from storage.database import Database
from storage.migrations import LATEST_VERSION
from tests.harness import TEST_TOKEN, FakeClock, make_settings
from tests.operations.conftest import Cli
from tests.operations.fakes import LiveFakeBotAPI, over_http

NOW = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)


async def installation(tmp_path: Path, *, backup_at: datetime | None) -> dict[str, str]:
    """A migrated database and, when `backup_at`, a backup taken then; the settings' env."""
    database = tmp_path / "data" / "clia.db"
    folder = tmp_path / "backups"
    async with Database(database) as db:
        await db.migrate()
        if backup_at is not None:
            await Backups(db, folder, Settings(_env_file=None).tz).run(backup_at)  # type: ignore[call-arg]
    return {"DATABASE_PATH": str(database), "BACKUP_DIR": str(folder), "ADMIN_IDS": "900"}


def marks(output: str) -> list[str]:
    return [line[0] for line in output.splitlines()[:-1]]


async def test_a_healthy_installation_passes_every_check(tmp_path: Path, cli: Cli) -> None:
    env = await installation(tmp_path, backup_at=datetime.now(UTC) - timedelta(hours=5))
    api = LiveFakeBotAPI(FakeClock())
    async with over_http(api) as url:
        result = await asyncio.to_thread(
            cli, "doctor", TELEGRAM_BOT_TOKEN=TEST_TOKEN, TELEGRAM_API_BASE_URL=url, **env
        )
    assert result.code == 0, result.out
    lines = result.out.splitlines()
    assert set(marks(result.out)) == {"✓"}, result.out
    assert lines[0] == "✓ settings: valid"
    assert "✓ Telegram: @clia_test_bot accepts the token" in lines
    assert "✓ updates: long polling; 0 update(s) waiting at Telegram" in lines
    assert any(line.startswith("✓ database: ") and "quick_check ok" in line for line in lines)
    assert f"✓ schema: version {LATEST_VERSION}, current" in lines
    assert any(line.startswith("✓ write-ahead log: ") for line in lines)
    assert any(line.startswith("✓ disk: ") and " free at " in line for line in lines)
    assert any(line.startswith("✓ backups: newest 5.0 h old (clia-") for line in lines)
    assert any(line.startswith("✓ time zone: America/Mexico_City: it is ") for line in lines)
    assert "✓ admins: 1 in ADMIN_IDS get alerts" in lines
    assert lines[-1] == f"All {len(lines) - 1} checks passed."
    assert [c.method for c in api.calls] == ["getMe", "getWebhookInfo"]
    assert TEST_TOKEN.split(":")[1] not in result.out


async def test_what_is_wrong_is_named_with_what_to_do(tmp_path: Path, cli: Cli) -> None:
    api = LiveFakeBotAPI(FakeClock())
    api.fail("getMe", status=401, description="Unauthorized")
    async with over_http(api) as url:
        result = await asyncio.to_thread(
            cli,
            "doctor",
            TELEGRAM_BOT_TOKEN=TEST_TOKEN,
            TELEGRAM_API_BASE_URL=url,
            DATABASE_PATH=str(tmp_path / "nothing-here.db"),
        )
    assert result.code == 1
    failed = [line for line in result.out.splitlines() if line.startswith("✗")]
    assert [line.split(":")[0] for line in failed] == [
        "✗ Telegram",
        "✗ database",
        "✗ backups",
        "✗ admins",
    ]
    assert all(" → " in line for line in failed), failed
    assert "Telegram refused the token → get a new one from @BotFather" in failed[0]
    assert "clia-bot migrate" in failed[1] and "clia-bot restore PATH" in failed[1]
    assert "BACKUP_DIR is not set" in failed[2]
    assert "ADMIN_IDS is empty" in failed[3]
    assert result.out.splitlines()[-1].startswith("4 of ")
    assert TEST_TOKEN.split(":")[1] not in result.out
    assert [c.method for c in api.calls] == ["getMe"]  # no webhook question after a refusal


def test_invalid_settings_are_a_failed_check(cli: Cli) -> None:
    result = cli("doctor", TIMEZONE="Mars/Olympus")
    assert result.code == 1
    assert result.out.splitlines() == [
        "✗ settings: Invalid setting TIMEZONE: is not a known IANA time zone, e.g. "
        "America/Mexico_City → correct it in .env (or the service's EnvironmentFile)"
    ]


async def test_the_sandbox_needs_no_token(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, telegram_bot_token=None)
    api = LiveFakeBotAPI(FakeClock())
    checks = await diagnose(settings, api, NOW)
    assert checks[0] == Check(
        True,
        "Telegram",
        "no TELEGRAM_BOT_TOKEN, so `clia-bot run` starts the sandbox (a local Bot API and "
        "chat page), not the real bot",
    )
    assert api.calls == []


def _info(url: str = "", waiting: int = 0, error_ago: timedelta | None = None) -> WebhookInfo:
    return WebhookInfo(
        url=url,
        has_custom_certificate=False,
        pending_update_count=waiting,
        last_error_date=NOW - error_ago if error_ago is not None else None,
        last_error_message="Connection refused" if error_ago is not None else None,
    )


@pytest.mark.parametrize(
    ("webhook_url", "info", "expected"),
    [
        (None, _info(waiting=3), "✓ updates: long polling; 3 update(s) waiting at Telegram"),
        (
            None,
            _info("https://elsewhere.example/telegram"),
            "✗ webhook: Telegram posts updates to https://elsewhere.example/telegram, but "
            "WEBHOOK_URL is empty (polling) → `clia-bot run` removes that webhook",
        ),
        (
            "https://bot.example.org",
            _info("https://bot.example.org/telegram", waiting=1),
            "✓ webhook: https://bot.example.org/telegram; 1 update(s) waiting",
        ),
        (
            "https://bot.example.org",
            _info(waiting=12),
            "✗ webhook: no webhook is set at Telegram; 12 update(s) waiting → start the bot: "
            "`clia-bot run` sets https://bot.example.org/telegram",
        ),
        (
            "https://bot.example.org",
            _info("https://old.example.org/telegram"),
            "✗ webhook: Telegram posts to https://old.example.org/telegram, not to "
            "https://bot.example.org/telegram → restart the bot",
        ),
        (
            "https://bot.example.org",
            _info("https://bot.example.org/telegram", 40, timedelta(minutes=5)),
            "✗ webhook: https://bot.example.org/telegram: Telegram's last delivery failed "
            "5 min ago (Connection refused); 40 update(s) waiting → is the bot running?",
        ),
        (
            "https://bot.example.org",
            _info("https://bot.example.org/telegram", 0, timedelta(days=2)),
            "✓ webhook: https://bot.example.org/telegram; 0 update(s) waiting",  # long past
        ),
    ],
)
def test_the_webhook_as_telegram_sees_it(
    tmp_path: Path, webhook_url: str | None, info: WebhookInfo, expected: str
) -> None:
    settings = make_settings(tmp_path, webhook_url=webhook_url)
    assert webhook_check(settings, info, NOW).line().startswith(expected)


async def test_a_webhook_without_a_secret_is_named(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, webhook_url="https://bot.example.org")
    checks = {c.name: c for c in await diagnose(settings, LiveFakeBotAPI(FakeClock()), NOW)}
    assert (
        checks["webhook secret"]
        .line()
        .startswith(
            "✗ webhook secret: WEBHOOK_SECRET is empty: anyone who finds the address can post "
            "updates → set it"
        )
    )
    with_secret = make_settings(
        tmp_path, webhook_url="https://bot.example.org", webhook_secret="s3cret"
    )
    names = [c.name for c in await diagnose(with_secret, LiveFakeBotAPI(FakeClock()), NOW)]
    assert "webhook secret" not in names


async def test_database_disk_and_backup_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = LiveFakeBotAPI(FakeClock())
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / backup_name("clia", NOW - timedelta(days=3))).write_bytes(b"")
    old_schema = tmp_path / "clia.db"
    async with Database(old_schema) as db:
        await db.migrate(target=LATEST_VERSION - 1)
        await db.execute("CREATE TABLE scratch (x)")  # the open connection keeps a WAL
        monkeypatch.setattr(doctor_module, "WAL_LIMIT", 0)
        monkeypatch.setattr(doctor_module, "MIN_FREE", 1 << 62)
        settings = make_settings(tmp_path, database_path=old_schema, backup_dir=folder)
        checks = {c.name: c for c in await diagnose(settings, api, NOW)}
    assert checks["database"].ok
    assert checks["schema"].line() == (
        f"✗ schema: version {LATEST_VERSION - 1}; this program's is {LATEST_VERSION} → run "
        "`clia-bot migrate` (the bot also does at start)"
    )
    assert (
        checks["write-ahead log"]
        .line()
        .endswith(
            ": not being emptied → something keeps reading the live file (an analysis left "
            "open?): close it, or restart the bot"
        )
    )
    assert checks["disk"].line().startswith("✗ disk: only ")
    assert "free some space" in checks["disk"].line()
    assert (
        checks["backups"]
        .line()
        .startswith(
            "✗ backups: the newest, clia-20261121T160000Z.db, is 72.0 h old → is the bot running?"
        )
    )

    corrupt = tmp_path / "corrupt.db"
    corrupt.write_text("not a database at all " * 200)
    broken = {
        c.name: c for c in await diagnose(make_settings(tmp_path, database_path=corrupt), api, NOW)
    }
    assert broken["database"].line().startswith(f"✗ database: {corrupt} cannot be read as SQLite")
    assert "clia-bot restore PATH" in broken["database"].line()
    assert "schema" not in broken


async def test_admins_promoted_in_the_chat_get_the_alerts_too(tmp_path: Path) -> None:
    """Alerts go to ADMIN_IDS and to active admins made with /promote (handlers/operations/
    alerts.py): an installation whose admins were all promoted is not told nobody gets them."""
    from tests.factories import add_member

    settings = make_settings(tmp_path, telegram_bot_token=None, admin_ids=frozenset())
    async with Database(settings.database_path) as db:
        await db.migrate()
        checks = {c.name: c for c in await diagnose(settings, None, NOW)}
        assert not checks["admins"].ok
        assert "nobody gets the bot's alerts" in checks["admins"].detail
        await add_member(db, 501, full_name="Laura Méndez", role="admin")
        await add_member(db, 502, full_name="Ex Admin", role="admin", status="left")
        checks = {c.name: c for c in await diagnose(settings, None, NOW)}
        assert checks["admins"] == Check(True, "admins", "1 admin in the database gets alerts")

    settings = make_settings(tmp_path, telegram_bot_token=None, admin_ids=frozenset({900, 901}))
    checks = {c.name: c for c in await diagnose(settings, None, NOW)}
    assert checks["admins"] == Check(
        True, "admins", "2 in ADMIN_IDS and 1 admin in the database get alerts"
    )
