"""The monthly PDF and the impact charts in every language the bot speaks: months named as each
language names them, Japanese drawn (not empty boxes), and the PDF's text really in the file."""

from __future__ import annotations

import logging
import re
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Translator
from handlers.impact import pages, report
from handlers.impact.charts import CHARTS, chart, panel_png
from handlers.impact.text import period_name
from storage.database import Database
from storage.repositories.impact.figures import ImpactRepository
from storage.repositories.impact.periods import Period
from tests.impact import dataset, pdf_text

TZ = ZoneInfo("America/Mexico_City")
OCTOBER = Period("month", 2026, 10)
SCOPES = ("cluster", "innovation", "talent", "leadership", "globalization")


@pytest.fixture
async def data(tmp_path: Path) -> report.ReportData:
    async with Database(tmp_path / "impact.db") as db:
        await db.migrate()
        await dataset.build(db)
        return await report.gather(ImpactRepository(db, TZ), OCTOBER, SCOPES)


@pytest.mark.parametrize(
    ("language", "october", "september"),
    [
        ("es", "Octubre de 2026", "Septiembre de 2026"),  # CLDR's Spanish, capitalised
        ("en", "October 2026", "September 2026"),
        ("ja", "2026年10月", "2026年9月"),
        ("de", "Oktober 2026", "September 2026"),
    ],
)
def test_a_month_is_named_as_each_language_names_it(
    language: str, october: str, september: str
) -> None:
    t = Translator(language)
    assert period_name(t, OCTOBER) == october
    assert period_name(t, OCTOBER.previous()) == september


@contextmanager
def no_missing_glyphs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fails when matplotlib (a warning) or fpdf2 (a log line) could not draw a character."""
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        yield
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    missing += [r.getMessage() for r in caplog.records if "missing the following glyphs" in r.msg]
    assert not missing, missing[:3]


def font_characters(pdf: bytes) -> dict[str, set[str]]:
    """The characters each embedded font draws, from its ToUnicode map: {font name: chars}."""
    objects = {int(m[1]): m[2] for m in re.finditer(rb"(\d+) 0 obj\n(.*?)\nendobj", pdf, re.S)}
    fonts: dict[str, set[str]] = {}
    for body in objects.values():
        found = re.search(rb"/BaseFont /\w+\+([\w-]+)\n.*?/ToUnicode (\d+) 0 R", body, re.S)
        if found is None:
            continue
        head, _, stream = objects[int(found[2])].partition(b"stream\n")
        cmap = stream.rsplit(b"\nendstream", 1)[0]
        if b"/FlateDecode" in head:
            cmap = zlib.decompress(cmap)
        chars = {chr(int(code, 16)) for code in re.findall(rb"<[0-9A-F]{4}> <([0-9A-F]{4})>", cmap)}
        fonts.setdefault(found[1].decode(), set()).update(chars)
    return fonts


def test_the_impact_charts_draw_japanese(
    data: report.ReportData, caplog: pytest.LogCaptureFixture
) -> None:
    t = Translator("ja")
    with no_missing_glyphs(caplog):
        png = panel_png(t, data.main)
        svgs = [chart(kind, t, data.main, "svg") for kind in CHARTS]
    assert png.startswith(b"\x89PNG") and all(b"<svg" in svg for svg in svgs)


def test_the_japanese_report_has_its_text_in_the_file(
    data: report.ReportData, caplog: pytest.LogCaptureFixture
) -> None:
    t = Translator("ja")
    with no_missing_glyphs(caplog):
        pdf = report.render(t, data, TZ)
    fonts = font_characters(pdf)
    japanese = set(t.label("CLIA impact report") + t.label("Participation by organization"))
    japanese -= set("CLIA ")
    assert japanese and japanese <= fonts["IPAexGothic"], japanese - fonts["IPAexGothic"]
    dejavu = set().union(*(chars for name, chars in fonts.items() if name.startswith("DejaVu")))
    assert set("CLIA0123456789%") <= dejavu and not japanese & dejavu  # Latin stays in DejaVu
    texts = [text for page in pdf_text.pages(pdf) for text in page]  # as a viewer draws it
    assert texts[:2] == ["CLIAインパクトレポート", "クラスター全体 · 2026年10月"]
    for msgid in ("Participation by organization", "Events and meetings", "NPS answers", "NPS"):
        assert t.label(msgid) in texts, msgid
    assert "CLIA · インパクトレポート · 2026年10月 · 1" in texts  # the footer


def test_a_line_starting_in_the_fallback_font_keeps_the_next_lines_font() -> None:
    """fpdf2 2.8.9 set the page's font inside such a line's q…Q: the next line was drawn with
    no font, or with IPAexGothic's glyph numbers ("NPS" read "MIm")."""
    pdf = report._Report("")
    pdf.add_page()
    pdf.set_font(report.FONT, "B", 10)
    for text in ("回答数", "NPS", "参加率（%）", "Zusagen"):
        pdf.cell(40, 6, text, new_x="LMARGIN", new_y="NEXT")
    assert pdf_text.pages(bytes(pdf.output()))[0][:4] == ["回答数", "NPS", "参加率（%）", "Zusagen"]


@pytest.mark.parametrize("language", ["es", "en", "ja", "de"])
def test_no_table_heading_is_cut(data: report.ReportData, language: str) -> None:
    """Columns are as wide as their headings (on two lines where that is narrower), and dates
    and figures are never cut either; in German the headings are the longest."""
    t = Translator(language)
    texts = {text for page in pdf_text.pages(report.render(t, data, TZ)) for text in page}
    for table in (data.organizations, data.events, data.surveys):
        shown = [c for c in table.columns if c not in ("event_id", "survey_id", "working_group")]
        for column in shown:
            heading = t.label(pages.COLUMN_NAMES[column])
            lines = [split for split in report._heading_splits(heading) if set(split) <= texts]
            assert lines, f"{heading!r} is not whole in {sorted(texts)}"
            for row in table.rows:
                value = dict(zip(table.columns, row, strict=True))[column]
                if column in ("starts_at", "opened_at") or isinstance(value, int | float):
                    assert pages.cell(t, column, value, TZ, plain=True)[0] in texts


@pytest.mark.parametrize("language", ["es", "en", "de"])
def test_the_report_in_the_other_languages_misses_no_glyph(
    data: report.ReportData, caplog: pytest.LogCaptureFixture, language: str
) -> None:
    with no_missing_glyphs(caplog):
        pdf = report.render(Translator(language), data, TZ)
    assert pdf.startswith(b"%PDF")
