"""The dashboard's HTML: one layout, the overview of a scope and period, tables (sortable in the
browser, each with its CSV), an event and a survey. Everything shown is escaped here; the CSS
and the small sorting script are served by the dashboard itself (no CDN: it works offline)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from bot.config import SUPPORTED_LANGUAGES
from bot.i18n import N_, Translator
from bot.labels import sector_name
from bot.when import show_in_table
from handlers.core.language import LANGUAGE_NAMES
from handlers.impact.text import Line, number, percent, period_name, scope_name
from storage.models import from_db_time
from storage.repositories.impact.figures import Table
from storage.repositories.impact.periods import KINDS, Period

BASE = "/dashboard"
COLUMN_NAMES = {
    "organization": N_("Organization"),
    "sector": N_("Sector"),
    "members": N_("Members"),
    "participants": N_("Took part"),
    "participation_pct": N_("Took part (%)"),
    "event_id": N_("No."),
    "starts_at": N_("Date"),
    "kind": N_("Kind"),
    "axis": N_("Axis"),
    "working_group": N_("Working group"),
    "title": N_("Title"),
    "status": N_("Status"),
    "going": N_("Going"),
    "maybe": N_("Maybe"),
    "declined": N_("Can't go"),
    "checked_in": N_("Checked in"),
    "no_shows": N_("No-shows"),
    "conversion_pct": N_("Conversion (%)"),
    "survey_id": N_("No."),
    "opened_at": N_("Launched"),
    "invited": N_("Invited"),
    "completed": N_("Answered"),
    "response_pct": N_("Response rate (%)"),
    "nps_answers": N_("NPS answers"),
    "nps": N_("NPS"),
}
VALUE_NAMES = {
    "event": N_("Event"),
    "meeting": N_("Meeting"),
    "published": N_("held or scheduled"),
    "cancelled": N_("cancelled"),
    "draft": N_("draft"),
    "open": N_("open"),
    "closed": N_("closed"),
}
KIND_NAMES = {"month": N_("Month"), "quarter": N_("Quarter"), "year": N_("Year")}
PAGES = (
    ("", N_("Overview")),
    ("/organizations", N_("Organizations")),
    ("/events", N_("Events")),
    ("/surveys", N_("Surveys")),
)


def query(scope: str, period: Period, **extra: str) -> str:
    return "?" + urlencode({"scope": scope, "period": period.label, **extra})


def layout(
    t: Translator,
    title: str,
    body: str,
    *,
    scopes: Sequence[str] = (),
    scope: str = "",
    period: Period | None = None,
    page: str = "",
    latest: Period | None = None,
    tz: ZoneInfo | None = None,
) -> str:
    """The page around `body`: title, page links, scope and period pickers, language switch."""
    nav = ""
    if period is not None and scopes:
        links = " ".join(
            f'<a class="tab{" on" if path == page else ""}" href="{BASE}{path}'
            f'{escape(query(scope, period))}">{escape(t.label(name))}</a>'
            for path, name in PAGES
        )
        scope_links = " ".join(
            f'<a class="chip{" on" if s == scope else ""}" href="{BASE}{page}'
            f'{escape(query(s, period))}">{escape(scope_name(t, s))}</a>'
            for s in scopes
        )
        period_links = []
        assert tz is not None and latest is not None
        for kind in KINDS:
            target = Period.containing(kind, period.bounds(tz)[0], tz)
            period_links.append(
                f'<a class="chip{" on" if kind == period.kind else ""}" href="{BASE}{page}'
                f'{escape(query(scope, target))}">{escape(t.label(KIND_NAMES[kind]))}</a>'
            )
        earlier = period.previous()
        period_links.append(
            f'<a class="chip" href="{BASE}{page}{escape(query(scope, earlier))}">'
            f"◀ {escape(period_name(t, earlier))}</a>"
        )
        if period < latest:
            later = period.next()
            period_links.append(
                f'<a class="chip" href="{BASE}{page}{escape(query(scope, later))}">'
                f"{escape(period_name(t, later))} ▶</a>"
            )
        scope_word, period_word = escape(t.label("Scope")), escape(t.label("Period"))
        nav = (
            f'<nav class="pages">{links}</nav>'
            f'<nav class="pick" aria-label="{scope_word}">{scope_links}</nav>'
            f'<nav class="pick" aria-label="{period_word}">{" ".join(period_links)}</nav>'
        )
    impact_word, sign_out = escape(t.label("Impact")), escape(t.label("Sign out"))
    switch = languages(t, scope, period)
    return (
        f'<!doctype html><html lang="{t.language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · CLIA</title>"
        f'<link rel="stylesheet" href="{BASE}/assets/dashboard.css">'
        f'<script src="{BASE}/assets/dashboard.js" defer></script></head><body>'
        f'<header><span class="brand">CLIA · {impact_word}</span>{switch}'
        f'<a class="out" href="{BASE}/logout">{sign_out}</a></header>'
        f"<main><h1>{escape(title)}</h1>{nav}{body}</main></body></html>"
    )


def languages(t: Translator, scope: str = "", period: Period | None = None) -> str:
    """Every language the bot speaks, each named in itself (Español, English, 日本語, Deutsch),
    the one in use marked; a link keeps the page, its scope and its period."""
    links = []
    for language in SUPPORTED_LANGUAGES:
        target = {"lang": language}
        if period is not None and scope:
            target = {"scope": scope, "period": period.label, **target}
        current = ' class="on" aria-current="true"' if language == t.language else ""
        links.append(
            f'<a{current} lang="{language}" hreflang="{language}"'
            f' href="?{escape(urlencode(target))}">{escape(LANGUAGE_NAMES[language])}</a>'
        )
    label = escape(t.label("Language"))
    return f'<nav class="langs" aria-label="{label}">{"".join(links)}</nav>'


def message_page(t: Translator, title: str, text: str, status_hint: str = "") -> str:
    body = f'<p class="note">{escape(text)}</p>'
    if status_hint:
        body += f'<p class="hint">{escape(status_hint)}</p>'
    return layout(t, title, body)


def svg_image(svg: bytes, alt: str) -> str:
    data = base64.b64encode(svg).decode()
    return f'<img class="chart" alt="{escape(alt)}" src="data:image/svg+xml;base64,{data}">'


def overview(
    t: Translator,
    scope: str,
    period: Period,
    lines: list[Line],
    charts: list[tuple[str, bytes]],  # (what the chart shows, its SVG)
    composition: str,
) -> str:
    """KPI cards (this period, the previous one and the change), the charts, the composition."""
    cards = []
    for line in lines:
        trend = ""
        if line.change.startswith("▲"):
            trend = " up"
        elif line.change.startswith("▼"):
            trend = " down"
        before = escape(t.label("before: {value}", value=line.previous))
        cards.append(
            f'<section class="card" data-key="{escape(line.key)}">'
            f"<h2>{escape(line.icon)} {escape(line.label)}</h2>"
            f'<p class="value">{escape(line.value)}'
            f' <span class="change{trend}">{escape(line.change)}</span></p>'
            f'<p class="prev">{before}</p>'
            f'<p class="detail">{escape(line.detail)}</p></section>'
        )
    images = "".join(svg_image(svg, alt) for alt, svg in charts)
    csv = f"{BASE}/indicators.csv{escape(query(scope, period))}"
    compared = escape(
        t.label("Compared with {previous}.", previous=period_name(t, period.previous()))
    )
    sectors = escape(t.label("Members by sector: {shares}", shares=composition))
    return (
        f'<p class="compare">{compared} <a class="csv" href="{csv}">⬇ CSV</a></p>'
        f'<div class="cards">{"".join(cards)}</div>'
        f'<p class="composition">{sectors}</p>'
        f'<div class="charts">{images}</div>'
    )


def cell(
    t: Translator, column: str, value: Any, tz: ZoneInfo, *, plain: bool = False
) -> tuple[str, str]:
    """(what the cell shows, the value it sorts by); `plain`: axis names without emoji (the
    PDF's font has none)."""
    if value is None:
        return "—", ""
    if column in ("starts_at", "opened_at"):  # in the reader's language: 10 oct 2026, 12:00
        return show_in_table(from_db_time(str(value)), tz=tz, language=t.language), str(value)
    if column == "sector":
        return sector_name(t, str(value)), str(value)
    if column == "axis":
        return scope_name(t, str(value), plain=plain), str(value)
    if column in ("kind", "status") and str(value) in VALUE_NAMES:
        return t.label(VALUE_NAMES[str(value)]), str(value)
    if column.endswith("_pct"):
        return percent(t, float(value)), str(value)
    if column == "nps":
        return ("+" if float(value) > 0 else "") + number(t, float(value)), str(value)
    if isinstance(value, int | float) and not column.endswith("_id"):
        return number(t, value), str(value)
    return str(value), str(value)


def table(
    t: Translator, data: Table, tz: ZoneInfo, csv_href: str, links: dict[str, str] | None = None
) -> str:
    """A sortable table (tap a heading), with a link to its CSV; `links` makes a column's cells
    link to `links[column].format(value)` (an event's or a survey's page)."""
    links = links or {}
    head = "".join(
        f'<th scope="col"><button type="button">{escape(t.label(COLUMN_NAMES.get(c, c)))}'
        "</button></th>"
        for c in data.columns
    )
    body = []
    for row in data.rows:
        cells = []
        for column, value in zip(data.columns, row, strict=True):
            shown, key = cell(t, column, value, tz)
            content = escape(shown)
            if column in links and value is not None:
                content = f'<a href="{escape(links[column].format(value))}">{content}</a>'
            numeric = " num" if isinstance(value, int | float) else ""
            if column in ("starts_at", "opened_at"):
                numeric = " date"  # a date and its time on one line
            cells.append(f'<td class="c{numeric}" data-sort="{escape(key)}">{content}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        empty = escape(t.label("Nothing in this period."))
        body.append(f'<tr><td colspan="{len(data.columns)}" class="empty">{empty}</td></tr>')
    return (
        f'<p><a class="csv" href="{escape(csv_href)}">⬇ CSV</a></p>'
        f'<div class="scroll"><table class="sortable"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def facts(t: Translator, pairs: list[tuple[str, str]]) -> str:
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in pairs)
    return f'<dl class="facts">{rows}</dl>'


CSS = """
:root { color-scheme: light; --blue: #1f6feb; --ink: #1f2328; --soft: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #f6f8fa; }
header { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; padding: 10px 16px;
  background: #fff; border-bottom: 1px solid var(--line); }
header .brand { font-weight: 700; flex: 1; white-space: nowrap; }
header a { color: var(--blue); text-decoration: none; }
.langs { display: flex; flex-wrap: wrap; gap: 4px 10px; margin: 0; }
.langs a.on { color: var(--ink); font-weight: 700; }
main { max-width: 1100px; margin: 0 auto; padding: 12px 16px 40px; }
h1 { font-size: 1.35rem; margin: 8px 0 12px; }
nav { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 10px; }
.tab, .chip { display: inline-block; padding: 6px 12px; border-radius: 999px; border: 1px solid
  var(--line); background: #fff; color: var(--ink); text-decoration: none; font-size: .95rem; }
.tab.on, .chip.on { background: var(--blue); border-color: var(--blue); color: #fff; }
.tab { border-radius: 6px; font-weight: 600; }
.compare { color: var(--soft); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 10px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card h2 { font-size: .95rem; margin: 0 0 4px; color: var(--soft); font-weight: 600; }
.card .value { font-size: 1.6rem; font-weight: 700; margin: 0; }
.card .prev, .card .detail { margin: 2px 0 0; color: var(--soft); font-size: .9rem; }
.change { font-size: 1rem; font-weight: 600; color: var(--soft); }
.change.up { color: #1a7f37; } .change.down { color: #cf222e; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 10px;
  margin-top: 12px; }
.chart { width: 100%; height: auto; background: #fff; border: 1px solid var(--line);
  border-radius: 8px; }
.scroll { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { padding: 7px 10px; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.date { white-space: nowrap; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th[aria-sort="ascending"] button::after { content: " ▲"; }
th[aria-sort="descending"] button::after { content: " ▼"; }
.csv { font-weight: 600; color: var(--blue); }
.empty, .note { color: var(--soft); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; background: #fff;
  border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
.facts dt { color: var(--soft); } .facts dd { margin: 0; font-weight: 600; }
@media (max-width: 480px) { body { font-size: 15px; } .cards { grid-template-columns: 1fr 1fr; }
  .card .value { font-size: 1.3rem; } .charts { grid-template-columns: 1fr; } }
"""

JS = """
document.querySelectorAll('table.sortable').forEach(function (table) {
  table.querySelectorAll('th').forEach(function (th, index) {
    th.querySelector('button').addEventListener('click', function () {
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows).filter(function (r) {
        return r.cells.length > index; });
      rows.sort(function (a, b) {
        var x = a.cells[index].dataset.sort, y = b.cells[index].dataset.sort;
        var nx = Number(x), ny = Number(y), order;
        if (x === '' || y === '') { order = (x === '') - (y === ''); }
        else if (!isNaN(nx) && !isNaN(ny)) { order = nx - ny; }
        else { order = x.localeCompare(y); }
        return ascending ? order : -order;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""
