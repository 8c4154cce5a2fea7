"""Who receives an announcement: the audience kinds a coordinator may choose (every member,
axes, organizations, sectors, a working group, who answered an event, who has not finished
a survey) and the pickers that tick several or choose one.

Authorization is checked again at every tap that acts; a coordinator limited to some axes
is offered only those. A chosen audience leads to the preview.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from bot.auth import allowed, coordinator_scope
from bot.context import Ctx
from bot.labels import SECTOR_NAMES, axis_name, sector_name
from handlers.broadcasts.draft import AUDIENCE, PICK, button, draft_of, expired
from handlers.broadcasts.preview import chosen, show_preview
from handlers.core.forms import chat_of
from handlers.shared.audience import picker_label
from storage.audience import Audience

ORGS_PER_PAGE = 8
ALL_SECTORS = tuple(SECTOR_NAMES)


async def ask_audience(update: Update, context: Ctx) -> str:
    """Who should receive it: the kinds this coordinator may address (all of them unless
    limited to some axes)."""
    _ = context.t
    scoped = bool(await coordinator_scope(context))
    rows = [[button(_.label("🎯 Members of axes"), "a", "axes")]]
    rows.append([button(_.label("👥 A working group"), "a", "working_group")])
    rows.append([button(_.label("📅 Who answered an event"), "a", "event")])
    if not scoped:
        rows.insert(0, [button(_.label("🌐 Every member"), "a", "everyone")])
        rows.append([button(_.label("🏢 Organizations"), "a", "organizations")])
        rows.append([button(_.label("🏭 Sectors"), "a", "sectors")])
        rows.append([button(_.label("📝 Who has not finished a survey"), "a", "survey")])
    rows.append([button(_.label("✖ Cancel"), "x")])
    await context.bot.send_message(
        chat_of(update),
        _("👥 <b>Who should receive it?</b>"),
        reply_markup=InlineKeyboardMarkup(rows),
    )
    return AUDIENCE


async def chose_audience(update: Update, context: Ctx) -> str | int | None:
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return ConversationHandler.END
    kind = query.data.split(":")[2]
    draft = draft_of(context)
    draft.update(kind=kind, ids=[], sectors=[], page=0)
    if kind == "everyone":
        return await chosen(update, context, Audience(kind="everyone"))
    await query.answer()
    return await _show_picker(update, context)


async def _picker(context: Ctx) -> tuple[str, list[list[InlineKeyboardButton]]]:
    """The text and buttons of the current picker, with the choices so far ticked."""
    _ = context.t
    draft = draft_of(context)
    kind, chosen = draft["kind"], set(draft.get("ids", []))
    repos, scope = context.services.repos, await coordinator_scope(context)
    rows: list[list[InlineKeyboardButton]] = []
    tick = "✓ "
    if kind == "axes":
        text = _("🎯 Tap the axes whose members should receive it, then Continue.")
        for axis in await repos.reference.axes():
            if not scope or axis.id in scope:
                label = (tick if axis.id in chosen else "") + axis_name(_, axis.code)
                rows.append([button(label, "t", axis.id)])
    elif kind == "sectors":
        text = _("🏭 Tap the sectors, then Continue.")
        picked = set(draft.get("sectors", []))
        for index, code in enumerate(ALL_SECTORS):
            label = (tick if code in picked else "") + sector_name(_, code)
            rows.append([button(label, "t", index)])
    elif kind == "organizations":
        text = _("🏢 Tap the organizations, then Continue.")
        page = int(draft.get("page", 0))
        total = await repos.reference.organization_count()
        for org in await repos.reference.organizations_page(page * ORGS_PER_PAGE, ORGS_PER_PAGE):
            rows.append([button((tick if org.id in chosen else "") + org.name, "t", org.id)])
        paging = []
        if page > 0:
            paging.append(button(_.label("◀ Previous"), "p", page - 1))
        if (page + 1) * ORGS_PER_PAGE < total:
            paging.append(button(_.label("Next ▶"), "p", page + 1))
        if paging:
            rows.append(paging)
    else:
        text, targets = await _single_choice(context, kind, scope)
        reader = context.reader
        rows = [
            [button(picker_label(reader, t) if t.starts_at else t.name[:60], "o", t.id)]
            for t in targets
        ]
        rows.append([button(_.label("◀ Back"), "back")])
        return text, rows
    rows.append([button(_.label("◀ Back"), "back"), button(_.label("Continue ▶️"), "go")])
    return text, rows


async def _single_choice(context: Ctx, kind: str, scope: frozenset[int]) -> tuple[str, list[Any]]:
    _ = context.t
    targets = context.services.repos.targets
    if kind == "working_group":
        found = await targets.working_groups(scope)
        text = _("👥 Which working group?") if found else _("There are no working groups yet.")
    elif kind == "event":
        found = await targets.events(context.now(), scope)
        text = (
            _("📅 Which event? Its answers choose the audience.")
            if found
            else _("There are no published events from the last 30 days or coming up.")
        )
    else:
        found = await targets.open_surveys()
        text = _("📝 Which survey?") if found else _("There are no open surveys.")
    return text, found


async def _show_picker(update: Update, context: Ctx) -> str:
    text, rows = await _picker(context)
    query = update.callback_query
    if query is not None and query.message is not None:
        await query.edit_message_text(text, reply_markup=InlineKeyboardMarkup(rows))
    else:
        await context.bot.send_message(
            chat_of(update), text, reply_markup=InlineKeyboardMarkup(rows)
        )
    return PICK


async def toggled(update: Update, context: Ctx) -> str | int:
    """A tap on an axis, organization or sector: tick or untick it."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return ConversationHandler.END
    draft = draft_of(context)
    value = int(query.data.split(":")[2])
    if draft.get("kind") == "sectors":
        if not 0 <= value < len(ALL_SECTORS):
            return await expired(update, context)
        sectors = set(draft.get("sectors", [])) ^ {ALL_SECTORS[value]}
        draft["sectors"] = sorted(sectors)
    elif draft.get("kind") in ("axes", "organizations"):
        draft["ids"] = sorted(set(draft.get("ids", [])) ^ {value})
    else:
        return await expired(update, context)
    await query.answer()
    return await _show_picker(update, context)


async def paged(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    draft_of(context)["page"] = max(0, int(query.data.split(":")[2]))
    return await _show_picker(update, context)


async def picked_one(update: Update, context: Ctx) -> str | int | None:
    """A working group, event or survey is the audience (for an event: which answers)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return ConversationHandler.END
    draft = draft_of(context)
    target_id = int(query.data.split(":")[2])
    kind = {"working_group": "working_group", "event": "event", "survey": "survey"}.get(
        draft.get("kind", "")
    )
    if kind is None or await context.services.repos.targets.name(kind, target_id) is None:
        return await expired(update, context)
    draft["ids"] = [target_id]
    if kind == "event":
        await query.answer()
        _ = context.t
        rows = [
            [button(_.label("✅ Going"), "ans", "g")],
            [button(_.label("✅ Going and 🤔 Maybe"), "ans", "gm")],
            [button(_.label("◀ Back"), "back")],
        ]
        await query.edit_message_text(_("Which answers?"), reply_markup=InlineKeyboardMarkup(rows))
        return PICK
    audience_kind = "survey_unfinished" if kind == "survey" else kind
    return await chosen(update, context, Audience(kind=audience_kind, ids=(target_id,)))


async def picked_answers(update: Update, context: Ctx) -> str | int | None:
    query = update.callback_query
    assert query is not None and query.data is not None
    draft = draft_of(context)
    if draft.get("kind") != "event" or not draft.get("ids"):
        return await expired(update, context)
    await query.answer()
    answers = ("going", "maybe") if query.data.endswith(":gm") else ("going",)
    draft["audience"] = Audience(kind="event", ids=tuple(draft["ids"]), answers=answers).model_dump(
        mode="json"
    )
    return await show_preview(update, context)


async def picked_many(update: Update, context: Ctx) -> str | int | None:
    """Continue after ticking axes, organizations or sectors."""
    query = update.callback_query
    assert query is not None
    draft = draft_of(context)
    kind = draft.get("kind")
    if kind == "sectors":
        if not draft.get("sectors"):
            await query.answer(context.t.label("Tick at least one."), show_alert=True)
            return PICK
        audience = Audience(kind="sectors", sectors=tuple(draft["sectors"]))
    elif kind in ("axes", "organizations"):
        if not draft.get("ids"):
            await query.answer(context.t.label("Tick at least one."), show_alert=True)
            return PICK
        audience = Audience(kind=kind, ids=tuple(draft["ids"]))
    else:
        return await expired(update, context)
    return await chosen(update, context, audience)


async def back(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None
    await query.answer()
    return await ask_audience(update, context)
