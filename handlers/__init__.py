"""The ONE place where handlers are registered. Order matters.

Groups run in ascending order; within a group the first matching handler wins
and a handler raising ApplicationHandlerStop ends the update.

  -2  load the caller: the member row, their role and their language
  -1  guards that end the update: edited messages (answered in private, ignored
      in groups) and button data we could never have sent
   0  features, in this order:
        reachability (my_chat_member), common commands, language, the main menu,
        and last the fallbacks (unknown commands, unexpected messages, expired
        buttons), which see only what no feature handler took
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.i18n import I18n
from handlers import caller, common, errors, language, menu, reachability


def register(application: Application[Any, Any, Any, Any, Any, Any], i18n: I18n) -> None:
    """Register every handler and the error handler, in order."""
    application.add_handler(TypeHandler(Update, caller.load_caller), group=-2)
    application.add_handlers(caller.guards(), group=-1)

    application.add_handlers(reachability.handlers(), group=0)
    application.add_handlers(common.handlers(), group=0)
    application.add_handlers(language.handlers(), group=0)
    application.add_handlers(menu.handlers(i18n), group=0)
    application.add_handlers(common.fallbacks(), group=0)  # keep last

    application.add_error_handler(errors.on_error)
