"""What a question looks like to a member, and which question comes next.

The message of one question (text, hint, buttons with the member's answer ticked, Back, Skip
and Keep), built once and cached because it is most of the bot's own work per tap; and the
navigation through a survey with conditional questions: which are visible after the answers
so far, the next and the previous one, and which answers no longer count.

The answer taps (answering.py) and the coordinator's preview (launch.py) both draw questions
with this module.
"""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks
from bot.i18n import Translator
from bot.replies import KeptKeyboard
from storage.repositories.surveys.responses import Progress
from storage.repositories.surveys.surveys import QuestionRow, Survey

SCALE = range(1, 6)
NPS = range(0, 11)


# --- which question comes next -------------------------------------------------------------------


def visible(question: QuestionRow, answers: dict[int, list[str]]) -> bool:
    """A conditional question shows only when the earlier answer has the given value."""
    if question.show_if_question_id is None:
        return True
    return question.show_if_value in answers.get(question.show_if_question_id, [])


def hidden_questions(survey: Survey, answers: dict[int, list[str]]) -> set[int]:
    """Questions the final answers do not show (one answered, then hidden by going Back and
    changing an earlier answer): their answers must not count. In order, so that a question
    hidden by a hidden one is hidden too."""
    kept: dict[int, list[str]] = {}
    hidden = set()
    for question in survey.questions:
        if visible(question, kept):
            if question.id in answers:
                kept[question.id] = answers[question.id]
        else:
            hidden.add(question.id)
    return hidden


def next_position(survey: Survey, answers: dict[int, list[str]], after: int) -> int | None:
    for question in survey.questions:
        if question.position > after and visible(question, answers):
            return question.position
    return None


def previous_position(survey: Survey, answers: dict[int, list[str]], before: int) -> int | None:
    earlier = [q.position for q in survey.questions if q.position < before and visible(q, answers)]
    return earlier[-1] if earlier else None


def at(survey: Survey, position: int) -> QuestionRow | None:
    return next((q for q in survey.questions if q.position == position), None)


# --- what a question looks like ------------------------------------------------------------------


def _hint(t: Translator, question: QuestionRow) -> str:
    if question.kind == "single":
        return t("Choose one answer.")
    if question.kind == "multi":
        return t("Choose all that apply, then tap Done.")
    if question.kind == "scale":
        return t("1 = not at all · 5 = very much")
    if question.kind == "nps":
        return t("0 = not at all likely · 10 = extremely likely")
    if question.kind == "yesno":
        return ""
    if question.kind == "number":
        low, high = question.min_value, question.max_value
        if low is not None and high is not None:
            return t(
                "Write a number from {low} to {high}.", low=number_text(low), high=number_text(high)
            )
        return t("Write a number.")
    return t("Write your answer (up to {count} characters).", count=question.max_length or 1000)


def number_text(value: float) -> str:
    """A number as the bot writes it: whole numbers without ".0"."""
    return str(int(value)) if float(value).is_integer() else str(value)


_MESSAGES: dict[tuple[object, ...], tuple[str, InlineKeyboardMarkup | None]] = {}
_MESSAGES_MAX = 4096


def question_message(
    t: Translator, survey: Survey, question: QuestionRow, progress: Progress
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and buttons of one question, with the member's current answer ticked.

    Built once per question, language, answer and navigation and reused (keyboards are
    immutable): on the answer path this is most of the bot's own work per tap.
    """
    back = previous_position(survey, progress.answers, question.position) is not None
    answers = tuple(progress.answers.get(question.id, []))
    # the whole question (text, options…) is in the key: another database's survey #1 differs
    key = (survey.id, survey.title, len(survey.questions), question, t.language, answers, back)
    if survey.id and key in _MESSAGES:
        return _MESSAGES[key]
    built = _build_question_message(t, survey, question, progress, back)
    if survey.id:
        if len(_MESSAGES) >= _MESSAGES_MAX:
            _MESSAGES.clear()
        _MESSAGES[key] = built
    return built


def _build_question_message(
    t: Translator, survey: Survey, question: QuestionRow, progress: Progress, back: bool
) -> tuple[str, InlineKeyboardMarkup | None]:
    total = len(survey.questions)
    current = set(progress.answers.get(question.id, []))
    head = t(
        "📝 <b>{title}</b> · {number}/{total}",
        title=survey.title,
        number=question.position,
        total=total,
    )
    hint = _hint(t, question)
    text = f"{head}\n\n<b>{html.escape(question.text, quote=False)}</b>"
    if hint:
        text += f"\n<i>{hint}</i>"
    if question.kind == "text" and current:
        text += "\n\n" + t("Your answer so far: {answer}", answer=next(iter(current)))
    if question.kind == "number" and current:
        text += "\n\n" + t("Your answer so far: {answer}", answer=next(iter(current)))
    rows: list[list[InlineKeyboardButton]] = []

    def button(label: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            label, callback_data=callbacks.pack("sv", survey.id, question.id, action)
        )

    if question.kind in ("single", "multi"):
        for index, option in enumerate(question.options, start=1):
            tick = "✓ " if option.code in current else ""
            action = f"o{index}" if question.kind == "single" else f"t{index}"
            rows.append([button(f"{tick}{option.label}", action)])
        if question.kind == "multi":
            rows.append([button(t.label("Done ✅"), "done")])
    elif question.kind == "scale":
        rows.append([button(("✓" if str(v) in current else "") + str(v), f"v{v}") for v in SCALE])
    elif question.kind == "nps":
        rows.append(
            [button(("✓" if str(v) in current else "") + str(v), f"v{v}") for v in range(0, 6)]
        )
        rows.append(
            [button(("✓" if str(v) in current else "") + str(v), f"v{v}") for v in range(6, 11)]
        )
    elif question.kind == "yesno":
        rows.append(
            [
                button(("✓ " if "1" in current else "") + t.label("Yes"), "v1"),
                button(("✓ " if "0" in current else "") + t.label("No"), "v0"),
            ]
        )
    navigation = []
    if back:
        navigation.append(button(t.label("◀ Back"), "back"))
    if not question.required:
        navigation.append(button(t.label("Skip ⏭"), "skip"))
    elif question.kind in ("number", "text") and current:
        navigation.append(button(t.label("Keep it ▶️"), "keep"))
    if navigation:
        rows.append(navigation)
    return text, KeptKeyboard(rows) if rows else None
