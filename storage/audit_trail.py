"""Writing the audit log from inside a repository's transaction, and confirmations that act once.

Every repository that audits its own action writes the entry with the action, in the same
transaction: the action and its line in the log cannot part.

A form's draft (an event, a survey) gets a random key when it is previewed, and its
confirming button carries it (handlers/core/forms.py). The repository that creates the thing
first looks, inside its writing transaction, for an audit entry naming that key; only when
there is none does it act, and its entry names the key. Writes are serialised (one writer,
`BEGIN IMMEDIATE`), so the look and the entry of one tap cannot interleave with another's: a
double tap, a tap replayed after a restart or an old button finds the entry and does nothing
again, whatever the timing, and the handler answers with what the first tap made.
"""

from __future__ import annotations

import json
from datetime import datetime

import aiosqlite

from storage.models import to_db_time

Detail = str | int | float | bool | None

# The entry a confirmation's key made (oldest first: there is only ever one).
CONFIRMED_SQL = (
    "SELECT action, target_id FROM audit_log"
    " WHERE json_extract(details, '$.confirmation') = ? ORDER BY id LIMIT 1"
)


async def write(
    conn: aiosqlite.Connection,
    at: datetime,
    actor_id: int | None,
    action: str,
    target_kind: str | None = None,
    target_id: int | None = None,
    **details: Detail,
) -> None:
    """One audit entry, on the writer inside the caller's transaction."""
    await conn.execute(
        "INSERT INTO audit_log (at, actor_id, action, target_kind, target_id, details)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (to_db_time(at), actor_id, action, target_kind, target_id, json.dumps(details)),
    )


async def confirmed(conn: aiosqlite.Connection, key: str) -> tuple[str, int] | None:
    """(action, target id) of what this confirmation's key already did, inside the caller's
    transaction; None when it did nothing yet."""
    rows = list(await conn.execute_fetchall(CONFIRMED_SQL, (key,)))
    return (str(rows[0][0]), int(rows[0][1])) if rows else None
