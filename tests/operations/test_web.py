"""The one web server: `clia-bot run`'s runner in polling and webhook mode, `/healthz` in each
and in the sandbox, and what /healthz says when something is wrong."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from bot.application import build_application
from bot.backups import backup_name
from bot.config import Settings
from bot.runner import Runner
from bot.web import WebServer, make_app
from storage.lockfile import DatabaseLock
from tests.harness import TEST_TOKEN, FakeClock, make_settings
from tests.operations.fakes import LiveFakeBotAPI, over_http
from tests.sandbox_driver import free_port, running_sandbox

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cret-Header_value"


def start_update(update_id: int, user_id: int, text: str = "/start") -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Ana", "language_code": "es"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_790_000_000,
            "chat": {"id": user_id, "type": "private", "first_name": "Ana"},
            "from": user,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


async def until(condition: Callable[[], object], what: str) -> None:
    """Wait for something the bot does in the background (the test fails if it never does)."""
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


@asynccontextmanager
async def running(
    tmp_path: Path, *, sender_loop: bool = True, **settings: Any
) -> AsyncIterator[tuple[Runner, LiveFakeBotAPI, FakeClock, httpx.AsyncClient]]:
    """`clia-bot run`'s runner over the offline fake, its web server on a free local port."""
    clock = FakeClock()
    api = LiveFakeBotAPI(clock)
    config = make_settings(tmp_path, **settings)
    app = build_application(config, request=api, clock=clock, sender_loop=sender_loop)
    runner = Runner(app, config)
    port = await runner.start(port=0)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            yield runner, api, clock, client
    finally:
        await runner.stop()


async def test_polling_mode_serves_healthz_and_reports_the_last_update(tmp_path: Path) -> None:
    async with running(tmp_path) as (runner, api, clock, client):
        first = await client.get("/healthz")
        assert first.status_code == 200, first.text
        assert first.headers["Content-Type"].startswith("application/json")
        report = first.json()
        assert report["status"] == "ok" and report["problems"] == []
        assert report["mode"] == "polling"
        assert report["database"] == {"reachable": True}
        assert report["updates"] == {"seconds_since_last": None}
        assert report["outbox"]["pending"] == 0
        assert report["outbox"]["sender"] in ("idle", "sending")
        assert report["backup"] == {"enabled": False}
        assert report["version"]

        api.push_update(start_update(1, 1001))  # Telegram has an update: polling fetches it
        processor = runner.application.update_processor
        await until(lambda: getattr(processor, "last_processed_at", None), "update processed")
        assert api.sent(chat_id=1001), "the bot answered the polled update"
        clock.advance(seconds=90)
        later = (await client.get("/healthz")).json()
        assert later["updates"]["seconds_since_last"] == 90
        assert later["uptime_seconds"] == 90
        assert (await client.head("/healthz")).status_code == 200
        assert (await client.post("/telegram", json={})).status_code == 404  # no webhook here
    assert api.of("deleteWebhook") and not api.of("setWebhook")


async def test_webhook_mode_takes_telegrams_posts_beside_healthz(tmp_path: Path) -> None:
    async with running(tmp_path, webhook_url="https://bot.example.org", webhook_secret=SECRET) as (
        runner,
        api,
        _clock,
        client,
    ):
        assert api.webhook["url"] == "https://bot.example.org/telegram"
        assert api.webhook_secret == SECRET
        # Without the secret header, or with a wrong one, Telegram's path refuses (403).
        assert (await client.post("/telegram", json=start_update(1, 2001))).status_code == 403
        wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
        refused = await client.post("/telegram", json=start_update(2, 2001), headers=wrong)
        assert refused.status_code == 403
        right = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        bad = await client.post(
            "/telegram", content=b"{not json", headers={**right, "Content-Type": "application/json"}
        )
        assert bad.status_code == 400
        accepted = await client.post("/telegram", json=start_update(3, 1001), headers=right)
        assert accepted.status_code == 200
        processor = runner.application.update_processor
        await until(lambda: getattr(processor, "last_processed_at", None), "update processed")
        assert api.sent(chat_id=1001)
        assert not api.sent(chat_id=2001), "a refused post reached the bot"
        assert (await client.get("/telegram")).status_code == 405

        health = await client.get("/healthz")
        assert health.status_code == 200, health.text
        assert health.json()["mode"] == "webhook"
    assert not api.of("getUpdates"), "webhook mode never polls"
    assert not api.of("deleteWebhook"), "the webhook stays set while the bot is stopped"


async def test_healthz_names_a_stopped_sender_and_an_unreachable_database(
    tmp_path: Path,
) -> None:
    async with running(tmp_path) as (runner, _api, _clock, client):
        services = runner.application.bot_data.services
        assert services is not None
        await services.outbox_sender.stop()
        stopped = await client.get("/healthz")
        assert stopped.status_code == 503
        assert stopped.json()["problems"] == ["outbox: the sender has stopped"]
        assert (await client.head("/healthz")).status_code == 503

        await services.db.close()
        closed = await client.get("/healthz")
        assert closed.status_code == 503
        assert "database: not reachable" in closed.json()["problems"]
        assert closed.json()["database"] == {"reachable": False}


async def test_healthz_names_an_outbox_that_stopped_moving(tmp_path: Path) -> None:
    async with running(tmp_path, sender_loop=False) as (runner, _api, clock, client):
        services = runner.application.bot_data.services
        assert services is not None
        queued = (clock() - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
        await services.db.execute(
            "INSERT INTO broadcasts (id, kind, text, status, created_at)"
            " VALUES (1, 'announcement', 'Aviso', 'sending', ?)",
            (queued,),
        )
        await services.db.executemany(
            "INSERT INTO deliveries (broadcast_id, chat_id, status, updated_at)"
            " VALUES (1, ?, 'pending', ?)",
            [(5000 + i, queued) for i in range(3)],
        )
        stuck = await client.get("/healthz")
        assert stuck.status_code == 503
        report = stuck.json()
        assert report["problems"] == ["outbox: 3 deliveries waiting, none sent for over 15 minutes"]
        assert report["outbox"]["pending"] == 3
        assert report["outbox"]["oldest_pending_seconds"] == 20 * 60

        await services.outbox_sender.drain()  # the sender moves again: healthy
        assert (await client.get("/healthz")).status_code == 200


async def test_healthz_names_a_backup_too_old(tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    async with running(tmp_path, backup_dir=backups) as (runner, _api, clock, client):
        services = runner.application.bot_data.services
        assert services is not None and services.backups is not None
        # The copy made at start (none was there), then no more runs in this test.
        await until(lambda: list(backups.glob("clia-*.db")), "the backup made at start")
        job_queue = runner.application.job_queue
        assert job_queue is not None
        for job in job_queue.get_jobs_by_name("backups"):
            job.schedule_removal()
        fresh = (await client.get("/healthz")).json()
        assert fresh["status"] == "ok"
        assert fresh["backup"] == {
            "enabled": True,
            "newest": backup_name("clia", clock()),
            "age_seconds": 0,
        }
        clock.advance(days=3)
        old = await client.get("/healthz")
        assert old.status_code == 503
        assert old.json()["problems"] == ["backups: the newest is 72 hours old"]


async def test_healthz_while_the_bot_is_not_running() -> None:
    server = WebServer(make_app(lambda: None))
    port = server.start("127.0.0.1", 0)
    try:
        async with httpx.AsyncClient() as client:
            answer = await client.get(f"http://127.0.0.1:{port}/healthz")
    finally:
        await server.stop()
    assert answer.status_code == 503
    assert answer.json()["problems"] == ["the bot is not running (it is starting or stopping)"]


async def test_the_sandbox_serves_healthz_on_its_page_port(tmp_path: Path) -> None:
    async with running_sandbox(tmp_path) as sandbox, httpx.AsyncClient() as client:
        answer = await client.get(f"{sandbox.url}/healthz")
        assert answer.status_code == 200, answer.text
        assert answer.json()["mode"] == "polling"
        assert (await client.get(f"{sandbox.url}/")).status_code == 200  # the page still is


def _run_cli(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    names = ("TELEGRAM_BOT_TOKEN", "DATABASE_PATH", "WEB_PORT", "WEBHOOK_URL", "BACKUP_DIR")
    base = {k: v for k, v in os.environ.items() if k not in names}
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env={**base, "PYTHONPATH": str(ROOT), "TELEGRAM_BOT_TOKEN": TEST_TOKEN, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_run_refuses_a_second_bot_on_the_same_database(tmp_path: Path) -> None:
    database = tmp_path / "clia.db"
    lock = DatabaseLock(database)
    assert lock.acquire()  # a bot runs on this file
    try:
        result = _run_cli(tmp_path, DATABASE_PATH=str(database))
    finally:
        lock.release()
    assert result.returncode == 1
    assert "Another bot is already running" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_says_which_setting_to_change_when_the_port_is_taken(tmp_path: Path) -> None:
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = _run_cli(tmp_path, DATABASE_PATH=str(tmp_path / "clia.db"), WEB_PORT=str(port))
    assert result.returncode == 1
    assert "the port is already in use" in result.stderr and "WEB_PORT" in result.stderr
    assert "Traceback" not in result.stderr


async def test_clia_bot_run_serves_polls_logs_json_and_stops_on_sigterm(tmp_path: Path) -> None:
    """The real command in its own process, against the offline Bot API over HTTP: it polls,
    answers, serves /healthz on WEB_PORT, logs JSON lines, and stops cleanly on SIGTERM."""
    api = LiveFakeBotAPI(FakeClock())
    port = free_port()
    names = {name.upper() for name in Settings.model_fields}
    base = {k: v for k, v in os.environ.items() if k not in names}
    async with over_http(api) as url:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=tmp_path,
            env={
                **base,
                "PYTHONPATH": str(ROOT),
                "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
                "TELEGRAM_API_BASE_URL": url,
                "DATABASE_PATH": str(tmp_path / "clia.db"),
                "WEB_PORT": str(port),
                "LOG_FORMAT": "json",
            },
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            async with httpx.AsyncClient(timeout=5) as client:
                health = None
                for _ in range(500):
                    try:
                        health = await client.get(f"http://127.0.0.1:{port}/healthz")
                        if health.status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    await asyncio.sleep(0.02)
                assert health is not None and health.status_code == 200, health
                assert health.json()["mode"] == "polling"
                api.push_update(start_update(1, 1001))
                await until(lambda: api.sent(chat_id=1001), "the answer to the polled update")
        finally:
            process.send_signal(signal.SIGTERM)
            _out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()
    lines = err.decode().splitlines()
    entries = [json.loads(line) for line in lines]  # every log line is one JSON object
    messages = [e["message"] for e in entries]
    assert any(
        m.startswith("running with long polling; web server on 127.0.0.1:") for m in messages
    )
    assert "stopping" in messages
    assert not [e for e in entries if e["level"] in ("ERROR", "CRITICAL")], entries
    assert TEST_TOKEN.split(":")[1] not in err.decode()
