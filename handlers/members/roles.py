"""Admins: /promote and /demote (with confirmation and axis scope), and the /audit log."""

from __future__ import annotations

import csv
import io
import json

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.auth import allowed
from bot.commands import set_personal_menu
from bot.context import Ctx
from bot.i18n import Translator
from bot.labels import action_name, axis_name
from bot.roles import effective_role
from bot.validation import echo
from handlers.core import confirm
from storage.models import Member, from_db_time

AUDIT_SHOWN = 20


def _chat_id(update: Update) -> int:
    assert update.effective_chat is not None
    return update.effective_chat.id


def _button(label: str, *parts: str | int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.pack("rl", *parts))


async def _role_text(context: Ctx, member: Member, t: Translator) -> str:
    """ "coordinator of 💡 Innovation", "administrator", … in the reader's language."""
    if member.telegram_user_id in context.services.settings.admin_ids or member.role == "admin":
        return t.label("administrator")
    if member.role == "coordinator":
        scope = await context.services.repos.members.coordinator_axis_ids(member.id)
        if not scope:
            return t.label("coordinator of all axes")
        axes = {a.id: a.code for a in await context.services.repos.reference.axes()}
        names = t.join(axis_name(t, axes[a]) for a in sorted(scope) if a in axes)
        return t.label("coordinator of {axes}", axes=names)
    return t.label("member")


async def _pick(update: Update, context: Ctx, command: str, staff_only: bool) -> None:
    _ = context.t
    text = " ".join(context.args or []).strip()
    if not text:
        await context.bot.send_message(
            _chat_id(update),
            _(
                "Write part of the person's name after the command, for example: /{command} Ana",
                command=command,
            ),
        )
        return
    found = await context.services.repos.members.search(text, staff_only=staff_only)
    if not found:
        text = (
            _("No coordinator or administrator matches “{text}”.", text=echo(text))
            if staff_only
            else _("No active member matches “{text}”.", text=echo(text))
        )
        await context.bot.send_message(_chat_id(update), text)
        return
    action = "p" if command == "promote" else "d"
    if len(found) == 1:
        await _offer(update, context, found[0], action)
        return
    rows = [[_button(m.full_name or str(m.id), action, m.id)] for m in found]
    await context.bot.send_message(
        _chat_id(update), _("Whom do you mean?"), reply_markup=InlineKeyboardMarkup(rows)
    )


async def promote(update: Update, context: Ctx) -> None:
    """/promote <name>: choose the new role of an active member."""
    if await allowed(update, context, "admin"):
        await _pick(update, context, "promote", staff_only=False)


async def demote(update: Update, context: Ctx) -> None:
    """/demote <name>: a coordinator or admin becomes a member again."""
    if await allowed(update, context, "admin"):
        await _pick(update, context, "demote", staff_only=True)


async def _offer(update: Update, context: Ctx, member: Member, action: str) -> None:
    """The choices for one person: roles to promote to, or the demotion to confirm."""
    _ = context.t
    now = await _role_text(context, member, _)
    if await _configured_admin(update, context, member):
        return
    if action == "d":
        text = _("Make {name} ({role}) a member again?", name=member.full_name, role=now)
        rows = [
            [
                _button(_.label("✅ Confirm"), "ok", member.id, "m", 0),
                _button(_.label("Cancel"), "no"),
            ]
        ]
    else:
        text = _("What should {name} be? Now: {role}.", name=member.full_name, role=now)
        rows = [[_button(_.label("🛠 Coordinator of all axes"), "c", member.id, "c", 0)]]
        for axis in await context.services.repos.reference.axes():
            rows.append(
                [
                    _button(
                        _.label("🛠 Coordinator: {axis}", axis=axis_name(_, axis.code)),
                        "c",
                        member.id,
                        "c",
                        axis.id,
                    )
                ]
            )
        rows.append([_button(_.label("👑 Administrator"), "c", member.id, "a", 0)])
        rows.append([_button(_.label("Cancel"), "no")])
    await context.bot.send_message(_chat_id(update), text, reply_markup=InlineKeyboardMarkup(rows))


async def _configured_admin(update: Update, context: Ctx, member: Member) -> bool:
    """Admins from ADMIN_IDS keep that role whatever is stored: changing it here would only
    take effect (unexpectedly) once the setting changes, so it is refused and explained."""
    if member.telegram_user_id not in context.services.settings.admin_ids:
        return False
    await context.bot.send_message(
        _chat_id(update),
        context.t(
            "{name} is an administrator by configuration (ADMIN_IDS); change it there.",
            name=member.full_name,
        ),
    )
    return True


async def picked(update: Update, context: Ctx) -> None:
    """A name button of /promote or /demote."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "admin"):
        return
    _prefix, action, member_id = query.data.split(":")
    member = await context.services.repos.members.by_id(int(member_id))
    await query.answer()
    if member is None or member.status != "active":
        await query.edit_message_text(context.t("That person is no longer an active member."))
        return
    await query.edit_message_reply_markup(None)
    await _offer(update, context, member, action)


async def _new_scope(context: Ctx, member: Member, role: str, axis: int) -> frozenset[int]:
    if role != "coordinator" or axis == 0:
        return frozenset()
    current = (
        await context.services.repos.members.coordinator_axis_ids(member.id)
        if member.role == "coordinator"
        else frozenset()
    )
    return (current | {axis}) if current else frozenset({axis})


async def chosen(update: Update, context: Ctx) -> None:
    """A role button: ask for confirmation, saying exactly what will change."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "admin"):
        return
    _ = context.t
    _prefix, _c, member_id, role_code, axis = query.data.split(":")
    member = await context.services.repos.members.by_id(int(member_id))
    await query.answer()
    if member is None or member.status != "active":
        await query.edit_message_text(_("That person is no longer an active member."))
        return
    role = {"c": "coordinator", "a": "admin"}[role_code]
    scope = await _new_scope(context, member, role, int(axis))
    preview = member.model_copy(update={"role": role})
    target = await _describe(context, preview, scope, _)
    await query.edit_message_text(
        _("Make {name} {role}?", name=member.full_name, role=target),
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    _button(_.label("✅ Confirm"), "ok", member.id, role_code, axis),
                    _button(_.label("Cancel"), "no"),
                ]
            ]
        ),
    )


async def _describe(context: Ctx, member: Member, scope: frozenset[int], t: Translator) -> str:
    if member.role == "admin":
        return t.label("administrator")
    if member.role == "member":
        return t.label("member")
    if not scope:
        return t.label("coordinator of all axes")
    axes = {a.id: a.code for a in await context.services.repos.reference.axes()}
    return t.label(
        "coordinator of {axes}", axes=t.join(axis_name(t, axes[a]) for a in sorted(scope))
    )


async def confirmed(update: Update, context: Ctx) -> None:
    """✅: apply the role now (re-checked), once; refresh their menu, tell them. A second tap,
    or a second admin confirming the same change, hears that it is so already."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "admin"):
        return
    _ = context.t
    services = context.services
    _prefix, _ok, member_id, role_code, axis = query.data.split(":")
    member = await services.repos.members.by_id(int(member_id))
    if member is None or member.status != "active":
        await query.answer()
        await query.edit_message_text(_("That person is no longer an active member."))
        return
    if await _configured_admin(update, context, member):
        await query.answer()
        await query.edit_message_reply_markup(None)
        return
    role = {"c": "coordinator", "a": "admin", "m": "member"}[role_code]
    actor = context.member.id if context.member else None
    scope = await services.repos.members.change_role(
        member.id, role, int(axis) or None, actor, context.now()
    )
    updated = await services.repos.members.by_id(member.id)
    assert updated is not None
    description = await _role_text(context, updated, _)
    if scope is None:  # they have this role already: an earlier tap or another admin
        text = _.label(
            "{name} is already {role}; nothing changed.", name=member.full_name, role=description
        )
        await confirm.already_done(update, context, text)
        return
    await query.answer()
    await query.edit_message_text(
        _("✅ {name} is now {role}.", name=member.full_name, role=description)
    )
    await _tell(context, updated)


async def _tell(context: Ctx, member: Member) -> None:
    """The person's menu follows their new role; they are told in their language."""
    services = context.services
    language = services.i18n.resolve(member.language, None)
    t = services.i18n.get(language)
    role = effective_role(member, member.telegram_user_id, services.settings.admin_ids)
    if member.chat_id is None:
        return
    await set_personal_menu(context.bot, services.i18n, member.chat_id, language, role)
    try:
        await context.bot.send_message(
            member.chat_id,
            t(
                "Your role in the CLIA bot is now: {role}. /help shows what you can do.",
                role=await _role_text(context, member, t),
            ),
        )
    except Forbidden:
        await services.repos.members.mark_unreachable(member.telegram_user_id, context.now())
    except TelegramError:
        pass


async def cancelled(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(context.t("Cancelled; nothing changed."))


# --- /audit ------------------------------------------------------------------------


def _local(context: Ctx, stamp: str) -> str:
    return context.reader.show_short(from_db_time(stamp))


async def audit(update: Update, context: Ctx) -> None:
    """/audit: the latest coordinator and admin actions, and a CSV of all of them."""
    if not await allowed(update, context, "admin"):
        return
    _ = context.t
    entries = await context.services.repos.audit.with_actors(AUDIT_SHOWN)
    if not entries:
        await context.bot.send_message(_chat_id(update), _("The audit log is empty."))
        return
    lines = [_("<b>Latest actions</b> (local time)")]
    for entry in entries:
        number = f" #{entry['target_id']}" if entry["target_id"] is not None else ""
        lines.append(
            _(
                "{at} · {actor} · {action}{number}",
                at=_local(context, str(entry["at"])),
                actor=entry["actor"] or _.label("(system or forgotten)"),
                action=action_name(_, str(entry["action"])),
                number=number,
            )
        )
    markup = InlineKeyboardMarkup([[_button(_.label("⬇️ Whole log as CSV"), "csv")]])
    await context.bot.send_message(_chat_id(update), "\n".join(lines), reply_markup=markup)


async def audit_csv(update: Update, context: Ctx) -> None:
    """The whole audit log as a CSV file (UTC times, as stored)."""
    query = update.callback_query
    assert query is not None
    if not await allowed(update, context, "admin"):
        return
    await query.answer()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["id", "at_utc", "actor_id", "actor", "action", "target_kind", "target_id", "details"]
    )
    for entry in reversed(await context.services.repos.audit.with_actors()):
        writer.writerow(
            [
                entry["id"],
                entry["at"],
                entry["actor_id"],
                entry["actor"] or "",
                entry["action"],
                entry["target_kind"] or "",
                entry["target_id"] or "",
                json.dumps(json.loads(str(entry["details"])), ensure_ascii=False),
            ]
        )
    await context.bot.send_document(  # with a BOM, like every CSV here, for Excel
        _chat_id(update),
        InputFile(buffer.getvalue().encode("utf-8-sig"), filename="clia-audit-log.csv"),
    )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("promote", promote, filters=private),
        CommandHandler("demote", demote, filters=private),
        CommandHandler("audit", audit, filters=private),
        CallbackQueryHandler(picked, callbacks.pattern("rl", "(p|d)", r"(\d+)")),
        CallbackQueryHandler(chosen, callbacks.pattern("rl", "c", r"(\d+)", "(c|a)", r"(\d+)")),
        CallbackQueryHandler(
            confirmed, callbacks.pattern("rl", "ok", r"(\d+)", "(c|a|m)", r"(\d+)")
        ),
        CallbackQueryHandler(cancelled, callbacks.pattern("rl", "no")),
        CallbackQueryHandler(audit_csv, callbacks.pattern("rl", "csv")),
    ]
