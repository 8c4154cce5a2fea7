"""Sourcing requests: a buyer's need, its approval or rejection, the organizations it reached
(matched by their capability profiles in one statement), what each organization sees, and its
closing at the deadline or by the buyer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from storage.audience import Recipient
from storage.database import Database
from storage.database import Row as DbRow
from storage.models import Row, from_db_time, to_db_time
from storage.repositories.suppliers.capabilities import NOT_MUTED, REACHABLE, codes

Status = Literal["pending", "open", "rejected", "expired", "closed"]

# An organization's profile matches a request when it holds every certification the request
# requires and at least one of the processes it wants. {org} and {req} name the columns.
MATCHES = (
    "EXISTS (SELECT 1 FROM sourcing_request_processes rp JOIN capability_processes cp"
    " ON cp.process_id = rp.process_id AND cp.organization_id = {org}"
    " WHERE rp.request_id = {req})"
    " AND NOT EXISTS (SELECT 1 FROM sourcing_request_certifications rc"
    " WHERE rc.request_id = {req} AND NOT EXISTS (SELECT 1 FROM capability_certifications cc"
    " WHERE cc.organization_id = {org} AND cc.certification_id = rc.certification_id))"
)


@dataclass(frozen=True)
class NewRequest:
    title: str
    process_ids: tuple[int, ...]
    certification_ids: tuple[int, ...]
    description: str
    volume: str | None
    deadline_at: datetime
    anonymous: bool


class Request(Row):
    id: int
    buyer_id: int | None
    organization_id: int | None
    organization: str | None  # the buyer's organization
    title: str | None  # None once the buyer deleted their data
    description: str | None
    volume: str | None
    deadline_at: datetime
    anonymous: bool
    revealed_at: datetime | None
    status: Status
    requested_at: datetime
    decided_at: datetime | None
    rejection_reason: str | None
    closed_at: datetime | None
    closed_reason: str | None
    shortlist_chat_id: int | None
    shortlist_message_id: int | None
    processes: tuple[str, ...]  # codes, in catalogue order
    certifications: tuple[str, ...]

    @property
    def buyer_shown(self) -> bool:
        """Suppliers may see the buyer's organization."""
        return not self.anonymous or self.revealed_at is not None

    def takes_answers(self, now: datetime) -> bool:
        return self.status == "open" and self.deadline_at > now


@dataclass(frozen=True)
class Figures:
    """How far a request went (v_sourcing_requests)."""

    sent: int
    reached: int
    interested: int
    declined: int
    introductions: int


_SELECT = (
    "SELECT r.id, r.buyer_id, r.organization_id, o.name AS organization, r.title,"
    " r.description, r.volume, r.deadline_at, r.anonymous, r.revealed_at, r.status,"
    " r.requested_at, r.decided_at, r.rejection_reason, r.closed_at, r.closed_reason,"
    " r.shortlist_chat_id, r.shortlist_message_id,"
    " (SELECT group_concat(code, ',') FROM (SELECT sp.code FROM sourcing_request_processes rp"
    " JOIN supplier_processes sp ON sp.id = rp.process_id WHERE rp.request_id = r.id"
    " ORDER BY sp.position)) AS processes,"
    " (SELECT group_concat(code, ',') FROM (SELECT sc.code"
    " FROM sourcing_request_certifications rc"
    " JOIN supplier_certifications sc ON sc.id = rc.certification_id"
    " WHERE rc.request_id = r.id ORDER BY sc.position)) AS certifications"
    " FROM sourcing_requests r LEFT JOIN organizations o ON o.id = r.organization_id"
)


def _request(row: DbRow) -> Request:
    data = dict(row)
    data["processes"] = codes(data["processes"])
    data["certifications"] = codes(data["certifications"])
    return Request(**data)


class SourcingRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- a request -----------------------------------------------------------------

    async def create(
        self, new: NewRequest, buyer_id: int, organization_id: int | None, now: datetime
    ) -> int:
        """Store a request waiting for approval; its number."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO sourcing_requests (buyer_id, organization_id, title, description,"
                " volume, deadline_at, anonymous, requested_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    buyer_id,
                    organization_id,
                    new.title,
                    new.description,
                    new.volume,
                    to_db_time(new.deadline_at),
                    int(new.anonymous),
                    to_db_time(now),
                ),
            )
            request_id = int(cursor.lastrowid or 0)
            await conn.executemany(
                "INSERT INTO sourcing_request_processes (request_id, process_id)"
                " SELECT ?, id FROM supplier_processes WHERE id = ?",
                [(request_id, p) for p in sorted(set(new.process_ids))],
            )
            await conn.executemany(
                "INSERT INTO sourcing_request_certifications (request_id, certification_id)"
                " SELECT ?, id FROM supplier_certifications WHERE id = ?",
                [(request_id, c) for c in sorted(set(new.certification_ids))],
            )
        return request_id

    async def get(self, request_id: int) -> Request | None:
        row = await self.db.fetchone(f"{_SELECT} WHERE r.id = ?", (request_id,))
        return _request(row) if row else None

    async def figures(self, request_id: int) -> Figures:
        row = await self.db.fetchone(
            "SELECT organizations_sent, organizations_reached, interested, declined,"
            " introductions FROM v_sourcing_requests WHERE request_id = ?",
            (request_id,),
        )
        return Figures(*(int(v) for v in row)) if row else Figures(0, 0, 0, 0, 0)

    # --- lists ---------------------------------------------------------------------

    async def mine(self, buyer_id: int, limit: int = 10) -> list[Request]:
        """The buyer's own requests, newest first."""
        rows = await self.db.fetchall(
            f"{_SELECT} WHERE r.buyer_id = ? ORDER BY r.id DESC LIMIT ?", (buyer_id, limit)
        )
        return [_request(r) for r in rows]

    async def pending(self) -> list[Request]:
        rows = await self.db.fetchall(f"{_SELECT} WHERE r.status = 'pending' ORDER BY r.id")
        return [_request(r) for r in rows]

    def _visible(self) -> str:
        """Approved, not the organization's own, and reached by it — or open and matching its
        profile now. Parameters: :org, :now."""
        return (
            "r.decided_at IS NOT NULL AND r.status IN ('open', 'closed')"
            " AND r.organization_id IS NOT :org AND (EXISTS (SELECT 1 FROM sourcing_reached x"
            " WHERE x.request_id = r.id AND x.organization_id = :org)"
            " OR (r.status = 'open' AND r.deadline_at > :now AND "
            + MATCHES.format(org=":org", req="r.id")
            + "))"
        )

    async def open_for(self, organization_id: int, now: datetime, limit: int = 10) -> list[Request]:
        """Open requests the organization reached or matches now, the soonest deadline first."""
        rows = await self.db.fetchall(
            f"{_SELECT} WHERE {self._visible()} AND r.status = 'open' AND r.deadline_at > :now"
            " ORDER BY r.deadline_at, r.id LIMIT :limit",
            {"org": organization_id, "now": to_db_time(now), "limit": limit},
        )
        return [_request(r) for r in rows]

    async def for_supplier(
        self, request_id: int, organization_id: int, now: datetime
    ) -> Request | None:
        """The request if this organization may see it (see `_visible`), else None."""
        row = await self.db.fetchone(
            f"{_SELECT} WHERE r.id = :id AND {self._visible()}",
            {"id": request_id, "org": organization_id, "now": to_db_time(now)},
        )
        return _request(row) if row else None

    # --- deciding ------------------------------------------------------------------

    async def remember_notices(self, request_id: int, sent: list[tuple[int, int]]) -> None:
        """The (chat, message) of each copy shown to those who may decide."""
        await self.db.executemany(
            "INSERT OR IGNORE INTO sourcing_request_notices (request_id, chat_id, message_id)"
            " VALUES (?, ?, ?)",
            [(request_id, chat_id, message_id) for chat_id, message_id in sent],
        )

    async def take_notices(self, request_id: int) -> list[tuple[int, int]]:
        """The copies of a request, forgotten as they are handed out (once)."""
        async with self.db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "DELETE FROM sourcing_request_notices WHERE request_id = ?"
                " RETURNING chat_id, message_id",
                (request_id,),
            )
        return [(int(r[0]), int(r[1])) for r in rows]

    async def approve(self, request_id: int, decided_by: int | None, now: datetime) -> bool:
        """Approve a pending request whose deadline is ahead, and record the organizations it
        reaches: every profile that matches (one statement, however many organizations), but
        the buyer's own, with someone a notice reaches who did not mute sourcing. False when
        it was not pending or its deadline passed."""
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE sourcing_requests SET status = 'open', decided_at = ?, decided_by = ?"
                " WHERE id = ? AND status = 'pending' AND deadline_at > ?",
                (stamp, decided_by, request_id, stamp),
            )
            if not cursor.rowcount:
                return False
            await conn.execute(
                "INSERT INTO sourcing_reached (request_id, organization_id, reached_at, via)"
                " SELECT r.id, p.organization_id, :now, 'notice' FROM sourcing_requests r"
                " JOIN capability_profiles p ON p.organization_id IS NOT r.organization_id"
                " WHERE r.id = :request AND "
                + MATCHES.format(org="p.organization_id", req="r.id")
                + " AND EXISTS (SELECT 1 FROM members m"
                f" WHERE m.organization_id = p.organization_id AND {REACHABLE} AND {NOT_MUTED})",
                {"now": stamp, "request": request_id},
            )
        return True

    async def recipients(self, request_id: int) -> list[Recipient]:
        """The members the request's notice goes to: of the organizations it was sent to,
        reachable, not muting sourcing."""
        rows = await self.db.fetchall(
            "SELECT m.id AS member_id, m.chat_id, m.language FROM sourcing_reached x"
            " JOIN members m ON m.organization_id = x.organization_id"
            f" WHERE x.request_id = ? AND x.via = 'notice' AND {REACHABLE} AND {NOT_MUTED}"
            " ORDER BY m.id",
            (request_id,),
        )
        return [Recipient(**dict(r)) for r in rows]

    async def mark_announced(self, request_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE sourcing_requests SET announced_at = ? WHERE id = ? AND announced_at IS NULL",
            (to_db_time(now), request_id),
        )

    async def unannounced(self) -> list[int]:
        """Approved requests whose notices were never queued (a stop right after approval)."""
        rows = await self.db.fetchall(
            "SELECT id FROM sourcing_requests WHERE status = 'open' AND announced_at IS NULL"
        )
        return [int(r[0]) for r in rows]

    async def reject(
        self, request_id: int, decided_by: int | None, reason: str, now: datetime
    ) -> bool:
        """Reject a pending request with a reason; False when it was not pending."""
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE sourcing_requests SET status = 'rejected', decided_at = ?,"
                " decided_by = ?, rejection_reason = ? WHERE id = ? AND status = 'pending'",
                (stamp, decided_by, reason, request_id),
            )
            return cursor.rowcount > 0

    # --- closing -------------------------------------------------------------------

    async def close_due(self, now: datetime) -> tuple[list[int], list[int]]:
        """Open requests whose deadline came are closed; pending ones expire. Their numbers."""
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            closed = await conn.execute_fetchall(
                "UPDATE sourcing_requests SET status = 'closed', closed_at = ?,"
                " closed_reason = 'deadline' WHERE status = 'open' AND deadline_at <= ?"
                " RETURNING id",
                (stamp, stamp),
            )
            expired = await conn.execute_fetchall(
                "UPDATE sourcing_requests SET status = 'expired', closed_at = ?"
                " WHERE status = 'pending' AND deadline_at <= ? RETURNING id",
                (stamp, stamp),
            )
        return sorted(int(r[0]) for r in closed), sorted(int(r[0]) for r in expired)

    async def next_deadline(self) -> datetime | None:
        value = await self.db.fetchval(
            "SELECT min(deadline_at) FROM sourcing_requests WHERE status IN ('pending', 'open')"
        )
        return from_db_time(value) if value else None

    async def close(self, request_id: int, now: datetime) -> Status | None:
        """The buyer closes an open request (or withdraws a pending one): the status it had,
        or None when it was neither."""
        async with self.db.transaction() as conn:
            rows = list(
                await conn.execute_fetchall(
                    "UPDATE sourcing_requests SET status = 'closed', closed_at = ?,"
                    " closed_reason = CASE status WHEN 'open' THEN 'buyer' ELSE 'withdrawn' END"
                    " WHERE id = ? AND status IN ('open', 'pending') RETURNING closed_reason",
                    (to_db_time(now), request_id),
                )
            )
        if not rows:
            return None
        return "open" if rows[0][0] == "buyer" else "pending"

    async def reveal(self, request_id: int, now: datetime) -> bool:
        """The buyer shows their organization; False when it was shown already."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE sourcing_requests SET revealed_at = ?"
                " WHERE id = ? AND anonymous = 1 AND revealed_at IS NULL",
                (to_db_time(now), request_id),
            )
            return cursor.rowcount > 0

    async def set_shortlist(self, request_id: int, chat_id: int, message_id: int) -> None:
        """The buyer's shortlist message, edited as interest arrives."""
        await self.db.execute(
            "UPDATE sourcing_requests SET shortlist_chat_id = ?, shortlist_message_id = ?"
            " WHERE id = ?",
            (chat_id, message_id, request_id),
        )
