"""The community supergroup's gate: members in at once, others after they become active."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.factories import add_member
from tests.harness import Harness

GROUP = -1001234567890


@pytest.fixture
async def gated(tmp_path: Path) -> AsyncIterator[Harness]:
    h = Harness(tmp_path, community_chat_id=GROUP)
    await h.start()
    try:
        yield h
    finally:
        await h.stop()
        h.close()
    assert not h.api.unexpected and not h.errors


def _join_request(user_id: int, first_name: str) -> dict[str, object]:
    user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "es"}
    return {
        "chat_join_request": {
            "chat": {"id": GROUP, "type": "supergroup", "title": "Comunidad CLIA"},
            "from": user,
            "user_chat_id": user_id,
            "date": 0,
        }
    }


async def test_active_members_are_let_in_at_once(gated: Harness) -> None:
    await add_member(gated.db, 1001)
    replies = await gated.feed(_join_request(1001, "Ana"))
    approvals = [c for c in replies.calls if c.method == "approveChatJoinRequest"]
    assert [(c.params["chat_id"], c.params["user_id"]) for c in approvals] == [(GROUP, 1001)]


async def test_others_are_invited_to_sign_up_and_let_in_when_active(gated: Harness) -> None:
    replies = await gated.feed(_join_request(1002, "Beto"))
    assert not [c for c in replies.calls if c.method == "approveChatJoinRequest"]
    assert "es para miembros del clúster. Envía /start" in replies.text

    await add_member(gated.db, 500, role="coordinator")
    beto = gated.person(user_id=1002, first_name="Beto", last_name="Ruiz")
    await beto.send("/start")
    await beto.tap("✓ Español")
    await beto.tap("✅ Acepto")
    await beto.tap("✅ Beto Ruiz")
    await beto.tap("Eaton")
    await beto.send("Supervisor")
    await beto.send("beto@eaton.com")
    await beto.send("Omitir")
    await beto.tap("💡 Innovación")
    await beto.tap("Continuar ▶️")
    await beto.tap("✅ Confirmar y enviar")

    replies = await gated.feed(_join_request(1002, "Beto"))  # asks again while pending
    assert "Tu solicitud de membresía está en revisión" in replies.text

    replies = await gated.person(user_id=500).tap("✅ Aprobar")
    approvals = [c for c in replies.calls if c.method == "approveChatJoinRequest"]
    assert [(c.params["chat_id"], c.params["user_id"]) for c in approvals] == [(GROUP, 1002)]
    assert await gated.db.fetchval("SELECT count(*) FROM join_requests") == 0


async def test_requests_to_other_groups_are_ignored(gated: Harness) -> None:
    request = _join_request(1001, "Ana")
    request["chat_join_request"]["chat"]["id"] = -100999  # type: ignore[index]
    replies = await gated.feed(request)
    assert replies.calls == []


async def test_a_rejected_applicants_join_request_is_declined(gated: Harness) -> None:
    await add_member(gated.db, 500, role="coordinator")
    applicant = await add_member(gated.db, 1003, status="pending")
    await gated.feed(_join_request(1003, "Carla"))
    coordinator = gated.person(user_id=500)
    await coordinator.send("/help")  # a message of the bot to hold the button
    replies = await coordinator.tap_data(f"ap:{applicant}:no")
    declines = [c for c in replies.calls if c.method == "declineChatJoinRequest"]
    assert [(c.params["chat_id"], c.params["user_id"]) for c in declines] == [(GROUP, 1003)]
    assert await gated.db.fetchval("SELECT count(*) FROM join_requests") == 0
