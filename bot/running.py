"""Running the bot for real: a start-up that survives a bad minute at Telegram, one clear
line when the bot cannot go on, and an orderly stop.

PTB's `run_polling` would end the process on the first failed call of its start-up;
here the start-up waits for `getMe` (the bot must know who it is), sets the command
menus and the webhook in the background (bot/retries.py) and serves updates at once.
Only an invalid token (401) or another instance polling with the same token (409)
stops the bot, with one line in the log and exit status 1.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from telegram.error import Conflict, InvalidToken, TelegramError

from bot.application import ALLOWED_UPDATES, App, services_of
from bot.retries import TOKEN_REFUSED

log = logging.getLogger(__name__)


async def serve(application: App, stop: asyncio.Event) -> int:
    """Serve updates until `stop` is set; the exit status (1: Telegram refused the bot)."""
    fatal: list[str] = []

    def give_up(line: str) -> None:
        if not fatal:
            fatal.append(line)
            log.error("%s The bot stops.", line)
        # After the failing call has returned to PTB's polling loop, which must see it first.
        asyncio.get_running_loop().call_soon(stop.set)

    requests = application.bot_data.requests
    for request in requests:
        request.on_fatal = give_up
    try:
        if not await _initialized(application, stop):
            return 0  # stopped while waiting for Telegram
    except InvalidToken:  # its message holds the token: never logged
        give_up(TOKEN_REFUSED)  # a 401 was reported already; a malformed token (404) not
        return 1
    try:
        assert application.post_init is not None and application.updater is not None
        await application.post_init(application)
        await application.start()
        settings = services_of(application).settings
        if settings.webhook_url:
            secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
            log.info("starting in webhook mode on port %d", settings.port)
            await application.updater.start_webhook(
                listen="0.0.0.0",  # noqa: S104 - the webhook must be reachable from outside
                port=settings.port,
                url_path="telegram",
                webhook_url=f"{settings.webhook_url}/telegram",
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            log.info("starting with long polling")
            await application.updater.start_polling(
                allowed_updates=ALLOWED_UPDATES, error_callback=_polling_error
            )
        await stop.wait()
    finally:
        for request in requests:
            request.wind_down()
        await _stop(application)
    return 1 if fatal else 0


async def _initialized(application: App, stop: asyncio.Event) -> bool:
    """Initialize (getMe is waited for while Telegram is away) unless stopped meanwhile."""
    initializing = asyncio.ensure_future(application.initialize())
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({initializing, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    interrupted = not initializing.done()
    if interrupted:
        initializing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await initializing
    elif initializing.exception() is None:
        return True
    for request in application.bot_data.requests:
        await request.shutdown()
    if not interrupted:
        initializing.result()  # raises what initializing met
    return False


def _polling_error(error: TelegramError) -> None:
    """What getUpdates met besides Telegram being away (the request layer waits that out)."""
    if isinstance(error, Conflict) and "webhook" in error.message.lower():
        log.warning("getUpdates: a webhook is still set; its removal is being retried")
    elif not isinstance(error, Conflict):  # a real conflict already stopped the bot
        log.warning("getUpdates failed: %s", error.message)


async def _stop(application: App) -> None:
    """Updates in hand are finished and the form states saved, then everything is closed."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


def run(application: App) -> int:
    """`clia-bot run`: serve until SIGINT or SIGTERM."""

    async def main() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        return await serve(application, stop)

    return asyncio.run(main())
