"""Every shipped catalog is complete, current with the code, and keeps the placeholders."""

from __future__ import annotations

import string
from io import BytesIO

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.catalogs import extract, po_path
from bot.config import SUPPORTED_LANGUAGES
from bot.i18n import LOCALES_DIR


def _read(path: str) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _ids(catalog: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def test_template_is_current_with_the_code() -> None:
    """Run `make catalogs` when this fails: the code has strings the template lacks."""
    assert _ids(extract()) == _ids(_read(str(LOCALES_DIR / "messages.pot")))


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_catalog_is_complete_and_compiles(language: str) -> None:
    catalog = _read(str(po_path(language)))
    template = _read(str(LOCALES_DIR / "messages.pot"))
    assert _ids(catalog) == _ids(template), "run `make catalogs`, then translate"
    for message in catalog:
        if not message.id:
            continue
        assert "fuzzy" not in message.flags, f"fuzzy: {message.id!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated in {language}: {message.id!r}"
    assert not list(catalog.check()), list(catalog.check())
    write_mo(BytesIO(), catalog)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_translations_keep_exactly_the_placeholders(language: str) -> None:
    for message in _read(str(po_path(language))):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*(_placeholders(i) for i in ids))
        for translated in strings:
            assert _placeholders(translated) == expected, (language, message.id, translated)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_translations_keep_the_html_tags(language: str) -> None:
    """A translation with a lost or extra tag would make Telegram refuse the message."""
    import re

    tags = re.compile(r"</?[a-z-]+")
    for message in _read(str(po_path(language))):
        if message.id and isinstance(message.id, str):
            assert sorted(tags.findall(message.id)) == sorted(tags.findall(message.string))
