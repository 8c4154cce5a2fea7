"""Suppliers' answers and the buyer's shortlist: interest with and without consent, the
shortlist updated in place, the capability card, Connect and the introduction, one interest
per organization, closed requests, and who may tap what (a supplier never sees another's
interest)."""

from __future__ import annotations

from tests.factories import add_member
from tests.harness import Harness
from tests.suppliers.scene import approved_request, notice_of, scene


def _shortlist(harness: Harness, buyer_id: int) -> str:
    """The buyer's live shortlist message, as it reads now."""
    messages = [
        m
        for (chat, _), m in sorted(harness.api.messages.items())
        if chat == buyer_id and "Lista corta" in str(m.get("text", ""))
    ]
    return str(messages[-1]["text"])


async def test_interest_with_consent_then_connect_introduces_both(harness: Harness) -> None:
    s = await scene(harness)
    number = await approved_request(harness, s)
    notice = notice_of(s.lucia, number)
    replies = await s.lucia.tap_data(f"sr:{number}:in", notice)
    assert "Agrega una nota para quien compra" in replies.text
    replies = await s.lucia.send("n" * 501)
    assert replies.texts == ["Es demasiado largo: máximo 500 caracteres (el tuyo tiene 501)."]
    replies = await s.lucia.send("Surtimos a Nissan Aguascalientes desde 2015; 6 semanas de PPAP.")
    assert "¿Puedo compartir con quien compra el nombre de Telas Laprotex" in replies.text
    assert "(lucia@tl.mx)" in replies.text
    assert "Si no, verá tu interés, tu nota y tus capacidades sin tu nombre" in replies.text
    replies = await s.lucia.tap("✅ Sí, compártelos")
    assert "Listo: quien compra ve que a Telas Laprotex le interesa" in replies.text
    # The notice says so and loses its buttons; the buyer's shortlist changed in place.
    assert "reply_markup" not in harness.api.messages[(s.lucia.id, notice["message_id"])]
    buyer = replies.calls
    assert any(c.chat_id == s.kenji.id and c.method == "editMessageText" for c in buyer)
    ping = harness.api.sent(chat_id=s.kenji.id)[-1]
    assert "Nuevo interés en tu solicitud #1" in ping.text and "Telas Laprotex" in ping.text
    shortlist = _shortlist(harness, s.kenji.id)
    assert "1. Telas Laprotex — Lucía Ramírez" in shortlist
    assert "💬 “Surtimos a Nissan Aguascalientes desde 2015" in shortlist
    assert "💡 1 interesado" in shortlist

    replies = await s.kenji.tap("🏭 1")
    assert "Perfil de capacidades de Telas Laprotex" in replies.text
    assert "vestiduras automotrices desde 1998" in replies.text  # named: with description
    replies = await s.kenji.tap("🤝 Conectar 1")
    assert replies.alerts == ["🤝 Presentación enviada a ambos."]
    to_buyer = harness.api.sent(chat_id=s.kenji.id)
    intro = next(c for c in to_buyer if "Presentación" in c.text and "lucia@tl.mx" in c.text)
    assert "Lucía Ramírez" in intro.text and "Telas Laprotex" in intro.text
    to_supplier = harness.api.sent(chat_id=s.lucia.id)[-1]
    assert "Quien compra quiere platicar con Telas Laprotex" in to_supplier.text
    assert "Kenji Sato" in to_supplier.text and "kenji@nissan.mx" in to_supplier.text
    assert "✅ presentados" in _shortlist(harness, s.kenji.id)
    replies = await s.kenji.tap_data("sb:1:k:1")  # again
    assert replies.alerts == ["Ya se presentaron: ambos tienen los contactos."]
    figures = await harness.db.fetchone(
        "SELECT interested, introductions FROM v_sourcing_requests WHERE request_id = ?",
        (number,),
    )
    assert tuple(figures) == (1, 1)
    assert (
        await harness.db.fetchval(
            "SELECT count(*) FROM audit_log WHERE action = 'sourcing.introduce' AND actor_id = ?",
            (s.ids[3001],),
        )
        == 1
    )


async def test_interest_without_consent_stays_anonymous_until_the_supplier_agrees(
    harness: Harness,
) -> None:
    s = await scene(harness)
    number = await approved_request(harness, s)
    await s.rosa.tap_data(f"sr:{number}:in", notice_of(s.rosa, number))
    await s.rosa.tap("Omitir ⏭")
    replies = await s.rosa.tap("🕶 Por ahora no")
    assert "sin tu nombre" in replies.text
    shortlist = _shortlist(harness, s.kenji.id)
    assert "1. 🕶 Un proveedor (con nombre cuando acepte compartirlo)" in shortlist
    assert "Mextamp" not in shortlist and "Rosa" not in shortlist
    ping = harness.api.sent(chat_id=s.kenji.id)[-1]
    assert "un proveedor (aún sin nombre)" in ping.text and "Mextamp" not in ping.text
    replies = await s.kenji.tap("🏭 1")
    assert "Perfil de capacidades de un proveedor" in replies.text
    assert "Estampado, Herramentales y troqueles" in replies.text
    assert "Mextamp" not in replies.text and "Aguascalientes" not in replies.text

    replies = await s.kenji.tap("🤝 Conectar 1")
    assert "ya les pregunté" in replies.text
    question = harness.api.sent(chat_id=s.rosa.id)[-1]
    assert "quiere platicar con Mextamp" in question.text
    assert question.button_labels == ["✅ Sí, preséntanos", "No, gracias"]
    assert "⏳ se pidió su consentimiento" in _shortlist(harness, s.kenji.id)
    assert not [c for c in harness.api.sent(chat_id=s.kenji.id) if "rosa@mextamp.mx" in c.text]
    replies = await s.kenji.tap("🤝 Conectar 1")
    assert replies.alerts == ["Ya se les preguntó; te aviso aquí en cuanto respondan."]

    # Only Rosa answers her consent question.
    replies = await s.lucia.tap_data("sc:1:ok")
    assert replies.alerts == ["Este botón ya caducó. Vuelve a empezar, por favor."]
    replies = await s.rosa.tap("✅ Sí, preséntanos")
    assert "quien compra recibe ahora tu contacto" in replies.text
    intro = harness.api.sent(chat_id=s.kenji.id)[-2]  # then the shortlist is edited
    assert "rosa@mextamp.mx" in intro.text and "Mextamp" in intro.text
    assert any("kenji@nissan.mx" in c.text for c in harness.api.sent(chat_id=s.rosa.id))
    assert await harness.db.fetchval("SELECT introduced_at IS NOT NULL FROM sourcing_answers") == 1


async def test_a_supplier_may_refuse_to_share_the_contact(harness: Harness) -> None:
    s = await scene(harness)
    number = await approved_request(harness, s)
    await s.rosa.tap_data(f"sr:{number}:in", notice_of(s.rosa, number))
    await s.rosa.tap("Omitir ⏭")
    await s.rosa.tap("🕶 Por ahora no")
    await s.kenji.tap("🤝 Conectar 1")
    replies = await s.rosa.tap("No, gracias")
    assert "no se comparte tu contacto" in replies.text
    told = harness.api.sent(chat_id=s.kenji.id)
    assert any("prefiere no compartir su contacto por ahora" in c.text for c in told)
    assert not any("rosa@mextamp.mx" in c.text for c in told)
    assert "🚫 prefiere no compartir su contacto" in _shortlist(harness, s.kenji.id)
    replies = await s.kenji.tap("🤝 Conectar 1")
    assert replies.alerts == ["Por ahora prefieren no compartir su contacto."]


async def test_one_interest_per_organization_and_not_for_us(harness: Harness) -> None:
    s = await scene(harness)
    colleague = await add_member(
        harness.db, 3008, full_name="Luis Laprotex", organization="Telas Laprotex"
    )
    assert colleague
    number = await approved_request(harness, s)
    luis = harness.person(3008, "Luis")
    # Luis says it is not for them first; Lucía may still say they are interested.
    replies = await luis.tap_data(f"sr:{number}:no", notice_of(luis, number))
    assert "Anotado: no es para Telas Laprotex" in replies.text
    replies = await luis.tap_data(f"sr:{number}:no", notice_of(luis, number))
    assert replies.alerts[0].startswith("Ya quedó anotado: no es para Telas Laprotex (Luis")
    assert "🙅 1 dijo que no es para ellos" in _shortlist(harness, s.kenji.id)
    await s.lucia.tap_data(f"sr:{number}:in", notice_of(s.lucia, number))
    await s.lucia.tap("Omitir ⏭")
    await s.lucia.tap("✅ Sí, compártelos")
    shortlist = _shortlist(harness, s.kenji.id)
    assert "💡 1 interesado" in shortlist and "🙅 0 dijeron que no es para ellos" in shortlist
    # A second "interested" from the same organization is refused, and stores nothing.
    replies = await luis.tap_data(f"sr:{number}:in", notice_of(luis, number))
    assert replies.alerts[0].startswith("Telas Laprotex ya dijo que le interesa (Lucía Ramírez, ")
    replies = await luis.tap_data(f"sr:{number}:no", notice_of(luis, number))
    assert replies.alerts[0].startswith("Telas Laprotex ya dijo que le interesa")
    rows = await harness.db.fetchall("SELECT answer, member_id FROM sourcing_answers")
    assert [tuple(r) for r in rows] == [("interested", s.ids[3004])]


async def test_a_closed_request_takes_no_answers(harness: Harness) -> None:
    s = await scene(harness)
    number = await approved_request(harness, s)
    replies = await s.kenji.tap("🔒 Cerrar la solicitud")
    assert "¿Cerrar la solicitud #1?" in replies.text
    replies = await s.kenji.tap("🔒 Sí, cerrarla")
    assert "La solicitud #1 está cerrada" in replies.text
    notice = notice_of(s.lucia, number)
    replies = await s.lucia.tap_data(f"sr:{number}:in", notice)
    assert replies.alerts == ["Esta solicitud está cerrada: ya no recibe respuestas."]
    assert "reply_markup" not in harness.api.messages[(s.lucia.id, notice["message_id"])]
    replies = await s.rosa.tap_data(f"sr:{number}:no", notice_of(s.rosa, number))
    assert replies.alerts == ["Esta solicitud está cerrada: ya no recibe respuestas."]
    assert await harness.db.fetchval("SELECT count(*) FROM sourcing_answers") == 0
    row = await harness.db.fetchone("SELECT status, closed_reason FROM sourcing_requests")
    assert tuple(row) == ("closed", "buyer")
    replies = await s.kenji.tap_data(f"sb:{number}:xok")
    assert replies.alerts == ["Esta solicitud ya está cerrada."]


async def test_who_may_tap_what(harness: Harness) -> None:
    s = await scene(harness)
    number = await approved_request(harness, s)
    await s.lucia.tap_data(f"sr:{number}:in", notice_of(s.lucia, number))
    await s.lucia.send("Nota privada para el comprador")
    await s.lucia.tap("✅ Sí, compártelos")
    answers = await harness.db.fetchall("SELECT * FROM sourcing_answers")
    only_buyer = ["Solo el miembro que hizo esta solicitud puede verla y administrarla."]
    # Another supplier (who also got the request) cannot see Lucía's interest or act on it.
    for data in (f"sb:{number}:v", f"sb:{number}:c:1", f"sb:{number}:k:1", f"sb:{number}:rv"):
        replies = await s.rosa.tap_data(data)
        assert replies.alerts == only_buyer, data
        assert replies.messages == [] and "Nota privada" not in replies.text
    replies = await s.rosa.tap_data(f"sb:{number}:xok")
    assert replies.alerts == only_buyer
    # An organization the request did not reach (AP Controles) does not see it at all.
    await s.diego.send("/help")
    for data in (f"sr:{number}:v", f"sr:{number}:in", f"sr:{number}:no"):
        replies = await s.diego.tap_data(data)
        assert replies.alerts == ["Este botón ya caducó. Vuelve a empezar, por favor."], data
    # People who are not active members are refused.
    stranger = harness.person(4444, "Extraño")
    await stranger.send("/help")
    replies = await stranger.tap_data(f"sr:{number}:in")
    assert replies.alerts == ["Esto es para miembros del clúster. Envía /start para unirte."]
    # The buyer's buttons with another request's supplier, or a forged one, have expired.
    replies = await s.kenji.tap_data(f"sb:{number}:c:99")
    assert replies.alerts == ["Este botón ya caducó. Vuelve a empezar, por favor."]
    assert await harness.db.fetchall("SELECT * FROM sourcing_answers") == answers
    assert await harness.db.fetchval("SELECT status FROM sourcing_requests") == "open"


async def test_revealing_the_buyer_tells_the_interested(harness: Harness) -> None:
    s = await scene(harness)
    number = await approved_request(harness, s, anonymous=True)
    notice = notice_of(s.rosa, number)
    assert "Nissan" not in str(notice["text"]) and "anónima por ahora" in str(notice["text"])
    await s.rosa.tap_data(f"sr:{number}:in", notice)
    await s.rosa.tap("Omitir ⏭")
    await s.rosa.tap("🕶 Por ahora no")
    replies = await s.kenji.tap("🔓 Mostrar nuestra organización")
    assert replies.alerts == ["Guardado."]
    told = harness.api.sent(chat_id=s.rosa.id)[-1]
    assert "Quien compra en la solicitud #1" in told.text and "Nissan Mexicana" in told.text
    assert "🔓 Mostrar nuestra organización" not in replies.last.button_labels
    replies = await s.lucia.tap_data(f"sr:{number}:v")
    assert "🏢 Comprador: Nissan Mexicana" in replies.text


async def test_the_shortlist_counts_every_organization_the_request_reached(
    harness: Harness,
) -> None:
    """An organization whose profile matches after the approval finds the request in
    /sourcing and answers it: the buyer's figures count it among those reached, so they never
    read more interested organizations than the request went to."""
    from tests.suppliers.scene import add_profile

    s = await scene(harness)
    number = await approved_request(harness, s)  # sent to Telas Laprotex and Mextamp
    await add_profile(harness.db, "Frío Express", ["textiles"], ["iatf16949"])
    assert "Vestiduras y soportes para modelo 2027" in (await s.frida.send("/sourcing")).text
    await s.frida.tap_data(f"sr:{number}:in")
    await s.frida.tap("Omitir ⏭")
    await s.frida.tap("🕶 Por ahora no")
    shortlist = _shortlist(harness, s.kenji.id)
    assert "📨 llegó a 3 organizaciones · 💡 1 interesado" in shortlist, shortlist
