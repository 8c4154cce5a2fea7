"""Logs: warnings and errors with context, but no token and no personal data at INFO or above,
and one line per handled update at DEBUG."""

from __future__ import annotations

import logging

import pytest

from tests.flows import sign_up_until_summary
from tests.harness import TEST_TOKEN, Harness


async def test_no_token_or_personal_data_is_logged_at_info(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ana = harness.person(user_id=4242, first_name="Ana", last_name="López")
    await sign_up_until_summary(ana)
    await ana.tap("✅ Confirmar y enviar")
    await harness.person(user_id=900).tap("✅ Aprobar")
    await ana.send("/mydata")
    await ana.send("/profile")
    await harness.drain()
    secrets = ("Ana López", "ana.lopez@continental.com", "+524491234567", "Ingeniera de Calidad")
    loud = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    for line in loud:
        assert TEST_TOKEN not in line and TEST_TOKEN.split(":")[1] not in line, line
        assert not [s for s in secrets if s in line], line
    trail = [r.getMessage() for r in caplog.records if r.name == "handlers.core.caller"]
    updates = {line.split(":")[0] for line in trail}
    assert len(trail) == len(updates) >= 10  # one DEBUG line per handled update
    assert not [line for line in trail if "Ana" in line or "López" in line]
