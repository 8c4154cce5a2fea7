"""A survey from a file: the example YAML a coordinator edits, and the YAML or JSON document
they send back, validated with every problem named (question and field), its audience looked
up by name, then the same preview as a survey built in the chat.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import TYPE_CHECKING

from telegram import InputFile, Update
from telegram.ext import ConversationHandler

from bot.auth import allowed, may_address
from bot.context import Ctx
from bot.validation import whole_number
from bot.when import WhenProblem, parse_local
from handlers.core import forms
from handlers.surveys.launch import preview
from handlers.surveys.steps import TITLE
from storage.audience import Audience

if TYPE_CHECKING:  # the definitions' pydantic models load when a survey is built
    from storage.repositories.surveys.definition import SurveyDefinition

DOCUMENT_BYTES_MAX = 200_000


async def sent_example(update: Update, context: Ctx) -> str:
    """A survey file to edit and send back, with what each field may say."""
    from storage.repositories.surveys.definition import example

    query = update.callback_query
    assert query is not None
    await query.answer()
    local = context.now().astimezone(context.reader.typing_zone) + timedelta(days=14)
    document = example(local.date().isoformat() + " 18:00").encode()
    await context.bot.send_document(
        forms.chat_of(update),
        InputFile(io.BytesIO(document), filename=context.t.label("survey-example.yaml")),
        caption=context.t(
            "📄 Edit the texts and send the file back to me.\n• type: {types}\n"
            "• audience: {audiences}\n• show_if: {show_if} asks a question only after that "
            "answer\n• closes: date and time ({zone})",
            zone=context.reader.typing_zone_name(),
            types="single, multi, scale, nps, yesno, number (min, max), text (max_length)",
            audiences="everyone, {axis: innovation | talent | leadership | globalization}, "
            "{organization: …}, {sector: oem | tier1 | supplier | academia | government | "
            "other}, {group: …}, {event: …}",
            show_if="{question: 1, answer: No}",
        ),
    )
    return TITLE


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
    closes = parse_local(definition.closes, now=context.now(), tz=context.reader.typing_zone)
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
    return await preview(update, context, definition, audience, closes)


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
        groups = [g for g in await repos.groups.groups() if g.name.lower() == str(value).lower()]
        if not groups:
            return context.t.label("no working group called {value}", value=value)
        return Audience(kind="working_group", ids=(groups[0].id,))
    number = whole_number(str(value))
    event = await repos.events.get(number) if number is not None else None
    if event is None:
        return context.t.label("no event number {value}", value=value)
    return Audience(kind="event", ids=(event.id,), answers=("going",))
