"""Answering surveys: the invitation's Start, one question per message with buttons and
progress, Back and Skip, conditional questions, typed numbers and texts, resuming after any
pause or restart, one response per member, anonymous surveys, native poll answers.

Every tap is a stateless callback (`sv:<survey>:<question>:<action>`): the survey's
structure is cached, the member's place and answers are in SQLite, and each answer is
committed before the next question is shown.
"""

from __future__ import annotations

import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from bot import callbacks, deeplinks, notices
from bot.auth import active_member
from bot.context import Ctx
from bot.i18n import Translator
from bot.notices import Notice, PollSpec, Rendered
from bot.validation import whole_number
from bot.when import show
from handlers.core import common
from storage.audience import includes
from storage.repositories.surveys.responses import Progress
from storage.repositories.surveys.surveys import QuestionRow, Survey

log = logging.getLogger(__name__)

SCALE = range(1, 6)
NPS = range(0, 11)
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


# --- what a question looks like ------------------------------------------------------------------


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
            return t("Write a number from {low} to {high}.", low=_n(low), high=_n(high))
        return t("Write a number.")
    return t("Write your answer (up to {count} characters).", count=question.max_length or 1000)


def _n(value: float) -> str:
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
    text = f"{head}\n\n<b>{_escape(question.text)}</b>" + (f"\n<i>{hint}</i>" if hint else "")
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
    return text, InlineKeyboardMarkup(rows) if rows else None


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)


def invitation_text(t: Translator, survey: Survey, tz: object) -> str:
    from zoneinfo import ZoneInfo

    assert isinstance(tz, ZoneInfo)
    lines = [t("📝 <b>Survey: {title}</b>", title=survey.title)]
    if survey.intro:
        lines.append(_escape(survey.intro))
    count = len(survey.questions)
    lines.append(t._n("{count} question", "{count} questions", count))
    if survey.closes_at is not None:
        lines[-1] += " · " + t(
            "open until {when}", when=show(survey.closes_at, tz=tz, language=t.language)
        )
    if survey.anonymous:
        lines.append(t("🔒 Anonymous: your answers are not linked to you."))
    return "\n".join(lines)


def start_button(t: Translator, survey: Survey, label: str | None = None) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    label or t.label("▶️ Start"),
                    callback_data=callbacks.pack("sv", survey.id, 0, "start"),
                )
            ]
        ]
    )


# --- answering -----------------------------------------------------------------------------------


async def _show(
    update: Update, context: Ctx, survey: Survey, progress: Progress, *, edit: bool
) -> None:
    question = at(survey, progress.position)
    assert question is not None and update.effective_chat is not None
    text, markup = question_message(context.t, survey, question, progress)
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        try:
            await query.edit_message_text(text, reply_markup=markup)
            return
        except TelegramError as exc:
            if "not modified" in str(exc):
                return
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def _closed_or_done(update: Update, context: Ctx, survey: Survey) -> bool:
    """Refuse (with a clear reply) when the survey is closed or the member already answered."""
    query = update.callback_query
    _ = context.t
    member = context.member
    assert member is not None
    text = None
    if survey.status != "open":
        text = _.label("This survey is closed. Thank you!")
    else:
        state = await context.services.repos.surveys.participation(survey.id, member.id)
        if state is not None and state[1]:
            text = _.label("You already answered this survey. Thank you!")
        elif state is None and not await includes(context.services.db, survey.audience, member.id):
            text = _.label("This survey is for other members of the cluster.")
    if text is None:
        return False
    if query is not None:
        await query.answer(text, show_alert=True)
    elif update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text)
    return True


async def begin(update: Update, context: Ctx, survey: Survey) -> None:
    """Start or continue: the question the member is at."""
    if await _closed_or_done(update, context, survey):
        return
    member = context.member
    assert member is not None
    repos = context.services.repos
    progress = await repos.surveys.progress(survey, member.id)
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
    if await _closed_or_done(update, context, survey):
        return
    member = context.member
    assert member is not None
    repos = context.services.repos
    progress = await repos.surveys.progress(survey, member.id)
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
    """Store the answer with the next position in one commit, then show what comes next."""
    member = context.member
    assert member is not None
    repos = context.services.repos
    progress.answers[question.id] = values
    if not values:
        progress.answers.pop(question.id, None)
    following = next_position(survey, progress.answers, question.position)
    position = following if following is not None else question.position
    await repos.surveys.save_answer(survey, member.id, question, values, position)
    if update.callback_query is not None:
        await update.callback_query.answer()
    if following is None:
        hidden = hidden_questions(survey, progress.answers)
        await repos.surveys.complete(survey, member.id, context.now(), hidden=hidden)
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
                low=_n(low) if low is not None else "…",
                high=_n(high) if high is not None else "…",
            )
        )
    return _n(number)


async def open_by_link(update: Update, context: Ctx, rest: str) -> None:
    """?start=sv_<id>: the invitation in the private chat."""
    if await active_member(update, context) is None:
        return
    number = whole_number(rest)
    survey = await context.services.repos.surveys.get(number) if number is not None else None
    assert update.effective_chat is not None
    if survey is None:
        await context.bot.send_message(
            update.effective_chat.id, context.t("I could not find that survey.")
        )
        return
    if await _closed_or_done(update, context, survey):
        return
    await context.bot.send_message(
        update.effective_chat.id,
        invitation_text(context.t, survey, context.services.settings.tz),
        reply_markup=start_button(context.t, survey),
    )


async def my_surveys(update: Update, context: Ctx) -> None:
    """/surveys for members: the open surveys waiting for their answer."""
    if await active_member(update, context) is None:
        return
    assert context.member is not None and update.effective_chat is not None
    _ = context.t
    waiting = await context.services.repos.surveys.open_for(context.member.id)
    if not waiting:
        await context.bot.send_message(
            update.effective_chat.id, _("No survey is waiting for you. Thank you!")
        )
        return
    for survey in waiting:
        await context.bot.send_message(
            update.effective_chat.id,
            invitation_text(_, survey, context.services.settings.tz),
            reply_markup=start_button(_, survey),
        )


# --- native polls --------------------------------------------------------------------------------


async def poll_answered(update: Update, context: Ctx) -> None:
    """A member's answer to a one-question survey sent as a native poll (not anonymous)."""
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return
    repos = context.services.repos
    survey_id = await repos.surveys.poll_survey(answer.poll_id)
    member = context.member
    if survey_id is None or member is None or not member.is_active:
        return
    survey = await repos.surveys.get(survey_id)
    if survey is None or survey.status != "open" or not survey.questions:
        return
    state = await repos.surveys.participation(survey.id, member.id)
    if state is None and not await includes(context.services.db, survey.audience, member.id):
        return  # a vote in the group from outside the survey's audience is not counted
    question = survey.questions[0]
    values = [
        question.options[i].code if question.kind != "yesno" else ("1" if i == 0 else "0")
        for i in answer.option_ids
        if i < max(len(question.options), 2)
    ]
    if await repos.surveys.progress(survey, member.id) is None:
        await repos.surveys.start(survey, member.id, context.now())
    await repos.surveys.save_answer(survey, member.id, question, values, question.position)
    if values:
        await repos.surveys.complete(survey, member.id, context.now())


def poll_spec(t: Translator, survey: Survey) -> PollSpec | None:
    """A one-question single-choice or yes/no survey as a native poll."""
    if len(survey.questions) != 1:
        return None
    question = survey.questions[0]
    if question.kind == "single":
        return PollSpec(question.text, tuple(o.label for o in question.options))
    if question.kind == "yesno":
        return PollSpec(question.text, (t.label("Yes"), t.label("No")))
    return None


# --- notices -------------------------------------------------------------------------------------


async def render_invitation(notice: Notice) -> Rendered | None:
    services = notice.services
    survey = await services.repos.surveys.get(notice.survey_id or 0)
    if survey is None or survey.status != "open":
        return None
    if notice.member_id is not None:
        state = await services.repos.surveys.participation(survey.id, notice.member_id)
        if state is not None and state[1]:
            return None
    if notice.text == "poll":
        spec = poll_spec(notice.t, survey)
        if spec is None:
            return None
        survey_id = survey.id

        async def remember(message: Message) -> None:
            if message.poll is not None:
                await services.repos.surveys.add_poll(
                    message.poll.id, survey_id, message.chat.id, message.message_id
                )

        return Rendered(spec.question, poll=spec, on_sent=remember)
    text = invitation_text(notice.t, survey, services.settings.tz)
    return Rendered(text, start_button(notice.t, survey))


async def render_reminder(notice: Notice) -> Rendered | None:
    services = notice.services
    survey = await services.repos.surveys.get(notice.survey_id or 0)
    if survey is None or survey.status != "open":
        return None
    if notice.member_id is not None:
        state = await services.repos.surveys.participation(survey.id, notice.member_id)
        if state is None or state[1]:
            return None
    t = notice.t
    when = (
        show(survey.closes_at, tz=services.settings.tz, language=t.language)
        if survey.closes_at
        else ""
    )
    text = t(
        "🔔 Reminder: the survey <b>{title}</b> is open until {when}. It takes a few taps, "
        "and you continue where you left off.",
        title=survey.title,
        when=when,
    )
    return Rendered(text, start_button(t, survey, t.label("▶️ Continue")))


# --- registration --------------------------------------------------------------------------------


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        CommandHandler("surveys", my_surveys, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(
            tapped,
            callbacks.pattern(
                "sv", r"(\d+)", r"(\d+)", r"(start|back|skip|done|keep|o\d+|t\d+|v\d+)"
            ),
        ),
        PollAnswerHandler(poll_answered),
    ]


def typed_answers() -> list[BaseHandler[Update, Ctx, None]]:
    """Registered just before the fallbacks: typed answers to number and text questions."""
    private_text = (
        filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE
    )
    return [MessageHandler(private_text, typed)]


def register_notices_and_links() -> None:
    notices.register("survey_invitation", render_invitation)
    notices.register("survey_reminder", render_reminder)
    deeplinks.register("sv", open_by_link)
