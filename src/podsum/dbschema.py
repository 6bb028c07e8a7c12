"""How a summary is laid out in the library's tables, and read back.

Every scalar field of the record is a column of ``summaries`` (so Datasette can facet
on ``show`` and sort on ``views``); each list is a JSON column in the record's own
shape. The full-text index (``summaries_fts``) is FTS5 with external content: it keeps
no copy of the text, and reads it from ``summaries`` when it needs it (snippets, a
rebuild). Lists are indexed through virtual generated columns (``*_text``), computed
from the JSON on read and never stored, that leave out the JSON's keys, nulls and
escapes, so a search for "title" or "null" finds no summary that does not say it.
Triggers keep the index in step with any write, podsum's or another tool's.

Han, kana and Hangul are written without spaces between words, so a word inside a
run of them is no token of its own. ``summaries_cjk`` holds those runs one character
a token, and a phrase of characters finds any substring.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from .model import SCHEMA_VERSION, Summary, summary_from_dict

SCALARS = (
    "layout",
    "url",
    "title",
    "show",
    "episode_number",
    "category",
    "published",
    "views",
    "duration",
    "duration_seconds",
    "tldr",
    "overview",
    "bottom_line",
    "related_channel",
    "transcript",
)
LISTS = ("people", "topics", "sections", "chapters", "related", "extra_lines", "warnings")
SOURCE = ("kind", "location", "sha256", "encoding")
# The columns a record fills, in the order ``values`` gives them.
RECORD_COLUMNS = (*SCALARS, *LISTS, *(f"source_{k}" for k in SOURCE))
_INTEGER = ("views", "duration_seconds")
_NOT_NULL = ("layout", "title", "source_kind", "source_sha256", "source_encoding")

# The JSON keys of the lists that hold text to search.
_SECTION_KEYS = (
    "emoji",
    "title",
    "declared_insights",
    "insights",
    "text",
    "speaker",
    "timestamps",
    "at",
    "seconds",
)
_CHAPTER_KEYS = ("title", "start", "start_seconds", "end", "end_seconds", "summary", "points")
# What the full-text index covers, in its column order, with the weight of each in
# the ranking (bm25): a match in the title counts most. ``body`` is the summary's
# running text: TL;DR, overview, insights, chapters, transcript. The biggest column
# comes first: FTS5 marks every entry of any later column with its column number,
# which would make the index a third bigger.
FTS_COLUMNS = (
    ("body", 1.0),
    ("title", 10.0),
    ("show", 4.0),
    ("people_text", 3.0),
    ("topics_text", 3.0),
)
_FTS_SOURCES = ("title", "show", "people", "topics", "tldr", "overview", "sections", "chapters")


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _replace(expr: str, old: str, new: str) -> str:
    return f"replace({expr}, {old}, {new})"


def _json_text(column: str, keys: Sequence[str]) -> str:
    """SQL for the text of a JSON list column written by ``dump``: keys, nulls and
    brackets out, each value on its own line, escapes decoded. Only built-in functions,
    so Datasette, sqlite-utils and the sqlite3 shell read it (and rebuild the index)
    like podsum. Nested calls are few enough for any SQLite's parser (about 30 fit)."""
    e = column
    e = _replace(e, _lit("\\\\"), "char(1)")  # an escaped backslash, set aside
    e = _replace(e, _lit('\\"'), "char(2)")  # an escaped quote: every quote left is JSON's
    e = _replace(e, _lit('":null'), _lit('":'))
    e = _replace(e, _lit('":[]'), _lit('":'))
    for key in keys:
        e = _replace(e, _lit(f'"{key}":'), "char(10)")
    e = _replace(e, _lit('","'), "char(10)")  # between the strings of a list
    for structural in ('"', "{", "}", "[", "]"):
        e = _replace(e, _lit(structural), "''")
    e = _replace(e, "',' || char(10)", "char(10)")
    e = _replace(e, _lit("\\n"), "char(10)")
    e = _replace(e, _lit("\\t"), "char(9)")
    e = _replace(e, "char(2)", _lit('"'))
    return _replace(e, "char(1)", _lit("\\"))


def _summaries_table() -> str:
    columns = ["pk INTEGER PRIMARY KEY", "id TEXT NOT NULL UNIQUE"]
    for name in RECORD_COLUMNS:
        kind = "INTEGER" if name in _INTEGER else "TEXT"
        if name in LISTS:
            columns.append(f"{name} TEXT NOT NULL DEFAULT '[]'")
        else:
            columns.append(f"{name} {kind}{' NOT NULL' if name in _NOT_NULL else ''}")
    # When the summary was first ingested, and when a later copy last changed it (null
    # while none has).
    columns += ["ingested_at TEXT NOT NULL", "updated_at TEXT"]
    body = " || char(10) || ".join(
        (
            "coalesce(tldr, '')",
            "coalesce(overview, '')",
            _json_text("sections", _SECTION_KEYS),
            _json_text("chapters", _CHAPTER_KEYS),
            "coalesce(transcript, '')",
        )
    )
    generated = {
        "body": body,
        "people_text": _json_text("people", ("name", "role", "about")),
        "topics_text": _json_text("topics", ()),
    }
    for name, expr in generated.items():
        columns.append(f"{name} TEXT GENERATED ALWAYS AS ({expr}) VIRTUAL")
    return "CREATE TABLE summaries (\n    " + ",\n    ".join(columns) + "\n)"


def _fts_values(prefix: str) -> str:
    return ", ".join(f"{prefix}.{name}" for name, _ in FTS_COLUMNS)


_FTS_NAMES = ", ".join(name for name, _ in FTS_COLUMNS)
_WATCHED = ", ".join((*_FTS_SOURCES, "transcript"))

# The tables, indexes and triggers of library version 2, one statement each.
SCHEMA: tuple[str, ...] = (
    _summaries_table(),
    # One index for each order ``list`` offers (and for --show), each ending in the
    # rowid (pk), which breaks ties. SQLite sorts NULL below every value, so walking
    # one backwards gives the undated or unviewed summaries last, with no IS NULL term
    # to stop the index being used. Ingest order is pk order itself.
    "CREATE INDEX summaries_published ON summaries (published)",
    "CREATE INDEX summaries_views ON summaries (views)",
    "CREATE INDEX summaries_title ON summaries (title COLLATE NOCASE)",
    "CREATE INDEX summaries_show ON summaries (show COLLATE NOCASE, published)",
    # Every id a summary had before library version 2 (and every id of a copy merged
    # into it then), so old ids, notes and scripts keep working.
    "CREATE TABLE aliases (alias TEXT PRIMARY KEY, id TEXT NOT NULL, ingested_at TEXT)"
    " WITHOUT ROWID",
    "CREATE INDEX aliases_id ON aliases (id)",
    # Found by Datasette and sqlite-utils (content="summaries"), rebuilt by either.
    f"CREATE VIRTUAL TABLE summaries_fts USING fts5 ({_FTS_NAMES},"
    ' content="summaries", tokenize="porter unicode61 remove_diacritics 2")',
    "INSERT INTO summaries_fts (summaries_fts, rank) VALUES ('rank', 'bm25("
    + ", ".join(str(w) for _, w in FTS_COLUMNS)
    + ")')",
    # sqlite-utils' trigger names, so its enable-fts --replace and disable-fts know them.
    f"CREATE TRIGGER summaries_ai AFTER INSERT ON summaries BEGIN"
    f" INSERT INTO summaries_fts (rowid, {_FTS_NAMES}) VALUES (new.pk, {_fts_values('new')});"
    " END",
    f"CREATE TRIGGER summaries_ad AFTER DELETE ON summaries BEGIN"
    f" INSERT INTO summaries_fts (summaries_fts, rowid, {_FTS_NAMES})"
    f" VALUES ('delete', old.pk, {_fts_values('old')});"
    " END",
    f"CREATE TRIGGER summaries_au AFTER UPDATE OF {_WATCHED} ON summaries BEGIN"
    f" INSERT INTO summaries_fts (summaries_fts, rowid, {_FTS_NAMES})"
    f" VALUES ('delete', old.pk, {_fts_values('old')});"
    f" INSERT INTO summaries_fts (rowid, {_FTS_NAMES}) VALUES (new.pk, {_fts_values('new')});"
    " END",
    'CREATE VIRTUAL TABLE summaries_cjk USING fts5 (chars, tokenize="unicode61")',
    # podsum writes a summary's CJK row itself (SQL cannot split text into characters);
    # a summary removed or changed by any tool loses its stale row here.
    "CREATE TRIGGER summaries_cjk_ad AFTER DELETE ON summaries BEGIN"
    " DELETE FROM summaries_cjk WHERE rowid = old.pk; END",
    f"CREATE TRIGGER summaries_cjk_au AFTER UPDATE OF {_WATCHED} ON summaries BEGIN"
    " DELETE FROM summaries_cjk WHERE rowid = old.pk; END",
)


def _compact(value: Any) -> Any:
    """A list of the record as stored: keys whose value is null or an empty list are
    left out (a record reads them back as exactly that), which is a third of a list's
    bytes."""
    if isinstance(value, list):
        return [_compact(v) for v in value]
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items() if v is not None and v != []}
    return value


def dump(value: list[Any]) -> str:
    return json.dumps(_compact(value), ensure_ascii=False, separators=(",", ":"))


def values(s: Summary) -> tuple[Any, ...]:
    """The record's columns, in ``RECORD_COLUMNS`` order."""
    d = s.to_dict(with_id=False)
    src = d["source"]
    return (
        *(d[k] for k in SCALARS),
        *(dump(d[k]) for k in LISTS),
        *(src[k] for k in SOURCE),
    )


class DamagedRecord(ValueError):
    """A row that no longer reads as a record (edited behind podsum's back)."""


def record_of(row: Sequence[Any]) -> dict[str, Any]:
    """The record a row holds: ``row`` is ``RECORD_COLUMNS``, in order (``values``)."""
    n, m = len(SCALARS), len(SCALARS) + len(LISTS)
    d: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    d.update(zip(SCALARS, row[:n], strict=True))
    try:
        d.update((k, json.loads(v)) for k, v in zip(LISTS, row[n:m], strict=True))
    except (TypeError, ValueError) as exc:
        raise DamagedRecord(f"a list column is not JSON ({exc})") from None
    d["source"] = dict(zip(SOURCE, row[m:], strict=True))
    return d


def summary_of(row: Sequence[Any]) -> Summary:
    from .errors import ParseError

    try:
        return summary_from_dict(record_of(row))
    except ParseError as exc:
        raise DamagedRecord(str(exc)) from None


# --- CJK ---------------------------------------------------------------------------

_CJK = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
)
_CJK_RUN = re.compile(f"[{_CJK}\U00020000-\U0003134f]+")
# Between two runs, so that the last character of one and the first of the next are
# not neighbours (a query's phrase holds CJK characters only, never this token).
_GAP = " x "


def cjk_runs(text: str) -> list[str]:
    return _CJK_RUN.findall(unicodedata.normalize("NFKC", text))


def _searched_texts(s: Summary) -> Iterable[str | None]:
    yield s.title
    yield s.show
    for p in s.people:
        yield p.name
        yield p.about
    yield from s.topics
    yield s.tldr
    yield s.overview
    for sec in s.sections:
        yield sec.title
        for ins in sec.insights:
            yield ins.title
            yield ins.text
            yield ins.speaker
    for c in s.chapters:
        yield c.title
        yield c.summary
        yield from c.points
    yield s.transcript


def cjk_text(s: Summary) -> str:
    """What ``summaries_cjk`` holds for ``s``: each run of CJK characters in the text
    the full-text index covers, one character a token; empty when there is none."""
    runs: list[str] = []
    for text in _searched_texts(s):
        if text and not text.isascii():
            runs.extend(cjk_runs(text))
    return _GAP.join(" ".join(run) for run in runs)


def cjk_phrase(run: str) -> str:
    """An FTS5 phrase of ``summaries_cjk`` that finds ``run`` anywhere in a text."""
    return '"' + " ".join(run) + '"'
