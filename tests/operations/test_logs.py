"""LOG_FORMAT=json: one JSON object per line, with the same promise as the text format (no
token, no personal data at INFO or above)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.config import SettingsError, load_settings
from bot.logformat import JsonFormatter, configure_logging
from tests.flows import sign_up_until_summary
from tests.harness import TEST_TOKEN, Harness


@pytest.fixture
def root_logging() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


async def test_json_lines_carry_no_token_or_personal_data(
    harness: Harness, root_logging: logging.Logger
) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.setLevel(logging.INFO)
    root_logging.addHandler(handler)
    root_logging.setLevel(logging.DEBUG)

    ana = harness.person(user_id=4242, first_name="Ana", last_name="López")
    await sign_up_until_summary(ana)
    await ana.tap("✅ Confirmar y enviar")
    await harness.person(user_id=900).tap("✅ Aprobar")
    harness.api.fail("sendMessage", chat_id=4242, description="Bad Request: broken")
    await ana.send("/profile")  # fails: an ERROR line with its traceback
    harness.errors.clear()
    root_logging.removeHandler(handler)

    lines = stream.getvalue().splitlines()
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert entries, "something was logged at INFO or above"
    for entry in entries:
        assert {"time", "level", "logger", "message"} <= entry.keys()
        assert entry["time"].endswith("+00:00")
    failure = next(
        e for e in entries if e["message"].startswith("update ") and "failed" in e["message"]
    )
    assert failure["level"] == "ERROR" and failure["logger"] == "handlers.core.errors"
    assert "Traceback" in failure["exception"] and "BadRequest" in failure["exception"]
    secrets = ("Ana López", "ana.lopez@continental.com", "+524491234567", "Ingeniera de Calidad")
    for line in lines:
        assert TEST_TOKEN.split(":")[1] not in line
        assert not [s for s in secrets if s in line], line


def test_configure_logging_chooses_the_format(
    root_logging: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO", "json")
    logging.getLogger("bot.test").info("backup written: %s", "clia-x.db")
    logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/bot<token>")
    entry = json.loads(capsys.readouterr().err)
    assert entry["message"] == "backup written: clia-x.db" and entry["level"] == "INFO"

    configure_logging("INFO", "text")
    logging.getLogger("bot.test").info("readable")
    assert capsys.readouterr().err.rstrip().endswith("INFO bot.test: readable")


def test_log_format_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("/")
    assert load_settings(_env_file=None).log_format == "text"
    assert load_settings(_env_file=None, log_format="JSON").log_format == "json"
    with pytest.raises(SettingsError, match="Invalid setting LOG_FORMAT"):
        load_settings(_env_file=None, log_format="xml")
