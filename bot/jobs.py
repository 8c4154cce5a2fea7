"""Scheduled work. JobQueue jobs live in memory only: the database is the truth,
so every job is (re)built from it at start-up by `schedule_all`."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from telegram.ext import Application

from bot.context import Ctx

log = logging.getLogger(__name__)

MAINTENANCE_TIME = time(3, 30)  # local time, when the cluster sleeps
WAL_SCRUB_SECONDS = 10  # at most this long an anonymous draft's old pages stay in the log

JobCallback = Callable[[Ctx], Coroutine[Any, Any, object]]


@dataclass(frozen=True)
class Repeating:
    """A feature's recurring job: derived from the database each time it runs."""

    name: str
    callback: JobCallback
    interval: float  # seconds


_repeating: dict[str, Repeating] = {}


def register_repeating(name: str, callback: JobCallback, interval: float) -> None:
    """Called from handlers/__init__.py: features own their jobs, bot/ only schedules them
    (bot/ never imports a feature). Runs as soon as the scheduler starts (work missed while
    the bot was down: reminders, closings, a backup), then every `interval`."""
    _repeating[name] = Repeating(name, callback, interval)


async def optimize_database(context: Ctx) -> None:
    """SQLite's advice for long-lived connections: refresh the planner statistics."""
    await context.services.db.optimize()


def schedule_all(application: Application[Any, Ctx, Any, Any, Any, Any]) -> None:
    """Schedule every recurring job; safe to call again (jobs are replaced by name)."""
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
    services = application.bot_data.services
    assert services is not None
    for job in job_queue.get_jobs_by_name("db-optimize"):
        job.schedule_removal()
    job_queue.run_daily(
        optimize_database,
        time=MAINTENANCE_TIME.replace(tzinfo=services.settings.tz),
        name="db-optimize",
    )
    # Features' jobs (event reminders, survey closing…) are derived from the database each
    # time, and the first time right at start-up, so a restart loses none.
    for spec in _repeating.values():
        for job in job_queue.get_jobs_by_name(spec.name):
            job.schedule_removal()
        job_queue.run_repeating(
            spec.callback,
            interval=spec.interval,
            name=spec.name,
            job_kwargs=_first_run_at_start_up(),
        )
    for job in job_queue.get_jobs_by_name("wal-scrub"):
        job.schedule_removal()
    job_queue.run_repeating(scrub_wal, interval=WAL_SCRUB_SECONDS, name="wal-scrub")


def _first_run_at_start_up() -> dict[str, Any]:
    """APScheduler arguments for a first run as soon as the scheduler runs, however late.

    `first=0` does not do it: PTB turns it into a start date of "now" when the job is
    added, and APScheduler computes the first run only when the scheduler starts (after
    post_init), rounding a start date that has passed up to start + interval: a whole
    interval late. An explicit `next_run_time` is taken as it is. No misfire grace (None):
    a job that derives its work from the database is better run late than skipped
    (APScheduler's default skips a run more than a second late, with a warning), and
    coalescing (its default) runs a late job once, not once per missed interval.
    """
    return {"next_run_time": datetime.now(UTC), "misfire_grace_time": None}


async def scrub_wal(context: Ctx) -> None:
    """Anonymous answers just moved out of a draft: empty the write-ahead log, so no old copy
    of the draft (member and answers together) stays on disk. One checkpoint for a whole
    burst of completions, within seconds; nothing at all when no anonymous survey was done."""
    db = context.services.db
    if db.wal_needs_scrub and not await db.scrub_wal():
        log.info("WAL scrub postponed: readers were busy")
