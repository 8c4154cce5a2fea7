"""What each update costs the bot, held by behaviour: a person's changes are seen by their very
next update though members and surveys are cached, forms save their state right after their
update though other updates write nothing for the persistence, and a survey tap runs a handful
of SQL statements (counted with sqlite3's trace callback on the bot's connections)."""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import pytest
from telegram.ext import CommandHandler, ConversationHandler

from bot.conversations import Conversation
from bot.persistence import check_conversations
from tests.factories import add_member
from tests.harness import Harness, Person

SURVEY = """
title: Pulso rápido
closes: 30/11/2026 18:00
questions:
  - type: single
    text: ¿Qué día prefieres?
    options: [Martes, Jueves]
  - type: scale
    text: ¿Qué tan útil fue el taller?
  - type: yesno
    text: ¿Vendrías otra vez?
"""


async def _statements(harness: Harness, action: Callable[[], Awaitable[Any]]) -> list[str]:
    """Every SQL statement either of the bot's connections ran during `action`."""
    seen: list[str] = []
    await harness.db.trace(seen.append)
    try:
        await action()
    finally:
        await harness.db.trace(None)
    return seen


async def _launch(harness: Harness) -> None:
    await add_member(harness.db, 800, full_name="Cora Coord", role="coordinator")
    cora = harness.person(user_id=800, first_name="Cora")
    harness.api.uploaded["doc-1"] = SURVEY.encode()
    document = {"file_id": "doc-1", "file_unique_id": "u1", "file_name": "p.yaml"}
    await harness.feed({"message": cora._message(document=document)})
    assert "se lanzó" in (await cora.tap("🚀 Lanzar")).text
    await harness.drain()


# --- a change is seen by the very next update ---------------------------------------------------


async def test_a_new_language_answers_the_very_next_update(harness: Harness) -> None:
    await add_member(harness.db, 101, full_name="Ana")
    ana = harness.person(user_id=101)
    assert "Lo que puedo hacer por ti" in (await ana.send("/help")).text  # read, and cached
    await ana.send("🌐 Idioma")
    await ana.tap("English")
    assert "What I can do for you" in (await ana.send("/help")).text


async def test_a_promotion_counts_at_the_promoted_persons_next_command(harness: Harness) -> None:
    await add_member(harness.db, 501, full_name="Mario Ruíz")
    mario, admin = harness.person(user_id=501), harness.person(user_id=900)
    assert "Solo los coordinadores" in (await mario.send("/pending")).text
    await admin.send("/promote mario")
    await admin.tap("🛠 Coordinador: 🎓 Talento")
    await admin.tap("✅ Confirmar")
    assert "Solo los coordinadores" not in (await mario.send("/pending")).text
    await admin.send("/demote mario")
    await admin.tap("✅ Confirmar")
    assert "Solo los coordinadores" in (await mario.send("/pending")).text


async def test_after_forget_start_signs_up_afresh(harness: Harness) -> None:
    await add_member(harness.db, 101, full_name="Ana López")
    ana = harness.person(user_id=101)
    assert "¡Bienvenido(a) a CLIA" not in (await ana.send("/start")).text  # a member: the menu
    await ana.send("/forget")
    await ana.tap("🗑 Sí, borrar mis datos")
    assert "¡Bienvenido(a) a CLIA" in (await ana.send("/start")).text


async def test_an_approval_counts_at_the_applicants_next_update(harness: Harness) -> None:
    await add_member(harness.db, 102, full_name="Pedro", status="pending")
    pedro, admin = harness.person(user_id=102), harness.person(user_id=900)
    assert "⏳" in (await pedro.send("/events")).text  # still being reviewed
    await admin.send("/pending")
    await admin.tap("✅ Aprobar")
    assert "⏳" not in (await pedro.send("/events")).text


async def test_a_write_by_any_code_is_seen_by_the_next_update(harness: Harness) -> None:
    """The caches learn of writes from the database itself (storage/changes.py), so SQL the
    repositories do not know about (here: a test's own) is no exception."""
    await add_member(harness.db, 101, full_name="Ana")
    ana = harness.person(user_id=101)
    assert "Lo que puedo hacer por ti" in (await ana.send("/help")).text
    await harness.db.execute("UPDATE members SET language = 'en' WHERE telegram_user_id = 101")
    assert "What I can do for you" in (await ana.send("/help")).text
    await harness.db.execute("DELETE FROM members WHERE telegram_user_id = 101")
    assert "¡Bienvenido(a) a CLIA" in (await ana.send("/start")).text


# --- the persistence -----------------------------------------------------------------------------


def _form(kind: type[ConversationHandler]) -> ConversationHandler:  # type: ignore[type-arg]
    async def noop(update: object, context: object) -> None:
        return None

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return kind(
            entry_points=[CommandHandler("x", noop)],
            states={},
            fallbacks=[],
            name="form_x",
            persistent=True,
        )


def test_every_persistent_form_saves_its_state_after_the_update() -> None:
    """A plain ConversationHandler would be saved by python-telegram-bot's minute only."""
    check_conversations(SimpleNamespace(handlers={0: [_form(Conversation)]}))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"form_x: use bot\.conversations\.Conversation"):
        check_conversations(SimpleNamespace(handlers={0: [_form(ConversationHandler)]}))  # type: ignore[arg-type]


async def test_a_forms_step_is_stored_as_soon_as_it_is_answered(harness: Harness) -> None:
    ana = harness.person(first_name="Ana", last_name="López")
    await ana.send("/start")
    await ana.tap("✓ Español")
    state = "SELECT state FROM conversation_states WHERE name = 'member_form'"
    assert await harness.db.fetchval(state) == '"privacy"'  # no stop, no minute waited
    await ana.tap("✅ Acepto")
    assert await harness.db.fetchval(state) == '"name"'


# --- SQL statements per survey tap --------------------------------------------------------------


async def test_a_survey_tap_runs_at_most_four_sql_statements(harness: Harness) -> None:
    """Answering a question: the member's place read (participation, draft) in one SELECT,
    the answer and the next position in one UPDATE, in a transaction of its own here (one
    BEGIN, one COMMIT; under load many taps share them). The caller and the survey come from
    the caches, and the tap writes nothing for the persistence."""
    await add_member(harness.db, 101, full_name="Ana")
    await _launch(harness)
    ana: Person = harness.person(user_id=101)
    await ana.tap("▶️ Empezar")
    await ana.tap("Jueves")  # the first answer
    statements = await _statements(harness, lambda: ana.tap("4"))  # the second
    assert "3/3" in harness.api.calls[-1].text  # the third question is shown
    assert [s.split()[0] for s in statements] == ["SELECT", "BEGIN", "UPDATE", "COMMIT"]
    assert len(statements) <= 4
