"""The record of what an export wrote, held on disk instead of in memory.

The record file (``.podsum-export``) is JSON: ``{"formats": {FORMAT: {KEY: {"path":
PATH, "sha256": HEX}}}, "podsum_export": 1}``, one entry per file podsum wrote. For a
folder of a million notes, dicts of those entries would take about half a gigabyte; here
they live in a private temporary SQLite database (what sqlite3 makes for the empty file
name: its cache is bounded, the rest spills to a temporary file deleted on close), and
the record file is read and written a line at a time.

podsum writes the record exactly as ``json.dumps(data, indent=1, sort_keys=True)`` does,
and reads that layout line by line. Streaming JSON parsers (ijson) read any layout, but
would be a dependency for one file podsum writes itself: a record in any other layout
(edited by hand) is read with ``json.loads``, whole.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any, TextIO

MANIFEST_VERSION = 1
_SHA = re.compile(r"[0-9a-f]{64}")
_STR = r'"(?:[^"\\]|\\.)*"'
_FORMAT = re.compile(rf"  ({_STR}): {{")
_ENTRY = re.compile(rf"   ({_STR}): {{")
_PATH = re.compile(rf'    "path": ({_STR}),')
_SHA_LINE = re.compile(rf'    "sha256": ({_STR})')
_VERSION = re.compile(r' "podsum_export": -?\d+')

_SCHEMA = """
CREATE TABLE entry (
    fmt TEXT, key TEXT, path TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (fmt, key)
) WITHOUT ROWID;
CREATE INDEX entry_path ON entry (fmt, path);
CREATE TABLE taken (path TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE note (
    id TEXT, n INTEGER, path TEXT, rank TEXT NOT NULL, PRIMARY KEY (id, n)
) WITHOUT ROWID;
"""


def safe_relative(value: object) -> str | None:
    """A path from the record that stays inside the export folder, or None."""
    if not isinstance(value, str) or not value or "\x00" in value:
        return None
    p = PurePosixPath(value)
    if p.is_absolute() or ".." in p.parts or str(p) in ("", "."):
        return None
    return str(p)


class NotARecord(Exception):
    """The file is not a podsum export record (not JSON, or not of its shape)."""


class Ledger:
    """Entries (format, key) -> (path, sha256); and, for one export run, the paths it
    has used and the notes a scan of the folder found, by summary id."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("", isolation_level=None)
        self._db.execute("PRAGMA cache_size = -8192")  # KiB
        self._db.executescript(_SCHEMA)
        self._db.execute("BEGIN")  # never committed: the database is gone on close
        self._notes = 0

    def close(self) -> None:
        self._db.close()

    def _one(self, sql: str, params: tuple[Any, ...]) -> Any:
        return self._db.execute(sql, params).fetchone()

    # --- what podsum wrote ---------------------------------------------------------

    def get(self, fmt: str, key: str) -> tuple[str, str] | None:
        row = self._one("SELECT path, sha256 FROM entry WHERE fmt = ? AND key = ?", (fmt, key))
        return (row[0], row[1]) if row else None

    def put(self, fmt: str, key: str, path: str, sha256: str) -> bool:
        """Record an entry; whether that changed anything."""
        if self.get(fmt, key) == (path, sha256):
            return False
        self._db.execute(
            "INSERT OR REPLACE INTO entry (fmt, key, path, sha256) VALUES (?, ?, ?, ?)",
            (fmt, key, path, sha256),
        )
        return True

    def other_key_at(self, fmt: str, path: str, key: str) -> bool:
        """Whether the record names ``path`` as the file of a key other than ``key``."""
        sql = "SELECT 1 FROM entry WHERE fmt = ? AND path = ? AND key != ? LIMIT 1"
        return self._one(sql, (fmt, path, key)) is not None

    def entries(self) -> Iterator[tuple[str, str, str, str]]:
        """Every entry, sorted as ``json.dumps(sort_keys=True)`` sorts (by code point,
        which is the byte order of UTF-8 that SQLite compares)."""
        cur = self._db.execute("SELECT fmt, key, path, sha256 FROM entry ORDER BY fmt, key")
        while rows := cur.fetchmany(1000):
            yield from rows

    def delete(self, fmt: str, key: str) -> None:
        self._db.execute("DELETE FROM entry WHERE fmt = ? AND key = ?", (fmt, key))

    def clear(self) -> None:
        self._db.execute("DELETE FROM entry")

    # --- this run ----------------------------------------------------------------------

    def take(self, path: str) -> None:
        self._db.execute("INSERT OR IGNORE INTO taken (path) VALUES (?)", (path,))

    def taken(self, path: str) -> bool:
        return self._one("SELECT 1 FROM taken WHERE path = ?", (path,)) is not None

    def add_note(self, summary_id: str, path: str, rank: str = "") -> None:
        self._notes += 1
        self._db.execute(
            "INSERT INTO note (id, n, path, rank) VALUES (?, ?, ?, ?)",
            (summary_id, self._notes, path, rank),
        )

    def notes(self, summary_id: str) -> list[str]:
        """Files a scan found for the summary: highest rank first, then in the order
        found."""
        rows = self._db.execute(
            "SELECT path FROM note WHERE id = ? ORDER BY rank DESC, n", (summary_id,)
        )
        return [r[0] for r in rows]

    # --- the record file ---------------------------------------------------------------

    def load(self, path: Path) -> None:
        """Read the record file into the ledger; NotARecord if it is not one."""
        try:
            with path.open(encoding="utf-8", newline="\n") as f:
                self._add_all(_read_lines(f))
            return
        except (_OtherLayout, UnicodeDecodeError, ValueError):
            self.clear()
        except OSError:
            raise NotARecord from None
        try:
            data = json.loads(path.read_bytes())
        except (ValueError, OSError, RecursionError):
            raise NotARecord from None
        if not (isinstance(data, dict) and isinstance(data.get("formats"), dict)):
            raise NotARecord
        self._add_all(_entries_of(data["formats"]))

    def _add_all(self, entries: Iterable[tuple[str, str, str, str]]) -> None:
        for fmt, key, rel, sha in entries:
            self._db.execute(
                "INSERT OR REPLACE INTO entry (fmt, key, path, sha256) VALUES (?, ?, ?, ?)",
                (fmt, key, rel, sha),
            )

    def dump(self) -> Iterator[str]:
        """The record file, in pieces: exactly what ``json.dumps(data, indent=1,
        sort_keys=True) + "\\n"`` gives for the entries."""
        yield "{\n"
        current: str | None = None
        for fmt, key, rel, sha in self.entries():
            if fmt != current:
                yield ' "formats": {\n' if current is None else "\n   }\n  },\n"
                yield f"  {json.dumps(fmt)}: {{\n"
                current = fmt
            else:
                yield "\n   },\n"
            yield (
                f"   {json.dumps(key)}: {{\n"
                f'    "path": {json.dumps(rel)},\n'
                f'    "sha256": {json.dumps(sha)}'
            )
        yield ' "formats": {},\n' if current is None else "\n   }\n  }\n },\n"
        yield f' "podsum_export": {MANIFEST_VERSION}\n}}\n'


class _OtherLayout(Exception):
    """Valid JSON perhaps, but not laid out as podsum writes it."""


def _valid(fmt: str, key: str, path: object, sha: object) -> tuple[str, str, str, str] | None:
    rel = safe_relative(path)
    if rel and isinstance(sha, str) and _SHA.fullmatch(sha):
        return fmt, key, rel, sha
    return None


def _entries_of(formats: dict[Any, Any]) -> Iterator[tuple[str, str, str, str]]:
    """The usable entries of a record read whole (anything malformed is skipped)."""
    for fmt, entries in formats.items():
        if not isinstance(entries, dict):
            continue
        for key, entry in entries.items():
            if isinstance(entry, dict):
                found = _valid(str(fmt), str(key), entry.get("path"), entry.get("sha256"))
                if found:
                    yield found


def _read_lines(f: TextIO) -> Iterator[tuple[str, str, str, str]]:
    """The entries of a record file in podsum's own layout; _OtherLayout at the first
    line that is not (nothing has to be undone: the caller starts again)."""

    def line() -> str:
        text = f.readline()
        if not text.endswith("\n"):
            raise _OtherLayout
        return text[:-1]

    def value(pattern: re.Pattern[str], text: str) -> str:
        m = pattern.fullmatch(text)
        if m is None:
            raise _OtherLayout
        return str(json.loads(m[1]))

    if line() != "{":
        raise _OtherLayout
    text = line()
    if text == ' "formats": {':
        while True:  # formats
            fmt = value(_FORMAT, line())
            while True:  # entries
                key = value(_ENTRY, line())
                rel = value(_PATH, line())
                sha = value(_SHA_LINE, line())
                found = _valid(fmt, key, rel, sha)
                if found:
                    yield found
                end = line()
                if end == "   }":
                    break
                if end != "   },":
                    raise _OtherLayout
            end = line()
            if end == "  }":
                break
            if end != "  },":
                raise _OtherLayout
        text = line()
        if text != " },":
            raise _OtherLayout
    elif text != ' "formats": {},':
        raise _OtherLayout
    if not _VERSION.fullmatch(line()) or f.readline() != "}" + "\n" or f.read(1):
        raise _OtherLayout
