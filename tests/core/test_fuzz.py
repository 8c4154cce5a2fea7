"""Property-based: random input in random states never breaks the bot or the data."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands import COMMANDS
from tests.factories import add_member
from tests.harness import Harness, Person

PEOPLE = [1001, 1002, 500, 900]  # a stranger, a member, a coordinator, an admin (ADMIN_IDS)
PREFIXES = [
    *("su", "pf", "nt", "ap", "mb", "iv", "fg", "rl", "lang", "xx"),
    *("ev", "evl", "ef", "wg", "sv", "sa", "bc", "bl"),  # events, groups, surveys, broadcasts
    *("cp", "sf", "sp", "sr", "si", "sb", "sc"),  # supplier development
]

texts = st.text(max_size=300) | st.text(min_size=4090, max_size=4200, alphabet="ab <>&")
commands = st.builds(
    lambda name, args: f"/{name} {args}".strip(),
    st.sampled_from([c.name for c in COMMANDS] + ["nonexistent"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
)
callback_data = st.text(max_size=80) | st.builds(
    lambda prefix, parts: ":".join([prefix, *parts]),
    st.sampled_from(PREFIXES),
    st.lists(
        st.sampled_from(["1", "0", "2", "go", "no", "mb", "at", "x", "ok", "in", "v", "k", "c"])
        | st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", max_size=8),
        max_size=6,
    ),
)
kinds = st.sampled_from(
    [
        "sticker",
        "photo",
        "voice",
        "location",
        "contact_own",
        "contact_other",
        "document",
        "forwarded",
        "group_text",
        "channel_post",
        "edited",
        "new_members",
        "visible_button",
    ]
)
action = st.tuples(
    st.sampled_from(PEOPLE),
    st.one_of(
        st.tuples(st.just("text"), texts),
        st.tuples(st.just("command"), commands),
        st.tuples(st.just("tap"), callback_data),
        st.tuples(st.just("kind"), kinds),
    ),
)


def _message(person: Person, **content: Any) -> dict[str, Any]:
    return person._message(**content)


async def _act(h: Harness, person: Person, what: str, value: Any) -> None:
    if what == "text":
        await person.send(value if not value.startswith("/") else " " + value)
    elif what == "command":
        await person.send(value)
    elif what == "tap":
        if person.inbox():
            await person.tap_data(value)
    elif value == "sticker":
        await person.send_sticker()
    elif value == "photo":
        await person.send_photo()
    elif value == "contact_own":
        await person.share_contact("+52 449 111 2233")
    elif value == "contact_other":
        await person.share_contact("+52 449 111 2233", user_id=424242)
    elif value == "voice":
        voice = {"file_id": "v", "file_unique_id": "v1", "duration": 3}
        await h.feed({"message": _message(person, voice=voice)})
    elif value == "location":
        await h.feed(
            {"message": _message(person, location={"latitude": 21.88, "longitude": -102.29})}
        )
    elif value == "document":
        document = {"file_id": "d", "file_unique_id": "d1", "file_name": "x.pdf"}
        await h.feed({"message": _message(person, document=document)})
    elif value == "forwarded":
        origin = {"type": "hidden_user", "sender_user_name": "Someone", "date": 0}
        await h.feed({"message": _message(person, text="/help", forward_origin=origin)})
    elif value == "group_text":
        group = {"id": -100777, "type": "supergroup", "title": "CLIA"}
        await h.feed({"message": {**_message(person, text="/start"), "chat": group}})
    elif value == "channel_post":
        channel = {"id": -100888, "type": "channel", "title": "Canal"}
        await h.feed(
            {"channel_post": {"message_id": 1, "date": 0, "chat": channel, "text": "hola"}}
        )
    elif value == "edited":
        await person.edit("/forget")
    elif value == "new_members":
        group = {"id": -100777, "type": "supergroup", "title": "CLIA"}
        message = {**_message(person, new_chat_members=[person.user]), "chat": group}
        await h.feed({"message": message})
    elif value == "visible_button":
        for message in reversed(person.inbox()):
            rows = message.get("reply_markup", {}).get("inline_keyboard", [])
            if rows:
                await person.tap_data(rows[0][0]["callback_data"], message)
                break


async def _scenario(actions: list[tuple[int, tuple[str, Any]]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        h = Harness(Path(folder))
        await h.start()
        try:
            await add_member(h.db, 1002, full_name="Mia Miembro")
            await add_member(h.db, 500, full_name="Coco Coordinadora", role="coordinator")
            await add_member(h.db, 3000, full_name="Pepe Pendiente", status="pending")
            # Something for event and survey buttons to reach: event 1 and survey 1.
            await h.db.execute(
                "INSERT INTO events (id, kind, axis_id, title, starts_at, ends_at, status,"
                " capacity, checkin_token) VALUES (1, 'event', 1, 'Foro', '2026-11-25T17:00:00Z',"
                " '2026-11-25T19:00:00Z', 'published', 1, 'tok12345')"
            )
            await h.db.execute(
                "INSERT INTO surveys (id, title, status, opened_at, closes_at) VALUES"
                " (1, 'Pulso', 'open', '2026-11-24T10:00:00Z', '2026-11-30T10:00:00Z')"
            )
            await h.db.execute(
                "INSERT INTO survey_questions (id, survey_id, position, kind, text)"
                " VALUES (1, 1, 1, 'yesno', '¿Vienes?')"
            )
            # A sourcing request of Mia's waiting for approval: sourcing request 1.
            await h.db.execute(
                "INSERT INTO sourcing_requests (id, buyer_id, title, description, deadline_at,"
                " anonymous, requested_at) SELECT 1, id, 'Arneses', 'Arnés de 48 vías',"
                " '2026-12-01T00:00:00Z', 0, '2026-11-24T10:00:00Z' FROM members"
                " WHERE telegram_user_id = 1002"
            )
            await h.db.execute(
                "INSERT INTO sourcing_request_processes (request_id, process_id) VALUES (1, 9)"
            )
            people = {uid: h.person(user_id=uid, first_name=f"P{uid}") for uid in PEOPLE}
            for user_id, (what, value) in actions:
                await _act(h, people[user_id], what, value)

            assert not h.errors, [r.exc_info for r in h.errors]
            assert not h.api.unexpected, h.api.unexpected
            assert await h.db.fetchall("PRAGMA foreign_key_check") == []
            assert await h.db.fetchval("PRAGMA integrity_check") == "ok"
            # No half-written rows: every answer belongs to a response, every RSVP to a person,
            # and an event never holds more going than its capacity.
            orphans = await h.db.fetchval(
                "SELECT count(*) FROM survey_answers a LEFT JOIN survey_responses r"
                " ON r.id = a.response_id WHERE r.id IS NULL"
            )
            assert orphans == 0
            going = await h.db.fetchval(
                "SELECT count(*) FROM rsvps WHERE event_id = 1 AND answer = 'going'"
            )
            assert going <= 1
            # Every member row that claims to be past sign-up has its consent.
            assert (
                await h.db.fetchval(
                    "SELECT count(*) FROM members WHERE status IN ('pending', 'active')"
                    " AND consent_version IS NULL"
                )
                == 0
            )
            # The bot still answers a normal update from everyone.
            for person in people.values():
                replies = await person.send("/help")
                assert replies.messages, f"no answer to /help for {person.id}"
        finally:
            await h.stop()
            h.close()


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(action, min_size=1, max_size=25))
def test_random_input_never_breaks_the_bot(actions: list[tuple[int, tuple[str, Any]]]) -> None:
    asyncio.run(_scenario(actions))
