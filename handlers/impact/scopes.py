"""What a person may see of the impact figures, decided from the database at each request.

Admins and coordinators of every axis see the whole cluster and each axis; a coordinator limited
to some axes sees those axes only — never the cluster's totals, which hold the other axes.
"""

from __future__ import annotations

from storage.repositories import Repositories
from storage.repositories.impact.figures import SCOPES

AXIS_CODES = SCOPES[1:]


async def axis_codes(repos: Repositories, axis_ids: frozenset[int]) -> tuple[str, ...]:
    """The codes of these axis ids, in the axes' order."""
    return tuple(a.code for a in await repos.reference.axes() if a.id in axis_ids)


async def scopes_for(repos: Repositories, role: str, axis_ids: frozenset[int]) -> tuple[str, ...]:
    """Admins, and coordinators without a limit (no axis ids): everything; limited
    coordinators: their axes; anyone else: nothing."""
    if role == "admin" or (role == "coordinator" and not axis_ids):
        return SCOPES
    if role == "coordinator":
        return await axis_codes(repos, axis_ids)
    return ()


async def current_scopes(repos: Repositories, role: str, member_id: int | None) -> tuple[str, ...]:
    """The scopes of someone with this role now (their coordinator axes read from the database)."""
    if role == "coordinator" and member_id is not None:
        return await scopes_for(repos, role, await repos.members.coordinator_axis_ids(member_id))
    return await scopes_for(repos, role, frozenset())
