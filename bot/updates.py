"""Concurrent update processing that keeps each person's updates in order.

python-telegram-bot either processes one update at a time (a slow reply to one
member delays everyone) or all concurrently (a member's quick double tap can
race inside a conversation). This processor runs different people's updates
concurrently while each person's updates run one after another, in arrival
order, and a person waiting for their own previous update does not hold one
of the shared slots.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.clock import Clock, system_clock


def ordering_key(update: object) -> int | None:
    """Updates with the same key are processed in order: the person, else the chat."""
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
    return None


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across people, sequential per person.

    The base class's semaphore only bounds how many updates may be in hand at
    once (`max_pending`); `max_active` bounds how many run, and a slot is taken
    only after the person's previous update finished.
    """

    __slots__ = ("_active", "_locks", "clock", "last_processed_at", "max_waiting", "throttled")

    def __init__(
        self,
        max_active: int = 256,
        max_pending: int = 4096,
        max_waiting: int = 8,
        clock: Clock = system_clock,
    ) -> None:
        super().__init__(max_pending)
        # When an update last finished (handled or failed): /healthz shows how long ago.
        self.clock = clock
        self.last_processed_at: datetime | None = None
        self._active = asyncio.Semaphore(max_active)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}
        # Flood control: a person with this many updates already waiting is flooding;
        # their further updates are marked here and dropped by a guard handler.
        self.max_waiting = max_waiting
        self.throttled: set[int] = set()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await self._process_in_order(update, coroutine)
        finally:
            self.last_processed_at = self.clock()

    async def _process_in_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = ordering_key(update)
        if key is None:
            async with self._active:
                await coroutine
            return
        lock, waiting = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, waiting + 1)
        if waiting >= self.max_waiting and isinstance(update, Update):
            self.throttled.add(update.update_id)
        try:
            async with lock, self._active:
                await coroutine
        finally:
            if isinstance(update, Update):
                self.throttled.discard(update.update_id)
            lock, waiting = self._locks[key]
            if waiting <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, waiting - 1)

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""
