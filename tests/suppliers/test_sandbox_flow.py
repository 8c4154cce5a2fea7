"""The sandbox's demo lets the whole supplier flow be tried from the page: a supplier gets the
open request and says they are interested, the buyer reads the shortlist, a coordinator of
Innovation approves the waiting request and the matching supplier gets it."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.sandbox_driver import PagePerson, running_sandbox


async def test_the_supplier_flow_from_the_page(tmp_path: Path) -> None:
    async with (
        running_sandbox(tmp_path) as sandbox,
        httpx.AsyncClient(base_url=sandbox.url) as client,
    ):
        diego = PagePerson(sandbox, client, 20013)  # AP Controles
        await diego.wait_for_text("Un comprador del clúster busca proveedores")
        await diego.tap("💡 Me interesa")
        await diego.wait_for_text("Agrega una nota para quien compra")
        await diego.send("Integramos tableros con PLC; entregas desde enero.")
        await diego.wait_for_text("¿Puedo compartir con quien compra")
        await diego.tap("✅ Sí, compártelos")
        await diego.wait_for_text("Listo: quien compra ve que a AP Controles le interesa")

        kenji = PagePerson(sandbox, client, 20009)  # the buyer, English
        await kenji.wait_for_text("New interest in your request #1")
        await kenji.send("/sourcing")
        await kenji.wait_for_text("Your requests")
        await kenji.tap("📋 Shortlist")
        shortlist = await kenji.wait_for_text("Shortlist · #1")
        assert "Flex</b> — Valeria Castro" in shortlist["text"]
        assert "AP Controles</b> — Diego Navarro" in shortlist["text"]

        carlos = PagePerson(sandbox, client, 20002)  # coordinator of Innovation
        await carlos.send("/sourcing")
        await carlos.wait_for_text("Proveeduría")
        await carlos.tap("🗂 En espera de aprobación (1)")
        await carlos.wait_for_text("Textile covers for armrests")
        await carlos.tap("✅ Aprobar")
        await carlos.wait_for_text("Aprobada por Carlos Ruiz: enviada a 1 organización")
        lucia = PagePerson(sandbox, client, 20014)  # Telas Laprotex
        notice = await lucia.wait_for_text("Textile covers for armrests")
        assert "anónima por ahora" in notice["text"]
