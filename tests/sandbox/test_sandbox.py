"""End to end: the real bot polling the sandbox's Bot API over HTTP, driven like the page."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import httpx

from tests.sandbox_driver import PagePerson, running_sandbox


async def test_sign_up_and_approval_over_http(tmp_path: Path) -> None:
    async with (
        running_sandbox(tmp_path) as sandbox,
        httpx.AsyncClient(base_url=sandbox.url) as client,
    ):
        page = (await client.get("/")).text
        assert "CLIA bot · sandbox" in page

        paola = PagePerson(sandbox, client, 20100)  # the demo's newcomer
        await paola.send("/start")
        await paola.wait_for_text("Primero, elige tu idioma")
        await paola.tap("✓ Español")
        await paola.wait_for_text("Aviso de privacidad")
        await paola.tap("✅ Acepto")
        await paola.wait_for_text("¿Cuál es tu nombre completo?")
        await paola.tap("✅ Paola Nueva")
        await paola.wait_for_text("¿En qué organización trabajas?")
        await paola.tap("Continental")
        await paola.wait_for_text("¿Cuál es tu puesto?")
        await paola.send("Analista de compras")
        await paola.wait_for_text("¿Cuál es tu correo de trabajo?")
        await paola.send("paola@continental.com")
        await paola.wait_for_text("comparte tu número")
        state = await paola.state()
        assert state["keyboard"]["keyboard"][0][0]["request_contact"] is True
        await paola.share_contact()
        await paola.wait_for_text("¿Qué ejes estratégicos te interesan?")
        await paola.tap("🌎 Globalización")
        await paola.wait(
            lambda s: any(
                b["text"] == "✓ 🌎 Globalización"
                for m in s["messages"]
                for row in m.get("reply_markup", {}).get("inline_keyboard", [])
                for b in row
            )
        )
        await paola.tap("Continuar ▶️")
        await paola.wait_for_text("Revisa tus datos")
        await paola.tap("✅ Confirmar y enviar")
        await paola.wait_for_text("Un coordinador revisará tu solicitud")

        laura = PagePerson(sandbox, client, 20001)  # the demo's admin
        await laura.wait_for_text("Nueva solicitud de membresía")
        await laura.tap("✅ Aprobar")
        await laura.wait_for_text("Aprobada por Laura Méndez")
        await paola.wait_for_text("Ya eres miembro")

        # The command menu the page shows follows Telegram's scopes and languages.
        assert any(c["command"] == "profile" for c in (await paola.state())["menu"])
        assert any(c["command"] == "pending" for c in (await laura.state())["menu"])


async def test_a_reset_starts_fresh(tmp_path: Path) -> None:
    async with (
        running_sandbox(tmp_path) as sandbox,
        httpx.AsyncClient(base_url=sandbox.url) as client,
    ):
        ana = PagePerson(sandbox, client, 20003)
        await ana.send("/start")
        await ana.wait_for_text("¡Hola, Ana López! Soy el bot de CLIA")  # her first visit
        await ana.send("/start")
        await ana.wait_for_text("Qué gusto verte de nuevo, Ana López")
        created = (
            await client.post("/ui/person", json={"name": "Zoe Prueba", "role": "member"})
        ).json()
        zoe = PagePerson(sandbox, client, created["id"])
        await zoe.send("/profile")
        await zoe.wait_for_text("Zoe Prueba")

        await client.post("/ui/reset", json={})
        state = await ana.state()
        assert state["messages"] == []
        assert created["id"] not in [p["id"] for p in state["people"]]
        await ana.send("/start")
        await ana.wait_for_text("¡Hola, Ana López! Soy el bot de CLIA")  # the demo is back, new


async def test_rsvp_and_survey_answer_over_http(tmp_path: Path) -> None:
    async with (
        running_sandbox(tmp_path) as sandbox,
        httpx.AsyncClient(base_url=sandbox.url) as client,
    ):
        ana = PagePerson(sandbox, client, 20003)  # a demo member of Innovation
        await ana.send("/events")
        await ana.wait_for_text("Próximos eventos para ti")
        await ana.tap("· Foro de Innovación Automotriz 2026", ending=True)  # after its date
        await ana.wait_for_text("Tu respuesta: ✅ Asistiré")
        await ana.tap("🤔 Tal vez")
        await ana.wait_for_text("Tu respuesta: 🤔 Tal vez")

        await ana.send("/surveys")
        await ana.wait_for_text("Encuesta: Pulso de innovación 2026")
        await ana.tap("▶️ Empezar")
        await ana.wait_for_text("¿Qué tan avanzada está la digitalización de tu planta?")
        await ana.tap("4")
        await ana.wait_for_text("¿Cuál es tu prioridad para 2027?")
        await ana.tap("Talento")
        await ana.wait_for_text("¿Qué apoyo esperas del clúster?")
        await ana.send("Vinculación con universidades")
        await ana.wait_for_text("¡Gracias!")


async def test_a_survey_file_sent_from_the_page(tmp_path: Path) -> None:
    async with (
        running_sandbox(tmp_path) as sandbox,
        httpx.AsyncClient(base_url=sandbox.url) as client,
    ):
        carlos = PagePerson(sandbox, client, 20002)  # the demo coordinator of Innovation
        closes = (datetime.now() + timedelta(days=10)).strftime("%Y-%m-%d 18:00")
        survey = (
            f"title: Pulso rápido\ncloses: {closes}\naudience: {{axis: innovation}}\n"
            "questions:\n  - type: yesno\n    text: ¿Vienes al taller?\n"
        )
        await carlos.attach("pulso.yaml", "application/x-yaml", survey.encode())
        await carlos.wait_for_text("La invitación y la primera pregunta")
        await carlos.attach("logo.png", "image/png", b"\x89PNG\r\n\x1a\n")
        state = await carlos.state()
        mine = [m for m in state["messages"] if m["from"]["id"] == 20002]
        assert mine[-2]["document"]["file_name"] == "pulso.yaml" and "photo" in mine[-1]


async def test_the_japanese_and_german_demo_members(tmp_path: Path) -> None:
    async with (
        running_sandbox(tmp_path) as sandbox,
        httpx.AsyncClient(base_url=sandbox.url) as client,
    ):
        people = {p["id"]: p for p in (await PagePerson(sandbox, client, 20011).state())["people"]}
        assert (people[20011]["language"], people[20012]["language"]) == ("ja", "de")
        page = (await client.get("/")).text
        assert '<option value="ja">日本語</option>' in page and "ja: { hint:" in page

        haruka = PagePerson(sandbox, client, 20011)  # Nissan, Japanese, her zone is Tokyo
        await haruka.send("/myevents")
        await haruka.wait_for_text("参加予定のイベント")
        await haruka.wait_for_text("Webinar: Exportar a Japón — ✅ 参加")
        await haruka.wait_for_text("· 東京 翌日")  # 18:00 in Aguascalientes is the next morning

        katrin = PagePerson(sandbox, client, 20012)  # Continental, German, Berlin
        await katrin.send("/profile")
        await katrin.wait_for_text("🕒 Zeitzone: Berlin (Europe/Berlin)")
