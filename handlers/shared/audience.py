"""What several features deliberately share: naming an audience and an event on a picker.

Broadcasts and surveys both address an audience and both let a coordinator pick an event;
their pickers and previews use these so that people read the same words everywhere.
May use bot/ and storage/ only; never a feature package.
"""

from __future__ import annotations

from bot.context import Ctx
from bot.i18n import Translator
from bot.labels import axis_name, sector_name
from bot.when import Reader
from storage.audience import Audience
from storage.repositories.events.events import Event
from storage.repositories.events.targets import Target


def picker_label(reader: Reader, event: Target | Event) -> str:
    """An event on a button: its date first (short, Aguascalientes time), so the meetings of
    a series can be told apart."""
    assert event.starts_at is not None
    title = event.name if isinstance(event, Target) else event.title
    return f"{reader.show_compact(event.starts_at)} · {title}"[:64]

async def describe(context: Ctx, t: Translator, audience: Audience) -> str:
    """The audience in words, for the preview and the list of broadcasts."""
    repos = context.services.repos
    if audience.kind == "everyone":
        return t.label("every member")
    if audience.kind == "axes":
        codes = {a.id: a.code for a in await repos.reference.axes()}
        names = t.join(axis_name(t, codes[i]) for i in audience.ids if i in codes)
        return t.label("members of {names}", names=names)
    if audience.kind == "organizations":
        orgs = [await repos.reference.organization(i) for i in audience.ids]
        names = t.join(o.name for o in orgs if o is not None)
        return t.label("members of {names}", names=names)
    if audience.kind == "sectors":
        names = t.join(sector_name(t, s) for s in audience.sectors)
        return t.label("members of the sectors {names}", names=names)
    if audience.kind == "working_group":
        group = await repos.targets.name("working_group", audience.ids[0])
        return t.label("the working group {name}", name=group.name if group else "?")
    if audience.kind == "event":
        event = await repos.targets.name("event", audience.ids[0])
        name = event.name if event else "?"
        if "maybe" in audience.answers:
            return t.label("who answered Going or Maybe to {name}", name=name)
        return t.label("who answered Going to {name}", name=name)
    survey = await repos.targets.name("survey", audience.ids[0])
    return t.label("who has not finished the survey {name}", name=survey.name if survey else "?")
