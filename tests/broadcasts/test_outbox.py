"""The outbox writes a broadcast and all its deliveries at once, and a dedup key only once."""

from __future__ import annotations

from storage.audience import Audience
from tests.factories import add_member
from tests.harness import Harness


async def test_enqueue_writes_one_pending_delivery_per_recipient(harness: Harness) -> None:
    db = harness.db
    ids = [await add_member(db, 100 + i) for i in range(5)]
    outbox = harness.app.bot_data.services.repos.outbox  # type: ignore[union-attr]
    broadcast = await outbox.enqueue(
        kind="announcement", text="<b>Hola</b>", now=harness.clock(), audience=Audience()
    )
    assert broadcast is not None
    rows = await db.fetchall(
        "SELECT member_id, chat_id, status FROM deliveries WHERE broadcast_id = ? ORDER BY 1",
        (broadcast,),
    )
    assert [tuple(r) for r in rows] == [(m, 100 + i, "pending") for i, m in enumerate(ids)]
    assert await outbox.pending_count(broadcast) == 5

    again = await outbox.enqueue(
        kind="event_reminder", text="r", now=harness.clock(), audience=Audience(), dedup_key="k1"
    )
    assert again is not None
    assert (
        await outbox.enqueue(
            kind="event_reminder",
            text="r",
            now=harness.clock(),
            audience=Audience(),
            dedup_key="k1",
        )
        is None
    )
    assert await db.fetchval("SELECT count(*) FROM broadcasts") == 2
