"""Conditional questions in the chat's form: a question asked only after a given answer to an
earlier one. Offered once there is an earlier question whose answers are buttons (one or
several choices, yes/no, a 1–5 scale): first which question, then which of its answers.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Update

from bot.context import Ctx
from bot.i18n import Translator
from handlers.core import forms
from handlers.surveys.steps import Q_CONDITION, ask_kind, button, draft_of

CONDITION_KINDS = ("single", "multi", "yesno", "scale")


def condition_sources(draft: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """The earlier questions (numbered from 1) whose answers can be picked from buttons."""
    return [
        (number, question)
        for number, question in enumerate(draft["questions"], start=1)
        if question["type"] in CONDITION_KINDS
    ]


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def ask_condition(update: Update, context: Ctx) -> str:
    """Everyone, or only after an answer to one of the earlier questions?"""
    _ = context.t
    draft = draft_of(context)
    rows = [[button(_.label("Ask everyone"), "if", 0)]]
    for number, question in condition_sources(draft):
        label = _.label(
            "Only after an answer to {number}: {question}",
            number=number,
            question=_short(question["text"]),
        )
        rows.append([button(label, "if", number)])
    await forms.say(
        update,
        context,
        _("🔀 Ask this question of everyone, or only after a certain answer?"),
        InlineKeyboardMarkup(rows),
    )
    return Q_CONDITION


def _answer_buttons(_: Translator, question: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, stored code) of each answer that can be a condition."""
    from storage.repositories.surveys.definition import option_code

    if question["type"] in ("single", "multi"):
        return [(o, option_code(i)) for i, o in enumerate(question["options"], start=1)]
    if question["type"] == "yesno":
        return [(_.label("Yes"), "1"), (_.label("No"), "0")]
    return [(str(n), str(n)) for n in range(1, 6)]


async def chose_condition_question(update: Update, context: Ctx) -> str | None:
    """Everyone (0), or an earlier question: then which of its answers."""
    query = update.callback_query
    assert query is not None and query.data is not None
    draft = draft_of(context)
    number = int(query.data.split(":")[2])
    sources = dict(condition_sources(draft))
    if "current" not in draft or (number and number not in sources):
        await forms.wrong_input(update, context)
        return None
    await query.answer()
    await query.edit_message_reply_markup(None)
    if not number:
        draft["current"].pop("show_if", None)
        draft["questions"].append(draft.pop("current"))
        return await ask_kind(update, context)
    draft["current"]["show_if"] = {"question": number}
    _ = context.t
    rows = [[button(label, "ifv", code)] for label, code in _answer_buttons(_, sources[number])]
    text = _(
        "Ask it only when question {number} was answered… ({question})",
        number=number,
        question=_short(sources[number]["text"]),
    )
    await forms.say(update, context, text, InlineKeyboardMarkup(rows))
    return Q_CONDITION


async def chose_condition_answer(update: Update, context: Ctx) -> str | None:
    """The answer that shows the question; the next question's kind comes next."""
    query = update.callback_query
    assert query is not None and query.data is not None
    draft = draft_of(context)
    current = draft.get("current") or {}
    number = (current.get("show_if") or {}).get("question")
    sources = dict(condition_sources(draft))
    code = query.data.split(":")[2]
    if number not in sources or code not in {
        c for _l, c in _answer_buttons(context.t, sources[number])
    }:
        await forms.wrong_input(update, context)
        return None
    await query.answer()
    await query.edit_message_reply_markup(None)
    current["show_if"]["answer"] = code
    draft["questions"].append(draft.pop("current"))
    return await ask_kind(update, context)
