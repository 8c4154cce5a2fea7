"""Who a request reaches: every required certification and at least one wanted process, never
the buyer's own organization, not members who muted sourcing in /notifications (or who cannot
be reached); matching many organizations is one SQL statement; an organization whose profile
matches later finds the request in /sourcing."""

from __future__ import annotations

from typing import Any

from tests.factories import add_member
from tests.harness import Harness
from tests.suppliers.scene import add_profile, approved_request, create_request, notice_of, scene


async def _reached(harness: Harness, number: int) -> set[str]:
    rows = await harness.db.fetchall(
        "SELECT o.name FROM sourcing_reached x JOIN organizations o ON o.id = x.organization_id"
        " WHERE x.request_id = ?",
        (number,),
    )
    return {r[0] for r in rows}


async def _notified(harness: Harness) -> set[int]:
    rows = await harness.db.fetchall(
        "SELECT d.chat_id FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id"
        " WHERE b.kind = 'sourcing_request'"
    )
    return {int(r[0]) for r in rows}


async def test_every_certification_and_any_process(harness: Harness) -> None:
    s = await scene(harness)
    # Stamping or electronics, with ISO 9001 and IATF 16949: Mextamp has both certifications
    # and stamping; AP Controles does electronics but lacks IATF 16949; Telas Laprotex has the
    # certifications but neither process.
    number = await approved_request(
        harness,
        s,
        processes=("Estampado", "Electrónica / ensamble de PCB"),
        certifications=("ISO 9001", "IATF 16949"),
    )
    assert await _reached(harness, number) == {"Mextamp"}
    # No certification required: any organization doing one of the processes.
    number = await approved_request(
        harness, s, processes=("Estampado", "Electrónica / ensamble de PCB"), certifications=()
    )
    assert await _reached(harness, number) == {"Mextamp", "AP Controles"}
    # The buyer's own organization is never sent its own request.
    await add_profile(harness.db, "Nissan Mexicana", ("stamping",))
    number = await approved_request(harness, s, processes=("Estampado",), certifications=())
    assert await _reached(harness, number) == {"Mextamp"}


async def test_muted_and_unreachable_members_are_left_out(harness: Harness) -> None:
    s = await scene(harness)
    await add_member(harness.db, 3010, full_name="Mario Mextamp", organization="Mextamp")
    await add_member(
        harness.db, 3011, full_name="Off Mextamp", organization="Mextamp", notifications=False
    )
    await add_member(
        harness.db, 3012, full_name="Gone Mextamp", organization="Mextamp", unreachable=True
    )
    replies = await s.rosa.send("/notifications")
    assert "🔔 🤝 Solicitudes de proveeduría" in replies.last.button_labels
    replies = await s.rosa.tap("🔔 🤝 Solicitudes de proveeduría")
    assert replies.alerts == ["Guardado."]
    assert "🔕 🤝 Solicitudes de proveeduría" in replies.last.button_labels
    # Lucía is Telas Laprotex's only member: muted, her organization is not reached at all.
    await s.lucia.send("/notifications")
    await s.lucia.tap("🔔 🤝 Solicitudes de proveeduría")
    number = await approved_request(harness, s)
    assert await _reached(harness, number) == {"Mextamp"}
    assert await _notified(harness) == {3010}
    # She still finds the request in /sourcing, and may answer it.
    replies = await s.lucia.send("/sourcing")
    assert f"🔎 #{number} · Vestiduras y soportes para modelo 2027" in replies.last.button_labels
    # Unmuted, the next request reaches her again.
    await s.rosa.tap("🔕 🤝 Solicitudes de proveeduría")
    await s.lucia.send("/notifications")
    await s.lucia.tap("🔕 🤝 Solicitudes de proveeduría")
    await approved_request(harness, s, title="Segunda solicitud")
    assert await _notified(harness) == {3010, s.rosa.id, s.lucia.id}


async def test_matching_500_organizations_is_one_statement(harness: Harness) -> None:
    s = await scene(harness)
    db = harness.db
    async with db.transaction() as conn:
        for n in range(500):
            cursor = await conn.execute(
                "INSERT INTO organizations (name, sector) VALUES (?, 'supplier')", (f"Prov {n}",)
            )
            org = cursor.lastrowid
            await conn.execute(
                "INSERT INTO members (telegram_user_id, chat_id, full_name, organization_id,"
                " status, consent_version, consent_at) VALUES (?, ?, ?, ?, 'active', '1',"
                " '2026-11-01T00:00:00Z')",
                (50_000 + n, 50_000 + n, f"Persona {n}", org),
            )
            await conn.execute(
                "INSERT INTO capability_profiles (organization_id, created_at, updated_at)"
                " VALUES (?, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')",
                (org,),
            )
            process = "textiles" if n % 2 else "welding"  # half do what is asked
            await conn.execute(
                "INSERT INTO capability_processes (organization_id, process_id)"
                " SELECT ?, id FROM supplier_processes WHERE code = ?",
                (org, process),
            )
            if n % 4 < 2:  # and half hold the certification
                await conn.execute(
                    "INSERT INTO capability_certifications (organization_id, certification_id)"
                    " SELECT ?, id FROM supplier_certifications WHERE code = 'iatf16949'",
                    (org,),
                )
    number = await create_request(s.kenji, processes=("Textiles y vestiduras",))
    statements: list[str] = []

    def trace(sql: str) -> None:
        statements.append(sql)

    connections: list[Any] = [db.writer, db._read_conn]
    for conn in connections:
        await conn.set_trace_callback(trace)
    try:
        await s.gloria.tap("✅ Aprobar")
    finally:
        for conn in connections:
            await conn.set_trace_callback(None)
    matching = [q for q in statements if "capability_certifications" in q]
    assert len(matching) == 1, matching
    assert "INSERT INTO sourcing_reached" in matching[0]
    # 125 organizations both do textiles and hold IATF 16949, and Telas Laprotex.
    assert len(await _reached(harness, number)) == 126
    sent = await harness.drain()
    notices = [c for c in sent.messages if "Un comprador del clúster busca proveedores" in c.text]
    assert len(notices) == 126


async def test_a_profile_created_later_finds_the_open_request(harness: Harness) -> None:
    s = await scene(harness)
    number = await approved_request(harness, s, processes=("Estampado",), certifications=())
    replies = await s.frida.send("/sourcing")
    assert "Frío Express aún no tiene perfil de capacidades" in replies.text
    assert not [b for b in replies.last.button_labels if b.startswith("🔎")]
    await add_profile(harness.db, "Frío Express", ("stamping", "logistics"))
    replies = await s.frida.send("/sourcing")
    assert "• #1 Vestiduras y soportes para modelo 2027 — respuestas hasta el" in replies.text
    replies = await s.frida.tap(f"🔎 #{number} · Vestiduras y soportes para modelo 2027")
    assert "🏢 Comprador: Nissan Mexicana" in replies.text
    assert replies.last.button_labels == ["💡 Me interesa", "No es para nosotros"]
    await s.frida.tap("💡 Me interesa")
    await s.frida.tap("Omitir ⏭")
    await s.frida.tap("✅ Sí, compártelos")
    figures = await harness.db.fetchone(
        "SELECT organizations_sent, organizations_reached, interested FROM v_sourcing_requests"
    )
    assert tuple(figures) == (1, 2, 1)  # Mextamp by notice; Frío Express found it
    assert notice_of(s.rosa, number)


async def test_overview_lists_own_and_open_requests(harness: Harness) -> None:
    s = await scene(harness)
    first = await approved_request(harness, s)
    await create_request(s.kenji, title="Troqueles progresivos")
    replies = await s.kenji.send("/sourcing")
    assert f"• #{first} Vestiduras y soportes para modelo 2027 — 🟢 abierta hasta" in replies.text
    assert "• #2 Troqueles progresivos — ⏳ en espera de aprobación" in replies.text
    assert replies.last.button_labels[:3] == [
        "➕ Nueva solicitud",
        "📋 #2 · Troqueles progresivos",
        "📋 #1 · Vestiduras y soportes para modelo 2027",
    ]
    replies = await s.kenji.tap("📋 #2 · Troqueles progresivos")
    assert "⏳ en espera de aprobación" in replies.text
    assert replies.last.button_labels == ["↩️ Retirar la solicitud"]
    await s.kenji.tap("↩️ Retirar la solicitud")
    replies = await s.kenji.tap("🔒 Sí, cerrarla")
    assert "Se retiró la solicitud #2" in replies.text
    copy = harness.api.sent(chat_id=s.gloria.id)[-1]
    assert copy.text.endswith("↩️ Retirada por quien compra.")
    replies = await s.rosa.send("/sourcing")
    assert "Solicitudes abiertas para Mextamp" in replies.text
    assert "#2" not in replies.text  # withdrawn before approval: never shown to suppliers
