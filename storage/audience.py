"""Who a message goes to: an audience description and the SQL that resolves it.

The same audiences serve broadcasts, event announcements and survey invitations.
Resolution always leaves out people who are not active members, who blocked the
bot, who turned notifications off, and — for axis audiences — who muted that axis.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from storage.database import Database

AudienceKind = Literal[
    "everyone", "axes", "organizations", "sectors", "working_group", "event", "survey_unfinished"
]


class Audience(BaseModel):
    """Stored as JSON in broadcasts.audience / surveys.audience."""

    model_config = ConfigDict(frozen=True)

    kind: AudienceKind = "everyone"
    ids: tuple[int, ...] = Field(default=(), max_length=200)  # axis/org/group/event/survey ids
    sectors: tuple[str, ...] = ()
    answers: tuple[Literal["going", "maybe", "declined", "waitlisted"], ...] = ("going",)

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str) -> Audience:
        return cls.model_validate_json(text)


class Recipient(BaseModel):
    """A member's private chat, or a chat (and forum topic) such as the community group."""

    model_config = ConfigDict(frozen=True)

    member_id: int | None
    chat_id: int
    language: str | None
    message_thread_id: int | None = None


_REACHABLE = (
    "m.status = 'active' AND m.unreachable_since IS NULL AND m.notifications_enabled = 1"
    " AND m.chat_id IS NOT NULL"
)


def _in(values: tuple[object, ...]) -> str:
    return ",".join("?" for _ in values) or "NULL"


def _audience_sql(audience: Audience, *, muted_too: bool = False) -> tuple[str, list[object]]:
    """A `SELECT member_id` for the audience (before the reachability filter). Followers who
    muted an axis get no notices of it, but are still part of it (`muted_too`)."""
    ids: list[object] = list(audience.ids)
    if audience.kind == "everyone":
        return "SELECT id FROM members", []
    if audience.kind == "axes":
        unmuted = "" if muted_too else "muted = 0 AND "
        return (
            f"SELECT member_id FROM member_axes WHERE {unmuted}axis_id IN ({_in(audience.ids)})",
            ids,
        )
    if audience.kind == "organizations":
        return (
            f"SELECT id FROM members WHERE organization_id IN ({_in(audience.ids)})",
            ids,
        )
    if audience.kind == "sectors":
        return (
            "SELECT m.id FROM members m JOIN organizations o ON o.id = m.organization_id"
            f" WHERE o.sector IN ({_in(audience.sectors)})",
            list(audience.sectors),
        )
    if audience.kind == "working_group":
        return (
            f"SELECT member_id FROM working_group_members WHERE group_id IN ({_in(audience.ids)})",
            ids,
        )
    if audience.kind == "event":
        return (
            f"SELECT member_id FROM rsvps WHERE event_id IN ({_in(audience.ids)})"
            f" AND answer IN ({_in(audience.answers)})",
            [*ids, *audience.answers],
        )
    # survey_unfinished: invited or started, not completed.
    return (
        "SELECT member_id FROM survey_participation WHERE completed_on IS NULL"
        f" AND survey_id IN ({_in(audience.ids)})",
        ids,
    )


async def resolve(db: Database, audience: Audience) -> list[Recipient]:
    """The reachable members of the audience, each once, in member id order."""
    inner, params = _audience_sql(audience)
    rows = await db.fetchall(
        "SELECT m.id AS member_id, m.chat_id, m.language FROM members m"
        f" WHERE m.id IN ({inner}) AND {_REACHABLE} ORDER BY m.id",
        params,
    )
    return [Recipient(**dict(r)) for r in rows]


def deliveries_insert(audience: Audience, *, newcomers: bool = False) -> tuple[str, list[object]]:
    """An `INSERT … SELECT` of one pending delivery per reachable member of the audience, for
    broadcast `?1` at time `?2`: SQLite writes the rows itself, no Python object per person.
    With `newcomers`, members who already have a delivery of that broadcast are left as
    they are (each member gets a broadcast once)."""
    inner, params = _audience_sql(audience)
    verb = "INSERT OR IGNORE" if newcomers else "INSERT"
    return (
        f"{verb} INTO deliveries (broadcast_id, member_id, chat_id, updated_at)"
        " SELECT ?, m.id, m.chat_id, ? FROM members m"
        f" WHERE m.id IN ({inner}) AND {_REACHABLE} ORDER BY m.id",
        params,
    )


def participation_insert(audience: Audience) -> tuple[str, list[object]]:
    """An `INSERT … SELECT` inviting every reachable member of the audience to survey `?1`
    at time `?2`; members already invited (or who started) are left as they are, so it also
    invites those who joined the audience since the launch."""
    inner, params = _audience_sql(audience)
    return (
        "INSERT OR IGNORE INTO survey_participation (survey_id, member_id, invited_at)"
        " SELECT ?, m.id, ? FROM members m"
        f" WHERE m.id IN ({inner}) AND {_REACHABLE}",
        params,
    )


async def includes(db: Database, audience: Audience, member_id: int) -> bool:
    """Is this member part of the audience now (whether or not notices reach them)?
    Members who joined after a survey was launched can still answer it."""
    inner, params = _audience_sql(audience, muted_too=True)
    return bool(await db.fetchval(f"SELECT ? IN ({inner})", [member_id, *params]))


async def missing_from(db: Database, audience: Audience, broadcast_id: int) -> bool:
    """Is a reachable member of the audience without a delivery of this broadcast? One query:
    the audience is not listed in Python to find out."""
    inner, params = _audience_sql(audience)
    value = await db.fetchval(
        f"SELECT EXISTS (SELECT 1 FROM members m WHERE m.id IN ({inner}) AND {_REACHABLE}"
        " AND NOT EXISTS (SELECT 1 FROM deliveries d"
        " WHERE d.broadcast_id = ? AND d.member_id = m.id))",
        [*params, broadcast_id],
    )
    return bool(value)


async def count(db: Database, audience: Audience) -> int:
    inner, params = _audience_sql(audience)
    value = await db.fetchval(
        f"SELECT count(*) FROM members m WHERE m.id IN ({inner}) AND {_REACHABLE}",
        params,
    )
    return int(value or 0)
