"""Locale resolution and HTML-safe formatting."""

from __future__ import annotations

import pytest

from bot.i18n import I18n, normalize_language


@pytest.fixture
def i18n() -> I18n:
    return I18n(("es", "en"), "es")


@pytest.mark.parametrize(
    ("stored", "telegram", "expected"),
    [
        ("en", "es", "en"),  # the member's choice wins
        (None, "en-US", "en"),  # else Telegram's language
        (None, "es-MX", "es"),
        (None, "ja", "es"),  # a language the bot does not speak: the default
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
