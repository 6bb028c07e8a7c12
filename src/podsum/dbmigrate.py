"""The library's versions (``PRAGMA user_version``) and the steps between them.

``MIGRATIONS[i]`` brings a library from version i to i + 1, inside the one transaction
that ``Library`` opens for the whole upgrade, so a library is upgraded completely or not
at all. A new library runs every step from 0. Never edit a shipped step; append one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from .dbschema import (
    RECORD_COLUMNS,
    SCHEMA,
    DamagedRecord,
    cjk_text,
    summary_of,
    values,
)
from .errors import ParseError
from .model import Summary, merge, summary_from_dict
from .sanitise import sanitise


class UpgradeError(Exception):
    """The library cannot be upgraded; the message says why. Nothing was changed."""


# Version 1: the whole record as one JSON column, ids hashed from the whole content, a
# full-text index that kept its own copy of the text.
V1_SCHEMA = """
    CREATE TABLE summaries (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        show TEXT,
        published TEXT,
        views INTEGER,
        duration_seconds INTEGER,
        ingested_at TEXT NOT NULL,
        location TEXT,
        record TEXT NOT NULL
    );
    CREATE INDEX summaries_published ON summaries (published);
    CREATE INDEX summaries_ingested ON summaries (ingested_at);
    CREATE INDEX summaries_show ON summaries (show);
    CREATE INDEX summaries_views ON summaries (views);
    CREATE VIRTUAL TABLE summaries_fts USING fts5 (
        title, show, tldr, sections, bottom_line, related,
        tokenize = 'unicode61 remove_diacritics 2'
    );
"""


def _to_v1(conn: sqlite3.Connection) -> None:
    for statement in V1_SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


_COLUMNS = ", ".join(RECORD_COLUMNS)
_PLACES = ", ".join("?" for _ in RECORD_COLUMNS)
_UPDATES = ", ".join(f"{c} = ?" for c in RECORD_COLUMNS)


def _v1_summary(old_id: str, record: str) -> Summary:
    try:
        return sanitise(summary_from_dict(json.loads(record)))
    except (ValueError, ParseError) as exc:
        raise UpgradeError(f"the record of summary {old_id} does not read ({exc})") from None


def _to_v2(conn: sqlite3.Connection) -> None:
    """Columns for every field, ids of layout, title and show, an external-content
    full-text index, and the CJK index. Version-1 rows are read oldest first: a row
    whose new id is taken already is merged into that summary (so the most recently
    ingested copy wins), and its old id is kept as an alias."""
    for index in ("published", "ingested", "show", "views"):
        conn.execute(f"DROP INDEX summaries_{index}")
    conn.execute("DROP TABLE summaries_fts")
    conn.execute("ALTER TABLE summaries RENAME TO summaries_v1")
    triggers = [s for s in SCHEMA if s.startswith("CREATE TRIGGER")]
    for statement in SCHEMA:
        if statement not in triggers:
            conn.execute(statement)
    old_rows = conn.execute(
        "SELECT id, ingested_at, record FROM summaries_v1 ORDER BY ingested_at, rowid"
    )
    for old_id, ingested_at, record in old_rows:
        s = _v1_summary(old_id, record)
        new_id = s.id
        found = conn.execute(
            f"SELECT pk, {_COLUMNS} FROM summaries WHERE id = ?", (new_id,)
        ).fetchone()
        if found is None:
            conn.execute(
                f"INSERT INTO summaries (id, {_COLUMNS}, ingested_at) VALUES (?, {_PLACES}, ?)",
                (new_id, *values(s), ingested_at),
            )
        else:
            stored = summary_of(tuple(found)[1:])
            conn.execute(
                f"UPDATE summaries SET {_UPDATES}, updated_at = ? WHERE pk = ?",
                (*values(merge(stored, s)), ingested_at, found[0]),
            )
        if old_id != new_id:
            conn.execute(
                "INSERT OR REPLACE INTO aliases (alias, id, ingested_at) VALUES (?, ?, ?)",
                (old_id, new_id, ingested_at),
            )
    conn.execute("DROP TABLE summaries_v1")
    conn.execute("INSERT INTO summaries_fts (summaries_fts) VALUES ('rebuild')")
    for row in conn.execute(f"SELECT pk, {_COLUMNS} FROM summaries"):
        try:
            chars = cjk_text(summary_of(tuple(row)[1:]))
        except DamagedRecord as exc:  # cannot happen: written just now
            raise UpgradeError(str(exc)) from None
        if chars:
            conn.execute("INSERT INTO summaries_cjk (rowid, chars) VALUES (?, ?)", (row[0], chars))
    for statement in triggers:
        conn.execute(statement)


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_to_v1, _to_v2]
