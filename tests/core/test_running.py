"""`clia-bot run` (bot/runner.py) against a Telegram having a bad minute: the start-up serves
at once while the menus and the webhook are set in the background, polling waits out an
outage without losing an update, and only a refused token or a second instance stop it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from bot.retries import CONFIGURATION, PATIENT_CAP
from bot.runner import serve
from tests.harness import TEST_TOKEN, FakeClock, Harness
from tests.sandbox_driver import free_port


class ManualTime:
    """Waits that pass only when the test moves the fake clock (`advance`)."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.requested: list[float] = []
        self._waiting: list[tuple[float, asyncio.Future[None]]] = []

    async def sleep(self, seconds: float) -> None:
        self.requested.append(seconds)
        wake = self.clock().timestamp() + seconds
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((wake, future))
        await future

    async def advance(self, seconds: float) -> None:
        """Move the clock from one wake-up to the next, letting each sleeper run on."""
        target = self.clock().timestamp() + seconds
        while True:
            due = [wake for wake, _ in self._waiting if wake <= target]
            now = min(due) if due else target
            self.clock.advance(seconds=now - self.clock().timestamp())
            woken = [(w, f) for w, f in self._waiting if w <= now]
            for wake, future in woken:
                self._waiting.remove((wake, future))
                future.set_result(None)
            # What woke up calls the fake and, when it fails again, sleeps again: wait for
            # that (a sleeper that succeeded does not come back: then 0.3 s is enough).
            expected = len(self._waiting) + len(woken)
            for _ in range(30):
                await asyncio.sleep(0.01)
                if len(self._waiting) >= expected:
                    break
            if not due:
                return


async def until(condition: Callable[[], bool], seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the bot did not get there in time")


def _answered(harness: Harness, chat_id: int, text: str) -> bool:
    return any(text in c.text for c in harness.api.sent(chat_id))


async def test_start_up_serves_at_once_while_menus_and_webhook_fail_for_a_minute(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    harness = Harness(tmp_path)
    time = ManualTime(harness.clock)
    started = harness.clock()
    harness.api.outage(set(CONFIGURATION), until=started + timedelta(minutes=1))
    stop = asyncio.Event()
    running = asyncio.create_task(serve(harness.build(time.sleep), stop))
    try:
        ana = harness.person()
        harness.api.push_update({"update_id": 1, **ana.text_update("/help")})
        await until(lambda: _answered(harness, ana.id, "Lo que puedo hacer por ti"))
        assert harness.clock() == started  # served before a single second passed
        assert harness.api.commands == {}  # the menus are still being tried
        assert [c.ok for c in harness.api.of("deleteWebhook")] == [False]

        await time.advance(120)  # a try comes at most PATIENT_CAP (+20 %) after the minute
        assert harness.api.menu("all_private_chats", language="en")["help"]
        assert harness.api.menu("chat", 900)["pending"]  # the admin's own menu too
        assert harness.api.of("deleteWebhook")[-1].ok
        tries = len(harness.api.of("deleteWebhook"))
        assert 3 <= tries <= 10  # tried again and again during the minute, not in a loop
        assert not running.done()
    finally:
        stop.set()
        status = await asyncio.wait_for(running, 10)
        harness.close()
    assert status == 0
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert (
        "Bot API setMyCommands: 502 Bad Gateway; the bot goes on and keeps trying it in "
        "the background"
    ) in lines
    assert "Bot API setMyCommands: done in the background" in lines
    assert not [r for r in caplog.records if r.exc_info]


async def test_webhook_mode_serves_while_the_webhook_cannot_be_registered(tmp_path: Path) -> None:
    port = free_port()
    harness = Harness(
        tmp_path, webhook_url="https://bot.example.mx", webhook_secret="s3cret-for-tests", port=port
    )
    time = ManualTime(harness.clock)
    harness.api.outage({"setWebhook"}, until=harness.clock() + timedelta(minutes=1))
    stop = asyncio.Event()
    running = asyncio.create_task(serve(harness.build(time.sleep), stop))
    try:
        await until(lambda: bool(harness.api.of("setWebhook")))
        ana = harness.person()
        update = {"update_id": 1, **ana.text_update("/help")}
        headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-for-tests"}
        async with httpx.AsyncClient() as client:
            answer = await client.post(
                f"http://127.0.0.1:{port}/telegram", json=update, headers=headers
            )
        assert answer.status_code == 200
        await until(lambda: _answered(harness, ana.id, "Lo que puedo hacer por ti"))
        assert not harness.api.of("setWebhook")[-1].ok  # still not registered

        await time.advance(120)
        registered = harness.api.of("setWebhook")[-1]
        assert registered.ok and registered.params["url"] == "https://bot.example.mx/telegram"
    finally:
        stop.set()
        status = await asyncio.wait_for(running, 10)
        harness.close()
    assert status == 0


async def test_polling_waits_out_an_outage_and_loses_no_update(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    harness = Harness(tmp_path)
    time = ManualTime(harness.clock)
    stop = asyncio.Event()
    running = asyncio.create_task(serve(harness.build(time.sleep), stop))
    try:
        await until(lambda: bool(harness.api.of("getUpdates")))
        down = harness.clock()
        harness.api.outage({"getUpdates"}, until=down + timedelta(minutes=5))
        await until(lambda: harness.api.injected["502"] > 0)
        ana, ben = harness.person(), harness.person(user_id=1002, first_name="Ben")
        harness.api.push_update({"update_id": 41, **ana.text_update("/help")})
        harness.api.push_update({"update_id": 42, **ben.text_update("/privacy")})

        await time.advance(4 * 60)
        failed = [c for c in harness.api.of("getUpdates") if not c.ok]
        assert 8 <= len(failed) <= 20  # waits that grow, not a busy loop
        assert max(time.requested) <= PATIENT_CAP * 1.2
        assert not harness.api.sent(ana.id)  # nothing could be fetched yet

        await time.advance(90)  # Telegram is back
        await until(lambda: bool(harness.api.sent(ana.id)) and bool(harness.api.sent(ben.id)))
        assert _answered(harness, ana.id, "Lo que puedo hacer por ti")
        assert len(harness.api.sent(ana.id)) == 1 and len(harness.api.sent(ben.id)) == 1
        await until(lambda: harness.api.confirmed_offset == 43)  # both confirmed, none again
    finally:
        stop.set()
        status = await asyncio.wait_for(running, 10)
        harness.close()
    assert status == 0
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    waiting = "Bot API getUpdates: 502 Bad Gateway; trying again in"
    assert any(w.startswith(waiting) for w in warnings)
    assert "Bot API getUpdates: Telegram answers again" in warnings
    assert not [r for r in caplog.records if r.exc_info]


async def test_a_refused_token_stops_with_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    harness = Harness(tmp_path)
    harness.api.fail("getMe", status=401, description="Unauthorized")
    status = await asyncio.wait_for(serve(harness.build(), asyncio.Event()), 10)
    harness.close()
    assert status == 1
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in loud] == [
        "Telegram refused the token (401 Unauthorized): check TELEGRAM_BOT_TOKEN. The bot stops."
    ]
    assert not loud[0].exc_info
    assert TEST_TOKEN.split(":")[1] not in caplog.text


async def test_a_stop_while_waiting_for_telegram_at_start_up_ends_cleanly(
    tmp_path: Path,
) -> None:
    harness = Harness(tmp_path)
    time = ManualTime(harness.clock)
    harness.api.outage({"getMe"}, until=harness.clock() + timedelta(hours=1))
    stop = asyncio.Event()
    running = asyncio.create_task(serve(harness.build(time.sleep), stop))
    await until(lambda: bool(harness.api.of("getMe")))
    await time.advance(120)
    assert len(harness.api.of("getMe")) >= 5 and not running.done()  # still waiting
    stop.set()  # SIGTERM from the process manager
    assert await asyncio.wait_for(running, 10) == 0
    harness.close()


async def test_a_second_instance_polling_stops_this_one_with_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    harness = Harness(tmp_path)
    harness.api.fail(
        "getUpdates",
        status=409,
        description="Conflict: terminated by other getUpdates request; make sure that only one "
        "bot instance is running",
    )
    status = await asyncio.wait_for(serve(harness.build(), asyncio.Event()), 10)
    harness.close()
    assert status == 1
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in loud] == [
        "Another instance of this bot is polling with the same token (409 Conflict): stop the "
        "other one first. The bot stops."
    ]
