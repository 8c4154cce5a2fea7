"""Admins promote and demote with confirmation; scoped coordinators; the audit log."""

from __future__ import annotations

import csv
import io

from bot.auth import allowed
from tests.factories import add_member, axis_id
from tests.harness import Harness


async def test_promote_to_an_axis_with_confirmation(harness: Harness) -> None:
    mario = await add_member(harness.db, 501, full_name="Mario Ruíz")
    admin = harness.person(user_id=900)
    replies = await admin.send("/promote mario ruiz")  # accents and case do not matter
    assert "¿Qué rol debe tener Mario Ruíz? Ahora: miembro." in replies.text
    replies = await admin.tap("🛠 Coordinador: 🎓 Talento")
    assert "¿Convertir a Mario Ruíz en coordinador de 🎓 Talento?" in replies.text
    assert await harness.db.fetchval("SELECT role FROM members WHERE id = ?", (mario,)) == "member"
    replies = await admin.tap("✅ Confirmar")
    assert "✅ Mario Ruíz ahora es coordinador de 🎓 Talento." in replies.text
    told = next(c for c in replies.messages if c.chat_id == 501)
    assert "Tu rol en el bot de CLIA ahora es: coordinador de 🎓 Talento" in told.text
    assert "pending" in harness.api.menu("chat", 501)  # their menu shows the new commands
    talent = await axis_id(harness.db, "talent")
    assert await harness.db.fetchval(
        "SELECT group_concat(axis_id) FROM coordinator_axes WHERE member_id = ?", (mario,)
    ) == str(talent)

    # A second axis widens the scope.
    await admin.send("/promote Mario")
    await admin.tap("🛠 Coordinador: 💡 Innovación")
    replies = await admin.tap("✅ Confirmar")
    assert "coordinador de 💡 Innovación y 🎓 Talento" in replies.text


async def test_scoped_coordinators_manage_only_their_axes(harness: Harness) -> None:
    await add_member(harness.db, 501, full_name="Mario", role="coordinator")
    member = await harness.db.fetchval("SELECT id FROM members WHERE telegram_user_id = 501")
    talent = await axis_id(harness.db, "talent")
    innovation = await axis_id(harness.db, "innovation")
    await harness.db.execute(
        "INSERT INTO coordinator_axes (member_id, axis_id) VALUES (?, ?)", (member, talent)
    )
    mario = harness.person(user_id=501)
    update = mario.text_update("/anything")
    from telegram import Update

    assert harness.app is not None
    parsed = Update.de_json({"update_id": 99, **update}, harness.app.bot)
    context = harness.app.context_types.context.from_update(parsed, harness.app)
    await context.load_caller(parsed)
    assert await allowed(parsed, context, "coordinator", axis_id=talent)
    before = len(harness.api.calls)
    assert not await allowed(parsed, context, "coordinator", axis_id=innovation)
    refusal = harness.api.calls[before]
    assert (
        refusal.text == "⛔ Tú coordinas otros ejes; este lo gestionan sus propios coordinadores."
    )


async def test_demote_and_admin_ids_are_kept(harness: Harness) -> None:
    await add_member(harness.db, 501, full_name="Carla Coord", role="coordinator")
    await add_member(harness.db, 900, full_name="Ada Admin")
    admin = harness.person(user_id=900)
    replies = await admin.send("/demote carla")
    assert "¿Volver a Carla Coord (coordinador de todos los ejes) miembro regular?" in replies.text
    replies = await admin.tap("✅ Confirmar")
    assert "Carla Coord ahora es miembro." in replies.text
    assert (
        await harness.db.fetchval("SELECT role FROM members WHERE telegram_user_id = 501")
        == "member"
    )
    reply = (await admin.send("/demote carla")).text
    assert reply == "Ningún coordinador ni administrador coincide con «carla»."

    await harness.db.execute("UPDATE members SET role = 'admin' WHERE telegram_user_id = 900")
    replies = await admin.send("/demote ada")
    assert "es administrador por configuración (ADMIN_IDS)" in replies.text
    replies = await admin.send("/promote ada")  # nor is a configured admin promoted
    assert "es administrador por configuración (ADMIN_IDS)" in replies.text
    assert replies.last.inline_buttons == []
    ada = await harness.db.fetchval("SELECT id FROM members WHERE telegram_user_id = 900")
    replies = await admin.tap_data(f"rl:ok:{ada}:c:1")  # a forged confirmation: refused too
    assert "es administrador por configuración (ADMIN_IDS)" in replies.text
    assert await harness.db.fetchval("SELECT role FROM members WHERE id = ?", (ada,)) == "admin"


async def test_only_admins_promote_and_buttons_recheck(harness: Harness) -> None:
    await add_member(harness.db, 500, full_name="Carla", role="coordinator")
    target = await add_member(harness.db, 501, full_name="Mario")
    carla = harness.person(user_id=500)
    replies = await carla.send("/promote Mario")
    assert replies.texts == ["⛔ Solo los administradores pueden hacer esto."]
    replies = await carla.tap_data(f"rl:ok:{target}:a:0")
    assert replies.alerts == ["⛔ Solo los administradores pueden hacer esto."]
    assert await harness.db.fetchval("SELECT role FROM members WHERE id = ?", (target,)) == "member"


async def test_audit_log_in_chat_and_as_csv(harness: Harness) -> None:
    await add_member(harness.db, 501, full_name="Mario")
    admin = harness.person(user_id=900)
    assert (await admin.send("/audit")).text == "La bitácora está vacía."
    await admin.send("/promote Mario")
    await admin.tap("👑 Administrador")
    await admin.tap("✅ Confirmar")
    replies = await admin.send("/audit")
    assert "Últimas acciones" in replies.text
    assert "mar, 24 de nov de 2026, 10:00 · (sistema o persona borrada) · cambió un rol #1" in (
        replies.text
    )
    replies = await admin.tap("⬇️ Bitácora completa en CSV")
    name, content = replies.last.files["document"]
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert name == "clia-audit-log.csv" and content.startswith(b"\xef\xbb\xbf")  # for Excel
    assert rows[0]["action"] == "role_changed" and rows[0]["at_utc"] == "2026-11-24T16:00:00Z"
    assert '"role": "admin"' in rows[0]["details"]

    mario = harness.person(user_id=501)  # now an admin: sees the log, strangers do not
    assert "Últimas acciones" in (await mario.send("/audit")).text
    stranger = harness.person(user_id=777)
    assert (await stranger.send("/audit")).texts == [
        "⛔ Solo los administradores pueden hacer esto."
    ]


async def test_an_admin_by_configuration_signs_up_like_anyone(harness: Harness) -> None:
    """ADMIN_IDS gives the role, not a membership: personal commands ask to sign up."""
    admin = harness.person(user_id=900)
    for command in ("/notifications", "/profile"):
        assert (await admin.send(command)).texts == [
            "Esto es para miembros del clúster. Envía /start para unirte."
        ]
    assert "¡Bienvenido(a) a CLIA" in (await admin.send("/start")).text
    assert "Para administradores" in (await admin.send("/help")).text


def test_every_audited_action_has_a_name_admins_can_read() -> None:
    import ast
    from pathlib import Path

    from bot.labels import ACTION_NAMES

    recorded: set[str] = set()
    root = Path(__file__).resolve().parents[2]
    for source in [
        *root.glob("handlers/**/*.py"),
        *root.glob("bot/**/*.py"),
        *root.glob("storage/**/*.py"),
    ]:
        for node in ast.walk(ast.parse(source.read_text())):
            call = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            if call and node.func.attr == "record" and len(node.args) >= 3:  # type: ignore[attr-defined]
                action = node.args[2]  # type: ignore[attr-defined]
                choices = (
                    [action.body, action.orelse] if isinstance(action, ast.IfExp) else [action]
                )
                recorded |= {c.value for c in choices if isinstance(c, ast.Constant)}
    assert len(recorded) > 15 and recorded <= set(ACTION_NAMES)


async def test_a_pasted_wall_of_text_is_not_echoed_whole(harness: Harness) -> None:
    admin = harness.person(user_id=900)
    replies = await admin.send("/promote " + "x" * 4000)
    assert replies.texts == [f"Ningún miembro activo coincide con «{'x' * 59}…»."]
