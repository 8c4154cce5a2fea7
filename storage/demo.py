"""A living demo for the sandbox: members, working groups, events, a survey, a broadcast,
suppliers' capability profiles and sourcing requests (one open, one waiting for approval).

Times are relative to `now`, so the demo always has upcoming events.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from storage import demo_history
from storage.database import Database
from storage.models import to_db_time


@dataclass(frozen=True)
class DemoPerson:
    telegram_id: int
    first_name: str
    last_name: str
    language: str
    organization: str
    job_title: str
    role: str  # member / coordinator / admin
    status: str
    axes: tuple[str, ...]
    time_zone: str | None = None  # their own zone, shown next to Aguascalientes time


PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson(
        20001,
        "Laura",
        "Méndez",
        "es",
        "SEDEC",
        "Coordinadora general",
        "admin",
        "active",
        ("innovation", "talent", "leadership", "globalization"),
    ),
    DemoPerson(
        20002,
        "Carlos",
        "Ruiz",
        "es",
        "Continental",
        "Líder del eje Innovación",
        "coordinator",
        "active",
        ("innovation",),
    ),
    DemoPerson(
        20003,
        "Ana",
        "López",
        "es",
        "Nissan Mexicana",
        "Ingeniera de calidad",
        "member",
        "active",
        ("innovation", "talent"),
    ),
    DemoPerson(
        20004,
        "Jürgen",
        "Weber",
        "en",
        "Continental",
        "Plant manager",
        "member",
        "active",
        ("globalization", "leadership"),
    ),
    DemoPerson(
        20005,
        "Sofía",
        "Hernández",
        "es",
        "Universidad Panamericana",
        "Coordinadora de vinculación",
        "member",
        "active",
        ("talent", "leadership"),
    ),
    DemoPerson(
        20006,
        "Miguel",
        "Torres",
        "es",
        "Mextamp",
        "Gerente de planta",
        "member",
        "pending",
        ("innovation",),
    ),
    DemoPerson(
        20007,
        "Valeria",
        "Castro",
        "es",
        "Flex",
        "Especialista en automatización",
        "member",
        "active",
        ("innovation",),
    ),
    DemoPerson(
        20008,
        "Ricardo",
        "Salas",
        "es",
        "Marelli",
        "Jefe de recursos humanos",
        "member",
        "active",
        ("talent",),
    ),
    DemoPerson(
        20009,
        "Kenji",
        "Sato",
        "en",
        "Nissan Mexicana",
        "Supply chain director",
        "member",
        "active",
        ("globalization",),
    ),
    DemoPerson(
        20010,
        "Fernanda",
        "Ibarra",
        "es",
        "Tecnológico de Monterrey",
        "Investigadora",
        "member",
        "active",
        ("innovation", "leadership"),
    ),
    DemoPerson(
        20011,
        "Haruka",
        "Tanaka",
        "ja",
        "Nissan Mexicana",
        "購買部 マネージャー",
        "member",
        "active",
        ("globalization", "innovation"),
        "Asia/Tokyo",  # follows the axes' work online from Yokohama
    ),
    DemoPerson(
        20012,
        "Katrin",
        "Vogel",
        "de",
        "Continental",
        "Leiterin Qualitätsmanagement",
        "member",
        "active",
        ("talent", "globalization"),
        "Europe/Berlin",
    ),
    DemoPerson(
        20013,
        "Diego",
        "Navarro",
        "es",
        "AP Controles",
        "Director comercial",
        "member",
        "active",
        ("innovation", "globalization"),
    ),
    DemoPerson(
        20014,
        "Lucía",
        "Ramírez",
        "es",
        "Telas Laprotex",
        "Gerente de ventas automotrices",
        "member",
        "active",
        ("globalization",),
    ),
)
ADMIN_ID = 20001
COORDINATOR_AXIS = "innovation"  # Carlos coordinates only Innovation


async def seed(db: Database, now: datetime, community_chat_id: int, topics: dict[str, int]) -> None:
    """Fill an empty, migrated database with the demo."""
    stamp = to_db_time(now)
    async with db.transaction() as conn:
        axes = {r[1]: r[0] for r in await db.fetchall("SELECT id, code FROM axes")}
        orgs = {r[1]: r[0] for r in await db.fetchall("SELECT id, name FROM organizations")}
        ids: dict[int, int] = {}
        for p in PEOPLE:
            cursor = await conn.execute(
                "INSERT INTO members (telegram_user_id, chat_id, full_name, organization_id,"
                " job_title, email, language, time_zone, role, status, consent_version,"
                " consent_at, applied_at, decided_at, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-11', ?, ?, ?, ?, ?)",
                (
                    p.telegram_id,
                    p.telegram_id,
                    f"{p.first_name} {p.last_name}",
                    orgs[p.organization],
                    p.job_title,
                    f"{p.first_name.lower()}.{p.last_name.lower()}@example.mx".replace("ü", "u")
                    .replace("í", "i")
                    .replace("é", "e")
                    .replace("á", "a"),
                    p.language,
                    p.time_zone,
                    p.role,
                    p.status,
                    stamp,
                    stamp,
                    stamp if p.status == "active" else None,
                    stamp,
                    stamp,
                ),
            )
            ids[p.telegram_id] = int(cursor.lastrowid or 0)
            await conn.executemany(
                "INSERT INTO member_axes (member_id, axis_id) VALUES (?, ?)",
                [(ids[p.telegram_id], axes[a]) for a in p.axes],
            )
        await conn.execute(
            "INSERT INTO coordinator_axes (member_id, axis_id) VALUES (?, ?)",
            (ids[20002], axes[COORDINATOR_AXIS]),
        )
        for code, thread in topics.items():
            await conn.execute(
                "INSERT INTO community_topics (axis_id, chat_id, message_thread_id, bound_at)"
                " VALUES (?, ?, ?, ?)",
                (axes[code], community_chat_id, thread, stamp),
            )

        groups = {}
        for name, axis, members in (
            ("Electromovilidad", "innovation", (20003, 20007, 20010)),
            ("Talento dual", "talent", (20005, 20008)),
            ("Exportación a Asia", "globalization", (20004, 20009, 20011, 20012)),
        ):
            cursor = await conn.execute(
                "INSERT INTO working_groups (axis_id, name, description, created_by, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    axes[axis],
                    name,
                    f"Grupo de trabajo del eje, coordinado por CLIA: {name}.",
                    ids[ADMIN_ID],
                    stamp,
                ),
            )
            groups[name] = int(cursor.lastrowid or 0)
            await conn.executemany(
                "INSERT INTO working_group_members (group_id, member_id, joined_at)"
                " VALUES (?, ?, ?)",
                [(groups[name], ids[m], stamp) for m in members],
            )

        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        events = (
            (
                "event",
                "innovation",
                None,
                "Foro de Innovación Automotriz 2026",
                "Casos de éxito de manufactura inteligente en Aguascalientes.",
                3,
                16,
                3,
                "Universidad Panamericana, Aguascalientes",
                None,
                120,
            ),
            (
                "event",
                "talent",
                None,
                "Feria de Talento Dual",
                "Empresas y universidades presentan sus programas de formación dual.",
                6,
                15,
                4,
                "Tecnológico de Monterrey, campus Aguascalientes",
                None,
                None,
            ),
            (
                "event",
                "leadership",
                None,
                "Taller de Liderazgo Consciente",
                "Un taller práctico para gerentes y mandos medios.",
                9,
                17,
                2,
                None,
                "https://meet.example.org/liderazgo",
                30,
            ),
            (
                "event",
                "globalization",
                None,
                "Webinar: Exportar a Japón",
                "Requisitos y oportunidades para proveedores Tier-2.",
                12,
                18,
                1,
                None,
                "https://meet.example.org/japon",
                None,
            ),
            (
                "meeting",
                "innovation",
                "Electromovilidad",
                "Reunión del grupo Electromovilidad",
                "Avance del diagnóstico de proveedores de componentes eléctricos.",
                4,
                14,
                1,
                "Sala de juntas CLIA",
                None,
                None,
            ),
        )
        event_ids = []
        for kind, axis, group, title, text, days, hour, hours, place, url, capacity in events:
            starts = day + timedelta(days=days, hours=hour + 6)  # local hour → UTC (UTC-6)
            cursor = await conn.execute(
                "INSERT INTO events (kind, axis_id, group_id, title, description, starts_at,"
                " ends_at, place, online_url, capacity, status, checkin_token, created_by,"
                " created_at, updated_at, published_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'published', ?, ?, ?, ?, ?)",
                (
                    kind,
                    axes[axis],
                    groups.get(group or ""),
                    title,
                    text,
                    to_db_time(starts),
                    to_db_time(starts + timedelta(hours=hours)),
                    place,
                    url,
                    capacity,
                    secrets.token_urlsafe(12),
                    ids[20002],
                    stamp,
                    stamp,
                    stamp,
                ),
            )
            event_ids.append(int(cursor.lastrowid or 0))
        for event, member, answer in (
            (0, 20003, "going"),
            (0, 20007, "going"),
            (0, 20010, "maybe"),
            (0, 20004, "declined"),
            (0, 20012, "maybe"),
            (3, 20011, "going"),  # the webinar on exporting to Japan
        ):
            await conn.execute(
                "INSERT INTO rsvps (event_id, member_id, answer, answered_at) VALUES (?, ?, ?, ?)",
                (event_ids[event], ids[member], answer, stamp),
            )

        cursor = await conn.execute(
            "INSERT INTO surveys (title, intro, anonymous, audience, status, opened_at, closes_at,"
            " created_by, created_at) VALUES (?, ?, 0, ?, 'open', ?, ?, ?, ?)",
            (
                "Pulso de innovación 2026",
                "Tres preguntas rápidas sobre la adopción de tecnología en tu organización.",
                json.dumps({"kind": "everyone"}),
                stamp,
                to_db_time(now + timedelta(days=10)),
                ids[ADMIN_ID],
                stamp,
            ),
        )
        survey = int(cursor.lastrowid or 0)
        questions = []
        for position, (kind, text, low, high) in enumerate(
            (
                ("scale", "¿Qué tan avanzada está la digitalización de tu planta?", 1, 5),
                ("single", "¿Cuál es tu prioridad para 2027?", None, None),
                ("text", "¿Qué apoyo esperas del clúster?", None, None),
            ),
            start=1,
        ):
            cursor = await conn.execute(
                "INSERT INTO survey_questions (survey_id, position, kind, text, required,"
                " min_value, max_value, max_length) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    survey,
                    position,
                    kind,
                    text,
                    int(kind != "text"),
                    low,
                    high,
                    500 if kind == "text" else None,
                ),
            )
            questions.append(int(cursor.lastrowid or 0))
        options = []
        for position, (code, label) in enumerate(
            (("auto", "Automatización"), ("talent", "Talento"), ("export", "Exportación")), start=1
        ):
            cursor = await conn.execute(
                "INSERT INTO survey_options (question_id, position, code, label)"
                " VALUES (?, ?, ?, ?)",
                (questions[1], position, code, label),
            )
            options.append(int(cursor.lastrowid or 0))
        for telegram_id in (p.telegram_id for p in PEOPLE if p.status == "active"):
            await conn.execute(
                "INSERT INTO survey_participation (survey_id, member_id, invited_at)"
                " VALUES (?, ?, ?)",
                (survey, ids[telegram_id], stamp),
            )
        answers: tuple[tuple[int, int, int, str | None], ...] = (
            (20004, 4, 2, "More contacts with Japanese buyers."),
            (20005, 3, 1, "Vinculación con empresas para prácticas."),
            (20007, 5, 0, None),
        )
        for telegram_id, scale, option, comment in answers:
            cursor = await conn.execute(
                "INSERT INTO survey_responses (survey_id, member_id, complete, submitted_on)"
                " VALUES (?, ?, 1, ?)",
                (survey, ids[telegram_id], stamp[:10]),
            )
            response = int(cursor.lastrowid or 0)
            await conn.execute(
                "INSERT INTO survey_answers (response_id, question_id, value_number)"
                " VALUES (?, ?, ?)",
                (response, questions[0], scale),
            )
            await conn.execute(
                "INSERT INTO survey_answers (response_id, question_id, option_id) VALUES (?, ?, ?)",
                (response, questions[1], options[option]),
            )
            if comment:
                await conn.execute(
                    "INSERT INTO survey_answers (response_id, question_id, value_text)"
                    " VALUES (?, ?, ?)",
                    (response, questions[2], comment),
                )
            await conn.execute(
                "UPDATE survey_participation SET started_at = ?, completed_on = ?"
                " WHERE survey_id = ? AND member_id = ?",
                (stamp, stamp[:10], survey, ids[telegram_id]),
            )

        past = to_db_time(now - timedelta(days=2))
        cursor = await conn.execute(
            "INSERT INTO broadcasts (kind, created_by, text, audience, status, created_at,"
            " started_at, finished_at) VALUES ('announcement', ?, ?, ?, 'done', ?, ?, ?)",
            (
                ids[ADMIN_ID],
                "<b>¡Bienvenidos al bot de CLIA!</b> Aquí recibirán eventos y encuestas"
                " de sus ejes.",
                json.dumps({"kind": "everyone"}),
                past,
                past,
                past,
            ),
        )
        broadcast = int(cursor.lastrowid or 0)
        await conn.executemany(
            "INSERT INTO deliveries (broadcast_id, member_id, chat_id, status, attempts,"
            " updated_at)"
            " VALUES (?, ?, ?, 'sent', 1, ?)",
            [
                (broadcast, ids[p.telegram_id], p.telegram_id, past)
                for p in PEOPLE
                if p.status == "active"
            ],
        )
        await _seed_suppliers(conn, now, orgs, ids)
        await demo_history.add(conn, now, ids)  # a year behind it, for the impact charts


# Capability profiles: organization, description, monthly capacity, city, processes, certificates;
# EDITORS: the demo person who last changed each.
EDITORS = {"AP Controles": 20013, "Telas Laprotex": 20014, "Mextamp": 20006, "Flex": 20007}
PROFILES = (
    (
        "AP Controles",
        "Tableros de control, integración de robots y PLC para líneas de ensamble.",
        "120 tableros al mes",
        "Aguascalientes",
        ("automation", "electronics", "maintenance"),
        ("iso9001",),
    ),
    (
        "Telas Laprotex",
        "Textiles técnicos y vestiduras para interiores automotrices.",
        "80,000 m² al mes",
        "Aguascalientes",
        ("textiles",),
        ("iso9001", "iatf16949"),
    ),
    (
        "Mextamp",
        "Estampado de lámina y troqueles progresivos.",
        "300 toneladas al mes",
        "Jesús María",
        ("stamping", "tooling", "welding"),
        ("iso9001", "iatf16949", "iso14001"),
    ),
    (
        "Flex",
        "Manufactura electrónica: SMT, ensamble final y pruebas.",
        "2 millones de PCBA al mes",
        "Aguascalientes",
        ("electronics", "assembly", "metrology"),
        ("iso9001", "iatf16949", "iso14001", "iso45001"),
    ),
)


async def _seed_suppliers(
    conn: Any, now: datetime, orgs: dict[str, int], ids: dict[int, int]
) -> None:
    """Profiles; Kenji's open request, which reached AP Controles (its notice waits in the
    outbox and goes out when the sandbox starts: try 💡 as Diego) and Flex (Valeria said she
    is interested: try the shortlist as Kenji, /sourcing); and Jürgen's anonymous request
    waiting for approval (try it as Carlos or Laura, /sourcing)."""
    stamp, past = to_db_time(now), to_db_time(now - timedelta(days=1))
    processes = {
        r[1]: r[0] for r in await conn.execute_fetchall("SELECT id, code FROM supplier_processes")
    }
    certificates = {
        r[1]: r[0]
        for r in await conn.execute_fetchall("SELECT id, code FROM supplier_certifications")
    }
    for name, description, capacity, city, done, held in PROFILES:
        await conn.execute(
            "INSERT INTO capability_profiles (organization_id, description, monthly_capacity,"
            " city, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (orgs[name], description, capacity, city, past, past, ids[EDITORS[name]]),
        )
        await conn.executemany(
            "INSERT INTO capability_processes (organization_id, process_id) VALUES (?, ?)",
            [(orgs[name], processes[code]) for code in done],
        )
        await conn.executemany(
            "INSERT INTO capability_certifications (organization_id, certification_id)"
            " VALUES (?, ?)",
            [(orgs[name], certificates[code]) for code in held],
        )
    requests = (
        (
            20009,
            "Nissan Mexicana",
            "Arneses y tableros de control para la línea de vehículos eléctricos",
            "Arnés de potencia y tablero de control para la celda de baterías; PPAP nivel 3 y"
            " entregas JIT a la planta A2.",
            "1,500 juegos al mes desde marzo",
            10,
            0,
            "open",
            ("harnesses", "electronics", "automation"),
            ("iso9001",),
        ),
        (
            20004,
            "Continental",
            "Textile covers for armrests",
            "Stitched textile covers for armrests, two colours; samples in six weeks.",
            "40,000 pieces a year",
            14,
            1,
            "pending",
            ("textiles",),
            ("iatf16949",),
        ),
    )
    for buyer, org, title, text, volume, days, anonymous, status, wanted, needed in requests:
        cursor = await conn.execute(
            "INSERT INTO sourcing_requests (buyer_id, organization_id, title, description, volume,"
            " deadline_at, anonymous, status, requested_at, decided_at, decided_by, announced_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ids[buyer],
                orgs[org],
                title,
                text,
                volume,
                to_db_time(now + timedelta(days=days)),
                anonymous,
                status,
                past if status == "open" else stamp,
                stamp if status == "open" else None,
                ids[ADMIN_ID] if status == "open" else None,
                stamp if status == "open" else None,
            ),
        )
        request = int(cursor.lastrowid or 0)
        await conn.executemany(
            "INSERT INTO sourcing_request_processes (request_id, process_id) VALUES (?, ?)",
            [(request, processes[code]) for code in wanted],
        )
        await conn.executemany(
            "INSERT INTO sourcing_request_certifications (request_id, certification_id)"
            " VALUES (?, ?)",
            [(request, certificates[code]) for code in needed],
        )
        if status != "open":
            continue
        await conn.executemany(
            "INSERT INTO sourcing_reached (request_id, organization_id, reached_at, via)"
            " VALUES (?, ?, ?, ?)",
            [
                (request, orgs["AP Controles"], stamp, "notice"),
                (request, orgs["Flex"], stamp, "list"),
            ],
        )
        await conn.execute(
            "INSERT INTO sourcing_answers (request_id, organization_id, member_id, answer, note,"
            " consent_at, answered_at) VALUES (?, ?, ?, 'interested', ?, ?, ?)",
            (
                request,
                orgs["Flex"],
                ids[20007],
                "Tenemos capacidad SMT disponible desde febrero; PPAP en seis semanas.",
                stamp,
                stamp,
            ),
        )
        # Its notice to AP Controles waits in the outbox: the sender delivers it at start-up.
        cursor = await conn.execute(
            "INSERT INTO broadcasts (kind, created_by, text, audience, dedup_key, status,"
            " created_at, started_at) VALUES ('sourcing_request', ?, ?, ?, ?, 'sending', ?, ?)",
            (
                ids[ADMIN_ID],
                json.dumps({"request": request}),
                json.dumps({"kind": "organizations"}),
                f"src:{request}",
                stamp,
                stamp,
            ),
        )
        await conn.execute(
            "INSERT INTO deliveries (broadcast_id, member_id, chat_id, updated_at)"
            " VALUES (?, ?, ?, ?)",
            (cursor.lastrowid, ids[20013], 20013, stamp),
        )


async def add_ready_member(
    db: Database, telegram_id: int, full_name: str, language: str, role: str, now: datetime
) -> None:
    """A person the sandbox page creates already signed up (member, coordinator or admin)."""
    stamp = to_db_time(now)
    async with db.transaction() as conn:
        organization = await db.fetchval("SELECT id FROM organizations WHERE name = 'Flex'")
        cursor = await conn.execute(
            "INSERT INTO members (telegram_user_id, chat_id, full_name, organization_id, job_title,"
            " email, language, role, status, consent_version, consent_at, applied_at, decided_at,"
            " created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', '2026-11', ?, ?, ?, ?, ?)",
            (
                telegram_id,
                telegram_id,
                full_name,
                organization,
                "Invitado del sandbox",
                f"sandbox{telegram_id}@example.mx",
                language,
                role,
                stamp,
                stamp,
                stamp,
                stamp,
                stamp,
            ),
        )
        await conn.execute(
            "INSERT INTO member_axes (member_id, axis_id) SELECT ?, id FROM axes",
            (cursor.lastrowid,),
        )
