"""Coordinators and surveys: /newsurvey (built in the chat, or a YAML/JSON document sent to the
bot), preview and launch (as questions or as a native poll), /results with charts, exports,
reminders now or scheduled, closing by hand; and the job that closes surveys on time.
"""

from __future__ import annotations

import contextlib
import html
import io
import re
import warnings
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from pydantic import ValidationError
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import callbacks
from bot.auth import allowed, audience_axes, coordinator_scope, may_address
from bot.context import Ctx
from bot.i18n import Translator
from bot.validation import whole_number
from bot.when import WhenProblem, parse_local, show
from handlers.core import forms, menu
from handlers.shared.audience import describe
from handlers.surveys import audience as survey_audience
from handlers.surveys.answering import invitation_text, poll_spec, question_message
from storage.audience import Audience, Recipient
from storage.repositories.surveys import exports as survey_exports
from storage.repositories.surveys.responses import Progress
from storage.repositories.surveys.results import Results
from storage.repositories.surveys.surveys import QuestionRow, Survey

if TYPE_CHECKING:  # the definitions' pydantic models load when a survey is built
    from storage.repositories.surveys.definition import SurveyDefinition

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
DOCUMENT_BYTES_MAX = 200_000
MESSAGE_MAX = 3800


def _draft(context: Ctx) -> dict[str, Any]:
    return forms.draft(context, "svd")


def _button(label: str, *parts: str | int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.pack("sa", *parts))


_chat = forms.chat_of
_say = forms.say


def kind_name(t: Translator, kind: str) -> str:
    return {
        "single": t.label("One choice"),
        "multi": t.label("Several choices"),
        "scale": t.label("Scale 1–5"),
        "nps": t.label("Recommendation 0–10 (NPS)"),
        "yesno": t.label("Yes / No"),
        "number": t.label("A number"),
        "text": t.label("Free text"),
    }[kind]


# --- building in the chat ------------------------------------------------------------------------


async def start(update: Update, context: Ctx) -> str | int:
    """/newsurvey: step by step, or a YAML/JSON document."""
    if not await allowed(update, context, "coordinator"):
        return ConversationHandler.END
    assert context.user_data is not None
    context.user_data["svd"] = {"questions": []}
    _ = context.t
    await _say(
        update,
        context,
        _(
            "📝 <b>New survey</b>\n\nWhat is its title? (Or send a YAML or JSON file with the "
            "whole survey: the example below is one to edit. /cancel stops.)"
        ),
        InlineKeyboardMarkup([[_button(_.label("📄 Example file"), "example")]]),
    )
    return TITLE


async def sent_example(update: Update, context: Ctx) -> str:
    """A survey file to edit and send back, with what each field may say."""
    from storage.repositories.surveys.definition import example

    query = update.callback_query
    assert query is not None
    await query.answer()
    local = context.now().astimezone(context.services.settings.tz) + timedelta(days=14)
    document = example(local.strftime("%Y-%m-%d 18:00")).encode()
    await context.bot.send_document(
        _chat(update),
        InputFile(io.BytesIO(document), filename=context.t.label("survey-example.yaml")),
        caption=context.t(
            "📄 Edit the texts and send the file back to me.\n• type: {types}\n"
            "• audience: {audiences}\n• show_if: {show_if} asks a question only after that "
            "answer\n• closes: date and time in Aguascalientes",
            types="single, multi, scale, nps, yesno, number (min, max), text (max_length)",
            audiences="everyone, {axis: innovation | talent | leadership | globalization}, "
            "{organization: …}, {sector: oem | tier1 | supplier | academia | government | "
            "other}, {group: …}, {event: …}",
            show_if="{question: 1, answer: No}",
        ),
    )
    return TITLE


async def typed_title(update: Update, context: Ctx) -> str:
    text = (
        " ".join((update.effective_message.text or "").split()) if update.effective_message else ""
    )
    if not text or len(text) > 120:
        await _say(update, context, context.t("A title of 1 to 120 characters, please."))
        return TITLE
    _draft(context)["title"] = text
    _ = context.t
    await _say(
        update,
        context,
        _("A short introduction members will read first?"),
        InlineKeyboardMarkup([[_button(_.label("Skip ⏭"), "nointro")]]),
    )
    return INTRO


async def typed_intro(update: Update, context: Ctx) -> str:
    text = (update.effective_message.text or "").strip() if update.effective_message else ""
    if len(text) > 2000:
        await _say(update, context, context.t("At most 2000 characters, please."))
        return INTRO
    _draft(context)["intro"] = text or None
    return await _ask_kind(update, context)


async def skipped_intro(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    _draft(context)["intro"] = None
    return await _ask_kind(update, context)


async def _ask_kind(update: Update, context: Ctx) -> str:
    _ = context.t
    count = len(_draft(context)["questions"])
    rows = [[_button(kind_name(_, k), "k", k)] for k in KINDS]
    if count:
        rows.append([_button(_.label("✅ No more questions"), "k", "end")])
    text = _("Question {number}: what kind?", number=count + 1)
    await _say(update, context, text, InlineKeyboardMarkup(rows))
    return Q_KIND


async def chose_kind(update: Update, context: Ctx) -> str:
    kind = await forms.take_choice(update)
    if kind == "end":
        return await _ask_anonymous(update, context)
    _draft(context)["current"] = {"type": kind}
    await _say(update, context, context.t("The question's text?"))
    return Q_TEXT


async def typed_question(update: Update, context: Ctx) -> str:
    text = (
        " ".join((update.effective_message.text or "").split()) if update.effective_message else ""
    )
    if not text or len(text) > 300:
        await _say(update, context, context.t("A question of 1 to 300 characters, please."))
        return Q_TEXT
    current = _draft(context)["current"]
    current["text"] = text
    if current["type"] in ("single", "multi"):
        await _say(update, context, context.t("The options, one per line (2 to 12)."))
        return Q_OPTIONS
    if current["type"] == "number":
        await _say(
            update, context, context.t("The allowed range, like 0-100 (or send - for any number).")
        )
        return Q_RANGE
    return await _ask_required(update, context)


async def typed_options(update: Update, context: Ctx) -> str:
    """One option per line (a single line with commas is split at the commas)."""
    text = (update.effective_message.text or "") if update.effective_message else ""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and "," in lines[0]:
        lines = [" ".join(part.split()) for part in lines[0].split(",") if part.strip()]
    problem = _options_problem(context.t, lines)
    if problem:
        await _say(
            update,
            context,
            context.t(
                "That does not work: {problem}. Send the options again, one per line.",
                problem=problem,
            ),
        )
        return Q_OPTIONS
    _draft(context)["current"]["options"] = lines
    return await _ask_required(update, context)


def _options_problem(_: Translator, options: list[str]) -> str | None:
    """What is wrong with these options, in the coordinator's language."""
    from storage.repositories.surveys.definition import OPTION_MAX, OPTIONS_MAX

    if len(options) < 2:
        return _.label("a question with choices needs at least 2 options")
    if len(options) > OPTIONS_MAX:
        return _.label("at most {count} options", count=OPTIONS_MAX)
    if any(len(option) > OPTION_MAX for option in options):
        return _.label("each option can have at most {count} characters", count=OPTION_MAX)
    if len({option.lower() for option in options}) != len(options):
        return _.label("the options must differ from each other")
    return None


async def typed_range(update: Update, context: Ctx) -> str:
    text = (update.effective_message.text or "").strip() if update.effective_message else ""
    current = _draft(context)["current"]
    if text != "-":
        match = re.fullmatch(r"(-?\d+(?:[.,]\d+)?)\s*(?:-|–|a|to)\s*(-?\d+(?:[.,]\d+)?)", text)
        low = float(match.group(1).replace(",", ".")) if match else None
        high = float(match.group(2).replace(",", ".")) if match else None
        if low is None or high is None or low > high:
            await _say(
                update, context, context.t("Write the range like 0-100, or - for any number.")
            )
            return Q_RANGE
        current["min"], current["max"] = low, high
    return await _ask_required(update, context)


async def _ask_required(update: Update, context: Ctx) -> str:
    _ = context.t
    rows = [[_button(_.label("Required"), "req", 1), _button(_.label("Optional"), "req", 0)]]
    await _say(update, context, _("Must it be answered?"), InlineKeyboardMarkup(rows))
    return Q_REQUIRED


async def chose_required(update: Update, context: Ctx) -> str:
    required = await forms.take_choice(update) == "1"
    draft = _draft(context)
    current = draft.pop("current", None)
    if current is None:
        return await _ask_kind(update, context)
    current["required"] = required
    if _condition_sources(draft):
        draft["current"] = current
        return await _ask_condition(update, context)
    draft["questions"].append(current)
    return await _ask_kind(update, context)


# --- conditions: a question shown only after a given answer to an earlier one ----------------

CONDITION_KINDS = ("single", "multi", "yesno", "scale")


def _condition_sources(draft: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """The earlier questions (numbered from 1) whose answers can be picked from buttons."""
    return [
        (number, question)
        for number, question in enumerate(draft["questions"], start=1)
        if question["type"] in CONDITION_KINDS
    ]


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def _ask_condition(update: Update, context: Ctx) -> str:
    _ = context.t
    draft = _draft(context)
    rows = [[_button(_.label("Ask everyone"), "if", 0)]]
    for number, question in _condition_sources(draft):
        label = _.label(
            "Only after an answer to {number}: {question}",
            number=number,
            question=_short(question["text"]),
        )
        rows.append([_button(label, "if", number)])
    await _say(
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
    query = update.callback_query
    assert query is not None and query.data is not None
    draft = _draft(context)
    number = int(query.data.split(":")[2])
    sources = dict(_condition_sources(draft))
    if "current" not in draft or (number and number not in sources):
        await forms.wrong_input(update, context)
        return None
    await query.answer()
    await query.edit_message_reply_markup(None)
    if not number:
        draft["current"].pop("show_if", None)
        draft["questions"].append(draft.pop("current"))
        return await _ask_kind(update, context)
    draft["current"]["show_if"] = {"question": number}
    _ = context.t
    rows = [[_button(label, "ifv", code)] for label, code in _answer_buttons(_, sources[number])]
    text = _(
        "Ask it only when question {number} was answered… ({question})",
        number=number,
        question=_short(sources[number]["text"]),
    )
    await _say(update, context, text, InlineKeyboardMarkup(rows))
    return Q_CONDITION


async def chose_condition_answer(update: Update, context: Ctx) -> str | None:
    query = update.callback_query
    assert query is not None and query.data is not None
    draft = _draft(context)
    current = draft.get("current") or {}
    number = (current.get("show_if") or {}).get("question")
    sources = dict(_condition_sources(draft))
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
    return await _ask_kind(update, context)


async def _ask_anonymous(update: Update, context: Ctx) -> str:
    _ = context.t
    rows = [
        [_button(_.label("👤 Named: I see who answered what"), "anon", 0)],
        [_button(_.label("🔒 Anonymous: nobody can link answers to people"), "anon", 1)],
    ]
    await _say(update, context, _("Named or anonymous?"), InlineKeyboardMarkup(rows))
    return ANONYMOUS


async def chose_anonymous(update: Update, context: Ctx) -> str:
    _draft(context)["anonymous"] = await forms.take_choice(update) == "1"
    text, markup = await survey_audience.menu(context)
    await _say(update, context, text, markup)
    return AUDIENCE


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
        text, markup = await survey_audience.menu(context)
    else:
        text, markup = await survey_audience.listing(context, kind, int(page))
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except TelegramError as exc:  # a double tap shows the same list again
        if "not modified" not in str(exc):
            raise
    return AUDIENCE


async def picked_audience(update: Update, context: Ctx) -> str | None:
    query = update.callback_query
    assert query is not None and query.data is not None
    _prefix, _step_name, kind, value = query.data.split(":")
    audience = await survey_audience.chosen(context, kind, int(value))
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
    _draft(context)["audience_json"] = audience.to_json()
    await _say(
        update,
        context,
        context.t("🕒 Until when is it open? For example 5/12 18:00 (Aguascalientes time)."),
    )
    return CLOSES


async def typed_closes(update: Update, context: Ctx) -> str:
    text = (update.effective_message.text or "") if update.effective_message else ""
    moment = parse_local(text, now=context.now(), tz=context.services.settings.tz)
    if isinstance(moment, WhenProblem):
        await _say(update, context, context.t(moment.message, **moment.values))
        return CLOSES
    draft = _draft(context)
    raw = {
        "title": draft["title"],
        "intro": draft.get("intro"),
        "anonymous": draft.get("anonymous", False),
        "closes": text,
        "questions": draft["questions"],
    }
    try:
        from storage.repositories.surveys.definition import SurveyDefinition

        definition = SurveyDefinition.model_validate(raw)
    except ValidationError as exc:
        await _say(
            update,
            context,
            context.t("The survey is not complete: {problem}", problem=str(exc.errors()[0]["msg"])),
        )
        return CLOSES
    return await _preview(
        update, context, definition, Audience.from_json(draft["audience_json"]), moment
    )


# --- from a document -----------------------------------------------------------------------------


async def document_received(update: Update, context: Ctx) -> str | int | None:
    """A YAML or JSON survey document: validated, every problem named, then the preview."""
    message = update.effective_message
    assert message is not None and message.document is not None
    if not await allowed(update, context, "coordinator"):
        return ConversationHandler.END
    _ = context.t
    document = message.document
    if (document.file_size or 0) > DOCUMENT_BYTES_MAX:
        await message.reply_text(
            _("That file is too big for a survey definition (at most 200 KB).")
        )
        return None
    file = await context.bot.get_file(document.file_id)
    raw = bytes(await file.download_as_bytearray())
    from storage.repositories.surveys.definition import DefinitionProblem, parse_document

    try:
        definition = parse_document(raw, document.file_name or "survey.yaml")
    except DefinitionProblem as problem:
        lines = [_("❌ The survey file has problems:")]
        for number, field, text in problem.problems[:15]:
            if number is None:
                lines.append(_("• {field}: {problem}", field=field, problem=text))
            else:
                lines.append(
                    _(
                        "• Question {number}, {field}: {problem}",
                        number=number,
                        field=field,
                        problem=text,
                    )
                )
        lines.append(_("Correct the file and send it again."))
        await message.reply_text("\n".join(lines))
        return None
    closes = parse_local(definition.closes, now=context.now(), tz=context.services.settings.tz)
    if isinstance(closes, WhenProblem):
        problem_text = context.t.label(closes.message, **closes.values)
        await message.reply_text(
            _("❌ The survey file has problems:")
            + "\n"
            + _("• {field}: {problem}", field="closes", problem=problem_text)
        )
        return None
    audience = await _audience_of(context, definition)
    if isinstance(audience, str):
        await message.reply_text(
            _("❌ The survey file has problems:")
            + "\n"
            + _("• {field}: {problem}", field="audience", problem=audience)
        )
        return None
    if not await may_address(update, context, audience):
        return None
    assert context.user_data is not None
    context.user_data["svd"] = {}
    return await _preview(update, context, definition, audience, closes)


async def _audience_of(context: Ctx, definition: SurveyDefinition) -> Audience | str:
    """The file's audience as an Audience, or what is wrong with it."""
    spec = definition.audience
    if spec == "everyone":
        return Audience()
    assert isinstance(spec, dict)
    ((kind, value),) = spec.items()
    repos = context.services.repos
    if kind == "axis":
        axes: dict[str, int] = {a.code: a.id for a in await repos.reference.axes()}
        if str(value) not in axes:
            return context.t.label(
                "unknown axis {value}; use one of {choices}", value=value, choices=", ".join(axes)
            )
        return Audience(kind="axes", ids=(axes[str(value)],))
    if kind == "organization":
        found = await repos.reference.find_organizations(str(value))
        exact = [o for o in found if o.name.lower() == str(value).lower()] or found[:1]
        if not exact:
            return context.t.label("no organization called {value}", value=value)
        return Audience(kind="organizations", ids=(exact[0].id,))
    if kind == "sector":
        from bot.labels import SECTOR_NAMES

        if str(value) not in SECTOR_NAMES:
            return context.t.label(
                "unknown sector {value}; use one of {choices}",
                value=value,
                choices=", ".join(SECTOR_NAMES),
            )
        return Audience(kind="sectors", sectors=(str(value),))
    if kind == "group":
        groups = [g for g in await repos.events.groups() if g.name.lower() == str(value).lower()]
        if not groups:
            return context.t.label("no working group called {value}", value=value)
        return Audience(kind="working_group", ids=(groups[0].id,))
    number = whole_number(str(value))
    event = await repos.events.get(number) if number is not None else None
    if event is None:
        return context.t.label("no event number {value}", value=value)
    return Audience(kind="event", ids=(event.id,), answers=("going",))


# --- preview and launch --------------------------------------------------------------------------


async def _preview(
    update: Update, context: Ctx, definition: SurveyDefinition, audience: Audience, closes: datetime
) -> str:
    from storage.audience import count

    draft = _draft(context)
    draft["definition"] = definition.model_dump(mode="json", by_alias=True)
    draft["audience_json"] = audience.to_json()
    draft["closes_at"] = closes.isoformat()
    _ = context.t
    tz = context.services.settings.tz
    sample = _sample(definition, audience, closes)
    await _say(update, context, invitation_text(_, sample, tz))
    first = sample.questions[0]
    text, markup = question_message(_, sample, first, Progress(position=1))
    await _say(update, context, text, markup)
    if len(definition.questions) > 1:
        for part in _questions_summary(_, definition):
            await _say(update, context, part)
    reach = await count(context.services.db, audience)
    lines = [
        _("👆 The invitation and the first question, as members will see them."),
        _("👥 Audience: {who}", who=await describe(context, _, audience)),
        _._n("📬 {count} member will be invited.", "📬 {count} members will be invited.", reach),
    ]
    rows = [[_button(_.label("🚀 Launch"), "go"), _button(_.label("✖ Cancel"), "x")]]
    if poll_spec(_, sample) is not None:
        rows.insert(0, [_button(_.label("📊 Launch as a Telegram poll"), "poll")])
        if not definition.anonymous and await _group_poll_place(context, audience) is not None:
            rows.insert(1, [_button(_.label("📊 Poll in the community group"), "pollg")])
    await _say(update, context, "\n".join(lines), InlineKeyboardMarkup(rows))
    return PREVIEW


async def _group_poll_place(context: Ctx, audience: Audience) -> Recipient | None:
    """Where a poll for the community goes: the axis's topic when the audience is one axis
    with a bound topic, the group's General topic when it is for everyone; else nowhere
    (a survey of an organization or a group is not put before the whole community).

    Only named surveys go there: a group poll that tells who voted shows it to the group.
    """
    services = context.services
    place: tuple[int, int | None] | None = None
    if audience.kind == "axes" and len(audience.ids) == 1:
        place = await services.repos.events.topic(audience.ids[0])
    elif audience.kind == "everyone" and services.settings.community_chat_id is not None:
        place = (services.settings.community_chat_id, None)  # General: everyone sees it
    if place is None:
        return None
    chat_id, thread = place
    return Recipient(
        member_id=None,
        chat_id=chat_id,
        language=services.settings.default_language,
        message_thread_id=thread,
    )


def _questions_summary(_: Translator, definition: SurveyDefinition) -> list[str]:
    """Every question at a glance before the launch: type, options, optional, condition."""
    from storage.repositories.surveys.definition import answer_code

    lines = [_("📋 <b>All the questions</b>")]
    for number, question in enumerate(definition.questions, start=1):
        line = _(
            "{number}. {text} — {kind}",
            number=number,
            text=question.text,
            kind=kind_name(_, question.kind),
        )
        if question.options:
            line += "\n    " + html.escape(" · ".join(question.options), quote=False)
        if not question.required:
            line += "\n    " + _("optional")
        condition = question.show_if
        if condition is not None:
            earlier = definition.questions[condition.question - 1]
            code = answer_code(earlier, condition.answer) or condition.answer
            if earlier.kind in ("single", "multi") and code.startswith("o"):
                answer = earlier.options[int(code[1:]) - 1]
            elif earlier.kind == "yesno":
                answer = _.label("Yes") if code == "1" else _.label("No")
            else:
                answer = code
            line += "\n    " + _(
                "only after “{answer}” in question {number}",
                answer=answer,
                number=condition.question,
            )
        lines.append(line)
    parts = [""]  # whole questions per message, under Telegram's limit
    for line in lines:
        if parts[-1] and len(parts[-1]) + len(line) + 1 > MESSAGE_MAX:
            parts.append("")
        parts[-1] = f"{parts[-1]}\n{line}" if parts[-1] else line
    return parts


def _sample(definition: SurveyDefinition, audience: Audience, closes: datetime) -> Survey:
    """The definition shaped like a stored survey, to render it before it exists."""
    from storage.repositories.surveys.definition import option_code
    from storage.repositories.surveys.surveys import Option

    questions = tuple(
        QuestionRow(
            id=n,
            position=n,
            kind=q.kind,
            text=q.text,
            required=q.required,
            min_value=q.min,
            max_value=q.max,
            max_length=q.max_length,
            show_if_question_id=None,
            show_if_value=None,
            options=tuple(Option(0, option_code(i), label) for i, label in enumerate(q.options, 1)),
        )
        for n, q in enumerate(definition.questions, start=1)
    )
    return Survey(
        0,
        definition.title,
        definition.intro,
        definition.anonymous,
        audience,
        "draft",
        closes,
        None,
        questions,
    )


async def launch(update: Update, context: Ctx) -> str | int | None:
    """Store it, invite its audience through the outbox, and say how many were invited."""
    query = update.callback_query
    assert query is not None and query.data is not None
    draft = _draft(context)
    if "definition" not in draft:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return None
    audience = Audience.from_json(draft["audience_json"])
    if not await allowed(update, context, "coordinator") or not await may_address(
        update, context, audience
    ):
        return None
    from storage.repositories.surveys.definition import SurveyDefinition

    definition = SurveyDefinition.model_validate(draft["definition"])
    in_group = query.data.endswith(":pollg")
    group = await _group_poll_place(context, audience) if in_group else None
    if in_group and (group is None or definition.anonymous):
        await forms.wrong_input(update, context)
        return None
    await query.answer()
    await query.edit_message_reply_markup(None)
    now = context.now()
    member_id = context.member.id if context.member else None
    repos = context.services.repos
    as_poll = query.data.endswith((":poll", ":pollg"))
    survey_id = await repos.surveys.create(
        definition,
        audience,
        datetime.fromisoformat(draft["closes_at"]),
        member_id,
        now,
        as_poll=as_poll,
    )
    await repos.outbox.enqueue(
        kind="survey_invitation",
        text="poll" if as_poll else definition.title,
        now=now,
        audience=audience,
        recipients=[group] if group is not None else None,
        created_by=member_id,
        survey_id=survey_id,
        dedup_key=f"svinv:{survey_id}",
    )
    results = await repos.surveys.results(survey_id)
    invited = results.invited if results else 0
    await repos.audit.record(
        now,
        member_id,
        "survey.launch",
        "survey",
        survey_id,
        invited=invited,
        anonymous=definition.anonymous,
    )
    context.services.outbox_sender.wake()
    assert context.user_data is not None
    context.user_data.pop("svd", None)
    _ = context.t
    if group is not None:
        text = _(
            "🚀 Survey #{number} is launched as a poll in the community group. "
            "/results {number} shows the answers.",
            number=survey_id,
        )
        await _say(update, context, text, menu.keyboard(_))
        return ConversationHandler.END
    await _say(
        update,
        context,
        _._n(
            "🚀 Survey #{number} is launched: {count} member invited. "
            "/results {number} shows the answers.",
            "🚀 Survey #{number} is launched: {count} members invited. "
            "/results {number} shows the answers.",
            invited,
            number=survey_id,
        ),
        menu.keyboard(_),
    )
    return ConversationHandler.END


# --- results -------------------------------------------------------------------------------------


def results_text(t: Translator, results: Results, tz: object) -> list[str]:
    """The figures in words, split into messages that fit Telegram's limit."""
    survey = results.survey
    rate = 100 * results.completed / results.invited if results.invited else 0.0
    status = t.label("open") if survey.status == "open" else t.label("closed")
    blocks = [
        t(
            "📊 <b>{title}</b> (#{number}) · {status}",
            title=survey.title,
            number=survey.id,
            status=status,
        )
        + "\n"
        + t(
            "Response rate: {completed} of {invited} invited ({rate}%) · {started} started",
            completed=results.completed,
            invited=results.invited,
            rate=f"{rate:.0f}",
            started=results.started,
        )
    ]
    for item in results.questions:
        q = item.question
        lines = [
            t._n(
                "<b>{number}. {text}</b> ({count} answer)",
                "<b>{number}. {text}</b> ({count} answers)",
                item.answered,
                number=q.position,
                text=q.text,
            )
        ]
        for label, number in _distribution(t, item):
            share = 100 * number / item.answered if item.answered else 0
            lines.append(
                t("• {label}: {count} ({share}%)", label=label, count=number, share=f"{share:.0f}")
            )
        if item.mean is not None:
            lines.append(t("Mean: {mean}", mean=f"{item.mean:.2f}"))
        if item.nps is not None:
            lines.append(t("NPS: {score}", score=f"{item.nps:+.0f}"))
        for text in item.texts[:30]:
            lines.append("💬 " + html.escape(text, quote=False))
        if len(item.texts) > 30:
            lines.append(t("…and {count} more in the exports.", count=len(item.texts) - 30))
        blocks.append("\n".join(lines))
    messages, current = [], ""
    for block in blocks:
        if current and len(current) + len(block) + 2 > MESSAGE_MAX:
            messages.append(current)
            current = ""
        current = f"{current}\n\n{block}" if current else block[:MESSAGE_MAX]
    messages.append(current)
    return messages


def _distribution(t: Translator, item: Any) -> list[tuple[str, int]]:
    q = item.question
    if q.kind in ("single", "multi"):
        return [(o.label, item.counts.get(o.code, 0)) for o in q.options]
    if q.kind == "yesno":
        return [(t.label("Yes"), item.counts.get("1", 0)), (t.label("No"), item.counts.get("0", 0))]
    if q.kind == "scale":
        return [(str(v), item.counts.get(str(v), 0)) for v in range(1, 6)]
    if q.kind == "nps":
        return [(str(v), item.counts.get(str(v), 0)) for v in range(0, 11)]
    if q.kind == "number":
        return sorted(item.counts.items(), key=lambda kv: float(kv[0]))[:20]
    return []


async def results_command(update: Update, context: Ctx) -> None:
    """/results <number>: figures, one chart per question, and the exports."""
    if not await allowed(update, context, "coordinator"):
        return
    _ = context.t
    arg = context.args[0].lstrip("#") if context.args else ""
    repos = context.services.repos
    number = whole_number(arg)
    if number is None:
        await _pick_survey(update, context)
        return
    results = await repos.surveys.results(number)
    if results is None:
        await _say(update, context, _("I could not find that survey."))
        return
    if not await _may_manage(update, context, results.survey):
        return
    await send_results(update, context, results)


async def _pick_survey(update: Update, context: Ctx) -> None:
    """/results alone: the recent surveys this coordinator manages, one button each."""
    _ = context.t
    scope = await coordinator_scope(context)
    rows = []
    for survey in await context.services.repos.surveys.recent(30):
        if scope and not await audience_axes(context, survey.audience) <= scope:
            continue
        status = _.label("open") if survey.status == "open" else _.label("closed")
        label = _.label(
            "#{number} {title} ({status})", number=survey.id, title=survey.title[:40], status=status
        )
        rows.append([_button(label, "res", survey.id)])
        if len(rows) == 10:
            break
    if not rows:
        await _say(update, context, _("No surveys yet. /newsurvey creates one."))
        return
    await _say(
        update,
        context,
        _("📊 Which survey? Tap one (or send /results and its number)."),
        InlineKeyboardMarkup(rows),
    )


async def results_tapped(update: Update, context: Ctx) -> None:
    """A survey of the /results list."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return
    results = await context.services.repos.surveys.results(int(query.data.split(":")[2]))
    if results is None:
        await forms.wrong_input(update, context)
        return
    if not await _may_manage(update, context, results.survey):
        return
    await query.answer()
    await send_results(update, context, results)


async def _may_manage(update: Update, context: Ctx, survey: Survey) -> bool:
    """Coordinators limited to some axes manage the surveys whose audience lies in them."""
    return await may_address(update, context, survey.audience)


async def send_results(update: Update, context: Ctx, results: Results) -> None:
    from bot.charts import bar_chart  # matplotlib loads on the first /results, not at start-up

    _ = context.t
    survey = results.survey
    for text in results_text(_, results, context.services.settings.tz):
        await _say(update, context, text)
    for item in results.questions:
        pairs = _distribution(_, item)
        if not pairs or not item.answered:
            continue
        note = ""
        if item.mean is not None:
            note = _.label("Mean: {mean}", mean=f"{item.mean:.2f}")
        if item.nps is not None:
            note += ("  ·  " if note else "") + _.label("NPS: {score}", score=f"{item.nps:+.0f}")
        png = bar_chart(
            f"{item.question.position}. {item.question.text}",
            [p[0] for p in pairs],
            [p[1] for p in pairs],
            note,
            people=item.answered,  # the same base as the text's percentages
        )
        await context.bot.send_photo(
            _chat(update),
            InputFile(png, filename=f"survey-{survey.id}-q{item.question.position}.png"),
        )
    rows = [
        [
            _button(_.label("📄 CSV (one row per answer)"), "csv", survey.id),
            _button(_.label("📄 CSV (one row per person)"), "wide", survey.id),
        ],
        [_button(_.label("📗 Excel (.xlsx)"), "xlsx", survey.id)],
    ]
    if survey.status == "open":
        rows.append(
            [
                _button(_.label("🔔 Remind who has not finished"), "rem", survey.id),
                _button(_.label("🕒 Schedule a reminder"), "remat", survey.id),
            ]
        )
        rows.append([_button(_.label("🔒 Close now"), "close", survey.id)])
    await _say(update, context, _("Exports and actions:"), InlineKeyboardMarkup(rows))


async def survey_action(update: Update, context: Ctx) -> str | None:
    """Exports, reminders and closing from the results message."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await allowed(update, context, "coordinator"):
        return None
    _prefix, action, survey_id = query.data.split(":")
    repos = context.services.repos
    survey = await repos.surveys.get(int(survey_id))
    if survey is None:
        await query.answer(
            context.t.label("This button has expired. Please start again."), show_alert=True
        )
        return None
    if not await _may_manage(update, context, survey):
        return None
    _ = context.t
    now = context.now()
    member_id = context.member.id if context.member else None
    if action in ("csv", "wide", "xlsx"):
        await query.answer()
        form = cast(survey_exports.Form, action)  # the button pattern allows these three
        yes_no = (_.label("Yes"), _.label("No"))
        data = await survey_exports.export(context.services.db, survey, form, yes_no)
        name = survey_exports.FILE_NAMES[form].format(id=survey.id)
        await repos.audit.record(
            now, member_id, "survey.export", "survey", survey.id, format=action
        )
        await context.bot.send_document(_chat(update), InputFile(io.BytesIO(data), filename=name))
        return None
    if survey.status != "open":
        await query.answer(_.label("This survey is closed."), show_alert=True)
        return None
    if action == "rem":
        queued = await repos.outbox.enqueue(
            kind="survey_reminder",
            text=survey.title,
            now=now,
            audience=Audience(kind="survey_unfinished", ids=(survey.id,)),
            created_by=member_id,
            survey_id=survey.id,
        )
        figures = await repos.outbox.figures(queued or 0)
        count = figures.recipients if figures else 0
        await repos.audit.record(
            now, member_id, "survey.remind", "survey", survey.id, recipients=count
        )
        context.services.outbox_sender.wake()
        await query.answer(
            _._n(  # plain text: no HTML in it, and the count needs no escaping
                "🔔 Reminder on its way to {count} member.",
                "🔔 Reminder on its way to {count} members.",
                count,
            ),
            show_alert=True,
        )
        return None
    if action == "remat":
        await query.answer()
        assert context.user_data is not None
        context.user_data["svd"] = {"remind": survey.id}
        await _say(
            update, context, _("🕒 When should the reminder go out? For example 3/12 09:00.")
        )
        return REMIND_AT
    if action == "close":
        await query.answer()
        rows = [
            [
                _button(_.label("🔒 Yes, close it"), "closeok", survey.id),
                _button(_.label("◀ No, keep it open"), "keep", survey.id),
            ]
        ]
        text = _(
            "Close <b>{title}</b> now? Nobody will be able to answer any more, and it cannot be "
            "reopened.",
            title=survey.title,
        )
        await _say(update, context, text, InlineKeyboardMarkup(rows))
        return None
    if action == "keep":
        await query.answer()
        await query.edit_message_reply_markup(None)
        await _say(update, context, _("Nothing changed: the survey stays open."))
        return None
    if action == "closeok":
        await query.answer()
        await query.edit_message_reply_markup(None)
        await close_survey(context, survey.id)
        await repos.audit.record(now, member_id, "survey.close", "survey", survey.id)
        await _say(update, context, _("🔒 Survey #{number} is closed.", number=survey.id))
    return None


async def typed_remind_at(update: Update, context: Ctx) -> str | int:
    text = (update.effective_message.text or "") if update.effective_message else ""
    survey_id = _draft(context).get("remind")
    survey = await context.services.repos.surveys.get(int(survey_id or 0))
    if survey is None or not await _may_manage(update, context, survey):
        return ConversationHandler.END  # checked again now: the role or its axes may have changed
    moment = parse_local(text, now=context.now(), tz=context.services.settings.tz)
    if isinstance(moment, WhenProblem):
        await _say(update, context, context.t(moment.message, **moment.values))
        return REMIND_AT
    if survey.closes_at is not None and moment >= survey.closes_at:
        await _say(
            update, context, context.t("That is after the survey closes. Choose an earlier moment.")
        )
        return REMIND_AT
    member_id = context.member.id if context.member else None
    await context.services.repos.outbox.enqueue(
        kind="survey_reminder",
        text=survey.title,
        now=context.now(),
        audience=Audience(kind="survey_unfinished", ids=(survey.id,)),
        created_by=member_id,
        survey_id=survey.id,
        scheduled_for=moment,
    )
    when = show(moment, tz=context.services.settings.tz, language=context.t.language)
    await _say(
        update,
        context,
        context.t(
            "🕒 The reminder goes out {when} to whoever has not finished by then.", when=when
        ),
    )
    return ConversationHandler.END


async def close_survey(context: Ctx, survey_id: int) -> bool:
    """Close it and stop its polls."""
    services = context.services
    if not await services.repos.surveys.close(survey_id, services.clock()):
        return False
    for poll_id, chat_id, message_id in await services.repos.surveys.open_polls(survey_id):
        with contextlib.suppress(TelegramError):  # deleted or too old: nothing left to stop
            await context.bot.stop_poll(chat_id, message_id)
        await services.repos.surveys.poll_stopped(poll_id, services.clock())
    return True


async def close_due(context: Ctx) -> int:
    """Job every minute: surveys whose closing time has come are closed."""
    closed = 0
    for survey_id in await context.services.repos.surveys.due_to_close(context.services.clock()):
        closed += await close_survey(context, survey_id)
    return closed


# --- leaving and registration --------------------------------------------------------------------


async def cancel(update: Update, context: Ctx) -> int:
    assert context.user_data is not None
    context.user_data.pop("svd", None)
    if update.callback_query is not None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_reply_markup(None)
    _ = context.t
    await _say(update, context, _("Cancelled; nothing was launched."), menu.keyboard(_))
    return ConversationHandler.END


def _cb(*parts: str) -> Any:
    return callbacks.pattern("sa", *parts)


def _step(*handlers: BaseHandler[Update, Ctx, Any]) -> list[BaseHandler[Update, Ctx, Any]]:
    return forms.step("sa", cancel, *handlers)


def conversation() -> ConversationHandler[Ctx]:
    private = filters.ChatType.PRIVATE
    text = menu.TYPED  # a main-menu tap is not an answer
    document = private & (
        filters.Document.FileExtension("yaml")
        | filters.Document.FileExtension("yml")
        | filters.Document.FileExtension("json")
    )
    states: dict[object, list[BaseHandler[Update, Ctx, Any]]] = {
        TITLE: _step(
            MessageHandler(text, typed_title), CallbackQueryHandler(sent_example, _cb("example"))
        ),
        INTRO: _step(
            MessageHandler(text, typed_intro), CallbackQueryHandler(skipped_intro, _cb("nointro"))
        ),
        Q_KIND: _step(
            CallbackQueryHandler(chose_kind, _cb("k", "(" + "|".join((*KINDS, "end")) + ")"))
        ),
        Q_TEXT: _step(MessageHandler(text, typed_question)),
        Q_OPTIONS: _step(MessageHandler(text, typed_options)),
        Q_RANGE: _step(MessageHandler(text, typed_range)),
        Q_REQUIRED: _step(CallbackQueryHandler(chose_required, _cb("req", "(0|1)"))),
        Q_CONDITION: _step(
            CallbackQueryHandler(chose_condition_question, _cb("if", r"(\d+)")),
            CallbackQueryHandler(chose_condition_answer, _cb("ifv", r"(o\d+|\d+)")),
        ),
        ANONYMOUS: _step(CallbackQueryHandler(chose_anonymous, _cb("anon", "(0|1)"))),
        AUDIENCE: _step(
            CallbackQueryHandler(chose_audience, _cb("aud", r"(\d+)")),
            CallbackQueryHandler(browsed_audience, _cb("audk", "(org|sec|grp|evt|menu)", r"(\d+)")),
            CallbackQueryHandler(picked_audience, _cb("audo", "(org|sec|grp|evt)", r"(\d+)")),
        ),
        CLOSES: _step(MessageHandler(text, typed_closes)),
        PREVIEW: _step(CallbackQueryHandler(launch, _cb("(go|poll|pollg)"))),
        REMIND_AT: _step(MessageHandler(text, typed_remind_at)),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # per_message=False: the form follows the person
        return ConversationHandler(
            entry_points=[
                CommandHandler("newsurvey", start, filters=private),
                MessageHandler(document, document_received),
                CallbackQueryHandler(
                    survey_action,
                    callbacks.pattern(
                        "sa", "(csv|wide|xlsx|rem|remat|close|closeok|keep)", r"(\d+)"
                    ),
                ),
            ],
            states=states,
            fallbacks=[CommandHandler("cancel", cancel)],
            name="survey_form",
            persistent=True,
            allow_reentry=True,
        )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        CommandHandler("results", results_command, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(results_tapped, callbacks.pattern("sa", "res", r"(\d+)")),
    ]
