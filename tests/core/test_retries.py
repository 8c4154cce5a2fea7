"""One retry policy for every Bot API call (bot/retries.py), seen from the chat: what is
repeated, what is not sent twice, what the person is told, and forms that keep up."""

from __future__ import annotations

import logging

import pytest

from tests.factories import add_member
from tests.flows import sign_up_until_summary
from tests.harness import Harness, Person, Replies

NOTICE_ES = "⚠️ Telegram está teniendo problemas en este momento"


def _sends(replies: Replies) -> list[tuple[bool, str]]:
    return [(c.ok, c.text) for c in replies.calls if c.method == "sendMessage"]


async def test_a_reply_refused_with_502_is_sent_again_and_arrives(harness: Harness) -> None:
    ana = harness.person()
    harness.api.fail("sendMessage", chat_id=ana.id, status=502, description="Bad Gateway", times=2)
    replies = await ana.send("/help")
    sends = _sends(replies)
    assert [ok for ok, _ in sends] == [False, False, True]
    assert "Lo que puedo hacer por ti" in sends[-1][1]
    assert NOTICE_ES not in replies.text
    first, second = harness.slept[:2]  # 0.5 s, then 1 s, each with up to 20 % jitter
    assert 0.4 <= first <= 0.6 and 0.8 <= second <= 1.2


async def test_a_refused_connection_is_tried_again_even_for_a_send(harness: Harness) -> None:
    ana = harness.person()
    harness.api.fail("sendMessage", chat_id=ana.id, kind="connection")
    replies = await ana.send("/help")
    assert [ok for ok, _ in _sends(replies)] == [False, True]  # nothing reached Telegram
    assert "Lo que puedo hacer por ti" in replies.text


async def test_a_send_that_timed_out_is_never_sent_twice_and_the_person_is_told(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    ana = harness.person()
    harness.api.fail("sendMessage", chat_id=ana.id, kind="timeout")
    replies = await ana.send("/help")
    sends = [c for c in replies.calls if c.method == "sendMessage"]
    assert len(sends) == 2  # the help, carried out with its answer lost, then the notice
    assert "Lo que puedo hacer por ti" in sends[0].text and not sends[0].answered
    assert sends[1].text.startswith(NOTICE_ES)
    assert "si no ves mi respuesta, vuelve a enviarlo" in sends[1].text
    assert any("not sent again" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if r.exc_info]  # a warning line, no traceback
    assert harness.errors == []


async def test_taps_and_edits_are_repeated_and_done_once(harness: Harness) -> None:
    ana = harness.person()
    await ana.send("/language")
    harness.api.fail("answerCallbackQuery", kind="timeout")
    harness.api.fail("editMessageText", chat_id=ana.id, kind="timeout")
    replies = await ana.tap("English")
    # Carried out with the answer lost; the repeat is refused as already done, which counts.
    for method in ("answerCallbackQuery", "editMessageText"):
        calls = [c for c in replies.calls if c.method == method]
        assert [(c.ok, c.answered) for c in calls] == [(True, False), (False, True)], method
    assert "Here is the main menu in your language." in replies.text
    assert "⚠️" not in replies.text
    assert harness.errors == []


async def test_after_three_retries_the_person_is_told_in_their_language(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    ben = harness.person(user_id=1002, first_name="Ben", language_code="en")
    harness.api.fail("sendMessage", chat_id=ben.id, status=502, description="Bad Gateway", times=4)
    replies = await ben.send("/help")
    sends = _sends(replies)
    assert [ok for ok, _ in sends] == [False] * 4 + [True]
    assert sends[-1][1] == (
        "⚠️ Telegram is having trouble right now, so my reply may not have reached you. "
        "Nothing you sent is lost: if you don't see my answer, send it again in a moment."
    )
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert "Bot API sendMessage: 502 Bad Gateway; gave up after 4 attempts" in lines
    assert harness.errors == []


async def _to_organization(ana: Person) -> None:
    await ana.send("/start")
    await ana.tap("✓ Español")
    await ana.tap("✅ Acepto")
    await ana.tap("✅ Ana López")


async def test_a_sign_up_question_whose_answer_was_lost_moves_the_form_on(
    harness: Harness,
) -> None:
    ana = harness.person(first_name="Ana", last_name="López")
    await _to_organization(ana)
    harness.api.fail("sendMessage", chat_id=ana.id, kind="timeout")  # the job-title question
    replies = await ana.tap("Continental")
    assert replies.texts[-2] == "💼 ¿Cuál es tu puesto?"  # it arrived…
    assert "envía /start para continuar donde te quedaste" in replies.texts[-1]  # …unconfirmed
    replies = await ana.send("Ingeniera de Calidad")  # answers the question it saw
    assert "¿Cuál es tu correo de trabajo?" in replies.text
    row = await harness.db.fetchone(
        "SELECT job_title, organization_id IS NOT NULL FROM members WHERE telegram_user_id = ?",
        (ana.id,),
    )
    assert row is not None and tuple(row) == ("Ingeniera de Calidad", 1)
    asked = [m for m in ana.inbox() if m.get("text") == "💼 ¿Cuál es tu puesto?"]
    assert len(asked) == 1  # no step was repeated
    assert harness.errors == []


async def test_a_sign_up_question_that_never_arrived_comes_with_start(harness: Harness) -> None:
    ana = harness.person(first_name="Ana", last_name="López")
    await _to_organization(ana)
    harness.api.fail("sendMessage", chat_id=ana.id, status=502, description="Bad Gateway", times=4)
    replies = await ana.tap("Continental")
    assert "¿Cuál es tu puesto?" not in replies.text  # Telegram never took it
    assert "envía /start para continuar donde te quedaste" in replies.text
    replies = await ana.send("/start")
    assert "¿Cuál es tu puesto?" in replies.text  # where the stored answers stand
    assert "¿En qué organización trabajas?" not in replies.text
    replies = await ana.send("Ingeniera de Calidad")
    assert "¿Cuál es tu correo de trabajo?" in replies.text
    assert harness.errors == []


async def test_coordinators_hear_of_an_application_whose_thanks_did_not_arrive(
    harness: Harness,
) -> None:
    await add_member(harness.db, 800, full_name="Cora Coord", role="coordinator")
    ana = harness.person(first_name="Ana", last_name="López")
    await sign_up_until_summary(ana)
    harness.api.fail("sendMessage", chat_id=ana.id, status=502, description="Bad Gateway", times=4)
    replies = await ana.tap("✅ Confirmar y enviar")
    to_cora = [c.text for c in replies.messages if c.chat_id == 800]
    assert any("Nueva solicitud de membresía" in text for text in to_cora)
    status = await harness.db.fetchval(
        "SELECT status FROM members WHERE telegram_user_id = ?", (ana.id,)
    )
    assert status == "pending"
    replies = await ana.send("/start")  # the form is over: no question of it comes back
    assert "Revisa tus datos" not in replies.text
    assert harness.errors == []
