"""Documents a feature can build from the command line (`clia-bot report`), registered from
handlers/__init__.py so that bot/ names no feature: the CLI builds the application (which
registers them), opens the database and asks for the document by name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.services import Services


@dataclass(frozen=True)
class DocumentRequest:
    period: str  # "2026-10", "2026-Q4" or "2026"
    scope: str  # "cluster" or an axis code
    language: str


Builder = Callable[[Services, DocumentRequest], Awaitable[bytes]]
_builders: dict[str, Builder] = {}


def register(name: str, builder: Builder) -> None:
    _builders[name] = builder


def builder(name: str) -> Builder:
    if name not in _builders:
        raise KeyError(f"no document called {name!r} is registered")
    return _builders[name]
