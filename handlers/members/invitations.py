"""/invite: a coordinator's invitation link (and its QR code) for one organization; whoever
signs up through it becomes an active member of that organization at once.
"""

from __future__ import annotations

import io

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks, deeplinks
from bot.auth import allowed
from bot.context import Ctx
from bot.validation import echo


async def invite(update: Update, context: Ctx) -> None:
    """/invite <organization>: a link that makes whoever uses it an active member of it."""
    if not await allowed(update, context, "coordinator"):
        return
    assert update.effective_chat is not None
    _ = context.t
    text = " ".join(context.args or []).strip()
    if not text:
        await context.bot.send_message(
            update.effective_chat.id,
            _("Write the organization after the command, for example: /invite Continental"),
        )
        return
    found = await context.services.repos.reference.find_organizations(text)
    if not found:
        await context.bot.send_message(
            update.effective_chat.id,
            _(
                "No organization matches “{text}”. Check the name, or ask the person to sign up "
                "with /start and choose “Other”.",
                text=echo(text),
            ),
        )
        return
    if len(found) > 1 and found[0].name.casefold() != text.casefold():
        rows = [
            [InlineKeyboardButton(o.name, callback_data=callbacks.pack("iv", o.id))] for o in found
        ]
        await context.bot.send_message(
            update.effective_chat.id,
            _("Which organization do you mean?"),
            reply_markup=InlineKeyboardMarkup(rows),
        )
        return
    await _send_invitation(update, context, found[0].id)


async def invite_chosen(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    await _send_invitation(update, context, int(query.data.split(":")[1]))


async def _send_invitation(update: Update, context: Ctx, organization_id: int) -> None:
    assert update.effective_chat is not None
    _ = context.t
    organization = await context.services.repos.reference.organization(organization_id)
    if organization is None:
        await context.bot.send_message(
            update.effective_chat.id, _("That organization no longer exists.")
        )
        return
    creator = context.member.id if context.member else None
    invitation = await context.services.repos.invitations.create(
        organization.id, creator, context.now()
    )
    await context.services.repos.audit.record(
        context.now(), creator, "invitation_created", "organization", organization.id
    )
    link = deeplinks.link(context.bot.username, "join", invitation.code)
    png = io.BytesIO()
    import segno  # loaded when the first QR code is drawn, not at start-up

    segno.make(link, error="m").save(png, kind="png", scale=10, border=2)
    await context.bot.send_photo(
        update.effective_chat.id,
        InputFile(png.getvalue(), filename="invitation.png"),
        caption=_(
            "🔗 Invitation for <b>{organization}</b>\n{link}\n\nWhoever opens it and signs up "
            "becomes an active member of {organization} at once, without waiting for approval. "
            "Share it only with people of that organization. Valid for 90 days.",
            organization=organization.name,
            link=link,
        ),
    )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("invite", invite, filters=private),
        CallbackQueryHandler(invite_chosen, callbacks.pattern("iv", r"(\d+)")),
    ]
