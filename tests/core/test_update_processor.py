"""Each person's updates in order; different people concurrently."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.updates import PerUserUpdateProcessor


def _update(update_id: int, user_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": user_id, "type": "private"},
                "from": {"id": user_id, "is_bot": False, "first_name": "X"},
                "text": "hi",
            },
        },
        None,
    )


async def test_same_person_in_order_other_people_alongside() -> None:
    processor = PerUserUpdateProcessor(max_active=8)
    log: list[str] = []

    async def work(name: str, delay: float) -> None:
        log.append(f"{name} start")
        await asyncio.sleep(delay)
        log.append(f"{name} end")

    await asyncio.gather(
        processor.process_update(_update(1, 1), work("a1", 0.05)),
        processor.process_update(_update(2, 1), work("a2", 0.0)),
        processor.process_update(_update(3, 2), work("b1", 0.0)),
    )
    # a2 waits for a1 even though it is quicker; b1 does not wait for anyone.
    assert log.index("a2 start") > log.index("a1 end")
    assert log.index("b1 end") < log.index("a1 end")
    assert processor._locks == {}  # nothing kept for people who are done


async def test_a_waiting_person_does_not_hold_an_active_slot() -> None:
    processor = PerUserUpdateProcessor(max_active=1)
    order: list[str] = []
    gate = asyncio.Event()

    async def slow() -> None:
        order.append("a1")
        await gate.wait()

    async def record(name: str) -> None:
        order.append(name)

    first = asyncio.create_task(processor.process_update(_update(1, 1), slow()))
    await asyncio.sleep(0)
    queued = asyncio.create_task(processor.process_update(_update(2, 1), record("a2")))
    other = asyncio.create_task(processor.process_update(_update(3, 2), record("b1")))
    await asyncio.sleep(0.01)
    gate.set()
    await asyncio.gather(first, queued, other)
    assert order.index("b1") < order.index("a2")
