"""The shared services every handler reaches through the typed context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.backups import Backups
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import I18n
from bot.sender import Sender
from storage.database import Database
from storage.repositories import Repositories

if TYPE_CHECKING:
    from bot.retries import ResilientRequest


@dataclass
class Services:
    settings: Settings
    db: Database
    repos: Repositories
    i18n: I18n
    clock: Clock
    sender: Sender | None = None  # set by build_application
    backups: Backups | None = None  # the scheduled backups, when BACKUP_DIR is set
    started_at: datetime | None = None  # when the bot started (post_init), for /status

    @property
    def outbox_sender(self) -> Sender:
        """The one outbox sender; `wake()` it after queueing deliveries."""
        if self.sender is None:
            raise RuntimeError("the outbox sender is created by build_application")
        return self.sender


class BotData:
    """`application.bot_data`: holds the services, set in `post_init`."""

    __slots__ = ("requests", "run_sender", "services")

    def __init__(self) -> None:
        self.services: Services | None = None
        self.run_sender = True
        self.requests: list[ResilientRequest] = []  # the Bot API clients, set by build_application
