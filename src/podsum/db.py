"""The local library: one SQLite file of summaries, searchable with FTS5.

Kept apart from the CLI (as sqlite-utils keeps ``db.py``) so it can be used from Python;
the tables are laid out in ``dbschema``, the versions and upgrades are ``dbmigrate``'s.
Several podsum processes may write at once: WAL, a busy timeout, and every write
transaction opened with ``BEGIN IMMEDIATE`` so writers queue instead of failing on a
lock upgrade. A record and its full-text rows are written in one transaction, so a
process killed mid-ingest leaves only whole pages behind.

A page whose summary is there already is merged into it (``model.merge``); a library
of an older version is upgraded when it is opened for writing, after a copy of the
file is made beside it.

The file is the user's: podsum marks the libraries it makes (``PRAGMA application_id``)
and refuses any other file without writing a byte to it, never creates a library only to
read from it, and reads a library it may not write (read-only file, folder or mount).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import sqlite3
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .dbmigrate import MIGRATIONS, UpgradeError
from .dbschema import (
    RECORD_COLUMNS,
    DamagedRecord,
    cjk_text,
    summary_of,
    values,
)
from .errors import PodsumError
from .model import Summary, merge
from .sanitise import sanitise

# How long a writer waits for another process's transaction before giving up.
# PODSUM_BUSY_TIMEOUT (seconds) changes it.
BUSY_TIMEOUT_MS = 60_000
# Stored in the file header (PRAGMA application_id) of every library podsum makes: the
# mark that tells a podsum library from any other SQLite file.
APPLICATION_ID = int.from_bytes(b"PdSm", "big")
# The shortest id prefix that may name a summary to remove (as ``show`` requires).
MIN_PREFIX = 4
LIBRARY_VERSION = len(MIGRATIONS)
# A summary is a few KiB: 16 KiB pages hold several with little of each page left
# empty (4 KiB pages hold one, and waste a third of the file on small pages).
PAGE_SIZE = 16384
# Each order walks one index (see dbschema.SCHEMA): NULL sorts below every value, so a
# descending walk puts undated or unviewed summaries last without an IS NULL term, and
# pk, the order summaries were first ingested in, breaks ties.
SORTS = {
    "published": "published DESC, pk DESC",
    "ingested": "pk DESC",
    "views": "views DESC, pk DESC",
    "title": "title COLLATE NOCASE ASC, pk ASC",
}
_COLUMNS = ", ".join(RECORD_COLUMNS)
_SOURCE_AT = RECORD_COLUMNS.index("source_kind")  # the source columns end the record's
_SOURCE_UPDATES = ", ".join(f"{c} = ?" for c in RECORD_COLUMNS[_SOURCE_AT:])
_PLACES = ", ".join("?" for _ in RECORD_COLUMNS)
_UPDATES = ", ".join(f"{c} = ?" for c in RECORD_COLUMNS)
# Every id, or old id, that starts with a prefix p: the range [p, p + "g") of an index.
PREFIX_SQL = (
    "SELECT id, title FROM summaries WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",
    # CROSS JOIN: SQLite keeps this order, the range of aliases first, whatever its
    # statistics say of a small or empty aliases table.
    "SELECT a.id, s.title FROM aliases a CROSS JOIN summaries s ON s.id = a.id"
    " WHERE a.alias >= ? AND a.alias < ? ORDER BY a.alias LIMIT 6",
)
PREFIX_COUNT_SQL = (
    "SELECT count(*) FROM (SELECT id FROM summaries WHERE id >= ? AND id < ?"
    " UNION SELECT id FROM aliases WHERE alias >= ? AND alias < ?)"
)
STORED_SQL = f"SELECT pk, {_COLUMNS} FROM summaries WHERE id = ?"
# The searched text of a row, for a snippet of a CJK match.
_SNIPPET_COLUMNS = ("title", "body", "show", "people_text", "topics_text")


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


class BadQuery(LibraryError):
    """A search query that cannot be run (bad FTS5 syntax, too many words)."""


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
    (a worker process, during ingest), so the single writer mostly executes inserts."""

    id: str
    values: tuple[Any, ...]  # dbschema.RECORD_COLUMNS, in order
    cjk: str  # what summaries_cjk holds for it ("" for none)

    @property
    def location(self) -> str | None:
        return self.values[-3]  # type: ignore[no-any-return]

    @property
    def title(self) -> str:
        return self.values[RECORD_COLUMNS.index("title")]  # type: ignore[no-any-return]


def prepare(s: Summary) -> Row:
    return Row(id=s.id, values=values(s), cjk=cjk_text(s))


@dataclass(slots=True)
class AddResult:
    new: int = 0
    updated: int = 0  # merged into the summary there, which changed
    unchanged: int = 0  # already there as it is (or kept as it is: update=False)
    # Rows the database refused, each alone: (location, or id when there is none; reason).
    failed: list[tuple[str, str]] = field(default_factory=list)
    # What became of each stored row, in order: (id, "new" | "updated" | "unchanged").
    outcomes: list[tuple[str, str]] = field(default_factory=list)


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


@dataclass(frozen=True)
class Filters:
    """What ``list``, ``search`` and ``export`` keep: a show (any case), a layout,
    published dates from ``since`` to ``until`` (ISO, inclusive), a topic (any case),
    a person (a name, or whole words of one, in any ASCII case)."""

    show: str | None = None
    layout: str | None = None
    since: str | None = None
    until: str | None = None
    topic: str | None = None
    person: str | None = None


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fts_phrase(text: str | None) -> str | None:
    """``text`` as one quoted FTS5 phrase, or None when it holds no word to look for."""
    if not text or not any(ch.isalnum() for ch in text):
        return None
    return '"' + text.replace('"', '""') + '"'


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
            self._refuse_newer()  # before anything is written, even the journal mode
            self.conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # a new file takes it
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
        if version > LIBRARY_VERSION:
            self.conn.close()
            raise LibraryError(self._newer(version))
        if version < LIBRARY_VERSION:
            self.conn.close()
            raise LibraryError(
                f"{self.path}: read-only, and needs an upgrade to library version"
                f" {LIBRARY_VERSION}; make it writable once"
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

    def _newer(self, version: int) -> str:
        return (
            f"{self.path}: made by a newer podsum (library version {version}; this podsum"
            f" knows {LIBRARY_VERSION}); left as it is"
        )

    def _refuse_newer(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > LIBRARY_VERSION:
            raise LibraryError(self._newer(version))

    def _backup(self, version: int) -> Path:
        """A copy of the library as it is, beside it (``library.db.bak-1``), made while
        this connection holds the write lock, so it is the state the upgrade starts
        from. A backup already there is never replaced."""
        n, target = 1, Path(f"{self.path}.bak-{version}")
        while target.exists():
            n += 1
            target = Path(f"{self.path}.bak-{version}-{n}")
        partial = target.with_name(f".{target.name}.partial")
        try:
            source = sqlite3.connect(_uri(self.path, "mode=ro"), uri=True)
            try:
                copy = sqlite3.connect(partial)
                try:
                    source.backup(copy)
                finally:
                    copy.close()
            finally:
                source.close()
            os.replace(partial, target)
        except (OSError, sqlite3.Error) as exc:
            with contextlib.suppress(OSError):
                partial.unlink()
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            raise LibraryError(
                f"{self.path}: cannot upgrade: no room for a backup copy ({reason});"
                " nothing was changed"
            ) from None
        return target

    def _migrate(self) -> None:
        """Bring the library to ``LIBRARY_VERSION`` in one transaction: a copy of the
        file first, then every step; on any failure nothing is changed and the copy is
        removed again. Says what it did in one line on stderr."""
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version == LIBRARY_VERSION:
            return
        backup: Path | None = None
        try:
            with self._transaction():
                # Re-read inside the lock: another process may have upgraded meanwhile.
                version = self.conn.execute("PRAGMA user_version").fetchone()[0]
                if version > LIBRARY_VERSION:
                    raise LibraryError(self._newer(version))
                if version >= 1 and version < LIBRARY_VERSION:
                    backup = self._backup(version)
                try:
                    for step in range(version, LIBRARY_VERSION):
                        MIGRATIONS[step](self.conn)
                        self.conn.execute(f"PRAGMA user_version = {step + 1}")
                except UpgradeError as exc:
                    raise LibraryError(
                        f"{self.path}: cannot upgrade: {exc}; nothing was changed"
                    ) from None
        except BaseException:
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()
            raise
        if backup is not None:
            print(
                f"podsum: {self.path}: upgraded to library version {LIBRARY_VERSION};"
                f" the old file is kept as {backup}",
                file=sys.stderr,
            )

    # --- writing ----------------------------------------------------------------

    def _stored(self, id_: str) -> sqlite3.Row | None:
        return self.conn.execute(STORED_SQL, (id_,)).fetchone()  # type: ignore[no-any-return]

    def _insert(self, row: Row, now: str) -> None:
        cur = self.conn.execute(
            f"INSERT INTO summaries (id, {_COLUMNS}, ingested_at) VALUES (?, {_PLACES}, ?)",
            (row.id, *row.values, now),
        )
        if row.cjk:
            self.conn.execute(
                "INSERT INTO summaries_cjk (rowid, chars) VALUES (?, ?)", (cur.lastrowid, row.cjk)
            )

    def _update(self, pk: int, merged: Summary, now: str) -> None:
        self.conn.execute(
            f"UPDATE summaries SET {_UPDATES}, updated_at = ? WHERE pk = ?",
            (*values(merged), now, pk),
        )
        # The update's trigger removed the summary's CJK row, if it had one.
        chars = cjk_text(merged)
        if chars:
            self.conn.execute("INSERT INTO summaries_cjk (rowid, chars) VALUES (?, ?)", (pk, chars))

    def add(self, summaries: Iterable[Summary], *, update: bool = True) -> AddResult:
        """Add summaries in one transaction; see ``add_rows``."""
        return self.add_rows([prepare(s) for s in summaries], update=update)

    def _add_one(self, row: Row, now: str, update: bool, result: AddResult) -> None:
        outcome = self._store_one(row, now, update)
        setattr(result, outcome, getattr(result, outcome) + 1)
        result.outcomes.append((row.id, outcome))

    def _store_one(self, row: Row, now: str, update: bool) -> str:
        stored = self._stored(row.id)
        if stored is None:
            self._insert(row, now)
            return "new"
        old = tuple(stored)[1:]
        if not update:
            return "unchanged"
        if old[:_SOURCE_AT] != row.values[:_SOURCE_AT]:
            try:
                merged = merge(sanitise(summary_of(old)), summary_of(row.values))
            except DamagedRecord:  # the stored row was edited into nonsense: the page wins
                merged = summary_of(row.values)
            if values(merged)[:_SOURCE_AT] != old[:_SOURCE_AT]:
                self._update(stored["pk"], merged, now)
                return "updated"
        # A copy that adds nothing leaves the summary unchanged; only where it was read
        # from follows the newest copy (no index reads those columns). Counting that as
        # an update would make a folder ingested twice, holding a page as text and as
        # HTML, report changes every time.
        if old[_SOURCE_AT:] != row.values[_SOURCE_AT:]:
            self.conn.execute(
                f"UPDATE summaries SET {_SOURCE_UPDATES} WHERE pk = ?",
                (*row.values[_SOURCE_AT:], stored["pk"]),
            )
        return "unchanged"
        self._update(stored["pk"], merged, now)
        return "updated"

    def add_rows(self, rows: Iterable[Row], *, update: bool = True) -> AddResult:
        """``add`` for rows already prepared (by worker processes), in one transaction.

        A row whose summary is there already is merged into it (``model.merge``) and
        counted as updated, or as unchanged when that changes nothing; ``update=False``
        keeps every stored summary as it is. A row the database refuses fails alone:
        the chunk is written again row by row, each in a savepoint, and the refused rows
        are listed in ``failed``. A failure of the file itself (locked, full, read-only)
        raises ``LibraryError`` and nothing of this call is kept."""
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
        """Remove one summary by id (an old one too) or unique prefix of at least
        ``MIN_PREFIX`` hex digits; returns its id. Its full-text and CJK rows go with
        it (triggers), and so do its old ids."""
        self._writable()
        if len(id_) < MIN_PREFIX:
            raise BadId(f"give at least {MIN_PREFIX} hex digits of the id")
        with self._transaction():
            full = self.resolve(id_)
            self.conn.execute("DELETE FROM summaries WHERE id = ?", (full,))
            self.conn.execute("DELETE FROM aliases WHERE id = ?", (full,))
        return full

    # --- reading ----------------------------------------------------------------

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None

    def resolve(self, prefix: str) -> str:
        """The id of the one summary that ``prefix`` names: its id, an id it had before
        (an alias), or a unique prefix of either."""
        p = prefix.lower()
        if not p or any(c not in "0123456789abcdef" for c in p):
            raise NotFound(f"no summary with id {prefix!r}")
        bounds = (p, p + "g")  # every id that starts with p: a range of the index
        found: dict[str, str] = {}
        for sql in PREFIX_SQL:
            for r in self._query(sql, bounds):
                found.setdefault(r["id"], r["title"])
        if not found:
            raise NotFound(f"no summary with id {prefix!r}")
        if p in found:  # a whole id, though it also begins an old one
            return p
        if len(found) > 1:
            total = self._query(PREFIX_COUNT_SQL, (*bounds, *bounds))[0][0]
            ranked = sorted(found.items())
            raise Ambiguous(prefix, ranked, int(total))
        return next(iter(found))

    def current_id(self, any_id: str) -> tuple[str, str] | None:
        """The id of the summary ``any_id`` names today (itself, or the summary an old
        id was merged into), and a rank among the ids naming it: its own id ranks
        highest, then the old ids of the most recently ingested copies. None if no
        summary has had that id."""
        row = self._query("SELECT id FROM summaries WHERE id = ?", (any_id,))
        if row:
            return any_id, "~"
        row = self._query("SELECT id, ingested_at FROM aliases WHERE alias = ?", (any_id,))
        return (str(row[0]["id"]), str(row[0]["ingested_at"] or "")) if row else None

    def _summary(self, row: Sequence[Any], id_: str) -> Summary:
        try:
            return sanitise(summary_of(row))
        except DamagedRecord as exc:
            raise LibraryError(f"{self.path}: summary {id_} does not read ({exc})") from None

    def ids_starting(self, prefix: str, limit: int) -> list[tuple[str, str]]:
        """(id, title) of the first ``limit`` summaries, by id, whose id starts with
        ``prefix``: a range of the primary key, as fast with a million as with ten."""
        p = prefix.lower()
        if any(c not in "0123456789abcdef" for c in p):
            return []
        rows = self._query(
            "SELECT id, title FROM summaries WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
            (p, p + "g", limit),
        )
        return [(str(r["id"]), str(r["title"])) for r in rows]

    def get(self, prefix: str) -> Summary:
        full = self.resolve(prefix)
        row = self._query(f"SELECT {_COLUMNS} FROM summaries WHERE id = ?", (full,))[0]
        return self._summary(tuple(row), full)

    def count(self) -> int:
        return int(self._query("SELECT count(*) AS n FROM summaries")[0]["n"])

    def stats(self, top: int = 10) -> dict[str, Any]:
        """What the library holds: where it is, its size, how many summaries by layout
        and by show, the oldest and newest episodes, and the most frequent topics and
        people. Counting reads every row once (it is a report, not a lookup)."""

        def pairs(sql: str) -> list[dict[str, Any]]:
            return [{"name": r[0], "count": r[1]} for r in self._query(sql, (top,))]

        def episode(order: str) -> dict[str, Any] | None:
            rows = self._query(
                "SELECT id, title, show, published FROM summaries"
                f" WHERE published IS NOT NULL ORDER BY published {order} LIMIT 1"
            )
            return dict(rows[0]) if rows else None

        size = sum(
            p.stat().st_size
            for p in (self.path, Path(f"{self.path}-wal"))
            if p.exists()
        )
        first, last = self._query("SELECT min(ingested_at), max(ingested_at) FROM summaries")[0]
        return {
            "library": str(self.path),
            "bytes": size,
            "summaries": self.count(),
            "first_ingested": first,
            "last_ingested": last,
            "oldest": episode("ASC"),
            "newest": episode("DESC"),
            "layouts": pairs(
                "SELECT layout, count(*) AS n FROM summaries GROUP BY layout"
                " ORDER BY n DESC, layout LIMIT ?"
            ),
            "shows": pairs(
                "SELECT show, count(*) AS n FROM summaries WHERE show IS NOT NULL"
                " GROUP BY show COLLATE NOCASE ORDER BY n DESC, show LIMIT ?"
            ),
            "topics": pairs(
                "SELECT j.value, count(*) AS n FROM summaries, json_each(summaries.topics) j"
                " GROUP BY j.value COLLATE NOCASE ORDER BY n DESC, j.value LIMIT ?"
            ),
            "people": pairs(
                "SELECT json_extract(j.value, '$.name') AS name, count(*) AS n"
                " FROM summaries, json_each(summaries.people) j"
                " GROUP BY name COLLATE NOCASE ORDER BY n DESC, name LIMIT ?"
            ),
        }

    def _where(self, f: Filters, *, table: str = "", joined: bool = False) -> tuple[str, list[Any]]:
        clauses, params = [], []
        if f.show:
            clauses.append(f"{table}show = ? COLLATE NOCASE")
            params.append(f.show)
        if f.layout:
            clauses.append(f"{table}layout = ?")
            params.append(f.layout)
        if f.since:
            clauses.append(f"{table}published >= ?")
            params.append(f.since)
        if f.until:
            clauses.append(f"{table}published <= ?")
            params.append(f.until)
        # A topic or a person is found first through the full-text index (its column of
        # topics or people), then checked exactly against the record's list.
        if f.topic:
            clauses.append(
                f"EXISTS (SELECT 1 FROM json_each({table}topics) WHERE value = ? COLLATE NOCASE)"
            )
            params.append(f.topic)
        if f.person:
            clauses.append(
                f"EXISTS (SELECT 1 FROM json_each({table}people)"
                " WHERE ' ' || json_extract(value, '$.name') || ' ' LIKE ? ESCAPE '\\')"
            )
            params.append("% " + _like_escape(" ".join(f.person.split())) + " %")
        for column, value in (("topics_text", f.topic), ("people_text", f.person)):
            phrase = _fts_phrase(value)
            if phrase:
                clauses.append(
                    f"{table}pk IN (SELECT rowid FROM summaries_fts WHERE summaries_fts MATCH ?)"
                )
                params.append(f"{column} : {phrase}")
        if not clauses:
            return "", params
        return (" AND " if joined else " WHERE ") + " AND ".join(clauses), params

    def list_sql(
        self,
        *,
        sort: str = "published",
        limit: int = 50,
        **filters: str | None,
    ) -> tuple[str, list[Any]]:
        """The query ``list_summaries`` runs (tests read its plan). ``filters``: the
        fields of ``Filters``."""
        where, params = self._where(Filters(**filters))
        sql = (
            "SELECT id, title, show, published, views, duration_seconds, ingested_at,"
            " updated_at, source_location AS location, layout"
            f" FROM summaries{where} ORDER BY {SORTS[sort]}"
        )
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        return sql, params

    def list_summaries(
        self,
        *,
        sort: str = "published",
        limit: int = 50,
        **filters: str | None,
    ) -> list[dict[str, Any]]:
        sql, params = self.list_sql(sort=sort, limit=limit, **filters)
        return [dict(r) for r in self._query(sql, params)]

    def summaries_sql(self, **filters: str | None) -> tuple[str, list[Any]]:
        """The query ``summaries`` runs (tests read its plan)."""
        where, params = self._where(Filters(**filters))
        sql = f"SELECT id, {_COLUMNS} FROM summaries{where} ORDER BY {SORTS['published']}"
        return sql, params

    def summaries(self, **filters: str | None) -> Iterator[Summary]:
        """Every summary (or those ``filters`` keep: see ``Filters``), newest first,
        read one at a time."""
        try:
            cursor = self.conn.execute(*self.summaries_sql(**filters))
            for row in cursor:
                yield self._summary(tuple(row)[1:], row[0])
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None

    def search_sql(
        self,
        query: str,
        *,
        raw: bool = False,
        limit: int = 20,
        **filters: str | None,
    ) -> tuple[str, list[Any], tuple[str, ...]] | None:
        """The query ``search`` runs, its parameters and the CJK runs it looks for;
        None when the query holds no word to look for."""
        from .dbsearch import Query, TooManyTerms, plain_query

        if raw:
            q = Query(query if query.strip() else None, None)
        else:
            try:
                q = plain_query(query)
            except TooManyTerms as exc:
                raise BadQuery(str(exc)) from None
        if q.match is None and q.cjk is None:
            return None
        where, kept = self._where(Filters(**filters), table="s.", joined=True)
        columns = "s.id, s.title, s.show, s.published, s.layout"
        if q.match is None:
            texts = ", ".join(f"s.{c}" for c in _SNIPPET_COLUMNS)
            sql = (
                f"SELECT {columns}, summaries_cjk.rank AS rank, {texts}"
                " FROM summaries_cjk JOIN summaries s ON s.pk = summaries_cjk.rowid"
                f" WHERE summaries_cjk MATCH ?{where} ORDER BY summaries_cjk.rank LIMIT ?"
            )
            return sql, [q.cjk, *kept, limit], q.runs
        cjk = ""
        params: list[Any] = [q.match]
        if q.cjk is not None:
            # On s.pk, not the index's rowid: the CJK matches are listed once and the
            # word matches still come in rank order, with no sort of their own.
            cjk = " AND s.pk IN (SELECT rowid FROM summaries_cjk WHERE summaries_cjk MATCH ?)"
            params.append(q.cjk)
        sql = (
            f"SELECT {columns}, summaries_fts.rank AS rank,"
            " snippet(summaries_fts, -1, char(2), char(3), '…', 12) AS snippet"
            " FROM summaries_fts JOIN summaries s ON s.pk = summaries_fts.rowid"
            f" WHERE summaries_fts MATCH ?{cjk}{where} ORDER BY summaries_fts.rank LIMIT ?"
        )
        return sql, [*params, *kept, limit], q.runs

    def search(
        self,
        query: str,
        *,
        raw: bool = False,
        limit: int = 20,
        **filters: str | None,
    ) -> list[dict[str, Any]]:
        """Ranked matches (bm25, weighted towards the title), each with a snippet.
        Without ``raw`` any text is safe: see ``dbsearch.plain_query``."""
        from .dbsearch import substring_snippet

        built = self.search_sql(query, raw=raw, limit=limit, **filters)
        if built is None:
            return []
        sql, params, runs = built
        try:
            rows = self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if raw and not any(w in str(exc) for w in ("locked", "busy", "malformed", "disk")):
                raise BadQuery(f"invalid search query: {exc}") from None
            raise _translate(exc, self.path) from None
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None
        hits = []
        for r in rows:
            hit = {k: r[k] for k in ("id", "title", "show", "published", "layout", "rank")}
            if "snippet" in r.keys():  # noqa: SIM118 (a Row's "in" looks at its values)
                hit["snippet"] = r["snippet"]
            else:
                hit["snippet"] = substring_snippet((r[c] for c in _SNIPPET_COLUMNS), runs)
            hits.append(hit)
        return hits

    def integrity_ok(self) -> bool:
        return bool(self._query("PRAGMA integrity_check")[0][0] == "ok")
