"""Preview and launch: the invitation and the first question as members will see them, every
question at a glance, the audience and how many it reaches; then the launch as questions, as
a native poll sent to each member, or as one poll in the community group, with the
invitations queued in the outbox.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from bot.auth import allowed, may_address
from bot.context import Ctx
from bot.i18n import Translator
from handlers.core import confirm, forms, menu
from handlers.shared.audience import describe
from handlers.surveys.invitations import invitation_text, poll_spec
from handlers.surveys.questions import question_message
from handlers.surveys.steps import MESSAGE_MAX, PREVIEW, button, draft_of, kind_name
from storage.audience import Audience, Recipient, count
from storage.repositories.surveys.responses import Progress
from storage.repositories.surveys.surveys import Option, QuestionRow, Survey

if TYPE_CHECKING:  # the definitions' pydantic models load when a survey is built
    from storage.repositories.surveys.definition import SurveyDefinition

# --- preview -------------------------------------------------------------------------------------


async def preview(
    update: Update, context: Ctx, definition: SurveyDefinition, audience: Audience, closes: datetime
) -> str:
    """Show the survey as members will see it, with the buttons to launch it."""
    draft = draft_of(context)
    draft["definition"] = definition.model_dump(mode="json", by_alias=True)
    draft["audience_json"] = audience.to_json()
    draft["closes_at"] = closes.isoformat()
    _ = context.t
    sample = _sample(definition, audience, closes)
    await forms.say(update, context, invitation_text(context.reader, sample))
    first = sample.questions[0]
    text, markup = question_message(_, sample, first, Progress(position=1))
    await forms.say(update, context, text, markup)
    if len(definition.questions) > 1:
        for part in _questions_summary(_, definition):
            await forms.say(update, context, part)
    reach = await count(context.services.db, audience)
    lines = [
        _("👆 The invitation and the first question, as members will see them."),
        _("👥 Audience: {who}", who=await describe(context, _, audience)),
        _._n("📬 {count} member will be invited.", "📬 {count} members will be invited.", reach),
    ]
    key = confirm.draft_key(draft)
    rows = [[button(_.label("🚀 Launch"), "go", key), button(_.label("✖ Cancel"), "x")]]
    if poll_spec(_, sample) is not None:
        rows.insert(0, [button(_.label("📊 Launch as a Telegram poll"), "poll", key)])
        if not definition.anonymous and await _group_poll_place(context, audience) is not None:
            rows.insert(1, [button(_.label("📊 Poll in the community group"), "pollg", key)])
    await forms.say(update, context, "\n".join(lines), InlineKeyboardMarkup(rows))
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


# --- launch --------------------------------------------------------------------------------------


async def launch(update: Update, context: Ctx) -> str | int | None:
    """Store it, invite its audience through the outbox, and say how many were invited; once."""
    query = update.callback_query
    assert query is not None and query.data is not None
    draft = draft_of(context)
    _prefix, how, key = query.data.split(":")
    if draft.get("key") != key or "definition" not in draft:
        await launched_before(update, context)
        return None
    audience = Audience.from_json(draft["audience_json"])
    if not await allowed(update, context, "coordinator") or not await may_address(
        update, context, audience
    ):
        return None
    from storage.repositories.surveys.definition import SurveyDefinition

    definition = SurveyDefinition.model_validate(draft["definition"])
    in_group = how == "pollg"
    group = await _group_poll_place(context, audience) if in_group else None
    if in_group and (group is None or definition.anonymous):
        await forms.wrong_input(update, context)
        return None
    now = context.now()
    member_id = context.member.id if context.member else None
    repos = context.services.repos
    as_poll = how in ("poll", "pollg")
    survey_id = await repos.surveys.create(
        definition,
        audience,
        datetime.fromisoformat(draft["closes_at"]),
        member_id,
        now,
        confirmation=key,
        as_poll=as_poll,
    )
    assert context.user_data is not None
    context.user_data.pop("svd", None)
    if survey_id is None:  # this very draft was launched by an earlier tap (before a restart)
        await launched_before(update, context)
        return ConversationHandler.END
    await query.answer()
    await query.edit_message_reply_markup(None)
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
    context.services.outbox_sender.wake()
    _ = context.t
    if group is not None:
        text = _(
            "🚀 Survey #{number} is launched as a poll in the community group. "
            "/results {number} shows the answers.",
            number=survey_id,
        )
        await forms.say(update, context, text, menu.keyboard(_))
        return ConversationHandler.END
    await forms.say(
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


async def launched_before(update: Update, context: Ctx) -> None:
    """A launch button of a draft that is gone (a double tap, an old preview): what it
    launched, as the database says; or, if it launched nothing, that it expired."""
    await confirm.replayed(
        update,
        context,
        lambda t, number: t.label("This survey was already launched as #{number}.", number=number),
    )
