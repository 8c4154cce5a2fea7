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


_PREFIXES: dict[str, str] = {}  # the source of each pattern() → its prefix


def pattern(prefix: str, *parts: str) -> re.Pattern[str]:
    """A handler pattern: `pattern("lang", "(es|en)")` matches exactly `lang:es` / `lang:en`."""
    compiled = re.compile("^" + ":".join((re.escape(prefix), *parts)) + "$")
    _PREFIXES[compiled.pattern] = prefix
    return compiled


def prefix_of(handler_pattern: object) -> str | None:
    """The prefix every data matched by a `pattern(...)` starts with; None for other patterns."""
    if isinstance(handler_pattern, re.Pattern):
        return _PREFIXES.get(handler_pattern.pattern)
    return None


def prefix(data: str) -> str:
    """The first part of button data: `sv` of `sv:12:34:o2`."""
    return data.partition(":")[0]
