"""Coordinators' announcements: /broadcast (compose, audience, preview, send or schedule)
and /broadcasts (figures, failed deliveries as CSV, cancelling a scheduled one).

The draft lives in the coordinator's user data (persisted in SQLite), so a restart
mid-way loses nothing. Authorization is checked again at every step that acts,
against the audience chosen: a coordinator limited to some axes may address only
the members of those axes.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import re
import warnings
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import callbacks
from bot.auth import allowed, coordinator_scope, may_address, refuse
from bot.context import Ctx
from bot.labels import SECTOR_NAMES, axis_name, sector_name
from bot.sender import visible_length
from bot.when import WhenProblem, parse_local, show, show_short
from handlers.core import forms, menu
from handlers.shared.audience import describe, picker_label
from storage.audience import Audience, count

COMPOSE, AUDIENCE, PICK, PREVIEW, WHEN = (
    "bc_compose",
    "bc_audience",
    "bc_pick",
    "bc_preview",
    "bc_when",
)
ORGS_PER_PAGE = 8
LIST_PAGE = 5
TEXT_MAX = 4096  # the stored HTML, as Telegram's message limit
ALL_SECTORS = tuple(SECTOR_NAMES)


_HREF = re.compile(r'href="([^"]*)"')
_BARE_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)")


def _safe_html(text: str) -> str:
    """PTB's text_html leaves `&` of link addresses bare; Telegram wants it as `&amp;`."""
    return _HREF.sub(lambda m: 'href="' + _BARE_AMPERSAND.sub("&amp;", m.group(1)) + '"', text)


def _draft(context: Ctx) -> dict[str, Any]:
    assert context.user_data is not None
    draft: dict[str, Any] = context.user_data.setdefault("bc", {})
    return draft


def _button(label: str, *parts: str | int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.pack("bc", *parts))


def _chat_id(update: Update) -> int:
    assert update.effective_chat is not None
    return update.effective_chat.id


# --- composing ---------------------------------------------------------------------


async def start(update: Update, context: Ctx) -> str | int:
    """/broadcast: ask for the message."""
    if not await allowed(update, context, "coordinator"):
        return ConversationHandler.END
    assert context.user_data is not None
    context.user_data["bc"] = {}
    _ = context.t
    await context.bot.send_message(
        _chat_id(update),
        _(
            "📣 <b>New announcement</b>\n\nSend me the message exactly as members should read "
            "it: text with bold, italics and links, or a photo or a document with a caption.\n\n"
            "/cancel stops without sending anything."
        ),
    )
    return COMPOSE


async def composed(update: Update, context: Ctx) -> str:
    """The message: text, or a photo or document with its caption, formatting kept as HTML."""
    message = update.effective_message
    assert message is not None
    _ = context.t
    draft = _draft(context)
    if message.photo:
        draft.update(media_kind="photo", media=message.photo[-1].file_id)
        text = message.caption_html
    elif message.document:
        draft.update(media_kind="document", media=message.document.file_id)
        text = message.caption_html
    else:
        draft.update(media_kind=None, media=None)
        text = message.text_html
    if not text or not text.strip():
        await message.reply_text(
            _("Please add a caption: members should know what the file is about.")
        )
        return COMPOSE
    if len(text) > TEXT_MAX:
        await message.reply_text(
            _(
                "That is too long: at most {maximum} characters including formatting "
                "(yours has {count}). Please shorten it.",
                maximum=TEXT_MAX,
                count=len(text),
            )
        )
        return COMPOSE
    draft["text"] = _safe_html(text)
    return await _ask_audience(update, context)


async def wrong_kind(update: Update, context: Ctx) -> str:
    """A sticker, voice note, location… where the announcement is expected."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(
        context.t("Send the announcement as text, a photo or a document. /cancel to stop.")
    )
    return COMPOSE


# --- the audience ------------------------------------------------------------------


async def _ask_audience(update: Update, context: Ctx) -> str:
    _ = context.t
    scoped = bool(await coordinator_scope(context))
    rows = [[_button(_.label("🎯 Members of axes"), "a", "axes")]]
    rows.append([_button(_.label("👥 A working group"), "a", "working_group")])
    rows.append([_button(_.label("📅 Who answered an event"), "a", "event")])
    if not scoped:
        rows.insert(0, [_button(_.label("🌐 Every member"), "a", "everyone")])
        rows.append([_button(_.label("🏢 Organizations"), "a", "organizations")])
        rows.append([_button(_.label("🏭 Sectors"), "a", "sectors")])
        rows.append([_button(_.label("📝 Who has not finished a survey"), "a", "survey")])
    rows.append([_button(_.label("✖ Cancel"), "x")])
    await context.bot.send_message(
        _chat_id(update),
        _("👥 <b>Who should receive it?</b>"),
        reply_markup=InlineKeyboardMarkup(rows),
    )
    return AUDIENCE


async def chose_audience(update: Update, context: Ctx) -> str | int | None:
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return ConversationHandler.END
    kind = query.data.split(":")[2]
    draft = _draft(context)
    draft.update(kind=kind, ids=[], sectors=[], page=0)
    if kind == "everyone":
        return await _chosen(update, context, Audience(kind="everyone"))
    await query.answer()
    return await _show_picker(update, context)


async def _picker(context: Ctx) -> tuple[str, list[list[InlineKeyboardButton]]]:
    """The text and buttons of the current picker, with the choices so far ticked."""
    _ = context.t
    draft = _draft(context)
    kind, chosen = draft["kind"], set(draft.get("ids", []))
    repos, scope = context.services.repos, await coordinator_scope(context)
    rows: list[list[InlineKeyboardButton]] = []
    tick = "✓ "
    if kind == "axes":
        text = _("🎯 Tap the axes whose members should receive it, then Continue.")
        for axis in await repos.reference.axes():
            if not scope or axis.id in scope:
                label = (tick if axis.id in chosen else "") + axis_name(_, axis.code)
                rows.append([_button(label, "t", axis.id)])
    elif kind == "sectors":
        text = _("🏭 Tap the sectors, then Continue.")
        picked = set(draft.get("sectors", []))
        for index, code in enumerate(ALL_SECTORS):
            label = (tick if code in picked else "") + sector_name(_, code)
            rows.append([_button(label, "t", index)])
    elif kind == "organizations":
        text = _("🏢 Tap the organizations, then Continue.")
        page = int(draft.get("page", 0))
        total = await repos.reference.organization_count()
        for org in await repos.reference.organizations_page(page * ORGS_PER_PAGE, ORGS_PER_PAGE):
            rows.append([_button((tick if org.id in chosen else "") + org.name, "t", org.id)])
        paging = []
        if page > 0:
            paging.append(_button(_.label("◀ Previous"), "p", page - 1))
        if (page + 1) * ORGS_PER_PAGE < total:
            paging.append(_button(_.label("Next ▶"), "p", page + 1))
        if paging:
            rows.append(paging)
    else:
        text, targets = await _single_choice(context, kind, scope)
        tz = context.services.settings.tz
        rows = [
            [_button(picker_label(_, t, tz) if t.starts_at else t.name[:60], "o", t.id)]
            for t in targets
        ]
        rows.append([_button(_.label("◀ Back"), "back")])
        return text, rows
    rows.append([_button(_.label("◀ Back"), "back"), _button(_.label("Continue ▶️"), "go")])
    return text, rows


async def _single_choice(context: Ctx, kind: str, scope: frozenset[int]) -> tuple[str, list[Any]]:
    _ = context.t
    targets = context.services.repos.targets
    if kind == "working_group":
        found = await targets.working_groups(scope)
        text = _("👥 Which working group?") if found else _("There are no working groups yet.")
    elif kind == "event":
        found = await targets.events(context.now(), scope)
        text = (
            _("📅 Which event? Its answers choose the audience.")
            if found
            else _("There are no published events from the last 30 days or coming up.")
        )
    else:
        found = await targets.open_surveys()
        text = _("📝 Which survey?") if found else _("There are no open surveys.")
    return text, found


async def _show_picker(update: Update, context: Ctx) -> str:
    text, rows = await _picker(context)
    query = update.callback_query
    if query is not None and query.message is not None:
        await query.edit_message_text(text, reply_markup=InlineKeyboardMarkup(rows))
    else:
        await context.bot.send_message(
            _chat_id(update), text, reply_markup=InlineKeyboardMarkup(rows)
        )
    return PICK


async def toggled(update: Update, context: Ctx) -> str | int:
    """A tap on an axis, organization or sector: tick or untick it."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return ConversationHandler.END
    draft = _draft(context)
    value = int(query.data.split(":")[2])
    if draft.get("kind") == "sectors":
        if not 0 <= value < len(ALL_SECTORS):
            return await _expired(update, context)
        sectors = set(draft.get("sectors", [])) ^ {ALL_SECTORS[value]}
        draft["sectors"] = sorted(sectors)
    elif draft.get("kind") in ("axes", "organizations"):
        draft["ids"] = sorted(set(draft.get("ids", [])) ^ {value})
    else:
        return await _expired(update, context)
    await query.answer()
    return await _show_picker(update, context)


async def paged(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    _draft(context)["page"] = max(0, int(query.data.split(":")[2]))
    return await _show_picker(update, context)


async def picked_one(update: Update, context: Ctx) -> str | int | None:
    """A working group, event or survey is the audience (for an event: which answers)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return ConversationHandler.END
    draft = _draft(context)
    target_id = int(query.data.split(":")[2])
    kind = {"working_group": "working_group", "event": "event", "survey": "survey"}.get(
        draft.get("kind", "")
    )
    if kind is None or await context.services.repos.targets.name(kind, target_id) is None:
        return await _expired(update, context)
    draft["ids"] = [target_id]
    if kind == "event":
        await query.answer()
        _ = context.t
        rows = [
            [_button(_.label("✅ Going"), "ans", "g")],
            [_button(_.label("✅ Going and 🤔 Maybe"), "ans", "gm")],
            [_button(_.label("◀ Back"), "back")],
        ]
        await query.edit_message_text(_("Which answers?"), reply_markup=InlineKeyboardMarkup(rows))
        return PICK
    audience_kind = "survey_unfinished" if kind == "survey" else kind
    return await _chosen(update, context, Audience(kind=audience_kind, ids=(target_id,)))


async def picked_answers(update: Update, context: Ctx) -> str | int | None:
    query = update.callback_query
    assert query is not None and query.data is not None
    draft = _draft(context)
    if draft.get("kind") != "event" or not draft.get("ids"):
        return await _expired(update, context)
    await query.answer()
    answers = ("going", "maybe") if query.data.endswith(":gm") else ("going",)
    draft["audience"] = Audience(kind="event", ids=tuple(draft["ids"]), answers=answers).model_dump(
        mode="json"
    )
    return await _preview(update, context)


async def picked_many(update: Update, context: Ctx) -> str | int | None:
    """Continue after ticking axes, organizations or sectors."""
    query = update.callback_query
    assert query is not None
    draft = _draft(context)
    kind = draft.get("kind")
    if kind == "sectors":
        if not draft.get("sectors"):
            await query.answer(context.t.label("Tick at least one."), show_alert=True)
            return PICK
        audience = Audience(kind="sectors", sectors=tuple(draft["sectors"]))
    elif kind in ("axes", "organizations"):
        if not draft.get("ids"):
            await query.answer(context.t.label("Tick at least one."), show_alert=True)
            return PICK
        audience = Audience(kind=kind, ids=tuple(draft["ids"]))
    else:
        return await _expired(update, context)
    return await _chosen(update, context, audience)


async def back(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None
    await query.answer()
    return await _ask_audience(update, context)


# --- preview, send, schedule ---------------------------------------------------------


async def _send_as_members_see_it(context: Ctx, chat_id: int, draft: dict[str, Any]) -> Message:
    text, media = draft["text"], draft.get("media")
    if media is None:
        return await context.bot.send_message(chat_id, text)
    send = (
        context.bot.send_photo if draft.get("media_kind") == "photo" else context.bot.send_document
    )
    if visible_length(text) <= 1024:
        return await send(chat_id, media, caption=text)
    await send(chat_id, media)
    return await context.bot.send_message(chat_id, text)


async def _chosen(update: Update, context: Ctx, audience: Audience) -> str | int | None:
    """An audience was chosen: check it may be addressed, keep it, show the preview.

    Refused: the form stays where it was (None keeps the conversation's state).
    """
    if not await may_address(update, context, audience):
        return None
    if update.callback_query is not None:
        await update.callback_query.answer()
    _draft(context)["audience"] = audience.model_dump(mode="json")
    return await _preview(update, context)


async def _preview(update: Update, context: Ctx) -> str | int:
    """The message exactly as members will see it, then the audience, the count and the choices."""
    _ = context.t
    draft = _draft(context)
    audience = Audience.model_validate(draft["audience"])
    chat_id = _chat_id(update)
    await _send_as_members_see_it(context, chat_id, draft)
    recipients = await count(context.services.db, audience)
    who = await describe(context, _, audience)
    lines = _("👆 This is exactly what members will see.") + "\n\n"
    lines += _("👥 Audience: {who}", who=who) + "\n"
    lines += _._n(
        "📬 It would reach {count} member now (people who turned these notifications off or "
        "blocked the bot are left out).",
        "📬 It would reach {count} members now (people who turned these notifications off or "
        "blocked the bot are left out).",
        recipients,
    )
    rows = []
    if recipients:
        rows.append(
            [_button(_.label("📤 Send now"), "send"), _button(_.label("🕒 Schedule"), "when")]
        )
    rows.append(
        [_button(_.label("🎯 Change the audience"), "aud"), _button(_.label("✖ Cancel"), "x")]
    )
    await context.bot.send_message(chat_id, lines, reply_markup=InlineKeyboardMarkup(rows))
    return PREVIEW


async def change_audience(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    return await _ask_audience(update, context)


async def send_now(update: Update, context: Ctx) -> str | int:
    """Queue one delivery per recipient, start the live report, wake the sender."""
    query = update.callback_query
    assert query is not None
    draft = _draft(context)
    if "audience" not in draft or "text" not in draft:
        return await _expired(update, context)
    audience = Audience.model_validate(draft["audience"])
    if not await may_address(update, context, audience):
        return PREVIEW
    await query.answer()
    await query.edit_message_reply_markup(None)
    return await _queue(update, context, draft, audience, scheduled_for=None)


async def ask_when(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    await context.bot.send_message(
        _chat_id(update),
        context.t(
            "🕒 When should it go out? Write the date and time, for example 28/11 18:00 "
            "(Aguascalientes time)."
        ),
    )
    return WHEN


async def typed_when(update: Update, context: Ctx) -> str | int:
    message = update.effective_message
    assert message is not None and message.text is not None
    services = context.services
    moment = parse_local(message.text, now=context.now(), tz=services.settings.tz)
    if isinstance(moment, WhenProblem):
        await message.reply_text(context.t(moment.message, **moment.values))
        return WHEN
    draft = _draft(context)
    if "audience" not in draft or "text" not in draft:
        return await _expired(update, context)
    audience = Audience.model_validate(draft["audience"])
    if not await may_address(update, context, audience):
        return WHEN
    return await _queue(update, context, draft, audience, scheduled_for=moment)


async def _queue(
    update: Update,
    context: Ctx,
    draft: dict[str, Any],
    audience: Audience,
    scheduled_for: datetime | None,
) -> int:
    _ = context.t
    services = context.services
    member = context.member
    now = context.now()
    chat_id = _chat_id(update)
    broadcast_id = await services.repos.outbox.enqueue(
        kind="announcement",
        text=draft["text"],
        now=now,
        audience=audience,
        created_by=member.id if member else None,
        media_kind=draft.get("media_kind"),
        media_file_id=draft.get("media"),
        report_chat_id=chat_id,
        scheduled_for=scheduled_for,
    )
    assert broadcast_id is not None
    figures = await services.repos.outbox.figures(broadcast_id)
    assert figures is not None
    await services.repos.audit.record(
        now,
        member.id if member else None,
        "broadcast.schedule" if scheduled_for else "broadcast.send",
        "broadcast",
        broadcast_id,
        audience=audience.to_json(),
        recipients=figures.recipients,
        scheduled_for=scheduled_for.isoformat() if scheduled_for else None,
    )
    assert context.user_data is not None
    context.user_data.pop("bc", None)
    if scheduled_for is not None:
        when = show(scheduled_for, tz=services.settings.tz, language=_.language)
        await context.bot.send_message(
            chat_id,
            _(
                "🕒 Broadcast #{number} is scheduled for {when}. Its audience is counted when it "
                "goes out. /broadcasts shows it and lets you cancel it.",
                number=broadcast_id,
                when=when,
            ),
            reply_markup=menu.keyboard(_),
        )
        services.outbox_sender.wake()
        return ConversationHandler.END
    from bot.sender import report_text

    status = await context.bot.send_message(chat_id, report_text(_, figures, final=False))
    await services.repos.outbox.set_report_message(broadcast_id, status.message_id)
    services.outbox_sender.wake()
    return ConversationHandler.END


# --- leaving the form ------------------------------------------------------------------


async def cancel(update: Update, context: Ctx) -> int:
    """/cancel or ✖: nothing is sent, the draft is dropped."""
    assert context.user_data is not None
    context.user_data.pop("bc", None)
    if update.callback_query is not None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_reply_markup(None)
    _ = context.t
    await context.bot.send_message(
        _chat_id(update), _("Broadcast cancelled; nothing was sent."), reply_markup=menu.keyboard(_)
    )
    return ConversationHandler.END


async def _expired(update: Update, context: Ctx) -> str:
    """A button of an earlier step or another draft: say so, change nothing."""
    query = update.callback_query
    if query is not None:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
    return PREVIEW


async def wrong_input(update: Update, context: Ctx) -> None:
    """Anything else mid-form: remind what is expected."""
    if update.callback_query is not None:
        await _expired(update, context)
        return
    message = update.effective_message
    assert message is not None
    await message.reply_text(
        context.t("Please use the buttons above, or /cancel to stop the broadcast.")
    )


async def busy(update: Update, context: Ctx) -> None:
    """/broadcast again while one is being prepared."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(
        context.t("You are preparing a broadcast already. Finish it or send /cancel first.")
    )


# --- /broadcasts -----------------------------------------------------------------------


def _strip(text: str, limit: int = 70) -> str:
    plain = html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\n", " ").strip()
    return plain if len(plain) <= limit else plain[: limit - 1] + "…"


async def _may_manage(update: Update, context: Ctx, created_by: int | None) -> bool:
    """Unscoped coordinators and admins manage every broadcast; scoped ones their own."""
    if not await allowed(update, context, "coordinator"):
        return False
    if not await coordinator_scope(context) or (context.member and context.member.id == created_by):
        return True
    await refuse(update, context, "coordinator", -1)
    return False


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
    tz = context.services.settings.tz
    if not items:
        text = _("No announcements yet. /broadcast sends the first one.")
        await context.bot.send_message(_chat_id(update), text)
        return
    blocks = [_("📣 <b>Announcements</b>")]
    rows: list[list[InlineKeyboardButton]] = []
    for f in items:
        if f.status == "scheduled" and f.scheduled_for is not None:
            state = _(
                "🕒 scheduled for {when}",
                when=show_short(f.scheduled_for, tz=tz, language=_.language),
            )
            rows.append(
                [
                    InlineKeyboardButton(
                        _.label("✖ Cancel #{number}", number=f.broadcast_id),
                        callback_data=callbacks.pack("bl", "x", f.broadcast_id),
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
                            _.label("📄 Not delivered #{number} (CSV)", number=f.broadcast_id),
                            callback_data=callbacks.pack("bl", "csv", f.broadcast_id),
                        )
                    ]
                )
        when = show_short(f.created_at, tz=tz, language=_.language)
        blocks.append(
            _(
                "<b>#{number}</b> · {when}\n{state}\n<i>{excerpt}</i>",
                number=f.broadcast_id,
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
        await context.bot.send_message(_chat_id(update), text, reply_markup=markup)


async def problems_csv(update: Update, context: Ctx) -> None:
    """The deliveries that did not arrive, as CSV: name, organization, status, reason."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return
    broadcast_id = int(query.data.split(":")[2])
    outbox = context.services.repos.outbox
    figures = await outbox.figures(broadcast_id)
    if figures is None:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return
    if not await _may_manage(update, context, figures.created_by):
        return
    await query.answer()
    _ = context.t
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "organization", "status", "reason"])
    for p in await outbox.problems(broadcast_id):
        writer.writerow([p.full_name or "", p.organization or "", p.status, p.reason or ""])
    data = buffer.getvalue().encode("utf-8-sig")
    await context.bot.send_document(
        _chat_id(update),
        InputFile(io.BytesIO(data), filename=f"broadcast-{broadcast_id}-not-delivered.csv"),
        caption=_("Broadcast #{number}: deliveries that did not arrive.", number=broadcast_id),
    )


async def cancel_scheduled(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return
    broadcast_id = int(query.data.split(":")[2])
    outbox = context.services.repos.outbox
    figures = await outbox.figures(broadcast_id)
    if figures is None:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return
    if not await _may_manage(update, context, figures.created_by):
        return
    _ = context.t
    now = context.now()
    if not await outbox.cancel_scheduled(broadcast_id, now):
        current = await outbox.figures(broadcast_id)
        reason = (
            _.label("It is already cancelled.")
            if current is not None and current.status == "cancelled"
            else _.label("It has already gone out; it cannot be cancelled.")
        )
        await query.answer(reason, show_alert=True)
        with contextlib.suppress(TelegramError):  # its button goes: it can do nothing now
            await query.edit_message_reply_markup(None)
        return
    member = context.member
    await context.services.repos.audit.record(
        now, member.id if member else None, "broadcast.cancel", "broadcast", broadcast_id
    )
    await query.answer(_.label("Cancelled."))
    with contextlib.suppress(TelegramError):  # the list's cancel buttons are stale now
        await query.edit_message_reply_markup(None)
    await context.bot.send_message(
        _chat_id(update),
        _("✖ Broadcast #{number} is cancelled; nobody will get it.", number=broadcast_id),
    )


# --- registration ------------------------------------------------------------------------


def _cb(*parts: str) -> Any:
    return callbacks.pattern("bc", *parts)


def _step(*handlers: BaseHandler[Update, Ctx, Any]) -> list[BaseHandler[Update, Ctx, Any]]:
    return [
        *handlers,
        CallbackQueryHandler(cancel, _cb("x")),
        CommandHandler("broadcast", busy),
        MessageHandler(~filters.COMMAND, wrong_input),
        CallbackQueryHandler(wrong_input, forms.own_buttons("bc")),
    ]


def conversation() -> ConversationHandler[Ctx]:
    private = filters.ChatType.PRIVATE
    text = menu.TYPED  # a main-menu tap is not an answer
    states: dict[object, list[BaseHandler[Update, Ctx, Any]]] = {
        COMPOSE: [
            MessageHandler(text | filters.PHOTO | filters.Document.ALL, composed),
            CommandHandler("broadcast", busy),
            MessageHandler(~filters.COMMAND, wrong_kind),
            CallbackQueryHandler(wrong_input, forms.own_buttons("bc")),
        ],
        AUDIENCE: _step(
            CallbackQueryHandler(
                chose_audience,
                _cb("a", "(everyone|axes|organizations|sectors|working_group|event|survey)"),
            )
        ),
        PICK: _step(
            CallbackQueryHandler(toggled, _cb("t", r"(\d+)")),
            CallbackQueryHandler(paged, _cb("p", r"(\d+)")),
            CallbackQueryHandler(picked_one, _cb("o", r"(\d+)")),
            CallbackQueryHandler(picked_answers, _cb("ans", "(g|gm)")),
            CallbackQueryHandler(picked_many, _cb("go")),
            CallbackQueryHandler(back, _cb("back")),
        ),
        PREVIEW: _step(
            CallbackQueryHandler(send_now, _cb("send")),
            CallbackQueryHandler(ask_when, _cb("when")),
            CallbackQueryHandler(change_audience, _cb("aud")),
        ),
        WHEN: _step(MessageHandler(text, typed_when)),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # per_message=False: the form follows the person
        return ConversationHandler(
            entry_points=[CommandHandler("broadcast", start, filters=private)],
            states=states,
            fallbacks=[CommandHandler("cancel", cancel)],
            name="broadcast_form",
            persistent=True,
            allow_reentry=False,
        )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("broadcasts", list_broadcasts, filters=private),
        CallbackQueryHandler(list_broadcasts, callbacks.pattern("bl", "p", r"(\d+)")),
        CallbackQueryHandler(problems_csv, callbacks.pattern("bl", "csv", r"(\d+)")),
        CallbackQueryHandler(cancel_scheduled, callbacks.pattern("bl", "x", r"(\d+)")),
    ]
