"""/impact: the figures of a period beside the previous one, for the whole cluster or an axis,
with a button per axis and per period (month, quarter, year, earlier and later), and the panel
of charts as a PNG. Coordinators limited to axes see only those axes; admins see everything."""

from __future__ import annotations

import asyncio
import html
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.auth import allowed, refuse
from bot.context import Ctx
from bot.i18n import Translator
from handlers.core import forms
from handlers.impact.scopes import current_scopes
from handlers.impact.text import composition_text, lines, period_name, scope_name
from storage.repositories.impact.figures import Impact, ImpactRepository
from storage.repositories.impact.periods import KINDS, Period, PeriodKind

SHOW, CHARTS = "im", "imc"
_SCOPE = r"(cluster|innovation|talent|leadership|globalization)"
_PERIOD = r"(\d{4}(?:-\d{2}|-Q[1-4])?)"
KIND_NAMES = {"month": "Month", "quarter": "Quarter", "year": "Year"}


def summary_text(t: Translator, impact: Impact) -> str:
    """The figures in words (HTML), under 4096 characters."""
    head = t(
        "📈 <b>Impact · {scope} · {period}</b>",
        scope=scope_name(t, impact.current.scope),
        period=period_name(t, impact.current.period),
    )
    head += "\n" + t(
        "<i>Compared with {previous}.</i>", previous=period_name(t, impact.previous.period)
    )
    body = []
    for line in lines(t, impact):
        label, value = html.escape(line.label, quote=False), html.escape(line.value, quote=False)
        row = f"{line.icon} {label}: <b>{value}</b>"
        if line.change:
            row += f" {html.escape(line.change, quote=False)}"
        body.append(row + f"\n      {html.escape(line.detail, quote=False)}")
    composition = t("🧩 Members by sector: {shares}", shares=composition_text(t, impact))
    return "\n\n".join([head, "\n".join(body), composition])


def keyboard(
    t: Translator,
    scopes: tuple[str, ...],
    scope: str,
    period: Period,
    latest: Period,
    tz: ZoneInfo,
) -> InlineKeyboardMarkup:
    """A button per scope the caller may see, per kind of period, earlier/later, charts."""

    def mark(label: str, chosen: bool) -> str:
        return f"✓ {label}" if chosen else label

    scope_buttons = [
        InlineKeyboardButton(
            mark(scope_name(t, s), s == scope), callback_data=callbacks.pack(SHOW, s, period.label)
        )
        for s in scopes
    ]
    rows = [scope_buttons[i : i + 2] for i in range(0, len(scope_buttons), 2)]
    kinds = []
    for kind in KINDS:
        # The month, quarter or year the period shown begins in.
        target = Period.containing(kind, period.bounds(tz)[0], tz)
        kinds.append(
            InlineKeyboardButton(
                mark(t.label(KIND_NAMES[kind]), kind == period.kind),
                callback_data=callbacks.pack(SHOW, scope, target.label),
            )
        )
    rows.append(kinds)
    moves = [
        InlineKeyboardButton(
            "◀ " + period_name(t, period.previous()),
            callback_data=callbacks.pack(SHOW, scope, period.previous().label),
        )
    ]
    if period < latest:
        moves.append(
            InlineKeyboardButton(
                period_name(t, period.next()) + " ▶",
                callback_data=callbacks.pack(SHOW, scope, period.next().label),
            )
        )
    rows.append(moves)
    rows.append(
        [
            InlineKeyboardButton(
                t.label("📊 Charts"), callback_data=callbacks.pack(CHARTS, scope, period.label)
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


async def _scopes(update: Update, context: Ctx) -> tuple[str, ...] | None:
    """The caller's scopes now, or None (refused) for someone who may see none."""
    if not await allowed(update, context, "coordinator"):
        return None
    member_id = context.member.id if context.member else None
    scopes = await current_scopes(context.services.repos, context.role, member_id)
    if not scopes:
        await refuse(update, context, "coordinator")
        return None
    return scopes


def _repository(context: Ctx) -> ImpactRepository:
    services = context.services
    return ImpactRepository(services.db, services.settings.tz)


def _now_period(context: Ctx, kind: PeriodKind = "month") -> Period:
    return Period.containing(kind, context.now(), context.services.settings.tz)


async def impact_command(update: Update, context: Ctx) -> None:
    """/impact: this month for the cluster (or the coordinator's first axis), with the panel."""
    scopes = await _scopes(update, context)
    if scopes is None:
        return
    period = _now_period(context)
    impact = await _repository(context).impact(period, scopes[0])
    await _send_panel(update, context, impact)
    await forms.say(
        update,
        context,
        summary_text(context.t, impact),
        keyboard(context.t, scopes, scopes[0], period, period, context.services.settings.tz),
    )


async def _send_panel(update: Update, context: Ctx, impact: Impact) -> None:
    from handlers.impact.charts import panel_png  # matplotlib loads on first use

    png = await asyncio.to_thread(panel_png, context.t, impact)
    name = f"impact-{impact.current.scope}-{impact.current.period.label}.png"
    await context.bot.send_photo(forms.chat_of(update), InputFile(png, filename=name))


async def _tapped(update: Update, context: Ctx) -> tuple[str, Period, tuple[str, ...]] | None:
    """The scope and period of a tapped button, checked against what the caller may see now."""
    query = update.callback_query
    assert query is not None and query.data is not None
    scopes = await _scopes(update, context)
    if scopes is None:
        return None
    _prefix, scope, label = query.data.split(":")
    period = Period.parse(label)
    if scope not in scopes:
        await refuse(update, context, "coordinator", -1)
        return None
    if period is None:
        await forms.wrong_input(update, context)
        return None
    return scope, period, scopes


async def show_tapped(update: Update, context: Ctx) -> None:
    """An axis or period button: the summary is replaced in place."""
    tapped = await _tapped(update, context)
    if tapped is None:
        return
    scope, period, scopes = tapped
    query = update.callback_query
    assert query is not None
    latest = _now_period(context, period.kind)
    period = min(period, latest)  # never a period that has not begun
    impact = await _repository(context).impact(period, scope)
    await query.answer()
    tz = context.services.settings.tz
    await query.edit_message_text(
        summary_text(context.t, impact),
        reply_markup=keyboard(context.t, scopes, scope, period, latest, tz),
    )


async def charts_tapped(update: Update, context: Ctx) -> None:
    """📊 Charts: the panel of the period and scope shown."""
    tapped = await _tapped(update, context)
    if tapped is None:
        return
    scope, period, _scopes_seen = tapped
    query = update.callback_query
    assert query is not None
    await query.answer()
    await _send_panel(update, context, await _repository(context).impact(period, scope))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        CommandHandler("impact", impact_command, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(show_tapped, callbacks.pattern(SHOW, _SCOPE, _PERIOD)),
        CallbackQueryHandler(charts_tapped, callbacks.pattern(CHARTS, _SCOPE, _PERIOD)),
    ]
