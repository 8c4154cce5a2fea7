"""gettext catalogs, loaded straight from the `.po` files (no compile step on a fresh clone).

Translatable text uses named `{placeholders}` filled after translation; message
text is HTML (the bot's parse mode), so `Translator.__call__` escapes the values
while `Translator.label` (buttons, pop-ups: plain text) does not. Numbers,
percentages and lists are written the way each language writes them (Babel, with
the locale of the region the bot's readers of that language live in: Mexican Spanish).
"""

from __future__ import annotations

import gettext
import html
from collections.abc import Iterable
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
# The Babel locale each language is formatted in: Spanish as written in Mexico (12,345.6 and
# 24-hour 08:00), English as in the United States, Japanese and German as at home.
FORMAT_LOCALES: dict[str, str] = {"es": "es_MX", "en": "en_US", "ja": "ja_JP", "de": "de_DE"}


def N_(msgid: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return msgid


def normalize_language(code: str | None, supported: tuple[str, ...]) -> str | None:
    """`es-MX` → `es`; None when the language is not one the bot speaks."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in supported else None


@cache
def _load(language: str) -> gettext.NullTranslations:
    path = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Translator:
    """The texts of one language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.locale = FORMAT_LOCALES.get(language, language)
        self._catalog = _load(language)

    def __call__(self, msgid: str, /, **values: object) -> str:
        """Translated HTML message text; placeholder values are escaped."""
        text = self._catalog.gettext(msgid)
        if not values:
            return text
        return text.format(**{k: html.escape(str(v), quote=False) for k, v in values.items()})

    def label(self, msgid: str, /, **values: object) -> str:
        """Translated plain text (buttons, pop-up answers, command descriptions)."""
        text = self._catalog.gettext(msgid)
        return text.format(**values) if values else text

    def _n(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        """Plural-aware HTML text; `{count}` is available to the placeholders."""
        text = self._catalog.ngettext(singular, plural, count)
        escaped = {k: html.escape(str(v), quote=False) for k, v in values.items()}
        return text.format(count=count, **escaped)

    def number(self, value: float, decimals: int = 0) -> str:
        """`1,234.5` (es, en, ja) or `1.234,5` (de), with exactly `decimals` decimals."""
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def signed(self, value: float) -> str:
        """A whole number with its sign, as an NPS is read: `+20`, `-5`, `0`."""
        return format_decimal(round(value), format="+#,##0;-#,##0", locale=self.locale)

    def percent(self, part: float, whole: float) -> str:
        """`67%` (es, en, ja) or `67 %` (de); 0 % when there is no whole."""
        return format_percent(part / whole if whole else 0, locale=self.locale)

    def join(self, items: Iterable[str]) -> str:
        """`a, b y c`, `a, b, and c`, `a、b、c`, `a, b und c`; empty for nothing."""
        items = list(items)
        return format_list(items, locale=self.locale) if items else ""


class I18n:
    """All shipped languages; hands out one Translator per language."""

    def __init__(self, languages: tuple[str, ...], default: str) -> None:
        self.languages = languages
        self.default = default
        self._translators = {lang: Translator(lang) for lang in languages}

    def get(self, language: str | None) -> Translator:
        return self._translators.get(language or self.default, self._translators[self.default])

    def resolve(self, stored: str | None, telegram_code: str | None) -> str:
        """The member's stored choice, else Telegram's language, else the default."""
        if stored in self._translators:
            return stored
        return normalize_language(telegram_code, self.languages) or self.default
