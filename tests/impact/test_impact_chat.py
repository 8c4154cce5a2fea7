"""/impact in the chat and the monthly report, driven through the real Application.

The clock is set in October 2026 (or on 1 November for the report), over the hand-made cluster
of tests/impact/dataset.py; a coordinator of Talent never sees the cluster or another axis.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from handlers.impact import monthly
from storage.repositories.impact.reports import ReportLog
from tests.harness import Harness
from tests.impact import dataset


async def _start(harness: Harness, when: datetime) -> dataset.Ids:
    harness.clock.now = when
    return await dataset.build(harness.db)


async def test_an_admin_reads_the_month_switches_axis_and_period(harness: Harness) -> None:
    await _start(harness, datetime(2026, 10, 28, 18, 0, tzinfo=UTC))
    laura = harness.person(900, "Laura")
    replies = await laura.send("/impact")
    photo = harness.api.of("sendPhoto")[-1]
    assert photo.files["photo"][1].startswith(b"\x89PNG")
    text = replies.last.text
    assert "Impacto · 🌐 Todo el clúster · Octubre de 2026" in text
    assert "Comparado con Septiembre de 2026." in text
    assert "Miembros activos: 5 =" in text
    assert "altas 1 · bajas 1 · inalcanzables 1" in text
    assert "Organizaciones participantes: 75 % ▲ 25 pts" in text  # September: 2 of 4
    assert "Participación (90 días): 60 % ▲ 20 pts" in text
    assert "Conversión de asistencia: 75 % ▲ 25 pts" in text
    assert "asistirá 4 · tal vez 1 · no asistirá 2 · asistieron 4 · no llegaron 1" in text
    assert "Satisfacción (NPS): 0 ▼ 100" in text
    assert "Alcance de los avisos: 67 %" in text
    assert "Miembros por sector: Industria 80 % · Academia 20 %" in text
    assert replies.last.button_labels[:5] == [
        "✓ 🌐 Todo el clúster",
        "💡 Innovación",
        "🎓 Talento",
        "🧭 Liderazgo Consciente",
        "🌎 Globalización",
    ]

    edited = await laura.tap("🎓 Talento")
    assert "Impacto · 🎓 Talento · Octubre de 2026" in edited.last.text
    assert "Miembros activos: 4" in edited.last.text
    assert "Tasa de respuesta a encuestas: 33 %" in edited.last.text
    assert "Satisfacción (NPS): —" in edited.last.text
    quarter = await laura.tap("Trimestre")
    assert "Impacto · 🎓 Talento · T4 2026" in quarter.last.text
    assert "Comparado con T3 2026." in quarter.last.text
    earlier = await laura.tap("◀ T3 2026")
    assert "T3 2026" in earlier.last.text and "T4 2026 ▶" in earlier.last.button_labels
    charts = await laura.tap("📊 Gráficas")
    assert [c.method for c in charts.messages] == ["sendPhoto"]


async def test_a_coordinator_of_talent_sees_talent_only(harness: Harness) -> None:
    await _start(harness, datetime(2026, 10, 28, 18, 0, tzinfo=UTC))
    carlos = harness.person(901, "Carlos")
    replies = await carlos.send("/impact")
    assert "Impacto · 🎓 Talento · Octubre de 2026" in replies.last.text
    labels = replies.last.button_labels
    assert "✓ 🎓 Talento" in labels
    assert not [b for b in labels if "clúster" in b or "Innovación" in b]
    for forged in ("im:cluster:2026-10", "im:innovation:2026-10", "imc:globalization:2026-10"):
        refused = await carlos.tap_data(forged)
        assert refused.alerts and "otros ejes" in refused.alerts[-1]
        assert not refused.messages  # nothing edited, no chart sent
    member = harness.person(902, "Mario")
    assert "coordinadores" in (await member.send("/impact")).text


async def test_the_monthly_report_goes_once_to_each_staff_member(harness: Harness) -> None:
    """08:00 on 1 November: September's report is still missing, so it goes; from 09:00
    October's goes; a second run and a restart send nothing more."""
    ids = await _start(harness, datetime(2026, 11, 1, 14, 0, tzinfo=UTC))  # 08:00 local
    context = _job_context(harness)
    await monthly.send_due(context)
    sent = harness.api.of("sendDocument")
    assert {(c.chat_id, c.files["document"][0]) for c in sent} == {
        (900, "clia-impact-2026-09.pdf"),
        (901, "clia-impact-2026-09.pdf"),
    }
    harness.clock.now = datetime(2026, 11, 1, 15, 5, tzinfo=UTC)  # 09:05 local
    await monthly.send_due(context)
    october = [c for c in harness.api.of("sendDocument") if "2026-10" in c.files["document"][0]]
    assert {c.chat_id for c in october} == {900, 901}
    by_chat = {c.chat_id: c for c in october}
    assert by_chat[900].files["document"][1].startswith(b"%PDF")
    admin_caption = by_chat[900].params["caption"].splitlines()
    assert admin_caption == [
        "📊 Reporte de impacto de CLIA · Octubre de 2026 · 🌐 Todo el clúster",
        "5 miembros activos (=) · participación 60 % · 3 actividades · respuesta a encuestas 43 %",
    ]
    coordinator_caption = by_chat[901].params["caption"]
    assert "🎓 Talento" in coordinator_caption and "clúster" not in coordinator_caption
    assert "4 miembros activos" in coordinator_caption

    before = len(harness.api.of("sendDocument"))
    await monthly.send_due(context)
    await harness.restart()
    await monthly.send_due(_job_context(harness))
    assert len(harness.api.of("sendDocument")) == before
    log = ReportLog(harness.db)
    assert await log.status("2026-10", ids.members["laura"]) == "sent"
    assert await log.status("2026-10", ids.members["mario"]) is None  # members get none


async def test_a_month_missed_while_the_bot_was_down_goes_at_the_next_start(
    harness: Harness,
) -> None:
    await _start(harness, datetime(2026, 10, 28, 18, 0, tzinfo=UTC))
    await monthly.send_due(_job_context(harness))  # September's, due since 1 October
    await harness.stop()
    harness.clock.now = datetime(2026, 11, 3, 20, 0, tzinfo=UTC)  # down over the 1st
    # Telegram away for one admin longer than the retries last: that one waits for a later run.
    harness.api.fail("sendDocument", chat_id=901, status=502, description="Bad Gateway", times=4)
    await harness.start()  # the job's first run is at start-up (jobs.schedule_all)
    log = ReportLog(harness.db)
    laura, carlos = [
        int(await harness.db.fetchval("SELECT id FROM members WHERE telegram_user_id = ?", (t,)))
        for t in (900, 901)
    ]
    for _ in range(500):  # until the start-up run has done what it could
        done = await log.status("2026-10", laura), await log.status("2026-10", carlos)
        if done == ("sent", "pending"):
            break
        await asyncio.sleep(0.01)

    def october() -> list[int]:
        calls = harness.api.of("sendDocument")
        return sorted(c.chat_id for c in calls if c.ok and "2026-10" in c.files["document"][0])

    assert october() == [900]
    await monthly.send_due(_job_context(harness))  # the failed one is tried again
    await monthly.send_due(_job_context(harness))  # and nothing goes twice
    assert october() == [900, 901]
    harness.errors.clear()


def _job_context(harness: Harness):  # type: ignore[no-untyped-def]
    """The context a JobQueue job gets, as PTB builds it for the recurring job."""
    from bot.context import Ctx

    assert harness.app is not None
    return Ctx(harness.app)
