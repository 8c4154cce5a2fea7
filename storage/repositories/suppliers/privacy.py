"""A member's personal data in supplier development, for /mydata and /forget.

Kept: the requests they made as a buyer, the answers they gave for their organization (with a
note and a consent), whether they muted sourcing requests. On /forget the texts a buyer wrote
go (the request's steps and figures stay for the cluster's reports, open or pending requests
are withdrawn), notes and consents go (their organization's answer still counts), copies of
requests shown in their chat as a coordinator are forgotten; the rest cascades with the
member row.
"""

from __future__ import annotations

from aiosqlite import Connection

from storage.database import Database


class SupplierPersonalData:
    """The `sourcing` part of /mydata; see storage.personal_data."""

    name = "sourcing"

    async def export(self, db: Database, member_id: int) -> object:
        requests = await db.fetchall(
            "SELECT id AS number, title, description, volume, deadline_at, anonymous, status,"
            " requested_at, rejection_reason, closed_at FROM sourcing_requests"
            " WHERE buyer_id = ? ORDER BY id",
            (member_id,),
        )
        answers = await db.fetchall(
            "SELECT a.request_id AS request, r.title AS request_title, o.name AS organization,"
            " a.answer, a.note, a.consent_at, a.consent_declined_at, a.introduced_at,"
            " a.answered_at FROM sourcing_answers a"
            " JOIN organizations o ON o.id = a.organization_id"
            " JOIN sourcing_requests r ON r.id = a.request_id"
            " WHERE a.member_id = ? ORDER BY a.id",
            (member_id,),
        )
        muted = await db.fetchval(
            "SELECT muted_at FROM sourcing_mutes WHERE member_id = ?", (member_id,)
        )
        edited = await db.fetchall(
            "SELECT o.name AS organization, p.updated_at FROM capability_profiles p"
            " JOIN organizations o ON o.id = p.organization_id WHERE p.updated_by = ?"
            " ORDER BY o.name",
            (member_id,),
        )
        return {
            "requests_you_made": [dict(r) for r in requests],
            "answers_you_gave": [dict(r) for r in answers],
            "requests_muted_since": muted,
            "capability_profiles_you_changed_last": [dict(r) for r in edited],
        }

    async def erase(self, conn: Connection, member_id: int, stamp: str) -> None:
        await conn.execute(
            "UPDATE sourcing_requests SET title = NULL, description = NULL, volume = NULL,"
            " rejection_reason = NULL, shortlist_chat_id = NULL, shortlist_message_id = NULL,"
            " closed_at = CASE WHEN status IN ('pending', 'open') THEN ? ELSE closed_at END,"
            " closed_reason = CASE WHEN status IN ('pending', 'open') THEN 'withdrawn'"
            " ELSE closed_reason END,"
            " status = CASE WHEN status IN ('pending', 'open') THEN 'closed' ELSE status END"
            " WHERE buyer_id = ?",
            (stamp, member_id),
        )
        await conn.execute(
            "UPDATE sourcing_answers SET note = NULL, consent_at = NULL WHERE member_id = ?",
            (member_id,),
        )
        await conn.execute(
            "DELETE FROM sourcing_request_notices WHERE chat_id IN"
            " (SELECT chat_id FROM members WHERE id = ? AND chat_id IS NOT NULL"
            " UNION SELECT telegram_user_id FROM members WHERE id = ?)",
            (member_id, member_id),
        )
