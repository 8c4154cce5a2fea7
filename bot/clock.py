"""The current time, replaceable in tests so that time-dependent behaviour can be driven."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, in UTC (times are stored in UTC and shown in local time)."""
    return datetime.now(UTC)
