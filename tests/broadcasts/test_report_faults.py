"""The coordinator's live report of a broadcast, edited by the sender: Telegram's 429 on the
edit is waited out and the report edited again; a coordinator who blocked the bot (403) is
marked unreachable and the broadcast goes on. Never a crash."""

from __future__ import annotations

from tests.factories import add_member
from tests.harness import Harness, Person

COORDINATOR = 800


async def _sending(harness: Harness) -> Person:
    """A broadcast to two members, queued with its report message, not yet sent."""
    await add_member(
        harness.db, COORDINATOR, full_name="Cora", role="coordinator", axes=("leadership",)
    )
    await add_member(harness.db, 101, full_name="Ana")
    await add_member(harness.db, 102, full_name="Beto")
    cora = harness.person(user_id=COORDINATOR, first_name="Cora")
    await cora.send("/broadcast")
    await cora.send("Asamblea el jueves")
    await cora.tap("🎯 Miembros de ejes")
    await cora.tap("💡 Innovación")
    await cora.tap("Continuar ▶️")
    await cora.tap("📤 Enviar ahora")
    return cora


async def test_a_429_on_the_report_edit_is_waited_out_and_the_report_edited_again(
    harness: Harness,
) -> None:
    cora = await _sending(harness)
    harness.api.fail(
        "editMessageText",
        chat_id=COORDINATOR,
        status=429,
        description="Too Many Requests: retry after 7",
        retry_after=7,
        times=2,
    )
    delivered = await harness.drain()
    edits = [c for c in delivered.calls if c.method == "editMessageText"]
    # The first report: refused twice, waited out as Telegram asked each time, then edited.
    assert [c.ok for c in edits][:3] == [False, False, True]
    assert harness.slept.count(7) == 2
    assert edits[-1].ok and "Aviso #1 terminado" in edits[-1].text  # the final figures too
    assert "Aviso #1 terminado" in cora.inbox()[-1]["text"]
    assert sorted(c.chat_id for c in delivered.messages if c.chat_id != COORDINATOR) == [101, 102]
    assert await harness.db.fetchval("SELECT status FROM broadcasts") == "done"


async def test_a_coordinator_who_blocked_the_bot_gets_no_report_and_the_broadcast_goes_on(
    harness: Harness,
) -> None:
    await _sending(harness)
    harness.api.block(COORDINATOR)
    delivered = await harness.drain()
    assert sorted(c.chat_id for c in delivered.messages) == [101, 102]
    refused = [c for c in delivered.calls if c.chat_id == COORDINATOR]
    assert refused and all(not c.ok for c in refused)
    assert len(refused) == 2  # the report and the final report, never retried
    assert await harness.db.fetchval("SELECT status FROM broadcasts") == "done"
    assert await harness.db.fetchval(
        "SELECT unreachable_since IS NOT NULL FROM members WHERE telegram_user_id = ?",
        (COORDINATOR,),
    )
