"""The local library: one SQLite file of summaries, searchable with FTS5.

Kept apart from the CLI (as sqlite-utils keeps ``db.py``) so it can be used from Python.
Several podsum processes may write at once: WAL, a busy timeout, and every write
transaction opened with ``BEGIN IMMEDIATE`` so writers queue instead of failing on a
lock upgrade. A record and its full-text row are written in one transaction, so a
process killed mid-ingest leaves only whole pages behind.

The file is the user's: podsum marks the libraries it makes (``PRAGMA application_id``)
and refuses any other file without writing a byte to it, never creates a library only to
read from it, and reads a library it may not write (read-only file, folder or mount).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PodsumError
from .model import Summary, summary_from_dict
from .sanitise import sanitise

# How long a writer waits for another process's transaction before giving up.
# PODSUM_BUSY_TIMEOUT (seconds) changes it.
BUSY_TIMEOUT_MS = 60_000
# Stored in the file header (PRAGMA application_id) of every library podsum makes: the
# mark that tells a podsum library from any other SQLite file.
APPLICATION_ID = int.from_bytes(b"PdSm", "big")
# The shortest id prefix that may name a summary to remove (as ``show`` requires).
MIN_PREFIX = 4
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
    """The library file cannot be used (not podsum's, corrupt, read-only, newer, locked,
    full). The message starts with the file's path: ``<path>: <reason>``."""


class NoLibrary(LibraryError):
    """Nothing at the path yet, and the command only reads."""


class NotALibrary(LibraryError):
    """A file that is not a podsum library; it is left exactly as it was."""


class BadId(LibraryError):
    """An id or prefix that names no single summary; the library itself is fine."""


class NotFound(BadId):
    pass


class Ambiguous(BadId):
    def __init__(
        self, prefix: str, candidates: list[tuple[str, str]], total: int | None = None
    ) -> None:
        total = len(candidates) if total is None else total
        shown = candidates[:5]
        listed = ", ".join(f"{i} ({t[:40]})" for i, t in shown)
        more = f" and {total - len(shown)} more" if total > len(shown) else ""
        super().__init__(f"id prefix {prefix!r} matches {total} summaries: {listed}{more}")
        self.candidates = candidates
        self.total = total


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
    # Rows the database refused, each alone: (location, or id when there is none; reason).
    failed: list[tuple[str, str]] = field(default_factory=list)


class _RowRefused(Exception):
    """A row of a chunk was refused: the chunk is written again row by row."""


# What SQLite raises for one row it will not store, as opposed to the file failing
# (locked, full, I/O): an integer beyond 64 bits, text that cannot be UTF-8, a value
# too big, a constraint or trigger that refuses it.
_ROW_ERRORS = (
    OverflowError,
    UnicodeEncodeError,
    sqlite3.IntegrityError,
    sqlite3.DataError,
    sqlite3.InterfaceError,
)


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


def _max_pages() -> int | None:
    """PODSUM_MAX_PAGES caps the library's size in pages (SQLite's max_page_count), so a
    full disk can be tried without filling one."""
    value = os.environ.get("PODSUM_MAX_PAGES", "")
    return int(value) if value.isdigit() else None


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


_MAGIC = b"SQLite format 3\x00"
_CORRUPT = "not a podsum library (not an SQLite database, or corrupt)"


def _translate(exc: sqlite3.Error, path: Path) -> LibraryError:
    """An SQLite error as one line naming the file and the real cause."""
    msg = str(exc)
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")) or "malformed" in msg:
        return NotALibrary(f"{path}: {_CORRUPT}")
    if name.startswith("SQLITE_READONLY") or "readonly" in msg:
        return LibraryError(f"{path}: read-only")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in msg:
        return LibraryError(f"{path}: locked by another program; try again")
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in msg:
        return LibraryError(f"{path}: cannot open")
    return LibraryError(f"{path}: {msg}")


def _uri(path: Path, params: str) -> str:
    return f"{path.resolve().as_uri()}?{params}"


def _plausible_header(header: bytes) -> bool:
    """The fixed parts of an SQLite file header: magic, page size, payload fractions."""
    if len(header) < 100 or not header.startswith(_MAGIC):
        return False
    size = int.from_bytes(header[16:18], "big")  # 1 stands for 65536
    size_ok = size == 1 or (512 <= size <= 32768 and size & (size - 1) == 0)
    return size_ok and header[21:24] == b"\x40\x20\x20"


def _inspect(path: Path) -> str:
    """What is at ``path``, found from its header alone, so nothing is written, locked or
    created beside it: ``missing``, ``empty`` (0 bytes), ``podsum`` (marked as ours) or
    ``unmarked`` (an SQLite file without an application id). Anything else (not a regular
    file, not SQLite, another program's marked file) raises ``NotALibrary``."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        raise LibraryError(f"{path}: cannot open ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise NotALibrary(f"{path}: not a podsum library (not a regular file)")
    if info.st_size == 0:
        return "empty"
    try:
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as exc:
        raise LibraryError(f"{path}: cannot open ({exc.strerror})") from None
    if not _plausible_header(header):
        raise NotALibrary(f"{path}: {_CORRUPT}")
    app_id = int.from_bytes(header[68:72], "big", signed=True)
    if app_id == APPLICATION_ID:
        return "podsum"
    if app_id:
        raise NotALibrary(
            f"{path}: not a podsum library (an SQLite database of another program,"
            f" application_id {app_id})"
        )
    return "unmarked"


def _is_podsum_schema(conn: sqlite3.Connection) -> bool | None:
    """True for a library made before podsum marked its files (its tables and a
    user_version), None for a database with no tables at all, else False."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not names:
        return None
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    return {"summaries", "summaries_fts"} <= names and version >= 1


def _unmarked_is_ours(path: Path) -> bool:
    """Whether an unmarked SQLite file is an older podsum library. Read as an immutable
    file (no lock, no journal, no -wal or -shm made); if another connection has it open
    in WAL mode, its -wal and -shm exist and a plain read-only connection sees them."""
    live = Path(f"{path}-wal").exists() and Path(f"{path}-shm").exists()
    try:
        conn = sqlite3.connect(_uri(path, "mode=ro" if live else "mode=ro&immutable=1"), uri=True)
        try:
            return bool(_is_podsum_schema(conn))
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _translate(exc, path) from None


def _can_write(path: Path) -> bool:
    """The file and its folder (where SQLite keeps -wal, -shm and journals) are writable;
    False for a read-only file, folder or mount and for an immutable file or folder."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


class Library:
    """A podsum library. ``create=False`` (for commands that only read) never makes a
    file: a missing or empty one is ``NoLibrary``."""

    conn: sqlite3.Connection

    def __init__(self, path: str | os.PathLike[str] | None = None, *, create: bool = True) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.read_only = False
        self._unmarked = False  # a library made before the mark: stamped with its next write
        kind = _inspect(self.path)
        if kind in ("missing", "empty") and not create:
            raise NoLibrary(f"{self.path}: no library yet (ingest something first)")
        if kind == "unmarked" and not _unmarked_is_ours(self.path):
            raise NotALibrary(
                f"{self.path}: not a podsum library (an SQLite database without podsum's tables)"
            )
        if kind == "missing":
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LibraryError(f"{self.path}: cannot create ({exc.strerror})") from None
            if not os.access(self.path.parent, os.W_OK | os.X_OK):
                raise LibraryError(f"{self.path}: cannot create (the folder is read-only)")
        elif not _can_write(self.path):
            if kind == "empty":
                raise LibraryError(f"{self.path}: read-only")
            self._open_read_only()
            return
        try:
            self._open_read_write()
        except BaseException:
            with contextlib.suppress(AttributeError, sqlite3.Error):
                self.conn.close()
            raise

    def _open_read_write(self) -> None:
        busy_ms = _busy_timeout_ms()
        try:
            self.conn = sqlite3.connect(self.path, timeout=busy_ms / 1000, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout = {busy_ms}")
            limit = _max_pages()
            if limit is not None:
                self.conn.execute(f"PRAGMA max_page_count = {limit}")
            self._claim()
            mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                raise LibraryError(f"{self.path}: could not switch to WAL mode")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None

    def _open_read_only(self) -> None:
        """A library the user may read but not write: list, search and show still work.
        A WAL library is read through its -shm index, which SQLite makes beside it if it
        can. Where none exists and none can be made (read-only folder or mount), the file
        is read as immutable: no process can be writing a WAL library without one."""
        attempts = ["mode=ro", "mode=ro&immutable=1"]
        if not os.access(self.path.parent, os.W_OK) and not Path(f"{self.path}-shm").exists():
            attempts.pop(0)
        busy = _busy_timeout_ms() / 1000
        for params in attempts:
            try:
                self.conn = sqlite3.connect(
                    _uri(self.path, params), uri=True, timeout=busy, isolation_level=None
                )
                self.conn.row_factory = sqlite3.Row
                version = self.conn.execute("PRAGMA user_version").fetchone()[0]
                break
            except sqlite3.Error as exc:
                with contextlib.suppress(AttributeError, sqlite3.Error):
                    self.conn.close()
                if params == attempts[-1]:
                    raise _translate(exc, self.path) from None
        self.read_only = True
        if version > len(MIGRATIONS):
            self.conn.close()
            raise LibraryError(f"{self.path}: made by a newer podsum (library version {version})")
        if version < len(MIGRATIONS):
            self.conn.close()
            raise LibraryError(
                f"{self.path}: read-only, and needs an upgrade to library version"
                f" {len(MIGRATIONS)}; make it writable once"
            )

    def _writable(self) -> None:
        if self.read_only:
            raise LibraryError(f"{self.path}: read-only")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction. BEGIN IMMEDIATE makes writers queue instead of failing
        on a lock upgrade. On any failure it is rolled back, but only if it is still
        open: SQLite rolls back by itself after a full disk or an I/O error, and the
        cause, not a failed rollback, is what the user is told."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                if self._unmarked:
                    self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                yield
                self.conn.execute("COMMIT")
                self._unmarked = False
            except BaseException:
                if self.conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # --- schema -----------------------------------------------------------------

    def _claim(self) -> None:
        """Mark a new or empty file as podsum's before anything else is written to it.
        Checked again under the write lock, so a file some other program made meanwhile
        is refused, not taken over. A library made before the mark is stamped with its
        next write (reading it never waits for a writer)."""
        app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id == APPLICATION_ID:
            return
        if app_id == 0 and _is_podsum_schema(self.conn):
            self._unmarked = True
            return
        with self._transaction():
            app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
            if app_id == APPLICATION_ID:
                return
            ours = _is_podsum_schema(self.conn)
            if app_id or ours is False:
                raise NotALibrary(f"{self.path}: not a podsum library (changed while opening)")
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise LibraryError(f"{self.path}: made by a newer podsum (library version {version})")
        if version == len(MIGRATIONS):
            return
        with self._transaction():
            # Re-read inside the lock: another process may have migrated meanwhile.
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            for step in range(version, len(MIGRATIONS)):
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {step + 1}")

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

    def _add_one(self, row: Row, now: str, update: bool, result: AddResult) -> None:
        if update and self._delete(row.id):
            self._insert(row, now)
            result.updated += 1
        elif self._insert(row, now):
            result.new += 1
        else:
            result.existing += 1

    def add_rows(self, rows: Iterable[Row], *, update: bool = False) -> AddResult:
        """``add`` for rows already prepared (by worker processes), in one transaction.

        A row the database refuses fails alone: the chunk is written again row by row,
        each in a savepoint, and the refused rows are listed in ``failed``. A failure of
        the file itself (locked, full, read-only) raises ``LibraryError`` and nothing of
        this call is kept."""
        self._writable()
        rows = list(rows)
        now = _now()
        try:
            with self._transaction():
                result = AddResult()
                try:
                    for row in rows:
                        self._add_one(row, now, update, result)
                except _ROW_ERRORS as exc:
                    raise _RowRefused from exc
                return result
        except _RowRefused:
            pass
        with self._transaction():
            result = AddResult()
            for row in rows:
                self.conn.execute("SAVEPOINT one_row")
                try:
                    self._add_one(row, now, update, result)
                except _ROW_ERRORS as exc:
                    self.conn.execute("ROLLBACK TO one_row")
                    reason = " ".join(str(exc).split()) or type(exc).__name__
                    result.failed.append(
                        (row.location or row.id, f"summary {row.id} not stored: {reason}")
                    )
                self.conn.execute("RELEASE one_row")
            return result

    def remove(self, id_: str) -> str:
        """Remove one summary by id or unique prefix of at least ``MIN_PREFIX`` hex
        digits; returns the full id."""
        self._writable()
        if len(id_) < MIN_PREFIX:
            raise BadId(f"give at least {MIN_PREFIX} hex digits of the id")
        with self._transaction():
            full = self.resolve(id_)
            self._delete(full)
        return full

    # --- reading ----------------------------------------------------------------

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[sqlite3.Row]:
        """``_query`` a row at a time, for results too big to hold (all the records)."""
        try:
            cur = self.conn.execute(sql, params)
            while True:
                rows = cur.fetchmany(64)
                if not rows:
                    return
                yield from rows
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None

    def resolve(self, prefix: str) -> str:
        """The full id for an id or a unique prefix of one."""
        p = prefix.lower()
        if not p or any(c not in "0123456789abcdef" for c in p):
            raise NotFound(f"no summary with id {prefix!r}")
        bounds = (p, p + "g")
        rows = self._query(
            "SELECT id, title FROM summaries WHERE id >= ? AND id < ? ORDER BY id LIMIT 5",
            bounds,
        )
        if not rows:
            raise NotFound(f"no summary with id {prefix!r}")
        if len(rows) > 1:
            total = self._query("SELECT count(*) FROM summaries WHERE id >= ? AND id < ?", bounds)[
                0
            ][0]
            raise Ambiguous(prefix, [(r["id"], r["title"]) for r in rows], int(total))
        return str(rows[0]["id"])

    def get(self, prefix: str) -> Summary:
        full = self.resolve(prefix)
        row = self._query("SELECT record FROM summaries WHERE id = ?", (full,))[0]
        return sanitise(summary_from_dict(json.loads(row["record"])))

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
        for row in self._stream(
            f"SELECT record FROM summaries{where} ORDER BY {SORTS['published']}", params
        ):
            yield sanitise(summary_from_dict(json.loads(row["record"])))

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
