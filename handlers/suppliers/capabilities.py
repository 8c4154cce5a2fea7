"""/capabilities: the capability profile of the member's organization, kept by any of its
members: processes and certifications as toggles (like the axes at sign-up), and the
description, monthly capacity and city typed in the sourcing form (form.py). Every change is
stored at once and written in the audit log; the organization's other members are told when
the editor taps Done (or, if they never do, by the job a few minutes later; notices.py).

Buttons carry `cp:…`; the organization is always the caller's own, read at the moment of the
tap, so a button cannot be pointed at another organization.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    filters,
)

from bot import callbacks
from bot.context import Ctx
from bot.i18n import N_
from handlers.core import forms, menu
from handlers.suppliers.cards import profile_card
from handlers.suppliers.catalogue import certification_name, process_name
from handlers.suppliers.common import (
    button,
    expired,
    letters,
    organization_member,
    toggle_rows,
)
from handlers.suppliers.notices import tell_colleagues
from storage.models import Member
from storage.repositories.suppliers.capabilities import TextField

CP_TEXT = "cp_text"  # the conversation state of a typed field (its value is persisted)
EXPIRED_FORM = N_("This step has expired. Please start again from /capabilities.")
FIELDS: dict[str, tuple[TextField, int]] = {
    "desc": ("description", 1000),
    "cap": ("monthly_capacity", 200),
    "city": ("city", 80),
}


async def _organization_name(context: Ctx, member: Member) -> str:
    assert member.organization_id is not None
    organization = await context.services.repos.reference.organization(member.organization_id)
    return organization.name if organization else "?"


async def view(context: Ctx, member: Member, section: str = "main") -> tuple[str, Any]:
    """The profile with its buttons; `section` is main, proc (processes) or cert."""
    _ = context.t
    repos = context.services.repos
    assert member.organization_id is not None
    profile = await repos.capabilities.profile(member.organization_id)
    name = await _organization_name(context, member)
    if section in ("proc", "cert"):
        chosen = set(profile.processes if section == "proc" else ()) if profile else set()
        if section == "proc":
            items = await repos.capabilities.processes()
            head = _("⚙️ <b>Processes of {organization}</b>", organization=name)
            prefix = "p"
            labels = [process_name(_, i.code, i.name) for i in items]
        else:
            chosen = set(profile.certifications) if profile else set()
            items = await repos.capabilities.certifications()
            head = _("📜 <b>Certifications of {organization}</b>", organization=name)
            prefix = "c"
            labels = [certification_name(_, i.code, i.name) for i in items]
        buttons = [
            button(("✓ " if item.code in chosen else "") + label, "cp", prefix, item.id)
            for item, label in zip(items, labels, strict=True)
        ]
        rows = toggle_rows(buttons, labels)
        rows.append([button(_.label("◀️ Back"), "cp", "v", "main")])
        text = head + "\n\n" + _("Tap to add or remove; ✓ marks what you have. Saved at once.")
        return text, InlineKeyboardMarkup(rows)
    tz = context.services.settings.tz
    if profile is None:
        text = _(
            "🏭 <b>{organization} has no capability profile yet.</b>\n\nWith one, the sourcing "
            "requests of carmakers, Tier-1s and other members that match what you do reach "
            "your organization here. Start with your processes and certifications.",
            organization=name,
        )
    else:
        text = profile_card(_, profile, name, tz=tz)
    text += "\n\n" + _(
        "Any member of {organization} can change it; the others are told.", organization=name
    )
    rows = [
        [
            button(_.label("⚙️ Processes"), "cp", "v", "proc"),
            button(_.label("📜 Certifications"), "cp", "v", "cert"),
        ],
        [
            button(_.label("📝 Description"), "cp", "ed", "desc"),
            button(_.label("📦 Capacity"), "cp", "ed", "cap"),
            button(_.label("📍 City"), "cp", "ed", "city"),
        ],
        [button(_.label("✅ Done"), "cp", "done")],
    ]
    return text, InlineKeyboardMarkup(rows)


async def capabilities(update: Update, context: Ctx) -> None:
    """/capabilities, and the buttons of invitations and notices that open the profile."""
    member = await organization_member(update, context)
    if member is None:
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    text, markup = await view(context, member)
    await forms.say(update, context, text, markup)


async def switch_view(update: Update, context: Ctx) -> None:
    """◀️ Back, ⚙️ Processes, 📜 Certifications: the same message, another section."""
    query = update.callback_query
    assert query is not None and query.data is not None
    member = await organization_member(update, context)
    if member is None:
        return
    await query.answer()
    text, markup = await view(context, member, query.data.split(":")[2])
    await query.edit_message_text(text, reply_markup=markup)


async def toggled(update: Update, context: Ctx) -> None:
    """A process or a certification tapped: stored, audited, the toggles redrawn."""
    query = update.callback_query
    assert query is not None and query.data is not None
    member = await organization_member(update, context)
    if member is None:
        return
    assert member.organization_id is not None
    _prefix, kind, item = query.data.split(":")
    now = context.now()
    repos = context.services.repos
    changed = await repos.capabilities.toggle(
        "process" if kind == "p" else "certification",
        member.organization_id,
        int(item),
        member.id,
        now,
    )
    if changed is None:
        await expired(update, context)
        return
    code, on = changed
    await repos.audit.record(
        now,
        member.id,
        "capabilities.edit",
        "organization",
        member.organization_id,
        change="process" if kind == "p" else "certification",
        code=code,
        on=on,
    )
    await query.answer(context.t.label("Saved."))
    text, markup = await view(context, member, "proc" if kind == "p" else "cert")
    await query.edit_message_text(text, reply_markup=markup)


async def done(update: Update, context: Ctx) -> None:
    """✅ Done: the profile as it is now, and the colleagues told of what changed."""
    query = update.callback_query
    assert query is not None
    member = await organization_member(update, context)
    if member is None:
        return
    assert member.organization_id is not None
    await query.answer()
    _ = context.t
    told = await tell_colleagues(context, member.organization_id)
    name = await _organization_name(context, member)
    profile = await context.services.repos.capabilities.profile(member.organization_id)
    if profile is None:
        text = _(
            "Nothing was saved: {organization} still has no capability profile.", organization=name
        )
    else:
        text = profile_card(_, profile, name, tz=context.services.settings.tz) + "\n\n"
        if told is None:
            text += _("✅ Saved; nothing changed.")
        elif told == 0:  # nobody else at the organization to tell
            text += _("✅ Saved.")
        else:
            text += _._n(
                "✅ Saved. {count} colleague at {organization} is told.",
                "✅ Saved. {count} colleagues at {organization} are told.",
                told,
                organization=name,
            )
    await query.edit_message_text(text)


# --- the typed fields (a step of the sourcing form) ----------------------------------------


async def ask_text(update: Update, context: Ctx) -> str | int:
    """📝 Description, 📦 Capacity or 📍 City: ask for it."""
    query = update.callback_query
    assert query is not None and query.data is not None
    member = await organization_member(update, context)
    if member is None:
        return ConversationHandler.END
    await query.answer()
    key = query.data.split(":")[2]
    forms.draft(context, "cp")["field"] = key
    _ = context.t
    name = await _organization_name(context, member)
    prompts = {
        "desc": _(
            "📝 Describe {organization} in a few lines: what you make, for whom, what sets you "
            "apart (up to 1000 characters). Send - to clear it, /cancel to leave it as it is.",
            organization=name,
        ),
        "cap": _(
            "📦 Your monthly capacity, in your own words (for example 50,000 stamped parts or "
            "3 tonnes; up to 200 characters). Send - to clear it, /cancel to leave it as it is."
        ),
        "city": _(
            "📍 In which city is {organization}? (up to 80 characters). Send - to clear it, "
            "/cancel to leave it as it is.",
            organization=name,
        ),
    }
    await forms.say(update, context, prompts[key])
    return CP_TEXT


async def typed_text(update: Update, context: Ctx) -> str | int:
    """The typed description, capacity or city: checked, stored, audited; the profile again."""
    message = update.effective_message
    assert message is not None and message.text is not None
    member = await organization_member(update, context)
    if member is None:
        return ConversationHandler.END
    assert member.organization_id is not None
    draft = forms.draft(context, "cp")
    key = draft.get("field")
    if key not in FIELDS:
        await forms.say(update, context, context.t(EXPIRED_FORM))
        return ConversationHandler.END
    field, maximum = FIELDS[key]
    text = message.text.strip()
    value: str | None = None
    if text != "-":
        value = " ".join(text.split()) if field != "description" else text
        if len(value) > maximum:
            await forms.say(
                update,
                context,
                context.t(
                    "That is too long: at most {maximum} characters (yours has {count}).",
                    maximum=maximum,
                    count=len(value),
                ),
            )
            return CP_TEXT
        if field != "monthly_capacity" and letters(value) < 2:
            await forms.say(
                update, context, context.t("Please write it with letters (at least two).")
            )
            return CP_TEXT
    now = context.now()
    repos = context.services.repos
    await repos.capabilities.set_text(member.organization_id, field, value, member.id, now)
    await repos.audit.record(
        now, member.id, "capabilities.edit", "organization", member.organization_id, change=field
    )
    assert context.user_data is not None
    context.user_data.pop("cp", None)
    await forms.say(update, context, context.t("✅ Saved."), menu.keyboard(context.t))
    view_text, markup = await view(context, member)
    await forms.say(update, context, view_text, markup)
    return ConversationHandler.END


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    """/capabilities and the profile's buttons (a typed field is a step of form.py)."""
    return [
        CommandHandler("capabilities", capabilities, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(capabilities, callbacks.pattern("cp", "open")),
        CallbackQueryHandler(switch_view, callbacks.pattern("cp", "v", "(main|proc|cert)")),
        CallbackQueryHandler(toggled, callbacks.pattern("cp", "(p|c)", r"(\d+)")),
        CallbackQueryHandler(done, callbacks.pattern("cp", "done")),
    ]
