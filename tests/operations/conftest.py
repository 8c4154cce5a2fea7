"""`clia-bot` run in-process through `main(argv)`, with settings from a clean environment."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest

from bot.cli import main
from bot.config import Settings

SETTINGS_VARS = [name.upper() for name in Settings.model_fields]


@dataclass
class CliResult:
    code: int
    out: str
    err: str


class Cli(Protocol):
    def __call__(self, *argv: str, **env: str) -> CliResult: ...


@pytest.fixture
def cli(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Iterator[Cli]:
    """`cli("doctor", DATABASE_PATH=...)`: the exit status and what was printed. The
    environment holds only the settings given (no developer .env: cwd is tmp_path)."""
    for name in SETTINGS_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level

    def run(*argv: str, **env: str) -> CliResult:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        code = main(list(argv))
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    yield run
    root.handlers[:] = handlers  # main() configured logging for the whole process
    root.setLevel(level)
