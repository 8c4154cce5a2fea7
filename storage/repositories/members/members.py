"""Members: the people who pressed Start, applied, or belong to the cluster."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from storage import audit_trail
from storage.cache import RowCache
from storage.database import Database, like_pattern
from storage.models import Member, MemberStatus, Sector, to_db_time
from storage.personal_data import PersonalDataSection

_COLUMNS = (
    "id, telegram_user_id, chat_id, full_name, organization_id, job_title, email, phone,"
    " language, role, status, unreachable_since, consent_version, consent_at,"
    " notifications_enabled, created_at, updated_at, time_zone"
)
_PROFILE_FIELDS = frozenset({"full_name", "organization_id", "job_title", "email", "phone"})
ProfileField = Literal["full_name", "organization_id", "job_title", "email", "phone"]


class MemberAxis(BaseModel):
    model_config = ConfigDict(frozen=True)

    axis_id: int
    code: str
    muted: bool


class MemberFilter(BaseModel):
    """What /members narrows the list by; None means any."""

    model_config = ConfigDict(frozen=True)

    status: MemberStatus | None = "active"
    axis_id: int | None = None
    organization_id: int | None = None
    sector: Sector | None = None


class MemberRepository:
    def __init__(self, db: Database, sections: Sequence[PersonalDataSection] = ()) -> None:
        self.db = db
        self.sections = tuple(sections)  # other features' personal data (storage.personal_data)
        # Every update reads its caller: kept until a write to that member's row ends.
        self._callers: RowCache[int, Member | None] = RowCache()
        db.watch("members", "telegram_user_id", self._callers)

    # --- reading ---------------------------------------------------------------

    async def by_telegram_id(self, telegram_user_id: int) -> Member | None:
        """The person with this Telegram id, None for someone unknown. Outside a transaction
        it comes from a cache that every write to their row empties (storage/cache.py)."""
        if self.db.inside_transaction:  # read what this transaction wrote
            return await self._read_by_telegram_id(telegram_user_id)
        return await self._callers.get(telegram_user_id, self._read_by_telegram_id)

    async def _read_by_telegram_id(self, telegram_user_id: int) -> Member | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM members WHERE telegram_user_id = ?", (telegram_user_id,)
        )
        return Member(**dict(row)) if row else None

    async def by_id(self, member_id: int) -> Member | None:
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM members WHERE id = ?", (member_id,))
        return Member(**dict(row)) if row else None

    async def axes(self, member_id: int) -> list[MemberAxis]:
        rows = await self.db.fetchall(
            "SELECT a.id AS axis_id, a.code, coalesce(ma.muted, 0) AS muted"
            " FROM member_axes ma JOIN axes a ON a.id = ma.axis_id"
            " WHERE ma.member_id = ? ORDER BY a.position",
            (member_id,),
        )
        return [MemberAxis(**dict(r)) for r in rows]

    async def staff(self) -> list[Member]:
        """Active coordinators and admins, for their command menus and notices."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM members"
            " WHERE role IN ('coordinator', 'admin') AND status = 'active'"
        )
        return [Member(**dict(r)) for r in rows]

    async def remember_application_notices(
        self, member_id: int, sent: list[tuple[int, int]]
    ) -> None:
        """The (chat, message) of each staff copy of an application."""
        await self.db.executemany(
            "INSERT OR IGNORE INTO application_notices (member_id, chat_id, message_id)"
            " VALUES (?, ?, ?)",
            [(member_id, chat_id, message_id) for chat_id, message_id in sent],
        )

    async def take_application_notices(self, member_id: int) -> list[tuple[int, int]]:
        """The staff copies of an application, forgotten as they are handed out (once)."""
        async with self.db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "DELETE FROM application_notices WHERE member_id = ? RETURNING chat_id, message_id",
                (member_id,),
            )
        return [(int(r[0]), int(r[1])) for r in rows]

    async def pending(self) -> list[Member]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM members WHERE status = 'pending' ORDER BY id"
        )
        return [Member(**dict(r)) for r in rows]

    def _filter_sql(self, where: MemberFilter) -> tuple[str, list[object]]:
        clauses: list[str] = ["m.status <> 'prospect'"]
        params: list[object] = []
        if where.status is not None:
            clauses.append("m.status = ?")
            params.append(where.status)
        if where.axis_id is not None:
            clauses.append(
                "EXISTS (SELECT 1 FROM member_axes x WHERE x.member_id = m.id AND x.axis_id = ?)"
            )
            params.append(where.axis_id)
        if where.organization_id is not None:
            clauses.append("m.organization_id = ?")
            params.append(where.organization_id)
        if where.sector is not None:
            clauses.append("o.sector = ?")
            params.append(where.sector)
        return " AND ".join(clauses), params

    async def count(self, where: MemberFilter) -> int:
        sql, params = self._filter_sql(where)
        value = await self.db.fetchval(
            "SELECT count(*) FROM members m LEFT JOIN organizations o ON o.id = m.organization_id"
            f" WHERE {sql}",
            params,
        )
        return int(value or 0)

    async def page(
        self, where: MemberFilter, offset: int, limit: int
    ) -> list[tuple[Member, str | None]]:
        """Members with their organization's name, by name."""
        sql, params = self._filter_sql(where)
        columns = ", ".join(f"m.{c.strip()}" for c in _COLUMNS.split(","))
        rows = await self.db.fetchall(
            f"SELECT {columns}, o.name AS organization_name FROM members m"
            " LEFT JOIN organizations o ON o.id = m.organization_id"
            f" WHERE {sql} ORDER BY m.full_name COLLATE NOCASE, m.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        result = []
        for row in rows:
            data = dict(row)
            organization = data.pop("organization_name")
            result.append((Member(**data), organization))
        return result

    # --- signing up ------------------------------------------------------------

    async def set_language(
        self, telegram_user_id: int, chat_id: int | None, language: str, now: datetime
    ) -> Member:
        """Store the language choice, creating a prospect row for someone new."""
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO members (telegram_user_id, chat_id, language, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (telegram_user_id) DO UPDATE SET language = excluded.language,"
                " chat_id = coalesce(excluded.chat_id, members.chat_id),"
                " updated_at = excluded.updated_at",
                (telegram_user_id, chat_id, language, stamp, stamp),
            )
            member = await self.by_telegram_id(telegram_user_id)
        assert member is not None
        return member

    async def record_consent(self, member_id: int, version: str, now: datetime) -> None:
        stamp = to_db_time(now)
        await self.db.execute(
            "UPDATE members SET consent_version = ?, consent_at = ?, updated_at = ? WHERE id = ?",
            (version, stamp, stamp, member_id),
        )

    async def set_field(
        self, member_id: int, field: ProfileField, value: str | int | None, now: datetime
    ) -> None:
        """One profile field; the name is checked against the allowed columns."""
        if field not in _PROFILE_FIELDS:
            raise ValueError(f"not a profile field: {field}")
        await self.db.execute(
            f"UPDATE members SET {field} = ?, updated_at = ? WHERE id = ?",
            (value, to_db_time(now), member_id),
        )

    async def toggle_axis(self, member_id: int, axis_id: int) -> bool:
        """Follow or unfollow an axis; True if the member follows it now."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM member_axes WHERE member_id = ? AND axis_id = ?", (member_id, axis_id)
            )
            if cursor.rowcount:
                return False
            await conn.execute(
                "INSERT INTO member_axes (member_id, axis_id) VALUES (?, ?)", (member_id, axis_id)
            )
            return True

    async def submit(self, member_id: int, now: datetime, invitation_id: int | None) -> Member:
        """The application is complete: active at once with an invitation, else pending."""
        stamp = to_db_time(now)
        status = "active" if invitation_id is not None else "pending"
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE members SET status = ?, invitation_id = ?, applied_at = ?, updated_at = ?,"
                " decided_at = CASE WHEN ? = 'active' THEN ? END, decided_by = NULL"
                " WHERE id = ?",
                (status, invitation_id, stamp, stamp, status, stamp, member_id),
            )
            if invitation_id is not None:
                await conn.execute(
                    "UPDATE invitations SET uses = uses + 1 WHERE id = ?", (invitation_id,)
                )
            member = await self.by_id(member_id)
        assert member is not None
        return member

    async def decide(
        self, member_id: int, approve: bool, decided_by: int | None, now: datetime
    ) -> Member | None:
        """Approve or reject a pending application once; None if it was not pending."""
        stamp = to_db_time(now)
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE members SET status = ?, decided_at = ?, decided_by = ?, updated_at = ?"
                " WHERE id = ? AND status = 'pending'",
                ("active" if approve else "rejected", stamp, decided_by, stamp, member_id),
            )
            if not cursor.rowcount:
                return None
            if approve:  # the organization they typed is offered to everyone from now on
                await conn.execute(
                    "UPDATE organizations SET confirmed = 1 WHERE confirmed = 0"
                    " AND id = (SELECT organization_id FROM members WHERE id = ?)",
                    (member_id,),
                )
            return await self.by_id(member_id)

    # --- preferences -----------------------------------------------------------

    async def set_notifications(self, member_id: int, enabled: bool, now: datetime) -> None:
        await self.db.execute(
            "UPDATE members SET notifications_enabled = ?, updated_at = ? WHERE id = ?",
            (int(enabled), to_db_time(now), member_id),
        )

    async def set_time_zone(self, member_id: int, time_zone: str | None, now: datetime) -> None:
        """The member's own IANA zone (checked by the caller), or None for Aguascalientes only."""
        await self.db.execute(
            "UPDATE members SET time_zone = ?, updated_at = ? WHERE id = ?",
            (time_zone, to_db_time(now), member_id),
        )

    async def toggle_mute(self, member_id: int, axis_id: int) -> bool | None:
        """Mute or unmute a followed axis; the new muted flag, None if not followed."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE member_axes SET muted = 1 - muted WHERE member_id = ? AND axis_id = ?",
                (member_id, axis_id),
            )
            if not cursor.rowcount:
                return None
            value = await self.db.fetchval(
                "SELECT muted FROM member_axes WHERE member_id = ? AND axis_id = ?",
                (member_id, axis_id),
            )
            return bool(value)

    # --- reachability ----------------------------------------------------------

    async def mark_unreachable(self, telegram_user_id: int, now: datetime) -> bool:
        """Telegram said this person blocked the bot; True if a member row changed."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE members SET unreachable_since = ?, updated_at = ?"
                " WHERE telegram_user_id = ? AND unreachable_since IS NULL",
                (to_db_time(now), to_db_time(now), telegram_user_id),
            )
            return cursor.rowcount > 0

    async def mark_reachable(self, telegram_user_id: int, now: datetime) -> bool:
        """The person wrote to the bot again (or unblocked it)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE members SET unreachable_since = NULL, updated_at = ?"
                " WHERE telegram_user_id = ? AND unreachable_since IS NOT NULL",
                (to_db_time(now), telegram_user_id),
            )
            return cursor.rowcount > 0

    async def coordinator_axis_ids(self, member_id: int) -> frozenset[int]:
        """The axes a coordinator is limited to; empty means every axis."""
        rows = await self.db.fetchall(
            "SELECT axis_id FROM coordinator_axes WHERE member_id = ?", (member_id,)
        )
        return frozenset(int(r[0]) for r in rows)

    # --- the community group -----------------------------------------------------

    async def add_join_request(self, telegram_user_id: int, chat_id: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT OR REPLACE INTO join_requests (telegram_user_id, chat_id, requested_at)"
            " VALUES (?, ?, ?)",
            (telegram_user_id, chat_id, to_db_time(now)),
        )

    async def take_join_requests(self, telegram_user_id: int) -> list[int]:
        """The group chats this person asked to join; the requests are removed."""
        async with self.db.transaction() as conn:
            rows = await self.db.fetchall(
                "SELECT chat_id FROM join_requests WHERE telegram_user_id = ?", (telegram_user_id,)
            )
            await conn.execute(
                "DELETE FROM join_requests WHERE telegram_user_id = ?", (telegram_user_id,)
            )
        return [int(r[0]) for r in rows]

    # --- privacy rights ----------------------------------------------------------

    async def personal_data(self, member_id: int) -> dict[str, Any]:
        """Everything stored about the member, for /mydata (access right)."""
        member = await self.by_id(member_id)
        assert member is not None
        organization = await self.db.fetchone(
            "SELECT name, sector FROM organizations WHERE id = ?", (member.organization_id,)
        )
        groups = await self.db.fetchall(
            "SELECT g.name, a.code AS axis, wgm.joined_at FROM working_group_members wgm"
            " JOIN working_groups g ON g.id = wgm.group_id JOIN axes a ON a.id = g.axis_id"
            " WHERE wgm.member_id = ? ORDER BY g.name",
            (member_id,),
        )
        rsvps = await self.db.fetchall(
            "SELECT e.title, e.starts_at, r.answer, r.answered_at FROM rsvps r"
            " JOIN events e ON e.id = r.event_id WHERE r.member_id = ? ORDER BY e.starts_at",
            (member_id,),
        )
        attendance = await self.db.fetchall(
            "SELECT e.title, t.checked_in_at, t.method FROM attendance t"
            " JOIN events e ON e.id = t.event_id WHERE t.member_id = ? ORDER BY t.checked_in_at",
            (member_id,),
        )
        answers = await self.db.fetchall(
            "SELECT s.title AS survey, q.text AS question, o.label AS option,"
            " ans.value_number, ans.value_text FROM survey_responses r"
            " JOIN surveys s ON s.id = r.survey_id"
            " JOIN survey_answers ans ON ans.response_id = r.id"
            " JOIN survey_questions q ON q.id = ans.question_id"
            " LEFT JOIN survey_options o ON o.id = ans.option_id"
            " WHERE r.member_id = ? ORDER BY s.id, q.position",
            (member_id,),
        )
        in_progress = await self.db.fetchall(  # a survey's answers stay in the draft until filed
            "SELECT s.title AS survey, q.text AS question, j.value AS answers"
            " FROM survey_drafts d JOIN surveys s ON s.id = d.survey_id"
            " JOIN json_each(d.answers) j JOIN survey_questions q ON q.id = CAST(j.key AS INTEGER)"
            " WHERE d.member_id = ? ORDER BY s.id, q.position",
            (member_id,),
        )
        participation = await self.db.fetchall(
            "SELECT s.title AS survey, p.invited_at, p.started_at, p.completed_on"
            " FROM survey_participation p JOIN surveys s ON s.id = p.survey_id"
            " WHERE p.member_id = ? ORDER BY s.id",
            (member_id,),
        )
        added = await self.db.fetchall(
            "SELECT name, sector, confirmed FROM organizations WHERE added_by = ? ORDER BY name",
            (member_id,),
        )
        scope = await self.db.fetchall(
            "SELECT a.code FROM coordinator_axes c JOIN axes a ON a.id = c.axis_id"
            " WHERE c.member_id = ? ORDER BY a.position",
            (member_id,),
        )
        copies = await self.db.fetchval(
            "SELECT count(*) FROM application_notices WHERE member_id = ?", (member_id,)
        )
        sections = {s.name: await s.export(self.db, member_id) for s in self.sections}
        return {
            "telegram_user_id": member.telegram_user_id,
            "chat_id": member.chat_id,
            "full_name": member.full_name,
            "organization": dict(organization) if organization else None,
            "job_title": member.job_title,
            "email": member.email,
            "phone": member.phone,
            "language": member.language,
            "time_zone": member.time_zone,
            "role": member.role,
            "status": member.status,
            "notifications_enabled": member.notifications_enabled,
            "axes": [a.model_dump() for a in await self.axes(member_id)],
            "consent": {
                "version": member.consent_version,
                "at": to_db_time(member.consent_at) if member.consent_at else None,
            },
            "member_since": to_db_time(member.created_at),
            "working_groups": [dict(r) for r in groups],
            "event_answers": [dict(r) for r in rsvps],
            "attendance": [dict(r) for r in attendance],
            "survey_answers": [dict(r) for r in answers],
            "survey_answers_in_progress": [
                {**dict(r), "answers": json.loads(r["answers"])} for r in in_progress
            ],
            "survey_participation": [dict(r) for r in participation],
            "organizations_you_added": [dict(r) for r in added],
            "coordinator_of_axes": [r[0] for r in scope],
            "application_copies_sent_to_coordinators": int(copies or 0),
            **sections,
        }

    async def forget(self, member_id: int, now: datetime) -> bool:
        """Delete the member's personal data (cancellation right).

        The member row and everything hanging from it go (axes, groups, RSVPs,
        attendance, survey participation and drafts), and so do the survey answers
        given with their name (free text may say who they are; results stay
        consistent: participation and answers go together). Anonymous answers were
        never linked and stay. Deliveries keep their counts but lose the chat id;
        pending ones are dropped. The audit log records the fact with no link to the
        person. False when there was nobody to forget (forgotten already): nothing happens.
        Other features' sections (storage.personal_data) erase their part first.
        """
        async with self.db.transaction() as conn:
            deleted = await conn.execute_fetchall(
                "SELECT 1 FROM members WHERE id = ?", (member_id,)
            )
            if not list(deleted):
                return False
            for section in self.sections:  # before the member row and its chat id go
                await section.erase(conn, member_id, to_db_time(now))
            # An organization they typed that nobody else belongs to and nobody approved:
            # its name may be theirs ("Consultoría Ana López").
            await conn.execute(
                "DELETE FROM organizations WHERE added_by = ? AND confirmed = 0"
                " AND id NOT IN (SELECT organization_id FROM members"
                " WHERE id <> ? AND organization_id IS NOT NULL)",
                (member_id, member_id),
            )
            # Copies of others' applications in their chat (its id is their Telegram id).
            await conn.execute(
                "DELETE FROM application_notices WHERE chat_id IN"
                " (SELECT chat_id FROM members WHERE id = ? AND chat_id IS NOT NULL"
                " UNION SELECT telegram_user_id FROM members WHERE id = ?)",
                (member_id, member_id),
            )
            await conn.execute(
                "DELETE FROM deliveries WHERE member_id = ? AND status = 'pending'", (member_id,)
            )
            await conn.execute(
                "UPDATE deliveries SET chat_id = NULL, member_id = NULL WHERE member_id = ?",
                (member_id,),
            )
            await conn.execute("DELETE FROM survey_responses WHERE member_id = ?", (member_id,))
            await conn.execute("DELETE FROM members WHERE id = ?", (member_id,))
            await audit_trail.write(conn, now, None, "member_forgotten", "member")
        return True

    # --- roles ---------------------------------------------------------------------

    async def search(self, text: str, *, staff_only: bool = False) -> list[Member]:
        """Active members whose name contains the text, whatever the accents and case
        (for /promote, /demote)."""
        staff = " AND role IN ('coordinator', 'admin')" if staff_only else ""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM members WHERE status = 'active'"
            f" AND fold(full_name) LIKE ? ESCAPE '\\'{staff}"
            " ORDER BY full_name COLLATE NOCASE LIMIT 10",
            (like_pattern(text),),
        )
        return [Member(**dict(r)) for r in rows]

    async def change_role(
        self,
        member_id: int,
        role: str,
        axis_id: int | None,
        changed_by: int | None,
        now: datetime,
    ) -> frozenset[int] | None:
        """Make the member `role` and audit it, in one step. A coordinator coordinates every
        axis, or with `axis_id` that axis is added to those they coordinate already.

        Returns the axes they coordinate now (empty: all), or None when they had exactly that
        role and scope already: decided inside the writing transaction, so a double tap or a
        second admin confirming the same change changes nothing and audits nothing.
        """
        async with self.db.transaction() as conn:
            rows = list(
                await conn.execute_fetchall("SELECT role FROM members WHERE id = ?", (member_id,))
            )
            if not rows:
                return None
            current_role = str(rows[0][0])
            axes = await conn.execute_fetchall(
                "SELECT axis_id FROM coordinator_axes WHERE member_id = ?", (member_id,)
            )
            current = frozenset(int(r[0]) for r in axes)
            scope: frozenset[int] = frozenset()
            if role == "coordinator" and axis_id is not None:
                widened = current_role == "coordinator" and current
                scope = (current | {axis_id}) if widened else frozenset({axis_id})
            if role == current_role and scope == current:
                return None
            await conn.execute(
                "UPDATE members SET role = ?, updated_at = ? WHERE id = ?",
                (role, to_db_time(now), member_id),
            )
            await conn.execute("DELETE FROM coordinator_axes WHERE member_id = ?", (member_id,))
            await conn.executemany(
                "INSERT INTO coordinator_axes (member_id, axis_id) VALUES (?, ?)",
                [(member_id, axis) for axis in sorted(scope)],
            )
            await audit_trail.write(
                conn,
                now,
                changed_by,
                "role_changed",
                "member",
                member_id,
                role=role,
                axes=",".join(str(a) for a in sorted(scope)) or "all",
            )
            return scope
