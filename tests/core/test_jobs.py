"""Scheduled jobs: every feature's recurring job runs its first pass when the bot starts (not
a minute later), and APScheduler's warnings reach the log while its routine lines do not."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest

from bot.cli import configure_logging
from tests.harness import Harness


async def test_a_survey_whose_closing_time_passed_while_stopped_closes_at_start_up(
    harness: Harness,
) -> None:
    await harness.db.execute(
        "INSERT INTO surveys (id, title, status, opened_at, closes_at)"
        " VALUES (1, 'Pulso', 'open', '2026-11-20T10:00:00Z', '2026-11-24T17:00:00Z')"
    )
    await harness.stop()
    harness.clock.advance(hours=2)  # an hour past its closing time
    await harness.start()
    # The clock does not move: the job's first pass comes with the start, not a minute later.
    for _ in range(150):
        if await harness.db.fetchval("SELECT status FROM surveys") == "closed":
            break
        await asyncio.sleep(0.02)
    assert await harness.db.fetchval("SELECT status FROM surveys") == "closed"


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    quiet = {n: logging.getLogger(n).level for n in ("httpx", "httpcore", "apscheduler")}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in quiet.items():
        logging.getLogger(name).setLevel(old)


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.usefixtures("restored_logging")
def test_apscheduler_warnings_reach_the_log_but_not_its_routine_lines() -> None:
    configure_logging("INFO")
    kept = _Keep()
    logging.getLogger().addHandler(kept)
    executor = logging.getLogger("apscheduler.executors.default")
    executor.info('Running job "event-reminders"')  # once a minute: noise
    executor.warning('Run time of job "event-reminders" was missed by 0:00:05')
    logging.getLogger("apscheduler.scheduler").warning(
        'Execution of job "event-reminders" skipped: maximum number of running instances'
    )
    assert [r.levelname for r in kept.records] == ["WARNING", "WARNING"]
