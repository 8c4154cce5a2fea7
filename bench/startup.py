"""Benchmarks 4 and 5: start-up time and peak memory, each in fresh processes.

Start-up is the wall time from launching the process to `READY` (the
Application initialised and started, able to poll), with the scaled database
(10,000 members); memory is the peak RSS after a broadcast to all members of a
cluster of 100,000. Both against a bare python-telegram-bot Application in the
same run; start-up the median of a few runs.
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import dataset
from bench.common import Row, at_most

RUNS = 3
BROADCAST_MEMBERS = 100_000


def _launch(mode: str, database: Path, *flags: str) -> tuple[float, dict[str, str]]:
    """Seconds until READY, and the KEY value lines the child printed."""
    started = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603 - our own module, our own arguments
        [sys.executable, "-m", "bench.child", mode, str(database), *flags],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    ready = 0.0
    values: dict[str, str] = {}
    for line in child.stdout:
        key, _, value = line.strip().partition(" ")
        if key == "READY" and not ready:
            ready = time.perf_counter() - started
        values[key] = value
    if child.wait() != 0 or not ready:
        raise RuntimeError(f"bench.child {mode} failed")
    return ready, values


def startup(database: Path) -> Row:
    bot = statistics.median(_launch("bot", database, "--ready-only")[0] for _ in range(RUNS))
    bare = statistics.median(_launch("bare", database, "--ready-only")[0] for _ in range(RUNS))
    row = at_most("start-up: seconds to ready (bot vs bare PTB)", bot, bare, "s", 2.0)
    row.note = "fresh process each; includes Python start and imports; 10k-member database"
    return row


def memory(database: Path) -> Row:
    _, bot = _launch("bot", database)
    _, bare = _launch("bare", database)
    if bot["SENT"] != bare["SENT"]:
        raise RuntimeError(f"the bot sent {bot['SENT']} messages, the baseline {bare['SENT']}")
    row = at_most(
        "memory: peak RSS after a broadcast to all (bot vs bare PTB)",
        int(bot["PEAK_RSS_KIB"]) / 1024,
        int(bare["PEAK_RSS_KIB"]) / 1024,
        "MiB",
        1.5,
    )
    row.note = f"{bot['SENT']} messages sent by each; 100k members, 100 events, 100k answers"
    return row


def _bytecode() -> None:
    """Compile the project's modules first, as a deployment would have them: where
    PYTHONDONTWRITEBYTECODE is set (as on the development machine), every fresh process would
    otherwise compile the bot from source, while PTB's own modules come compiled by pip."""
    root = Path(__file__).resolve().parent.parent
    for package in ("bot", "handlers", "storage", "bench"):
        compileall.compile_dir(root / package, quiet=1)


def run() -> list[Row]:
    _bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "cluster.db"
        dataset.build(database)
        rows = [startup(database)]
        database.unlink()
        large = Path(tmp) / "large.db"
        dataset.build(large, members=BROADCAST_MEMBERS, respondents=dataset.MEMBERS)
        return [*rows, memory(large)]


if __name__ == "__main__":
    for result in run():
        print(result)
