"""What every part of the survey form shares, so that the parts need not import each other.

The names of the form's steps (persistence stores them with each coordinator's place in the
form: they must never change), the draft in the coordinator's user data, the form's buttons
(`sa:…`), the kinds of question and their names, the step each question starts with (its
kind, which the other steps return to), who may manage a launched survey and who may read
its results.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import callbacks
from bot.auth import may_address, may_read
from bot.context import Ctx
from bot.i18n import Translator
from handlers.core import forms
from storage.repositories.surveys.surveys import Survey

# The form's steps, stored with each coordinator's place in the form: never rename them.
(
    TITLE,
    INTRO,
    Q_KIND,
    Q_TEXT,
    Q_OPTIONS,
    Q_RANGE,
    Q_REQUIRED,
    Q_CONDITION,
    ANONYMOUS,
    AUDIENCE,
    CLOSES,
    PREVIEW,
) = (
    f"sv_{n}"
    for n in (
        "title",
        "intro",
        "q_kind",
        "q_text",
        "q_options",
        "q_range",
        "q_required",
        "q_condition",
        "anonymous",
        "audience",
        "closes",
        "preview",
    )
)
REMIND_AT = "sv_remind_at"
KINDS = ("single", "multi", "scale", "nps", "yesno", "number", "text")
MESSAGE_MAX = 3800  # what the form and /results put in one message, under Telegram's 4096


def draft_of(context: Ctx) -> dict[str, Any]:
    """The survey being built, in the coordinator's user data (it survives a restart)."""
    return forms.draft(context, "svd")


def button(label: str, *parts: str | int) -> InlineKeyboardButton:
    """A button of the survey form or of a coordinator's survey actions."""
    return InlineKeyboardButton(label, callback_data=callbacks.pack("sa", *parts))


def kind_name(t: Translator, kind: str) -> str:
    """A kind of question as the coordinator reads it."""
    return {
        "single": t.label("One choice"),
        "multi": t.label("Several choices"),
        "scale": t.label("Scale 1–5"),
        "nps": t.label("Recommendation 0–10 (NPS)"),
        "yesno": t.label("Yes / No"),
        "number": t.label("A number"),
        "text": t.label("Free text"),
    }[kind]


async def ask_kind(update: Update, context: Ctx) -> str:
    """Question N: what kind? (Or no more questions, once there is one.)"""
    _ = context.t
    count = len(draft_of(context)["questions"])
    rows = [[button(kind_name(_, k), "k", k)] for k in KINDS]
    if count:
        rows.append([button(_.label("✅ No more questions"), "k", "end")])
    text = _("Question {number}: what kind?", number=count + 1)
    await forms.say(update, context, text, InlineKeyboardMarkup(rows))
    return Q_KIND


async def may_manage(update: Update, context: Ctx, survey: Survey) -> bool:
    """Coordinators limited to some axes manage (remind, close) the surveys whose audience
    lies in them."""
    return await may_address(update, context, survey.audience)


async def may_see_results(update: Update, context: Ctx, survey: Survey) -> bool:
    """The one rule for reading a survey's results, in /results, its list and its exports:
    coordinators limited to some axes read the surveys of the whole cluster and of their axes
    (`bot.auth.reads`)."""
    return await may_read(update, context, survey.audience)
