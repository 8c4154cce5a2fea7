"""An offline Bot API: records every call, answers like Telegram, refuses what it was not taught.

It replaces python-telegram-bot's HTTP client (`BaseRequest`), so the real
Application, Bot and handlers run unchanged with no network. It can also have a bad
minute like Telegram: `unreliable` fails a share of calls (seeded, reproducible) with
502, timeouts and connection errors, and `outage` fails chosen methods until a time.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, ClassVar

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from tests.fake_bad_minute import BadMinute

BOT_USER = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "CLIA",
    "username": "clia_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


class _TextOnly(HTMLParser):
    """What a person sees of an HTML message: the text without tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(markup: str) -> str:
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


class _Entities(HTMLParser):
    """The formatting Telegram makes of HTML: (kind, start, end, link) with synonyms merged."""

    _SAME: ClassVar[dict[str, str]] = {
        "strong": "b",
        "em": "i",
        "ins": "u",
        "strike": "s",
        "del": "s",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.length = 0
        self.open: list[tuple[str, int, str | None]] = []
        self.entities: list[tuple[str, int, int, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append((self._SAME.get(tag, tag), self.length, dict(attrs).get("href")))

    def handle_endtag(self, tag: str) -> None:
        if self.open:
            kind, start, link = self.open.pop()
            self.entities.append((kind, start, self.length, link))

    def handle_data(self, data: str) -> None:
        self.length += len(data)


def formatted(markup: str) -> tuple[str, tuple[tuple[str, int, int, str | None], ...]]:
    """What Telegram compares when asked to edit: the text and its entities."""
    parser = _Entities()
    parser.feed(markup)
    parser.close()
    return visible_text(markup), tuple(sorted(parser.entities))


NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a specified content and reply markup of the message"
)


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    ok: bool = True  # False when the call was not carried out (an error answer, no connection)
    answered: bool = True  # False when it was carried out but the bot never got the answer
    failure: str | None = None  # the transient failure injected: "502", "timeout", "connection"

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        """The visible text (message text or caption), tags removed."""
        raw = self.params.get("text", self.params.get("caption", ""))
        return visible_text(str(raw))

    @property
    def html(self) -> str:
        return str(self.params.get("text", self.params.get("caption", "")))

    @property
    def markup(self) -> dict[str, Any]:
        value = self.params.get("reply_markup")
        if isinstance(value, str):
            value = json.loads(value)
        return value or {}

    @property
    def inline_buttons(self) -> list[dict[str, Any]]:
        return [b for row in self.markup.get("inline_keyboard", []) for b in row]

    @property
    def button_labels(self) -> list[str]:
        return [b["text"] for b in self.inline_buttons]

    @property
    def keyboard_labels(self) -> list[str]:
        return [
            b["text"] if isinstance(b, dict) else b
            for row in self.markup.get("keyboard", [])
            for b in row
        ]


@dataclass
class Failure:
    """An error to answer instead of success, for matching calls."""

    method: str | None
    chat_id: int | None
    status: int
    description: str
    retry_after: int | None = None
    times: int = 1
    kind: str | None = None  # instead of an answer: "timeout" (carried out) or "connection"


class UnexpectedCall(AssertionError):
    pass


class NotModified(Exception):
    """An edit that would leave the message exactly as it is: Telegram answers 400."""


class _Refused(Exception):
    """Telegram answers 400 with this description (a refusal it really makes)."""


class FakeBotAPI(BadMinute, BaseRequest):
    """Teach it failures with `fail`/`block`; read what happened in `calls`."""

    def __init__(self, clock: Any) -> None:
        self.clock = clock
        self.calls: list[Call] = []
        self.unexpected: list[str] = []
        self.failures: list[Failure] = []
        self.blocked: set[int] = set()
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.commands: dict[tuple[str, int | None, str | None], list[dict[str, str]]] = {}
        self._message_ids: dict[int, int] = {}
        self._file_ids = 0
        self.delay = 0.0  # seconds each call takes, to keep updates in flight
        self.uploaded: dict[str, bytes] = {}  # file_id → bytes people sent (getFile + download)
        self.polls: dict[str, dict[str, Any]] = {}
        # (chat, message) → the text and entities Telegram keeps, to refuse edits that change
        # nothing ("message is not modified") as Telegram does
        self.formatting: dict[tuple[int, int], object] = {}
        self._answered_queries: set[str] = set()
        BadMinute.__init__(self, clock)

    # --- BaseRequest -----------------------------------------------------------

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        if "/file/bot" in url:  # a download of a file the bot received
            return 200, self.uploaded.get(api_method, b"")
        if self.delay:
            await asyncio.sleep(self.delay)
        params = dict(request_data.parameters) if request_data else {}
        files: dict[str, tuple[str, bytes]] = {}
        if request_data:
            for name, value in request_data.multipart_data.items():
                content = value[1]
                data = content if isinstance(content, bytes) else content.read()
                files[name] = (str(value[0]), data)
        call = Call(api_method, params, files)
        self.calls.append(call)
        injected = self._injected(call)
        failure = None if injected in ("502", "connection") else self._failure_for(call)
        if failure is not None and failure.kind is not None:
            injected, failure = failure.kind, None
        if injected in ("502", "connection"):  # never reached the back end: nothing happens
            call.ok, call.failure = False, injected
            if injected == "502":
                return self._error(502, "Bad Gateway", None)
            raise NetworkError("httpx.ConnectError: connection refused") from httpx.ConnectError(
                "connection refused"
            )
        if failure is not None:
            call.ok = False
            return self._error(failure.status, failure.description, failure.retry_after)
        if api_method == "getUpdates":
            answer = await self._get_updates(call)
        else:
            answer = self._carry_out(call)
        if injected == "timeout":  # carried out, but the answer is lost on the way back
            call.answered, call.failure = False, injected
            raise TimedOut() from httpx.ReadTimeout("timed out")
        return answer

    def _carry_out(self, call: Call) -> tuple[int, bytes]:
        handler = getattr(self, f"_api_{call.method}", None)
        if handler is None:
            self.unexpected.append(call.method)
            raise UnexpectedCall(f"the fake Bot API was not taught {call.method}")
        try:
            result = handler(call)
        except NotModified:
            call.ok = False
            return self._error(400, NOT_MODIFIED, None)
        except _Refused as refusal:
            call.ok = False
            return self._error(400, f"Bad Request: {refusal}", None)
        except UnexpectedCall as problem:
            # Telegram would answer 400; the test fails at teardown through `unexpected`.
            self.unexpected.append(f"{call.method}: {problem}")
            call.ok = False
            return self._error(400, f"Bad Request: {problem}", None)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    # --- teaching failures ------------------------------------------------------

    def fail(
        self,
        method: str | None = None,
        *,
        chat_id: int | None = None,
        status: int = 400,
        description: str = "Bad Request: something",
        retry_after: int | None = None,
        times: int = 1,
        kind: str | None = None,
    ) -> None:
        """Answer matching calls with an error; with `kind`, time out after carrying the
        call out ("timeout") or refuse the connection ("connection") instead."""
        self.failures.append(
            Failure(method, chat_id, status, description, retry_after, times, kind)
        )

    def flood(self, chat_id: int | None = None, retry_after: int = 1, times: int = 1) -> None:
        """Answer 429 Too Many Requests to the next `times` sends."""
        self.fail(
            None,
            chat_id=chat_id,
            status=429,
            description=f"Too Many Requests: retry after {retry_after}",
            retry_after=retry_after,
            times=times,
        )

    def block(self, chat_id: int) -> None:
        """This person blocked the bot: every send to them gets 403."""
        self.blocked.add(chat_id)

    def _failure_for(self, call: Call) -> Failure | None:
        if call.chat_id in self.blocked and call.method.startswith(("send", "edit", "copy")):
            return Failure(call.method, call.chat_id, 403, "Forbidden: bot was blocked by the user")
        for failure in self.failures:
            if failure.method not in (None, call.method):
                continue
            if failure.chat_id not in (None, call.chat_id):
                continue
            if failure.method is None and not call.method.startswith(("send", "edit")):
                continue
            failure.times -= 1
            if failure.times <= 0:
                self.failures.remove(failure)
            return failure
        return None

    @staticmethod
    def _error(status: int, description: str, retry_after: int | None) -> tuple[int, bytes]:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return status, json.dumps(body).encode()

    # --- reading what happened --------------------------------------------------

    def sent(self, chat_id: int | None = None, method: str | None = None) -> list[Call]:
        """Calls that showed something in a chat (sends and edits)."""
        return [
            c
            for c in self.calls
            if c.ok
            and c.method.startswith(("send", "edit"))
            and (chat_id is None or c.chat_id == chat_id)
            and (method is None or c.method == method)
        ]

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    # --- the methods it knows ---------------------------------------------------

    def _now(self) -> int:
        return int(self.clock().timestamp())

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}
        return {"id": chat_id, "type": "supergroup", "title": "CLIA", "is_forum": True}

    def _new_message(self, call: Call, **content: Any) -> dict[str, Any]:
        chat_id = int(call.params["chat_id"])
        message_id = self._message_ids.get(chat_id, 0) + 1
        self._message_ids[chat_id] = message_id
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": self._now(),
            "chat": self._chat(chat_id),
            "from": BOT_USER,
            **content,
        }
        if "message_thread_id" in call.params:
            message["message_thread_id"] = int(call.params["message_thread_id"])
            message["is_topic_message"] = True
        markup = call.markup
        if "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self.messages[(chat_id, message_id)] = message
        return message

    def _stored(self, call: Call) -> dict[str, Any]:
        key = (int(call.params["chat_id"]), int(call.params["message_id"]))
        if key not in self.messages:
            raise UnexpectedCall(f"{call.method} of a message that was never sent: {key}")
        return self.messages[key]

    def _api_getMe(self, call: Call) -> dict[str, Any]:
        return BOT_USER

    def _api_sendMessage(self, call: Call) -> dict[str, Any]:
        text = str(call.params["text"])
        if len(visible_text(text)) > 4096:
            raise UnexpectedCall("message text longer than 4096 characters")
        _check_html(text)
        message = self._new_message(call, text=visible_text(text))
        self.formatting[(message["chat"]["id"], message["message_id"])] = formatted(text)
        return message

    def _api_editMessageText(self, call: Call) -> dict[str, Any]:
        message = self._stored(call)
        text = str(call.params["text"])
        _check_html(text)
        key = (int(call.params["chat_id"]), int(call.params["message_id"]))
        markup = call.markup if "inline_keyboard" in call.markup else None
        if self.formatting.get(key) == formatted(text) and message.get("reply_markup") == markup:
            raise NotModified
        self.formatting[key] = formatted(text)
        message["text"] = visible_text(text)
        message["edit_date"] = self._now()
        if markup is not None:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    def _api_editMessageReplyMarkup(self, call: Call) -> dict[str, Any]:
        message = self._stored(call)
        markup = call.markup if "inline_keyboard" in call.markup else None
        if message.get("reply_markup") == markup:
            raise NotModified  # also: removing a keyboard that is already gone
        if markup is not None:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    def _api_deleteMessage(self, call: Call) -> bool:
        self._stored(call)
        del self.messages[(int(call.params["chat_id"]), int(call.params["message_id"]))]
        return True

    def _api_answerCallbackQuery(self, call: Call) -> bool:
        query_id = str(call.params["callback_query_id"])
        if query_id in self._answered_queries:  # Telegram takes one answer per tap
            raise _Refused("query is too old and response timeout expired or query ID is invalid")
        self._answered_queries.add(query_id)
        return True

    def _api_setMyCommands(self, call: Call) -> bool:
        scope = call.params.get("scope") or {"type": "default"}
        if isinstance(scope, str):
            scope = json.loads(scope)
        chat_id = scope.get("chat_id")
        key = (scope["type"], int(chat_id) if chat_id else None, call.params.get("language_code"))
        self.commands[key] = list(call.params["commands"])
        return True

    def menu(
        self, scope: str, chat_id: int | None = None, language: str | None = None
    ) -> dict[str, str]:
        """The command menu last set for a scope: {command: description}."""
        entries = self.commands[(scope, chat_id, language)]
        return {e["command"]: e["description"] for e in entries}

    def _api_deleteMyCommands(self, call: Call) -> bool:
        return True

    def _api_deleteWebhook(self, call: Call) -> bool:
        return True

    def _api_setWebhook(self, call: Call) -> bool:
        return True

    def _api_approveChatJoinRequest(self, call: Call) -> bool:
        return True

    def _api_declineChatJoinRequest(self, call: Call) -> bool:
        return True

    def _file(self, call: Call, field_name: str) -> tuple[str, bytes]:
        value = str(call.params.get(field_name, ""))
        if value.startswith("attach://"):
            return call.files[value.removeprefix("attach://")]
        return (value, b"")

    def _next_file_id(self) -> str:
        self._file_ids += 1
        return f"file-{self._file_ids}"

    def _api_sendDocument(self, call: Call) -> dict[str, Any]:
        name, data = self._file(call, "document")
        document = {
            "file_id": self._next_file_id(),
            "file_unique_id": f"u{self._file_ids}",
            "file_name": name,
            "file_size": len(data),
        }
        caption = visible_text(str(call.params.get("caption", "")))
        return self._new_message(call, document=document, caption=caption)

    def _api_getFile(self, call: Call) -> dict[str, Any]:
        file_id = str(call.params["file_id"])
        if file_id not in self.uploaded:
            raise UnexpectedCall(f"getFile of an unknown file {file_id}")
        data = self.uploaded[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": len(data),
            "file_path": file_id,
        }

    def _api_sendPoll(self, call: Call) -> dict[str, Any]:
        options = call.params["options"]
        if isinstance(options, str):
            options = json.loads(options)
        labels = [o["text"] if isinstance(o, dict) else str(o) for o in options]
        if not 2 <= len(labels) <= 12:
            raise UnexpectedCall("a poll needs 2 to 12 options")
        poll_id = f"poll-{len(self.polls) + 1}"
        poll = {
            "id": poll_id,
            "question": str(call.params["question"]),
            "options": [
                {"text": label, "voter_count": 0, "persistent_id": f"{poll_id}-{n}"}
                for n, label in enumerate(labels)
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": call.params.get("is_anonymous", True) not in (False, "false"),
            "type": "regular",
            "allows_multiple_answers": False,
            "allows_revoting": True,
            "members_only": False,
        }
        self.polls[poll_id] = poll
        return self._new_message(call, poll=poll)

    def _api_stopPoll(self, call: Call) -> dict[str, Any]:
        message = self._stored(call)
        message["poll"]["is_closed"] = True
        return dict(message["poll"])

    def _api_sendPhoto(self, call: Call) -> dict[str, Any]:
        _name, data = self._file(call, "photo")
        size = {
            "file_id": self._next_file_id(),
            "file_unique_id": f"u{self._file_ids}",
            "width": 512,
            "height": 512,
            "file_size": len(data),
        }
        caption = visible_text(str(call.params.get("caption", "")))
        return self._new_message(call, photo=[size], caption=caption)


_TAG = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")
_ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "blockquote",
    "span",
    "tg-emoji",
}


def _check_html(text: str) -> None:
    """Telegram refuses unknown tags and unbalanced markup; so does the fake."""
    stack: list[str] = []
    for closing, tag in _TAG.findall(text):
        if tag not in _ALLOWED_TAGS:
            raise UnexpectedCall(f"Telegram would refuse the tag <{tag}>: {html.escape(text)}")
        if closing:
            if not stack or stack.pop() != tag:
                raise UnexpectedCall(f"unbalanced HTML: {text}")
        else:
            stack.append(tag)
    if stack:
        raise UnexpectedCall(f"unclosed HTML tags {stack}: {text}")
    if re.search(r"&(?![a-zA-Z]+;|#\d+;)", text) or re.search(r"<(?![/a-zA-Z])", text):
        raise UnexpectedCall(f"unescaped & or < in HTML text: {text}")
