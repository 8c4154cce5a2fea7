"""The impact report as a PDF (fpdf2; charts drawn by matplotlib as PNG), in the reader's
language: for each scope they may see, the indicators beside the previous period; for the first
of them, the monthly trends and the tables of organizations, events and surveys. The same file
goes out monthly (monthly.py) and comes from `clia-bot report`."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import TextEmphasis
from fpdf.fonts import FontFace

from bot import fonts
from bot.documents import DocumentRequest
from bot.i18n import Translator
from bot.services import Services
from handlers.impact import pages
from handlers.impact.charts import CHARTS, chart
from handlers.impact.text import composition_text, lines, period_name, scope_name, two_lines
from storage.repositories.impact.figures import Impact, ImpactRepository, Table
from storage.repositories.impact.periods import Period

FONT = fonts.PDF_FAMILY  # DejaVu (accents, ▲ ▼, —), IPAexGothic for Japanese
HEADING = FontFace(emphasis="BOLD", fill_color=(230, 236, 245))


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows: the first scope in full, the others' indicators."""

    main: Impact
    others: tuple[Impact, ...]
    organizations: Table
    events: Table
    surveys: Table


async def gather(repo: ImpactRepository, period: Period, scopes: tuple[str, ...]) -> ReportData:
    main = await repo.impact(period, scopes[0])
    others = tuple([await repo.impact(period, s, trend_months=1) for s in scopes[1:]])
    return ReportData(
        main,
        others,
        await repo.organizations(period, scopes[0]),
        await repo.events(period, scopes[0]),
        await repo.surveys(period, scopes[0]),
    )


class _Report(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        fonts.use_in_pdf(self)
        self.set_font(FONT, size=10)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_creation_date(datetime(2026, 1, 1))  # no build time: same data, same file

    def set_font(
        self, family: str | None = None, style: str | TextEmphasis = "", size: float = 0
    ) -> None:
        super().set_font(family, style, size)
        fonts.font_on_page(self)  # Japanese lines start with a fallback glyph (bot/fonts.py)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 6, f"{self.footer_text} · {self.page_no()}", align="C")
        self.set_text_color(0, 0, 0)


def _indicator_table(pdf: _Report, t: Translator, impact: Impact) -> None:
    pdf.set_font(FONT, size=9)
    headings = (
        t.label("Indicator"),
        period_name(t, impact.current.period),
        period_name(t, impact.previous.period),
        t.label("Change"),
    )
    with pdf.table(
        col_widths=(70, 35, 35, 40),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
        headings_style=HEADING,
        line_height=5,
    ) as table:
        table.row(headings)
        for line in lines(t, impact):
            table.row((f"{line.label}\n{line.detail}", line.value, line.previous, line.change))
    pdf.ln(2)
    pdf.multi_cell(0, 5, t.label("Members by sector: {shares}", shares=composition_text(t, impact)))


def _fit(pdf: _Report, text: str, width: float) -> str:
    """The text cut with "…" to fit a cell of this width (tables are one line per row)."""
    room = width - 2 * pdf.c_margin + 0.01  # the cell's padding; 0.01 mm for rounding
    if pdf.get_string_width(text) <= room:
        return text
    while text and pdf.get_string_width(text + "…") > room:
        text = text[:-1]
    return text + "…"


FLEXIBLE = ("organization", "title")  # these take the width the others leave
FLEXIBLE_LEAST = 30.0  # mm a flexible column keeps before the others give up their room
SIZES = (7.0, 6.5, 6.0, 5.5, 5.0)  # pt: the tables' type, smaller only when headings need it
HEADING_LINE = 3.2  # mm: a heading line at 7 pt


def _heading_splits(text: str) -> list[list[str]]:
    """A heading on one line, or on two broken at a space or before a bracket: "No asistirá",
    "Anwesenheitsquote (%)", "参加率（%）" (a long word alone is never broken)."""
    splits = [[text]]
    for n, char in enumerate(text):
        if n and (char == " " or char in "(（"):
            first, second = text[:n].rstrip(), text[n:].lstrip()
            if first and second:
                splits.append([first, second])
    return splits


def _lines_width(pdf: _Report, lines: list[str]) -> float:
    return max(pdf.get_string_width(line) for line in lines) + 2 * pdf.c_margin


def _column_widths(
    pdf: _Report,
    shown: list[str],
    headings: list[str],
    cells: list[list[str]],
    whole: list[bool],
    size: float,
) -> tuple[list[float], bool]:
    """Widths that fit every heading whole (on one line where the page allows, else on two),
    every value of the `whole` columns (dates, numbers) and, where the page allows, the other
    values; the flexible columns take what is left. False when that does not fit the page at
    this size."""
    pdf.set_font(FONT, "B", size)
    least = [min(_lines_width(pdf, lines) for lines in _heading_splits(h)) for h in headings]
    one_line = [_lines_width(pdf, [h]) for h in headings]
    pdf.set_font(FONT, size=size)
    wanted = [
        max(one_line[n], *(pdf.get_string_width(row[n]) + 2 * pdf.c_margin for row in cells))
        for n in range(len(shown))
    ]
    flexible = [c in FLEXIBLE for c in shown]
    least = [
        want if keep else max(low, min(FLEXIBLE_LEAST, want)) if flex else low
        for low, want, flex, keep in zip(least, wanted, flexible, whole, strict=True)
    ]
    if sum(least) > pdf.epw:
        return [pdf.epw * low / sum(least) for low in least], False
    if sum(wanted) <= pdf.epw:  # everything fits: the flexible columns (or all) get the rest
        takers = [n for n, flex in enumerate(flexible) if flex] or list(range(len(shown)))
        share = sum(wanted[n] for n in takers)
        spare = pdf.epw - sum(wanted)
        return [w + (spare * w / share if n in takers else 0) for n, w in enumerate(wanted)], True
    # Not every value fits: each column gives up the same share of what it wanted beyond its
    # heading (long values are cut with "…"); headings stay whole.
    ratio = (pdf.epw - sum(least)) / (sum(wanted) - sum(least))
    return [low + (want - low) * ratio for low, want in zip(least, wanted, strict=True)], True


def _data_table(pdf: _Report, t: Translator, title: str, data: Table, tz: ZoneInfo) -> None:
    """A table of one line per row (plain cells: fast for long months), heading repeated on
    each new page. Columns are as wide as their headings (wrapped onto two lines where that
    is narrower, never cut) and, where the page allows, their values."""
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    if not data.rows:
        pdf.set_font(FONT, size=8)
        pdf.cell(0, 6, t.label("Nothing in this period."), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        return
    shown = [c for c in data.columns if c not in ("event_id", "survey_id", "working_group")]
    headings = [t.label(pages.COLUMN_NAMES.get(c, c)) for c in shown]
    rows = [dict(zip(data.columns, row, strict=True)) for row in data.rows]
    cells = [[pages.cell(t, c, row[c], tz, plain=True)[0] for c in shown] for row in rows]
    figures = [  # columns of numbers, where "—" stands for one that is unknown
        {type(row[c]) for row in rows} - {type(None)} <= {int, float}
        and any(row[c] is not None for row in rows)
        for c in shown
    ]
    whole = [  # dates and figures are never cut
        c in ("starts_at", "opened_at") or figure for c, figure in zip(shown, figures, strict=True)
    ]
    for size in SIZES:
        widths, fits = _column_widths(pdf, shown, headings, cells, whole, size)
        if fits:
            break
    pdf.set_font(FONT, "B", size)
    heading_lines = []
    for text, width in zip(headings, widths, strict=True):
        fitting = [s for s in _heading_splits(text) if _lines_width(pdf, s) <= width + 0.01]
        lines = min(fitting, key=len) if fitting else [_fit(pdf, text, width)]
        heading_lines.append(lines)
    line = HEADING_LINE * size / 7
    height = line * max(len(lines) for lines in heading_lines) + 1.2
    row_height = 4.5 * size / 7

    def heading() -> None:
        if pdf.get_y() + height + row_height > pdf.page_break_trigger:
            pdf.add_page(same=True)
        pdf.set_font(FONT, "B", size)
        pdf.set_fill_color(230, 236, 245)
        x, y = pdf.l_margin, pdf.get_y()
        for lines, width in zip(heading_lines, widths, strict=True):
            pdf.rect(x, y, width, height, style="DF")
            for n, text in enumerate(lines):
                pdf.set_xy(x, y + 0.6 + n * line)
                pdf.cell(width, line, text)
            x += width
        pdf.set_xy(pdf.l_margin, y + height)
        pdf.set_font(FONT, size=size)

    heading()
    for texts in cells:
        if pdf.get_y() > pdf.page_break_trigger - row_height:
            pdf.add_page(same=True)
            heading()
        for text, width, figure in zip(texts, widths, figures, strict=True):
            align = "R" if figure else "L"
            pdf.cell(width, row_height, _fit(pdf, text, width), border=1, align=align)
        pdf.ln()
    pdf.ln(4)


def render(t: Translator, data: ReportData, tz: ZoneInfo) -> bytes:
    """The PDF's bytes (CPU only: run it in a worker thread)."""
    main = data.main
    period = main.current.period
    pdf = _Report(t.label("CLIA · impact report · {period}", period=period_name(t, period)))
    pdf.add_page()
    pdf.set_font(FONT, "B", 18)
    pdf.cell(0, 10, t.label("CLIA impact report"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=12)
    pdf.cell(
        0,
        7,
        f"{scope_name(t, main.current.scope, plain=True)} · {period_name(t, period)}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(FONT, size=9)
    pdf.multi_cell(
        0,
        5,
        t.label(
            "Compared with {previous}. The definitions of every figure are in the README"
            " (Impact indicators); the same numbers are in the database's v_impact_* views.",
            previous=period_name(t, main.previous.period),
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    _indicator_table(pdf, t, main)

    pdf.add_page()
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 8, t.label("The last 12 months"), new_x="LMARGIN", new_y="NEXT")
    width, height = 92, 92 * 3.4 / 6.4
    for n, kind in enumerate(CHARTS):
        x = pdf.l_margin + (n % 2) * (width + 6)
        if n % 2 == 0 and n:
            pdf.set_y(pdf.get_y() + height + 4)
        pdf.image(io.BytesIO(chart(kind, t, main, "png")), x=x, y=pdf.get_y(), w=width, h=height)
    pdf.set_y(pdf.get_y() + height + 6)

    for other in data.others:
        pdf.add_page()
        pdf.set_font(FONT, "B", 14)
        pdf.cell(
            0, 9, scope_name(t, other.current.scope, plain=True), new_x="LMARGIN", new_y="NEXT"
        )
        _indicator_table(pdf, t, other)

    pdf.add_page(orientation="L")  # the tables have up to 11 columns: the page's long side
    _data_table(pdf, t, t.label("Participation by organization"), data.organizations, tz)
    _data_table(pdf, t, t.label("Events and meetings"), data.events, tz)
    _data_table(pdf, t, t.label("Surveys"), data.surveys, tz)
    return bytes(pdf.output())


async def build(
    services: Services, t: Translator, period: Period, scopes: tuple[str, ...]
) -> tuple[bytes, str]:
    """The report's file and its two-line caption."""
    tz = services.settings.tz
    data = await gather(ImpactRepository(services.db, tz), period, scopes)
    pdf = await asyncio.to_thread(render, t, data, tz)
    return pdf, two_lines(t, data.main)


async def build_for_cli(services: Services, request: DocumentRequest) -> bytes:
    """`clia-bot report`: the same file for a period and scope (the cluster by default)."""
    period = Period.parse(request.period)
    if period is None:
        raise ValueError("the period must look like 2026-10, 2026-Q4 or 2026")
    scopes = (
        (request.scope,)
        if request.scope != "cluster"
        else tuple(["cluster", "innovation", "talent", "leadership", "globalization"])
    )
    pdf, _caption = await build(services, services.i18n.get(request.language), period, scopes)
    return pdf


def file_name(period: Period) -> str:
    return f"clia-impact-{period.label}.pdf"
