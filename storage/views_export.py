"""`clia-bot export`: every analysis view as a CSV file, for spreadsheets and pandas.

The views (storage/migrations/*_views.sql) hold no e-mail addresses or phone
numbers. Files are UTF-8 with a byte-order mark so that Excel in Spanish opens
accents correctly; reading goes through a read-only connection, safe while the
bot runs.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from storage.database import read_only_uri


def view_names(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'view' AND name LIKE 'v\\_%' ESCAPE '\\'"
        " ORDER BY name"
    )
    return [r[0] for r in rows]


def export_views(database: Path, directory: Path) -> dict[str, int]:
    """Write DIRECTORY/<view>.csv for each view; return the row count per view."""
    directory.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(read_only_uri(database), uri=True)
    counts: dict[str, int] = {}
    try:
        for name in view_names(conn):
            cursor = conn.execute(f'SELECT * FROM "{name}"')  # names come from the schema
            with (directory / f"{name}.csv").open("w", newline="", encoding="utf-8-sig") as out:
                writer = csv.writer(out)
                writer.writerow([c[0] for c in cursor.description])
                count = 0
                for row in cursor:
                    writer.writerow(row)
                    count += 1
            counts[name] = count
    finally:
        conn.close()
    return counts
