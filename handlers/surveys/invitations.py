"""What invites a member to a survey and what turns them away.

The invitation (title, introduction, number of questions, closing time) with its Start button,
as the outbox sends it, as the ?start=sv_<id> link shows it again, and as /surveys lists the
surveys still waiting for the member; the reminder; the refusal when a survey is closed,
already answered or for other members; and a one-question survey sent as a native Telegram
poll, with the poll answers that count as responses.
"""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CommandHandler, PollAnswerHandler, filters

from bot import callbacks, deeplinks, notices
from bot.auth import active_member
from bot.context import Ctx
from bot.i18n import Translator
from bot.notices import Notice, PollSpec, Rendered
from bot.validation import whole_number
from bot.when import Reader
from storage.audience import includes
from storage.repositories.surveys.responses import Participation
from storage.repositories.surveys.surveys import Survey

# --- the invitation ------------------------------------------------------------------------------


def invitation_text(reader: Reader, survey: Survey) -> str:
    """Title, introduction, how many questions and until when (in the reader's time zones);
    whether it is anonymous."""
    t = reader.t
    lines = [t("📝 <b>Survey: {title}</b>", title=survey.title)]
    if survey.intro:
        lines.append(html.escape(survey.intro, quote=False))
    count = len(survey.questions)
    lines.append(t._n("{count} question", "{count} questions", count))
    if survey.closes_at is not None:
        lines[-1] += " · " + t("open until {when}", when=reader.show(survey.closes_at))
    if survey.anonymous:
        lines.append(t("🔒 Anonymous: your answers are not linked to you."))
    return "\n".join(lines)


def start_button(t: Translator, survey: Survey, label: str | None = None) -> InlineKeyboardMarkup:
    """▶️ Start (or Continue): the tap answering.py begins with."""
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


# --- who may answer ------------------------------------------------------------------------------


async def admitted(update: Update, context: Ctx, survey: Survey) -> Participation | None:
    """Where the member stands in the survey when they may answer it (progress None: not
    started); otherwise None, after telling them why (closed, answered, for others)."""
    query = update.callback_query
    _ = context.t
    member = context.member
    assert member is not None
    text = None
    participation = None
    if survey.status != "open":
        text = _.label("This survey is closed. Thank you!")
    else:
        participation = await context.services.repos.surveys.participation(survey.id, member.id)
        if participation is not None and participation.completed:
            text = _.label("You already answered this survey. Thank you!")
        elif participation is None:
            if await includes(context.services.db, survey.audience, member.id):
                participation = Participation(completed=False, progress=None)
            else:
                text = _.label("This survey is for other members of the cluster.")
    if text is None:
        return participation
    if query is not None:
        await query.answer(text, show_alert=True)
    elif update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text)
    return None


# --- the invitation again: the link and /surveys -------------------------------------------------


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
    if await admitted(update, context, survey) is None:
        return
    await context.bot.send_message(
        update.effective_chat.id,
        invitation_text(context.reader, survey),
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
            invitation_text(context.reader, survey),
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
    participation = await repos.surveys.participation(survey.id, member.id)
    if participation is None and not await includes(
        context.services.db, survey.audience, member.id
    ):
        return  # a vote in the group from outside the survey's audience is not counted
    question = survey.questions[0]
    values = [
        question.options[i].code if question.kind != "yesno" else ("1" if i == 0 else "0")
        for i in answer.option_ids
        if i < max(len(question.options), 2)
    ]
    if participation is None or participation.progress is None:
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
    """The outbox's invitation: as questions or as a poll; nothing once closed or answered."""
    services = notice.services
    survey = await services.repos.surveys.get(notice.survey_id or 0)
    if survey is None or survey.status != "open":
        return None
    if notice.member_id is not None:
        participation = await services.repos.surveys.participation(survey.id, notice.member_id)
        if participation is not None and participation.completed:
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
    text = invitation_text(notice.reader, survey)
    return Rendered(text, start_button(notice.t, survey))


async def render_reminder(notice: Notice) -> Rendered | None:
    """The outbox's reminder, only to those who started or were invited and have not finished."""
    services = notice.services
    survey = await services.repos.surveys.get(notice.survey_id or 0)
    if survey is None or survey.status != "open":
        return None
    if notice.member_id is not None:
        participation = await services.repos.surveys.participation(survey.id, notice.member_id)
        if participation is None or participation.completed:
            return None
    t = notice.t
    when = notice.reader.show(survey.closes_at) if survey.closes_at else ""
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
        PollAnswerHandler(poll_answered),
    ]


def register_notices_and_links() -> None:
    notices.register("survey_invitation", render_invitation)
    notices.register("survey_reminder", render_reminder)
    deeplinks.register("sv", open_by_link)
