"""/results: a survey's figures in words (response rate; per question the answers, shares,
mean, NPS and free texts), one chart per question, and the exports for analysis (CSV one row
per answer or per person, Excel), with the buttons of the actions on an open survey.
"""

from __future__ import annotations

import html
import io
from typing import Any, cast

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.auth import addresses, allowed, reads
from bot.charts import Bars
from bot.context import Ctx
from bot.i18n import Translator
from bot.validation import whole_number
from handlers.core import forms
from handlers.surveys.steps import MESSAGE_MAX, button, may_see_results
from storage.repositories.surveys import exports as survey_exports
from storage.repositories.surveys.results import QuestionResult, Results
from storage.repositories.surveys.surveys import Survey


def results_text(t: Translator, results: Results) -> list[str]:
    """The figures in words (numbers and percentages as the reader's language writes them),
    split into messages that fit Telegram's limit."""
    survey = results.survey
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
            "Response rate: {completed} of {invited} invited ({rate}) · {started} started",
            completed=t.number(results.completed),
            invited=t.number(results.invited),
            rate=t.percent(results.completed, results.invited),
            started=t.number(results.started),
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
            lines.append(
                t(
                    "• {label}: {count} ({share})",
                    label=label,
                    count=t.number(number),
                    share=t.percent(number, item.answered),
                )
            )
        if item.mean is not None:
            lines.append(t("Mean: {mean}", mean=t.number(item.mean, 2)))
        if item.nps is not None:
            lines.append(t("NPS: {score}", score=t.signed(item.nps)))
        for text in item.texts[:30]:
            lines.append("💬 " + html.escape(text, quote=False))
        if len(item.texts) > 30:
            lines.append(
                t("…and {count} more in the exports.", count=t.number(len(item.texts) - 30))
            )
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


NPS_COLORS = (
    ("#cf222e",) * 7 + ("#8c959f",) * 2 + ("#1a7f37",) * 2
)  # detractors, passives, promoters


def chart_of(t: Translator, item: QuestionResult) -> Bars | None:
    """A question's chart: its answers, with the mean or NPS under the title; None when it
    has nothing to draw (free texts, or no answers yet)."""
    pairs = _distribution(t, item)
    if not pairs or not item.answered:
        return None
    question = item.question
    headline = ""
    if item.mean is not None:
        headline = t.label("Mean: {mean}", mean=t.number(item.mean, 2))
    if item.nps is not None:
        headline = t.label("NPS: {score}", score=t.signed(item.nps))
    nps = question.kind == "nps"
    return Bars(
        title=f"{question.position}. {question.text}",
        labels=[p[0] for p in pairs],
        counts=[p[1] for p in pairs],
        headline=headline,
        people=item.answered,  # the same base as the text's percentages
        colors=NPS_COLORS if nps else None,
        legend=t.label("0–6 detractors · 7–8 passives · 9–10 promoters") if nps else "",
        count_text=t.number,
        share_text=t.percent,
    )


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
        await forms.say(update, context, _("I could not find that survey."))
        return
    if not await may_see_results(update, context, results.survey):
        return
    await send_results(update, context, results)


async def _pick_survey(update: Update, context: Ctx) -> None:
    """/results alone: the recent surveys whose results this coordinator may read, one button
    each; never "no surveys" when there are some they may not open."""
    _ = context.t
    rows = []
    recent = await context.services.repos.surveys.recent(30)
    for survey in recent:
        if not await reads(context, survey.audience):
            continue
        status = _.label("open") if survey.status == "open" else _.label("closed")
        label = _.label(
            "#{number} {title} ({status})", number=survey.id, title=survey.title[:40], status=status
        )
        rows.append([button(label, "res", survey.id)])
        if len(rows) == 10:
            break
    if not rows and recent:
        await forms.say(
            update,
            context,
            _(
                "The latest surveys were for other axes: their own coordinators read their "
                "results. /newsurvey creates one for yours."
            ),
        )
        return
    if not rows:
        await forms.say(update, context, _("No surveys yet. /newsurvey creates one."))
        return
    await forms.say(
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
    if not await may_see_results(update, context, results.survey):
        return
    await query.answer()
    await send_results(update, context, results)


async def send_results(update: Update, context: Ctx, results: Results) -> None:
    """The figures in words, one chart per question, then the exports and the actions."""
    from bot.charts import bar_chart  # matplotlib loads on the first /results, not at start-up

    _ = context.t
    survey = results.survey
    for text in results_text(_, results):
        await forms.say(update, context, text)
    for item in results.questions:
        bars = chart_of(_, item)
        if bars is None:
            continue
        await context.bot.send_photo(
            forms.chat_of(update),
            InputFile(
                bar_chart(bars), filename=f"survey-{survey.id}-q{item.question.position}.png"
            ),
        )
    rows = [
        [
            button(_.label("📄 CSV (one row per answer)"), "csv", survey.id),
            button(_.label("📄 CSV (one row per person)"), "wide", survey.id),
        ],
        [button(_.label("📗 Excel (.xlsx)"), "xlsx", survey.id)],
    ]
    if survey.status == "open" and await addresses(context, survey.audience):
        rows.append(
            [
                button(_.label("🔔 Remind who has not finished"), "rem", survey.id),
                button(_.label("🕒 Schedule a reminder"), "remat", survey.id),
            ]
        )
        rows.append([button(_.label("🔒 Close now"), "close", survey.id)])
    await forms.say(update, context, _("Exports and actions:"), InlineKeyboardMarkup(rows))


async def send_export(update: Update, context: Ctx, survey: Survey, action: str) -> None:
    """One of the exports as a file (csv, wide or xlsx: the button pattern allows no other),
    recorded in the audit log."""
    _ = context.t
    form = cast(survey_exports.Form, action)
    yes_no = (_.label("Yes"), _.label("No"))
    data = await survey_exports.export(context.services.db, survey, form, yes_no)
    name = survey_exports.FILE_NAMES[form].format(id=survey.id)
    member_id = context.member.id if context.member else None
    await context.services.repos.audit.record(
        context.now(), member_id, "survey.export", "survey", survey.id, format=action
    )
    await context.bot.send_document(
        forms.chat_of(update), InputFile(io.BytesIO(data), filename=name)
    )


# --- registration --------------------------------------------------------------------------------


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        CommandHandler("results", results_command, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(results_tapped, callbacks.pattern("sa", "res", r"(\d+)")),
    ]
