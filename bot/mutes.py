"""Kinds of notice a member can mute in /notifications besides the axes' announcements.

A feature that sends its own kind of notice (sourcing requests…) registers it here, from
handlers/__init__.py, with how to read and store the member's choice; /notifications (in the
members feature) offers a 🔔/🔕 button for each without importing the feature. The feature's
own audience leaves out the members who muted it.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.context import Ctx

_CODE = re.compile(r"[a-z]{1,16}")


@dataclass(frozen=True)
class MutableNotices:
    code: str  # in the button's data: nt:tp:<code>
    label: str  # a msgid, shown after 🔔 or 🔕
    is_muted: Callable[[Ctx, int], Awaitable[bool]]  # (context, member id)
    set_muted: Callable[[Ctx, int, bool], Awaitable[None]]  # (context, member id, muted)


_kinds: dict[str, MutableNotices] = {}


def register(kind: MutableNotices) -> None:
    """Called once per kind from handlers/__init__.py."""
    if not _CODE.fullmatch(kind.code):
        raise ValueError(f"invalid code {kind.code!r}: a-z, at most 16 letters")
    _kinds[kind.code] = kind


def kinds() -> tuple[MutableNotices, ...]:
    """In the order they were registered."""
    return tuple(_kinds.values())


def get(code: str) -> MutableNotices | None:
    return _kinds.get(code)
