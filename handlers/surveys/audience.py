"""Who a survey built in the chat is for, the form's audience step: every member, an axis, an
organization, a sector, a working group, or the people who said Going to an event (the same
choices as a survey file).

Buttons carry ids only; what they point at is looked up again when tapped, so a button for a
group or organization deleted since then answers "expired" instead of inviting nobody.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.auth import allowed, coordinator_scope, may_address
from bot.context import Ctx
from bot.labels import SECTOR_NAMES, axis_name, sector_name
from handlers.core import forms
from handlers.shared.audience import picker_label
from handlers.surveys.steps import AUDIENCE, CLOSES, button, draft_of
from storage.audience import Audience

LISTS = ("org", "sec", "grp", "evt")
SECTORS = tuple(SECTOR_NAMES)
ORGS_PER_PAGE = 8
NAME_MAX = 60


# --- the choices ---------------------------------------------------------------------------------


async def menu(context: Ctx) -> tuple[str, InlineKeyboardMarkup]:
    """The first choice: everyone, an axis, or one of the lists. Coordinators limited to some
    axes see only their axes, and the groups and events of those axes."""
    _ = context.t
    scope = await coordinator_scope(context)
    rows = [] if scope else [[button(_.label("🌐 Every member"), "aud", 0)]]
    for axis in await context.services.repos.reference.axes():
        if not scope or axis.id in scope:
            rows.append([button(axis_name(_, axis.code), "aud", axis.id)])
    rows.append([button(_.label("👥 A working group"), "audk", "grp", 0)])
    rows.append([button(_.label("📅 Who said Going to an event"), "audk", "evt", 0)])
    if not scope:
        rows.append([button(_.label("🏢 An organization"), "audk", "org", 0)])
        rows.append([button(_.label("🏭 A sector"), "audk", "sec", 0)])
    return _("👥 Who is it for?"), InlineKeyboardMarkup(rows)


async def listing(context: Ctx, kind: str, page: int) -> tuple[str, InlineKeyboardMarkup]:
    """One of the lists, with a way back to the first choice."""
    _ = context.t
    repos = context.services.repos
    scope = await coordinator_scope(context)
    rows: list[list[InlineKeyboardButton]] = []
    if kind == "org":
        text = _("🏢 Which organization?")
        page = max(0, page)
        for org in await repos.reference.organizations_page(page * ORGS_PER_PAGE, ORGS_PER_PAGE):
            rows.append([button(org.name[:NAME_MAX], "audo", "org", org.id)])
        paging = []
        if page > 0:
            paging.append(button(_.label("◀ Previous"), "audk", "org", page - 1))
        if (page + 1) * ORGS_PER_PAGE < await repos.reference.organization_count():
            paging.append(button(_.label("Next ▶"), "audk", "org", page + 1))
        if paging:
            rows.append(paging)
    elif kind == "sec":
        text = _("🏭 Which sector?")
        for index, code in enumerate(SECTORS):
            rows.append([button(sector_name(_, code), "audo", "sec", index)])
    elif kind == "grp":
        groups = await repos.targets.working_groups(scope)
        text = _("👥 Which working group?") if groups else _("There are no working groups yet.")
        rows = [[button(g.name[:NAME_MAX], "audo", "grp", g.id)] for g in groups]
    else:
        events = await repos.targets.events(context.now(), scope)
        text = (
            _("📅 Which event? Those who answered Going will be invited.")
            if events
            else _("There are no published events from the last 30 days or coming up.")
        )
        reader = context.reader
        rows = [[button(picker_label(reader, e), "audo", "evt", e.id)] for e in events]
    rows.append([button(_.label("◀ Back"), "audk", "menu", 0)])
    return text, InlineKeyboardMarkup(rows)


async def chosen(context: Ctx, kind: str, value: int) -> Audience | None:
    """The audience a list button points at, or None when it no longer exists."""
    repos = context.services.repos
    if kind == "org":
        found = await repos.reference.organization(value) is not None
        return Audience(kind="organizations", ids=(value,)) if found else None
    if kind == "sec":
        return Audience(kind="sectors", sectors=(SECTORS[value],)) if value < len(SECTORS) else None
    if kind == "grp":
        group = await repos.targets.name("working_group", value)
        return Audience(kind="working_group", ids=(value,)) if group else None
    event = await repos.targets.name("event", value)
    return Audience(kind="event", ids=(value,), answers=("going",)) if event else None


# --- the step's taps -----------------------------------------------------------------------------


async def chose_audience(update: Update, context: Ctx) -> str | None:
    """Every member (0) or one axis."""
    query = update.callback_query
    assert query is not None and query.data is not None
    axis_id = int(query.data.split(":")[2])
    audience = Audience(kind="axes", ids=(axis_id,)) if axis_id else Audience()
    return await _audience_chosen(update, context, audience)


async def browsed_audience(update: Update, context: Ctx) -> str:
    """One of the lists (organizations, sectors, groups, events), or back to the first choice."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return AUDIENCE
    await query.answer()
    _prefix, _step_name, kind, page = query.data.split(":")
    if kind == "menu":
        text, markup = await menu(context)
    else:
        text, markup = await listing(context, kind, int(page))
    await query.edit_message_text(text, reply_markup=markup)  # unchanged on a double tap: fine
    return AUDIENCE


async def picked_audience(update: Update, context: Ctx) -> str | None:
    """An organization, sector, group or event of a list."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _prefix, _step_name, kind, value = query.data.split(":")
    audience = await chosen(context, kind, int(value))
    if audience is None:
        await forms.wrong_input(update, context)
        return None
    return await _audience_chosen(update, context, audience)


async def _audience_chosen(update: Update, context: Ctx, audience: Audience) -> str | None:
    """Checked against the coordinator's axes at the moment of the tap; refused: the step stays."""
    query = update.callback_query
    assert query is not None
    if not await may_address(update, context, audience):
        return None
    await query.answer()
    await query.edit_message_reply_markup(None)
    draft_of(context)["audience_json"] = audience.to_json()
    await forms.say(
        update,
        context,
        context.t(
            "🕒 Until when is it open? For example 5/12 18:00 ({zone}).",
            zone=context.reader.typing_zone_name(),
        ),
    )
    return CLOSES
