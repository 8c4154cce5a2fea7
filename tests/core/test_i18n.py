"""Locale resolution and HTML-safe formatting."""

from __future__ import annotations

import pytest

from bot.i18n import I18n, normalize_language


@pytest.fixture
def i18n() -> I18n:
    return I18n(("es", "en", "ja", "de"), "es")


@pytest.mark.parametrize(
    ("stored", "telegram", "expected"),
    [
        ("en", "es", "en"),  # the member's choice wins
        (None, "en-US", "en"),  # else Telegram's language
        (None, "es-MX", "es"),
        (None, "ja", "ja"),
        (None, "de-AT", "de"),
        (None, "pt-BR", "es"),  # a language the bot does not speak: the default
        (None, None, "es"),
        ("xx", "en", "en"),  # an unknown stored value is ignored
    ],
)
def test_language_resolution(
    i18n: I18n, stored: str | None, telegram: str | None, expected: str
) -> None:
    assert i18n.resolve(stored, telegram) == expected


def test_normalize_language() -> None:
    assert normalize_language("EN_gb", ("es", "en")) == "en"
    assert normalize_language("de", ("es", "en")) is None
    assert normalize_language("ja-JP", ("es", "en", "ja", "de")) == "ja"


@pytest.mark.parametrize(
    ("language", "number", "mean", "share", "nps", "axes"),
    [
        ("es", "1,234", "3.50", "67%", "+20", "💡 Innovación y 🎓 Talento"),
        ("en", "1,234", "3.50", "67%", "+20", "💡 Innovation and 🎓 Talent"),
        ("ja", "1,234", "3.50", "67%", "+20", "💡 イノベーション、🎓 人材"),
        ("de", "1.234", "3,50", "67\xa0%", "+20", "💡 Innovation und 🎓 Talente"),
    ],
)
def test_numbers_percentages_and_lists_in_each_language(
    i18n: I18n, language: str, number: str, mean: str, share: str, nps: str, axes: str
) -> None:
    """Mexican Spanish writes 1,234.5 (not Spain's 1.234,5); German 1.234,5 and 67 %."""
    t = i18n.get(language)
    assert t.number(1234) == number
    assert t.number(3.5, 2) == mean
    assert t.percent(2, 3) == share
    assert t.percent(1, 0) == t.percent(0, 1)  # nothing to divide by: 0 %
    assert t.signed(19.6) == nps and t.signed(-5).startswith("-")
    assert t.join([t.label("💡 Innovation"), t.label("🎓 Talent")]) == axes
    assert t.join([]) == ""


def test_message_text_escapes_values_but_labels_do_not(i18n: I18n) -> None:
    t = i18n.get("es")
    name = "<Lobo 10 & Company>"
    assert (
        t("👋 Welcome back, {name}!", name=name)
        == "👋 ¡Qué gusto verte de nuevo, &lt;Lobo 10 &amp; Company&gt;!"
    )
    assert t.label("👋 Welcome back, {name}!", name=name).endswith("<Lobo 10 & Company>!")


def test_unknown_msgid_falls_back_to_itself(i18n: I18n) -> None:
    assert i18n.get("es")("not in any catalog") == "not in any catalog"
