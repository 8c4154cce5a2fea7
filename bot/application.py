"""build_application(): the Telegram Application with everything wired in."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
from telegram import Bot, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot import jobs
from bot.backups import Backups
from bot.clock import Clock, system_clock
from bot.commands import set_default_menus, set_personal_menu
from bot.config import SUPPORTED_LANGUAGES, Settings
from bot.context import Ctx
from bot.i18n import I18n
from bot.persistence import SQLitePersistence
from bot.replies import ReplyBot, ReplyLimiter
from bot.retries import ResilientRequest, Sleep
from bot.roles import effective_role
from bot.sender import Sender
from bot.services import BotData, Services
from bot.updates import PerUserUpdateProcessor
from handlers import register
from storage.database import Database
from storage.repositories import Repositories

log = logging.getLogger(__name__)

App = Application[Any, Ctx, Any, Any, BotData, Any]
# A token of the right shape for an Application that never reaches Telegram (tests, CLI tools).
OFFLINE_TOKEN = "123456:offline-token-never-sent-to-telegram"  # noqa: S105 - not a secret


def build_application(
    settings: Settings,
    request: BaseRequest | None = None,
    clock: Clock = system_clock,
    *,
    sender_loop: bool = True,
    sleep: Sleep = asyncio.sleep,
) -> App:
    """Assemble the bot; `request` replaces the HTTP client (tests pass an offline fake).

    Every Bot API call goes through `ResilientRequest` (bot/retries.py), wrapped around
    whatever client is used, so the retry policy is the same for replies, polling and
    the outbox sender. `sleep` is how the bot waits (retries, the sender's pacing):
    tests pass one that moves a fake clock. Without `sender_loop` the outbox sender
    sends only when asked (`drain()`), so tests decide when deliveries go out.
    """
    db = Database(settings.database_path)
    if request is not None:
        replies = polling = sender_request = ResilientRequest(request, sleep=sleep)
        requests = [replies]
    else:
        replies = ResilientRequest(_http_request(256), sleep=sleep)
        polling = ResilientRequest(_http_request(2), sleep=sleep)
        sender_request = ResilientRequest(_http_request(8), sleep=sleep)
        requests = [replies, polling, sender_request]
    bot = ReplyBot(
        settings.token or OFFLINE_TOKEN,
        base_url=f"{settings.telegram_api_base_url}/bot",
        base_file_url=f"{settings.telegram_api_base_url}/file/bot",
        request=replies,
        get_updates_request=polling,
        defaults=Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz),
        rate_limiter=_rate_limiter(),
    )
    application: App = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(ContextTypes(context=Ctx, bot_data=BotData))
        .concurrent_updates(PerUserUpdateProcessor(clock=clock))
        .persistence(SQLitePersistence(db))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )

    i18n = I18n(SUPPORTED_LANGUAGES, settings.default_language)
    services = Services(
        settings=settings, db=db, repos=Repositories.over(db), i18n=i18n, clock=clock
    )
    services.sender = Sender(
        services,
        Bot(
            settings.token or OFFLINE_TOKEN,
            base_url=f"{settings.telegram_api_base_url}/bot",
            base_file_url=f"{settings.telegram_api_base_url}/file/bot",
            request=sender_request,
            get_updates_request=sender_request,  # never polls; spares building a second client
        ),
        rate=settings.broadcast_rate,
    )
    services.sender.sleep = sleep
    if settings.backup_dir is not None:
        services.backups = Backups(db, settings.backup_dir, settings.tz)
    application.bot_data.services = services
    application.bot_data.run_sender = sender_loop
    application.bot_data.requests = requests
    register(application, services)
    return application


def _rate_limiter() -> ReplyLimiter:
    """Replies are paced per group (20 a minute) and waited out on 429, not capped overall.

    Telegram's ~30 messages/s applies to bulk notifications; those go through the
    outbox sender, which paces itself on its own Bot. Capping replies at 30/s as
    well would make a busy hour's answers queue behind each other for nothing.
    """
    return ReplyLimiter(overall_max_rate=0, max_retries=3)


def _http_request(connections: int) -> HTTPXRequest:
    """The HTTP client. Failed connections are retried by ResilientRequest, with back-off,
    like every other transient failure (httpx's own retries would repeat at once)."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return HTTPXRequest(connection_pool_size=connections, httpx_kwargs={"limits": limits})


def services_of(application: App) -> Services:
    services = application.bot_data.services
    assert services is not None
    return services


async def _post_init(application: App) -> None:
    """Open and migrate the database, set the command menus, rebuild scheduled jobs.

    Nothing here waits for Telegram: the menus are configuration calls, carried out in the
    background when Telegram is away (bot/retries.py)."""
    services = services_of(application)
    services.started_at = services.clock()
    await services.db.ensure_ready()  # usually done already by the persistence
    await set_default_menus(application.bot, services.i18n)
    await _set_staff_menus(application, services)
    jobs.schedule_all(application)
    if application.bot_data.run_sender:
        services.outbox_sender.start()  # its Bot learns who it is (getMe) before sending


async def _set_staff_menus(application: App, services: Services) -> None:
    """Coordinators and admins see their extra commands in their own language."""
    admin_ids = services.settings.admin_ids
    staff = {m.telegram_user_id: m for m in await services.repos.members.staff()}
    for user_id in admin_ids | staff.keys():
        member = staff.get(user_id) or await services.repos.members.by_telegram_id(user_id)
        role = effective_role(member, user_id, admin_ids)
        language = services.i18n.resolve(member.language if member else None, None)
        chat_id = member.chat_id if member and member.chat_id else user_id
        await set_personal_menu(application.bot, services.i18n, chat_id, language, role)


async def _post_shutdown(application: App) -> None:
    """Stop the outbox sender (pending rows wait for the next start), then close the database."""
    services = services_of(application)
    if services.sender is not None:
        await services.sender.stop()
        await services.sender.bot.shutdown()
    for request in application.bot_data.requests:  # the sender's, if its Bot never started
        await request.shutdown()
    await services.db.close()


ALLOWED_UPDATES = Update.ALL_TYPES
