"""Capability profiles: what a member organization can make (processes), the certifications
it holds, a description, its monthly capacity and its city; the fixed catalogues; telling the
organization's other members about a change; inviting suppliers without a profile."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from aiosqlite import Connection

from storage.audience import Recipient
from storage.database import Database
from storage.models import from_db_time, to_db_time

TextField = Literal["description", "monthly_capacity", "city"]
_TEXT_FIELDS = frozenset({"description", "monthly_capacity", "city"})

# Who a notice can reach, as in storage.audience: active, has not blocked the bot, has not
# turned notifications off, has a private chat.
REACHABLE = (
    "m.status = 'active' AND m.unreachable_since IS NULL AND m.notifications_enabled = 1"
    " AND m.chat_id IS NOT NULL"
)
NOT_MUTED = "NOT EXISTS (SELECT 1 FROM sourcing_mutes sm WHERE sm.member_id = m.id)"


@dataclass(frozen=True)
class CatalogueItem:
    """A process or a certification; people read its name translated by code."""

    id: int
    code: str
    name: str  # English, for analysts and for codes a newer migration added


@dataclass(frozen=True)
class Profile:
    organization_id: int
    organization: str
    sector: str
    description: str | None
    monthly_capacity: str | None
    city: str | None
    updated_at: datetime
    updated_by: str | None  # the member's name, None once they deleted their data
    processes: tuple[str, ...]  # codes, in catalogue order
    certifications: tuple[str, ...]


def codes(text: str | None) -> tuple[str, ...]:
    """Codes from a comma-joined list (codes hold no commas)."""
    return tuple(text.split(",")) if text else ()


# The codes of a profile's processes and certifications, in catalogue order.
PROFILE_CODES = (
    "(SELECT group_concat(code, ',') FROM (SELECT sp.code FROM capability_processes cp"
    " JOIN supplier_processes sp ON sp.id = cp.process_id"
    " WHERE cp.organization_id = {org} ORDER BY sp.position)) AS processes,"
    " (SELECT group_concat(code, ',') FROM (SELECT sc.code FROM capability_certifications cc"
    " JOIN supplier_certifications sc ON sc.id = cc.certification_id"
    " WHERE cc.organization_id = {org} ORDER BY sc.position)) AS certifications"
)


class CapabilityRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- the catalogues ------------------------------------------------------------

    async def processes(self) -> list[CatalogueItem]:
        rows = await self.db.fetchall(
            "SELECT id, code, name FROM supplier_processes ORDER BY position"
        )
        return [CatalogueItem(*r) for r in rows]

    async def certifications(self) -> list[CatalogueItem]:
        rows = await self.db.fetchall(
            "SELECT id, code, name FROM supplier_certifications ORDER BY position"
        )
        return [CatalogueItem(*r) for r in rows]

    # --- a profile -----------------------------------------------------------------

    async def profile(self, organization_id: int) -> Profile | None:
        row = await self.db.fetchone(
            "SELECT p.organization_id, o.name, o.sector, p.description, p.monthly_capacity,"
            " p.city, p.updated_at, m.full_name, "
            + PROFILE_CODES.format(org="p.organization_id")
            + " FROM capability_profiles p JOIN organizations o ON o.id = p.organization_id"
            " LEFT JOIN members m ON m.id = p.updated_by WHERE p.organization_id = ?",
            (organization_id,),
        )
        if row is None:
            return None
        return Profile(
            organization_id=int(row[0]),
            organization=str(row[1]),
            sector=str(row[2]),
            description=row[3],
            monthly_capacity=row[4],
            city=row[5],
            updated_at=from_db_time(row[6]),
            updated_by=row[7],
            processes=codes(row[8]),
            certifications=codes(row[9]),
        )

    @staticmethod
    async def _touch(conn: Connection, organization_id: int, member_id: int, now: str) -> None:
        """Create the profile if needed; it was changed now, by this member."""
        await conn.execute(
            "INSERT INTO capability_profiles (organization_id, created_at, updated_at, updated_by)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (organization_id) DO UPDATE"
            " SET updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            (organization_id, now, now, member_id),
        )

    @staticmethod
    async def _changed(conn: Connection, organization_id: int, what: str) -> None:
        """Remember what changed, for the colleagues' notice."""
        await conn.execute(
            "UPDATE capability_profiles SET changed_fields = (SELECT json_group_array(value)"
            " FROM (SELECT value FROM json_each(changed_fields) UNION SELECT ?))"
            " WHERE organization_id = ?",
            (what, organization_id),
        )

    async def toggle(
        self,
        kind: Literal["process", "certification"],
        organization_id: int,
        item_id: int,
        member_id: int,
        now: datetime,
    ) -> tuple[str, bool] | None:
        """Add or remove one process or certification: (its code, whether it is on now);
        None when the catalogue has no such item."""
        catalogue, table, column, what = (
            ("supplier_processes", "capability_processes", "process_id", "processes")
            if kind == "process"
            else (
                "supplier_certifications",
                "capability_certifications",
                "certification_id",
                "certifications",
            )
        )
        async with self.db.transaction() as conn:
            code = await self.db.fetchval(f"SELECT code FROM {catalogue} WHERE id = ?", (item_id,))
            if code is None:
                return None
            await self._touch(conn, organization_id, member_id, to_db_time(now))
            cursor = await conn.execute(
                f"DELETE FROM {table} WHERE organization_id = ? AND {column} = ?",
                (organization_id, item_id),
            )
            on = not cursor.rowcount
            if on:
                await conn.execute(
                    f"INSERT INTO {table} (organization_id, {column}) VALUES (?, ?)",
                    (organization_id, item_id),
                )
            await self._changed(conn, organization_id, what)
        return str(code), on

    async def set_text(
        self,
        organization_id: int,
        field: TextField,
        value: str | None,
        member_id: int,
        now: datetime,
    ) -> None:
        """The description, the monthly capacity or the city (None clears it)."""
        if field not in _TEXT_FIELDS:
            raise ValueError(f"not a profile text field: {field}")
        async with self.db.transaction() as conn:
            await self._touch(conn, organization_id, member_id, to_db_time(now))
            await conn.execute(
                f"UPDATE capability_profiles SET {field} = ? WHERE organization_id = ?",
                (value, organization_id),
            )
            await self._changed(conn, organization_id, field)

    # --- telling the colleagues ----------------------------------------------------

    async def take_changes(self, organization_id: int) -> tuple[list[str], int | None] | None:
        """What changed since the colleagues were last told, and by whom (the last editor);
        handed out once. None when nothing changed."""
        async with self.db.transaction() as conn:
            row = await self.db.fetchone(
                "SELECT changed_fields, updated_by FROM capability_profiles"
                " WHERE organization_id = ? AND changed_fields <> '[]'",
                (organization_id,),
            )
            if row is None:
                return None
            await conn.execute(
                "UPDATE capability_profiles SET changed_fields = '[]' WHERE organization_id = ?",
                (organization_id,),
            )
        return list(json.loads(row[0])), row[1]

    async def changed_before(self, moment: datetime) -> list[int]:
        """Organizations whose profile changed (colleagues not told) and has been quiet since
        `moment`: the editor left without tapping Done."""
        rows = await self.db.fetchall(
            "SELECT organization_id FROM capability_profiles"
            " WHERE changed_fields <> '[]' AND updated_at <= ? ORDER BY organization_id",
            (to_db_time(moment),),
        )
        return [int(r[0]) for r in rows]

    async def colleagues(self, organization_id: int, except_member: int | None) -> list[Recipient]:
        """The organization's members a notice reaches, but one."""
        rows = await self.db.fetchall(
            "SELECT m.id AS member_id, m.chat_id, m.language FROM members m"
            f" WHERE m.organization_id = ? AND m.id IS NOT ? AND {REACHABLE} ORDER BY m.id",
            (organization_id, except_member),
        )
        return [Recipient(**dict(r)) for r in rows]

    # --- suppliers without a profile ---------------------------------------------

    async def has_processes(self, organization_id: int) -> bool:
        """Can requests reach this organization (a profile with at least one process)?"""
        value = await self.db.fetchval(
            "SELECT 1 FROM capability_processes WHERE organization_id = ? LIMIT 1",
            (organization_id,),
        )
        return value is not None

    async def invite_missing(
        self, request_id: int, now: datetime, not_since: datetime
    ) -> list[Recipient]:
        """Supplier organizations with no process in a profile (other than the buyer's), not
        invited since `not_since`: they are invited now. Their members a notice reaches and
        who did not mute sourcing are returned, to be sent the invitation."""
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            rows = list(
                await conn.execute_fetchall(
                    "INSERT INTO capability_invitations (organization_id, invited_at)"
                    " SELECT o.id, ? FROM organizations o"
                    " WHERE o.sector = 'supplier' AND o.confirmed = 1"
                    " AND o.id IS NOT (SELECT organization_id FROM sourcing_requests WHERE id = ?)"
                    " AND NOT EXISTS (SELECT 1 FROM capability_processes cp"
                    " WHERE cp.organization_id = o.id)"
                    " AND NOT EXISTS (SELECT 1 FROM capability_invitations ci"
                    " WHERE ci.organization_id = o.id AND ci.invited_at > ?)"
                    f" AND EXISTS (SELECT 1 FROM members m WHERE m.organization_id = o.id"
                    f" AND {REACHABLE} AND {NOT_MUTED})"
                    " ORDER BY o.id"
                    " ON CONFLICT (organization_id) DO UPDATE SET invited_at = excluded.invited_at"
                    " RETURNING organization_id",
                    (stamp, request_id, to_db_time(not_since)),
                )
            )
            invited = [int(r[0]) for r in rows]
            if not invited:
                return []
            marks = ",".join("?" for _ in invited)
            people = await self.db.fetchall(
                "SELECT m.id AS member_id, m.chat_id, m.language FROM members m"
                f" WHERE m.organization_id IN ({marks}) AND {REACHABLE} AND {NOT_MUTED}"
                " ORDER BY m.id",
                invited,
            )
        return [Recipient(**dict(r)) for r in people]

    # --- muting -------------------------------------------------------------------

    async def sourcing_muted(self, member_id: int) -> bool:
        value = await self.db.fetchval(
            "SELECT 1 FROM sourcing_mutes WHERE member_id = ?", (member_id,)
        )
        return value is not None

    async def set_sourcing_muted(self, member_id: int, muted: bool, now: datetime) -> None:
        if muted:
            await self.db.execute(
                "INSERT OR IGNORE INTO sourcing_mutes (member_id, muted_at) VALUES (?, ?)",
                (member_id, to_db_time(now)),
            )
        else:
            await self.db.execute("DELETE FROM sourcing_mutes WHERE member_id = ?", (member_id,))
