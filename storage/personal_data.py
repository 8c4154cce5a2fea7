"""Personal data that features keep in their own tables, for the members' rights.

The members' repository answers /mydata and carries out /forget. A feature that stores
something about a person in its own tables hands the members' repository a section (wired
once, in storage/repositories/__init__.py): its part of the /mydata document, and the SQL
that erases it, run inside the same transaction that deletes the member row, so that either
everything is erased or nothing is. The members' repository never names those tables.
"""

from __future__ import annotations

from typing import Protocol

from aiosqlite import Connection

from storage.database import Database


class PersonalDataSection(Protocol):
    """A feature's part of a member's personal data."""

    @property
    def name(self) -> str:
        """The key of this part in the /mydata document."""
        ...

    async def export(self, db: Database, member_id: int) -> object:
        """What is stored about the member, as JSON-ready data."""
        ...

    async def erase(self, conn: Connection, member_id: int, stamp: str) -> None:
        """Delete or unlink it, inside /forget's transaction, before the member row goes."""
        ...
