"""The impact charts, drawn with matplotlib (Agg, no display): the /impact panel as one PNG made
for a phone (one column, large type, readable at 360 px wide), and the same charts one by one as
SVG for the dashboard (text drawn as paths: no fonts or network needed) or PNG for the PDF, in
the bot's fonts (bot/fonts.py: Japanese too).

Charts: monthly trends over the last 12 months of unique participants, activities held,
attendance conversion and survey response rate, and the members' composition by sector.
"""

from __future__ import annotations

import io

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bot import fonts
from bot.i18n import Translator
from bot.labels import sector_name
from handlers.impact.text import CHART_TITLES, month_short, number, period_name, scope_name
from storage.repositories.impact.figures import Impact

BLUE, GREEN, ORANGE, PURPLE, GREY = "#1f6feb", "#1a7f37", "#bc4c00", "#8250df", "#57606a"
CHARTS = tuple(CHART_TITLES)  # participants, activities, conversion, response, composition


def _bars(axes: Axes, labels: list[str], values: list[float | None], color: str, pct: bool) -> None:
    positions = list(range(len(labels)))
    heights = [v or 0 for v in values]
    axes.bar(positions, heights, color=color, width=0.7)
    axes.set_xticks(positions)
    axes.set_xticklabels(labels, fontsize=11)
    top = max([*heights, 1.0])
    axes.set_ylim(0, 100 if pct and top <= 100 else top * 1.25)
    last = values[-1]
    if last is not None:  # the latest month's value, written on its bar
        text = f"{number_text(last)}%" if pct else number_text(last)
        axes.text(positions[-1], heights[-1], text, ha="center", va="bottom", fontsize=12)
    axes.tick_params(axis="y", labelsize=11)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def number_text(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() or value >= 10 else f"{value:.1f}"


def _draw(kind: str, axes: Axes, t: Translator, impact: Impact) -> None:
    months = impact.months
    labels = [month_short(t, m.period) for m in months]
    axes.set_title(t.label(CHART_TITLES[kind]), fontsize=14, loc="left")
    if kind == "participants":
        _bars(axes, labels, [m.participants for m in months], BLUE, pct=False)
    elif kind == "activities":
        _bars(axes, labels, [m.events + m.meetings for m in months], GREEN, pct=False)
    elif kind == "conversion":
        _bars(axes, labels, [m.conversion_pct for m in months], ORANGE, pct=True)
    elif kind == "response":
        _bars(axes, labels, [m.response_pct for m in months], PURPLE, pct=True)
    else:
        _composition(axes, t, impact)


def _composition(axes: Axes, t: Translator, impact: Impact) -> None:
    """Horizontal bars, the sector's name written above each (no tick labels: the panel's
    charts keep one left edge, and long names never squeeze them)."""
    rows = list(impact.composition)[::-1]
    values = [r.members for r in rows]
    whole = sum(values) or 1
    positions = [1.6 * n for n in range(len(rows))]
    axes.barh(positions, values, color=GREY, height=0.6)
    top = max([*values, 1])
    for position, row in zip(positions, rows, strict=True):
        share = f"{number(t, row.members)} ({100 * row.members / whole:.0f}%)"
        axes.text(0, position + 0.45, sector_name(t, row.sector), va="bottom", fontsize=12)
        axes.text(row.members + top * 0.02, position, share, va="center", fontsize=12)
    axes.set_xlim(0, top * 1.35)
    axes.set_ylim(-0.6, (positions[-1] if positions else 0) + 1.4)
    axes.xaxis.set_visible(False)
    axes.yaxis.set_visible(False)
    if not rows:
        axes.text(0.5, 0.5, t.label("no active members"), ha="center", transform=axes.transAxes)
    for side in ("top", "right", "bottom", "left"):
        axes.spines[side].set_visible(False)


def _save(figure: Figure, fmt: str, dpi: int = 100, top: float = 1.0) -> bytes:
    """Figures are made without pyplot (no global state): charts can be drawn in a worker
    thread while the bot goes on answering."""
    figure.tight_layout(rect=(0, 0, 1, top))
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=dpi, metadata=_metadata(fmt))
    return buffer.getvalue()


def _metadata(fmt: str) -> dict[str, str | None]:
    """No creation date in SVG or PDF output: the same figures give the same file."""
    return {"Date": None} if fmt in ("svg", "pdf") else {}


def panel_png(t: Translator, impact: Impact) -> bytes:
    """The /impact panel: a heading and the five charts one under another, for a phone."""
    fonts.use_in_matplotlib()
    figure = Figure(figsize=(6.0, 16.0))
    axes_list = figure.subplots(len(CHARTS), 1, gridspec_kw={"height_ratios": [1, 1, 1, 1, 1.4]})
    figure.suptitle(
        f"{scope_name(t, impact.current.scope, plain=True)} · "
        f"{period_name(t, impact.current.period)}",
        fontsize=15,
        fontweight="bold",
        x=0.02,
        ha="left",
    )
    for kind, axes in zip(CHARTS, axes_list, strict=True):
        _draw(kind, axes, t, impact)
    return _save(figure, "png", dpi=110, top=0.985)


def chart(kind: str, t: Translator, impact: Impact, fmt: str = "svg") -> bytes:
    """One chart (see CHARTS) as SVG for the dashboard, or PNG for the report."""
    fonts.use_in_matplotlib()
    figure = Figure(figsize=(6.4, 3.4))
    axes = figure.subplots()
    _draw(kind, axes, t, impact)
    return _save(figure, fmt, dpi=120 if fmt == "png" else 100)
