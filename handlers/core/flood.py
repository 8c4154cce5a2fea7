"""Flood control: one person sending dozens of updates at once is throttled with one notice.

The update processor marks an update as throttled when that person already has
many updates waiting (see `bot.updates.PerUserUpdateProcessor`). This guard runs
first, drops marked updates before any database work, and tells the person once
per burst; everyone else is served as usual.
"""

from __future__ import annotations

import time
from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler

from bot.context import Ctx
from bot.updates import PerUserUpdateProcessor

NOTICE_EVERY = 30.0  # seconds between two notices to the same person


class FloodGuard(BaseHandler[Update, Ctx, None]):
    """Matches exactly the updates the processor marked as a flood."""

    def __init__(self) -> None:
        super().__init__(self._drop)
        self._noticed: dict[int, float] = {}

    def check_update(self, update: object) -> bool:
        if not isinstance(update, Update):
            return False
        processor = self._processor
        return processor is not None and update.update_id in processor.throttled

    _processor: PerUserUpdateProcessor | None = None

    def attach(self, application: Any) -> FloodGuard:
        processor = application.update_processor
        self._processor = processor if isinstance(processor, PerUserUpdateProcessor) else None
        return self

    async def _drop(self, update: Update, context: Ctx) -> None:
        """Tell the person to slow down (once per burst) and drop the update."""
        user, chat = update.effective_user, update.effective_chat
        if user is not None and chat is not None and chat.type == "private":
            now = time.monotonic()
            if now - self._noticed.get(user.id, -NOTICE_EVERY) >= NOTICE_EVERY:
                self._noticed[user.id] = now
                i18n = context.services.i18n
                t = i18n.get(i18n.resolve(None, user.language_code))
                await context.bot.send_message(
                    chat.id,
                    t("🐢 You are sending messages very fast. Please wait a moment, then go on."),
                )
        raise ApplicationHandlerStop
