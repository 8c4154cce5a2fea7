"""The scheduled backup: checked every minute, written when one is due (bot/backups.py).

A copy is due after 03:00 local time when the newest one in BACKUP_DIR is older, so the
nightly copy is written at 03:00 and a night missed while the bot was down right after the
next start. A failure is told to the admins and tried again an hour later.
"""

from __future__ import annotations

import asyncio
import logging

from bot.backups import RETRY_AFTER, BackupError
from bot.context import Ctx
from handlers.operations.alerts import BACKUP_FAILED, backup_failed

log = logging.getLogger(__name__)


async def backup_if_due(context: Ctx) -> None:
    """The job's callback (every minute, and at start)."""
    services = context.services
    backups = services.backups
    if backups is None:
        return
    now = context.now()
    last_failure = await services.repos.operations.last_error_at(BACKUP_FAILED)
    if last_failure is not None and now - last_failure < RETRY_AFTER:
        return
    try:
        result = await backups.run_if_due(now)
    except BackupError as error:
        log.error("the backup failed: %s", error)
        newest = await asyncio.to_thread(backups.newest)
        await backup_failed(
            services, context.bot, str(error), now, newest.taken_at if newest else None
        )
        return
    if result is not None:
        log.info(
            "backup written: %s (%d bytes, integrity ok); %d older copies removed",
            result.file.path.name,
            result.size,
            len(result.pruned),
        )
