"""/profile edits and /notifications (the right to object), from the chat."""

from __future__ import annotations

from storage.audience import Audience, resolve
from tests.factories import add_member, axis_id
from tests.harness import Harness


async def test_profile_shows_the_data_and_edits_a_field(harness: Harness) -> None:
    await add_member(harness.db, 1001, full_name="Ana López", job_title="Ingeniera")
    ana = harness.person()
    replies = await ana.send("👤 Mi perfil")
    assert "Tu perfil (activo)" in replies.text
    assert "Ana López" in replies.text and "Flex" in replies.text
    assert "✏️ Puesto" in replies.last.button_labels

    replies = await ana.tap("✏️ Puesto")
    assert "¿Cuál es tu puesto?" in replies.text
    replies = await ana.send("x" * 101)
    assert "Es demasiado largo" in replies.text
    replies = await ana.send("Gerente de Calidad")
    assert "Tu perfil (activo)" in replies.text and "Gerente de Calidad" in replies.text
    assert (
        await harness.db.fetchval("SELECT job_title FROM members WHERE telegram_user_id = 1001")
        == "Gerente de Calidad"
    )


async def test_profile_axes_toggle_and_done(harness: Harness) -> None:
    member = await add_member(harness.db, 1001, axes=("innovation",))
    ana = harness.person()
    await ana.send("/profile")
    await ana.tap("🎯 Ejes")
    await ana.tap("🎓 Talento")
    replies = await ana.tap("✓ 💡 Innovación")
    assert replies.last.button_labels[:2] == ["💡 Innovación", "✓ 🎓 Talento"]
    replies = await ana.tap("✅ Listo")
    assert "Tu perfil" in replies.text and "🎓 Talento" in replies.text
    codes = await harness.db.fetchall(
        "SELECT a.code FROM member_axes ma JOIN axes a ON a.id = ma.axis_id WHERE member_id = ?",
        (member,),
    )
    assert [r[0] for r in codes] == ["talent"]


async def test_strangers_have_no_profile(harness: Harness) -> None:
    replies = await harness.person().send("/profile")
    assert replies.texts == ["Esto es para miembros del clúster. Envía /start para unirte."]


async def test_notifications_per_axis_and_entirely(harness: Harness) -> None:
    db = harness.db
    member = await add_member(db, 1001, axes=("innovation", "talent"))
    innovation = await axis_id(db, "innovation")
    ana = harness.person()
    replies = await ana.send("/notifications")
    assert replies.last.button_labels == [
        "🔔 💡 Innovación",
        "🔔 🎓 Talento",
        "🔔 🤝 Solicitudes de proveeduría",  # another feature's notices (bot.mutes)
        "🔕 Apagar todo",
    ]

    replies = await ana.tap("🔔 💡 Innovación")
    assert replies.alerts == ["Guardado."]
    assert replies.last.button_labels[0] == "🔕 💡 Innovación"
    assert not [r for r in await resolve(db, Audience(kind="axes", ids=(innovation,)))]
    assert [r.member_id for r in await resolve(db, Audience())] == [member]

    replies = await ana.tap("🔕 Apagar todo")
    assert "Las notificaciones están apagadas" in replies.text
    assert await resolve(db, Audience()) == []
    replies = await ana.tap("🔔 Activar notificaciones")
    assert [r.member_id for r in await resolve(db, Audience())] == [member]

    # A forged axis id answers "expired" and changes nothing.
    replies = await ana.tap_data("nt:ax:99")
    assert replies.alerts == ["Este botón ya caducó. Vuelve a empezar, por favor."]


async def test_a_menu_tap_in_the_middle_of_a_form_is_never_stored(harness: Harness) -> None:
    await add_member(harness.db, 1001, job_title="Ingeniera")
    await add_member(harness.db, 800, role="coordinator")
    ana, cora = harness.person(), harness.person(user_id=800)
    await ana.send("👤 Mi perfil")
    await ana.tap("✏️ Puesto")
    replies = await ana.send("❓ Ayuda")
    assert replies.texts[0] == (
        "Estás en medio del formulario: responde la pregunta, o /cancel para salir."
    )
    job = "SELECT job_title FROM members WHERE telegram_user_id = 1001"
    assert await harness.db.fetchval(job) == "Ingeniera"
    await ana.send("Gerente")
    assert await harness.db.fetchval(job) == "Gerente"  # the form went on where it was

    await cora.send("/newevent")
    await cora.tap("💡 Innovación")
    await cora.tap("📅 Un evento del clúster")
    replies = await cora.send("📅 Eventos")
    assert "Responde la pregunta de arriba" in replies.text
    await cora.send("/cancel")
    await cora.send("/broadcast")
    replies = await cora.send("👤 Mi perfil")
    assert "¿Quién debe recibirlo?" not in replies.text
    assert await harness.db.fetchval("SELECT count(*) FROM events") == 0


async def test_phone_edit_keeps_or_deletes_the_number_and_brings_the_menu_back(
    harness: Harness,
) -> None:
    await add_member(harness.db, 1001)
    phone = "SELECT phone FROM members WHERE telegram_user_id = 1001"
    await harness.db.execute("UPDATE members SET phone = '+524491234567'")
    ana = harness.person()
    await ana.send("👤 Mi perfil")
    replies = await ana.tap("✏️ Teléfono")
    assert replies.last.keyboard_labels == [
        "📱 Compartir mi número",
        "Omitir",
        "🗑 Borrar mi número",
    ]
    replies = await ana.send("Omitir")  # in an edit, Skip keeps the number
    assert replies.texts[0] == "No cambió nada."
    assert "📅 Eventos" in replies.messages[0].keyboard_labels  # the menu is back
    assert await harness.db.fetchval(phone) == "+524491234567"
    await ana.tap("✏️ Teléfono")
    replies = await ana.send("🗑 Borrar mi número")
    assert replies.texts[0] == "🗑 Tu número de teléfono se borró."
    assert "📅 Eventos" in replies.messages[0].keyboard_labels
    assert await harness.db.fetchval(phone) is None


async def test_the_language_can_change_in_the_middle_of_a_form(harness: Harness) -> None:
    await add_member(harness.db, 800, role="coordinator")
    cora = harness.person(user_id=800)
    await cora.send("/broadcast")
    await cora.send("/language")
    replies = await cora.tap("English")
    assert "I will talk to you in English" in replies.text
    language = "SELECT language FROM members WHERE telegram_user_id = 800"
    assert await harness.db.fetchval(language) == "en"
    replies = await cora.send("The assembly is on Thursday.")  # the form goes on, in English
    assert "Who should receive it?" in replies.text


async def test_an_organization_added_by_an_active_member_is_offered_at_once(
    harness: Harness,
) -> None:
    await add_member(harness.db, 1001)
    ana = harness.person()
    await ana.send("👤 Mi perfil")
    await ana.tap("✏️ Organización")
    await ana.send("Nueva Empresa Dos")
    await ana.tap("➕ Agregar «Nueva Empresa Dos»")
    await ana.tap("Proveedor (pyme)")
    row = await harness.db.fetchone(
        "SELECT confirmed FROM organizations WHERE name = 'Nueva Empresa Dos'"
    )
    assert tuple(row) == (1,)  # no approval to wait for: she is a member already


async def test_notifications_name_what_can_be_muted_besides_the_axes(harness: Harness) -> None:
    """/notifications lists the axes and other notices (sourcing requests): the text does not
    say that everything listed is an axis."""
    await add_member(harness.db, 4100, full_name="Diego Navarro", organization="AP Controles")
    replies = await harness.person(4100, "Diego").send("/notifications")
    assert "🔔 🤝 Solicitudes de proveeduría" in replies.last.button_labels
    assert "Toca un eje para" not in replies.text
    assert "los avisos de tus ejes y los demás avisos de abajo" in replies.text
