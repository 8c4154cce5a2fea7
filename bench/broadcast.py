"""Benchmark 6: the outbox sender.

- Rate: against a fake Bot API that answers 429 whenever more than the configured
  rate is sent within any second, 2,000 recipients at a scaled-up rate: achieved
  rate ÷ configured rate (target ≥ 0.95) and the 429s received (target 0).
- Throughput: against a fake with no limit, deliveries per second of the sender
  (render, send, record each outcome in SQLite) vs a bare python-telegram-bot loop
  sending the same messages in the same run, in each of five interleaved runs (target ≥ 0.9).
"""

from __future__ import annotations

import asyncio
import collections
import json
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from telegram import Bot
from telegram.request import RequestData

from bench.common import TOKEN, InstantBotAPI, Row, at_least, bench_settings, start_bot, stop_bot
from bench.dataset import build_async
from bench.instant import ANNOUNCEMENT
from bench.workloads import queue_announcement
from bot.application import services_of

RECIPIENTS = 2_000
SCALED_RATE = 400.0
ROUNDS = 5  # throughput: the best of five interleaved runs of each, past busy moments


class RateLimitedAPI(InstantBotAPI):
    """Like Telegram, only stricter: more than `rate` sends in any second get a 429."""

    def __init__(self, rate: float) -> None:
        super().__init__()
        self.rate = rate
        self.window: collections.deque[float] = collections.deque()
        self.refused = 0

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kw: Any
    ) -> tuple[int, bytes]:
        if url.rsplit("/", 1)[-1].startswith("send"):
            now = time.monotonic()
            while self.window and self.window[0] <= now - 1.0:
                self.window.popleft()
            if len(self.window) >= self.rate:
                self.refused += 1
                body = {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 1",
                    "parameters": {"retry_after": 1},
                }
                return 429, json.dumps(body).encode()
            self.window.append(now)
        return await super().do_request(url, method, request_data, *args, **kw)


async def _paced_run(database: Path, api: InstantBotAPI, rate: float) -> float:
    """Seconds the sender took to deliver an announcement to everyone, at `rate`."""
    app = await start_bot(bench_settings(database, broadcast_rate=rate), api, sender_loop=False)
    try:
        await queue_announcement(app)
        started = time.perf_counter()
        delivered = await services_of(app).outbox_sender.drain()
        seconds = time.perf_counter() - started
    finally:
        await stop_bot(app)
    if delivered < RECIPIENTS:
        raise RuntimeError(f"the sender delivered {delivered} of {RECIPIENTS}")
    return seconds


async def _throughput(database: Path, rounds: int) -> tuple[list[float], list[float]]:
    """Seconds of the unpaced sender and of a bare PTB send loop per round, interleaved."""
    with sqlite3.connect(database) as conn:
        chats = [r[0] for r in conn.execute("SELECT chat_id FROM members ORDER BY id")]
    api = InstantBotAPI()
    app = await start_bot(bench_settings(database), api, sender_loop=False)
    bare_api = InstantBotAPI()
    bare = Bot(TOKEN, request=bare_api)
    await bare.initialize()
    sender_seconds: list[float] = []
    bare_seconds: list[float] = []
    try:
        sender = services_of(app).outbox_sender
        sender.interval = 0.0  # no pacing: the cost of everything but the wait
        for _ in range(rounds):
            broadcast_id = await queue_announcement(app)
            sent = api.sent()
            started = time.perf_counter()
            await sender.drain()
            sender_seconds.append(time.perf_counter() - started)
            figures = await services_of(app).repos.outbox.figures(broadcast_id)
            if api.sent() - sent != len(chats) or figures is None or figures.sent != len(chats):
                raise RuntimeError(f"the sender did not send and record all {len(chats)}")
            started = time.perf_counter()
            for chat_id in chats:
                await bare.send_message(chat_id, ANNOUNCEMENT, parse_mode="HTML")  # the same
            bare_seconds.append(time.perf_counter() - started)
        if bare_api.sent() != rounds * len(chats):
            raise RuntimeError("the bare loop did not send every message")
    finally:
        await bare.shutdown()
        await stop_bot(app)
    return sender_seconds, bare_seconds


async def run(recipients: int = RECIPIENTS) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "broadcast.db"
        await build_async(database, members=recipients)
        limited = RateLimitedAPI(SCALED_RATE)
        paced = await _paced_run(database, limited, SCALED_RATE)
        unlimited, bare = await _throughput(database, ROUNDS)
    ratios = [b / u for u, b in zip(unlimited, bare, strict=True)]
    rate_row = at_least(
        "broadcast: achieved ÷ configured rate (429 above it)",
        recipients / paced,
        SCALED_RATE,
        "msgs/s",
        0.95,
    )
    rate_row.note = (
        f"{recipients} recipients at {SCALED_RATE:.0f}/s; 429s received: {limited.refused}"
    )
    rate_row.met = rate_row.met and limited.refused == 0
    worst = min(range(len(ratios)), key=ratios.__getitem__)
    speed_row = at_least(
        "broadcast: sender ÷ bare PTB send loop, worst of 5 runs",
        recipients / unlimited[worst],
        recipients / bare[worst],
        "msgs/s",
        0.9,
    )
    speed_row.note = (
        f"{ROUNDS} runs interleaved, each {min(ratios):.2f}–{max(ratios):.2f}; every delivery"
        " rendered, sent, its outcome committed"
    )
    return [rate_row, speed_row]


if __name__ == "__main__":
    for result in asyncio.run(run()):
        print(result)
