"""Surveys: creation from a file (and its errors) and in the chat, every question type,
conditions, Back and Skip, resuming after a restart, one response per member, anonymity,
reminders, closing on time, native polls, results against hand-computed figures, exports,
and refusals."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.context import Ctx
from tests.factories import add_group, add_member, axis_id, join_group
from tests.harness import Harness, Person

COORDINATOR = 800

FULL = """
title: Pulso del clúster
intro: Seis preguntas rápidas.
closes: 30/11/2026 18:00
audience: everyone
anonymous: {anonymous}
questions:
  - type: single
    text: ¿Tu empresa tiene becarios?
    options: [Sí, No, En preparación]
  - type: text
    text: ¿Qué lo impide?
    max_length: 40
    show_if: {{question: 1, answer: No}}
  - type: multi
    text: ¿Qué temas te interesan?
    options: [Electromovilidad, Industria 4.0, Talento]
  - type: scale
    text: ¿Qué tan útil fue el último taller?
    required: false
  - type: nps
    text: ¿Recomendarías el clúster?
  - type: yesno
    text: ¿Vendrías al foro?
  - type: number
    text: ¿Cuántas personas en tu planta?
    min: 1
    max: 5000
"""


async def _coordinator(harness: Harness) -> Person:
    await add_member(harness.db, COORDINATOR, full_name="Cora Coord", role="coordinator")
    return harness.person(user_id=COORDINATOR, first_name="Cora")


async def _send_file(harness: Harness, person: Person, name: str, content: str) -> Any:
    file_id = f"doc-{len(harness.api.uploaded) + 1}"
    harness.api.uploaded[file_id] = content.encode()
    document = {
        "file_id": file_id,
        "file_unique_id": f"u{file_id}",
        "file_name": name,
        "file_size": len(content.encode()),
    }
    return await harness.feed({"message": person._message(document=document)})


async def _launch(harness: Harness, anonymous: bool = False, text: str = FULL) -> int:
    cora = await _coordinator(harness)
    await _send_file(harness, cora, "pulso.yaml", text.format(anonymous=str(anonymous).lower()))
    replies = await cora.tap("🚀 Lanzar")
    assert "se lanzó" in replies.text, replies.texts
    return int(await harness.db.fetchval("SELECT max(id) FROM surveys"))


async def _answer_all(harness: Harness, person: Person, blocker: bool = False) -> None:
    """Start from the invitation and answer every question."""
    await person.tap("▶️ Empezar")
    await person.tap("No" if blocker else "Sí")
    if blocker:
        await person.send("Falta de presupuesto")
    await person.tap("Electromovilidad")
    await person.tap("Talento")
    await person.tap("Listo ✅")
    await person.tap("Omitir ⏭")
    await person.tap("9")
    await person.tap("Sí")
    await person.send("120")


async def test_a_file_with_errors_names_question_and_field(harness: Harness) -> None:
    cora = await _coordinator(harness)
    bad = """
title: Mal
closes: 30/11/2026 18:00
questions:
  - type: single
    text: ¿Uno?
    options: [Solo una]
  - type: scale
    text: ""
  - type: text
    text: ¿Por qué?
    show_if: {question: 5, answer: x}
  - type: color
    text: ¿Qué color?
"""
    replies = await _send_file(harness, cora, "mal.yaml", bad)
    text = replies.text
    assert text.startswith("❌ El archivo de la encuesta tiene problemas:")
    assert "• Pregunta 1, options: single and multi questions need at least 2 options" in text
    assert "• Pregunta 2, text: String should have at least 1 character" in text
    assert "• Pregunta 4, type: Input should be 'single'" in text
    replies = await _send_file(harness, cora, "mal.json", "{not json")
    assert "• document: cannot be read" in replies.text
    replies = await _send_file(
        harness, cora, "mal.yaml", FULL.format(anonymous="false").replace("30/11/2026", "1/1/2020")
    )
    assert "• closes: Ese momento ya pasó." in replies.text
    assert await harness.db.fetchval("SELECT count(*) FROM surveys") == 0


async def test_launch_invites_through_the_outbox_and_the_whole_flow(harness: Harness) -> None:
    for user in (101, 102):
        await add_member(harness.db, user, full_name=f"P{user}")
    await add_member(harness.db, 103, notifications=False)
    survey_id = await _launch(harness)
    delivered = await harness.drain()
    invited = sorted(c.chat_id for c in delivered.messages)
    assert invited == [101, 102, COORDINATOR]
    invitation = next(c for c in delivered.messages if c.chat_id == 101)
    assert invitation.text.startswith(
        "📝 Encuesta: Pulso del clúster\nSeis preguntas rápidas.\n7 preguntas"
    )
    ana = harness.person(user_id=101)
    replies = await ana.tap("▶️ Empezar")
    assert replies.last.text.startswith("📝 Pulso del clúster · 1/7\n\n¿Tu empresa tiene becarios?")
    replies = await ana.tap("No")
    assert "2/7" in replies.last.text and "¿Qué lo impide?" in replies.last.text  # condition met
    replies = await ana.send("x" * 41)
    assert replies.texts == ["Es demasiado largo: máximo 40 caracteres (el tuyo tiene 41)."]
    replies = await ana.tap_data(f"sv:{survey_id}:1:o1")  # a button of the first question
    assert replies.alerts == ["Ese botón es de otra pregunta. Aquí es donde vas."]
    await ana.send("Falta de presupuesto")
    replies = await ana.send("otra cosa")  # text where buttons are expected
    assert replies.texts[0] == "Responde con los botones de la pregunta de arriba, por favor."
    await ana.tap("Electromovilidad")
    replies = await ana.tap("Talento")
    assert "✓ Electromovilidad" in str(replies.last.inline_buttons)
    await ana.tap("Listo ✅")
    replies = await ana.tap("◀ Atrás")  # back to the multi question, answers ticked
    assert "3/7" in replies.last.text and "✓ Talento" in str(replies.last.inline_buttons)
    await ana.tap("Listo ✅")
    await ana.tap("Omitir ⏭")
    await ana.tap("9")
    await ana.tap("Sí")
    replies = await ana.send("mil")
    assert replies.texts == ["Escribe un número, por ejemplo 12."]
    replies = await ana.send("9,000")  # a thousands comma, as typed in Mexico
    assert replies.texts == ["Está fuera de rango: escribe un número de 1 a 5000."]
    replies = await ana.send("1,200")
    assert "¡Gracias!" in replies.text
    replies = await ana.tap_data(f"sv:{survey_id}:0:start")
    assert replies.alerts == ["Ya respondiste esta encuesta. ¡Gracias!"]
    rows = await harness.db.fetchall(
        "SELECT q.position, o.code, a.value_number, a.value_text FROM survey_answers a"
        " JOIN survey_questions q ON q.id = a.question_id"
        " LEFT JOIN survey_options o ON o.id = a.option_id ORDER BY q.position, o.code"
    )
    assert [tuple(r) for r in rows] == [
        (1, "o2", None, None),
        (2, None, None, "Falta de presupuesto"),
        (3, "o1", None, None),
        (3, "o3", None, None),
        (5, None, 9.0, None),
        (6, None, 1.0, None),
        (7, None, 1200.0, None),
    ]
    assert await harness.db.fetchval("SELECT complete FROM survey_responses") == 1


async def test_the_conditional_question_is_skipped_when_not_met(harness: Harness) -> None:
    await add_member(harness.db, 101)
    await _launch(harness)
    await harness.drain()
    ana = harness.person(user_id=101)
    await ana.tap("▶️ Empezar")
    replies = await ana.tap("Sí")
    assert "3/7" in replies.last.text  # question 2 only shows after "No"


async def test_resume_after_a_restart_and_answers_are_kept(harness: Harness) -> None:
    await add_member(harness.db, 101)
    await _launch(harness)
    await harness.drain()
    ana = harness.person(user_id=101)
    await ana.tap("▶️ Empezar")
    await ana.tap("Sí")
    await ana.tap("Talento")
    await harness.restart()
    replies = await ana.send("/surveys")
    await ana.tap("▶️ Empezar")
    replies = await ana.tap("Listo ✅")
    assert "4/7" in replies.last.text
    draft = await harness.db.fetchval("SELECT answers FROM survey_drafts")
    assert len(json.loads(draft)) == 2  # committed in the draft, filed when she finishes


async def test_mydata_shows_the_answers_of_a_survey_in_progress(harness: Harness) -> None:
    await add_member(harness.db, 101)
    await _launch(harness)
    await harness.drain()
    ana = harness.person(user_id=101)
    await ana.tap("▶️ Empezar")
    await ana.tap("Sí")
    replies = await ana.send("/mydata")
    data = json.loads(replies.last.files["document"][1])
    assert [a["answers"] for a in data["survey_answers_in_progress"]] == [["o1"]]


async def test_anonymous_answers_are_linked_to_nobody(harness: Harness) -> None:
    for user in (101, 102, 103):
        await add_member(harness.db, user)
    survey_id = await _launch(harness, anonymous=True)
    await harness.drain()
    for user in (101, 102):
        await _answer_all(harness, harness.person(user_id=user), blocker=user == 102)
    await harness.person(user_id=103).tap("▶️ Empezar")
    await harness.person(user_id=103).tap("Sí")  # started, not finished
    db = harness.db
    member_ids = {r[0] for r in await db.fetchall("SELECT id FROM members")}
    responses = await db.fetchall("SELECT id, member_id, submitted_on FROM survey_responses")
    assert len(responses) == 2
    assert all(r[1] is None and r[2] is None for r in responses)
    assert not {r[0] for r in responses} & member_ids
    rowids = [r[0] for r in await db.fetchall("SELECT rowid FROM survey_answers ORDER BY rowid")]
    inserted = [r[0] for r in await db.fetchall("SELECT rowid FROM survey_answers")]
    assert max(rowids) > 10_000 and rowids == sorted(inserted)  # random, not insertion order
    # no column anywhere ties an answer to a member or a precise time
    columns = {
        table: [c[1] for c in await db.fetchall(f"PRAGMA table_info({table})")]
        for table in ("survey_answers", "survey_responses")
    }
    assert columns["survey_answers"] == [
        "response_id",
        "question_id",
        "option_id",
        "value_number",
        "value_text",
    ]
    assert not any(c.endswith("_at") for c in columns["survey_responses"])
    # who took part is known, with the date only
    taking_part = await db.fetchall(
        "SELECT completed_on FROM survey_participation"
        " WHERE survey_id = ? AND started_at IS NOT NULL",
        (survey_id,),
    )
    assert sorted(str(r[0]) for r in taking_part) == ["2026-11-24", "2026-11-24", "None"]
    drafts = await db.fetchall("SELECT member_id FROM survey_drafts")
    assert [r[0] for r in drafts] != []  # only the unfinished one is still in a draft
    await harness.person(user_id=COORDINATOR).send(f"/results {survey_id}")
    cora = harness.person(user_id=COORDINATOR)
    replies = await cora.tap("🔒 Cerrar ahora")  # asks first: closing cannot be undone
    assert "no se puede reabrir" in replies.text
    await cora.tap("◀ No, dejarla abierta")
    assert await db.fetchval("SELECT status FROM surveys") == "open"
    await cora.tap("🔒 Cerrar ahora")
    await cora.tap("🔒 Sí, cerrarla")
    assert await db.fetchval("SELECT status FROM surveys") == "closed"
    assert await db.fetchval("SELECT count(*) FROM survey_drafts") == 0
    assert await db.fetchval("SELECT count(*) FROM survey_responses WHERE complete = 0") == 1


async def test_results_match_hand_computed_figures(harness: Harness) -> None:
    for user in range(101, 106):
        await add_member(harness.db, user)
    survey_id = await _launch(harness)
    await harness.drain()
    scores = {101: "10", 102: "9", 103: "7", 104: "3"}  # 105 does not finish
    for user, score in scores.items():
        person = harness.person(user_id=user)
        await person.tap("▶️ Empezar")
        await person.tap({104: "En preparación", 103: "No"}.get(user, "Sí"))
        if user == 103:
            await person.send("Sin presupuesto")  # the free text, shown only after "No"
        await person.tap("Talento")
        if user == 101:
            await person.tap("Electromovilidad")
        await person.tap("Listo ✅")
        if user in (101, 102):
            await person.tap({101: "5", 102: "2"}[user])
        else:
            await person.tap("Omitir ⏭")
        await person.tap(score)
        await person.tap("No" if user == 103 else "Sí")
        await person.send(str(user - 100))
    await harness.person(user_id=105).tap("▶️ Empezar")
    cora = harness.person(user_id=COORDINATOR)
    replies = await cora.send("/results")  # no number: the surveys to tap
    assert replies.last.button_labels == [f"#{survey_id} Pulso del clúster (abierta)"]
    replies = await cora.tap(f"#{survey_id} Pulso del clúster (abierta)")
    text = replies.text
    # 4 of 6 invited completed (5 members + the coordinator); 5 started
    assert "Tasa de respuesta: 4 de 6 invitados (67%) · 5 empezaron" in text
    assert "• Sí: 2 (50%)\n• No: 1 (25%)\n• En preparación: 1 (25%)" in text
    assert "2. ¿Qué lo impide? (1 respuesta)\n💬 Sin presupuesto" in text
    # multiple choice: each option counted over the people who answered (4)
    assert "• Electromovilidad: 1 (25%)\n• Industria 4.0: 0 (0%)\n• Talento: 4 (100%)" in text
    # the scale: 2 and 5 → a distribution of halves and a mean of 3.5
    assert "4. ¿Qué tan útil fue el último taller? (2 respuestas)" in text
    assert "• 2: 1 (50%)\n• 3: 0 (0%)\n• 4: 0 (0%)\n• 5: 1 (50%)\nPromedio: 3.50" in text
    # NPS: promoters 10, 9 (2); passive 7; detractor 3 → (2 - 1) / 4 = +25; mean 29/4
    assert "NPS: +25" in text and "Promedio: 7.25" in text
    assert "• Sí: 3 (75%)\n• No: 1 (25%)" in text
    assert "Promedio: 2.50" in text  # the numbers 1, 2, 3, 4
    charts = [c for c in replies.calls if c.method == "sendPhoto"]
    assert len(charts) == 6  # every question with answers but the text one
    assert charts[0].files["photo"][1].startswith(b"\x89PNG")


async def test_exports_long_wide_and_xlsx(harness: Harness) -> None:
    await add_member(harness.db, 101, full_name="Ana López")
    survey_id = await _launch(harness)
    await harness.drain()
    await _answer_all(harness, harness.person(user_id=101))
    cora = harness.person(user_id=COORDINATOR)
    await cora.send(f"/results {survey_id}")
    long = (await cora.tap("📄 CSV (una fila por respuesta)")).last.files["document"][1]
    rows = list(csv.reader(io.StringIO(long.decode("utf-8-sig"))))
    assert rows[0][:5] == ["response", "member", "organization", "complete", "question_number"]
    assert rows[1][1:9] == [
        "Ana López",
        "Flex",
        "1",
        "1",
        "¿Tu empresa tiene becarios?",
        "single",
        "o1",
        "Sí",
    ]
    assert rows[5][4:] == ["6", "¿Vendrías al foro?", "yesno", "1", "Sí", "1", ""]
    wide = (await cora.tap("📄 CSV (una fila por persona)")).last.files["document"][1]
    table = list(csv.reader(io.StringIO(wide.decode("utf-8-sig"))))
    assert table[0] == [
        "response",
        "member",
        "organization",
        "complete",
        "q1",
        "q2",
        "q3",
        "q3_o1",
        "q3_o2",
        "q3_o3",
        "q4",
        "q5",
        "q6",
        "q7",
    ]
    assert table[1][1:] == [
        "Ana López",
        "Flex",
        "1",
        "Sí",
        "",
        "Electromovilidad;Talento",
        "1",
        "0",
        "1",
        "",
        "9",
        "Sí",
        "120",
    ]
    book = (await cora.tap("📗 Excel (.xlsx)")).last.files["document"][1]
    workbook = load_workbook(io.BytesIO(book))
    assert workbook.sheetnames == ["answers (long)", "responses (wide)"]
    assert workbook["responses (wide)"]["E2"].value == "Sí"


async def test_reminders_reach_only_who_has_not_finished(harness: Harness) -> None:
    for user in (101, 102, 103):
        await add_member(harness.db, user)
    survey_id = await _launch(harness)
    await harness.drain()
    await _answer_all(harness, harness.person(user_id=101))
    await harness.person(user_id=102).tap("▶️ Empezar")
    cora = harness.person(user_id=COORDINATOR)
    await cora.send(f"/results {survey_id}")
    replies = await cora.tap("🔔 Recordar a quien no ha terminado")
    assert replies.alerts == ["🔔 Recordatorio en camino a 3 miembros."]  # 102, 103, Cora
    delivered = await harness.drain()
    assert sorted(c.chat_id for c in delivered.messages) == [102, 103, COORDINATOR]
    assert "Recordatorio: la encuesta Pulso del clúster" in delivered.messages[0].text
    await cora.send(f"/results {survey_id}")
    await cora.tap("🕒 Programar un recordatorio")
    replies = await cora.send("28/11 09:00")
    assert "El recordatorio se enviará el sábado, 28 de noviembre de 2026, 09:00" in replies.text
    await _answer_all(harness, harness.person(user_id=103))
    await add_member(harness.db, 104)  # approved after the launch: reminded too
    harness.clock.advance(days=4)
    delivered = await harness.drain()
    assert sorted(c.chat_id for c in delivered.messages) == [102, 104, COORDINATOR]


async def test_the_survey_closes_by_itself(harness: Harness) -> None:
    await add_member(harness.db, 101)
    await _launch(harness)
    await harness.drain()
    job = harness.app.job_queue.get_jobs_by_name("survey-closing")[0]  # type: ignore[union-attr]
    harness.clock.advance(days=6, hours=8, minutes=1)  # past 30/11 18:00 local
    await job.callback(Ctx.from_job(job, harness.app))  # type: ignore[arg-type]
    assert await harness.db.fetchval("SELECT status FROM surveys") == "closed"
    replies = await harness.person(user_id=101).tap("▶️ Empezar")
    assert replies.alerts == ["Esta encuesta ya cerró. ¡Gracias!"]


async def test_a_one_question_survey_as_a_native_poll(harness: Harness) -> None:
    await add_member(harness.db, 101)
    await add_member(harness.db, 102)
    cora = await _coordinator(harness)
    poll = """
title: Pulso rápido
closes: 26/11 18:00
questions:
  - type: yesno
    text: ¿Vienes al foro del jueves?
"""
    await _send_file(harness, cora, "pulso.yaml", poll)
    await cora.tap("📊 Lanzar como encuesta de Telegram")
    delivered = await harness.drain()
    polls = [c for c in delivered.calls if c.method == "sendPoll"]
    assert sorted(c.chat_id for c in polls) == [101, 102, COORDINATOR]
    assert polls[0].params["is_anonymous"] in (False, "false")
    assert await harness.db.fetchval("SELECT as_poll FROM surveys") == 1
    poll_ids = await harness.db.fetchall(
        "SELECT poll_id, chat_id FROM survey_polls ORDER BY chat_id"
    )
    first = poll_ids[0][0]
    user = {"id": 101, "is_bot": False, "first_name": "Ana"}
    await harness.feed(
        {
            "poll_answer": {
                "poll_id": first,
                "user": user,
                "option_ids": [0],
                "option_persistent_ids": [f"{first}-0"],
            }
        }
    )
    assert await harness.db.fetchval("SELECT value_number FROM survey_answers") == 1.0
    assert await harness.db.fetchval("SELECT count(completed_on) FROM survey_participation") == 1
    harness.clock.advance(days=3)
    job = harness.app.job_queue.get_jobs_by_name("survey-closing")[0]  # type: ignore[union-attr]
    calls_before = len(harness.api.calls)
    await job.callback(Ctx.from_job(job, harness.app))  # type: ignore[arg-type]
    stopped = [c for c in harness.api.calls[calls_before:] if c.method == "stopPoll"]
    assert len(stopped) == 3


async def test_building_a_survey_in_the_chat(harness: Harness) -> None:
    await add_member(harness.db, 101, axes=("talent",))
    cora = await _coordinator(harness)
    await cora.send("/newsurvey")
    await cora.send("Necesidades de talento")
    await cora.tap("Omitir ⏭")
    await cora.tap("Una opción")
    await cora.send("¿Qué perfil buscas más?")
    replies = await cora.send("Técnico")
    assert replies.texts == [
        "Así no funciona: una pregunta con opciones necesita al menos 2 opciones. Envía las "
        "opciones de nuevo, una por línea."
    ]
    replies = await cora.send("Técnico\ntécnico")
    assert "las opciones deben ser distintas entre sí" in replies.text
    await cora.send("Técnico, Ingeniería,  Administrativo")  # one line with commas works too
    await cora.tap("Obligatoria")
    await cora.tap("Un número")
    await cora.send("¿Cuántas vacantes?")
    await cora.send("0-500")
    await cora.tap("Opcional")
    await cora.tap("Preguntar a todos")
    await cora.tap("✅ Sin más preguntas")
    await cora.tap("🔒 Anónima: nadie puede ligar respuestas con personas")
    await cora.tap("🎓 Talento")
    replies = await cora.send("5/12 18:00")
    assert "Se invitará a 1 miembro." in replies.text
    assert "¿Qué perfil buscas más?" in replies.text
    await cora.tap("🚀 Lanzar")
    row = await harness.db.fetchone("SELECT title, anonymous, closes_at, audience FROM surveys")
    assert tuple(row)[:3] == ("Necesidades de talento", 1, "2026-12-06T00:00:00Z")
    assert f'"ids":[{await axis_id(harness.db, "talent")}]' in row[3]
    kinds = [
        r[0]
        for r in await harness.db.fetchall("SELECT kind FROM survey_questions ORDER BY position")
    ]
    assert kinds == ["single", "number"]
    labels = [
        r[0] for r in await harness.db.fetchall("SELECT label FROM survey_options ORDER BY id")
    ]
    assert labels == ["Técnico", "Ingeniería", "Administrativo"]


async def test_members_cannot_create_or_read_results(harness: Harness) -> None:
    await add_member(harness.db, 101)
    survey_id = await _launch(harness)
    member = harness.person(user_id=101)
    refusal = "⛔ Solo los coordinadores del clúster pueden hacer esto."
    assert (await member.send("/newsurvey")).texts == [refusal]
    assert (await member.send(f"/results {survey_id}")).texts == [refusal]
    replies = await _send_file(harness, member, "x.yaml", FULL.format(anonymous="false"))
    assert replies.texts == [refusal]
    for action in ("csv", "wide", "xlsx", "rem", "remat", "close", "closeok", "keep", "res"):
        replies = await member.tap_data(f"sa:{action}:{survey_id}")
        assert replies.alerts == [refusal], action
    assert await harness.db.fetchval("SELECT status FROM surveys") == "open"
    assert await harness.db.fetchval("SELECT count(*) FROM surveys") == 1


async def test_a_chat_built_survey_with_a_condition_for_one_organization(harness: Harness) -> None:
    await add_member(harness.db, 101, organization="SEDEC")
    await add_member(harness.db, 102, organization="Flex")
    cora = await _coordinator(harness)
    await cora.send("/newsurvey")
    await cora.send("Vacantes")
    await cora.tap("Omitir ⏭")
    await cora.tap("Sí / No")
    await cora.send("¿Tienes vacantes abiertas?")
    replies = await cora.tap("Obligatoria")
    assert "¿Hacer esta pregunta" not in replies.text  # nothing earlier to depend on
    await cora.tap("Texto libre")
    await cora.send("¿Qué perfiles?")
    replies = await cora.tap("Opcional")
    assert "🔀 ¿Hacer esta pregunta a todos, o solo tras cierta respuesta?" in replies.text
    replies = await cora.tap("Solo tras una respuesta a la 1: ¿Tienes vacantes abiertas?")
    assert replies.messages[-1].button_labels == ["Sí", "No"]
    await cora.tap("Sí")
    await cora.tap("✅ Sin más preguntas")
    replies = await cora.tap("👤 Con nombre: veo quién respondió qué")
    replies = await cora.tap("🏢 Una organización")
    for _page in range(10):
        if "SEDEC" in replies.messages[-1].button_labels:
            break
        replies = await cora.tap("Siguiente ▶")
    await cora.tap("SEDEC")
    replies = await cora.send("5/12 18:00")
    assert "👥 Destinatarios: miembros de SEDEC" in replies.text
    assert "Se invitará a 1 miembro." in replies.text
    await cora.tap("🚀 Lanzar")
    condition = await harness.db.fetchone(
        "SELECT q.show_if_value, c.position FROM survey_questions q"
        " JOIN survey_questions c ON c.id = q.show_if_question_id"
    )
    assert tuple(condition) == ("1", 1)
    await harness.drain()
    invited = await harness.db.fetchall(
        "SELECT m.telegram_user_id FROM deliveries d JOIN members m ON m.id = d.member_id"
    )
    assert [r[0] for r in invited] == [101]
    member = harness.person(user_id=101)
    await member.tap("▶️ Empezar")
    replies = await member.tap("No")
    assert "¿Qué perfiles?" not in replies.text  # the condition holds in the chat too


async def test_a_scoped_coordinator_picks_only_inside_their_axes(harness: Harness) -> None:
    member_id = await add_member(harness.db, 101, axes=("talent",))
    talent_group = await add_group(harness.db, "Becarios", axis="talent")
    await add_group(harness.db, "Hidrógeno", axis="innovation")
    await join_group(harness.db, talent_group, member_id)
    coordinator_id = await add_member(harness.db, COORDINATOR, role="coordinator")
    await harness.db.execute(
        "INSERT INTO coordinator_axes (member_id, axis_id) VALUES (?, ?)",
        (coordinator_id, await axis_id(harness.db, "talent")),
    )
    cora = harness.person(user_id=COORDINATOR, first_name="Cora")
    await cora.send("/newsurvey")
    await cora.send("Becarios")
    await cora.tap("Omitir ⏭")
    await cora.tap("Sí / No")
    await cora.send("¿Vienes?")
    await cora.tap("Obligatoria")
    await cora.tap("✅ Sin más preguntas")
    replies = await cora.tap("👤 Con nombre: veo quién respondió qué")
    shown = replies.messages[-1].button_labels
    assert "🌐 Todos los miembros" not in shown and "🏢 Una organización" not in shown
    replies = await cora.tap("👥 Un grupo de trabajo")
    shown = replies.messages[-1].button_labels
    assert "Becarios" in shown and "Hidrógeno" not in shown
    # A forged tap on the other axis's everyone button is refused and changes nothing.
    refused = await cora.tap_data("sa:aud:0")
    assert refused.alerts == [
        "⛔ Tú coordinas otros ejes; este lo gestionan sus propios coordinadores."
    ]
    await cora.tap("Becarios")
    replies = await cora.send("5/12 18:00")
    assert "👥 Destinatarios: el grupo de trabajo Becarios" in replies.text
    assert "Se invitará a 1 miembro." in replies.text


async def test_a_named_poll_in_the_community_group(tmp_path: object) -> None:
    from pathlib import Path

    community = -100555
    harness = Harness(Path(str(tmp_path)), community_chat_id=community)
    await harness.start()
    try:
        await add_member(harness.db, 101)
        cora = await _coordinator(harness)
        poll = """
title: Pulso rápido
closes: 26/11 18:00
anonymous: {anonymous}
questions:
  - type: single
    text: ¿Qué día prefieres?
    options: [Martes, Jueves]
"""
        replies = await _send_file(harness, cora, "a.yaml", poll.format(anonymous="true"))
        assert "📊 Encuesta en el grupo de la comunidad" not in replies.messages[-1].button_labels
        await cora.send("/cancel")
        await _send_file(harness, cora, "b.yaml", poll.format(anonymous="false"))
        replies = await cora.tap("📊 Encuesta en el grupo de la comunidad")
        assert "se lanzó como encuesta de Telegram en el grupo de la comunidad" in replies.text
        delivered = await harness.drain()
        polls = [c for c in delivered.calls if c.method == "sendPoll"]
        assert [c.chat_id for c in polls] == [community]  # nobody privately
        assert polls[0].params["is_anonymous"] in (False, "false")
        assert "message_thread_id" not in polls[0].params  # the General topic
        poll_id = await harness.db.fetchval("SELECT poll_id FROM survey_polls")
        for user_id in (101, 555):  # a member, and someone in the group who is not one
            user = {"id": user_id, "is_bot": False, "first_name": "X"}
            answer = {"poll_id": poll_id, "user": user, "option_ids": [1]}
            answer["option_persistent_ids"] = [f"{poll_id}-1"]
            await harness.feed({"poll_answer": answer})
        rows = await harness.db.fetchall(
            "SELECT o.label FROM survey_answers a JOIN survey_options o ON o.id = a.option_id"
        )
        assert [r[0] for r in rows] == ["Jueves"]
        replies = await cora.send("/results 1")
        assert "Jueves: 1 (100%)" in replies.text
        # An axis with a bound topic: the poll goes to that topic.
        repos = harness.app.bot_data.services.repos  # type: ignore[union-attr]
        talent = await axis_id(harness.db, "talent")
        await repos.events.bind_topic(talent, community, 7, None, harness.clock())
        axis_poll = poll.format(anonymous="false") + "audience: {axis: talent}\n"
        await _send_file(harness, cora, "c.yaml", axis_poll)
        await cora.tap("📊 Encuesta en el grupo de la comunidad")
        delivered = await harness.drain()
        polls = [c for c in delivered.calls if c.method == "sendPoll"]
        assert [(c.chat_id, c.params.get("message_thread_id")) for c in polls] == [(community, 7)]
        talent_poll = await harness.db.fetchval(
            "SELECT poll_id FROM survey_polls WHERE survey_id = 2"
        )
        outsider = {"id": 101, "is_bot": False, "first_name": "X"}  # follows Innovation only
        vote = {"poll_id": talent_poll, "user": outsider, "option_ids": [0]}
        await harness.feed({"poll_answer": {**vote, "option_persistent_ids": ["x"]}})
        counted = "SELECT count(*) FROM survey_answers a JOIN survey_questions q"
        counted += " ON q.id = a.question_id WHERE q.survey_id = 2"
        assert await harness.db.fetchval(counted) == 0  # not in that survey's audience
    finally:
        await harness.stop()
        harness.close()


def test_numbers_are_read_as_typed_in_mexico() -> None:
    from handlers.surveys.answering import read_number

    cases = {"1,200": 1200, "1 200": 1200, "12,500.5": 12500.5, "12.5": 12.5, "12,5": 12.5}
    cases |= {"-3": -3, "7": 7, "1,20": 1.2, "0,500": 0.5}
    assert {text: read_number(text) for text in cases} == cases
    assert [read_number(t) for t in ("mil", "1,2,3", "1.200.000", "")] == [None] * 4


async def test_members_who_join_after_the_launch_can_answer(harness: Harness) -> None:
    survey_id = await _launch(harness)  # for everyone
    talent = FULL.replace("audience: everyone", "audience: {{axis: talent}}")
    talent = talent.replace("Pulso del clúster", "Pulso de talento")
    cora = harness.person(user_id=COORDINATOR)
    await _send_file(harness, cora, "t.yaml", talent.format(anonymous="false"))
    await cora.tap("🚀 Lanzar")
    await add_member(harness.db, 150, axes=("innovation",))  # approved after both launches
    await add_member(harness.db, 151, axes=("talent",), muted=("talent",))
    newcomer = harness.person(user_id=150)
    replies = await newcomer.send("/surveys")
    assert "Pulso del clúster" in replies.text and "Pulso de talento" not in replies.text
    replies = await harness.person(user_id=151).send("/surveys")  # muted, still a follower
    assert "Pulso de talento" in replies.text
    replies = await newcomer.tap("▶️ Empezar")
    assert "¿Tu empresa tiene becarios?" in replies.text
    invited = await harness.db.fetchval(  # counted as invited, so the rate stays a rate
        "SELECT invited_at IS NOT NULL FROM survey_participation p JOIN members m"
        " ON m.id = p.member_id WHERE m.telegram_user_id = 150 AND p.survey_id = ?",
        (survey_id,),
    )
    assert invited == 1
    replies = await newcomer.tap_data(f"sv:{survey_id + 1}:0:start")  # not in its audience
    assert replies.alerts == ["Esta encuesta es para otros miembros del clúster."]


async def test_the_example_file_goes_back_as_a_survey_with_every_question_previewed(
    harness: Harness,
) -> None:
    cora = await _coordinator(harness)
    harness.clock.advance(days=40)  # the example closes two weeks after it is handed out
    await cora.send("/newsurvey")
    replies = await cora.tap("📄 Archivo de ejemplo")
    document = replies.last
    name, content = document.files["document"]
    assert name == "encuesta-ejemplo.yaml" and "• audience: everyone, {axis:" in document.text
    assert b"closes: 2027-01-17 18:00" in content
    replies = await _send_file(harness, cora, name, content.decode())
    summary = next(t for t in replies.texts if t.startswith("📋 Todas las preguntas"))
    assert (
        "1. ¿Tu empresa tiene programa de becarios? — Una opción\n    Sí · No · En preparación"
        in (summary)
    )
    assert "2. ¿Qué tan útil fue el último taller? — Escala 1–5\n    opcional" in summary
    assert "3. ¿Por qué no? — Texto libre\n    solo tras “No” en la pregunta 1" in summary


async def test_form_steps_recheck_the_role_at_the_moment_of_the_action(harness: Harness) -> None:
    survey_id = await _launch(harness)  # for everyone, by Cora (no axis limit yet)
    cora = harness.person(user_id=COORDINATOR)
    await cora.send(f"/results {survey_id}")
    await cora.tap("🕒 Programar un recordatorio")
    cora_id = await harness.db.fetchval(
        "SELECT id FROM members WHERE telegram_user_id = ?", (COORDINATOR,)
    )
    await harness.db.execute(  # meanwhile limited to Talent: "everyone" is not hers now
        "INSERT INTO coordinator_axes (member_id, axis_id) VALUES (?, ?)",
        (cora_id, await axis_id(harness.db, "talent")),
    )
    replies = await cora.send("28/11 09:00")
    assert "⛔" in replies.text
    scheduled = "SELECT count(*) FROM broadcasts WHERE status = 'scheduled'"
    assert await harness.db.fetchval(scheduled) == 0

    await cora.send("/newsurvey")
    await cora.send("Pulso")
    await cora.tap("Omitir ⏭")
    await cora.tap("Sí / No")
    await cora.send("¿Vienes?")
    await cora.tap("Obligatoria")
    await cora.tap("✅ Sin más preguntas")
    await cora.tap("👤 Con nombre: veo quién respondió qué")
    await harness.db.execute("UPDATE members SET role = 'member' WHERE id = ?", (cora_id,))
    replies = await cora.tap("👥 Un grupo de trabajo")  # demoted meanwhile: refused
    assert replies.alerts and replies.alerts[0].startswith("⛔")
    assert [c for c in replies.messages if c.method == "editMessageText"] == []


@pytest.mark.parametrize("anonymous", [False, True])
async def test_an_answer_hidden_by_a_later_change_does_not_count(
    harness: Harness, anonymous: bool
) -> None:
    await add_member(harness.db, 101)
    await _launch(harness, anonymous=anonymous)
    await harness.drain()
    person = harness.person(user_id=101)
    await person.tap("▶️ Empezar")
    await person.tap("No")
    await person.send("Falta de presupuesto")  # question 2: shown only after "No"
    await person.tap("◀ Atrás")  # from question 3 back to 2…
    await person.tap("◀ Atrás")  # …and to 1
    await person.tap("Sí")  # question 2 is hidden now
    await person.tap("Electromovilidad")
    await person.tap("Listo ✅")
    await person.tap("Omitir ⏭")
    await person.tap("9")
    await person.tap("Sí")
    replies = await person.send("120")
    assert "¡Gracias!" in replies.text
    texts = await harness.db.fetchall("SELECT value_text FROM survey_answers")
    assert [r[0] for r in texts if r[0] is not None] == []  # the hidden answer is gone
    assert await harness.db.fetchval("SELECT count(*) FROM survey_answers") == 5


async def test_no_copy_of_an_anonymous_draft_is_left_on_disk(harness: Harness) -> None:
    """`secure_delete` zeroes the deleted draft in the database file; the write-ahead log
    keeps older page versions until the scrub job empties it."""
    await add_member(harness.db, 102)
    await _launch(harness, anonymous=True)
    await harness.drain()
    person = harness.person(user_id=102)
    await person.tap("▶️ Empezar")
    await person.tap("No")
    await person.send("ZQXW presupuesto")  # the free text, in the draft as a JSON list
    for label in ("Electromovilidad", "Listo ✅", "Omitir ⏭", "9", "Sí"):
        await person.tap(label)
    await person.send("120")
    path = harness.settings.database_path
    files = [path, path.with_name(path.name + "-wal")]

    def on_disk() -> bool:
        return any(b'["ZQXW presupuesto"]' in f.read_bytes() for f in files if f.exists())

    assert on_disk()  # the draft's old page is still in the log…
    job = harness.app.job_queue.get_jobs_by_name("wal-scrub")[0]  # type: ignore[union-attr]
    await job.callback(Ctx.from_job(job, harness.app))  # type: ignore[arg-type]
    assert not on_disk()  # …and gone after the scrub; the unlinked answer stays
    texts = [r[0] for r in await harness.db.fetchall("SELECT value_text FROM survey_answers")]
    assert "ZQXW presupuesto" in texts


async def test_anonymous_reminders_and_the_one_response_rule(harness: Harness) -> None:
    for user in (101, 102):
        await add_member(harness.db, user)
    survey_id = await _launch(harness, anonymous=True)
    await harness.drain()
    ana = harness.person(user_id=101)
    await _answer_all(harness, ana)
    rows = await harness.db.fetchval("SELECT count(*) FROM survey_answers")
    question = await harness.db.fetchval(
        "SELECT id FROM survey_questions WHERE survey_id = ? AND position = 6", (survey_id,)
    )
    replies = await ana.tap_data(f"sv:{survey_id}:{question}:v1")  # a forged second answer
    assert replies.alerts == ["Ya respondiste esta encuesta. ¡Gracias!"]
    assert await harness.db.fetchval("SELECT count(*) FROM survey_answers") == rows
    cora = harness.person(user_id=COORDINATOR)
    await cora.send(f"/results {survey_id}")
    await cora.tap("🔔 Recordar a quien no ha terminado")  # anonymous: who took part is known
    delivered = await harness.drain()
    assert sorted(c.chat_id for c in delivered.messages) == [102, COORDINATOR]


async def test_typed_answers_leave_no_live_buttons_on_their_questions(harness: Harness) -> None:
    """The blocker (a typed text in the middle) and the last question (a typed number): their
    messages keep their text and lose Back and Skip, like questions answered with a tap."""
    await add_member(harness.db, 101)
    await _launch(harness)
    await harness.drain()
    ana = harness.person(user_id=101)
    await _answer_all(harness, ana, blocker=True)
    inbox = ana.inbox()
    assert "¡Gracias!" in inbox[-1]["text"]
    live = [
        m["text"]
        for m in inbox
        for row in m.get("reply_markup", {}).get("inline_keyboard", [])
        for b in row
        if b["callback_data"].startswith("sv:") and not b["callback_data"].endswith(":start")
    ]
    assert live == []
    assert any("¿Cuántas personas en tu planta?" in m["text"] for m in inbox)
