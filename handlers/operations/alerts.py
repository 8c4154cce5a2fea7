"""Telling the admins in the chat: unexpected errors and failed backups.

Every incident (bot/incidents.py, reported by the error handler) is stored; the admins hear
of a kind at most once an hour, with how often it happened, so a failure that repeats on
every update is one message, not hundreds. Alerts name the error's type and the code that
raised it and what the bot was doing: never a person's data or the token.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import TelegramError

from bot.i18n import Translator
from bot.incidents import Incident
from bot.services import Services
from storage.repositories.operations.operations import ErrorTally

log = logging.getLogger(__name__)

ALERT_EVERY = timedelta(hours=1)  # at most one alert per kind of error in this time
BACKUP_FAILED = "backup failed"  # the error kind of a failed backup


async def admin_chats(services: Services) -> dict[int, str]:
    """Where each admin is told, and in which language: ADMIN_IDS and promoted admins."""
    i18n = services.i18n
    chats: dict[int, str] = {}
    for member in await services.repos.members.staff():
        if member.role == "admin" and member.is_active:
            chats[member.chat_id or member.telegram_user_id] = i18n.resolve(member.language, None)
    for user_id in sorted(services.settings.admin_ids):
        found = await services.repos.members.by_telegram_id(user_id)
        chat_id = found.chat_id if found and found.chat_id else user_id
        chats[chat_id] = i18n.resolve(found.language if found else None, None)
    return chats


async def tell_admins(services: Services, bot: Bot, render: Callable[[Translator], str]) -> int:
    """Send each admin the text in their language; how many got it. An admin who never
    opened the chat or blocked the bot is skipped (and logged without who)."""
    sent = 0
    for chat_id, language in (await admin_chats(services)).items():
        try:
            await bot.send_message(chat_id, render(services.i18n.get(language)))
        except TelegramError as exc:
            log.warning("could not alert an admin: %s", exc.message)
        else:
            sent += 1
    return sent


def _when(services: Services, at: datetime) -> dict[str, str]:
    local = at.astimezone(services.settings.tz)
    return {"date": f"{local:%d/%m/%Y}", "time": f"{local:%H:%M}"}


def _how_often(t: Translator, tally: ErrorTally) -> str:
    hour = t._n("{count} time in the last hour", "{count} times in the last hour", tally.last_hour)
    day = t._n(
        "{count} time in the last 24 hours", "{count} times in the last 24 hours", tally.last_day
    )
    return t("How often: {hour}; {day}.", hour=hour, day=day)  # no markup in either part


def incident_text(t: Translator, services: Services, incident: Incident, tally: ErrorTally) -> str:
    head = t(
        "⚠️ <b>Something failed in the bot</b>\n<code>{kind}</code>\n"
        "While handling: {source}\nWhen: {date} at {time}",
        kind=incident.kind,
        source=incident.source,
        **_when(services, incident.at),
    )
    return "\n".join(
        (
            head,
            _how_often(t, tally),
            t(
                "The details are in the bot's log. I will not tell you about this error "
                "again for an hour."
            ),
        )
    )


async def on_incident(incident: Incident, services: Services, bot: Bot) -> None:
    """The listener of bot/incidents.py: store it; alert the admins when it is time."""
    tally = await services.repos.operations.record_error(
        incident.kind,
        incident.source,
        incident.at,
        alert_every=ALERT_EVERY if incident.alert else None,
    )
    if tally.alert:
        await tell_admins(services, bot, lambda t: incident_text(t, services, incident, tally))


async def backup_failed(
    services: Services, bot: Bot, reason: str, at: datetime, last_good: datetime | None
) -> None:
    """A scheduled backup could not be written or failed its check: stored, and told."""
    tally = await services.repos.operations.record_error(
        BACKUP_FAILED, "job backups", at, alert_every=ALERT_EVERY
    )
    if not tally.alert:
        return

    def render(t: Translator) -> str:
        lines = [
            t(
                "🗄 <b>The backup of the database failed</b>: {reason}\n"
                "The database itself is fine and the bot goes on working. "
                "I will try again in an hour.",
                reason=reason,
            )
        ]
        if last_good is None:
            lines.append(t("There is no good copy yet."))
        else:
            lines.append(
                t("The newest good copy is from {date} at {time}.", **_when(services, last_good))
            )
        lines.append(
            t(
                "On the server, check the folder {folder} and the free space: "
                "<code>clia-bot doctor</code> says what is wrong.",
                folder=str(services.settings.backup_dir),
            )
        )
        return "\n".join(lines)

    await tell_admins(services, bot, render)
