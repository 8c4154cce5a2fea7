"""Sourcing requests: the buyer's form (bad input at every step, a restart in the middle),
approval by a coordinator of SOURCING_AXES or an admin (every copy closed, the buyer told,
nothing sent twice) and rejection with a reason."""

from __future__ import annotations

import json

from tests.harness import Harness
from tests.suppliers.scene import ADMIN, create_request, scene


async def test_a_request_step_by_step_refusing_bad_input(harness: Harness) -> None:
    s = await scene(harness)
    kenji = s.kenji
    replies = await kenji.send("/sourcing")
    assert (
        "Tus solicitudes" in replies.text and "Aún no has hecho ninguna solicitud." in replies.text
    )
    replies = await kenji.tap("➕ Nueva solicitud")
    assert "¿Qué necesitas?" in replies.text
    assert (await kenji.send_sticker()).texts == [
        "Responde la pregunta de arriba, o /cancel para salir."
    ]
    replies = await kenji.send("x" * 121)
    assert replies.texts == ["Es demasiado largo: máximo 120 caracteres (el tuyo tiene 121)."]
    assert "Escríbelo con letras" in (await kenji.send("12345")).text
    replies = await kenji.send("Vestiduras   para modelo 2027")
    assert "¿Qué procesos necesitas?" in replies.text
    assert "Estampado" in replies.last.button_labels
    replies = await kenji.tap("Continuar ▶️")  # none chosen yet
    assert replies.alerts == ["Elige al menos un proceso."]
    replies = await kenji.tap("Textiles y vestiduras")
    assert "✓ Textiles y vestiduras" in replies.last.button_labels
    await kenji.tap("Estampado")
    await kenji.tap("✓ Estampado")  # and off again
    replies = await kenji.tap("Continuar ▶️")
    assert "¿Qué certificaciones debe tener el proveedor?" in replies.text
    await kenji.tap("IATF 16949")
    replies = await kenji.tap("Continuar ▶️")
    assert "Describe la necesidad" in replies.text
    replies = await kenji.send("d" * 5000)
    assert replies.texts == ["Es demasiado largo: máximo 2000 caracteres (el tuyo tiene 5000)."]
    replies = await kenji.send("Fundas de asiento <tela> & costura doble, PPAP nivel 3.")
    assert "volumen estimado" in replies.text
    replies = await kenji.tap("Omitir ⏭")
    assert "¿Hasta cuándo recibes respuestas?" in replies.text
    replies = await kenji.send("20/11/2026 10:00")  # now is 24/11 10:00 local
    assert replies.texts == ["Ese momento ya pasó. Indica una fecha y hora futuras."]
    replies = await kenji.send("24/11/2026 18:00")
    assert "Es demasiado pronto" in replies.text
    assert "No pude leer esa fecha" in (await kenji.send("mañana")).text
    replies = await kenji.send("15/12 18:00")
    assert "Respuestas hasta el martes, 15 de diciembre de 2026, 18:00" in replies.text
    assert replies.last.button_labels == [
        "🏢 Mostrar Nissan Mexicana",
        "🕶 Mantenernos anónimos por ahora",
    ]
    replies = await kenji.tap("🕶 Mantenernos anónimos por ahora")
    card = replies.text
    assert "🤝 Vestiduras para modelo 2027" in card
    assert "🕶 Comprador: una organización miembro del clúster (anónima por ahora)" in card
    assert "⚙️ Procesos: Textiles y vestiduras" in card
    assert "📜 Certificaciones requeridas: IATF 16949" in card
    assert "Fundas de asiento <tela> & costura doble" in card  # escaped, shown literally
    assert "&lt;tela&gt; &amp;" in replies.messages[1].html
    assert await harness.db.fetchval("SELECT count(*) FROM sourcing_requests") == 0
    replies = await kenji.tap("📨 Enviar a aprobación")
    assert "La solicitud #1 se envió a aprobación" in replies.text

    row = await harness.db.fetchone(
        "SELECT status, title, volume, deadline_at, anonymous, buyer_id FROM sourcing_requests"
    )
    assert tuple(row) == (
        "pending",
        "Vestiduras para modelo 2027",
        None,
        "2026-12-16T00:00:00Z",  # 18:00 in Aguascalientes
        1,
        s.ids[3001],
    )
    processes = await harness.db.fetchall(
        "SELECT p.code FROM sourcing_request_processes r JOIN supplier_processes p"
        " ON p.id = r.process_id"
    )
    assert [r[0] for r in processes] == ["textiles"]
    # Those who decide got a copy with the buyer's name, even for an anonymous request; the
    # Talent coordinator did not.
    for person in (s.gloria, s.admin):
        copy = harness.api.sent(chat_id=person.id)[-1]
        assert "Solicitud de proveeduría en espera de aprobación" in copy.text
        assert "La pide Kenji Sato (Nissan Mexicana)" in copy.text
        assert "Quien compra pidió quedar anónimo" in copy.text
        assert copy.button_labels == ["✅ Aprobar", "❌ Rechazar"]
    assert harness.api.sent(chat_id=s.tere.id) == []
    assert await harness.db.fetchval("SELECT count(*) FROM sourcing_request_notices") == 2


async def test_a_restart_in_the_middle_of_the_form_loses_nothing(harness: Harness) -> None:
    s = await scene(harness)
    await s.kenji.send("/sourcing")
    await s.kenji.tap("➕ Nueva solicitud")
    await s.kenji.send("Arneses para línea EV")
    await s.kenji.tap("Arneses eléctricos")
    await harness.restart()
    replies = await s.kenji.tap("Continuar ▶️")  # the keyboard of before the restart
    assert "¿Qué certificaciones" in replies.text
    await s.kenji.tap("Continuar ▶️")
    await harness.restart()
    await s.kenji.send("Arnés principal de 48 vías.")
    await s.kenji.send("5,000 al mes")
    await s.kenji.send("10/12 12:00")
    await s.kenji.tap("🏢 Mostrar Nissan Mexicana")
    await harness.restart()
    replies = await s.kenji.tap("📨 Enviar a aprobación")
    assert "La solicitud #1 se envió a aprobación" in replies.text
    row = await harness.db.fetchone("SELECT title, volume, anonymous FROM sourcing_requests")
    assert tuple(row) == ("Arneses para línea EV", "5,000 al mes", 0)


async def test_cancel_leaves_nothing_and_menu_taps_are_not_answers(harness: Harness) -> None:
    s = await scene(harness)
    await s.kenji.send("/sourcing")
    await s.kenji.tap("➕ Nueva solicitud")
    replies = await s.kenji.send("📅 Eventos")
    assert replies.texts == ["Responde la pregunta de arriba, o /cancel para salir."]
    replies = await s.kenji.send("/sourcing")
    assert "Estás a mitad de un formulario" in replies.text
    replies = await s.kenji.tap_data("sr:1:in")  # another of the form's entries, mid-form
    assert replies.alerts == ["Estás a mitad de un formulario. Termínalo o envía /cancel primero."]
    replies = await s.kenji.tap_data("sf:pdone")  # a button of a step not reached yet
    assert replies.alerts == [
        "Ese botón es de un paso anterior. Responde la última pregunta, por favor."
    ]
    replies = await s.kenji.send("/cancel")
    assert "Cancelado; no se envió ni cambió nada." in replies.text
    assert await harness.db.fetchval("SELECT count(*) FROM sourcing_requests") == 0


async def test_approval_sends_once_to_matching_suppliers(harness: Harness) -> None:
    s = await scene(harness)
    number = await create_request(s.kenji)
    replies = await s.gloria.tap("✅ Aprobar")
    assert "✅ Aprobada por Gloria Ríos: enviada a 2 organizaciones." in replies.text
    assert replies.messages[0].method == "editMessageText"
    admin_copy = harness.api.messages[(ADMIN, 1)]
    assert admin_copy["text"].endswith("✅ Aprobada por Gloria Ríos.")
    assert "reply_markup" not in admin_copy
    buyer = harness.api.sent(chat_id=s.kenji.id)
    assert "fue aprobada y enviada a 2 organizaciones" in buyer[-2].text
    assert "Lista corta · #1" in buyer[-1].text
    assert "Aún nadie ha dicho que le interesa" in buyer[-1].text

    sent = await harness.drain()
    by_chat = {c.chat_id: c for c in sent.messages}
    # Textiles or stamping, with IATF 16949: Telas Laprotex and Mextamp; not AP Controles
    # (neither process), not the buyer's own organization; Frío Express (a supplier without a
    # profile) is invited to create one.
    assert set(by_chat) == {s.lucia.id, s.rosa.id, s.frida.id}
    notice = by_chat[s.lucia.id]
    assert "Un comprador del clúster busca proveedores" in notice.text
    assert "🏢 Comprador: Nissan Mexicana" in notice.text
    assert notice.button_labels == ["💡 Me interesa", "No es para nosotros"]
    invitation = by_chat[s.frida.id]
    assert "Frío Express aún no tiene perfil de capacidades" in invitation.text
    assert "proveedores de Estampado, Textiles y vestiduras" in invitation.text
    assert invitation.button_labels == ["🏭 Crear nuestro perfil"]

    # A second decision (the admin's stale copy, a forged repeat) sends nothing more.
    replies = await s.admin.tap_data(f"sp:{number}:ok", harness.api.messages[(ADMIN, 1)])
    assert replies.alerts == ["Ya se decidió: aprobada."]
    assert (await harness.drain()).messages == []
    figures = await harness.db.fetchone(
        "SELECT status, approved, organizations_sent, organizations_reached, interested"
        " FROM v_sourcing_requests"
    )
    assert tuple(figures) == ("open", 1, 2, 2, 0)
    audit = await harness.db.fetchone(
        "SELECT action, actor_id, target_id, details FROM audit_log"
        " WHERE action = 'sourcing.approve'"
    )
    assert tuple(audit)[:3] == ("sourcing.approve", s.ids[3002], number)
    assert json.loads(audit[3]) == {"organizations": 2}
    assert await harness.db.fetchval("SELECT count(*) FROM sourcing_request_notices") == 0


async def test_rejection_asks_for_a_reason_that_the_buyer_reads(harness: Harness) -> None:
    s = await scene(harness)
    number = await create_request(s.kenji)
    replies = await s.admin.tap("❌ Rechazar")
    assert "¿Por qué no se aprueba la solicitud #1?" in replies.text
    assert (await s.admin.send_sticker()).texts == [
        "Responde la pregunta de arriba, o /cancel para salir."
    ]
    replies = await s.admin.send("r" * 501)
    assert replies.texts == ["Es demasiado largo: máximo 500 caracteres (el tuyo tiene 501)."]
    assert await harness.db.fetchval("SELECT status FROM sourcing_requests") == "pending"
    replies = await s.admin.send("Es una compra de servicios generales, no de proveeduría.")
    assert "❌ Solicitud #1 rechazada" in replies.text
    copy = harness.api.messages[(ADMIN, 1)]
    assert copy["text"].endswith(
        "❌ Rechazada por un administrador: Es una compra de servicios generales, no de "
        "proveeduría."
    )
    assert "reply_markup" not in copy
    gloria_copy = harness.api.sent(chat_id=s.gloria.id)[-1]
    assert "❌ Rechazada por un administrador" in gloria_copy.text
    told = harness.api.sent(chat_id=s.kenji.id)[-1].text
    assert "no fue aprobada" in told and "Motivo: Es una compra de servicios generales" in told
    row = await harness.db.fetchone("SELECT status, rejection_reason FROM sourcing_requests")
    assert row[0] == "rejected"
    assert (await harness.drain()).messages == []  # nothing goes to suppliers
    replies = await s.gloria.tap_data(f"sp:{number}:ok")
    assert replies.alerts == ["Ya se decidió: no aprobada."]
    assert (
        await harness.db.fetchval("SELECT count(*) FROM audit_log WHERE action = 'sourcing.reject'")
        == 1
    )


async def test_only_those_who_decide_can_approve_or_reject(harness: Harness) -> None:
    s = await scene(harness)
    number = await create_request(s.kenji)
    before = await harness.db.fetchall("SELECT * FROM sourcing_requests")
    for person, alert in (
        (s.kenji, "⛔ Solo los coordinadores del clúster pueden hacer esto."),
        (s.diego, "⛔ Solo los coordinadores del clúster pueden hacer esto."),
        (s.tere, "⛔ Tú coordinas otros ejes; este lo gestionan sus propios coordinadores."),
    ):
        for action in ("ok", "no", "q"):
            data = f"sp:{number}:{action}" if action != "q" else "sp:q"
            replies = await person.tap_data(data, harness.api.messages[(ADMIN, 1)])
            assert replies.alerts == [alert], (person.id, action)
            assert replies.messages == []
    assert await harness.db.fetchall("SELECT * FROM sourcing_requests") == before
    # A coordinator who loses the role between the copy and the tap is refused too.
    await harness.db.execute("UPDATE members SET role = 'member' WHERE telegram_user_id = 3002")
    replies = await s.gloria.tap("✅ Aprobar")
    assert replies.alerts == ["⛔ Solo los coordinadores del clúster pueden hacer esto."]
    assert await harness.db.fetchval("SELECT status FROM sourcing_requests") == "pending"


async def test_a_coordinator_of_the_sourcing_axes_sees_the_waiting_requests(
    harness: Harness,
) -> None:
    s = await scene(harness)
    await create_request(s.kenji)
    replies = await s.gloria.send("/sourcing")
    assert "🗂 En espera de aprobación (1)" in replies.last.button_labels
    replies = await s.gloria.tap("🗂 En espera de aprobación (1)")
    assert "1 solicitud de proveeduría en espera" in replies.text
    assert replies.last.button_labels == ["✅ Aprobar", "❌ Rechazar"]
    assert "🗂" not in " ".join((await s.tere.send("/sourcing")).last.button_labels)
    assert "🗂" not in " ".join((await s.diego.send("/sourcing")).last.button_labels)


async def test_a_deadline_given_as_a_date_alone_runs_to_the_end_of_that_day(
    harness: Harness,
) -> None:
    """Buyers think of a deadline as a day: "15/12" takes answers until 23:59 of that day
    (Aguascalientes time), as the question says; a date and a time work as before."""
    s = await scene(harness)
    await s.kenji.send("/sourcing")
    await s.kenji.tap("➕ Nueva solicitud")
    await s.kenji.send("Soportes estampados")
    await s.kenji.tap("Estampado")
    await s.kenji.tap("Continuar ▶️")
    await s.kenji.tap("Continuar ▶️")
    await s.kenji.send("Soportes de acero, calibre 12.")
    replies = await s.kenji.tap("Omitir ⏭")
    assert "una fecha sola: hasta el final de ese día" in replies.text
    replies = await s.kenji.send("15/12")
    assert "Respuestas hasta el martes, 15 de diciembre de 2026, 23:59." in replies.text
    replies = await s.kenji.send("24/11")  # today, alone: less than a day ahead
    assert "Respuestas hasta" not in replies.text
