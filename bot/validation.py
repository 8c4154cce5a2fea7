"""Checks for what people type into forms. Each returns the cleaned value or a Problem."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.i18n import N_

NAME_MAX = 100
TITLE_MAX = 100
ORGANIZATION_MAX = 120
EMAIL_MAX = 254

_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}"
)
_LETTER = re.compile(r"[^\W\d_]")
_SPACES = re.compile(r"\s+")
_WHOLE = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True)
class Problem:
    """Why the input was refused: a msgid and its placeholder values."""

    message: str
    values: dict[str, int | str]


def _text(value: str, maximum: int, *, letters: int = 2) -> str | Problem:
    cleaned = _SPACES.sub(" ", value).strip()
    if len(cleaned) > maximum:
        return Problem(
            N_("That is too long: at most {maximum} characters (yours has {count})."),
            {"maximum": maximum, "count": len(cleaned)},
        )
    if len(_LETTER.findall(cleaned)) < letters:
        return Problem(N_("Please write it with letters (at least two)."), {})
    return cleaned


def person_name(value: str) -> str | Problem:
    return _text(value, NAME_MAX)


def job_title(value: str) -> str | Problem:
    return _text(value, TITLE_MAX)


def organization_name(value: str) -> str | Problem:
    return _text(value, ORGANIZATION_MAX, letters=1)


def email(value: str) -> str | Problem:
    cleaned = value.strip()
    if len(cleaned) > EMAIL_MAX or not _EMAIL.fullmatch(cleaned) or ".." in cleaned:
        return Problem(
            N_(
                "That does not look like an e-mail address. Please check it, "
                "for example ana.lopez@empresa.mx"
            ),
            {},
        )
    local, _, domain = cleaned.rpartition("@")
    return f"{local}@{domain.lower()}"


def phone(value: str) -> str | None:
    """Digits with an optional leading +, as Telegram shares them; None if implausible."""
    digits = re.sub(r"[^\d]", "", value)
    if not 7 <= len(digits) <= 15:
        return None
    return ("+" if value.strip().startswith("+") or len(digits) > 10 else "") + digits


def whole_number(text: str) -> int | None:
    """A whole number typed, or carried in a link or a button: ASCII digits only, at most nine
    ("²" passes str.isdigit but not int(); longer numbers are not ours and overflow SQLite)."""
    cleaned = text.strip()
    return int(cleaned) if _WHOLE.fullmatch(cleaned) else None


def echo(text: str, limit: int = 60) -> str:
    """What someone typed, quoted back in a reply: short enough that a pasted novel cannot
    push the reply past Telegram's 4,096 characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
