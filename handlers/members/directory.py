"""/members: the coordinators' member directory, with counts, pages and filter buttons
(status, axis, sector, an organization given after the command).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.auth import allowed
from bot.context import Ctx
from bot.labels import SECTOR_NAMES, axis_name, sector_name, status_name
from bot.validation import echo
from storage.repositories.members.members import MemberFilter

MEMBERS_PER_PAGE = 10
_STATUS_CODES = {"a": "active", "p": "pending", "r": "rejected", "l": "left", "x": None}


def _members_data(status: str, axis: int, sector: str, organization: int, page: int) -> str:
    return callbacks.pack("mb", status, axis, sector, organization, page)


async def members(update: Update, context: Ctx) -> None:
    """/members [organization]: counts and a paged list, with filter buttons."""
    if not await allowed(update, context, "coordinator"):
        return
    organization = 0
    if context.args:
        found = await context.services.repos.reference.find_organizations(" ".join(context.args))
        if not found:
            assert update.effective_chat is not None
            await context.bot.send_message(
                update.effective_chat.id,
                context.t("No organization matches “{text}”.", text=echo(" ".join(context.args))),
            )
            return
        organization = found[0].id
    text, markup = await _members_view(context, "a", 0, "-", organization, 0)
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def members_page(update: Update, context: Ctx) -> None:
    """A filter or page button of /members: re-checked, then the view is redrawn."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return
    _prefix, status, axis, sector, organization, page = query.data.split(":")
    await query.answer()
    text, markup = await _members_view(
        context, status, int(axis), sector, int(organization), int(page)
    )
    await query.edit_message_text(text, reply_markup=markup)


async def _members_view(
    context: Ctx, status: str, axis: int, sector: str, organization: int, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    _ = context.t
    repo = context.services.repos.members
    where = MemberFilter(
        status=_STATUS_CODES.get(status),
        axis_id=axis or None,
        sector=sector if sector in SECTOR_NAMES else None,
        organization_id=organization or None,
    )
    total = await repo.count(where)
    pages = max(1, -(-total // MEMBERS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    rows = await repo.page(where, page * MEMBERS_PER_PAGE, MEMBERS_PER_PAGE)
    axes = {a.id: a.code for a in await context.services.repos.reference.axes()}
    filters_shown = [
        _("status: {value}", value=status_name(_, where.status))
        if where.status
        else _("status: any"),
    ]
    if where.axis_id:
        filters_shown.append(_("axis: {value}", value=axis_name(_, axes.get(where.axis_id, ""))))
    if where.sector:
        filters_shown.append(_("sector: {value}", value=sector_name(_, where.sector)))
    if where.organization_id:
        org = await context.services.repos.reference.organization(where.organization_id)
        filters_shown.append(_("organization: {value}", value=org.name if org else "—"))
    lines = [
        _._n(
            "👥 <b>{count} member</b> ({filters})",
            "👥 <b>{count} members</b> ({filters})",
            total,
            filters=", ".join(filters_shown),
        )
    ]
    for member, organization_name in rows:
        lines.append(
            _(
                "• {name} — {title}, {organization}",
                name=member.full_name or "—",
                title=member.job_title or "—",
                organization=organization_name or "—",
            )
        )
    if total > MEMBERS_PER_PAGE:
        lines.append(_("Page {page} of {pages}", page=page + 1, pages=pages))

    def button(label: str, **change: str | int) -> InlineKeyboardButton:
        values: dict[str, str | int] = {
            "status": status,
            "axis": axis,
            "sector": sector,
            "organization": organization,
            "page": 0,
        }
        values.update(change)
        return InlineKeyboardButton(
            label,
            callback_data=_members_data(
                str(values["status"]),
                int(values["axis"]),
                str(values["sector"]),
                int(values["organization"]),
                int(values["page"]),
            ),
        )

    keyboard = []
    navigation = []
    if page > 0:
        navigation.append(button("◀️", page=page - 1))
    if page < pages - 1:
        navigation.append(button("▶️", page=page + 1))
    if navigation:
        keyboard.append(navigation)
    keyboard.append(
        [
            button(("✓ " if axis == a else "") + axis_name(_, code), axis=0 if axis == a else a)
            for a, code in axes.items()
        ][:2]
    )
    keyboard.append(
        [
            button(("✓ " if axis == a else "") + axis_name(_, code), axis=0 if axis == a else a)
            for a, code in axes.items()
        ][2:]
    )
    keyboard.append(
        [
            button(
                ("✓ " if sector == code else "") + sector_name(_, code),
                sector="-" if sector == code else code,
            )
            for code in ("oem", "tier1", "supplier")
        ]
    )
    keyboard.append(
        [
            button(
                ("✓ " if sector == code else "") + sector_name(_, code),
                sector="-" if sector == code else code,
            )
            for code in ("academia", "government", "other")
        ]
    )
    keyboard.append(
        [
            button(("✓ " if status == code else "") + status_name(_, name or ""), status=code)
            for code, name in _STATUS_CODES.items()
            if name in ("active", "pending", "rejected")
        ]
        + [button(("✓ " if status == "x" else "") + _.label("all"), status="x")]
    )
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("members", members, filters=private),
        CallbackQueryHandler(
            members_page,
            callbacks.pattern("mb", "([apxrl])", r"(\d+)", "([a-z0-9-]+)", r"(\d+)", r"(\d+)"),
        ),
    ]
