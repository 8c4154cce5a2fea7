"""Answering surveys: the invitation's Start, one question per message with buttons and
progress, Back and Skip, conditional questions, typed numbers and texts, resuming after any
pause or restart, one response per member, anonymous surveys.

Every tap is a stateless callback (`sv:<survey>:<question>:<action>`): the survey's
structure is cached, the member's place and answers are in SQLite, and each answer is
committed before the next question is shown. How a question looks and which one comes next
live in questions.py; the invitation and its refusals in invitations.py.
"""

from __future__ import annotations

import contextlib
import re

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot import callbacks
from bot.auth import active_member
from bot.context import Ctx
from bot.validation import whole_number
from handlers.core import common
from handlers.surveys.invitations import admitted
from handlers.surveys.questions import (
    NPS,
    SCALE,
    at,
    hidden_questions,
    next_position,
    number_text,
    previous_position,
    question_message,
)
from storage.repositories.surveys.responses import Progress
from storage.repositories.surveys.surveys import QuestionRow, Survey

_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
_THOUSANDS = re.compile(r"-?[1-9]\d{0,2}(?:[, ]\d{3})+(?:\.\d+)?")


def read_number(text: str) -> float | None:
    """A number as people in Mexico type it: "1,200" and "1 200" are twelve hundred (a comma
    before three digits groups thousands), "12.5" and "12,5" are twelve and a half."""
    cleaned = text.strip()
    if _THOUSANDS.fullmatch(cleaned):
        return float(cleaned.replace(",", "").replace(" ", ""))
    if _NUMBER.fullmatch(cleaned):
        return float(cleaned.replace(",", "."))
    return None


# --- answering -----------------------------------------------------------------------------------


async def _show(
    update: Update, context: Ctx, survey: Survey, progress: Progress, *, edit: bool
) -> None:
    question = at(survey, progress.position)
    assert question is not None and update.effective_chat is not None
    text, markup = question_message(context.t, survey, question, progress)
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        try:  # an unchanged question (a double tap) is fine: see bot/retries.py
            await query.edit_message_text(text, reply_markup=markup)
            return
        except TelegramError:  # the message is gone or too old to edit: a new one instead
            pass
    message = await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)
    if context.user_data is not None:
        context.user_data.setdefault(_SHOWN, {})[str(survey.id)] = message.message_id


_SHOWN = "sv_shown"  # in the member's user data: survey id → the message showing its question


async def _retire_shown(update: Update, context: Ctx, survey: Survey) -> None:
    """A question answered by typing: its message keeps its text and loses its buttons (Back,
    Skip), like a question answered with a tap."""
    shown = context.user_data.get(_SHOWN, {}) if context.user_data is not None else {}
    message_id = shown.pop(str(survey.id), None)
    if message_id is None or update.effective_chat is None:
        return
    with contextlib.suppress(TelegramError):  # deleted by the member, or too old to edit
        await context.bot.edit_message_reply_markup(
            update.effective_chat.id, message_id, reply_markup=None
        )


async def begin(update: Update, context: Ctx, survey: Survey) -> None:
    """Start or continue: the question the member is at."""
    participation = await admitted(update, context, survey)
    if participation is None:
        return
    member = context.member
    assert member is not None
    repos = context.services.repos
    progress = participation.progress
    if progress is None:
        progress = await repos.surveys.start(survey, member.id, context.now())
        first = next_position(survey, {}, 0)
        assert first is not None
        progress.position = first
    if update.callback_query is not None:
        await update.callback_query.answer()
    await _show(update, context, survey, progress, edit=False)


async def tapped(update: Update, context: Ctx) -> None:
    """Start, an answer, Done, Back or Skip."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _prefix, survey_id, question_id, action = query.data.split(":")
    if survey_id == "0":  # the first question in a coordinator's preview
        await query.answer(
            context.t.label("This is the preview: the buttons work once it is published."),
            show_alert=True,
        )
        return
    if await active_member(update, context) is None:
        return
    survey = await context.services.repos.surveys.get(int(survey_id))
    if survey is None:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return
    if action == "start":
        await begin(update, context, survey)
        return
    participation = await admitted(update, context, survey)
    if participation is None:
        return
    progress = participation.progress
    question = survey.question(int(question_id))
    if progress is None or question is None or question.position != progress.position:
        await query.answer(
            context.t.label("That button belongs to another question. Here is where you are."),
            show_alert=True,
        )
        if progress is not None:
            await _show(update, context, survey, progress, edit=False)
        return
    await _act(update, context, survey, progress, question, action)


async def _act(
    update: Update,
    context: Ctx,
    survey: Survey,
    progress: Progress,
    question: QuestionRow,
    action: str,
) -> None:
    query = update.callback_query
    assert query is not None
    repos = context.services.repos
    member = context.member
    assert member is not None
    current = list(progress.answers.get(question.id, []))
    if action == "back":
        previous = previous_position(survey, progress.answers, question.position)
        if previous is None:
            await query.answer()
            return
        await repos.surveys.move_to(survey, member.id, previous)
        progress.position = previous
        await query.answer()
        await _show(update, context, survey, progress, edit=True)
        return
    if action.startswith("t") and question.kind == "multi":
        option = _option(question, action[1:])
        if option is None:
            await query.answer(
                context.t.label("This button has expired. Please start again."), show_alert=True
            )
            return
        values = [v for v in current if v != option] if option in current else [*current, option]
        await repos.surveys.save_answer(survey, member.id, question, values, question.position)
        progress.answers[question.id] = values
        await query.answer()
        await _show(update, context, survey, progress, edit=True)
        return
    if action == "done":
        if question.required and not current:
            await query.answer(
                context.t.label("Choose at least one answer, please."), show_alert=True
            )
            return
        await _advance(update, context, survey, progress, question, current, edit=True)
        return
    if action == "skip":
        if question.required:
            await query.answer(context.t.label("This question needs an answer."), show_alert=True)
            return
        await _advance(update, context, survey, progress, question, [], edit=True)
        return
    if action == "keep" and current:
        await _advance(update, context, survey, progress, question, current, edit=True)
        return
    value = None
    if action.startswith("o") and question.kind == "single":
        value = _option(question, action[1:])
    elif action.startswith("v") and (number := whole_number(action[1:])) is not None:
        allowed_values = {"scale": SCALE, "nps": NPS, "yesno": range(0, 2)}.get(question.kind)
        value = str(number) if allowed_values is not None and number in allowed_values else None
    if value is None:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return
    await _advance(update, context, survey, progress, question, [value], edit=True)


def _option(question: QuestionRow, index: str) -> str | None:
    number = whole_number(index)
    if number is None or not 1 <= number <= len(question.options):
        return None
    return question.options[number - 1].code


async def _advance(
    update: Update,
    context: Ctx,
    survey: Survey,
    progress: Progress,
    question: QuestionRow,
    values: list[str],
    *,
    edit: bool,
) -> None:
    """Store the answer with the next position in one commit, then show what comes next
    (after the last question: the answer and the completed response in one commit)."""
    member = context.member
    assert member is not None
    repos = context.services.repos
    progress.answers[question.id] = values
    if not values:
        progress.answers.pop(question.id, None)
    following = next_position(survey, progress.answers, question.position)
    if following is None:
        hidden = hidden_questions(survey, progress.answers)
        await repos.surveys.complete(
            survey, member.id, context.now(), hidden=hidden, last=(question, values)
        )
    else:
        await repos.surveys.save_answer(survey, member.id, question, values, following)
    if update.callback_query is not None:
        await update.callback_query.answer()
    if following is None:
        await _thank(update, context, survey, edit=edit)
        return
    progress.position = following
    await _show(update, context, survey, progress, edit=edit)


async def _thank(update: Update, context: Ctx, survey: Survey, *, edit: bool) -> None:
    text = context.t(
        "🙏 <b>Thank you!</b> Your answers to {title} are saved. They help the cluster decide.",
        title=survey.title,
    )
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        await query.edit_message_text(text)
    else:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, text)


async def typed(update: Update, context: Ctx) -> None:
    """A typed number or text for the question the member is at; anything else falls to
    the general "didn't understand" reply."""
    message = update.effective_message
    member = context.member
    if message is None or message.text is None or member is None or not member.is_active:
        await common.not_understood(update, context)
        return
    repos = context.services.repos
    for survey in await repos.surveys.open_for(member.id):
        progress = await repos.surveys.progress(survey, member.id)
        if progress is None:
            continue
        question = at(survey, progress.position)
        if question is None:
            continue
        if question.kind not in ("number", "text"):
            await message.reply_text(
                context.t("Please answer with the buttons of the question above.")
            )
            await _show(update, context, survey, progress, edit=False)
            return
        value = _check_typed(context, question, message.text)
        if isinstance(value, _Refusal):
            await message.reply_text(value.text)
            return
        await _retire_shown(update, context, survey)
        await _advance(update, context, survey, progress, question, [value], edit=False)
        return
    await common.not_understood(update, context)


class _Refusal:
    def __init__(self, text: str) -> None:
        self.text = text


def _check_typed(context: Ctx, question: QuestionRow, text: str) -> str | _Refusal:
    _ = context.t
    cleaned = text.strip()
    if question.kind == "text":
        limit = question.max_length or 1000
        if not cleaned:
            return _Refusal(_("Write your answer, please."))
        if len(cleaned) > limit:
            return _Refusal(
                _(
                    "That is too long: at most {maximum} characters (yours has {count}).",
                    maximum=limit,
                    count=len(cleaned),
                )
            )
        return cleaned
    number = read_number(cleaned)
    if number is None:
        return _Refusal(_("Please write a number, for example 12."))
    low, high = question.min_value, question.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        return _Refusal(
            _(
                "That is out of range: write a number from {low} to {high}.",
                low=number_text(low) if low is not None else "…",
                high=number_text(high) if high is not None else "…",
            )
        )
    return number_text(number)


# --- registration --------------------------------------------------------------------------------


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        CallbackQueryHandler(
            tapped,
            callbacks.pattern(
                "sv", r"(\d+)", r"(\d+)", r"(start|back|skip|done|keep|o\d+|t\d+|v\d+)"
            ),
        ),
    ]


def typed_answers() -> list[BaseHandler[Update, Ctx, None]]:
    """Registered just before the fallbacks: typed answers to number and text questions."""
    private_text = (
        filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE
    )
    return [MessageHandler(private_text, typed)]
