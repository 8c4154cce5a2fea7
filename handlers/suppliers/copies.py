"""The copies of a sourcing request shown to those who decide on it (admins and coordinators
of SOURCING_AXES), each in that person's language with ✅ Approve / ❌ Reject; once one of them
decides (or the buyer withdraws it, or its deadline passes), every copy loses its buttons and
says what happened."""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import InlineKeyboardMarkup
from telegram.error import Forbidden, TelegramError

from bot.context import Ctx
from bot.i18n import Translator
from handlers.suppliers.access import deciders
from handlers.suppliers.cards import staff_card
from handlers.suppliers.common import button, edit_quietly, translator
from storage.repositories.suppliers.sourcing import Request

log = logging.getLogger(__name__)


def decision_buttons(t: Translator, request_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                button(t.label("✅ Approve"), "sp", request_id, "ok"),
                button(t.label("❌ Reject"), "sp", request_id, "no"),
            ]
        ]
    )


async def copy_text(context: Ctx, t: Translator, request: Request) -> str:
    """The request as a decider reads it, with who asked."""
    buyer = (
        await context.services.repos.members.by_id(request.buyer_id) if request.buyer_id else None
    )
    name = buyer.full_name if buyer else None
    return staff_card(t, request, name, tz=context.services.settings.tz)


async def show_to_deciders(context: Ctx, request: Request) -> int:
    """Send the request to everyone who decides; how many got it."""
    services = context.services
    reached = 0
    for user_id, member in (await deciders(context)).items():
        t = translator(context, member.language if member else None)
        chat_id = member.chat_id if member is not None and member.chat_id else user_id
        try:
            message = await context.bot.send_message(
                chat_id,
                await copy_text(context, t, request),
                reply_markup=decision_buttons(t, request.id),
            )
        except Forbidden:
            await services.repos.members.mark_unreachable(user_id, context.now())
            continue
        except TelegramError as error:
            log.warning("could not show a sourcing request to a coordinator: %s", error.message)
            continue
        # Kept at once: someone may decide before the last copy has gone out.
        await services.repos.sourcing.remember_notices(request.id, [(chat_id, message.message_id)])
        reached += 1
    return reached


async def close_copies(
    context: Ctx,
    request: Request,
    outcome: Callable[[Translator], str],
    skip: tuple[int, int] | None = None,
) -> None:
    """Every copy (but `skip`, the (chat, message) tapped) says what happened, in its reader's
    language, and loses its buttons."""
    services = context.services
    for chat_id, message_id in await services.repos.sourcing.take_notices(request.id):
        if (chat_id, message_id) == skip:
            continue
        reader = await services.repos.members.by_telegram_id(chat_id)
        t = translator(context, reader.language if reader else None)
        text = await copy_text(context, t, request) + "\n\n" + outcome(t)
        await edit_quietly(context, chat_id, message_id, text)


def decider_name(context: Ctx, t: Translator) -> str:
    """Who decided: their name, or "an administrator" for an admin known only from ADMIN_IDS."""
    if context.member is not None and context.member.full_name:
        return context.member.full_name
    return t.label("an administrator")
