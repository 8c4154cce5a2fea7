"""Scheduled work. JobQueue jobs live in memory only: the database is the truth,
so every job is (re)built from it at start-up by `schedule_all`."""

from __future__ import annotations

import logging
from datetime import time
from typing import Any

from telegram.ext import Application

from bot.context import Ctx

log = logging.getLogger(__name__)

MAINTENANCE_TIME = time(3, 30)  # local time, when the cluster sleeps
WAL_SCRUB_SECONDS = 10  # at most this long an anonymous draft's old pages stay in the log


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
    for job in job_queue.get_jobs_by_name("event-reminders"):
        job.schedule_removal()
    # Reminders are derived from the database each minute (and right at start-up), so a
    # restart loses none; each one is queued once, under a key of event, start and lead.
    job_queue.run_repeating(remind_events, interval=60, first=0, name="event-reminders")
    for job in job_queue.get_jobs_by_name("survey-closing"):
        job.schedule_removal()
    job_queue.run_repeating(close_surveys, interval=60, first=0, name="survey-closing")
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


async def remind_events(context: Ctx) -> None:
    from handlers.events import remind_due

    await remind_due(context)


async def close_surveys(context: Ctx) -> None:
    """Surveys close by themselves at their closing time (checked each minute)."""
    from handlers.survey_admin import close_due

    await close_due(context)
