"""The bot's version, as installed (pyproject.toml's `version`), for /status and /healthz."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as installed_version


@cache
def version() -> str:
    try:
        return installed_version("clia-bot")
    except PackageNotFoundError:  # running from a folder that was never pip-installed
        return "unknown"
