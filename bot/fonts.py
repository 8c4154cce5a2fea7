"""The fonts the bot draws with, named here and nowhere else: every chart (survey results, the
/impact panel, the dashboard's SVG, the report's pictures: matplotlib) and the monthly PDF
(fpdf2).

DejaVu Sans, bundled with matplotlib, draws Latin text with its accents, ▲ ▼ and —. It has no
Japanese, so IPAexGothic (the IPA's Gothic font, shipped inside the `matplotlib-fontja` package
under the IPA Font License; no system font needed) draws whatever DejaVu lacks: each character
comes from the first font of the list that has it (matplotlib's family list, fpdf2's fallback
fonts). Spanish, English and German look as before; Japanese is drawn, not shown as boxes.

Nothing happens at start-up: matplotlib and fpdf2 are imported, and the Japanese font is read,
with the first chart or PDF.
"""

from __future__ import annotations

import threading
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF
    from matplotlib.font_manager import FontProperties

SANS = "DejaVu Sans"  # matplotlib's family name
CJK = "IPAexGothic"
FAMILIES = (SANS, CJK)  # the order is the fallback: DejaVu first, IPAexGothic where it has none
PDF_FAMILY = "DejaVu"  # the family name the PDF's text is set in (`pdf.set_font(PDF_FAMILY)`)

_lock = threading.Lock()
_matplotlib_ready = False


def sans_file(*, bold: bool = False) -> Path:
    """DejaVu Sans (or its bold) as matplotlib ships it."""
    import matplotlib

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


def cjk_file() -> Path:
    """IPAexGothic's TTF inside the matplotlib-fontja package. The package is found, not
    imported: importing it makes IPAexGothic matplotlib's font for every text, Latin too."""
    spec = find_spec("matplotlib_fontja")
    folders = list(spec.submodule_search_locations or []) if spec else []
    if not folders:
        raise RuntimeError("matplotlib-fontja is not installed (pip install -e .)")
    return Path(folders[0]) / "fonts" / "ipaexg.ttf"


def use_in_matplotlib() -> None:
    """Once per process, before the first chart: the Agg backend (no display), IPAexGothic
    known to matplotlib, and the family list as every text's default (titles, tick labels)."""
    global _matplotlib_ready
    if _matplotlib_ready:
        return
    with _lock:  # charts are drawn in worker threads
        if _matplotlib_ready:
            return
        import dataclasses

        import matplotlib

        matplotlib.use("Agg")  # before pyplot is first imported
        from matplotlib import font_manager, ft2font

        path = str(cjk_file())
        # IPAexGothic has no bold: its regular face stands in for bold (titles, values), so
        # matplotlib does not log a warning for every bold text it looks a font up for.
        regular = font_manager.ttfFontProperty(ft2font.FT2Font(path))
        font_manager.fontManager.ttflist.append(dataclasses.replace(regular, weight="bold"))
        font_manager.fontManager.addfont(path)  # the regular face; clears the look-up cache
        matplotlib.rcParams["font.family"] = list(FAMILIES)
        _matplotlib_ready = True


def properties(size: float, weight: str = "normal") -> FontProperties:
    """A chart's font of this size and weight, with the fallback."""
    use_in_matplotlib()
    from matplotlib.font_manager import FontProperties

    return FontProperties(family=list(FAMILIES), size=size, weight=weight)


def use_in_pdf(pdf: FPDF) -> None:
    """Add the fonts to a PDF: text is set in PDF_FAMILY (regular and bold), and characters
    DejaVu lacks come from IPAexGothic (which has no bold: bold Japanese is drawn regular)."""
    pdf.add_font(PDF_FAMILY, "", str(sans_file()))
    pdf.add_font(PDF_FAMILY, "B", str(sans_file(bold=True)))
    pdf.add_font(CJK, "", str(cjk_file()))
    pdf.set_fallback_fonts([CJK], exact_match=False)


def font_on_page(pdf: FPDF) -> None:
    """Call after every `set_font` of a PDF that uses `use_in_pdf` (the report's class does):
    puts the current font on the page at once. fpdf2 (2.8.9) otherwise puts it there with the
    first line of text, and when that line starts with a fallback glyph (a Japanese heading),
    inside the line's own q…Q: the next lines are then drawn with no font, or with the
    fallback's glyph numbers ("NPS" became "MIm"). An empty text is fpdf2's public way to set
    the font on the page."""
    if pdf.page and not pdf.current_font_is_set_on_page:
        pdf.text(pdf.x, pdf.y, "")
