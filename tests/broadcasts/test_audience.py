"""Audience resolution: who a message reaches, and who it must leave out."""

from __future__ import annotations

from storage.audience import Audience, count, resolve
from tests.factories import add_group, add_member, axis_id, join_group, organization_id
from tests.harness import Harness


async def test_audiences_leave_out_the_unreachable_and_the_unwilling(harness: Harness) -> None:
    db = harness.db
    ana = await add_member(db, 1, axes=("innovation", "talent"))
    bea = await add_member(db, 2, axes=("talent",), organization="SEDEC")
    cy = await add_member(db, 3, axes=("innovation",), muted=("innovation",))  # muted the axis
    await add_member(db, 4, axes=("innovation",), notifications=False)  # objected to all
    await add_member(db, 5, axes=("innovation",), unreachable=True)  # blocked the bot
    await add_member(db, 6, axes=("innovation",), status="pending")
    await add_member(db, 7, status="prospect", axes=())
    innovation = await axis_id(db, "innovation")

    async def ids(audience: Audience) -> list[int]:
        return [r.member_id for r in await resolve(db, audience)]

    # Muting an axis objects to that axis's announcements, not to the cluster's.
    assert await ids(Audience()) == [ana, bea, cy]
    assert await ids(Audience(kind="axes", ids=(innovation,))) == [ana]
    assert await count(db, Audience(kind="axes", ids=(innovation,))) == 1
    sedec = await organization_id(db, "SEDEC")
    assert await ids(Audience(kind="organizations", ids=(sedec,))) == [bea]
    assert await ids(Audience(kind="sectors", sectors=("tier1",))) == [ana, cy]
    group = await add_group(db, "Electromovilidad")
    await join_group(db, group, bea)
    assert await ids(Audience(kind="working_group", ids=(group,))) == [bea]
    assert await ids(Audience(kind="axes", ids=())) == []


def test_audience_round_trips_as_json() -> None:
    audience = Audience(kind="sectors", sectors=("oem", "tier1"))
    assert Audience.from_json(audience.to_json()) == audience
