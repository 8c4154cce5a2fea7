"""Rows for tests that need members, groups or events to exist already."""

from __future__ import annotations

from collections.abc import Iterable

from storage.database import Database

CONSENT_AT = "2026-11-01T12:00:00Z"


async def axis_id(db: Database, code: str) -> int:
    return int(await db.fetchval("SELECT id FROM axes WHERE code = ?", (code,)))


async def organization_id(db: Database, name: str) -> int:
    return int(await db.fetchval("SELECT id FROM organizations WHERE name = ?", (name,)))


async def add_member(
    db: Database,
    telegram_user_id: int,
    *,
    full_name: str = "Miembro Prueba",
    organization: str | None = "Flex",
    status: str = "active",
    role: str = "member",
    language: str | None = "es",
    axes: Iterable[str] = ("innovation",),
    muted: Iterable[str] = (),
    notifications: bool = True,
    unreachable: bool = False,
    email: str | None = None,
    job_title: str | None = "Ingeniera",
    time_zone: str | None = None,
) -> int:
    """An active member (by default) who follows Innovation, in their private chat."""
    org_id = await organization_id(db, organization) if organization else None
    consent = status not in ("prospect", "rejected", "left")
    member_id = await db.execute(
        "INSERT INTO members (telegram_user_id, chat_id, full_name, organization_id, job_title,"
        " email, language, role, status, unreachable_since, consent_version, consent_at,"
        " notifications_enabled, applied_at, time_zone)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            telegram_user_id,
            telegram_user_id,
            full_name,
            org_id,
            job_title,
            email or f"user{telegram_user_id}@example.mx",
            language,
            role,
            status,
            CONSENT_AT if unreachable else None,
            "1" if consent else None,
            CONSENT_AT if consent else None,
            int(notifications),
            CONSENT_AT if consent else None,
            time_zone,
        ),
    )
    muted_set = set(muted)
    for code in axes:
        await db.execute(
            "INSERT INTO member_axes (member_id, axis_id, muted) VALUES (?, ?, ?)",
            (member_id, await axis_id(db, code), int(code in muted_set)),
        )
    return member_id


async def add_group(db: Database, name: str, axis: str = "innovation") -> int:
    return await db.execute(
        "INSERT INTO working_groups (axis_id, name) VALUES (?, ?)", (await axis_id(db, axis), name)
    )


async def join_group(db: Database, group_id: int, member_id: int) -> None:
    await db.execute(
        "INSERT INTO working_group_members (group_id, member_id) VALUES (?, ?)",
        (group_id, member_id),
    )
