"""The local library: one SQLite file of summaries, searchable with FTS5.

Kept apart from the CLI (as sqlite-utils keeps ``db.py``) so it can be used from Python.
Several podsum processes may write at once: WAL, a busy timeout, and every write
transaction opened with ``BEGIN IMMEDIATE`` so writers queue instead of failing on a
lock upgrade. A record and its full-text row are written in one transaction, so a
process killed mid-ingest leaves only whole pages behind.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import PodsumError
from .model import Summary, summary_from_dict

# How long a writer waits for another process's transaction before giving up.
# PODSUM_BUSY_TIMEOUT (seconds) changes it.
BUSY_TIMEOUT_MS = 60_000
SORTS = {
    "published": "published IS NULL, published DESC, ingested_at DESC",
    "ingested": "ingested_at DESC, rowid DESC",
    "views": "views IS NULL, views DESC",
    "title": "title COLLATE NOCASE ASC",
}

# Ordered migrations: index i brings a library from user_version i to i + 1. Never edit
# a shipped step; append a new one.
MIGRATIONS: list[str] = [
    """
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
    """,
]


class LibraryError(PodsumError):
    """The library file cannot be used (not SQLite, corrupt, read-only, newer)."""


class NotFound(LibraryError):
    pass


class Ambiguous(LibraryError):
    def __init__(self, prefix: str, candidates: list[tuple[str, str]]) -> None:
        listed = ", ".join(f"{i} ({t[:40]})" for i, t in candidates[:5])
        super().__init__(f"id prefix {prefix!r} matches {len(candidates)} summaries: {listed}")
        self.candidates = candidates


@dataclass(slots=True, frozen=True)
class Row:
    """One summary as the library stores it. Built by ``prepare`` wherever parsing ran
    (a worker process, during ingest), so the single writer only executes inserts."""

    id: str
    title: str
    show: str | None
    published: str | None
    views: int | None
    duration_seconds: int | None
    location: str | None
    record: str
    fts: tuple[str, ...]


def prepare(s: Summary) -> Row:
    record = s.to_dict()
    return Row(
        id=record["id"],
        title=s.title,
        show=s.show,
        published=s.published,
        views=s.views,
        duration_seconds=s.duration_seconds,
        location=s.source.location,
        record=json.dumps(record, ensure_ascii=False, separators=(",", ":")),
        fts=_fts_row(record),
    )


@dataclass(slots=True)
class AddResult:
    new: int = 0
    existing: int = 0
    updated: int = 0


def default_path() -> Path:
    env = os.environ.get("PODSUM_LIBRARY")
    if env:
        return Path(env)
    from platformdirs import user_data_path

    return user_data_path("podsum", appauthor=False) / "library.db"


def _busy_timeout_ms() -> int:
    value = os.environ.get("PODSUM_BUSY_TIMEOUT")
    if value:
        try:
            return max(0, int(float(value) * 1000))
        except ValueError:
            pass
    return BUSY_TIMEOUT_MS


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="microseconds")


def _fts_row(record: dict[str, Any]) -> tuple[str, ...]:
    sections = "\n".join(
        "\n".join([s["title"], *(f"{i['title']}\n{i['text']}" for i in s["insights"])])
        for s in record["sections"]
    )
    related = "\n".join(r["title"] or "" for r in record["related"])
    return (
        record["title"],
        record["show"] or "",
        record["tldr"] or "",
        sections,
        record["bottom_line"] or "",
        related,
    )


def quote_query(text: str) -> str:
    """Any text a user types as an FTS5 query of plain terms (all must match)."""
    terms = text.split()
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _translate(exc: sqlite3.Error, path: Path) -> LibraryError:
    msg = str(exc)
    if "file is not a database" in msg or "malformed" in msg:
        return LibraryError(f"{path} is not a podsum library (not an SQLite database, or corrupt)")
    if "readonly" in msg:
        return LibraryError(f"{path} is read-only")
    if "locked" in msg or "busy" in msg:
        return LibraryError(f"{path} is locked by another program; try again")
    if "unable to open" in msg:
        return LibraryError(f"cannot open {path}")
    return LibraryError(f"{path}: {msg}")


class Library:
    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.read_only = False
        busy_ms = _busy_timeout_ms()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"cannot create {self.path.parent}: {exc.strerror}") from None
        try:
            if self.path.exists() and not os.access(self.path, os.W_OK):
                self._open_read_only(busy_ms)
                return
            self.conn = sqlite3.connect(self.path, timeout=busy_ms / 1000, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout = {busy_ms}")
            mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                raise LibraryError(f"{self.path}: could not switch to WAL mode")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None

    def _open_read_only(self, busy_ms: int) -> None:
        """A library the user may read but not write: list, search and show still work."""
        uri = self.path.resolve().as_uri() + "?mode=ro"
        self.conn = sqlite3.connect(uri, uri=True, timeout=busy_ms / 1000, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.read_only = True
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version != len(MIGRATIONS):
            raise LibraryError(
                f"{self.path} is read-only and needs an upgrade to version "
                f"{len(MIGRATIONS)}; make it writable once"
            )

    def _writable(self) -> None:
        if self.read_only:
            raise LibraryError(f"{self.path} is read-only")

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # --- schema -----------------------------------------------------------------

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise LibraryError(
                f"{self.path} was made by a newer podsum (library version {version})"
            )
        if version == len(MIGRATIONS):
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the lock: another process may have migrated meanwhile.
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            for step in range(version, len(MIGRATIONS)):
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {step + 1}")
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    # --- writing ----------------------------------------------------------------

    def _insert(self, row: Row, now: str) -> bool:
        cur = self.conn.execute(
            "INSERT INTO summaries (id, title, show, published, views, duration_seconds,"
            " ingested_at, location, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO NOTHING",
            (
                row.id,
                row.title,
                row.show,
                row.published,
                row.views,
                row.duration_seconds,
                now,
                row.location,
                row.record,
            ),
        )
        if cur.rowcount != 1:
            return False
        self.conn.execute(
            "INSERT INTO summaries_fts (rowid, title, show, tldr, sections, bottom_line, related)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (cur.lastrowid, *row.fts),
        )
        return True

    def _delete(self, id_: str) -> bool:
        row = self.conn.execute("SELECT rowid FROM summaries WHERE id = ?", (id_,)).fetchone()
        if row is None:
            return False
        self.conn.execute("DELETE FROM summaries_fts WHERE rowid = ?", (row[0],))
        self.conn.execute("DELETE FROM summaries WHERE rowid = ?", (row[0],))
        return True

    def add(self, summaries: Iterable[Summary], *, update: bool = False) -> AddResult:
        """Add summaries in one transaction; a page already there is skipped or replaced."""
        return self.add_rows([prepare(s) for s in summaries], update=update)

    def add_rows(self, rows: Iterable[Row], *, update: bool = False) -> AddResult:
        """``add`` for rows already prepared (by worker processes)."""
        self._writable()
        result = AddResult()
        now = _now()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for row in rows:
                    if update and self._delete(row.id):
                        self._insert(row, now)
                        result.updated += 1
                    elif self._insert(row, now):
                        result.new += 1
                    else:
                        result.existing += 1
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None
        return result

    def remove(self, id_: str) -> str:
        """Remove one summary by id or unique prefix; returns the full id."""
        self._writable()
        full = self.resolve(id_)
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            self._delete(full)
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self.conn.execute("ROLLBACK")
            raise _translate(exc, self.path) from None
        return full

    # --- reading ----------------------------------------------------------------

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None

    def resolve(self, prefix: str) -> str:
        """The full id for an id or a unique prefix of one."""
        p = prefix.lower()
        if not p or any(c not in "0123456789abcdef" for c in p):
            raise NotFound(f"no summary with id {prefix!r}")
        rows = self._query(
            "SELECT id, title FROM summaries WHERE id >= ? AND id < ? ORDER BY id LIMIT 21",
            (p, p + "g"),
        )
        if not rows:
            raise NotFound(f"no summary with id {prefix!r}")
        if len(rows) > 1:
            raise Ambiguous(prefix, [(r["id"], r["title"]) for r in rows])
        return str(rows[0]["id"])

    def get(self, prefix: str) -> Summary:
        full = self.resolve(prefix)
        row = self._query("SELECT record FROM summaries WHERE id = ?", (full,))[0]
        return summary_from_dict(json.loads(row["record"]))

    def count(self) -> int:
        return int(self._query("SELECT count(*) AS n FROM summaries")[0]["n"])

    def _where(self, show: str | None, since: str | None) -> tuple[str, list[Any]]:
        clauses, params = [], []
        if show:
            clauses.append("show = ? COLLATE NOCASE")
            params.append(show)
        if since:
            clauses.append("published >= ?")
            params.append(since)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def list_summaries(
        self,
        *,
        sort: str = "published",
        show: str | None = None,
        since: str | None = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        where, params = self._where(show, since)
        sql = (
            "SELECT id, title, show, published, views, duration_seconds, ingested_at, location"
            f" FROM summaries{where} ORDER BY {SORTS[sort]}"
        )
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        return [dict(r) for r in self._query(sql, params)]

    def summaries(self, *, show: str | None = None, since: str | None = None) -> Iterator[Summary]:
        where, params = self._where(show, since)
        for row in self._query(
            f"SELECT record FROM summaries{where} ORDER BY {SORTS['published']}", params
        ):
            yield summary_from_dict(json.loads(row["record"]))

    def search(self, query: str, *, raw: bool = False, limit: int = 20) -> list[dict[str, Any]]:
        """Ranked matches (bm25). Without ``raw`` any text is safe: it is quoted."""
        match = query if raw else quote_query(query)
        if not match.strip():
            return []
        sql = (
            "SELECT s.id, s.title, s.show, s.published,"
            " snippet(summaries_fts, -1, char(2), char(3), '…', 12) AS snippet,"
            " bm25(summaries_fts) AS rank"
            " FROM summaries_fts JOIN summaries s ON s.rowid = summaries_fts.rowid"
            " WHERE summaries_fts MATCH ? ORDER BY rank LIMIT ?"
        )
        try:
            rows = self.conn.execute(sql, (match, limit)).fetchall()
        except sqlite3.OperationalError as exc:
            if raw and not any(w in str(exc) for w in ("locked", "busy", "malformed", "disk")):
                raise LibraryError(f"invalid search query: {exc}") from None
            raise _translate(exc, self.path) from None
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None
        return [dict(r) for r in rows]

    def integrity_ok(self) -> bool:
        return bool(self._query("PRAGMA integrity_check")[0][0] == "ok")
