"""A fresh process for the start-up and memory benchmarks: `python -m bench.child MODE DB`.

MODE is `bot` (the real bot on DB) or `bare` (python-telegram-bot alone). The
process starts the Application, prints `READY` as soon as it could poll, then
(unless `--ready-only`) does the work the memory benchmark measures — a
broadcast to every member, or the same number of plain sends — and prints its
peak RSS in KiB.
"""

from __future__ import annotations

import asyncio
import resource
import sys
from pathlib import Path


async def _bot(database: Path, work: bool) -> None:
    from bench.common import InstantBotAPI, bench_settings, start_bot, stop_bot

    api = InstantBotAPI()
    app = await start_bot(bench_settings(database), api)
    print("READY", flush=True)
    app.bot_data.services.outbox_sender.interval = 0.0  # type: ignore[union-attr]  # unpaced
    try:
        if work:
            from bench.workloads import broadcast_to_everyone

            await broadcast_to_everyone(app)
    finally:
        await stop_bot(app)
    print(f"SENT {api.sent()}", flush=True)


async def _bare(database: Path, work: bool) -> None:
    import sqlite3

    from bench.instant import (  # PTB alone, not the bot
        ANNOUNCEMENT,
        InstantBotAPI,
        start_bare,
        stop_bare,
    )

    api = InstantBotAPI()
    app = await start_bare(api)
    print("READY", flush=True)
    try:
        with sqlite3.connect(database) as conn:
            chats = [r[0] for r in conn.execute("SELECT chat_id FROM members ORDER BY id")]
        for chat_id in chats if work else []:
            await app.bot.send_message(chat_id, ANNOUNCEMENT, parse_mode="HTML")
    finally:
        await stop_bare(app)
    print(f"SENT {api.sent()}", flush=True)


def main() -> None:
    mode, database, work = sys.argv[1], Path(sys.argv[2]), "--ready-only" not in sys.argv
    asyncio.run(_bot(database, work) if mode == "bot" else _bare(database, work))
    print(f"PEAK_RSS_KIB {peak_rss_kib()}", flush=True)


def peak_rss_kib() -> int:
    """This process's peak resident set, from /proc (VmHWM starts afresh at exec; getrusage's
    ru_maxrss would also count the parent's memory at the fork that started us)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


if __name__ == "__main__":
    main()
