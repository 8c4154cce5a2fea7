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
    if pdf.get_string_width(text) <= width - 2:
        return text
    while text and pdf.get_string_width(text + "…") > width - 2:
        text = text[:-1]
    return text + "…"


def _data_table(pdf: _Report, t: Translator, title: str, data: Table, tz: ZoneInfo) -> None:
    """A table of one line per row (plain cells: fast for long months), heading repeated on
    each new page."""
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    if not data.rows:
        pdf.set_font(FONT, size=8)
        pdf.cell(0, 6, t.label("Nothing in this period."), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        return
    shown = [c for c in data.columns if c not in ("event_id", "survey_id", "working_group")]
    wide = {"organization": 3.0, "title": 3.6, "starts_at": 2.4, "opened_at": 2.4, "axis": 1.8}
    weights = [wide.get(c, 1.2) for c in shown]
    widths = [pdf.epw * w / sum(weights) for w in weights]
    headings = [t.label(pages.COLUMN_NAMES.get(c, c)) for c in shown]

    def heading() -> None:
        pdf.set_font(FONT, "B", 7)
        pdf.set_fill_color(230, 236, 245)
        for text, width in zip(headings, widths, strict=True):
            pdf.cell(width, 5, _fit(pdf, text, width), border=1, fill=True)
        pdf.ln()
        pdf.set_font(FONT, size=7)

    heading()
    for row in data.rows:
        if pdf.get_y() > pdf.page_break_trigger - 5:
            pdf.add_page()
            heading()
        values = dict(zip(data.columns, row, strict=True))
        for column, width in zip(shown, widths, strict=True):
            text = pages.cell(t, column, values[column], tz, plain=True)[0]
            number = isinstance(values[column], int | float)
            pdf.cell(width, 4.5, _fit(pdf, text, width), border=1, align="R" if number else "L")
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

    pdf.add_page()
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
