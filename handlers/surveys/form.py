"""/newsurvey in the chat: the coordinator's form, step by step (title, introduction, then each
question: its kind, text, options or range, required or not, and a condition), named or
anonymous, the audience, the closing time; then the preview (launch.py).

The one ConversationHandler of the surveys' coordinator side lives here: its entry points are
/newsurvey, a survey file (document.py) and the actions under /results (manage.py), and its
steps come from the modules of each part.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

from pydantic import ValidationError
from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import callbacks
from bot.auth import allowed
from bot.context import Ctx
from bot.conversations import Conversation
from bot.i18n import Translator
from bot.when import WhenProblem, parse_local
from handlers.core import confirm, forms, menu
from handlers.surveys import audience as audience_step
from handlers.surveys.conditions import (
    ask_condition,
    chose_condition_answer,
    chose_condition_question,
    condition_sources,
)
from handlers.surveys.document import document_received, sent_example
from handlers.surveys.launch import launch, launched_before, preview
from handlers.surveys.manage import survey_action, typed_remind_at
from handlers.surveys.steps import (
    ANONYMOUS,
    AUDIENCE,
    CLOSES,
    INTRO,
    KINDS,
    PREVIEW,
    Q_CONDITION,
    Q_KIND,
    Q_OPTIONS,
    Q_RANGE,
    Q_REQUIRED,
    Q_TEXT,
    REMIND_AT,
    TITLE,
    ask_kind,
    button,
    draft_of,
)
from storage.audience import Audience

# --- building in the chat ------------------------------------------------------------------------


async def start(update: Update, context: Ctx) -> str | int:
    """/newsurvey: step by step, or a YAML/JSON document."""
    if not await allowed(update, context, "coordinator"):
        return ConversationHandler.END
    assert context.user_data is not None
    context.user_data["svd"] = {"questions": []}
    _ = context.t
    await forms.say(
        update,
        context,
        _(
            "📝 <b>New survey</b>\n\nWhat is its title? (Or send a YAML or JSON file with the "
            "whole survey: the example below is one to edit. /cancel stops.)"
        ),
        InlineKeyboardMarkup([[button(_.label("📄 Example file"), "example")]]),
    )
    return TITLE


async def typed_title(update: Update, context: Ctx) -> str:
    text = (
        " ".join((update.effective_message.text or "").split()) if update.effective_message else ""
    )
    if not text or len(text) > 120:
        await forms.say(update, context, context.t("A title of 1 to 120 characters, please."))
        return TITLE
    draft_of(context)["title"] = text
    _ = context.t
    await forms.say(
        update,
        context,
        _("A short introduction members will read first?"),
        InlineKeyboardMarkup([[button(_.label("Skip ⏭"), "nointro")]]),
    )
    return INTRO


async def typed_intro(update: Update, context: Ctx) -> str:
    text = (update.effective_message.text or "").strip() if update.effective_message else ""
    if len(text) > 2000:
        await forms.say(update, context, context.t("At most 2000 characters, please."))
        return INTRO
    draft_of(context)["intro"] = text or None
    return await ask_kind(update, context)


async def skipped_intro(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    draft_of(context)["intro"] = None
    return await ask_kind(update, context)


async def chose_kind(update: Update, context: Ctx) -> str:
    kind = await forms.take_choice(update)
    if kind == "end":
        return await _ask_anonymous(update, context)
    draft_of(context)["current"] = {"type": kind}
    await forms.say(update, context, context.t("The question's text?"))
    return Q_TEXT


async def typed_question(update: Update, context: Ctx) -> str:
    text = (
        " ".join((update.effective_message.text or "").split()) if update.effective_message else ""
    )
    if not text or len(text) > 300:
        await forms.say(update, context, context.t("A question of 1 to 300 characters, please."))
        return Q_TEXT
    current = draft_of(context)["current"]
    current["text"] = text
    if current["type"] in ("single", "multi"):
        await forms.say(update, context, context.t("The options, one per line (2 to 12)."))
        return Q_OPTIONS
    if current["type"] == "number":
        await forms.say(
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
        await forms.say(
            update,
            context,
            context.t(
                "That does not work: {problem}. Send the options again, one per line.",
                problem=problem,
            ),
        )
        return Q_OPTIONS
    draft_of(context)["current"]["options"] = lines
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
    current = draft_of(context)["current"]
    if text != "-":
        match = re.fullmatch(r"(-?\d+(?:[.,]\d+)?)\s*(?:-|–|a|to)\s*(-?\d+(?:[.,]\d+)?)", text)
        low = float(match.group(1).replace(",", ".")) if match else None
        high = float(match.group(2).replace(",", ".")) if match else None
        if low is None or high is None or low > high:
            await forms.say(
                update, context, context.t("Write the range like 0-100, or - for any number.")
            )
            return Q_RANGE
        current["min"], current["max"] = low, high
    return await _ask_required(update, context)


async def _ask_required(update: Update, context: Ctx) -> str:
    _ = context.t
    rows = [[button(_.label("Required"), "req", 1), button(_.label("Optional"), "req", 0)]]
    await forms.say(update, context, _("Must it be answered?"), InlineKeyboardMarkup(rows))
    return Q_REQUIRED


async def chose_required(update: Update, context: Ctx) -> str:
    required = await forms.take_choice(update) == "1"
    draft = draft_of(context)
    current = draft.pop("current", None)
    if current is None:
        return await ask_kind(update, context)
    current["required"] = required
    if condition_sources(draft):
        draft["current"] = current
        return await ask_condition(update, context)
    draft["questions"].append(current)
    return await ask_kind(update, context)


async def _ask_anonymous(update: Update, context: Ctx) -> str:
    _ = context.t
    rows = [
        [button(_.label("👤 Named: I see who answered what"), "anon", 0)],
        [button(_.label("🔒 Anonymous: nobody can link answers to people"), "anon", 1)],
    ]
    await forms.say(update, context, _("Named or anonymous?"), InlineKeyboardMarkup(rows))
    return ANONYMOUS


async def chose_anonymous(update: Update, context: Ctx) -> str:
    draft_of(context)["anonymous"] = await forms.take_choice(update) == "1"
    text, markup = await audience_step.menu(context)
    await forms.say(update, context, text, markup)
    return AUDIENCE


async def typed_closes(update: Update, context: Ctx) -> str:
    text = (update.effective_message.text or "") if update.effective_message else ""
    moment = parse_local(text, now=context.now(), tz=context.reader.typing_zone)
    if isinstance(moment, WhenProblem):
        await forms.say(update, context, context.t(moment.message, **moment.values))
        return CLOSES
    draft = draft_of(context)
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
        await forms.say(
            update,
            context,
            context.t("The survey is not complete: {problem}", problem=str(exc.errors()[0]["msg"])),
        )
        return CLOSES
    return await preview(
        update, context, definition, Audience.from_json(draft["audience_json"]), moment
    )


# --- leaving and registration --------------------------------------------------------------------


async def cancel(update: Update, context: Ctx) -> int:
    assert context.user_data is not None
    context.user_data.pop("svd", None)
    if update.callback_query is not None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_reply_markup(None)
    _ = context.t
    await forms.say(update, context, _("Cancelled; nothing was launched."), menu.keyboard(_))
    return ConversationHandler.END


def _cb(*parts: str) -> Any:
    return callbacks.pattern("sa", *parts)


def _step(*handlers: BaseHandler[Update, Ctx, Any]) -> list[BaseHandler[Update, Ctx, Any]]:
    return forms.step("sa", cancel, *handlers, *done_buttons())


def done_buttons() -> list[BaseHandler[Update, Ctx, Any]]:
    """The launch buttons tapped when their draft is gone (a double tap, an old preview; in
    another step or after the form): answered with what they did."""
    return [CallbackQueryHandler(launched_before, _cb("(go|poll|pollg)", confirm.KEY))]


def conversation() -> ConversationHandler[Ctx]:
    """The coordinators' survey form, persistent: a restart keeps each one's place."""
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
            CallbackQueryHandler(audience_step.chose_audience, _cb("aud", r"(\d+)")),
            CallbackQueryHandler(
                audience_step.browsed_audience, _cb("audk", "(org|sec|grp|evt|menu)", r"(\d+)")
            ),
            CallbackQueryHandler(
                audience_step.picked_audience, _cb("audo", "(org|sec|grp|evt)", r"(\d+)")
            ),
        ),
        CLOSES: _step(MessageHandler(text, typed_closes)),
        PREVIEW: _step(CallbackQueryHandler(launch, _cb("(go|poll|pollg)", confirm.KEY))),
        REMIND_AT: _step(MessageHandler(text, typed_remind_at)),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # per_message=False: the form follows the person
        return Conversation(
            entry_points=[
                CommandHandler("newsurvey", start, filters=private),
                MessageHandler(document, document_received),
                CallbackQueryHandler(survey_action, callbacks.pattern("sa", "remat", r"(\d+)")),
                forms.PassingQuery(  # exports, reminding and closing ask nothing typed
                    survey_action,
                    callbacks.pattern("sa", "(csv|wide|xlsx|rem|close|closeok|keep)", r"(\d+)"),
                ),
            ],
            states=states,
            fallbacks=[CommandHandler("cancel", cancel)],
            name="survey_form",
            persistent=True,
            allow_reentry=True,
        )
