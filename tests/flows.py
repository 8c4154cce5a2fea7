"""Conversations several tests walk through, as a person would."""

from __future__ import annotations

from tests.harness import Person


async def sign_up_until_summary(ana: Person) -> None:
    """The whole form with good answers, up to the summary (not confirmed)."""
    await ana.send("/start")
    await ana.tap("✓ Español")
    await ana.tap("✅ Acepto")
    await ana.tap("✅ Ana López")
    await ana.tap("Continental")
    await ana.send("Ingeniera de Calidad")
    await ana.send("ana.lopez@Continental.com")
    await ana.share_contact("+52 449 123 4567")
    await ana.tap("💡 Innovación")
    await ana.tap("🎓 Talento")
    await ana.tap("Continuar ▶️")
