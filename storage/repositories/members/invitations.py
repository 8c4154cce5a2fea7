"""Invitation codes per organization: whoever arrives with one is active at once."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from storage.database import Database
from storage.models import from_db_time, to_db_time

VALIDITY = timedelta(days=90)


class Invitation(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    code: str
    organization_id: int
    organization_name: str
    expires_at: str | None
    uses: int


class InvitationRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self, organization_id: int, created_by: int | None, now: datetime
    ) -> Invitation:
        code = secrets.token_urlsafe(12)  # 16 characters of A-Za-z0-9_-
        await self.db.execute(
            "INSERT INTO invitations (code, organization_id, created_by, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (code, organization_id, created_by, to_db_time(now), to_db_time(now + VALIDITY)),
        )
        invitation = await self.by_code(code)
        assert invitation is not None
        return invitation

    async def by_code(self, code: str) -> Invitation | None:
        row = await self.db.fetchone(
            "SELECT i.id, i.code, i.organization_id, o.name AS organization_name, i.expires_at,"
            " i.uses FROM invitations i JOIN organizations o ON o.id = i.organization_id"
            " WHERE i.code = ? AND i.revoked_at IS NULL",
            (code,),
        )
        return Invitation(**dict(row)) if row else None

    async def valid(self, code: str, now: datetime) -> Invitation | None:
        """The invitation if it exists, is not revoked and has not expired."""
        invitation = await self.by_code(code)
        if invitation is None:
            return None
        if invitation.expires_at and from_db_time(invitation.expires_at) <= now:
            return None
        return invitation
