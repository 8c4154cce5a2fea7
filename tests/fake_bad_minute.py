"""The offline Bot API's bad minutes: a seeded share of failing calls, outages until a time,
and getUpdates for the real polling loop (mixed into tests/fake_bot_api.FakeBotAPI)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.fake_bot_api import Call

FAILURE_KINDS = ("502", "timeout", "connection")


class BadMinute:
    """Which calls fail, and how; the fake's `do_request` acts on `_injected`."""

    calls: list[Call]

    def __init__(self, clock: Any) -> None:
        self.clock = clock
        self._share = 0.0
        self._seed = 0
        self._kinds: tuple[str, ...] = FAILURE_KINDS
        self._attempts: Counter[tuple[str, int | None]] = Counter()
        self.outages: list[tuple[frozenset[str] | None, datetime, str]] = []
        self.updates: list[dict[str, Any]] = []  # waiting for getUpdates
        self.confirmed_offset = 0  # the offset of the last getUpdates: updates below it are gone
        self._new_update = asyncio.Event()

    def unreliable(
        self, share: float, *, seed: int = 1, kinds: tuple[str, ...] = FAILURE_KINDS
    ) -> None:
        """Fail about `share` of all calls with one of `kinds`: "502" (not carried out),
        "connection" (refused, not carried out), "timeout" (carried out, answer lost).

        Whether a call fails depends only on the seed, the method, the chat and how many
        such calls came before, so a run is the same however people's updates interleave.
        """
        self._share, self._seed, self._kinds = share, seed, kinds

    def outage(self, methods: set[str] | None, until: datetime, kind: str = "502") -> None:
        """Fail these methods (None: all) with `kind` while the clock is before `until`."""
        self.outages.append((frozenset(methods) if methods else None, until, kind))

    def _injected(self, call: Call) -> str | None:
        for methods, until, kind in self.outages:
            if (methods is None or call.method in methods) and self.clock() < until:
                return kind
        if not self._share:
            return None
        key = (call.method, call.chat_id)
        self._attempts[key] += 1
        dice = random.Random(f"{self._seed}|{call.method}|{call.chat_id}|{self._attempts[key]}")
        if dice.random() >= self._share:
            return None
        return dice.choice(self._kinds)

    @property
    def injected(self) -> Counter[str]:
        """How many calls failed, by kind."""
        return Counter(c.failure for c in self.calls if c.failure)

    # --- updates for the polling loop ----------------------------------------------

    def push_update(self, update: dict[str, Any]) -> None:
        """An update Telegram holds until the bot fetches it (`update_id` included)."""
        self.updates.append(update)
        self._new_update.set()

    async def _get_updates(self, call: Call) -> tuple[int, bytes]:
        """Long polling: updates from `offset` on; those below it are confirmed and dropped."""
        offset = int(call.params.get("offset") or 0)
        self.confirmed_offset = max(self.confirmed_offset, offset)
        self.updates = [u for u in self.updates if u["update_id"] >= self.confirmed_offset]
        if not self.updates and float(call.params.get("timeout") or 0) > 0:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout=0.2)
        result = list(self.updates)
        return 200, json.dumps({"ok": True, "result": result}).encode()
