"""The people and organizations the supplier-development tests share, and walking a request
through the form as a buyer would."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from storage.database import Database
from tests.factories import add_member, axis_id, organization_id
from tests.harness import Harness, Person

BUYER, GLOBAL_COORD, DIEGO, LUCIA, ROSA, FRIO, TALENT_COORD, LUCIA_COLLEAGUE = (
    3001,
    3002,
    3003,
    3004,
    3005,
    3006,
    3007,
    3008,
)
ADMIN = 900  # in ADMIN_IDS, without a member row


@dataclass
class Scene:
    kenji: Person  # buyer, Nissan Mexicana
    gloria: Person  # coordinator of Globalization (decides)
    diego: Person  # AP Controles: automation, electronics; ISO 9001
    lucia: Person  # Telas Laprotex: textiles; ISO 9001, IATF 16949
    rosa: Person  # Mextamp: stamping, tooling; ISO 9001, IATF 16949
    frida: Person  # Frío Express: a supplier without a profile
    tere: Person  # coordinator of Talent only (does not decide)
    admin: Person
    ids: dict[int, int]  # Telegram id → member id


async def add_profile(
    db: Database,
    organization: str,
    processes: Iterable[str],
    certifications: Iterable[str] = (),
    *,
    description: str | None = None,
    city: str | None = "Aguascalientes",
) -> int:
    org = await organization_id(db, organization)
    await db.execute(
        "INSERT INTO capability_profiles (organization_id, description, monthly_capacity, city,"
        " created_at, updated_at) VALUES (?, ?, '10 t', ?, '2026-11-01T00:00:00Z',"
        " '2026-11-01T00:00:00Z')",
        (org, description, city),
    )
    for code in processes:
        await db.execute(
            "INSERT INTO capability_processes (organization_id, process_id)"
            " SELECT ?, id FROM supplier_processes WHERE code = ?",
            (org, code),
        )
    for code in certifications:
        await db.execute(
            "INSERT INTO capability_certifications (organization_id, certification_id)"
            " SELECT ?, id FROM supplier_certifications WHERE code = ?",
            (org, code),
        )
    return org


async def scene(harness: Harness) -> Scene:
    db = harness.db
    ids = {
        BUYER: await add_member(
            db,
            BUYER,
            full_name="Kenji Sato",
            organization="Nissan Mexicana",
            email="kenji@nissan.mx",
        ),
        GLOBAL_COORD: await add_member(
            db, GLOBAL_COORD, full_name="Gloria Ríos", organization="SEDEC", role="coordinator"
        ),
        DIEGO: await add_member(
            db, DIEGO, full_name="Diego Navarro", organization="AP Controles", email="diego@ap.mx"
        ),
        LUCIA: await add_member(
            db, LUCIA, full_name="Lucía Ramírez", organization="Telas Laprotex", email="lucia@tl.mx"
        ),
        ROSA: await add_member(
            db, ROSA, full_name="Rosa Medina", organization="Mextamp", email="rosa@mextamp.mx"
        ),
        FRIO: await add_member(
            db, FRIO, full_name="Frida Olvera", organization="Frío Express", email="frida@fe.mx"
        ),
        TALENT_COORD: await add_member(
            db, TALENT_COORD, full_name="Tere Talento", organization="SEDEC", role="coordinator"
        ),
    }
    for member, axis in ((ids[GLOBAL_COORD], "globalization"), (ids[TALENT_COORD], "talent")):
        await db.execute(
            "INSERT INTO coordinator_axes (member_id, axis_id) VALUES (?, ?)",
            (member, await axis_id(db, axis)),
        )
    await add_profile(db, "AP Controles", ("automation", "electronics"), ("iso9001",))
    await add_profile(
        db,
        "Telas Laprotex",
        ("textiles",),
        ("iso9001", "iatf16949"),
        description="Telas Laprotex: vestiduras automotrices desde 1998.",
    )
    await add_profile(db, "Mextamp", ("stamping", "tooling"), ("iso9001", "iatf16949"))
    return Scene(
        kenji=harness.person(BUYER, "Kenji"),
        gloria=harness.person(GLOBAL_COORD, "Gloria"),
        diego=harness.person(DIEGO, "Diego"),
        lucia=harness.person(LUCIA, "Lucía"),
        rosa=harness.person(ROSA, "Rosa"),
        frida=harness.person(FRIO, "Frida"),
        tere=harness.person(TALENT_COORD, "Tere"),
        admin=harness.person(ADMIN, "Admin"),
        ids=ids,
    )


async def create_request(
    buyer: Person,
    *,
    title: str = "Vestiduras y soportes para modelo 2027",
    processes: Iterable[str] = ("Textiles y vestiduras", "Estampado"),
    certifications: Iterable[str] = ("IATF 16949",),
    description: str = "Fundas de asiento y soportes estampados, PPAP nivel 3.",
    volume: str | None = "20,000 juegos al año",
    deadline: str = "15/12/2026 18:00",
    anonymous: bool = False,
) -> int:
    """Walk the form as the buyer; the new request's number."""
    await buyer.send("/sourcing")
    await buyer.tap("➕ Nueva solicitud")
    await buyer.send(title)
    for label in processes:
        await buyer.tap(label)
    await buyer.tap("Continuar ▶️")
    for label in certifications:
        await buyer.tap(label)
    await buyer.tap("Continuar ▶️")
    await buyer.send(description)
    if volume is None:
        await buyer.tap("Omitir ⏭")
    else:
        await buyer.send(volume)
    await buyer.send(deadline)
    await buyer.tap(
        "🕶 Mantenernos anónimos por ahora" if anonymous else "🏢 Mostrar Nissan Mexicana"
    )
    replies = await buyer.tap("📨 Enviar a aprobación")
    match = re.search(r"La solicitud #(\d+) se envió a aprobación", replies.text)
    assert match, replies.texts
    return int(match.group(1))


async def approved_request(harness: Harness, s: Scene, **kwargs: object) -> int:
    """A request made by Kenji and approved by Gloria, its notices sent."""
    number = await create_request(s.kenji, **kwargs)  # type: ignore[arg-type]
    await s.gloria.tap("✅ Aprobar")
    await harness.drain()
    return number


def notice_of(person: Person, number: int) -> dict[str, object]:
    """The sourcing notice of request `number` in a person's chat (with its buttons or not)."""
    for message in reversed(person.inbox()):
        text = str(message.get("text", ""))
        if f"solicitud #{number}" in text and "Un comprador del clúster busca" in text:
            return message
    raise AssertionError(f"no notice of request {number} for {person.id}")
