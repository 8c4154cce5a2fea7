"""Settings and the `clia-bot` command: clear one-line errors, migrate, backup."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot.config import SettingsError, load_settings
from storage.migrations import LATEST_VERSION
from tests.sandbox_driver import free_port

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_VARS = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "DATABASE_PATH",
    "ADMIN_IDS",
    "DEFAULT_LANGUAGE",
    "TIMEZONE",
    "COMMUNITY_CHAT_ID",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "PORT",
    "LOG_LEVEL",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in SETTINGS_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no developer .env leaks in


def test_defaults() -> None:
    settings = load_settings()
    assert settings.token is None
    assert settings.database_path == Path("data/clia.db")
    assert settings.default_language == "es"
    assert settings.timezone == "America/Mexico_City"
    assert settings.telegram_api_base_url == "https://api.telegram.org"
    assert settings.admin_ids == frozenset()


def test_env_file_and_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "ADMIN_IDS=11, 22 33\nDEFAULT_LANGUAGE=EN\nCOMMUNITY_CHAT_ID=\nWEBHOOK_URL=\n"
    )
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/")
    settings = load_settings()
    assert settings.admin_ids == frozenset({11, 22, 33})
    assert settings.default_language == "en"
    assert settings.community_chat_id is None
    assert settings.webhook_url is None
    assert settings.telegram_api_base_url == "http://127.0.0.1:8081"


def test_the_token_is_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:ABCdefGHIjklMNOpqrSTUvwxYZ")
    settings = load_settings()
    assert settings.token == "123456:ABCdefGHIjklMNOpqrSTUvwxYZ"
    assert "ABCdef" not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("ADMIN_IDS", "12,abc", "Telegram user ids"),
        ("TIMEZONE", "Mars/Olympus", "time zone"),
        ("PORT", "99999", ""),
        ("DEFAULT_LANGUAGE", "fr", ""),
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "@BotFather"),
        ("WEBHOOK_URL", "ftp://example.org", "http"),
        ("WEBHOOK_SECRET", "has spaces", "A-Z"),
        ("LOG_LEVEL", "LOUD", ""),
        ("COMMUNITY_CHAT_ID", "general", ""),
    ],
)
def test_invalid_setting_names_itself(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, words: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert message.startswith(f"Invalid setting {name}: ")
    assert words in message
    assert "\n" not in message


def _cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
    return subprocess.run(  # noqa: S603 - our own program
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**base, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_invalid_setting_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = _cli("run", cwd=tmp_path, ADMIN_IDS="me")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Invalid setting ADMIN_IDS: must be Telegram user ids separated by commas, e.g. 123,456"
    ]
    assert "Traceback" not in result.stderr


def test_cli_run_without_token_starts_the_sandbox(tmp_path: Path) -> None:
    """`make run` on a fresh clone with no token: the sandbox, reachable, and a clean stop."""
    port = free_port()
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env={**base, "PYTHONPATH": str(ROOT), "SANDBOX_PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = ""
        for _ in range(200):
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=1).text
                break
            except httpx.TransportError:
                time.sleep(0.05)
        assert "CLIA bot · sandbox" in page
        database = tmp_path / "data" / "sandbox.db"
        for _ in range(200):
            if database.exists():
                break
            time.sleep(0.05)
        assert database.exists()
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "TELEGRAM_BOT_TOKEN is not set, so this is the sandbox" in err
    assert f"open http://127.0.0.1:{port}" in out
    assert "Traceback" not in err


def test_cli_migrate_and_backup(tmp_path: Path) -> None:
    database = tmp_path / "db" / "clia.db"
    result = _cli("migrate", cwd=tmp_path, DATABASE_PATH=str(database))
    assert result.returncode == 0, result.stderr
    assert f"schema version {LATEST_VERSION}" in result.stdout
    again = _cli("migrate", cwd=tmp_path, DATABASE_PATH=str(database))
    assert "already up to date" in again.stdout

    with sqlite3.connect(database) as conn:
        conn.execute(
            "INSERT INTO organizations (name, sector) VALUES ('Proveedora Uno', 'supplier')"
        )
    backup = tmp_path / "backups" / "copy.db"
    result = _cli("backup", str(backup), cwd=tmp_path, DATABASE_PATH=str(database))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(backup) as copy:
        names = {r[0] for r in copy.execute("SELECT name FROM organizations")}
        assert "Proveedora Uno" in names
        assert copy.execute("PRAGMA user_version").fetchone() == (LATEST_VERSION,)


def test_cli_backup_refuses_missing_database(tmp_path: Path) -> None:
    result = _cli("backup", "x.db", cwd=tmp_path, DATABASE_PATH=str(tmp_path / "none.db"))
    assert result.returncode == 1
    assert "No database" in result.stderr


def test_cli_export_writes_each_view_without_contact_data(tmp_path: Path) -> None:
    database = tmp_path / "clia.db"
    assert _cli("migrate", cwd=tmp_path, DATABASE_PATH=str(database)).returncode == 0
    with sqlite3.connect(database) as conn:
        conn.execute(
            "INSERT INTO members (telegram_user_id, chat_id, full_name, organization_id, email,"
            " phone, status, consent_version, consent_at)"
            " VALUES (42, 42, 'Lucía Peña', 1, 'lucia@flex.com', '+524491112233', 'active',"
            " '2026-11', '2026-11-01T12:00:00Z')"
        )
    out = tmp_path / "export"
    result = _cli("export", str(out), cwd=tmp_path, DATABASE_PATH=str(database))
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in out.iterdir())
    assert "v_members.csv" in files and "v_survey_answers.csv" in files
    assert "v_members.csv: 1 rows" in result.stdout
    members = (out / "v_members.csv").read_text(encoding="utf-8-sig")
    assert "Lucía Peña" in members
    assert "lucia@flex.com" not in members and "2233" not in members
    assert (
        _cli("export", str(out), cwd=tmp_path, DATABASE_PATH=str(tmp_path / "no.db")).returncode
        == 1
    )
