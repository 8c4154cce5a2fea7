"""Sign-up through the chat: happy paths, approval, invitations, bad input, restarts."""

from __future__ import annotations

import re

from tests.factories import add_member
from tests.flows import sign_up_until_summary
from tests.harness import Harness, Person, Replies

MEMBER_ROW = (
    "SELECT full_name, organization_id, job_title, email, phone, language, status,"
    " consent_version, consent_at FROM members WHERE telegram_user_id = ?"
)


async def _member(harness: Harness, person: Person) -> dict[str, object]:
    row = await harness.db.fetchone(MEMBER_ROW, (person.id,))
    assert row is not None
    return dict(row)


async def _axes(harness: Harness, person: Person) -> list[str]:
    rows = await harness.db.fetchall(
        "SELECT a.code FROM member_axes ma JOIN axes a ON a.id = ma.axis_id"
        " JOIN members m ON m.id = ma.member_id WHERE m.telegram_user_id = ? ORDER BY a.position",
        (person.id,),
    )
    return [r[0] for r in rows]


async def test_sign_up_then_approval_by_an_admin(harness: Harness) -> None:
    await add_member(harness.db, 800, full_name="Cora Coord", role="coordinator", language="en")
    ana = harness.person(first_name="Ana", last_name="López")

    replies = await ana.send("/start")
    assert "¡Bienvenido(a) a CLIA" in replies.text
    replies = await ana.tap("✓ Español")
    assert "Aviso de privacidad" in replies.text
    assert replies.last.button_labels == ["✅ Acepto", "📄 Leer el aviso completo"]
    replies = await ana.tap("📄 Leer el aviso completo")
    assert "LFPDPPP" in replies.text
    replies = await ana.tap("✅ Acepto")
    assert "¿Cuál es tu nombre completo?" in replies.text
    assert replies.last.button_labels == ["✅ Ana López"]
    replies = await ana.tap("✅ Ana López")
    assert "¿En qué organización trabajas?" in replies.text
    assert replies.last.button_labels[:4] == ["02X", "AMINSA", "AP Controles", "Continental"]
    assert "▶️" in replies.last.button_labels
    replies = await ana.tap("Continental")
    assert "¿Cuál es tu puesto?" in replies.text
    replies = await ana.send("Ingeniera de Calidad")
    assert "¿Cuál es tu correo de trabajo?" in replies.text
    replies = await ana.send("ana.lopez@Continental.com")
    assert "comparte tu número" in replies.text
    assert replies.last.keyboard_labels == ["📱 Compartir mi número", "Omitir"]
    assert replies.last.markup["keyboard"][0][0]["request_contact"] is True
    replies = await ana.share_contact("+52 449 123 4567")
    assert "✅ Teléfono guardado." in replies.text
    assert replies.messages[0].markup == {"remove_keyboard": True}
    assert "¿Qué ejes estratégicos te interesan?" in replies.text
    await ana.tap("💡 Innovación")
    replies = await ana.tap("🎓 Talento")
    assert replies.last.button_labels[:2] == ["✓ 💡 Innovación", "✓ 🎓 Talento"]
    replies = await ana.tap("Continuar ▶️")
    assert "Revisa tus datos" in replies.text
    for shown in (
        "Ana López",
        "Continental",
        "Ingeniera de Calidad",
        "ana.lopez@continental.com",
        "+524491234567",
        "💡 Innovación y 🎓 Talento",
    ):
        assert shown in replies.text

    replies = await ana.tap("✅ Confirmar y enviar")
    assert "¡Gracias, Ana López! Un coordinador revisará tu solicitud" in replies.text
    stored = await _member(harness, ana)
    assert stored["status"] == "pending"
    assert stored["consent_version"] == "2026-11"
    assert stored["consent_at"] == "2026-11-24T16:00:00Z"
    assert stored["email"] == "ana.lopez@continental.com"
    assert await _axes(harness, ana) == ["innovation", "talent"]

    # The admin of ADMIN_IDS (900) got the application with its buttons.
    notice = next(c for c in replies.calls if c.chat_id == 900)
    assert "Nueva solicitud de membresía" in notice.text and "Ana López" in notice.text
    assert notice.button_labels == ["✅ Aprobar", "❌ Rechazar"]

    admin = harness.person(user_id=900, first_name="Admin")
    replies = await admin.tap("✅ Aprobar")
    assert "✅ Aprobada por un administrador." in replies.text
    other_copy = next(c for c in replies.messages if c.chat_id == 800)  # the coordinator's
    assert other_copy.method == "editMessageText" and other_copy.inline_buttons == []
    assert other_copy.text.endswith("✅ Approved by an administrator.")
    welcome = next(c for c in replies.messages if c.chat_id == ana.id)
    assert "¡Bienvenido(a) a CLIA, Ana López! Ya eres miembro." in welcome.text
    assert welcome.keyboard_labels == [
        "📅 Eventos",
        "📝 Encuestas",
        "👥 Grupos de trabajo",
        "👤 Mi perfil",
        "❓ Ayuda",
        "🌐 Idioma",
    ]
    assert (await _member(harness, ana))["status"] == "active"
    assert (
        await harness.db.fetchval("SELECT count(*) FROM audit_log WHERE action = 'member_approved'")
        == 1
    )

    # A second tap (another coordinator's copy, or a double tap) changes nothing.
    replies = await admin.tap_data(notice.inline_buttons[0]["callback_data"])
    assert replies.alerts == ["Ya se decidió: activo."]
    assert not [c for c in replies.messages if c.chat_id == ana.id]


async def test_rejected_applicants_are_told_and_can_apply_again(harness: Harness) -> None:
    ana = harness.person(first_name="Ana", last_name="López")
    await sign_up_until_summary(ana)
    await ana.tap("✅ Confirmar y enviar")
    replies = await harness.person(user_id=900).tap("❌ Rechazar")
    told = next(c for c in replies.messages if c.chat_id == ana.id)
    assert "no fue aprobada" in told.text and "/start" in told.text
    assert (await _member(harness, ana))["status"] == "rejected"

    replies = await ana.send("/start")  # everything is kept: straight to the summary
    assert "Revisa tus datos" in replies.text and "Ingeniera de Calidad" in replies.text
    assert replies.texts[0].startswith("👋 ¡Qué gusto verte de nuevo! Esto es lo que nos dijiste")
    await ana.tap("✅ Confirmar y enviar")
    assert (await _member(harness, ana))["status"] == "pending"


async def _finish_in_english(ben: Person) -> Replies:
    """From the job title to the confirmation, for an English applicant without a phone."""
    await ben.send("Plant manager")
    await ben.send("ben@continental.com")
    await ben.send("Skip")
    await ben.tap("🧭 Conscious Leadership")
    await ben.tap("Continue ▶️")
    return await ben.tap("✅ Confirm and send")


async def test_invitation_makes_the_member_active_at_once(harness: Harness) -> None:
    coordinator = harness.person(user_id=500, first_name="Coord")
    await add_member(harness.db, 500, full_name="Carla Coordinadora", role="coordinator")
    replies = await coordinator.send("/invite continental")
    photo = replies.last
    assert photo.method == "sendPhoto"
    link = re.search(r"https://t\.me/clia_test_bot\?start=(join_[A-Za-z0-9_-]+)", photo.text)
    assert link is not None and "Continental" in photo.text
    assert photo.files["photo"][1].startswith(b"\x89PNG")

    ben = harness.person(user_id=1002, first_name="Ben", language_code="en")
    replies = await ben.send(f"/start {link.group(1)}")
    assert replies.last.button_labels == ["Español", "✓ English", "日本語", "Deutsch"]
    await ben.tap("✓ English")
    await ben.tap("✅ I accept")
    replies = await ben.send("Ben Müller")
    assert "Organization: Continental (from your invitation)." in replies.text
    assert "What is your job title?" in replies.text
    replies = await _finish_in_english(ben)
    assert "Welcome to CLIA, Ben Müller! You are now a member." in replies.text
    assert not [c for c in replies.calls if c.chat_id in (900, 500)]  # no approval needed
    row = await harness.db.fetchone(
        "SELECT m.status, m.phone, o.name FROM members m JOIN organizations o"
        " ON o.id = m.organization_id WHERE m.telegram_user_id = ?",
        (ben.id,),
    )
    assert tuple(row) == ("active", None, "Continental")
    assert await harness.db.fetchval("SELECT uses FROM invitations") == 1


async def test_an_invalid_invitation_still_lets_people_apply(harness: Harness) -> None:
    replies = await harness.person().send("/start join_doesnotexist1")
    assert "no es válido o ya caducó" in replies.text
    assert "¡Bienvenido(a) a CLIA" in replies.text


async def test_bad_input_at_each_step_is_answered_and_nothing_is_lost(harness: Harness) -> None:
    ana = harness.person(first_name="Ana", last_name="López")
    await ana.send("/start")
    replies = await ana.send("hola")
    assert "Usa los botones del último mensaje" in replies.text
    await ana.tap("✓ Español")
    await ana.tap("✅ Acepto")

    replies = await ana.send_sticker()
    assert "Responde con un mensaje de texto" in replies.text
    assert "¿Cuál es tu nombre completo?" in replies.text
    replies = await ana.send("A" * 500)
    assert "Es demasiado largo: máximo 100 caracteres (el tuyo tiene 500)." in replies.text
    replies = await ana.send("12345")
    assert "Escríbelo con letras" in replies.text
    replies = await ana.tap_data("su:lang:en")  # a button of an earlier step
    assert replies.alerts == [
        "Ese botón es de un paso anterior. Responde la última pregunta, por favor."
    ]
    assert (await _member(harness, ana))["language"] == "es"
    await ana.send("Ana López")

    await ana.tap("Continental")
    await ana.send("Ingeniera")
    for wrong in ("ana@", "ana lopez@empresa.mx", "ana@empresa", "a" * 250 + "@x.mx"):
        replies = await ana.send(wrong)
        assert "Eso no parece un correo electrónico" in replies.text
    await ana.send("ana@empresa.mx")

    replies = await ana.share_contact("+52 449 000 0000", user_id=4242)  # someone else's
    assert "Ese no es tu propio contacto" in replies.text
    assert (await _member(harness, ana))["phone"] is None
    replies = await ana.send_photo()
    assert "Usa los botones de abajo: comparte tu número o toca Omitir." in replies.text

    replies = await ana.send("/start")  # again, in the middle
    assert "Estás a mitad del formulario. Sigamos donde te quedaste." in replies.text
    assert "comparte tu número" in replies.text
    await ana.send("Omitir")
    replies = await ana.tap("Continuar ▶️")
    assert replies.alerts == ["Elige al menos un eje, por favor."]
    await ana.tap("🌎 Globalización")
    replies = await ana.tap("Continuar ▶️")
    assert "Revisa tus datos" in replies.text
    stored = await _member(harness, ana)
    assert (stored["full_name"], stored["job_title"], stored["email"], stored["phone"]) == (
        "Ana López",
        "Ingeniera",
        "ana@empresa.mx",
        None,
    )


async def test_a_restart_mid_sign_up_continues_at_the_same_step(harness: Harness) -> None:
    ana = harness.person(first_name="Ana", last_name="López")
    await ana.send("/start")
    await ana.tap("✓ Español")
    await ana.tap("✅ Acepto")
    await ana.send("Ana López")
    await ana.tap("Continental")
    await ana.send("Ingeniera")
    assert await harness.db.fetchval("SELECT state FROM conversation_states") == '"email"'

    await harness.restart()
    replies = await ana.send("ana@empresa.mx")
    assert "comparte tu número" in replies.text
    await harness.restart()
    await ana.send("Omitir")
    await ana.tap("💡 Innovación")
    replies = await ana.tap("Continuar ▶️")
    assert "Revisa tus datos" in replies.text and "ana@empresa.mx" in replies.text


async def test_cancel_pauses_and_start_resumes(harness: Harness) -> None:
    ana = harness.person(first_name="Ana", last_name="López")
    await ana.send("/start")
    await ana.tap("✓ Español")
    await ana.tap("✅ Acepto")
    await ana.send("Ana López")
    replies = await ana.send("/cancel")
    assert "Registro en pausa" in replies.text
    replies = await ana.send("/start")
    assert "Sigamos donde te quedaste" in replies.text
    assert "¿En qué organización trabajas?" in replies.text


async def test_organizations_can_be_searched_paged_and_added(harness: Harness) -> None:
    ana = harness.person(first_name="Ana", last_name="López")
    await ana.send("/start")
    await ana.tap("✓ Español")
    await ana.tap("✅ Acepto")
    await ana.send("Ana López")
    replies = await ana.tap("▶️")
    assert replies.last.button_labels[0] == "Lobo 10 & Company"  # page 2 of 3
    replies = await ana.send("conti")
    assert replies.last.button_labels[0] == "Continental"
    replies = await ana.send("FRIO")  # typed on a phone: no accent, any case
    assert replies.last.button_labels[0] == "Frío Express"
    replies = await ana.send("tecnologico")
    assert replies.last.button_labels[0] == "Tecnológico de Monterrey"
    replies = await ana.send("Troqueles Calvillo")
    assert "No encontré ninguna organización llamada «Troqueles Calvillo»" in replies.text
    await ana.send("zz")  # another search after it: the earlier button still adds its own name
    replies = await ana.tap("➕ Agregar «Troqueles Calvillo»")
    assert "¿Qué tipo de organización es Troqueles Calvillo?" in replies.text
    replies = await ana.tap("Proveedor (pyme)")
    assert "Organización: Troqueles Calvillo (Proveedor (pyme))" in replies.text
    row = await harness.db.fetchone(
        "SELECT o.name, o.sector, o.is_founding FROM members m JOIN organizations o"
        " ON o.id = m.organization_id WHERE m.telegram_user_id = ?",
        (ana.id,),
    )
    assert tuple(row) == ("Troqueles Calvillo", "supplier", 0)

    # Someone else does not see it offered until a coordinator approves Ana.
    beto = harness.person(user_id=4343, first_name="Beto", last_name="Ruiz")
    await beto.send("/start")
    await beto.tap("✓ Español")
    await beto.tap("✅ Acepto")
    await beto.send("Beto Ruiz")
    replies = await beto.send("troqueles")
    assert "No encontré ninguna organización llamada «troqueles»" in replies.text
    ana_id = await harness.db.fetchval(
        "SELECT id FROM members WHERE telegram_user_id = ?", (ana.id,)
    )
    await harness.db.execute("UPDATE members SET status = 'pending' WHERE id = ?", (ana_id,))
    admin = harness.person(user_id=900)
    await admin.send("/help")  # a message of the bot in the admin's chat, for the button
    await admin.tap_data(f"ap:{ana_id}:ok")
    replies = await beto.send("troqueles")
    assert replies.last.button_labels[0] == "Troqueles Calvillo"


async def test_editing_from_the_summary_returns_to_it(harness: Harness) -> None:
    ana = harness.person(first_name="Ana", last_name="López")
    await sign_up_until_summary(ana)
    replies = await ana.tap("✏️ Correo")
    assert "¿Cuál es tu correo de trabajo?" in replies.text
    replies = await ana.send("ana@nueva.mx")
    assert "Revisa tus datos" in replies.text and "ana@nueva.mx" in replies.text
    replies = await ana.tap("✏️ Teléfono")
    await ana.send("Omitir")
    assert (await _member(harness, ana))["phone"] == "+524491234567"  # skipping keeps it


async def test_an_invitation_link_opened_in_the_middle_of_the_form_still_counts(
    harness: Harness,
) -> None:
    await add_member(harness.db, 500, full_name="Carla Coordinadora", role="coordinator")
    replies = await harness.person(user_id=500).send("/invite continental")
    link = re.search(r"start=(join_[A-Za-z0-9_-]+)", replies.last.text)
    assert link is not None
    ben = harness.person(user_id=1002, first_name="Ben", language_code="en")
    await ben.send("/start join_wrongcode")  # a broken link first: an ordinary application
    await ben.tap("✓ English")
    await ben.tap("✅ I accept")
    await ben.send("Ben Müller")
    replies = await ben.send(f"/start {link.group(1)}")  # then the right one, at the organization
    assert "Organization: Continental (from your invitation)." in replies.text
    assert "What is your job title?" in replies.text
    replies = await _finish_in_english(ben)
    assert "You are now a member." in replies.text


APPLICANT_MENU = ["👤 Mi perfil", "🔒 Privacidad", "❓ Ayuda", "🌐 Idioma"]
MEMBER_MENU = [
    "📅 Eventos",
    "📝 Encuestas",
    "👥 Grupos de trabajo",
    "👤 Mi perfil",
    "❓ Ayuda",
    "🌐 Idioma",
]


async def test_a_pending_applicant_gets_the_menu_of_what_they_can_do(harness: Harness) -> None:
    ana = harness.person(first_name="Ana", last_name="López")
    await sign_up_until_summary(ana)
    replies = await ana.tap("✅ Confirmar y enviar")
    # what happens next, said once, with the applicant's menu
    thanks = next(c for c in replies.messages if c.chat_id == ana.id and "Gracias" in c.text)
    assert "te avisaré por aquí; en cuanto la aprueben" in thanks.text
    assert thanks.keyboard_labels == APPLICANT_MENU
    replies = await ana.send("🔒 Privacidad")
    assert "LFPDPPP" in replies.text
    replies = await ana.send("👤 Mi perfil")
    assert "Ana López" in replies.text and "Continental" in replies.text
    replies = await ana.send("/start")
    assert "Un coordinador está revisando tu solicitud" in replies.text
    assert replies.last.keyboard_labels == APPLICANT_MENU
    # a members' button from an older keyboard: why not, and the menu she has now
    replies = await ana.send("📅 Eventos")
    assert replies.texts == [
        "⏳ Tu solicitud aún está en revisión. Podrás hacer esto cuando te aprueben."
    ]
    assert replies.last.keyboard_labels == APPLICANT_MENU

    # approved: the welcome brings the members' menu; her next /start is "welcome back"
    member_id = await harness.db.fetchval(
        "SELECT id FROM members WHERE telegram_user_id = ?", (ana.id,)
    )
    admin = harness.person(user_id=900)
    await admin.send("/help")  # a message of the bot in the admin's chat, for the button
    replies = await admin.tap_data(f"ap:{member_id}:ok")
    welcome = next(c for c in replies.messages if c.chat_id == ana.id)
    assert welcome.keyboard_labels == MEMBER_MENU
    replies = await ana.send("/start")
    assert "¡Qué gusto verte de nuevo, Ana López!" in replies.text
    assert replies.last.keyboard_labels == MEMBER_MENU
    replies = await ana.send("📅 Eventos")
    assert "en revisión" not in replies.text


async def test_someone_signing_up_who_pauses_gets_a_menu_without_members_features(
    harness: Harness,
) -> None:
    ana = harness.person(first_name="Ana")
    await ana.send("/start")
    replies = await ana.send("/cancel")
    assert replies.last.keyboard_labels == ["🔒 Privacidad", "❓ Ayuda", "🌐 Idioma"]


async def test_choosing_from_a_search_retires_the_list_and_other_searches(
    harness: Harness,
) -> None:
    ana = harness.person(first_name="Ana", last_name="López")
    await ana.send("/start")
    await ana.tap("✓ Español")
    await ana.tap("✅ Acepto")
    await ana.tap("✅ Ana López")
    await ana.tap("▶️")  # the list's second page, in the same message
    await ana.send("nissan")
    await ana.send("conti")
    replies = await ana.tap("Continental")
    assert "¿Cuál es tu puesto?" in replies.text
    live = [m for m in ana.inbox() if m.get("reply_markup", {}).get("inline_keyboard")]
    assert live == []  # the list and both searches' results lost their buttons
    texts = [m.get("text", "") for m in ana.inbox()]
    assert any(t.startswith("🏢 ¿En qué organización trabajas?") for t in texts)  # kept, inert
    assert "🏢 Organización: Continental" in texts
