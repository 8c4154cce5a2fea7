"""Who reads which results: a coordinator limited to some axes reads the surveys of the whole
cluster and of their axes, in /results, its list, its buttons and its exports; never those
only other axes were asked, and never "there are no surveys" when there are some."""

from __future__ import annotations

from tests.factories import add_member, axis_id
from tests.harness import Harness, Person
from tests.surveys.test_surveys import COORDINATOR, _coordinator, _send_file

TALENT_COORDINATOR = 810
SURVEY = """
title: {title}
closes: 30/11/2026 18:00
audience: {audience}
questions:
  - type: yesno
    text: ¿Vendrías al foro?
"""


async def _launch(harness: Harness, cora: Person, title: str, audience: str) -> int:
    await _send_file(harness, cora, "s.yaml", SURVEY.format(title=title, audience=audience))
    replies = await cora.tap("🚀 Lanzar")
    assert "se lanzó" in replies.text, replies.texts
    return int(await harness.db.fetchval("SELECT max(id) FROM surveys"))


async def _talent_coordinator(harness: Harness) -> Person:
    member = await add_member(
        harness.db, TALENT_COORDINATOR, full_name="Tere Talento", role="coordinator"
    )
    await harness.db.execute(
        "INSERT INTO coordinator_axes (member_id, axis_id) VALUES (?, ?)",
        (member, await axis_id(harness.db, "talent")),
    )
    return harness.person(user_id=TALENT_COORDINATOR, first_name="Tere")


async def test_axis_coordinator_reads_cluster_and_own_axis_surveys(harness: Harness) -> None:
    cora = await _coordinator(harness)
    everyone = await _launch(harness, cora, "Pulso general", "everyone")
    talent = await _launch(harness, cora, "Becarios", "{axis: talent}")
    innovation = await _launch(harness, cora, "Robótica", "{axis: innovation}")
    await harness.drain()
    tere = await _talent_coordinator(harness)

    replies = await tere.send("/results")
    assert replies.last.button_labels == [
        f"#{talent} Becarios (abierta)",
        f"#{everyone} Pulso general (abierta)",
    ]
    replies = await tere.tap(f"#{everyone} Pulso general (abierta)")
    assert "📊 Pulso general (#" in replies.text
    # exports, but not the reminders and closing of a survey she does not manage
    assert replies.last.button_labels == [
        "📄 CSV (una fila por respuesta)",
        "📄 CSV (una fila por persona)",
        "📗 Excel (.xlsx)",
    ]
    replies = await tere.tap("📗 Excel (.xlsx)")
    assert [c.method for c in replies.calls if c.method == "sendDocument"] == ["sendDocument"]
    replies = await tere.send(f"/results {talent}")
    assert "📊 Becarios (#" in replies.text
    assert "🔒 Cerrar ahora" in replies.last.button_labels  # her axis: she manages it too

    refusal = "⛔ Tú coordinas otros ejes; este lo gestionan sus propios coordinadores."
    replies = await tere.send(f"/results {innovation}")
    assert replies.texts == [refusal]
    # buttons she was never shown, refused on the server
    for action in ("res", "csv", "wide", "xlsx"):
        replies = await tere.tap_data(f"sa:{action}:{innovation}")
        assert replies.alerts == [refusal], action
        assert not replies.messages and "sendDocument" not in [c.method for c in replies.calls]


async def test_axis_coordinator_is_not_told_there_are_no_surveys(harness: Harness) -> None:
    cora = await _coordinator(harness)
    await _launch(harness, cora, "Robótica", "{axis: innovation}")
    await harness.drain()
    tere = await _talent_coordinator(harness)
    replies = await tere.send("/results")
    assert "Aún no hay encuestas" not in replies.text
    assert "eran de otros ejes" in replies.text
    assert not replies.last.button_labels
    replies = await harness.person(user_id=COORDINATOR).send("/results")
    assert replies.last.button_labels  # Cora, unlimited, sees the survey
