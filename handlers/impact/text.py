"""How impact figures read: names of periods and scopes, numbers in the reader's language, the
change against the previous period (▲ ▼), and the indicator lines that the chat, the dashboard
and the report all show (one list, three renderings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date, format_skeleton

from bot.i18n import N_, Translator
from bot.labels import axis_name
from storage.repositories.impact.figures import Impact
from storage.repositories.impact.periods import Period

HELIX_NAMES = {
    "industry": N_("Industry"),
    "academia": N_("Academia"),
    "government": N_("Government"),
    "other": N_("Other"),
}

# The impact charts' titles (charts.py draws them; the dashboard names its pictures with them).
CHART_TITLES = {
    "participants": N_("Unique participants (checked in)"),
    "activities": N_("Events and meetings held"),
    "conversion": N_("Attendance conversion (%)"),
    "response": N_("Survey response rate (%)"),
    "composition": N_("Members by sector"),
}


def period_name(t: Translator, period: Period) -> str:
    """A month as the reader's language names it, by the locale's own pattern (CLDR's yMMMM
    skeleton), capitalised: "Octubre de 2026", "October 2026", "2026年10月", "Oktober 2026";
    a quarter "T4 2026" / "Q4 2026" / "2026年第4四半期"; a year "2026"."""
    if period.kind == "month":
        first = date(period.year, period.number, 1)
        text = format_skeleton("yMMMM", first, locale=t.locale)
        return text[:1].upper() + text[1:]
    if period.kind == "quarter":
        return t.label("Q{number} {year}", number=period.number, year=period.year)
    return str(period.year)


def month_short(t: Translator, period: Period) -> str:
    """A month on a chart's axis: "oct", "Oct"."""
    text = format_date(date(period.year, period.number, 1), "LLL", locale=t.language)
    return text.rstrip(".")[:3].capitalize()


def scope_name(t: Translator, scope: str, *, plain: bool = False) -> str:
    """ "🌐 Whole cluster" or the axis's name; `plain` drops the emoji (the PDF's font has none)."""
    name = t.label("🌐 Whole cluster") if scope == "cluster" else axis_name(t, scope)
    return name.split(" ", 1)[1] if plain and " " in name else name


def number(t: Translator, value: float | int | None, digits: int = 0) -> str:
    """The reader's way of writing a figure (Translator.number); a dash when unknown."""
    return "—" if value is None else t.number(value, digits)


def percent(t: Translator, value: float | None) -> str:
    return "—" if value is None else t.label("{value} %", value=number(t, value))


def signed(t: Translator, value: float | None) -> str:
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + number(t, value)


def change(t: Translator, now: float | None, before: float | None, *, points: bool = False) -> str:
    """▲ 5 / ▼ 2 pts / = against the previous period; empty when either side is unknown."""
    if now is None or before is None:
        return ""
    delta = round(float(now) - float(before), 1)
    if delta == 0:
        return "="
    amount = number(t, abs(delta), 0 if delta == int(delta) else 1)
    if points:
        amount = t.label("{value} pts", value=amount)
    return ("▲ " if delta > 0 else "▼ ") + amount


@dataclass(frozen=True)
class Line:
    """One indicator as every rendering shows it."""

    key: str
    icon: str
    label: str
    value: str
    previous: str
    change: str
    detail: str


def lines(t: Translator, impact: Impact) -> list[Line]:
    """The indicators of the period beside the previous one, in reading order."""
    c, p = impact.current, impact.previous

    def n(value: float | None) -> str:
        return number(t, value)

    return [
        Line(
            "members",
            "👥",
            t.label("Active members"),
            n(c.active),
            n(p.active),
            change(t, c.active, p.active),
            t.label(
                "joined {joined} · left {left} · unreachable {unreachable}",
                joined=n(c.joined),
                left=n(c.left),
                unreachable=n(c.unreachable),
            ),
        ),
        Line(
            "organizations",
            "🏭",
            t.label("Organizations engaged"),
            percent(t, c.engaged_pct),
            percent(t, p.engaged_pct),
            change(t, c.engaged_pct, p.engaged_pct, points=True),
            t.label(
                "{engaged} of {total} member organizations",
                engaged=n(c.engaged_organizations),
                total=n(c.member_organizations),
            ),
        ),
        Line(
            "participation",
            "🙋",
            t.label("Participation (90 days)"),
            percent(t, c.participation_pct),
            percent(t, p.participation_pct),
            change(t, c.participation_pct, p.participation_pct, points=True),
            t.label(
                "{people} of {active} active members took part",
                people=n(c.took_part_90d),
                active=n(c.active),
            ),
        ),
        Line(
            "activities",
            "📅",
            t.label("Activities held"),
            n(c.events + c.meetings),
            n(p.events + p.meetings),
            change(t, c.events + c.meetings, p.events + p.meetings),
            t.label(
                "{events} events · {meetings} meetings · {people} unique participants",
                events=n(c.events),
                meetings=n(c.meetings),
                people=n(c.participants),
            ),
        ),
        Line(
            "conversion",
            "✅",
            t.label("Attendance conversion"),
            percent(t, c.conversion_pct),
            percent(t, p.conversion_pct),
            change(t, c.conversion_pct, p.conversion_pct, points=True),
            t.label(
                "going {going} · maybe {maybe} · can't go {declined} · checked in {came}"
                " · no-shows {missing}",
                going=n(c.going),
                maybe=n(c.maybe),
                declined=n(c.declined),
                came=n(c.checked_in),
                missing=n(c.no_shows),
            ),
        ),
        Line(
            "groups",
            "🤝",
            t.label("Working-group members"),
            n(c.group_members),
            n(p.group_members),
            change(t, c.group_members, p.group_members),
            t.label(
                "{groups} groups · {meetings} meetings · {average} average attendance",
                groups=n(c.groups),
                meetings=n(c.group_meetings),
                average=number(t, c.average_attendance, 1),
            ),
        ),
        Line(
            "response",
            "📝",
            t.label("Survey response rate"),
            percent(t, c.response_pct),
            percent(t, p.response_pct),
            change(t, c.response_pct, p.response_pct, points=True),
            t.label(
                "{surveys} surveys · {completed} of {invited} answered",
                surveys=n(c.surveys),
                completed=n(c.completed),
                invited=n(c.invited),
            ),
        ),
        Line(
            "nps",
            "⭐",
            t.label("Satisfaction (NPS)"),
            signed(t, c.nps),
            signed(t, p.nps),
            change(t, c.nps, p.nps),
            t.label("{count} answers", count=n(c.nps_answers))
            if c.nps is not None
            else t.label("no survey with a recommendation question"),
        ),
        Line(
            "reach",
            "📣",
            t.label("Reach of announcements"),
            percent(t, c.reach_pct),
            percent(t, p.reach_pct),
            change(t, c.reach_pct, p.reach_pct, points=True),
            t.label(
                "{delivered} of {intended} delivered · {unreachable} unreachable",
                delivered=n(c.delivered),
                intended=n(c.intended),
                unreachable=n(c.unreachable_deliveries),
            ),
        ),
        Line(
            "suppliers",
            "🔩",
            t.label("Suppliers among member organizations"),
            percent(t, c.supplier_pct),
            percent(t, p.supplier_pct),
            change(t, c.supplier_pct, p.supplier_pct, points=True),
            t.label(
                "{suppliers} of {organizations} organizations",
                suppliers=n(c.supplier_organizations),
                organizations=n(c.organizations),
            ),
        ),
    ]


def composition_text(t: Translator, impact: Impact) -> str:
    """ "Industry 70 % · Academia 20 % · Government 10 %" of the members at the period's end."""
    totals: dict[str, int] = {}
    for row in impact.composition:
        totals[row.helix] = totals.get(row.helix, 0) + row.members
    whole = sum(totals.values())
    if not whole:
        return t.label("no active members")
    return " · ".join(
        t.label(
            "{name} {share}",
            name=t.label(HELIX_NAMES[h]),
            share=percent(t, round(100 * totals[h] / whole, 1)),
        )
        for h in HELIX_NAMES
        if totals.get(h)
    )


def two_lines(t: Translator, impact: Impact) -> str:
    """The monthly report's caption: what the file is, and the headline figures."""
    c, p = impact.current, impact.previous
    return (
        t.label(
            "📊 CLIA impact report · {period} · {scope}",
            period=period_name(t, c.period),
            scope=scope_name(t, c.scope),
        )
        + "\n"
        + t.label(
            "{active} active members ({members_change}) · participation {participation}"
            " · {activities} activities · response rate {response}",
            active=number(t, c.active),
            members_change=change(t, c.active, p.active) or "=",
            participation=percent(t, c.participation_pct),
            activities=number(t, c.events + c.meetings),
            response=percent(t, c.response_pct),
        )
    )
