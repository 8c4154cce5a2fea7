"""SOURCING_AXES: read from the environment, refused with one clear line when it names no
axis, and followed by who decides (here Talent instead of Globalization and Innovation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import SettingsError, load_settings
from tests.harness import Harness
from tests.suppliers.scene import create_request, scene


def test_the_setting_is_read_and_checked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no developer .env
    monkeypatch.delenv("SOURCING_AXES", raising=False)
    assert load_settings().sourcing_axes == frozenset({"globalization", "innovation"})
    monkeypatch.setenv("SOURCING_AXES", " Talent, leadership ")
    assert load_settings().sourcing_axes == frozenset({"talent", "leadership"})
    monkeypatch.setenv("SOURCING_AXES", "")
    assert load_settings().sourcing_axes == frozenset()
    monkeypatch.setenv("SOURCING_AXES", "globalisation")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert str(raised.value) == (
        "Invalid setting SOURCING_AXES: must be axes among innovation, talent, leadership and"
        " globalization, separated by commas"
    )


async def test_who_decides_follows_the_setting(tmp_path: Path) -> None:
    harness = Harness(tmp_path, sourcing_axes=frozenset({"talent"}))
    await harness.start()
    try:
        s = await scene(harness)
        number = await create_request(s.kenji)
        assert harness.api.sent(chat_id=s.gloria.id) == []  # Globalization: not asked
        copy = harness.api.sent(chat_id=s.tere.id)[-1]
        assert copy.button_labels == ["✅ Aprobar", "❌ Rechazar"]
        replies = await s.gloria.tap_data(f"sp:{number}:ok", harness.api.messages[(s.tere.id, 1)])
        assert replies.alerts[0].startswith("⛔")
        replies = await s.tere.tap("✅ Aprobar")
        assert "Aprobada por Tere Talento" in replies.text
    finally:
        await harness.stop()
        harness.close()
    assert not harness.errors and not harness.api.unexpected
