"""How a queued delivery becomes a message, per broadcast kind, in the recipient's language.

Features register a renderer for their kinds in `handlers/__init__.py`; the
sender calls it for each pending delivery at send time, so a notice speaks the
recipient's language and shows the current state (an event moved since it was
queued shows its new time). A renderer returning None skips the delivery (for
example, a reminder of an event that was cancelled meanwhile).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from telegram import InlineKeyboardMarkup, Message

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import I18n, Translator
from bot.when import Reader
from storage.repositories import Repositories


class ServiceParts(Protocol):
    """What the sender and the renderers reach of `bot.services.Services` (which holds the
    sender): named here so that this module and the sender need not import that one."""

    @property
    def settings(self) -> Settings: ...

    @property
    def repos(self) -> Repositories: ...

    @property
    def i18n(self) -> I18n: ...

    @property
    def clock(self) -> Clock: ...


@dataclass(frozen=True)
class Notice:
    """One delivery to render."""

    broadcast_id: int
    kind: str
    text: str
    event_id: int | None
    survey_id: int | None
    member_id: int | None
    chat_id: int
    t: Translator
    services: ServiceParts
    time_zone: str | None = None  # the recipient's own zone, if they set one

    @property
    def reader(self) -> Reader:
        """How the recipient reads times: Aguascalientes time, and theirs when it differs."""
        return Reader.of(self.t, self.services.settings.tz, self.time_zone)


@dataclass(frozen=True)
class PollSpec:
    """A native Telegram poll (not anonymous, so each answer tells who gave it)."""

    question: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Rendered:
    text: str  # HTML
    reply_markup: InlineKeyboardMarkup | None = None
    poll: PollSpec | None = None  # send a poll instead of a message
    on_sent: Callable[[Message], Awaitable[None]] | None = None  # e.g. remember the poll id


Renderer = Callable[[Notice], Awaitable[Rendered | None]]

_renderers: dict[str, Renderer] = {}


def register(kind: str, renderer: Renderer) -> None:
    """Called once per kind from handlers/__init__.py."""
    _renderers[kind] = renderer


async def render(notice: Notice) -> Rendered | None:
    renderer = _renderers.get(notice.kind)
    if renderer is None:
        return Rendered(notice.text)  # an announcement says what its author wrote
    return await renderer(notice)
