"""Fixtures: a started bot over the offline fake, on a fresh database per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness import Harness


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    h = Harness(tmp_path)
    await h.start()
    try:
        yield h
    finally:
        await h.stop()
        h.close()
    assert not h.api.unexpected, f"calls the fake Bot API refused: {h.api.unexpected}"
    assert not h.errors, f"errors reached the error handler: {[r.exc_info for r in h.errors]}"
