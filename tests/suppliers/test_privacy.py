"""/mydata and /forget cover supplier development: what a member asked as a buyer, answered
for their organization (note, consent) and muted is in their file; after /forget nothing of
it names them, the figures stay, and open requests are withdrawn."""

from __future__ import annotations

import json

from tests.harness import Harness
from tests.suppliers.scene import approved_request, notice_of, scene


async def _every_value(harness: Harness) -> list[str]:
    tables = await harness.db.fetchall(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    values = []
    for (table,) in tables:
        for row in await harness.db.fetchall(f"SELECT * FROM {table}"):  # noqa: S608
            values.extend(str(v) for v in row if v is not None)
    return values


async def test_mydata_and_forget_cover_sourcing(harness: Harness) -> None:
    s = await scene(harness)
    number = await approved_request(harness, s, title="Fundas para Kenji Sato")
    await s.lucia.tap_data(f"sr:{number}:in", notice_of(s.lucia, number))
    await s.lucia.send("Escríbanme a Lucía Ramírez directamente")
    await s.lucia.tap("✅ Sí, compártelos")
    await s.lucia.send("/notifications")
    await s.lucia.tap("🔔 🤝 Solicitudes de proveeduría")

    replies = await s.lucia.send("/mydata")
    data = json.loads(replies.last.files["document"][1])["sourcing"]
    assert data["answers_you_gave"][0]["note"] == "Escríbanme a Lucía Ramírez directamente"
    assert data["answers_you_gave"][0]["consent_at"] == "2026-11-24T16:00:00Z"
    assert data["requests_muted_since"] == "2026-11-24T16:00:00Z"
    replies = await s.kenji.send("/mydata")
    data = json.loads(replies.last.files["document"][1])["sourcing"]
    assert data["requests_you_made"][0]["title"] == "Fundas para Kenji Sato"
    assert data["requests_you_made"][0]["status"] == "open"

    for person in (s.kenji, s.lucia):
        await person.send("/forget")
        await person.tap("🗑 Sí, borrar mis datos")
    everything = await _every_value(harness)
    for secret in (
        "Kenji Sato",
        "kenji@nissan.mx",
        "Lucía Ramírez",
        "lucia@tl.mx",
        str(s.kenji.id),
        str(s.lucia.id),
    ):
        assert not [v for v in everything if secret in v], secret
    row = await harness.db.fetchone(
        "SELECT status, closed_reason, title, buyer_id FROM sourcing_requests"
    )
    assert tuple(row) == ("closed", "withdrawn", None, None)
    figures = await harness.db.fetchone(
        "SELECT approved, organizations_sent, interested FROM v_sourcing_requests"
    )
    assert tuple(figures) == (1, 2, 1)  # the cluster's figures stay
    replies = await s.rosa.tap_data(f"sr:{number}:in", notice_of(s.rosa, number))
    assert replies.alerts == ["Esta solicitud está cerrada: ya no recibe respuestas."]


async def test_consent_after_the_buyer_left_shares_nothing(harness: Harness) -> None:
    s = await scene(harness)
    number = await approved_request(harness, s)
    await s.rosa.tap_data(f"sr:{number}:in", notice_of(s.rosa, number))
    await s.rosa.tap("Omitir ⏭")
    await s.rosa.tap("🕶 Por ahora no")
    await s.kenji.tap("🤝 Conectar 1")
    await s.kenji.send("/forget")
    await s.kenji.tap("🗑 Sí, borrar mis datos")
    replies = await s.rosa.tap("✅ Sí, preséntanos")
    assert "Quien compra ya no es miembro del clúster; no se compartió nada." in replies.text
    assert not [c for c in harness.api.calls[-5:] if "rosa@mextamp.mx" in str(c.params)]
    assert await harness.db.fetchval("SELECT introduced_at FROM sourcing_answers") is None
