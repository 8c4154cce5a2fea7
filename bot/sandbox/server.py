"""The sandbox's HTTP server: the Bot API for the bot, a chat page and its JSON for people.

Runs on 127.0.0.1 only. Tornado comes with python-telegram-bot's webhooks extra.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

import tornado.web

from bot.sandbox.api import ApiError, BotAPI, decode
from bot.sandbox.world import BOT_USERNAME, COMMUNITY_ID, TOPICS, World

log = logging.getLogger(__name__)

Reset = Callable[[], Awaitable[None]]


class _Base(tornado.web.RequestHandler):
    @property
    def world(self) -> World:
        return self.application.settings["sandbox"].world  # type: ignore[no-any-return]

    def check_xsrf_cookie(self) -> None:
        """The page and the bot call from this machine only; no cookies are used."""


class BotApiHandler(_Base):
    """`/bot<token>/<method>`: what python-telegram-bot calls instead of api.telegram.org."""

    async def get(self, token: str, method: str) -> None:
        await self.post(token, method)

    async def post(self, token: str, method: str) -> None:
        fields = {k: v[-1].decode() for k, v in self.request.arguments.items()}
        if self.request.headers.get("Content-Type", "").startswith("application/json"):
            fields = {
                k: v if isinstance(v, str) else json.dumps(v)
                for k, v in json.loads(self.request.body or b"{}").items()
            }
        files = {
            name: (parts[0].filename, parts[0].content_type, parts[0].body)
            for name, parts in self.request.files.items()
        }
        api: BotAPI = self.application.settings["sandbox"].api
        try:
            result = await api.call(method, decode(fields), files)
        except ApiError as error:
            self.set_status(error.status)
            self.write({"ok": False, "error_code": error.status, "description": error.description})
            return
        self.write(json.dumps({"ok": True, "result": result}))


class FileHandler(_Base):
    """`/file/bot<token>/<file_id>` and `/ui/file/<file_id>`: uploaded files, downloadable."""

    def get(self, *args: str) -> None:
        stored = self.world.files.get(args[-1])
        if stored is None:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", stored.mime or "application/octet-stream")
        disposition = "inline" if stored.mime.startswith("image/") else "attachment"
        self.set_header("Content-Disposition", f'{disposition}; filename="{stored.name}"')
        self.write(stored.data)


class PageHandler(_Base):
    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.write(resources.files("bot.sandbox").joinpath("page.html").read_bytes())


def _menu(world: World, user_id: int, language: str) -> list[dict[str, str]]:
    """The command menu Telegram would show this person."""
    for key in (
        ("chat", user_id, None),
        ("all_private_chats", None, language),
        ("all_private_chats", None, None),
        ("default", None, language),
        ("default", None, None),
    ):
        if key in world.commands:
            return world.commands[key]
    return []


class StateHandler(_Base):
    """What the page shows for one person: their chat, keyboard, menu, pop-ups, the group."""

    async def get(self) -> None:
        world = self.world
        since = int(self.get_argument("since", "-1"))
        if since == world.version:  # long polling: answer when something changes
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(world.changed.wait(), 20)
        user_id = int(self.get_argument("user", "0"))
        person = world.people.get(user_id)
        people = [
            {
                "id": p.id,
                "name": f"{p.first_name} {p.last_name or ''}".strip(),
                "role": p.role_hint,
                "language": p.language_code,
            }
            for p in world.people.values()
        ]
        state: dict[str, Any] = {
            "version": world.version,
            "people": people,
            "bot": BOT_USERNAME,
            "topics": TOPICS,
        }
        if person is not None:
            state.update(
                messages=[_clean(m) for m in world.messages.get(user_id, [])],
                keyboard=world.reply_keyboards.get(user_id),
                menu=_menu(world, user_id, person.language_code),
                alerts=world.alerts.pop(user_id, []),
                in_group=user_id in world.group_members,
                asked_to_join=user_id in world.join_requests,
            )
        state["group"] = [_clean(m) for m in world.messages.get(COMMUNITY_ID, [])][-200:]
        self.write(json.dumps(state))


def _clean(message: dict[str, Any]) -> dict[str, Any]:
    clean = {k: v for k, v in message.items() if not k.startswith("_")}
    clean["html"] = message.get("_parse_mode") == "HTML"
    if "poll" in message:
        # The page shows the live poll, not the snapshot taken when it was sent.
        clean["poll"] = message["poll"]
    return clean


ATTACHMENT_MAX = 5_000_000  # bytes: photos and survey files, not videos


class ActionHandler(_Base):
    """POST /ui/<action>: what a person does on the page."""

    async def post(self, action: str) -> None:
        body = json.loads(self.request.body or b"{}")
        world = self.world
        if action == "reset":
            await self.application.settings["sandbox"].reset()
            self.write({"ok": True})
            return
        if action == "person":
            name = str(body.get("name", "")).strip()[:60] or "Invitado"
            first, _, last = name.partition(" ")
            person = await self.application.settings["sandbox"].add_person(
                first,
                last or None,
                str(body.get("language", "es")),
                str(body.get("role", "newcomer")),
            )
            self.write({"ok": True, "id": person.id})
            return
        person = world.people.get(int(body.get("user", 0)))
        if person is None:
            raise tornado.web.HTTPError(404, "no such person")
        ok = True
        if action == "send":
            text = str(body.get("text", ""))[:4096]
            if text.strip():
                thread = body.get("thread")
                await world.person_sends(person, text, None if thread is None else int(thread))
        elif action == "attach":
            try:
                data = base64.b64decode(str(body.get("data", "")), validate=True)
            except ValueError as exc:
                raise tornado.web.HTTPError(400, "the file is not base64") from exc
            if len(data) > ATTACHMENT_MAX:
                raise tornado.web.HTTPError(413, "file too large for the sandbox")
            await world.person_sends_file(
                person,
                str(body.get("name", "file"))[:120] or "file",
                str(body.get("mime") or "application/octet-stream")[:100],
                data,
                str(body.get("caption", ""))[:1024],
            )
        elif action == "contact":
            await world.person_shares_contact(person)
        elif action == "tap":
            ok = await world.person_taps(
                person, int(body["chat"]), int(body["message"]), str(body["data"])
            )
        elif action == "vote":
            ok = await world.person_answers_poll(
                person, str(body["poll"]), [int(i) for i in body["options"]]
            )
        elif action == "join":
            await world.person_asks_to_join(person)
        else:
            raise tornado.web.HTTPError(404)
        self.write({"ok": ok})


def make_app(sandbox: Any) -> tornado.web.Application:
    """`sandbox` has .world, .api, async .reset() and async .add_person(...)."""
    return tornado.web.Application(
        [
            (r"/bot([^/]+)/(\w+)", BotApiHandler),
            (r"/file/bot([^/]+)/(.+)", FileHandler),
            (r"/ui/file/(.+)", FileHandler),
            (r"/ui/state", StateHandler),
            (r"/ui/(\w+)", ActionHandler),
            (r"/", PageHandler),
        ],
        sandbox=sandbox,
    )
