"""`clia-bot report --month 2026-10 --out report.pdf`: the monthly report from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from storage.database import Database
from tests.impact import dataset


async def _database(path: Path) -> None:
    async with Database(path) as db:
        await db.migrate()
        await dataset.build(db)


def test_the_report_of_a_month_is_written_as_a_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    database = tmp_path / "clia.db"
    asyncio.run(_database(database))
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("DATABASE_PATH", str(database))
    out = tmp_path / "report.pdf"
    assert main(["report", "--month", "2026-10", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert "written to" in capsys.readouterr().out
    talent = tmp_path / "talent.pdf"
    assert main(["report", "--month", "2026-Q4", "--axis", "talent", "--out", str(talent)]) == 0
    assert talent.read_bytes().startswith(b"%PDF")
    for language in ("en", "ja", "de"):  # every language the bot speaks
        other = tmp_path / f"{language}.pdf"
        assert (
            main(["report", "--month", "2026-10", "--language", language, "--out", str(other)]) == 0
        )
        assert other.read_bytes().startswith(b"%PDF")
    assert main(["report", "--month", "octubre", "--out", str(out)]) == 2
    assert "2026-10, 2026-Q4 or 2026" in capsys.readouterr().err
