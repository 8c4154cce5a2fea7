"""The custom callback context: typed access to services, the member and their language."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from telegram.ext import Application, CallbackContext, ExtBot
from telegram.ext._utils.types import ConversationKey

from bot.i18n import Translator
from bot.roles import Role, effective_role
from bot.services import BotData, Services
from bot.when import Reader
from storage.models import Member

if TYPE_CHECKING:
    from telegram import Update


class Form(Protocol):
    """A form as the persistence flush sees it (bot.conversations.Conversation)."""

    @property
    def name(self) -> str | None: ...

    def state_of(self, key: ConversationKey) -> object | None: ...

    def pending(self, key: ConversationKey) -> bool: ...


class Ctx(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """One per update. `load_caller` (a pre-handler) fills the member and the language."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.member: Member | None = None
        self.role: Role = "stranger"
        self._t: Translator | None = None
        # The forms (bot.conversations.Conversation) that handled this update, with the key
        # of the person's conversation: their new state is saved right after it.
        self.forms_ran: list[tuple[Form, ConversationKey]] = []

    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("services are set in post_init; the application is not started")
        return services

    @property
    def t(self) -> Translator:
        """The translator of this update's person (default language until resolved)."""
        if self._t is None:
            self._t = self.services.i18n.get(None)
        return self._t

    @property
    def reader(self) -> Reader:
        """How this update's person reads and types times (their language, Aguascalientes
        time, and their own zone when they set one)."""
        own = self.member.time_zone if self.member else None
        return Reader.of(self.t, self.services.settings.tz, own)

    def reader_of(self, member: Member) -> Reader:
        """How another member reads times, for a message sent to them from this update."""
        i18n = self.services.i18n
        t = i18n.get(i18n.resolve(member.language, None))
        return Reader.of(t, self.services.settings.tz, member.time_zone)

    def now(self) -> datetime:
        return self.services.clock()

    async def load_caller(self, update: Update) -> None:
        """Look the person up once per update and choose their language."""
        user = update.effective_user
        services = self.services
        if user is None:
            self.member, self.role = None, "stranger"
            self._t = services.i18n.get(None)
            return
        self.member = await services.repos.members.by_telegram_id(user.id)
        self.role = effective_role(self.member, user.id, services.settings.admin_ids)
        stored = self.member.language if self.member else None
        self._t = services.i18n.get(services.i18n.resolve(stored, user.language_code))

    def use_language(self, language: str) -> None:
        """Switch this update's replies to a newly chosen language."""
        self._t = self.services.i18n.get(language)
