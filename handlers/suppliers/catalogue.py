"""The catalogues as people read them: processes and certifications, translated by code.

The rows live in the database (storage/migrations/0011_suppliers.sql); a process or a
certification added by a later migration gets its name here, then `make catalogs`. A code
without a name here is shown with the English name stored with it.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.i18n import N_, Translator

PROCESS_NAMES: dict[str, str] = {
    "stamping": N_("Stamping"),
    "machining": N_("Machining"),
    "injection": N_("Plastic injection"),
    "diecasting": N_("Die casting"),
    "welding": N_("Welding"),
    "painting": N_("Painting and coating"),
    "assembly": N_("Assembly"),
    "electronics": N_("Electronics / PCB assembly"),
    "harnesses": N_("Wiring harnesses"),
    "textiles": N_("Textiles and upholstery"),
    "packaging": N_("Packaging"),
    "logistics": N_("Logistics and cold chain"),
    "tooling": N_("Tooling and dies"),
    "metrology": N_("Metrology and testing"),
    "automation": N_("Automation and controls"),
    "maintenance": N_("Maintenance services"),
    "software": N_("IT and software"),
    "training": N_("Training"),
}

CERTIFICATION_NAMES: dict[str, str] = {
    "iso9001": N_("ISO 9001"),
    "iatf16949": N_("IATF 16949"),
    "iso14001": N_("ISO 14001"),
    "iso45001": N_("ISO 45001"),
    "iso17025": N_("ISO/IEC 17025"),
    "industrialimpia": N_("Industria Limpia"),
    "repse": N_("REPSE"),
    "other": N_("Other certification"),
}


def process_name(t: Translator, code: str, stored: str | None = None) -> str:
    """A process in the reader's language (plain text)."""
    msgid = PROCESS_NAMES.get(code)
    return t.label(msgid) if msgid else (stored or code)


def certification_name(t: Translator, code: str, stored: str | None = None) -> str:
    msgid = CERTIFICATION_NAMES.get(code)
    return t.label(msgid) if msgid else (stored or code)


def processes_text(t: Translator, codes: Iterable[str]) -> str:
    """ "Stamping, Welding" (plain text; escape it where it goes into HTML)."""
    return ", ".join(process_name(t, c) for c in codes)


def certifications_text(t: Translator, codes: Iterable[str]) -> str:
    return ", ".join(certification_name(t, c) for c in codes)
