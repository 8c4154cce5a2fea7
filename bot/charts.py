"""Survey result charts as PNG, drawn for a phone first (matplotlib's Agg backend, no display).

A chart is 3.6 inches wide at 200 dpi: 720 pixels, shown about 360 pixels wide in a phone's
chat, where one inch is 100 pixels and a point of type 100/72 of a pixel. Every text is at
least 9 pt there (12.5 px); the title is 11 pt, the figure that sums the question up (its mean
or NPS) 12 pt, bold, in the bar colour right under the title.

Two layouts, chosen by the labels:
- rows: each answer's label on its own line (wrapped to the width, never cut), its bar under
  it across the whole width, the count and share at the bar's end. For choices, yes/no and
  numbers with long labels.
- columns: one column per value with its count above, for scales and NPS (short labels such
  as 1–5 or 0–10 read left to right), with the values' colours explained in a line below.

Labels are wrapped by measuring them with the renderer, so nothing runs off the picture; the
height follows the content.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from bot import fonts

if TYPE_CHECKING:  # matplotlib itself loads with the first chart, not at start-up
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

BAR = "#1f6feb"
TRACK = "#e8edf3"
INK = "#1b1f24"
MUTED = "#57606a"

WIDTH = 3.6  # inches; 360 px on a phone
DPI = 200  # 720 px in the file: sharp on phones' dense screens
MARGIN = 0.16  # inches left and right (16 px on a phone)
COLUMN_LABELS = 3  # labels of at most this many characters can stand under a column
MAX_COLUMNS = 11  # 0–10 (NPS)

# The type, in points (at 360 px wide a point is 1.39 px), in the bot's fonts (bot/fonts.py:
# DejaVu Sans, IPAexGothic for Japanese).
TITLE, HEADLINE, LABEL, VALUE, SMALL = "title", "headline", "label", "value", "small"
_TYPE = {
    TITLE: (11.0, "bold"),
    HEADLINE: (12.0, "bold"),
    LABEL: (10.0, "normal"),
    VALUE: (9.5, "bold"),
    SMALL: (9.0, "normal"),
}


def _share(count: int, base: int) -> str:
    return f"{100 * count / base:.0f}%" if base else "0%"


def _count(count: int) -> str:
    return str(count)


@dataclass(frozen=True)
class Bars:
    """What one chart shows: a title, its answers and how many gave each."""

    title: str
    labels: Sequence[str]
    counts: Sequence[int]
    headline: str = ""  # the figure that sums it up ("Mean: 4.20", "NPS: +35"), under the title
    people: int | None = None  # the base of the shares when not the sum of the counts
    colors: Sequence[str] | None = None  # one per bar; the bar colour when not given
    legend: str = ""  # what the colours mean, in a line under the chart
    # How the reader's language writes a count and a share (`1,234`, `25 %` in German).
    count_text: Callable[[int], str] = _count
    share_text: Callable[[int, int], str] = _share


@cache
def font(name: str) -> FontProperties:
    """One of the chart's fonts (TITLE, HEADLINE, LABEL, VALUE, SMALL); the first call sets
    matplotlib up (the Agg backend, no display; the bot's fonts)."""
    size, weight = _TYPE[name]
    return fonts.properties(size, weight)


def bar_chart(bars: Bars) -> bytes:
    """The chart as PNG bytes (see the module's docstring for its layout)."""
    from matplotlib import pyplot

    figure = draw(bars)
    try:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"optimize": True})
        return buffer.getvalue()
    finally:
        pyplot.close(figure)


def draw(bars: Bars) -> Figure:
    """The chart as a matplotlib figure (the caller closes it): for `bar_chart`, and for tests
    that measure where its texts lie."""
    font(TITLE)  # chooses the backend and the fonts before pyplot loads
    from matplotlib import pyplot

    figure = pyplot.figure(figsize=(WIDTH, 2.0), dpi=DPI)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    columns = len(bars.labels) <= MAX_COLUMNS and all(
        len(label) <= COLUMN_LABELS for label in bars.labels
    )
    if columns:
        _columns(figure, renderer, bars)
    else:
        _rows(figure, renderer, bars)
    return figure


# --- measuring and wrapping --------------------------------------------------------------------


def _width(renderer: RendererAgg, text: str, name: str) -> float:
    """The width of one line of text in one of the chart's fonts, in inches."""
    measure = renderer.get_text_width_height_descent  # untyped in matplotlib's stubs
    width, _height, _descent = measure(text, font(name), ismath=False)  # type: ignore[no-untyped-call]
    return float(width) / DPI


def _line_height(name: str) -> float:
    """The distance between two lines of one of the chart's fonts, in inches."""
    return _TYPE[name][0] * 1.3 / 72


# Japanese never starts a line with these (kinsoku): closing marks, small kana, the long vowel.
_NO_LINE_START = frozenset("、。，．・：；？！）」』】〕〉》ー…‥々,.:;!?)%") | frozenset(
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヵヶ"
)


def wrap(renderer: RendererAgg, text: str, name: str, width: float) -> list[str]:
    """Lines of at most `width` inches, broken between words; inside a word only when the word
    alone is wider than the line (or is Japanese, written without spaces), and then it goes on
    from where the line stands."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if _width(renderer, candidate, name) <= width:
                current = candidate
                continue
            if _width(renderer, word, name) <= width:
                lines.append(current)
                current = word
                continue
            current = f"{current} " if current else ""
            for char in word:  # a word wider than the line is split where it must be
                if current and _width(renderer, current + char, name) > width:
                    carried = ""
                    if char in _NO_LINE_START and len(current.rstrip()) > 1:
                        carried, current = current[-1], current[:-1]  # 「ください。」 not 「。」
                    lines.append(current.rstrip())
                    current = carried
                current += char
        lines.append(current)
    return lines


# --- the two layouts ---------------------------------------------------------------------------


def _header(renderer: RendererAgg, bars: Bars, inner: float) -> list[tuple[str, str, str]]:
    """The title's lines and the headline's, with their fonts and colours."""
    lines = [(line, TITLE, INK) for line in wrap(renderer, bars.title, TITLE, inner)]
    if bars.headline:
        lines += [(line, HEADLINE, BAR) for line in wrap(renderer, bars.headline, HEADLINE, inner)]
    return lines


def _put_lines(
    figure: Figure, lines: list[tuple[str, str, str]], top: float, x: float = MARGIN
) -> float:
    """Write lines downwards from `top` (inches from the bottom); return where they end."""
    for text, name, color in lines:
        figure.text(
            x,
            top,
            text,
            fontproperties=font(name),
            color=color,
            va="top",
            ha="left",
            transform=figure.dpi_scale_trans,
        )
        top -= _line_height(name)
    return top


def _rows(figure: Figure, renderer: RendererAgg, bars: Bars) -> None:
    from matplotlib.patches import Rectangle

    inner = WIDTH - 2 * MARGIN
    base = bars.people or sum(bars.counts)
    values = [f"{bars.count_text(count)} ({bars.share_text(count, base)})" for count in bars.counts]
    value_room = max(_width(renderer, v, VALUE) for v in values) + 0.08
    bar_room = inner - value_room
    bar_height, gap = 0.17, 0.12
    header = _header(renderer, bars, inner)
    labels = [wrap(renderer, label, LABEL, inner) for label in bars.labels]
    legend = wrap(renderer, bars.legend, SMALL, inner) if bars.legend else []
    height = (
        MARGIN
        + sum(_line_height(name) for _t, name, _c in header)
        + 0.1
        + sum(len(lines) * _line_height(LABEL) + 0.03 + bar_height + gap for lines in labels)
        + len(legend) * _line_height(SMALL)
        + MARGIN
    )
    figure.set_size_inches(WIDTH, height)
    top = _put_lines(figure, header, height - MARGIN) - 0.1
    most = max([*bars.counts, 1])
    colors = bars.colors or [BAR] * len(bars.counts)
    for lines, count, value, color in zip(labels, bars.counts, values, colors, strict=True):
        top = _put_lines(figure, [(line, LABEL, INK) for line in lines], top) - 0.03
        bottom = top - bar_height
        figure.add_artist(
            Rectangle(
                (MARGIN, bottom),
                bar_room,
                bar_height,
                color=TRACK,
                transform=figure.dpi_scale_trans,
            )
        )
        length = bar_room * count / most
        if count:
            figure.add_artist(
                Rectangle(
                    (MARGIN, bottom),
                    length,
                    bar_height,
                    color=color,
                    transform=figure.dpi_scale_trans,
                )
            )
        figure.text(
            MARGIN + bar_room + 0.08,
            bottom + bar_height / 2,
            value,
            fontproperties=font(VALUE),
            color=INK,
            va="center_baseline",
            ha="left",
            transform=figure.dpi_scale_trans,
        )
        top = bottom - gap
    _put_lines(figure, [(line, SMALL, MUTED) for line in legend], top)


def _columns(figure: Figure, renderer: RendererAgg, bars: Bars) -> None:
    inner = WIDTH - 2 * MARGIN
    base = bars.people or sum(bars.counts)
    header = _header(renderer, bars, inner)
    legend = wrap(renderer, bars.legend, SMALL, inner) if bars.legend else []
    plot_height = 1.45  # the columns' room, with their counts above
    below = _line_height(LABEL) + 0.06  # the values under the columns
    header_height = sum(_line_height(name) for _t, name, _c in header)
    height = (
        MARGIN
        + header_height
        + 0.12
        + plot_height
        + below
        + len(legend) * _line_height(SMALL)
        + MARGIN
    )
    figure.set_size_inches(WIDTH, height)
    top = _put_lines(figure, header, height - MARGIN) - 0.12
    plot_bottom = top - plot_height
    axes = figure.add_axes(
        (MARGIN / WIDTH, plot_bottom / height, inner / WIDTH, plot_height / height)
    )
    count = len(bars.labels)
    positions = list(range(count))
    colors = bars.colors or [BAR] * count
    most = max([*bars.counts, 1])
    axes.bar(positions, bars.counts, width=0.78, color=colors)
    column_width = inner / count * 0.78
    shares = [bars.share_text(number, base) for number in bars.counts]
    # Each column's count above it, with its share when every share fits a column's width.
    with_shares = all(_width(renderer, share, VALUE) <= column_width for share in shares)
    for position, number, share in zip(positions, bars.counts, shares, strict=True):
        axes.text(
            position,
            number + most * 0.02,
            f"{bars.count_text(number)}\n{share}" if with_shares else bars.count_text(number),
            ha="center",
            va="bottom",
            fontproperties=font(VALUE),
            color=INK,
            linespacing=1.1,
        )
    lines_above = (2 if with_shares else 1) * _line_height(VALUE) / plot_height
    axes.set_ylim(0, most / max(1 - lines_above - 0.06, 0.3))
    axes.axhline(0, color=MUTED, linewidth=1)
    axes.set_xlim(-0.5, count - 0.5)
    axes.set_xticks(positions)
    axes.set_xticklabels(list(bars.labels), fontproperties=font(LABEL), color=INK)
    axes.tick_params(axis="x", length=0, pad=3)
    axes.yaxis.set_visible(False)
    for side in ("top", "right", "left", "bottom"):
        axes.spines[side].set_visible(False)
    _put_lines(figure, [(line, SMALL, MUTED) for line in legend], plot_bottom - below)
