"""Maintain the gettext catalogs: `python -m bot.catalogs` (or `make catalogs`).

Extracts every translatable string of the code into `locales/messages.pot` and
merges it into each language's `.po`, keeping existing translations. New
entries arrive empty: translate them, then run the tests, which refuse an
incomplete catalog. A language added to `SUPPORTED_LANGUAGES` gets its catalog
created here, with the plural rule of its locale (Japanese one form, German two).
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.config import SUPPORTED_LANGUAGES
from bot.i18n import DOMAIN, LOCALES_DIR

ROOT = LOCALES_DIR.parent
SOURCE_DIRS = ("bot", "handlers", "storage")
# The calls whose string arguments are translatable (see bot.i18n.Translator).
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None,
    "t": None,
    "label": None,
    "N_": None,
    "_n": (1, 2),
}


def extract() -> Catalog:
    """Every translatable string in the source, as a template catalog."""
    template = Catalog(project="clia-bot", copyright_holder="CLIA", fuzzy=False)
    for folder in SOURCE_DIRS:
        for _filename, _lineno, message, comments, context in extract_from_dir(
            ROOT / folder,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("Translators:",),
            strip_comment_tags=True,
        ):
            template.add(message, None, auto_comments=comments, context=context)
    return template


def po_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def update() -> None:
    """Write the template and merge it into every language's catalog."""
    template = extract()
    with (LOCALES_DIR / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, template, omit_header=False, sort_output=True, no_location=True)
    for language in SUPPORTED_LANGUAGES:
        path = po_path(language)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=language)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(
                locale=language, project="clia-bot", copyright_holder="CLIA", fuzzy=False
            )
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, sort_output=True, no_location=True, ignore_obsolete=True)


if __name__ == "__main__":
    update()
