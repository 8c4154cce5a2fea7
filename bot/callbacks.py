"""Inline-button data: short, structured (`ev:42:go`), validated before use.

Telegram allows 64 bytes. Anything a handler's pattern does not match ends in
the catch-all that answers "this button has expired" and changes nothing.
"""

from __future__ import annotations

import re

MAX_BYTES = 64
_PART = re.compile(r"[A-Za-z0-9_-]{1,24}")


def pack(*parts: str | int) -> str:
    """Join parts with ':'; refuses anything that could not be parsed back or is too long."""
    text_parts = [str(p) for p in parts]
    for part in text_parts:
        if not _PART.fullmatch(part):
            raise ValueError(f"invalid callback part {part!r}")
    data = ":".join(text_parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError("callback data longer than 64 bytes")
    return data


_WELL_FORMED = re.compile(r"[A-Za-z0-9_-]{1,24}(:[A-Za-z0-9_-]{1,24}){0,5}")


_LONG_NUMBER = re.compile(r"[0-9]{10}")  # our ids have at most nine digits


def well_formed(data: object) -> bool:
    """Could `pack` have made this? Anything else is forged or from another bot version
    (a number longer than any of ours would overflow SQLite before it could be refused)."""
    return (
        isinstance(data, str)
        and len(data.encode()) <= MAX_BYTES
        and _WELL_FORMED.fullmatch(data) is not None
        and _LONG_NUMBER.search(data) is None
    )


class ButtonPattern:
    """A handler's pattern (see `pattern`): python-telegram-bot calls it with a tap's data.

    The prefix is compared first, so that the handlers of other buttons (a conversation's
    steps, bot/buttons.py's buckets) turn a tap away with one string comparison."""

    __slots__ = ("_start", "prefix", "regex")

    def __init__(self, prefix: str, regex: re.Pattern[str]) -> None:
        self.prefix = prefix
        self.regex = regex
        self._start = prefix + ":"

    def __call__(self, data: object) -> bool:
        return (
            isinstance(data, str)
            and data.startswith(self._start)
            and self.regex.match(data) is not None
        )

    def __repr__(self) -> str:
        return f"ButtonPattern({self.regex.pattern!r})"


def pattern(prefix: str, *parts: str) -> ButtonPattern:
    """A handler pattern: `pattern("lang", "(es|en)")` matches exactly `lang:es` / `lang:en`."""
    return ButtonPattern(prefix, re.compile("^" + ":".join((re.escape(prefix), *parts)) + "$"))


def prefix_of(handler_pattern: object) -> str | None:
    """The prefix every data matched by a `pattern(...)` starts with; None for other patterns."""
    return handler_pattern.prefix if isinstance(handler_pattern, ButtonPattern) else None


def prefix(data: str) -> str:
    """The first part of button data: `sv` of `sv:12:34:o2`."""
    return data.partition(":")[0]
