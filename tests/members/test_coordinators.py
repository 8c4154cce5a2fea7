"""Coordinators' tools, and the refusals everyone else gets (checked at the moment of action)."""

from __future__ import annotations

import pytest

from tests.factories import add_member
from tests.harness import Harness


@pytest.fixture
async def people(harness: Harness) -> dict[str, int]:
    db = harness.db
    return {
        "coordinator": await add_member(db, 500, full_name="Carla", role="coordinator"),
        "member": await add_member(db, 501, full_name="Mario", axes=("talent",)),
        "applicant": await add_member(
            db, 502, full_name="Pedro Pendiente", status="pending", organization="SEDEC"
        ),
        "other": await add_member(
            db, 503, full_name="Olga", organization="Nissan Mexicana", axes=("globalization",)
        ),
    }


async def test_pending_lists_applications_with_buttons(
    harness: Harness, people: dict[str, int]
) -> None:
    replies = await harness.person(user_id=500).send("/pending")
    assert "Hay 1 solicitud en espera" in replies.text
    assert "Pedro Pendiente" in replies.last.text
    assert replies.last.button_labels == ["✅ Aprobar", "❌ Rechazar"]


async def test_members_list_with_filters(harness: Harness, people: dict[str, int]) -> None:
    carla = harness.person(user_id=500)
    replies = await carla.send("/members")
    assert "3 miembros" in replies.text  # active ones: Carla, Mario, Olga
    assert "• Mario — Ingeniera, Flex" in replies.text
    replies = await carla.tap("🌎 Globalización")
    assert "1 miembro " in replies.text and "Olga" in replies.text and "Mario" not in replies.text
    replies = await carla.tap("✓ 🌎 Globalización")
    assert "3 miembros" in replies.text
    replies = await carla.tap("Armadora (OEM)")
    assert "1 miembro " in replies.text and "Nissan Mexicana" in replies.text
    replies = await carla.send("/members sedec")
    assert "0 miembros" in replies.text and "organización: SEDEC" in replies.text
    replies = await carla.tap("en espera de aprobación")
    assert "1 miembro " in replies.text and "Pedro Pendiente" in replies.text


@pytest.mark.parametrize("user_id", [501, 502, 777])  # a member, an applicant, a stranger
@pytest.mark.parametrize("command", ["/pending", "/members", "/invite Flex"])
async def test_commands_refused_to_non_coordinators(
    harness: Harness, people: dict[str, int], user_id: int, command: str
) -> None:
    replies = await harness.person(user_id=user_id).send(command)
    assert len(replies.texts) == 1
    assert replies.texts[0] in ("⛔ Solo los coordinadores del clúster pueden hacer esto.",)
    assert await harness.db.fetchval("SELECT count(*) FROM invitations") == 0


async def test_buttons_are_checked_when_tapped_not_when_shown(
    harness: Harness, people: dict[str, int]
) -> None:
    mario = harness.person(user_id=501)
    await mario.send("/help")
    replies = await mario.tap_data(f"ap:{people['applicant']}:ok")
    assert replies.alerts == ["⛔ Solo los coordinadores del clúster pueden hacer esto."]
    assert (
        await harness.db.fetchval("SELECT status FROM members WHERE id = ?", (people["applicant"],))
        == "pending"
    )

    # A coordinator demoted after the buttons were shown can no longer use them.
    carla = harness.person(user_id=500)
    await carla.send("/pending")
    await harness.db.execute(
        "UPDATE members SET role = 'member' WHERE id = ?", (people["coordinator"],)
    )
    replies = await carla.tap("✅ Aprobar")
    assert replies.alerts == ["⛔ Solo los coordinadores del clúster pueden hacer esto."]
    assert (
        await harness.db.fetchval("SELECT status FROM members WHERE id = ?", (people["applicant"],))
        == "pending"
    )
    assert await harness.db.fetchval("SELECT count(*) FROM audit_log") == 0


async def test_invite_needs_a_known_organization(harness: Harness, people: dict[str, int]) -> None:
    carla = harness.person(user_id=500)
    assert "/invite Continental" in (await carla.send("/invite")).text
    assert "Ninguna organización coincide con «Acme»" in (await carla.send("/invite Acme")).text
    replies = await carla.send(
        "/invite Te"
    )  # Telas Laprotex, Tecnológico de Monterrey, Continental…
    assert "¿A qué organización te refieres?" in replies.text
    replies = await carla.tap("Telas Laprotex")
    assert replies.last.method == "sendPhoto" and "Telas Laprotex" in replies.last.text
    assert (
        await harness.db.fetchval(
            "SELECT count(*) FROM audit_log WHERE action = 'invitation_created'"
        )
        == 1
    )


async def test_coordinators_get_their_commands_in_their_menu(
    harness: Harness, people: dict[str, int]
) -> None:
    await harness.restart()
    assert "pending" in harness.api.menu("chat", 500)
    assert "pending" in harness.api.menu("chat", 900)  # ADMIN_IDS, even before signing up
    help_text = (await harness.person(user_id=500).send("/help")).text
    assert "Para coordinadores" in help_text and "/invite" in help_text
