"""Confirmations act once: a double tap, a second coordinator, an old or forged button are
answered with what already happened, decided by the database; no apology, no error."""

from __future__ import annotations

from tests.factories import add_member
from tests.harness import Harness

APOLOGY = "Perdón, algo falló"


async def _count(harness: Harness, sql: str, *params: object) -> int:
    return int(await harness.db.fetchval(sql, params))


async def test_a_double_tap_on_approve_approves_once_without_an_apology(harness: Harness) -> None:
    pedro = await add_member(harness.db, 502, full_name="Pedro Pendiente", status="pending")
    admin = harness.person(user_id=900)
    await admin.send("/pending")
    replies = await admin.double_tap("✅ Aprobar")
    assert replies.alerts == ["", "Ya se decidió: activo."]
    assert APOLOGY not in replies.text
    # The second tap removed a keyboard already gone: Telegram said "not modified"; no error.
    assert [(c.method, c.ok) for c in replies.calls if c.method.startswith("edit")] == [
        ("editMessageText", True),
        ("editMessageReplyMarkup", False),
    ]
    assert "✅ Aprobada por un administrador." in admin.inbox()[-1]["text"]
    assert (
        await _count(harness, "SELECT count(*) FROM audit_log WHERE action = ?", "member_approved")
        == 1
    )
    welcomes = [c for c in replies.messages if c.chat_id == 502]
    assert len(welcomes) == 1 and "Ya eres miembro" in welcomes[0].text
    assert (
        await harness.db.fetchval("SELECT status FROM members WHERE id = ?", (pedro,)) == "active"
    )
