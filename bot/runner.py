"""`clia-bot run`: the bot and its one web server, started and stopped in order.

python-telegram-bot's `run_polling`/`run_webhook` each start their own machinery; this
module does the same steps itself so that one tornado server (bot/web.py) serves /healthz
in both modes and Telegram's webhook in webhook mode:

1. take the database's lock (a second bot on the same file refuses to start);
2. bind the web server: WEB_HOST:PORT with a webhook, WEB_HOST:WEB_PORT when polling
   (a port in use stops here, before anything else happened);
3. initialize the Application, `post_init` (database, menus, jobs, the outbox sender), start;
4. set the webhook at Telegram (WEBHOOK_URL/telegram with the secret), or start polling;
5. on SIGTERM or SIGINT, the reverse: stop the server and polling, let updates in flight
   finish, stop, shut down, `post_shutdown` (the sender stops, the database closes).

The webhook stays set when the bot stops, so Telegram keeps the updates until it is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import signal
import sys

from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.application import ALLOWED_UPDATES, App, build_application
from bot.config import Settings
from bot.web import WEBHOOK_PATH, WebServer, make_app
from storage.lockfile import DatabaseLock

log = logging.getLogger(__name__)

SET_WEBHOOK_ATTEMPTS = 5  # network trouble at start: 1, 2, 4, 8 s apart, then give up


class Runner:
    """One Application and its web server; `start`, then `stop` (also after a failed start)."""

    def __init__(self, application: App, settings: Settings) -> None:
        self.application = application
        self.settings = settings
        self.webhook = settings.webhook_url is not None
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        self.web = WebServer(make_app(lambda: application, webhook=self.webhook, secret=secret))

    async def start(self, port: int | None = None) -> int:
        """Start everything; the web server's port (`port` overrides the settings' one)."""
        settings, app = self.settings, self.application
        if port is None:
            port = settings.port if self.webhook else settings.web_port
        bound = self.web.start(settings.web_host, port)
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        if self.webhook:
            await self._set_webhook()
        else:
            assert app.updater is not None
            await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        return bound

    async def _set_webhook(self) -> None:
        settings = self.settings
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        for attempt in range(SET_WEBHOOK_ATTEMPTS):
            try:
                await self.application.bot.set_webhook(
                    url=f"{settings.webhook_url}{WEBHOOK_PATH}",
                    allowed_updates=ALLOWED_UPDATES,
                    secret_token=secret,
                )
                return
            except NetworkError as exc:
                if attempt == SET_WEBHOOK_ATTEMPTS - 1:
                    raise
                log.warning("could not set the webhook (%s); trying again", exc.message)
                await asyncio.sleep(2**attempt)

    async def stop(self) -> None:
        """Stop what was started, in reverse; safe after a start that failed half-way."""
        app = self.application
        await self.web.stop()
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


def run(settings: Settings) -> int:
    """Run until SIGTERM or SIGINT; the exit status (1 when it could not start)."""
    lock = DatabaseLock(settings.database_path)
    if not lock.acquire():
        print(
            f"Another bot is already running on {settings.database_path} (it holds "
            f"{lock.path}). Stop it first; two bots would answer everyone twice.",
            file=sys.stderr,
        )
        return 1
    try:
        return asyncio.run(_serve(settings))
    finally:
        lock.release()


async def _serve(settings: Settings) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    runner = Runner(build_application(settings), settings)
    try:
        try:
            port = await runner.start()
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
        except InvalidToken:
            print(
                "Telegram refused the token: get a new one from @BotFather and put it in "
                "TELEGRAM_BOT_TOKEN (`clia-bot doctor` checks the settings).",
                file=sys.stderr,
            )
            return 1
        except TelegramError as exc:
            print(
                f"Could not start: {exc.message} (`clia-bot doctor` may say why).", file=sys.stderr
            )
            return 1
        log.info(
            "running with %s; web server on %s:%d (health at /healthz%s)",
            "a webhook" if runner.webhook else "long polling",
            settings.web_host,
            port,
            ", Telegram's webhook at " + WEBHOOK_PATH if runner.webhook else "",
        )
        await stop.wait()
        log.info("stopping")
    finally:
        await runner.stop()
    return 0
