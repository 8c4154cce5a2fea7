"""The process's one web server: a tornado application whose routes the features register.

The operations branch owns the full module (starting the server: on the webhook's port in
webhook mode, on WEB_HOST:WEB_PORT in polling mode; Telegram's webhook route); this is the part
of its interface the impact dashboard is built on, merged over by the real one. Features
register from handlers/__init__.py (`register_route`), so bot/ names no feature. A route's
handler reaches the running Application through `self.bot_app` (None while the bot starts or
restarts: answer 503).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import tornado.web
from telegram.ext import Application

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
AppSource = Callable[[], AnyApplication | None]


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


def make_app(
    source: AppSource, *, webhook: bool = False, secret: str | None = None
) -> tornado.web.Application:
    """The registered routes (the operations branch adds Telegram's webhook when `webhook`)."""
    del webhook, secret  # the webhook route belongs to the operations branch's full module
    return tornado.web.Application(route_rules(source))


def mount(app: tornado.web.Application, source: AppSource) -> None:
    """Add the registered routes to another tornado application (the sandbox's)."""
    app.add_handlers(r".*", route_rules(source))
