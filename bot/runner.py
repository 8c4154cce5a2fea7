"""`clia-bot run`: the bot and its one web server, started and stopped in order, through a
bad minute at Telegram.

python-telegram-bot's `run_polling`/`run_webhook` each start their own machinery and end the
process on the first failed call of their start-up; this module does the same steps itself,
so that one tornado server (bot/web.py) serves /healthz in both modes and Telegram's webhook
in webhook mode, and so that Telegram being away delays nothing but the bot's own `getMe`:

1. take the database's lock (a second bot on the same file refuses to start);
2. bind the web server: WEB_HOST:PORT with a webhook, WEB_HOST:WEB_PORT when polling
   (a port in use stops here, before anything else happened);
3. initialize the Application: `getMe` is waited for while Telegram is away (bot/retries.py),
   and a SIGTERM meanwhile ends it cleanly; then `post_init` (database, menus, jobs, the outbox
   sender) and start. The menus are configuration calls: set in the background, never waited;
4. set the webhook at Telegram (WEBHOOK_URL/telegram with the secret; a configuration call too,
   in the background), or start polling (an outage is waited out without losing an update);
5. on SIGTERM or SIGINT, the reverse: stop the server and polling, let updates in flight
   finish, stop, shut down, `post_shutdown` (the sender stops, the database closes).

Only an invalid token (401) or another instance polling with the same token (409) stops the
bot, with one line in the log and exit status 1, so a process manager does not restart it into
the same failure. The webhook stays set when the bot stops: Telegram keeps the updates.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import signal
import sys

from telegram.error import Conflict, InvalidToken, TelegramError

from bot.application import ALLOWED_UPDATES, App, build_application, services_of
from bot.config import Settings
from bot.retries import TOKEN_REFUSED
from bot.web import WEBHOOK_PATH, WebServer, make_app
from storage.lockfile import DatabaseLock

log = logging.getLogger(__name__)


class Runner:
    """One Application and its web server; `start`, then `stop` (also after a failed start)."""

    def __init__(self, application: App, settings: Settings | None = None) -> None:
        self.application = application
        self.settings = settings or services_of(application).settings
        self.webhook = self.settings.webhook_url is not None
        secret = self._secret()
        self.web = WebServer(make_app(lambda: application, webhook=self.webhook, secret=secret))

    def _secret(self) -> str | None:
        secret = self.settings.webhook_secret
        return secret.get_secret_value() if secret else None

    async def start(self, port: int | None = None, stop: asyncio.Event | None = None) -> int | None:
        """Start everything; the web server's port (`port` overrides the settings' one), or
        None when `stop` was set while waiting for Telegram to answer `getMe`."""
        settings, app = self.settings, self.application
        if port is None:
            port = settings.port if self.webhook else settings.web_port
        bound = self.web.start(settings.web_host, port)
        if not await self._initialized(stop or asyncio.Event()):
            return None
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        if self.webhook:
            await app.bot.set_webhook(
                url=f"{settings.webhook_url}{WEBHOOK_PATH}",
                allowed_updates=ALLOWED_UPDATES,
                secret_token=self._secret(),
            )
        else:
            assert app.updater is not None
            await app.updater.start_polling(
                allowed_updates=ALLOWED_UPDATES, error_callback=_polling_error
            )
        return bound

    async def _initialized(self, stop: asyncio.Event) -> bool:
        """Initialize (getMe is waited for while Telegram is away) unless stopped meanwhile."""
        initializing = asyncio.ensure_future(self.application.initialize())
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({initializing, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if initializing.done():
            initializing.result()  # raises what initializing met (an invalid token…)
            return True
        initializing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await initializing
        return False

    async def stop(self) -> None:
        """Stop what was started, in reverse; safe after a start that failed half-way."""
        app = self.application
        await self.web.stop()
        for request in app.bot_data.requests:
            request.wind_down()  # configuration still being retried is dropped
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)  # also closes the clients of a half-way start


def _polling_error(error: TelegramError) -> None:
    """What getUpdates met besides Telegram being away (the request layer waits that out)."""
    if isinstance(error, Conflict) and "webhook" in error.message.lower():
        log.warning("getUpdates: a webhook is still set; its removal is being retried")
    elif not isinstance(error, Conflict):  # a real conflict already stopped the bot
        log.warning("getUpdates failed: %s", error.message)


async def serve(application: App, stop: asyncio.Event, *, port: int | None = None) -> int:
    """Serve until `stop` is set; the exit status (1: Telegram refused the bot, or it could
    not start). The web server listens on the settings' port unless `port` is given."""
    fatal: list[str] = []

    def give_up(line: str) -> None:
        if not fatal:
            fatal.append(line)
            log.error("%s The bot stops.", line)
        # After the failing call has returned to PTB's polling loop, which must see it first.
        asyncio.get_running_loop().call_soon(stop.set)

    for request in application.bot_data.requests:
        request.on_fatal = give_up
    runner = Runner(application)
    settings = runner.settings
    try:
        try:
            bound = await runner.start(port, stop)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            setting = "PORT" if runner.webhook else "WEB_PORT"
            print(
                f"{settings.web_host}: the port is already in use. Stop what uses it, or "
                f"choose another with {setting}.",
                file=sys.stderr,
            )
            return 1
        except InvalidToken:  # its message holds the token: never logged
            give_up(TOKEN_REFUSED)  # a 401 was reported already; a malformed token (404) not
            return 1
        except TelegramError as exc:
            print(
                f"Could not start: {exc.message} (`clia-bot doctor` may say why).", file=sys.stderr
            )
            return 1
        if bound is None:
            return 0  # stopped while waiting for Telegram
        log.info(
            "running with %s; web server on %s:%d (health at /healthz%s)",
            "a webhook" if runner.webhook else "long polling",
            settings.web_host,
            bound,
            ", Telegram's webhook at " + WEBHOOK_PATH if runner.webhook else "",
        )
        await stop.wait()
        log.info("stopping")
    finally:
        await runner.stop()
    return 1 if fatal else 0


def run(settings: Settings) -> int:
    """Run until SIGTERM or SIGINT; the exit status (1 when it could not start or go on)."""
    lock = DatabaseLock(settings.database_path)
    if not lock.acquire():
        print(
            f"Another bot is already running on {settings.database_path} (it holds "
            f"{lock.path}). Stop it first; two bots would answer everyone twice.",
            file=sys.stderr,
        )
        return 1

    async def main() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        return await serve(build_application(settings), stop)

    try:
        return asyncio.run(main())
    finally:
        lock.release()
