"""Who may do what. Checked on the server at the moment of every action."""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

from storage.models import Member

Role = Literal["stranger", "applicant", "member", "coordinator", "admin"]
_RANK: dict[Role, int] = {"stranger": 0, "applicant": 1, "member": 2, "coordinator": 3, "admin": 4}


def effective_role(
    member: Member | None, telegram_user_id: int, admin_ids: Collection[int]
) -> Role:
    """The role now: ADMIN_IDS are admins; staff roles count only for active members."""
    if telegram_user_id in admin_ids:
        return "admin"
    if member is None or member.status in ("prospect", "rejected", "left"):
        return "stranger"
    if member.status == "pending":
        return "applicant"
    if member.role == "admin":
        return "admin"
    if member.role == "coordinator":
        return "coordinator"
    return "member"


def at_least(role: Role, needed: Role) -> bool:
    return _RANK[role] >= _RANK[needed]
