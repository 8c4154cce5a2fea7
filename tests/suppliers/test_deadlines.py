"""The supplier-development job: requests close at their deadline (the buyer gets the final
figures and shortlist, suppliers' buttons answer "closed"), undecided ones expire (the copies
say so), approved requests whose notices were not queued before a stop are queued after it,
once."""

from __future__ import annotations

from bot.context import Ctx
from tests.harness import Harness
from tests.suppliers.scene import approved_request, create_request, notice_of, scene


async def _job(harness: Harness) -> None:
    assert harness.app is not None and harness.app.job_queue is not None
    job = harness.app.job_queue.get_jobs_by_name("supplier-development")[0]
    await job.callback(Ctx.from_job(job, harness.app))  # type: ignore[arg-type]


async def test_the_deadline_closes_an_open_request_and_expires_a_pending_one(
    harness: Harness,
) -> None:
    s = await scene(harness)
    number = await approved_request(harness, s, deadline="26/11/2026 12:00")
    pending = await create_request(s.kenji, title="Troqueles", deadline="26/11/2026 12:00")
    await s.lucia.tap_data(f"sr:{number}:in", notice_of(s.lucia, number))
    await s.lucia.tap("Omitir ⏭")
    await s.lucia.tap("✅ Sí, compártelos")
    await _job(harness)
    assert await harness.db.fetchval("SELECT status FROM sourcing_requests WHERE id = 1") == "open"

    harness.clock.advance(days=3)  # past 26/11 12:00 local
    before = len(harness.api.calls)
    await _job(harness)
    calls = harness.api.calls[before:]
    statuses = await harness.db.fetchall("SELECT id, status, closed_reason FROM sourcing_requests")
    assert [tuple(r) for r in statuses] == [
        (number, "closed", "deadline"),
        (pending, "expired", None),
    ]
    to_buyer = [c.text for c in calls if c.chat_id == s.kenji.id and c.method == "sendMessage"]
    assert any("se cerró en su fecha límite" in t and "💡 1 interesado" in t for t in to_buyer)
    assert any("Lista corta · #1" in t and "Cerrada para respuestas" in t for t in to_buyer)
    assert any("no se decidió antes de su fecha límite" in t for t in to_buyer)
    copy = harness.api.sent(chat_id=s.gloria.id)[-1]
    assert copy.text.endswith("⌛ Su fecha límite pasó antes de que alguien decidiera.")
    replies = await s.rosa.tap_data(f"sr:{number}:in", notice_of(s.rosa, number))
    assert replies.alerts == ["Esta solicitud está cerrada: ya no recibe respuestas."]
    replies = await s.gloria.tap_data(f"sp:{pending}:ok")
    assert replies.alerts == ["Su fecha límite pasó antes de que alguien decidiera."]
    # The buyer can still connect with who was interested.
    replies = await s.kenji.tap("🤝 Conectar 1")
    assert replies.alerts == ["🤝 Presentación enviada a ambos."]
    # Nothing is told twice.
    before = len(harness.api.calls)
    await _job(harness)
    assert harness.api.calls[before:] == []


async def test_a_stop_right_after_approval_still_sends_the_notices_once(harness: Harness) -> None:
    s = await scene(harness)
    number = await create_request(s.kenji)
    await harness.db.execute(  # approved, but stopped before the notices were queued
        "UPDATE sourcing_requests SET status = 'open', decided_at = '2026-11-24T16:00:00Z'"
    )
    await harness.db.execute(
        "INSERT INTO sourcing_reached (request_id, organization_id, reached_at, via)"
        " SELECT ?, id, '2026-11-24T16:00:00Z', 'notice' FROM organizations"
        " WHERE name = 'Mextamp'",
        (number,),
    )
    await harness.restart()  # the job runs at start-up
    await _job(harness)
    sent = await harness.drain()
    notices = [c.chat_id for c in sent.messages if "busca proveedores" in c.text]
    assert notices == [s.rosa.id]
    await _job(harness)
    assert (await harness.drain()).messages == []
