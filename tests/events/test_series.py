"""Meetings of a series: a change asks "only this one" or "this and the following ones"; the
following ones move by the same local change and keep their own dates; who answered each
occurrence that changed is told about it; the earlier ones are left alone."""

from __future__ import annotations

from tests.events.test_events import _coordinator
from tests.events.test_reminders import _answer
from tests.factories import add_group, add_member, join_group
from tests.harness import Harness, Person

WEEKLY = [  # Tuesdays at 18:00 in Aguascalientes (UTC-6), from 1 December 2026
    "2026-12-02T00:00:00Z",
    "2026-12-09T00:00:00Z",
    "2026-12-16T00:00:00Z",
    "2026-12-23T00:00:00Z",
    "2026-12-30T00:00:00Z",
    "2027-01-06T00:00:00Z",
]


async def _series(harness: Harness) -> tuple[Person, list[int]]:
    """A weekly meeting of Electromovilidad (101 and 102 are in the group); its ids."""
    db = harness.db
    group = await add_group(db, "Electromovilidad")
    for user in (101, 102):
        await join_group(db, group, await add_member(db, user, language="es"))
    cora = await _coordinator(harness)
    await cora.send("/newevent")
    await cora.tap("💡 Innovación")
    await cora.tap("👥 Una reunión de grupo de trabajo")
    await cora.tap("Electromovilidad")
    await cora.send("Reunión semanal")
    await cora.tap("Omitir ⏭")
    await cora.send("1/12 18:00")
    await cora.tap("1 h")
    await cora.send("Sede CLIA")
    await cora.tap("Sin límite")
    await cora.tap("Cada semana")
    await cora.tap("📣 Publicar")
    await harness.drain()
    ids = [int(r[0]) for r in await db.fetchall("SELECT id FROM events ORDER BY starts_at")]
    assert len(ids) == 6
    return cora, ids


async def _starts(harness: Harness) -> list[str]:
    return [r[0] for r in await harness.db.fetchall("SELECT starts_at FROM events ORDER BY id")]


async def _told(harness: Harness) -> dict[int, list[str]]:
    told: dict[int, list[str]] = {}
    for call in (await harness.drain()).messages:
        told.setdefault(call.chat_id, []).append(call.text)
    return told


async def test_moving_this_and_the_following_ones_keeps_each_its_own_date(
    harness: Harness,
) -> None:
    cora, ids = await _series(harness)
    ana, beto = harness.person(user_id=101), harness.person(user_id=102)
    await ana.send(f"/start ev_{ids[1]}")
    await _answer(ana, ids[1])
    await ana.send(f"/start ev_{ids[3]}")
    await _answer(ana, ids[3], "mb")
    await beto.send(f"/start ev_{ids[0]}")
    await _answer(beto, ids[0])  # the first one does not move: Beto is not told
    await harness.drain()

    await cora.send(f"/start ev_{ids[1]}")
    replies = await cora.tap("🕒 Mover")
    assert (
        "🔁 Reunión semanal (martes, 8 de diciembre de 2026, 18:00) forma parte de una serie:"
        " después vienen 4 reuniones más. ¿Cambiar solo esta, o esta y las siguientes?"
    ) in replies.text
    assert replies.last.button_labels == ["Solo esta", "Esta y las siguientes"]
    await cora.tap("Esta y las siguientes")
    replies = await cora.send("9/12 19:30")  # a day later, an hour and a half later
    assert "Movido al miércoles, 9 de diciembre de 2026, 19:30" in replies.text
    assert (
        "🔁 Las 4 reuniones siguientes también, con el mismo cambio: mié, 16 de dic de 2026,"
        " 19:30, mié, 23 de dic de 2026, 19:30, mié, 30 de dic de 2026, 19:30 y mié, 6 de ene"
        " de 2027, 19:30"
    ) in replies.text
    assert await _starts(harness) == [
        WEEKLY[0],
        "2026-12-10T01:30:00Z",
        "2026-12-17T01:30:00Z",
        "2026-12-24T01:30:00Z",
        "2026-12-31T01:30:00Z",
        "2027-01-07T01:30:00Z",
    ]
    durations = await harness.db.fetchall(
        "SELECT DISTINCT round((julianday(ends_at) - julianday(starts_at)) * 24, 2) FROM events"
    )
    assert [r[0] for r in durations] == [1.0]
    told = await _told(harness)
    assert sorted(told) == [101]  # once per occurrence she answered
    assert len(told[101]) == 2
    assert "cambió de fecha: ahora el miércoles, 9 de diciembre de 2026, 19:30" in told[101][0]
    assert "cambió de fecha: ahora el miércoles, 23 de diciembre de 2026, 19:30" in told[101][1]
    moves = await harness.db.fetchall(
        "SELECT target_id FROM audit_log WHERE action = 'event.move' ORDER BY target_id"
    )
    assert [r[0] for r in moves] == ids[1:]


async def test_only_this_one_changes_one_date_and_the_others_stay(harness: Harness) -> None:
    cora, ids = await _series(harness)
    await cora.send(f"/start ev_{ids[2]}")
    await cora.tap("🕒 Mover")
    await cora.tap("Solo esta")
    replies = await cora.send("17/12 18:00")
    assert "siguientes" not in replies.text
    assert await _starts(harness) == [*WEEKLY[:2], "2026-12-18T00:00:00Z", *WEEKLY[3:]]

    await cora.send(f"/start ev_{ids[4]}")
    await cora.tap("📍 Lugar")
    await cora.tap("Solo esta")
    await cora.send("https://meet.example.com/em")
    places = await harness.db.fetchall("SELECT place, online_url FROM events ORDER BY id")
    assert [tuple(r) for r in places] == [("Sede CLIA", None)] * 4 + [
        (None, "https://meet.example.com/em"),
        ("Sede CLIA", None),
    ]


async def test_editing_and_cancelling_this_and_the_following_ones(harness: Harness) -> None:
    cora, ids = await _series(harness)
    ana = harness.person(user_id=101)
    for event_id in ids:
        await ana.send(f"/start ev_{event_id}")
        await _answer(ana, event_id)
    await harness.drain()

    await cora.send(f"/start ev_{ids[3]}")
    await cora.tap("✏️ Editar")
    await cora.tap("Esta y las siguientes")
    await cora.tap("Título")
    replies = await cora.send("Reunión semanal de electromovilidad")
    assert "✅ Guardado. Se está avisando a quienes respondieron." in replies.text
    assert "🔁 También las 2 reuniones siguientes." in replies.text
    titles = [r[0] for r in await harness.db.fetchall("SELECT title FROM events ORDER BY id")]
    assert titles == ["Reunión semanal"] * 3 + ["Reunión semanal de electromovilidad"] * 3
    assert len((await _told(harness))[101]) == 3

    await cora.send(f"/start ev_{ids[4]}")
    await cora.tap("✏️ Editar")
    await cora.tap("Esta y las siguientes")
    await cora.tap("Cupo")
    await cora.send("12")
    capacities = [r[0] for r in await harness.db.fetchall("SELECT capacity FROM events")]
    assert capacities == [None] * 4 + [12, 12]

    await cora.send(f"/start ev_{ids[3]}")
    await cora.tap("❌ Cancelar evento")
    replies = await cora.tap("Esta y las siguientes")
    assert (
        "¿Cancelar Reunión semanal de electromovilidad y las 2 reuniones siguientes?"
        in replies.text
    )
    replies = await cora.tap("❌ Sí, cancelarlo")
    assert "🔁 También las 2 reuniones siguientes." in replies.text
    statuses = [r[0] for r in await harness.db.fetchall("SELECT status FROM events ORDER BY id")]
    assert statuses == ["published"] * 3 + ["cancelled"] * 3
    told = await _told(harness)
    assert [t.split("\n")[0] for t in told[101]] == [
        "❌ Reunión semanal de electromovilidad (martes, 22 de diciembre de 2026, 18:00) se"
        " canceló.",
        "❌ Reunión semanal de electromovilidad (martes, 29 de diciembre de 2026, 18:00) se"
        " canceló.",
        "❌ Reunión semanal de electromovilidad (martes, 5 de enero de 2027, 18:00) se canceló.",
    ]
    await cora.send(f"/start ev_{ids[2]}")  # the last one left asks no question
    replies = await cora.tap("🕒 Mover")
    assert "serie" not in replies.text and "Nueva fecha y hora" in replies.text


async def test_the_series_question_checks_the_role_and_goes_stale(harness: Harness) -> None:
    cora, ids = await _series(harness)
    await cora.send(f"/start ev_{ids[0]}")
    await cora.tap("🕒 Mover")
    await harness.db.execute("UPDATE members SET role = 'member' WHERE telegram_user_id = 800")
    replies = await cora.tap("Esta y las siguientes")
    assert replies.alerts == ["⛔ Solo los coordinadores del clúster pueden hacer esto."]
    await harness.db.execute("UPDATE members SET role = 'coordinator' WHERE telegram_user_id = 800")
    await cora.tap("Solo esta")
    replies = await cora.tap_data("ef:scope:following")  # the question's button again
    assert replies.alerts == [
        "Ese botón es de un paso anterior. Responde la última pregunta, por favor."
    ]
    await cora.send("2/12 18:00")
    assert await _starts(harness) == ["2026-12-03T00:00:00Z", *WEEKLY[1:]]
