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


async def remind_events(context: Ctx) -> None:
    from handlers.events import remind_due

    await remind_due(context)


async def close_surveys(context: Ctx) -> None:
    """Surveys close by themselves at their closing time (checked each minute)."""
    from handlers.survey_admin import close_due

    await close_due(context)
