"""What coordinators do with a launched survey, from the buttons under its results: remind who
has not finished (now, or at a time they type), close it by hand after a confirmation; the
exports are sent by results.py. And the job that closes surveys when their time comes,
stopping their native polls.
"""

from __future__ import annotations

import contextlib

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import ConversationHandler

from bot.auth import allowed
from bot.context import Ctx
from bot.when import WhenProblem, parse_local
from handlers.core import confirm, forms
from handlers.surveys.results import send_export
from handlers.surveys.steps import REMIND_AT, button, draft_of, may_manage, may_see_results
from storage.audience import Audience


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
    exports = ("csv", "wide", "xlsx")  # reading; reminding and closing are managing
    may = may_see_results if action in exports else may_manage
    if not await may(update, context, survey):
        return None
    _ = context.t
    now = context.now()
    member_id = context.member.id if context.member else None
    if action in exports:
        await query.answer()
        await send_export(update, context, survey, action)
        return None
    if survey.status != "open":
        if action == "closeok":  # closed by an earlier tap, another coordinator or its time
            await confirm.already_done(update, context, _already_closed(context, survey.id))
        else:
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
        await forms.say(
            update,
            context,
            _(
                "🕒 When should the reminder go out? For example 3/12 09:00 ({zone}).",
                zone=context.reader.typing_zone_name(),
            ),
        )
        return REMIND_AT
    if action == "close":
        await query.answer()
        rows = [
            [
                button(_.label("🔒 Yes, close it"), "closeok", survey.id),
                button(_.label("◀ No, keep it open"), "keep", survey.id),
            ]
        ]
        text = _(
            "Close <b>{title}</b> now? Nobody will be able to answer any more, and it cannot be "
            "reopened.",
            title=survey.title,
        )
        await forms.say(update, context, text, InlineKeyboardMarkup(rows))
        return None
    if action == "keep":
        await query.answer()
        await query.edit_message_reply_markup(None)
        await forms.say(update, context, _("Nothing changed: the survey stays open."))
        return None
    if action == "closeok":
        if not await close_survey(context, survey.id):  # closed meanwhile: the database says
            await confirm.already_done(update, context, _already_closed(context, survey.id))
            return None
        await query.answer()
        await query.edit_message_reply_markup(None)
        await repos.audit.record(now, member_id, "survey.close", "survey", survey.id)
        await forms.say(update, context, _("🔒 Survey #{number} is closed.", number=survey.id))
    return None


def _already_closed(context: Ctx, survey_id: int) -> str:
    return context.t.label("Survey #{number} is already closed.", number=survey_id)


async def typed_remind_at(update: Update, context: Ctx) -> str | int:
    text = (update.effective_message.text or "") if update.effective_message else ""
    survey_id = draft_of(context).get("remind")
    survey = await context.services.repos.surveys.get(int(survey_id or 0))
    if survey is None or not await may_manage(update, context, survey):
        return ConversationHandler.END  # checked again now: the role or its axes may have changed
    moment = parse_local(text, now=context.now(), tz=context.reader.typing_zone)
    if isinstance(moment, WhenProblem):
        await forms.say(update, context, context.t(moment.message, **moment.values))
        return REMIND_AT
    if survey.closes_at is not None and moment >= survey.closes_at:
        await forms.say(
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
    when = context.reader.show(moment)
    await forms.say(
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
