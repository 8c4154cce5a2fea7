"""Working groups managed from /groups: coordinators of the group's axis (and admins) rename
a group (unique in its axis, whatever the accents and case) and archive it (not while it
has meetings ahead); who may not is refused and nothing changes; old buttons expire."""

from __future__ import annotations

from tests.events.test_events import _coordinator
from tests.factories import add_group, add_member, axis_id, join_group
from tests.harness import Harness, Person

EXPIRED = ["Este botón ya caducó. Vuelve a empezar, por favor."]


async def _talent_coordinator(harness: Harness) -> Person:
    sara_id = await add_member(harness.db, 810, full_name="Sara Scoped", role="coordinator")
    await harness.db.execute(
        "INSERT INTO coordinator_axes (member_id, axis_id) VALUES (?, ?)",
        (sara_id, await axis_id(harness.db, "talent")),
    )
    return harness.person(user_id=810, first_name="Sara")


async def _groups(harness: Harness) -> list[tuple[str, str | None]]:
    rows = await harness.db.fetchall("SELECT name, archived_at FROM working_groups ORDER BY id")
    return [(r[0], r[1]) for r in rows]


async def test_staff_buttons_only_on_groups_of_the_coordinators_axes(harness: Harness) -> None:
    electro = await add_group(harness.db, "Electromovilidad")
    dual = await add_group(harness.db, "Talento dual", axis="talent")
    await add_member(harness.db, 101)
    cora = await _coordinator(harness)  # every axis
    sara = await _talent_coordinator(harness)
    replies = await harness.person(user_id=101).send("/groups")
    assert replies.last.button_labels == [
        "➕ Unirme a Electromovilidad",
        "➕ Unirme a Talento dual",
    ]
    replies = await cora.send("/groups")
    assert replies.last.button_labels == [
        "➕ Unirme a Electromovilidad",
        "✏️",
        "🗄",
        "➕ Unirme a Talento dual",
        "✏️",
        "🗄",
    ]
    assert [b["callback_data"] for b in replies.last.inline_buttons][1:3] == [
        f"wg:{electro}:ren",
        f"wg:{electro}:arc",
    ]
    replies = await sara.send("/groups")
    assert replies.last.button_labels == [
        "➕ Unirme a Electromovilidad",
        "➕ Unirme a Talento dual",
        "✏️",
        "🗄",
    ]
    assert [b["callback_data"] for b in replies.last.inline_buttons][2] == f"wg:{dual}:ren"


async def test_renaming_a_group_keeps_names_unique_in_its_axis(harness: Harness) -> None:
    electro = await add_group(harness.db, "Electromovilidad")
    await add_group(harness.db, "Manufactura avanzada")
    await add_group(harness.db, "Movilidad eléctrica", axis="talent")  # another axis: fine
    cora = await _coordinator(harness)
    await cora.send("/groups")
    replies = await cora.tap_data(f"wg:{electro}:ren", cora.inbox()[-1])
    assert replies.texts == ["✏️ ¿Cuál es el nuevo nombre del grupo de trabajo Electromovilidad?"]
    replies = await cora.send("manufactura AVANZADA")
    assert "Ese eje ya tiene un grupo con ese nombre. Elige otro nombre." in replies.text
    replies = await cora.send("x" * 101)
    assert "Es demasiado largo: máximo 100 caracteres" in replies.text
    replies = await cora.send("  Movilidad   eléctrica ")
    assert replies.texts == [
        "✅ El grupo de trabajo Electromovilidad ahora se llama Movilidad eléctrica."
    ]
    assert await _groups(harness) == [
        ("Movilidad eléctrica", None),
        ("Manufactura avanzada", None),
        ("Movilidad eléctrica", None),
    ]
    await cora.send("/groups")  # its own name with other accents and case is fine
    await cora.tap_data(f"wg:{electro}:ren", cora.inbox()[-1])
    await cora.send("Movilidad Electrica")
    assert (await _groups(harness))[0] == ("Movilidad Electrica", None)
    audit = await harness.db.fetchall(
        "SELECT action, target_kind, target_id, details FROM audit_log ORDER BY id"
    )
    assert [tuple(r[:3]) for r in audit] == [("group.rename", "working_group", electro)] * 2
    assert '"old": "Electromovilidad"' in audit[0][3]
    replies = await harness.person(user_id=900).send("/audit")
    assert "cambió el nombre de un grupo de trabajo" in replies.text


async def test_archiving_waits_for_the_meetings_ahead_then_hides_the_group(
    harness: Harness,
) -> None:
    db = harness.db
    group = await add_group(db, "Electromovilidad")
    ana = await add_member(db, 101)
    await join_group(db, group, ana)
    await db.execute(
        "INSERT INTO events (kind, axis_id, group_id, title, starts_at, ends_at, status)"
        " VALUES ('meeting', ?, ?, 'Reunión mensual', '2026-12-09T00:00:00Z',"
        " '2026-12-09T01:00:00Z', 'published')",
        (await axis_id(db, "innovation"), group),
    )
    cora = await _coordinator(harness)
    await cora.send("/groups")
    replies = await cora.tap("🗄")
    assert (
        "🗄 Electromovilidad todavía tiene 1 reunión próxima. Cancélala primero (ábrela abajo y"
        " toca ❌ Cancelar evento) y luego archiva el grupo." in replies.text
    )
    assert replies.last.button_labels == ["8 dic, 18:00 · Reunión mensual"]
    replies = await cora.tap("8 dic, 18:00 · Reunión mensual")  # its card
    await cora.tap("❌ Cancelar evento")
    await cora.tap("❌ Sí, cancelarlo")
    await harness.drain()

    await cora.send("/groups")
    replies = await cora.tap("🗄")
    assert "¿Archivar el grupo de trabajo Electromovilidad?" in replies.text
    replies = await cora.tap("◀ No, mantenerlo")
    assert replies.texts == ["No cambió nada."]
    assert await db.fetchval("SELECT archived_at FROM working_groups") is None
    await cora.send("/groups")
    await cora.tap("🗄")
    replies = await cora.tap("🗄 Sí, archivarlo")
    assert "Electromovilidad quedó archivado." in replies.text
    assert await db.fetchval("SELECT archived_at FROM working_groups") == "2026-11-24T16:00:00Z"
    assert await db.fetchval("SELECT count(*) FROM working_group_members") == 1  # kept
    assert await db.fetchval("SELECT count(*) FROM events") == 1
    replies = await cora.tap_data(f"wg:{group}:arcy", cora.inbox()[-1])  # a second tap
    assert replies.alerts == EXPIRED
    assert [r[0] for r in await db.fetchall("SELECT action FROM audit_log ORDER BY id")] == [
        "event.cancel",
        "group.archive",
    ]

    replies = await harness.person(user_id=101).send("/groups")
    assert replies.texts == ["Aún no hay grupos de trabajo."]
    await cora.send("/newevent")  # no longer offered for a meeting
    await cora.tap("💡 Innovación")
    replies = await cora.tap("👥 Una reunión de grupo de trabajo")
    assert "Este eje aún no tiene grupos de trabajo." in replies.text
    assert await harness.app.bot_data.services.repos.targets.working_groups() == []  # type: ignore[union-attr]
    for data in (f"wg:{group}:join", f"wg:{group}:ren", f"wg:{group}:arc"):
        replies = await cora.tap_data(data, cora.inbox()[-1])  # the old list's buttons
        assert replies.alerts == EXPIRED, data


async def test_members_and_other_axes_coordinators_cannot_rename_or_archive(
    harness: Harness,
) -> None:
    group = await add_group(harness.db, "Electromovilidad")
    await add_member(harness.db, 101)
    member = harness.person(user_id=101)
    sara = await _talent_coordinator(harness)
    await member.send("/help")
    await sara.send("/help")
    for action in ("ren", "arc", "arcy", "arcn"):
        replies = await member.tap_data(f"wg:{group}:{action}")
        assert replies.alerts == ["⛔ Solo los coordinadores del clúster pueden hacer esto."]
        assert replies.messages == []
        replies = await sara.tap_data(f"wg:{group}:{action}")
        assert replies.alerts == [
            "⛔ Tú coordinas otros ejes; este lo gestionan sus propios coordinadores."
        ]
        assert replies.messages == []
    replies = await sara.tap_data("wg:999:arc")  # forged: no such group
    assert replies.alerts == EXPIRED
    replies = await sara.tap_data(f"wg:{group}:zap")  # forged action
    assert replies.alerts == EXPIRED
    assert await _groups(harness) == [("Electromovilidad", None)]
    assert await harness.db.fetchval("SELECT count(*) FROM audit_log") == 0


async def test_a_rename_typed_after_the_group_was_archived_changes_nothing(
    harness: Harness,
) -> None:
    group = await add_group(harness.db, "Electromovilidad")
    cora = await _coordinator(harness)
    await cora.send("/groups")
    await cora.tap("✏️")
    other = await _coordinator(harness, user_id=805)  # another coordinator archives it meanwhile
    await other.send("/groups")
    await other.tap("🗄")
    await other.tap("🗄 Sí, archivarlo")
    replies = await cora.send("Movilidad eléctrica")
    assert replies.texts == ["Este grupo de trabajo ya no se puede cambiar."]
    assert (await _groups(harness))[0][0] == "Electromovilidad"
    assert group
