"""The buyer's side of a sourcing request: the shortlist of interested suppliers (edited in
place as interest arrives), each supplier's capability card, showing the buyer's organization,
and closing or withdrawing the request. 🤝 Connect and the introductions are in
introductions.py.

Buttons carry `sb:<request>:…`; only the member who made the request may use them, checked at
the moment of the tap: a supplier never sees another supplier's interest.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks
from bot.auth import active_member
from bot.context import Ctx
from bot.i18n import Translator
from bot.when import show_short
from handlers.suppliers.cards import figures_line, profile_card, short, state_line, title_of
from handlers.suppliers.common import (
    alert,
    button,
    edit_quietly,
    expired,
    send_to,
    translator,
)
from handlers.suppliers.copies import close_copies
from storage.models import Member
from storage.repositories.suppliers.answers import Answer
from storage.repositories.suppliers.sourcing import Request

PAGE = 5  # suppliers per page of the shortlist


async def shortlist_view(
    context: Ctx, t: Translator, request: Request, page: int = 0
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The shortlist as the buyer reads it, with its buttons."""
    repos = context.services.repos
    tz = context.services.settings.tz
    figures = await repos.sourcing.figures(request.id)
    entries = await repos.sourcing_answers.shortlist(request.id)
    pages = max(1, -(-len(entries) // PAGE))
    page = min(max(page, 0), pages - 1)
    lines = [
        t(
            "📋 <b>Shortlist · #{number} {title}</b>",
            number=request.id,
            title=title_of(t, request),
        )
    ]
    if request.status == "open":
        until = show_short(request.deadline_at, tz=tz, language=t.language)
        lines.append(t("🟢 Open for answers until {date}.", date=until))
    elif request.status == "closed" and request.closed_reason != "withdrawn":
        lines.append(t("🔒 Closed for answers; you can still connect with who was interested."))
    else:
        lines.append(state_line(t, request, figures, tz=tz))
    if request.status != "pending":
        lines.append(figures_line(t, figures))
    if not entries and request.status in ("open", "closed"):
        lines.append(
            "\n" + t("Nobody has said they are interested yet. This list is updated as they do.")
        )
    rows: list[list[InlineKeyboardButton]] = []
    first = page * PAGE
    for number, entry in enumerate(entries[first : first + PAGE], start=first + 1):
        lines.append("\n" + _entry_line(t, number, entry))
        if entry.note:
            lines.append(t("💬 “{note}”", note=short(entry.note)))
        row = [button(t.label("🏭 {number}", number=number), "sb", request.id, "c", entry.id)]
        if entry.introduced_at is None:
            row.append(
                button(
                    t.label("🤝 Connect {number}", number=number), "sb", request.id, "k", entry.id
                )
            )
        rows.append(row)
    if pages > 1:
        navigation = []
        if page > 0:
            navigation.append(button("◀️", "sb", request.id, "p", page - 1))
        navigation.append(button(f"{page + 1}/{pages}", "sb", request.id, "p", page))
        if page < pages - 1:
            navigation.append(button("▶️", "sb", request.id, "p", page + 1))
        rows.append(navigation)
    if request.anonymous and request.revealed_at is None and request.status in ("open", "closed"):
        rows.append([button(t.label("🔓 Show our organization"), "sb", request.id, "rv")])
    if request.status == "open":
        rows.append([button(t.label("🔒 Close the request"), "sb", request.id, "x")])
    elif request.status == "pending":
        rows.append([button(t.label("↩️ Withdraw the request"), "sb", request.id, "x")])
    return "\n".join(lines), InlineKeyboardMarkup(rows) if rows else None


def _entry_line(t: Translator, number: int, entry: Answer) -> str:
    if entry.consented or (entry.introduced_at is not None and entry.member_name):
        who = t(
            "{number}. <b>{organization}</b> — {name}",
            number=number,
            organization=entry.organization,
            name=entry.member_name or "",
        )
    else:
        who = t("{number}. 🕶 A supplier (named once they agree to share it)", number=number)
    if entry.introduced_at is not None:
        return who + " · " + t("✅ introduced")
    if entry.connect_asked_at is not None and entry.consent_declined_at is not None:
        return who + " · " + t("🚫 prefers not to share their contact")
    if entry.connect_asked_at is not None:
        return who + " · " + t("⏳ asked for their consent")
    return who


async def buyer_of(context: Ctx, request: Request) -> tuple[Member | None, Translator]:
    buyer = (
        await context.services.repos.members.by_id(request.buyer_id) if request.buyer_id else None
    )
    return buyer, translator(context, buyer.language if buyer else None)


async def send_shortlist(context: Ctx, request_id: int) -> None:
    """A new shortlist message to the buyer; it becomes the one edited as interest arrives."""
    repos = context.services.repos
    request = await repos.sourcing.get(request_id)
    if request is None:
        return
    buyer, t = await buyer_of(context, request)
    if buyer is None or buyer.chat_id is None:
        return
    text, markup = await shortlist_view(context, t, request)
    message = await send_to(context, buyer.chat_id, text, markup)
    if message is not None:
        await repos.sourcing.set_shortlist(request.id, message.chat.id, message.message_id)


async def refresh_shortlist(context: Ctx, request_id: int) -> None:
    """Edit the buyer's shortlist message to show what is stored now."""
    request = await context.services.repos.sourcing.get(request_id)
    if request is None or request.shortlist_chat_id is None:
        return
    assert request.shortlist_message_id is not None
    _buyer, t = await buyer_of(context, request)
    text, markup = await shortlist_view(context, t, request)
    await edit_quietly(
        context, request.shortlist_chat_id, request.shortlist_message_id, text, markup
    )


async def tell_buyer(
    context: Ctx,
    request: Request,
    text_of: Callable[[Translator], str],
    *,
    with_shortlist_button: bool = False,
) -> None:
    """A message to the buyer in their language (`text_of(t)` makes it), optionally with a
    button that opens the shortlist."""
    buyer, t = await buyer_of(context, request)
    if buyer is None or buyer.chat_id is None:
        return
    markup = None
    if with_shortlist_button:
        markup = InlineKeyboardMarkup([[button(t.label("📋 Shortlist"), "sb", request.id, "v")]])
    await send_to(context, buyer.chat_id, text_of(t), markup)


# --- the buyer's buttons -------------------------------------------------------------


async def own_request(update: Update, context: Ctx) -> tuple[Member, Request] | None:
    """The tapped request, when the caller is its buyer (checked now); else told why."""
    query = update.callback_query
    assert query is not None and query.data is not None
    member = await active_member(update, context)
    if member is None:
        return None
    request = await context.services.repos.sourcing.get(int(query.data.split(":")[1]))
    if request is None:
        await expired(update, context)
        return None
    if request.buyer_id != member.id:
        await alert(
            update,
            context.t.label("Only the member who made this request can see and manage it."),
        )
        return None
    return member, request


async def entry_of(update: Update, context: Ctx, request: Request) -> Answer | None:
    """The supplier a button names, when it is interested in this request."""
    query = update.callback_query
    assert query is not None and query.data is not None
    entry = await context.services.repos.sourcing_answers.get(int(query.data.split(":")[3]))
    if entry is None or entry.request_id != request.id or entry.answer != "interested":
        await expired(update, context)
        return None
    return entry


async def open_shortlist(update: Update, context: Ctx) -> None:
    """📋 on a list or a notice: the shortlist, as a new message that is kept up to date."""
    own = await own_request(update, context)
    if own is None:
        return
    assert update.callback_query is not None
    await update.callback_query.answer()
    await send_shortlist(context, own[1].id)


async def turn_page(update: Update, context: Ctx) -> None:
    own = await own_request(update, context)
    if own is None:
        return
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    text, markup = await shortlist_view(context, context.t, own[1], int(query.data.split(":")[3]))
    await query.edit_message_text(text, reply_markup=markup)


async def supplier_card(update: Update, context: Ctx) -> None:
    """🏭 n: the supplier's capability card; its name, description and city only once they
    agreed to share them."""
    own = await own_request(update, context)
    if own is None:
        return
    entry = await entry_of(update, context, own[1])
    if entry is None:
        return
    assert update.callback_query is not None
    await update.callback_query.answer()
    _ = context.t
    profile = await context.services.repos.capabilities.profile(entry.organization_id)
    named = entry.consented or entry.introduced_at is not None
    text = profile_card(_, profile, entry.organization, anonymous=not named)
    if entry.note:
        text += "\n\n" + _("💬 Their note: {note}", note=entry.note)
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, text)


async def reveal(update: Update, context: Ctx) -> None:
    """🔓 Show our organization: from now on suppliers see who is buying; those interested
    are told."""
    own = await own_request(update, context)
    if own is None:
        return
    _member, request = own
    repos = context.services.repos
    assert update.callback_query is not None
    if not await repos.sourcing.reveal(request.id, context.now()):
        await alert(update, context.t.label("Your organization is shown already."))
        return
    await update.callback_query.answer(context.t.label("Saved."))
    for entry in await repos.sourcing_answers.shortlist(request.id):
        if entry.member_chat_id is None:
            continue
        t = translator(context, entry.member_language)
        await send_to(
            context,
            entry.member_chat_id,
            t(
                "🏢 The buyer of request #{number} “{title}” is {organization}.",
                number=request.id,
                title=title_of(t, request),
                organization=request.organization or "—",
            ),
        )
    await refresh_shortlist(context, request.id)
    query = update.callback_query
    live = (request.shortlist_chat_id, request.shortlist_message_id)
    if query.message is not None and (query.message.chat.id, query.message.message_id) != live:
        fresh = await repos.sourcing.get(request.id)
        assert fresh is not None
        text, markup = await shortlist_view(context, context.t, fresh)
        await query.edit_message_text(text, reply_markup=markup)


async def ask_close(update: Update, context: Ctx) -> None:
    """🔒 Close / ↩️ Withdraw: asked once more."""
    own = await own_request(update, context)
    if own is None:
        return
    _member, request = own
    _ = context.t
    assert update.callback_query is not None and update.effective_chat is not None
    if request.status not in ("open", "pending"):
        await alert(update, _.label("This request is closed already."))
        return
    await update.callback_query.answer()
    text = (
        _(
            "Close request #{number}? Suppliers can no longer say they are interested; you can "
            "still connect with those who did.",
            number=request.id,
        )
        if request.status == "open"
        else _("Withdraw request #{number}? It will not be sent to anyone.", number=request.id)
    )
    markup = InlineKeyboardMarkup(
        [
            [button(_.label("🔒 Yes, close it"), "sb", request.id, "xok")],
            [button(_.label("Keep it"), "sb", request.id, "keep")],
        ]
    )
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def close_request(update: Update, context: Ctx) -> None:
    own = await own_request(update, context)
    if own is None:
        return
    _member, request = own
    query = update.callback_query
    assert query is not None
    _ = context.t
    if query.data is not None and query.data.endswith(":keep"):
        await query.answer()
        await query.edit_message_text(_("OK, it stays as it is."))
        return
    was = await context.services.repos.sourcing.close(request.id, context.now())
    if was is None:
        await alert(update, _.label("This request is closed already."))
        await query.edit_message_reply_markup(None)
        return
    await query.answer()
    if was == "pending":
        await query.edit_message_text(_("↩️ Request #{number} was withdrawn.", number=request.id))
        await close_copies(context, request, lambda t: t("↩️ Withdrawn by the buyer."))
    else:
        await query.edit_message_text(
            _(
                "🔒 Request #{number} is closed. You can still connect with the interested "
                "suppliers from the shortlist.",
                number=request.id,
            )
        )
    await refresh_shortlist(context, request.id)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    request = r"(\d+)"
    return [
        CallbackQueryHandler(open_shortlist, callbacks.pattern("sb", request, "v")),
        CallbackQueryHandler(turn_page, callbacks.pattern("sb", request, "p", r"(\d+)")),
        CallbackQueryHandler(supplier_card, callbacks.pattern("sb", request, "c", r"(\d+)")),
        CallbackQueryHandler(reveal, callbacks.pattern("sb", request, "rv")),
        CallbackQueryHandler(ask_close, callbacks.pattern("sb", request, "x")),
        CallbackQueryHandler(close_request, callbacks.pattern("sb", request, "(xok|keep)")),
    ]
