"""The process's one web server: a tornado application whose routes the features register.

Tornado comes with python-telegram-bot's webhooks extra, and python-telegram-bot's own
`run_webhook` serves a tornado application that knows only the webhook's path. Rather than
reach into that private server, the bot builds its own application here: the routes that
features register (`/healthz` today, a dashboard later), plus, in webhook mode, a handler
that does what python-telegram-bot's does (check the content type and the secret header,
turn the JSON into an `Update`, put it on the Application's update queue). One server then
answers everything, on the address bot/runner.py gives it:

- webhook mode: WEB_HOST:PORT, Telegram's POSTs at /telegram beside the registered routes;
- polling mode: WEB_HOST:WEB_PORT, the registered routes alone;
- the sandbox: its own tornado application, into which `mount` adds the same routes.

Features register from handlers/__init__.py (`register_route`), so bot/ names no feature.
A route's handler reaches the running Application through `self.bot_app` (None while the
bot starts or restarts: answer 503).
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram import Update
from telegram.ext import Application, ExtBot
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
AppSource = Callable[[], AnyApplication | None]
WEBHOOK_PATH = "/telegram"


class BotRequestHandler(tornado.web.RequestHandler):
    """Base of the routes features register: `bot_app` is the running Application."""

    def initialize(self, source: AppSource) -> None:
        self._source = source

    @property
    def bot_app(self) -> AnyApplication | None:
        return self._source()


_routes: dict[str, type[BotRequestHandler]] = {}


def register_route(pattern: str, handler: type[BotRequestHandler]) -> None:
    """A path (tornado pattern, e.g. `/healthz`) and its handler; again for a path replaces."""
    _routes[pattern] = handler


def route_rules(source: AppSource) -> list[tuple[str, type[tornado.web.RequestHandler], Any]]:
    return [(pattern, handler, {"source": source}) for pattern, handler in _routes.items()]


class TelegramWebhook(tornado.web.RequestHandler):
    """Telegram's POSTs in webhook mode, as python-telegram-bot's own handler takes them."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, source: AppSource, secret: str | None) -> None:
        self._source = source
        self._secret = secret

    async def post(self) -> None:
        if self.request.headers.get("Content-Type", "").split(";")[0] != "application/json":
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        if self._secret is not None:
            given = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            if not hmac.compare_digest(given.encode(), self._secret.encode()):
                log.debug("webhook request without the right secret header")
                raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        application = self._source()
        if application is None or not application.running:
            raise tornado.web.HTTPError(HTTPStatus.SERVICE_UNAVAILABLE)  # Telegram retries
        try:
            update = Update.de_json(json.loads(self.request.body), application.bot)
        except Exception as exc:
            log.warning("the webhook received something that is not an update")
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from exc
        if isinstance(application.bot, ExtBot):
            application.bot.insert_callback_data(update)
        await application.update_queue.put(update)
        self.set_status(HTTPStatus.OK)

    def log_exception(self, *args: Any) -> None:
        """Refusals are expected (scanners, a wrong secret); never a traceback in the log."""


class _Application(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """No access log: health checks every minute would drown everything else."""


def make_app(
    source: AppSource, *, webhook: bool = False, secret: str | None = None
) -> tornado.web.Application:
    """The registered routes, and Telegram's webhook at /telegram when `webhook`."""
    rules = route_rules(source)
    if webhook:
        rules.append((WEBHOOK_PATH + "/?", TelegramWebhook, {"source": source, "secret": secret}))
    return _Application(rules)


def mount(app: tornado.web.Application, source: AppSource) -> None:
    """Add the registered routes to another tornado application (the sandbox's)."""
    app.add_handlers(r".*", route_rules(source))


class WebServer:
    """An HTTP server for one tornado application: `start` binds, `stop` closes."""

    def __init__(self, app: tornado.web.Application) -> None:
        self._server = HTTPServer(app)
        self.port: int | None = None

    def start(self, host: str, port: int) -> int:
        """Listen on host:port (port 0: any free port); returns the port bound.
        Raises OSError when the address is taken."""
        sockets = bind_sockets(port, address=host)
        self._server.add_sockets(sockets)
        self.port = int(sockets[0].getsockname()[1])
        return self.port

    async def stop(self) -> None:
        self._server.stop()
        await self._server.close_all_connections()
