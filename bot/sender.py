"""The one sender: drains the durable outbox at Telegram's pace, never twice, never lost.

Every message to many people (announcements, event notices and reminders, survey
invitations and reminders) is a pending delivery row before anything is sent.
The sender takes the oldest pending rows, renders each in the recipient's
language at send time (bot/notices.py), sends it, and records the outcome:

- 429: wait `retry_after`, send the same message again;
- 403: the member blocked the bot: unreachable, never retried;
- Telegram away (502, 503, no connection, after the request layer's own retries in
  bot/retries.py): nothing reached Telegram, so the delivery stays pending while the
  sender waits (OUTAGE_WAITS, growing) and then sends the same message again;
- a send Telegram may have carried out without confirming it (a timeout, 500, 504):
  not sent again, failed as "unconfirmed" (it may have arrived; never counted as sent);
- any other refusal (a chat that no longer exists…): failed with Telegram's reason.

A delivery is marked sent only with the message Telegram returned.

It sends through its own plain Bot (HTML parse mode given per call), without the
Application's rate limiter and defaults, pacing itself at BROADCAST_RATE:
interactive replies never queue behind a broadcast.
Outcomes are committed while the sender waits for its next slot anyway, so at
Telegram's pace every row is marked before the next message goes out; only when
sending faster than it can wait (benchmarks, a high BROADCAST_RATE) are up to
RECORD_BATCH outcomes, at most RECORD_DELAY old, committed together. A crash can
therefore repeat only the messages of that last moment; after a restart only rows
still pending are sent. Scheduled broadcasts are released
here too, when their time comes (the database is the schedule).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot import replies
from bot.i18n import Translator
from bot.notices import Notice, Rendered, ServiceParts, render
from bot.retries import Unconfirmed
from storage.repositories.broadcasts.outbox import Figures, Outcome, PendingDelivery

log = logging.getLogger(__name__)

IDLE_POLL = 1.0  # seconds between looks at the outbox when nothing is pending
REPORT_EVERY = timedelta(seconds=5)  # the coordinator's status message, at most this often
REPORT_ATTEMPTS = 3  # tries of a coordinator's report through 429s
OUTAGE_WAITS = (5.0, 10.0, 20.0, 40.0, 60.0)  # pauses while Telegram is away, then 60 s each
CAPTION_MAX = 1024
RECORD_BATCH = 256  # outcomes committed together at most…
RECORD_DELAY = 0.05  # …and at most this many seconds after the first of them
RECORD_IN_WAIT = 0.01  # a wait for the next slot at least this long commits what is kept
_TAGS = re.compile(r"<[^>]+>")

Sleep = Callable[[float], Awaitable[None]]


def _seconds(exc: RetryAfter) -> float:
    """How long Telegram asked to wait."""
    wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def visible_length(text: str) -> int:
    """What Telegram counts: the text without tags, entities unescaped."""
    return len(html.unescape(_TAGS.sub("", text)))


class Sender:
    """One per Application: `start()` in post_init, `stop()` in post_shutdown."""

    def __init__(self, services: ServiceParts, bot: Bot, *, rate: float) -> None:
        self.services = services
        self.bot = bot
        # Slots 1/(rate-1) apart, kept on schedule when a send is a little late: no
        # second ever holds more than `rate` sends, yet the small delays of sleeping
        # do not add up (see _pace).
        self.interval = 1.0 / max(rate - 1.0, rate / 2.0)
        self.sleep: Sleep = asyncio.sleep  # tests replace it to move a fake clock
        self.monotonic: Callable[[], float] = time.monotonic
        self._next_slot = 0.0
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._stop_requested = asyncio.Event()
        self._reported: dict[int, datetime] = {}
        self._outcomes: list[Outcome] = []
        self._oldest_outcome = 0.0
        self._recording: asyncio.Task[None] | None = None
        self.last_progress: datetime | None = None  # when a delivery was last handled
        self._bot_ready = False

    # --- lifecycle -------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._stopping = False
            self._stop_requested.clear()
            self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        """Finish the message in flight and record it; pending rows wait for the next start."""
        self._stopping = True
        self._stop_requested.set()
        self._wake.set()
        task, self._task = self._task, None
        if task is not None:
            await task

    @property
    def state(self) -> str:
        """`stopped` (not started, or ended), `sending` (a batch in hand) or `idle`."""
        if self._task is None or self._task.done():
            return "stopped"
        return "sending" if self._lock.locked() else "idle"

    def wake(self) -> None:
        """Something was queued: look now instead of at the next idle poll."""
        self._wake.set()

    async def _run(self) -> None:
        while not self._stopping:
            try:
                handled = await self.drain_once()
            except Exception:
                log.exception("the outbox sender failed; trying again shortly")
                handled = 0
            if handled or self._stopping:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=IDLE_POLL)

    # --- draining --------------------------------------------------------------

    async def drain_once(self, limit: int = 500) -> int:
        """Release due scheduled broadcasts, then send one batch; the deliveries handled."""
        outbox = self.services.repos.outbox
        async with self._lock:
            due = await outbox.next_scheduled()
            if due is not None and due <= self.services.clock():
                await outbox.release_due(self.services.clock())
            batch = await outbox.pending_batch(limit)
            if batch and not self._bot_ready:  # here, not at start-up, which never waits for it
                await self.bot.initialize()
                self._bot_ready = True
            try:
                for delivery in batch:
                    if self._stopping:
                        break
                    outcome = await self._deliver(delivery)
                    if outcome is None:  # stopping while Telegram was away: stays pending
                        break
                    self._keep(outcome)
                    if self._reported_due(delivery.broadcast_id):
                        await self._flush()
                        await self._report(delivery.broadcast_id)
            finally:
                await self._flush()
            for broadcast_id in await outbox.finish_completed(self.services.clock()):
                await self._report(broadcast_id, final=True)
            return len(batch)

    async def drain(self) -> int:
        """Send everything pending now (tests and the benchmark); the deliveries handled."""
        total = 0
        while handled := await self.drain_once():
            total += handled
        return total

    def _keep(self, outcome: Outcome) -> None:
        self.last_progress = self.services.clock()
        if not self._outcomes:
            self._oldest_outcome = self.monotonic()
        self._outcomes.append(outcome)

    async def _flush(self, *, wait: bool = True) -> None:
        """Commit the outcomes kept so far in one transaction.

        Without `wait` the commit runs while the next message is sent (one commit
        in flight at a time); `drain_once` always ends with everything committed.
        """
        if self._recording is not None:
            recording, self._recording = self._recording, None
            await recording
        outcomes, self._outcomes = self._outcomes, []
        if not outcomes:
            return
        recording = asyncio.create_task(
            self.services.repos.outbox.record(outcomes, self.services.clock())
        )
        if wait:
            await recording
        else:
            self._recording = recording

    async def _pace(self) -> None:
        """Wait for the next slot of the rate; commit outcomes meanwhile when there is time."""
        now = self.monotonic()
        if self._outcomes and (
            self._next_slot - now >= RECORD_IN_WAIT
            or len(self._outcomes) >= RECORD_BATCH
            or now - self._oldest_outcome >= RECORD_DELAY
        ):
            await self._flush(wait=self._next_slot - now >= RECORD_IN_WAIT)
            now = self.monotonic()
        if self._next_slot > now:
            await self.sleep(self._next_slot - now)
            now = self.monotonic()
        late = now - self._next_slot
        self._next_slot = (self._next_slot if late < self.interval else now) + self.interval

    async def _pause(self, seconds: float) -> None:
        """Wait while Telegram is away, but not past a stop."""
        sleeping = asyncio.ensure_future(self.sleep(seconds))
        stopping = asyncio.ensure_future(self._stop_requested.wait())
        await asyncio.wait({sleeping, stopping}, return_when=asyncio.FIRST_COMPLETED)
        for task in (sleeping, stopping):
            task.cancel()

    async def _deliver(self, delivery: PendingDelivery) -> Outcome | None:
        """Send one delivery; its outcome, or None when stopping left it pending."""
        i18n = self.services.i18n
        notice = Notice(
            broadcast_id=delivery.broadcast_id,
            kind=delivery.kind,
            text=delivery.text,
            event_id=delivery.event_id,
            survey_id=delivery.survey_id,
            member_id=delivery.member_id,
            chat_id=delivery.chat_id,
            t=i18n.get(i18n.resolve(delivery.language, None)),
            services=self.services,
            time_zone=delivery.time_zone,
        )
        try:
            rendered = await render(notice)
        except Exception as exc:
            log.exception("could not render delivery %s (%s)", delivery.id, delivery.kind)
            return Outcome(delivery.id, "failed", error=f"render: {type(exc).__name__}")
        if rendered is None:
            return Outcome(delivery.id, "skipped", error="no longer applies")
        outages = 0
        while True:
            await self._pace()
            try:
                message_id = await self._send(delivery, rendered)
            except RetryAfter as exc:
                log.warning("Telegram asked to slow down: waiting %.0f s", _seconds(exc))
                await self.sleep(_seconds(exc))
                continue
            except Forbidden as exc:
                if delivery.member_id is not None:
                    await self.services.repos.members.mark_unreachable(
                        delivery.chat_id, self.services.clock()
                    )
                return Outcome(delivery.id, "unreachable", error=exc.message)
            except BadRequest as exc:
                return Outcome(delivery.id, "failed", error=exc.message)
            except Unconfirmed as exc:
                return Outcome(delivery.id, "failed", error=f"unconfirmed: {exc.message}")
            except NetworkError:
                if self._stopping:
                    return None
                pause = OUTAGE_WAITS[min(outages, len(OUTAGE_WAITS) - 1)]
                outages += 1
                log.warning(
                    "Telegram is unreachable; the outbox waits %.0f s and tries again "
                    "(nothing is lost: the delivery stays pending)",
                    pause,
                )
                await self._flush()
                await self._pause(pause)
                if self._stopping:
                    return None
                continue
            except TelegramError as exc:
                return Outcome(delivery.id, "failed", error=exc.message)
            return Outcome(delivery.id, "sent", telegram_message_id=message_id)

    async def _send(self, delivery: PendingDelivery, rendered: Rendered) -> int:
        """Send the delivery; the id of the message Telegram returned. A plain text (most
        deliveries) is sent without building a Message from Telegram's answer."""
        chat_id, thread = delivery.chat_id, delivery.message_thread_id
        if rendered.poll is None and delivery.media_kind is None and rendered.on_sent is None:
            return await replies.send_text(
                self.bot,
                chat_id,
                rendered.text,
                rendered.reply_markup,
                parse_mode=ParseMode.HTML,
                message_thread_id=thread,
            )
        message = await self._send_message(delivery, rendered)
        if rendered.on_sent is not None:
            await rendered.on_sent(message)
        return message.message_id

    async def _send_message(self, delivery: PendingDelivery, rendered: Rendered) -> Message:
        chat_id, thread = delivery.chat_id, delivery.message_thread_id
        if rendered.poll is not None:
            return await self.bot.send_poll(
                chat_id,
                rendered.poll.question,
                list(rendered.poll.options),
                is_anonymous=False,
                message_thread_id=thread,
            )
        if delivery.media_kind is None or delivery.media_file_id is None:
            return await self.bot.send_message(
                chat_id,
                rendered.text,
                parse_mode=ParseMode.HTML,
                reply_markup=rendered.reply_markup,
                message_thread_id=thread,
            )
        send_media = (
            self.bot.send_photo if delivery.media_kind == "photo" else self.bot.send_document
        )
        if visible_length(rendered.text) <= CAPTION_MAX:
            return await send_media(
                chat_id,
                delivery.media_file_id,
                caption=rendered.text,
                parse_mode=ParseMode.HTML,
                reply_markup=rendered.reply_markup,
                message_thread_id=thread,
            )
        await send_media(chat_id, delivery.media_file_id, message_thread_id=thread)
        return await self.bot.send_message(
            chat_id,
            rendered.text,
            parse_mode=ParseMode.HTML,
            reply_markup=rendered.reply_markup,
            message_thread_id=thread,
        )

    # --- the coordinator's live report -------------------------------------------

    def _reported_due(self, broadcast_id: int) -> bool:
        last = self._reported.get(broadcast_id)
        return last is None or self.services.clock() - last >= REPORT_EVERY

    async def _report(self, broadcast_id: int, *, final: bool = False) -> None:
        """Edit the coordinator's status message in place (or send it when there is none).

        A 429 is waited out like a delivery's and the report sent again (at most
        REPORT_ATTEMPTS times: the final figures must arrive); a coordinator who blocked
        the bot is marked unreachable; any other refusal is logged, and the next report
        replaces this one. The broadcast goes on whatever happens here.
        """
        self._reported[broadcast_id] = self.services.clock()
        if final:
            self._reported.pop(broadcast_id, None)
        figures = await self.services.repos.outbox.figures(broadcast_id)
        if figures is None or figures.report_chat_id is None:
            return
        t = await self._translator_of(figures.created_by)
        text = report_text(t, figures, final=final)
        for _attempt in range(REPORT_ATTEMPTS):
            try:
                await self._show_report(figures, text)
                return
            except RetryAfter as exc:
                log.warning("Telegram asked to slow down: waiting %.0f s", _seconds(exc))
                await self.sleep(_seconds(exc))
            except Forbidden:
                log.info("the coordinator of broadcast %s blocked the bot", broadcast_id)
                await self.services.repos.members.mark_unreachable(
                    figures.report_chat_id, self.services.clock()
                )
                return
            except TelegramError as exc:
                log.warning("could not update the report of broadcast %s: %s", broadcast_id, exc)
                return

    async def _show_report(self, figures: Figures, text: str) -> None:
        assert figures.report_chat_id is not None
        if figures.report_message_id is None:
            message = await self.bot.send_message(
                figures.report_chat_id, text, parse_mode=ParseMode.HTML
            )
            await self.services.repos.outbox.set_report_message(
                figures.broadcast_id, message.message_id
            )
            return
        await self.bot.edit_message_text(
            text,
            chat_id=figures.report_chat_id,
            message_id=figures.report_message_id,
            parse_mode=ParseMode.HTML,
        )

    async def _translator_of(self, member_id: int | None) -> Translator:
        i18n = self.services.i18n
        member = await self.services.repos.members.by_id(member_id) if member_id else None
        return i18n.get(i18n.resolve(member.language if member else None, None))


def report_text(t: Translator, figures: Figures, *, final: bool) -> str:
    """The status of a broadcast as its coordinator sees it."""
    counts = t(
        "✅ Sent: {sent}\n⏳ Pending: {pending}\n🚫 Unreachable (blocked the bot): {unreachable}\n"
        "⚠️ Failed: {failed}",
        sent=figures.sent,
        pending=figures.pending,
        unreachable=figures.unreachable,
        failed=figures.failed,
    )
    if final:
        head = t._n(
            "📣 <b>Broadcast #{number} finished</b>: {count} recipient.",
            "📣 <b>Broadcast #{number} finished</b>: {count} recipients.",
            figures.recipients,
            number=figures.number,
        )
    else:
        head = t._n(
            "📣 <b>Broadcast #{number} is being sent</b> to {count} recipient…",
            "📣 <b>Broadcast #{number} is being sent</b> to {count} recipients…",
            figures.recipients,
            number=figures.number,
        )
    return f"{head}\n\n{counts}"
