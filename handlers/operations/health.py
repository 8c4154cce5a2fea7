"""`/healthz`: is the bot working? For uptime monitors, on the bot's one web server.

200 with a JSON report when all is well; 503 with the same report, whose `problems` name
what is wrong: the bot not running, the database unreachable, polling stopped, the outbox
sender stopped or stuck, the newest backup too old. The report holds counts and ages only.
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from http import HTTPStatus
from typing import Any

from bot.backups import STALE_AFTER
from bot.services import Services
from bot.version import version
from bot.web import AnyApplication, BotRequestHandler

DATABASE_TIMEOUT = 5.0  # seconds: a database slower than this to answer is not reachable
STUCK_AFTER = timedelta(minutes=15)  # deliveries waiting this long with none sent: stuck
FIRST_BACKUP_GRACE = timedelta(minutes=10)  # after the first start, the first copy is on its way


def _seconds(delta: timedelta | None) -> int | None:
    return None if delta is None else max(0, int(delta.total_seconds()))


async def health_report(app: AnyApplication | None) -> dict[str, Any]:
    """The report; `status` is "ok" or "failing", `problems` says why."""
    services: Services | None = app.bot_data.services if app is not None else None
    if app is None or services is None or not app.running:
        return {
            "status": "failing",
            "problems": ["the bot is not running (it is starting or stopping)"],
            "version": version(),
        }
    problems: list[str] = []
    now = services.clock()
    report: dict[str, Any] = {"status": "ok", "problems": problems, "version": version()}
    report["mode"] = "webhook" if services.settings.webhook_url else "polling"
    started = services.started_at
    report["uptime_seconds"] = _seconds(now - started if started else None)

    try:
        reachable = await asyncio.wait_for(services.repos.operations.reachable(), DATABASE_TIMEOUT)
    except Exception:
        reachable = False
    report["database"] = {"reachable": reachable}
    if not reachable:
        problems.append("database: not reachable")

    last = getattr(app.update_processor, "last_processed_at", None)
    report["updates"] = {"seconds_since_last": _seconds(now - last if last else None)}
    if report["mode"] == "polling" and (app.updater is None or not app.updater.running):
        problems.append("updates: polling has stopped")

    sender = services.sender
    state = sender.state if sender is not None else "stopped"
    outbox: dict[str, Any] = {"sender": state}
    if reachable:
        backlog = await services.repos.operations.outbox_backlog()
        outbox["pending"] = backlog.pending
        oldest = backlog.oldest
        outbox["oldest_pending_seconds"] = _seconds(now - oldest if oldest else None)
        progress = sender.last_progress if sender is not None else None
        outbox["seconds_since_sent"] = _seconds(now - progress if progress else None)
        waiting_long = backlog.oldest is not None and now - backlog.oldest > STUCK_AFTER
        idle_long = progress is None or now - progress > STUCK_AFTER
        if backlog.pending and waiting_long and idle_long:
            problems.append(
                f"outbox: {backlog.pending} deliveries waiting, none sent for over "
                f"{int(STUCK_AFTER.total_seconds() // 60)} minutes"
            )
    if app.bot_data.run_sender and state == "stopped":
        problems.append("outbox: the sender has stopped")
    report["outbox"] = outbox

    backups = services.backups
    backup: dict[str, Any] = {"enabled": backups is not None}
    if backups is not None:
        newest = await asyncio.to_thread(backups.newest)
        backup["newest"] = newest.path.name if newest else None
        backup["age_seconds"] = _seconds(now - newest.taken_at if newest else None)
        if newest is None:
            if started is None or now - started > FIRST_BACKUP_GRACE:
                problems.append("backups: none in BACKUP_DIR")
        elif now - newest.taken_at > STALE_AFTER:
            hours = int((now - newest.taken_at).total_seconds() // 3600)
            problems.append(f"backups: the newest is {hours} hours old")
    report["backup"] = backup

    if problems:
        report["status"] = "failing"
    return report


class HealthCheck(BotRequestHandler):
    """GET (or HEAD) /healthz."""

    async def get(self) -> None:
        report = await health_report(self.bot_app)
        ok = report["status"] == "ok"
        self.set_status(HTTPStatus.OK if ok else HTTPStatus.SERVICE_UNAVAILABLE)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(report))

    async def head(self) -> None:
        report = await health_report(self.bot_app)
        ok = report["status"] == "ok"
        self.set_status(HTTPStatus.OK if ok else HTTPStatus.SERVICE_UNAVAILABLE)
        self.finish()
