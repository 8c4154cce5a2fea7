"""Deep links `t.me/<bot>?start=<prefix>_<rest>`: /start hands the payload to its feature.

Features register a prefix (`join`, `ev`, `ci`, `sv`…) in handlers/__init__.py.
An unknown or malformed payload is ignored and /start greets as usual.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from bot.context import Ctx

DeepLinkHandler = Callable[[Update, Ctx, str], Coroutine[Any, Any, None]]
_PAYLOAD = re.compile(r"([a-z]{1,8})_([A-Za-z0-9_-]{1,55})")
_handlers: dict[str, DeepLinkHandler] = {}


def register(prefix: str, handler: DeepLinkHandler) -> None:
    """`handler(update, context, rest)` runs for `?start=<prefix>_<rest>`."""
    _handlers[prefix] = handler


def link(bot_username: str, prefix: str, rest: str | int) -> str:
    """The shareable t.me link for a payload."""
    payload = f"{prefix}_{rest}"
    if not _PAYLOAD.fullmatch(payload):
        raise ValueError(f"invalid deep-link payload {payload!r}")
    return f"https://t.me/{bot_username}?start={payload}"


async def dispatch(update: Update, context: Ctx, payload: str) -> bool:
    """Run the feature's handler; False when the payload is not one of ours."""
    match = _PAYLOAD.fullmatch(payload)
    if match is None or match.group(1) not in _handlers:
        return False
    await _handlers[match.group(1)](update, context, match.group(2))
    return True
