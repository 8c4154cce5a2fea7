"""Survey result charts as PNG, drawn with matplotlib's Agg backend (no display needed):
one horizontal bar chart per question, large type for a phone screen."""

from __future__ import annotations

import io
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot  # the backend is chosen first, above

BAR = "#1f6feb"


def _value_label(count: int, whole: int) -> str:
    return f"{count} ({100 * count / whole:.0f}%)"


def bar_chart(
    title: str,
    labels: list[str],
    counts: list[int],
    note: str = "",
    people: int | None = None,
    value_label: Callable[[int, int], str] = _value_label,
) -> bytes:
    """Bars with the count and percentage at their end; the title wrapped to the width.

    Percentages are of `people` who answered when given (multiple choice: the shares add up
    to more than 100 %, as in the text results), else of all the counts. `value_label` writes a
    bar's count and share in the reader's language (`3 (25 %)` in German)."""
    import textwrap

    total = people or sum(counts) or 1
    height = 1.6 + 0.55 * max(len(labels), 2)
    figure, axes = pyplot.subplots(figsize=(7.2, height), dpi=110)
    try:
        positions = list(range(len(labels)))[::-1]
        axes.barh(positions, counts, color=BAR, height=0.6)
        axes.set_yticks(positions)
        axes.set_yticklabels(
            [textwrap.shorten(label, 28, placeholder="…") for label in labels], fontsize=12
        )
        axes.set_title("\n".join(textwrap.wrap(title, 48)), fontsize=13, loc="left")
        for position, count in zip(positions, counts, strict=True):
            axes.text(count, position, "  " + value_label(count, total), va="center", fontsize=11)
        axes.set_xlim(0, max([*counts, 1]) * 1.35)
        axes.xaxis.set_visible(False)
        for side in ("top", "right", "bottom"):
            axes.spines[side].set_visible(False)
        if note:
            figure.text(0.01, 0.01, note, fontsize=10, color="#555555")
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        pyplot.close(figure)
