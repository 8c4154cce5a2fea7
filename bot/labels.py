"""Names of reference data shown to people, as msgids translated where shown."""

from __future__ import annotations

from bot.i18n import N_, Translator

AXIS_NAMES: dict[str, str] = {
    "innovation": N_("💡 Innovation"),
    "talent": N_("🎓 Talent"),
    "leadership": N_("🧭 Conscious Leadership"),
    "globalization": N_("🌎 Globalization"),
}

SECTOR_NAMES: dict[str, str] = {
    "oem": N_("Carmaker (OEM)"),
    "tier1": N_("Tier-1 supplier"),
    "supplier": N_("Supplier (SME)"),
    "academia": N_("University or research"),
    "government": N_("Government"),
    "other": N_("Other"),
}

STATUS_NAMES: dict[str, str] = {
    "prospect": N_("signing up"),
    "pending": N_("awaiting approval"),
    "active": N_("active"),
    "rejected": N_("not approved"),
    "left": N_("left"),
}


def axis_name(t: Translator, code: str) -> str:
    return t.label(AXIS_NAMES.get(code, code))


def sector_name(t: Translator, code: str) -> str:
    return t.label(SECTOR_NAMES.get(code, code))


def status_name(t: Translator, code: str) -> str:
    return t.label(STATUS_NAMES.get(code, code))
