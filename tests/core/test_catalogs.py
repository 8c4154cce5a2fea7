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
from bot.i18n import LOCALES_DIR, Translator


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


# Japanese has one form; Spanish, English and German two (one, other).
PLURAL_FORMS = {
    "es": (2, "nplurals=2; plural=(n != 1);"),
    "en": (2, "nplurals=2; plural=(n != 1);"),
    "ja": (1, "nplurals=1; plural=0;"),
    "de": (2, "nplurals=2; plural=(n != 1);"),
}


def test_every_shipped_language_has_its_plural_rule_stated() -> None:
    assert set(PLURAL_FORMS) == set(SUPPORTED_LANGUAGES)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_catalog_declares_its_languages_plural_forms(language: str) -> None:
    """The header Babel and gettext read the plural rule from, and every plural entry
    with exactly that many forms."""
    path = po_path(language)
    header = path.read_text("utf-8")
    nplurals, rule = PLURAL_FORMS[language]
    assert f'"Plural-Forms: {rule}\\n"' in header
    catalog = _read(str(path))
    assert catalog.num_plurals == nplurals
    plurals = [m for m in catalog if m.id and isinstance(m.id, tuple)]
    assert plurals, "the bot has plural messages"
    for message in plurals:
        assert isinstance(message.string, tuple)
        assert len(message.string) == nplurals, (language, message.id)


# A count as each language reads it: 0, 1 and 2 of the same message.
COUNTS = {
    "es": ("✅ 0 asistirán", "✅ 1 asistirá", "✅ 2 asistirán"),
    "en": ("✅ 0 going", "✅ 1 going", "✅ 2 going"),
    "ja": ("✅ 参加 0名", "✅ 参加 1名", "✅ 参加 2名"),
    "de": ("✅ 0 Zusagen", "✅ 1 Zusage", "✅ 2 Zusagen"),
}
QUESTIONS = {
    "es": ("0 preguntas", "1 pregunta", "2 preguntas"),
    "en": ("0 questions", "1 question", "2 questions"),
    "ja": ("全0問", "全1問", "全2問"),
    "de": ("0 Fragen", "1 Frage", "2 Fragen"),
}


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_counts_of_zero_one_and_two_take_the_right_form(language: str) -> None:
    t = Translator(language)
    for count, expected in zip((0, 1, 2), COUNTS[language], strict=True):
        assert t._n("✅ {count} going", "✅ {count} going", count) == expected
    for count, expected in zip((0, 1, 2), QUESTIONS[language], strict=True):
        assert t._n("{count} question", "{count} questions", count) == expected


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_plural_message_renders_0_1_and_2_from_the_form_its_rule_picks(
    language: str,
) -> None:
    """Through the running translator, not just the file: 1 takes the first form, 0 and 2
    the second (in Japanese, the one form), with the count in it."""
    catalog = _read(str(po_path(language)))
    t = Translator(language)
    for message in catalog:
        if not (message.id and isinstance(message.id, tuple)):
            continue
        singular, plural = message.id
        values = {name: f"<{name}>" for name in _placeholders(singular) - {"count"}}
        for count in (0, 1, 2):
            form = 0 if PLURAL_FORMS[language][0] == 1 or count == 1 else 1
            expected = message.string[form].format(count=count, **values)
            rendered = (
                t._n(singular, plural, count, **values).replace("&lt;", "<").replace("&gt;", ">")
            )
            assert rendered == expected, (language, singular, count)
            assert str(count) in rendered
