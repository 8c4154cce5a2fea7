"""Scheduled work. JobQueue jobs live in memory only: the database is the truth,
so every job is (re)built from it at start-up by `schedule_all`."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import time
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
    at_start: bool = False  # also run once as soon as the bot has started


_repeating: dict[str, Repeating] = {}


def register_repeating(
    name: str, callback: JobCallback, interval: float, *, at_start: bool = False
) -> None:
    """Called from handlers/__init__.py: features own their jobs, bot/ only schedules them
    (bot/ never imports a feature). Runs every `interval`; with `at_start`, also once as
    soon as the scheduler starts (work missed while the bot was down, such as a backup)."""
    _repeating[name] = Repeating(name, callback, interval, at_start)


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
    # time (and right at start-up), so a restart loses none.
    for spec in _repeating.values():
        for job in job_queue.get_jobs_by_name(spec.name):
            job.schedule_removal()
        job_queue.run_repeating(spec.callback, interval=spec.interval, first=0, name=spec.name)
        if spec.at_start:
            # Jobs are added before the scheduler starts; a repeating job's first run at 0
            # is then already past and skipped to the next interval. A one-off run with no
            # misfire limit runs as soon as the scheduler is up.
            job_queue.run_once(
                spec.callback,
                when=0,
                name=spec.name,
                job_kwargs={"misfire_grace_time": None},
            )
    for job in job_queue.get_jobs_by_name("wal-scrub"):
        job.schedule_removal()
    job_queue.run_repeating(scrub_wal, interval=WAL_SCRUB_SECONDS, name="wal-scrub")


async def scrub_wal(context: Ctx) -> None:
    """Anonymous answers just moved out of a draft: empty the write-ahead log, so no old copy
    of the draft (member and answers together) stays on disk. One checkpoint for a whole
    burst of completions, within seconds; nothing at all when no anonymous survey was done."""
    db = context.services.db
    if db.wal_needs_scrub and not await db.scrub_wal():
        log.info("WAL scrub postponed: readers were busy")
