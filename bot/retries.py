"""One retry policy for every Bot API call, in the request path all of the bot's calls share.

Telegram's Bot API answers now and then with 5xx errors or not at all, more often
under load and during incidents. `ResilientRequest` wraps the HTTP client (or the
offline fake in tests), so every call of the Application's bot, of the outbox
sender's bot and of the polling loop goes through the same rules:

- An attempt that certainly never reached Telegram (the connection could not be
  made, 502 Bad Gateway, 503) is repeated for any method.
- An attempt that may have been carried out (a timeout after the request went out,
  a connection lost mid-way, 500, 504) is repeated only for calls whose repetition
  changes nothing: answers to button taps, edits, deletions, menus, getters. A call
  that creates something (`send*`, `copy*`, `forward*`, `create*`) is *not* sent
  again: the message may have arrived, and a second copy is worse than telling the
  person (the caller gets `Unconfirmed`).
- Repeats wait DELAYS (0.5 s, 1 s, 2 s, each ±20 % jitter), then the call gives up.
  `getUpdates` and `getMe` never give up: there is nothing better to do than to
  wait for Telegram, at most PATIENT_CAP between tries.
- Configuration calls (command menus, descriptions, the webhook) never fail on a
  transient error: they are answered as accepted and carried out in the background
  until Telegram takes them; a newer call for the same menu supersedes an older one.
- Telegram refuses an edit that changes nothing ("message is not modified"): the
  message already shows it, so the edit counts as done. After an attempt that may
  have been carried out, "query is too old" (a tap already answered) and "message
  to delete not found" count as done too.

429 (RetryAfter) is left to PTB's AIORateLimiter and to the outbox sender, which wait
`retry_after`; this layer only handles what they do not, so the two never multiply.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

import httpx
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Patience = Literal["quick", "patient", "handoff"]

DELAYS = (0.5, 1.0, 2.0)  # waits before the 2nd, 3rd and 4th attempt; then the call gives up
JITTER = 0.2  # each wait is stretched or shrunk by up to this share, so retries do not bunch
PATIENT_CAP = 30.0  # the longest wait between two tries of getUpdates, getMe, configuration
CONFIGURATION = frozenset(
    {
        "setMyCommands",
        "deleteMyCommands",
        "setMyDescription",
        "setMyShortDescription",
        "setMyName",
        "setChatMenuButton",
        "setMyDefaultAdministratorRights",
        "setWebhook",
        "deleteWebhook",
    }
)
PATIENT = frozenset({"getUpdates", "getMe"})
_CREATING = ("send", "copy", "forward", "create", "upload")
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteTimeout)
_DONE = (200, b'{"ok":true,"result":true}')
TOKEN_REFUSED = "Telegram refused the token (401 Unauthorized): check TELEGRAM_BOT_TOKEN."  # noqa: S105
CONFLICT = (
    "Another instance of this bot is polling with the same token (409 Conflict): "
    "stop the other one first."
)
# Refusals that mean "this was done already", once an earlier attempt may have done it.
_ALREADY_DONE = {
    "answerCallbackQuery": ("query is too old", "query id is invalid"),
    "deleteMessage": ("message to delete not found",),
    "approveChatJoinRequest": ("hide_requester_missing", "user_already_participant"),
    "declineChatJoinRequest": ("hide_requester_missing",),
}


class Unconfirmed(TimedOut):
    """A call that creates something may have reached Telegram, which did not confirm it.

    It is not sent again (nobody gets a message twice); callers treat it as "may have
    arrived": the error handler tells the person, the outbox sender marks the delivery
    failed with this reason instead of sent.
    """


def is_transient(error: BaseException) -> bool:
    """A failure of Telegram or of the network (left after the retries), not a refusal."""
    if isinstance(error, ReplyLost):
        return True
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


class ReplyLost(Exception):
    """A form step's reply did not get through after the retries; the form was moved to
    where its stored answers stand (handlers/core/forms.py), so /start continues it."""

    def __init__(self, error: TelegramError) -> None:
        super().__init__(error.message)
        self.error = error


def repeatable(method: str) -> bool:
    """Whether doing the call twice has the effect of doing it once."""
    return method == "sendChatAction" or not method.startswith(_CREATING)


@dataclass
class _Failure:
    reason: str  # for the log: no URL (it holds the token), no personal data
    maybe_done: bool  # Telegram may have carried the call out
    error: NetworkError | None = None  # raised by the HTTP client…
    answer: tuple[int, bytes] | None = None  # …or Telegram's 5xx answer


class ResilientRequest(BaseRequest):
    """Wraps any `BaseRequest` (HTTPXRequest, the tests' fake) with the policy above."""

    def __init__(
        self,
        inner: BaseRequest,
        *,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.inner = inner
        self.sleep = sleep
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        # Called once with one line when Telegram says the bot cannot go on: an invalid
        # token (401), or another instance polling with the same token (409).
        self.on_fatal: Callable[[str], None] | None = None
        self._winding_down = False
        self._background: dict[tuple[str, ...], asyncio.Task[None]] = {}

    # --- BaseRequest -------------------------------------------------------------

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        self._winding_down = False
        await self.inner.initialize()

    async def shutdown(self) -> None:
        """Stop what is still being tried in the background; the next start tries it again."""
        self.wind_down()
        tasks, self._background = list(self._background.values()), {}
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
            log.warning(
                "%d configuration call(s) had not reached Telegram at shutdown; "
                "they are made again at the next start",
                len(tasks),
            )
        await self.inner.shutdown()

    def wind_down(self) -> None:
        """The bot is stopping: getUpdates and getMe give up like any call (no endless wait)."""
        self._winding_down = True

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1] if method == "POST" else "download"
        timeouts = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        patience: Patience = "quick"
        if api_method in CONFIGURATION:
            patience = "handoff"
            self._supersede(_config_key(api_method, request_data))
        elif api_method in PATIENT and not self._winding_down:
            patience = "patient"
        return await self._call(url, method, api_method, request_data, timeouts, patience)

    # --- the policy ----------------------------------------------------------------

    async def _call(
        self,
        url: str,
        method: str,
        api_method: str,
        request_data: RequestData | None,
        timeouts: tuple[Any, Any, Any, Any],
        patience: Patience,
    ) -> tuple[int, bytes]:
        maybe_done = False  # an earlier attempt may have been carried out
        attempt = 0
        while True:
            failure = await self._attempt(url, method, request_data, timeouts)
            if isinstance(failure, tuple):
                if attempt and patience == "patient" and attempt > len(DELAYS):
                    log.warning("Bot API %s: Telegram answers again", api_method)
                return self._settle(api_method, failure, maybe_done)
            if failure.maybe_done and not repeatable(api_method):
                log.warning(
                    "Bot API %s: %s; not sent again, since it may have arrived",
                    api_method,
                    failure.reason,
                )
                raise Unconfirmed(
                    f"Telegram did not confirm {api_method} ({failure.reason}); it may have arrived"
                ) from failure.error
            maybe_done = maybe_done or failure.maybe_done
            if patience == "handoff":
                self._hand_off(url, method, api_method, request_data, timeouts, failure.reason)
                return _DONE
            delay = self._delay(attempt, patient=patience == "patient")
            if delay is None:
                log.warning(
                    "Bot API %s: %s; gave up after %d attempts",
                    api_method,
                    failure.reason,
                    attempt + 1,
                )
                if failure.answer is not None:
                    return failure.answer  # PTB turns Telegram's answer into NetworkError
                assert failure.error is not None
                raise failure.error
            loud = patience == "patient" and attempt >= len(DELAYS)
            log.log(
                logging.WARNING if loud else logging.INFO,
                "Bot API %s: %s; trying again in %.1f s (retry %d)",
                api_method,
                failure.reason,
                delay,
                attempt + 1,
            )
            await self.sleep(delay)
            attempt += 1

    async def _attempt(
        self,
        url: str,
        method: str,
        request_data: RequestData | None,
        timeouts: tuple[Any, Any, Any, Any],
    ) -> tuple[int, bytes] | _Failure:
        """One try: Telegram's answer below 500, or what went wrong."""
        read, write, connect, pool = timeouts
        try:
            code, payload = await self.inner.do_request(
                url,
                method,
                request_data=request_data,
                read_timeout=read,
                write_timeout=write,
                connect_timeout=connect,
                pool_timeout=pool,
            )
        except NetworkError as error:  # timeouts included; anything else is not ours to retry
            cause = error.__cause__
            never_sent = isinstance(cause, _NOT_SENT)
            kind = type(cause).__name__ if cause is not None else type(error).__name__
            verb = "timed out" if isinstance(error, TimedOut) else "connection failed"
            return _Failure(f"{verb} ({kind})", maybe_done=not never_sent, error=error)
        if code < 500:
            return code, payload
        # 502 and 503: the front end had no back end to hand the call to. 500 and 504
        # (a gateway's timeout) may come after the back end carried the call out.
        return _Failure(
            _status_reason(code, payload), maybe_done=code not in (502, 503), answer=(code, payload)
        )

    def _settle(
        self, api_method: str, answer: tuple[int, bytes], maybe_done: bool
    ) -> tuple[int, bytes]:
        """Telegram answered: refusals that mean "already so" become success."""
        code, payload = answer
        if code == 400:
            text = _description(payload).lower()
            if api_method.startswith("edit") and "message is not modified" in text:
                return _DONE
            if maybe_done and any(s in text for s in _ALREADY_DONE.get(api_method, ())):
                return _DONE
        elif code == 401 and api_method != "download":
            self._fatal(TOKEN_REFUSED)
        elif code == 409 and api_method == "getUpdates" and "webhook" not in _description(payload):
            self._fatal(CONFLICT)
        return answer

    def _delay(self, attempt: int, *, patient: bool) -> float | None:
        if patient:
            nominal = min(PATIENT_CAP, DELAYS[0] * 2.0**attempt)
        elif attempt < len(DELAYS):
            nominal = DELAYS[attempt]
        else:
            return None
        return nominal * self.rng.uniform(1.0 - JITTER, 1.0 + JITTER)

    def _fatal(self, line: str) -> None:
        callback, self.on_fatal = self.on_fatal, None
        if callback is not None:
            callback(line)

    # --- configuration in the background ------------------------------------------------

    def _supersede(self, key: tuple[str, ...]) -> None:
        """A newer call for the same menu (or webhook) replaces one still being tried."""
        task = self._background.pop(key, None)
        if task is not None:
            task.cancel()

    def _hand_off(
        self,
        url: str,
        method: str,
        api_method: str,
        request_data: RequestData | None,
        timeouts: tuple[Any, Any, Any, Any],
        reason: str,
    ) -> None:
        log.warning(
            "Bot API %s: %s; the bot goes on and keeps trying it in the background",
            api_method,
            reason,
        )
        key = _config_key(api_method, request_data)

        async def keep_trying() -> None:
            try:
                await self.sleep(self._delay(0, patient=True) or DELAYS[0])
                code, payload = await self._call(
                    url, method, api_method, request_data, timeouts, "patient"
                )
                if code == 200:
                    log.info("Bot API %s: done in the background", api_method)
                else:
                    log.warning(
                        "Bot API %s: Telegram refused it (%s)",
                        api_method,
                        _status_reason(code, payload),
                    )
            except Exception:  # a task nobody awaits: its failure must at least be seen
                log.exception("Bot API %s: the background attempts failed", api_method)
            finally:
                if self._background.get(key) is asyncio.current_task():
                    del self._background[key]

        self._background[key] = asyncio.create_task(keep_trying(), name=f"bot-api-{api_method}")


def _description(payload: bytes) -> str:
    try:
        return str(json.loads(payload).get("description") or "")
    except (ValueError, AttributeError):
        return ""


def _status_reason(code: int, payload: bytes) -> str:
    description = _description(payload)
    return f"{code} {description}" if description else f"HTTP {code}"


def _config_key(api_method: str, request_data: RequestData | None) -> tuple[str, ...]:
    """Which setting a configuration call changes: its scope and language, or the webhook."""
    params = request_data.parameters if request_data else {}
    if api_method in ("setWebhook", "deleteWebhook"):
        return ("webhook",)
    family = api_method.removeprefix("set").removeprefix("delete")
    scope = json.dumps(params.get("scope"), sort_keys=True, default=str)
    chat = str(params.get("chat_id", ""))
    return (family, scope, chat, str(params.get("language_code", "")))
