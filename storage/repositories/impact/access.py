"""/dashboard's access: one-time links (15 minutes, usable once) and the sessions they open.

Tokens are random (256 bits) and only their SHA-256 is stored, so a copy of the database opens
nothing. A link and its session carry the role and axes at issue time; the web pages check
them again against the member's current row on every request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.database import Database
from storage.models import to_db_time

LINK_LIFETIME = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=8)


@dataclass(frozen=True)
class Grant:
    """Who a session is for, and what it was issued for (axis ids; empty = every axis)."""

    member_id: int
    role: str
    axis_ids: frozenset[int]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _axes_text(axis_ids: frozenset[int]) -> str:
    return ",".join(str(a) for a in sorted(axis_ids))


def _axes_of(text: str) -> frozenset[int]:
    return frozenset(int(a) for a in text.split(",") if a)


class DashboardAccess:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def issue_link(self, grant: Grant, now: datetime) -> str:
        """A new one-time token for this person; their older unused links stop working."""
        token = secrets.token_urlsafe(32)
        async with self.db.transaction() as conn:
            await conn.execute(
                "DELETE FROM dashboard_links WHERE member_id = ? OR expires_at <= ?",
                (grant.member_id, to_db_time(now)),
            )
            await conn.execute(
                "INSERT INTO dashboard_links (token_hash, member_id, role, axes, created_at,"
                " expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    _hash(token),
                    grant.member_id,
                    grant.role,
                    _axes_text(grant.axis_ids),
                    to_db_time(now),
                    to_db_time(now + LINK_LIFETIME),
                ),
            )
        return token

    async def open_session(self, link_token: str, now: datetime) -> tuple[str, Grant] | None:
        """Spend a link: a new session token and its grant, or None when the link is unknown,
        expired or already used (in one transaction, so two clicks cannot both win)."""
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE dashboard_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL"
                " AND expires_at > ? RETURNING member_id, role, axes",
                (stamp, _hash(link_token), stamp),
            )
            row = await cursor.fetchone()
            if row is None:
                return None
            grant = Grant(int(row[0]), str(row[1]), _axes_of(str(row[2])))
            token = secrets.token_urlsafe(32)
            await conn.execute("DELETE FROM dashboard_sessions WHERE expires_at <= ?", (stamp,))
            await conn.execute(
                "INSERT INTO dashboard_sessions (token_hash, member_id, role, axes, created_at,"
                " expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    _hash(token),
                    grant.member_id,
                    grant.role,
                    _axes_text(grant.axis_ids),
                    stamp,
                    to_db_time(now + SESSION_LIFETIME),
                ),
            )
        return token, grant

    async def session(self, token: str, now: datetime) -> Grant | None:
        """The grant of a live session, None when unknown or expired."""
        row = await self.db.fetchone(
            "SELECT member_id, role, axes FROM dashboard_sessions"
            " WHERE token_hash = ? AND expires_at > ?",
            (_hash(token), to_db_time(now)),
        )
        if row is None:
            return None
        return Grant(int(row[0]), str(row[1]), _axes_of(str(row[2])))

    async def end_session(self, token: str) -> None:
        await self.db.execute(
            "DELETE FROM dashboard_sessions WHERE token_hash = ?", (_hash(token),)
        )

    async def end_sessions_of(self, member_id: int) -> None:
        """A person who lost the role: every session and link of theirs goes."""
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM dashboard_sessions WHERE member_id = ?", (member_id,))
            await conn.execute("DELETE FROM dashboard_links WHERE member_id = ?", (member_id,))
