"""/status for admins: is the bot well? Version, uptime, members, the outbox, the last backup
and the errors of the last 24 hours, in the admin's language. Checked on the server: only
admins get an answer other than the refusal."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.auth import allowed
from bot.context import Ctx
from bot.i18n import N_, Translator
from bot.version import version

ERRORS_SHOWN = 5
SENDER_STATES = {
    "idle": N_("waiting for work"),
    "sending": N_("sending"),
    "stopped": N_("stopped"),
}


def duration_text(t: Translator, delta: timedelta) -> str:
    """ "3 d 4 h", "5 h 12 min", "7 min": as long as it needs to be, no longer."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return t.label("{days} d {hours} h", days=days, hours=hours)
    if hours:
        return t.label("{hours} h {minutes} min", hours=hours, minutes=minutes)
    return t.label("{minutes} min", minutes=minutes)


async def _backup_line(context: Ctx) -> str:
    _ = context.t
    backups = context.services.backups
    if backups is None:
        return _("🗄 Backups: off (BACKUP_DIR is not set).")
    newest = await asyncio.to_thread(backups.newest)
    if newest is None:
        return _("🗄 Backups: none yet.")
    return _(
        "🗄 Last backup: {age} ago ({name}).",
        age=duration_text(_, context.now() - newest.taken_at),
        name=newest.path.name,
    )


async def _error_lines(context: Ctx) -> list[str]:
    _ = context.t
    tz = context.services.settings.tz
    errors = await context.services.repos.operations.errors_since(context.now() - timedelta(days=1))
    if not errors:
        return [_("✅ Errors in the last 24 hours: none.")]
    total = sum(e.count for e in errors)
    lines = [_("⚠️ Errors in the last 24 hours: {count}.", count=total)]
    for error in errors[:ERRORS_SHOWN]:
        last = error.last_at.astimezone(tz).strftime("%H:%M")
        lines.append(
            _(
                "• {count}× <code>{kind}</code> ({source}), the last at {time}",
                count=error.count,
                kind=error.kind,
                source=error.source,
                time=last,
            )
        )
    if len(errors) > ERRORS_SHOWN:
        lines.append(_("… and {count} other kinds.", count=len(errors) - ERRORS_SHOWN))
    return lines


async def status(update: Update, context: Ctx) -> None:
    """/status: the bot's health at a glance, for admins."""
    if not await allowed(update, context, "admin"):
        return
    _ = context.t
    services = context.services
    repos = services.repos.operations
    started = services.started_at
    uptime = duration_text(_, context.now() - started) if started else "—"
    members = await repos.member_counts()
    backlog = await repos.outbox_backlog()
    sender = services.sender.state if services.sender is not None else "stopped"
    lines = [
        _("📊 <b>Bot status</b>"),
        _("Version {version}, running for {uptime}.", version=version(), uptime=uptime),
        _(
            "👥 Members: {active} active, {pending} waiting for approval.",
            active=members.active,
            pending=members.pending,
        ),
        _(
            "📤 Outbox: {pending} messages waiting; the sender is {state}.",
            pending=backlog.pending,
            state=_.label(SENDER_STATES.get(sender, sender)),
        ),
        await _backup_line(context),
        *await _error_lines(context),
    ]
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, "\n".join(lines))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [CommandHandler("status", status, filters=filters.ChatType.PRIVATE)]
