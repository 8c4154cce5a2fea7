"""Work the bot does in the memory benchmark, through its own code paths."""

from __future__ import annotations

import asyncio

from bench.instant import ANNOUNCEMENT
from bot.application import App, services_of
from storage.audience import Audience


async def queue_announcement(app: App) -> int:
    """An announcement to every member, queued in the outbox as /broadcast does."""
    services = services_of(app)
    broadcast_id = await services.repos.outbox.enqueue(
        kind="announcement",
        text=ANNOUNCEMENT,
        now=services.clock(),
        audience=Audience(kind="everyone"),
    )
    assert broadcast_id is not None
    return broadcast_id


async def broadcast_to_everyone(app: App) -> None:
    """Queue an announcement to every member and wait until the running sender drained it."""
    services = services_of(app)
    broadcast_id = await queue_announcement(app)
    services.outbox_sender.wake()
    while await services.repos.outbox.pending_count(broadcast_id):  # noqa: ASYNC110 - polls rows
        await asyncio.sleep(0.05)
