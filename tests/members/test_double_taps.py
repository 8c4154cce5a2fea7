"""Confirmations act once: a double tap, a second coordinator, an old or forged button are
answered with what already happened, decided by the database; no apology, no error."""

from __future__ import annotations

from tests.factories import add_member, axis_id
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


async def test_two_coordinators_deciding_at_once_decide_once(harness: Harness) -> None:
    """Different people's taps run concurrently: the database lets one decision through."""
    pedro = await add_member(harness.db, 502, full_name="Pedro Pendiente", status="pending")
    await add_member(harness.db, 500, full_name="Carla", role="coordinator")
    await add_member(harness.db, 501, full_name="Coco", role="coordinator")
    carla, coco = harness.person(user_id=500), harness.person(user_id=501)
    await carla.send("/pending")
    await coco.send("/pending")
    replies = await harness.feed_all(
        [carla.tap_update("✅ Aprobar"), coco.tap_update("❌ Rechazar")]
    )
    status = await harness.db.fetchval("SELECT status FROM members WHERE id = ?", (pedro,))
    decided = "activo" if status == "active" else "rechazado"
    assert sorted(replies.alerts) == ["", f"Ya se decidió: {decided}."]
    assert APOLOGY not in replies.text
    decisions = await _count(
        harness,
        "SELECT count(*) FROM audit_log WHERE action IN ('member_approved', 'member_rejected')",
    )
    assert decisions == 1
    assert len([c for c in replies.messages if c.chat_id == 502]) == 1  # told once


async def _promote_offer(harness: Harness) -> tuple[int, int]:
    mario = await add_member(harness.db, 501, full_name="Mario Ruíz")
    talent = await axis_id(harness.db, "talent")
    return mario, talent


async def test_a_double_tap_on_confirm_of_promote_changes_the_role_once(harness: Harness) -> None:
    mario, talent = await _promote_offer(harness)
    admin = harness.person(user_id=900)
    await admin.send("/promote mario")
    await admin.tap("🛠 Coordinador: 🎓 Talento")
    replies = await admin.double_tap("✅ Confirmar")
    assert replies.alerts == ["", "Mario Ruíz ya es coordinador de 🎓 Talento; no se cambió nada."]
    assert APOLOGY not in replies.text
    assert "✅ Mario Ruíz ahora es coordinador de 🎓 Talento." in admin.inbox()[-1]["text"]
    assert (
        await _count(harness, "SELECT count(*) FROM audit_log WHERE action = 'role_changed'") == 1
    )
    told = [c for c in replies.messages if c.chat_id == 501]
    assert len(told) == 1 and "coordinador de 🎓 Talento" in told[0].text
    assert await harness.db.fetchval(
        "SELECT group_concat(axis_id) FROM coordinator_axes WHERE member_id = ?", (mario,)
    ) == str(talent)

    # The old confirmation replayed later (or forged) changes nothing either.
    replies = await admin.tap_data(f"rl:ok:{mario}:c:{talent}")
    assert replies.alerts == ["Mario Ruíz ya es coordinador de 🎓 Talento; no se cambió nada."]
    assert replies.messages == []
    assert (
        await _count(harness, "SELECT count(*) FROM audit_log WHERE action = 'role_changed'") == 1
    )


async def test_two_admins_confirming_the_same_change_at_once_change_it_once(
    harness: Harness,
) -> None:
    mario, _talent = await _promote_offer(harness)
    await add_member(harness.db, 901, full_name="Ada Admin", role="admin")
    first, second = harness.person(user_id=900), harness.person(user_id=901)
    for admin in (first, second):
        await admin.send("/promote mario")
        await admin.tap("👑 Administrador")
    replies = await harness.feed_all(
        [first.tap_update("✅ Confirmar"), second.tap_update("✅ Confirmar")]
    )
    assert sorted(replies.alerts) == ["", "Mario Ruíz ya es administrador; no se cambió nada."]
    assert await harness.db.fetchval("SELECT role FROM members WHERE id = ?", (mario,)) == "admin"
    assert (
        await _count(harness, "SELECT count(*) FROM audit_log WHERE action = 'role_changed'") == 1
    )
    assert len([c for c in replies.messages if c.chat_id == 501]) == 1  # told once


async def test_a_double_tap_on_confirm_of_demote_demotes_once(harness: Harness) -> None:
    await add_member(harness.db, 501, full_name="Carla Coord", role="coordinator")
    admin = harness.person(user_id=900)
    await admin.send("/demote carla")
    replies = await admin.double_tap("✅ Confirmar")
    assert replies.alerts == ["", "Carla Coord ya es miembro; no se cambió nada."]
    assert (
        await _count(harness, "SELECT count(*) FROM audit_log WHERE action = 'role_changed'") == 1
    )


async def test_a_double_tap_on_forget_deletes_once_and_says_so(harness: Harness) -> None:
    await add_member(harness.db, 1001, full_name="Ana López")
    ana = harness.person()
    await ana.send("/forget")
    replies = await ana.double_tap("🗑 Sí, borrar mis datos")
    assert replies.alerts == ["", "Tus datos personales ya fueron borrados."]
    assert APOLOGY not in replies.text and "no se borró nada" not in replies.text
    assert "Tus datos personales fueron borrados." in ana.inbox()[-2]["text"]
    assert (
        await _count(harness, "SELECT count(*) FROM audit_log WHERE action = 'member_forgotten'")
        == 1
    )
    # "No, keep them" on the same message afterwards does not pretend nothing was deleted.
    replies = await ana.tap_data("fg:no", ana.inbox()[-2])
    assert replies.alerts == ["Tus datos personales ya fueron borrados."]
    assert replies.messages == []
