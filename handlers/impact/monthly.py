"""The monthly report: from 09:00 local time on the first day of each month, every admin (the
cluster and each axis) and every coordinator (their axes) gets last month's report as a PDF with
a two-line summary, in their language.

The database decides (storage/repositories/impact/reports.py): each run adds a pending row for
every staff member without one for the month due, then sends the pending rows. The job runs at
start-up and every few minutes, so a report is sent once across restarts, and a month missed
while the bot was down goes at the next start.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram import InputFile
from telegram.error import Forbidden, TelegramError

from bot.context import Ctx
from bot.roles import effective_role
from handlers.impact import report
from handlers.impact.scopes import current_scopes
from storage.repositories.impact.periods import Period
from storage.repositories.impact.reports import ReportLog

log = logging.getLogger(__name__)

SEND_AT = time(9, 0)  # local time on the first day of the month
CHECK_EVERY = 600  # seconds between looks at the log


def month_due(now: datetime, tz: ZoneInfo) -> Period:
    """The latest month whose report is due: last month from the 1st at 09:00, else the one
    before."""
    local = now.astimezone(tz)
    this_month = Period.containing("month", now, tz)
    if local.day == 1 and local.time() < SEND_AT:
        return this_month.previous().previous()
    return this_month.previous()


async def send_due(context: Ctx) -> None:
    """Queue this month's recipients, then send every pending report."""
    services = context.services
    now = services.clock()
    reports = ReportLog(services.db)
    due = month_due(now, services.settings.tz)
    await reports.queue(due.label, now, services.settings.admin_ids)
    for pending in await reports.pending(now):
        if not await reports.claim(pending.month, pending.member_id, services.clock()):
            continue  # another run is sending it
        member = await services.repos.members.by_id(pending.member_id)
        role = (
            effective_role(member, member.telegram_user_id, services.settings.admin_ids)
            if member
            else "stranger"
        )
        scopes = await current_scopes(services.repos, role, pending.member_id)
        period = Period.parse(pending.month)
        if member is None or not scopes or period is None:
            await reports.failed(pending.month, pending.member_id, "no longer staff", final=True)
            continue
        t = services.i18n.get(services.i18n.resolve(member.language, None))
        pdf, caption = await report.build(services, t, period, scopes)
        try:
            message = await context.bot.send_document(
                pending.chat_id,
                InputFile(pdf, filename=report.file_name(period)),
                caption=caption,
                parse_mode=None,
            )
        except Forbidden as exc:
            await services.repos.members.mark_unreachable(pending.chat_id, services.clock())
            await reports.failed(
                pending.month, pending.member_id, exc.message, final=True, unreachable=True
            )
        except TelegramError as exc:
            log.warning("the impact report of %s could not be sent: %s", pending.month, exc)
            await reports.failed(pending.month, pending.member_id, exc.message, final=False)
        else:
            await reports.sent(
                pending.month, pending.member_id, message.message_id, services.clock()
            )


def next_send(now: datetime, tz: ZoneInfo) -> datetime:
    """When the next month's reports go (for the README and /help texts)."""
    local = now.astimezone(tz)
    first = local.replace(day=1, hour=SEND_AT.hour, minute=0, second=0, microsecond=0)
    if local >= first:
        first = (first + timedelta(days=32)).replace(day=1)
    return first
