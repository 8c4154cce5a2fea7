"""/broadcasts: the latest announcements with their figures, the deliveries that did not
arrive as CSV, and cancelling one that is scheduled.

Unscoped coordinators and admins manage every broadcast; coordinators limited to some
axes manage their own.
"""

from __future__ import annotations

import csv
import html
import io
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.auth import allowed, coordinator_scope, refuse
from bot.context import Ctx
from handlers.core import confirm
from handlers.core.forms import chat_of
from storage.repositories.broadcasts.outbox import Figures

LIST_PAGE = 5


def _strip(text: str, limit: int = 70) -> str:
    plain = html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\n", " ").strip()
    return plain if len(plain) <= limit else plain[: limit - 1] + "…"


async def _managed(update: Update, context: Ctx) -> Figures | None:
    """The broadcast a list button names, when it still exists and this person may manage it:
    unscoped coordinators and admins manage every broadcast, scoped ones their own.

    Buttons name an announcement by its number (`bl:nx:3`); buttons sent before announcements
    had their own numbers name its outbox id (`bl:x:57`) and still work."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return None
    _prefix, action, value = query.data.split(":")
    outbox = context.services.repos.outbox
    by_number = action in ("nx", "ncsv")
    broadcast_id = await outbox.announcement_id(int(value)) if by_number else int(value)
    figures = await outbox.figures(broadcast_id) if broadcast_id is not None else None
    if figures is None or figures.kind != "announcement":
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return None
    created_by = figures.created_by
    if not await coordinator_scope(context) or (context.member and context.member.id == created_by):
        return figures
    await refuse(update, context, "coordinator", -1)
    return None


async def list_broadcasts(update: Update, context: Ctx) -> None:
    """/broadcasts: the latest announcements with their figures, newest first, paged."""
    if not await allowed(update, context, "coordinator"):
        return
    query = update.callback_query
    offset = 0
    if query is not None and query.data is not None:
        offset = max(0, int(query.data.split(":")[2]))
        await query.answer()
    _ = context.t
    outbox = context.services.repos.outbox
    total = await outbox.count_announcements()
    items = await outbox.recent(LIST_PAGE, offset)
    reader = context.reader
    if not items:
        text = _("No announcements yet. /broadcast sends the first one.")
        await context.bot.send_message(chat_of(update), text)
        return
    blocks = [_("📣 <b>Announcements</b>")]
    rows: list[list[InlineKeyboardButton]] = []
    for f in items:
        if f.status == "scheduled" and f.scheduled_for is not None:
            state = _(
                "🕒 scheduled for {when}",
                when=reader.show_short(f.scheduled_for),
            )
            rows.append(
                [
                    InlineKeyboardButton(
                        _.label("✖ Cancel #{number}", number=f.number),
                        callback_data=callbacks.pack("bl", "nx", f.number),
                    )
                ]
            )
        elif f.status == "cancelled":
            state = _("✖ cancelled")
        else:
            state = _(
                "✅ {sent} sent · ⏳ {pending} pending · 🚫 {unreachable} unreachable · "
                "⚠️ {failed} failed",
                sent=f.sent,
                pending=f.pending,
                unreachable=f.unreachable,
                failed=f.failed,
            )
            if f.unreachable or f.failed:
                rows.append(
                    [
                        InlineKeyboardButton(
                            _.label("📄 Not delivered #{number} (CSV)", number=f.number),
                            callback_data=callbacks.pack("bl", "ncsv", f.number),
                        )
                    ]
                )
        when = reader.show_short(f.created_at)
        blocks.append(
            _(
                "<b>#{number}</b> · {when}\n{state}\n<i>{excerpt}</i>",
                number=f.number,
                when=when,
                state=state,
                excerpt=_strip(f.text),
            )
        )
    paging = []
    if offset > 0:
        paging.append(
            InlineKeyboardButton(
                _.label("◀ Newer"),
                callback_data=callbacks.pack("bl", "p", max(0, offset - LIST_PAGE)),
            )
        )
    if offset + LIST_PAGE < total:
        paging.append(
            InlineKeyboardButton(
                _.label("Older ▶"), callback_data=callbacks.pack("bl", "p", offset + LIST_PAGE)
            )
        )
    if paging:
        rows.append(paging)
    markup = InlineKeyboardMarkup(rows) if rows else None
    text = "\n\n".join(blocks)
    if query is not None and query.message is not None:
        await query.edit_message_text(text, reply_markup=markup)
    else:
        await context.bot.send_message(chat_of(update), text, reply_markup=markup)


async def problems_csv(update: Update, context: Ctx) -> None:
    """The deliveries that did not arrive, as CSV: name, organization, status, reason."""
    figures = await _managed(update, context)
    if figures is None:
        return
    broadcast_id = figures.broadcast_id
    assert update.callback_query is not None
    await update.callback_query.answer()
    _ = context.t
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "organization", "status", "reason"])
    for p in await context.services.repos.outbox.problems(broadcast_id):
        writer.writerow([p.full_name or "", p.organization or "", p.status, p.reason or ""])
    data = buffer.getvalue().encode("utf-8-sig")
    await context.bot.send_document(
        chat_of(update),
        InputFile(io.BytesIO(data), filename=f"broadcast-{figures.number}-not-delivered.csv"),
        caption=_("Broadcast #{number}: deliveries that did not arrive.", number=figures.number),
    )


async def cancel_scheduled(update: Update, context: Ctx) -> None:
    """✖ Cancel #n on the list: a scheduled broadcast that has not gone out yet never will."""
    query = update.callback_query
    assert query is not None
    figures = await _managed(update, context)
    if figures is None:
        return
    broadcast_id = figures.broadcast_id
    outbox = context.services.repos.outbox
    _ = context.t
    now = context.now()
    if not await outbox.cancel_scheduled(broadcast_id, now):
        current = await outbox.figures(broadcast_id)
        reason = (
            _.label("It is already cancelled.")
            if current is not None and current.status == "cancelled"
            else _.label("It has already gone out; it cannot be cancelled.")
        )
        await confirm.already_done(update, context, reason)
        return
    member = context.member
    await context.services.repos.audit.record(
        now, member.id if member else None, "broadcast.cancel", "broadcast", broadcast_id
    )
    await query.answer(_.label("Cancelled."))
    await query.edit_message_reply_markup(None)  # the list's cancel buttons are stale now
    await context.bot.send_message(
        chat_of(update),
        _("✖ Broadcast #{number} is cancelled; nobody will get it.", number=figures.number),
    )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("broadcasts", list_broadcasts, filters=private),
        CallbackQueryHandler(list_broadcasts, callbacks.pattern("bl", "p", r"(\d+)")),
        CallbackQueryHandler(problems_csv, callbacks.pattern("bl", "(ncsv|csv)", r"(\d+)")),
        CallbackQueryHandler(cancel_scheduled, callbacks.pattern("bl", "(nx|x)", r"(\d+)")),
    ]
