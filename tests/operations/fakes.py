"""The offline Bot API for running the bot as `clia-bot run` does: polling, a webhook, and
over HTTP on 127.0.0.1 for the command line (`clia-bot doctor` builds its own HTTP client)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import tornado.web
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from tests.fake_bot_api import Call, FakeBotAPI


class LiveFakeBotAPI(FakeBotAPI):
    """The fake, taught getUpdates (with updates a test pushes) and the webhook methods."""

    def __init__(self, clock: Any) -> None:
        super().__init__(clock)
        self.webhook: dict[str, Any] = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }
        self.webhook_secret: str | None = None
        self.updates: list[dict[str, Any]] = []
        self._arrived = asyncio.Event()

    def push_update(self, update: dict[str, Any]) -> None:
        """Telegram has an update for the bot: the next getUpdates returns it."""
        self.updates.append(update)
        self._arrived.set()

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> Any:
        if url.endswith("/getUpdates") and not self.updates:
            # A long poll that waits a little, so polling does not spin.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), 0.05)
            self._arrived.clear()
        return await super().do_request(url, method, *args, **kwargs)

    def _api_getUpdates(self, call: Call) -> list[dict[str, Any]]:
        offset = int(call.params.get("offset") or 0)
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        return list(self.updates)

    def _api_deleteWebhook(self, call: Call) -> bool:
        self.webhook["url"] = ""
        return True

    def _api_setWebhook(self, call: Call) -> bool:
        self.webhook["url"] = str(call.params["url"])
        self.webhook_secret = call.params.get("secret_token")
        return True

    def _api_getWebhookInfo(self, call: Call) -> dict[str, Any]:
        return dict(self.webhook)


def _value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


class _Bridge(tornado.web.RequestHandler):
    """`/bot<token>/<method>` over HTTP, answered by the fake as if called in-process."""

    def initialize(self, fake: FakeBotAPI) -> None:
        self.fake = fake

    async def post(self, token: str, method: str) -> None:
        if self.request.headers.get("Content-Type", "").startswith("application/json"):
            fields = json.loads(self.request.body or b"{}")
        else:
            fields = {k: _value(v[-1].decode()) for k, v in self.request.arguments.items()}
        data = RequestData([RequestParameter(k, v, None) for k, v in fields.items()])
        status, body = await self.fake.do_request(f"/bot{token}/{method}", "POST", data)
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(body)

    get = post


@contextlib.asynccontextmanager
async def over_http(fake: FakeBotAPI) -> AsyncIterator[str]:
    """Serve the fake on a free port of 127.0.0.1; yields its base URL."""
    server = HTTPServer(tornado.web.Application([(r"/bot([^/]+)/(\w+)", _Bridge, {"fake": fake})]))
    sockets = bind_sockets(0, address="127.0.0.1")
    server.add_sockets(sockets)
    try:
        yield f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
    finally:
        server.stop()
        await server.close_all_connections()
