"""Writing summaries out as files: one per summary, named for people and every OS.

An export folder is the user's as much as podsum's: notes get edited, renamed and moved.
podsum keeps a record in the folder, ``.podsum-export`` (JSON), of each file it wrote:
the summary's id -> the file's path and the SHA-256 of what was written. A file is
replaced only while its content is still exactly that. The record lives beside the
notes rather than in them so that JSON files are covered too and the notes stay exactly
the Markdown that reads back as the record. Without a record (a folder exported by an
older podsum, or the record deleted) notes are recognised by podsum's front matter
(``podsum:`` and ``id:``) or, for JSON, by a record's opening keys; such a file is
left as it is unless it already holds what this export would write.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .atomic import open_output, write_atomic
from .model import Summary
from .names import cut, hyphenated, portable

MAX_SLUG = 60  # user-perceived characters of the title in a file name
MAX_STEM_BYTES = 200
MANIFEST = ".podsum-export"  # JSON; no .json ending, so globs for records skip it
MANIFEST_VERSION = 1
JSONL_NAME = "summaries.jsonl"
_JSONL_KEY = "summaries"  # the one jsonl file's key in the record
_HEAD = 8192  # how much of a file is read to recognise podsum's notes
_ID = re.compile(r"[0-9a-f]{16}")
_SHA = re.compile(r"[0-9a-f]{64}")
_JSON_ID = re.compile(r'\A\s*\{\s*"schema_version"\s*:\s*\d+\s*,\s*"id"\s*:\s*"([0-9a-f]{16})"')
EXTENSIONS = {"md": ".md", "json": ".json"}


def slug(title: str, max_bytes: int = MAX_STEM_BYTES) -> str:
    """The title's words, lower case, joined by hyphens, in the title's own script
    (``人工智能如何改变编程``, ``café-crème``); "" for a title of no letters or digits."""
    return cut(hyphenated(title), MAX_SLUG, max_bytes)


def file_stem(s: Summary, summary_id: str) -> str:
    """``YYYY-MM-DD-title-slug`` (``undated-…`` without a date; the id for a title of no
    letters or digits): at most MAX_STEM_BYTES of UTF-8, so with ``-N`` and the extension
    a name fits the 255 bytes every common file system allows."""
    prefix = f"{s.published or 'undated'}-"
    name = slug(s.title, MAX_STEM_BYTES - len(prefix.encode("utf-8")))
    return portable(prefix + (name or summary_id), MAX_STEM_BYTES)


def render_for_export(s: Summary, fmt: str) -> str:
    if fmt == "json":
        from .render.jsonout import render_json

        return render_json(s.to_dict()) + "\n"
    from .render.markdown import render_markdown

    # Tags, aliases and date are in every note's front matter; an export adds where
    # the page came from.
    return render_markdown(s, {"source": s.source.location} if s.source.location else None)


def note_id(head: str, fmt: str) -> str | None:
    """The summary id of a file podsum wrote, from its first bytes; None for others.

    Markdown: front matter (``---`` on the first line) with both ``podsum:`` and
    ``id:`` keys; an ``id: x`` line in a note's body, or front matter without podsum's
    key, is the user's. JSON: a record's opening ``"schema_version"`` and ``"id"``.
    """
    if fmt == "json":
        m = _JSON_ID.match(head)
        return m[1] if m else None
    lines = head.splitlines()
    if not lines or lines[0].rstrip() != "---":
        return None
    keys: dict[str, str] = {}
    for line in lines[1:]:
        if line.rstrip() in ("---", "..."):
            break
        key, sep, value = line.partition(":")
        if sep and key in ("podsum", "id") and key not in keys:
            keys[key] = value.strip().strip("'\"")
    found = keys.get("id", "")
    return found if "podsum" in keys and _ID.fullmatch(found) else None


@dataclass
class _FileInfo:
    sha256: str | None  # None: not a regular file (a FIFO, a device), never read
    head: str = ""


def _file_info(path: Path) -> _FileInfo | None:
    """SHA-256 and first bytes of the file at ``path`` (symlinks followed), read in
    chunks; None if nothing is there."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not stat.S_ISREG(st.st_mode):
        return _FileInfo(None)
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        first = f.read(_HEAD)
        digest.update(first)
        while chunk := f.read(1 << 16):
            digest.update(chunk)
    return _FileInfo(digest.hexdigest(), first.decode("utf-8", errors="replace"))


def _desc(rank: str) -> tuple[int, ...]:
    """A sort key that puts higher ranks first (and no rank last)."""
    return (*(-ord(c) for c in rank), 1)


def _safe_relative(value: object) -> str | None:
    """A path from the record that stays inside the export folder, or None."""
    if not isinstance(value, str) or not value or "\x00" in value:
        return None
    p = PurePosixPath(value)
    if p.is_absolute() or ".." in p.parts or str(p) in ("", "."):
        return None
    return str(p)


@dataclass
class Outcome:
    """What became of one summary's file."""

    path: Path
    status: str  # "written", "unchanged" (already exactly that), or "kept" (user's edit)
    kept_foreign: bool = False  # its usual name was taken by a file podsum did not write


@dataclass
class Exporter:
    """One export run into ``out_dir``; ``close`` saves the record of what was written."""

    out_dir: Path
    fmt: str
    force: bool = False
    warn: Callable[[str], None] = print
    # The id a summary has today for an id a note or the record holds (an id it had
    # before an upgrade merged or renamed it), with a rank among the ids that name it;
    # None for an id no summary has had. Without a library every id is its own.
    current_id: Callable[[str], tuple[str, str] | None] | None = None
    _records: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    _index: dict[str, list[str]] | None = None  # id -> relative paths, scanned lazily
    _taken: set[str] = field(default_factory=set)  # relative paths used in this run
    _dirty: bool = False

    def __post_init__(self) -> None:
        self._records = self._load()

    def _current(self, any_id: str) -> tuple[str, str]:
        found = self.current_id(any_id) if self.current_id is not None else None
        return found if found is not None else (any_id, "")

    def _same_summary(self, found: str | None, summary_id: str) -> bool:
        return found == summary_id or (found is not None and self._current(found)[0] == summary_id)

    # --- the record ----------------------------------------------------------------

    @property
    def manifest(self) -> Path:
        return self.out_dir / MANIFEST

    def _load(self) -> dict[str, dict[str, dict[str, str]]]:
        info = _file_info(self.manifest)
        if info is None:
            return {}
        data: Any = None
        if info.sha256 is not None:
            try:
                data = json.loads(self.manifest.read_bytes())
            except (ValueError, OSError):
                data = None
        if not (isinstance(data, dict) and isinstance(data.get("formats"), dict)):
            self.warn(
                f"podsum: {self.manifest}: not a podsum export record; "
                "notes were found by their front matter"
            )
            self._dirty = True
            return {}
        records: dict[str, dict[str, dict[str, str]]] = {}
        ranks: dict[tuple[str, str], str] = {}
        for fmt, entries in data["formats"].items():
            if not isinstance(entries, dict):
                continue
            for key, entry in entries.items():
                if not isinstance(entry, dict):
                    continue
                rel = _safe_relative(entry.get("path"))
                sha = entry.get("sha256")
                if not (rel and isinstance(sha, str) and _SHA.fullmatch(sha)):
                    continue
                # A note of an old id is the note of the summary that id is now part
                # of; of several, the one of the most recently ingested copy.
                current, rank = self._current(str(key)) if _ID.fullmatch(key) else (key, "")
                if current != key:
                    self._dirty = True
                if ranks.get((fmt, current), "") > rank:
                    continue
                ranks[(fmt, current)] = rank
                records.setdefault(str(fmt), {})[current] = {"path": rel, "sha256": sha}
        return records

    def _remember(self, key: str, rel: str, sha256: str, fmt: str | None = None) -> None:
        entries = self._records.setdefault(fmt or self.fmt, {})
        entry = {"path": rel, "sha256": sha256}
        if entries.get(key) != entry:
            entries[key] = entry
            self._dirty = True

    def close(self) -> None:
        """Save the record (atomically), if anything in it changed."""
        if not self._dirty:
            return
        data = {"podsum_export": MANIFEST_VERSION, "formats": self._records}
        write_atomic(self.manifest, json.dumps(data, indent=1, sort_keys=True) + "\n")
        self._dirty = False

    # --- finding a summary's file --------------------------------------------------

    def _scan(self) -> dict[str, list[str]]:
        """podsum's files of this format anywhere in the folder (hidden folders such as
        .obsidian or .trash left out), by summary id; only their first bytes are read."""
        if self._index is None:
            self._index = {}
            ranked: list[tuple[tuple[str, str], str]] = []
            ext = EXTENSIONS[self.fmt]
            for folder, dirs, files in os.walk(self.out_dir):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(".") or not name.endswith(ext):
                        continue
                    path = Path(folder) / name
                    try:
                        info = _file_info(path)
                    except OSError:
                        continue
                    found = note_id(info.head, self.fmt) if info else None
                    if found:
                        rel = path.relative_to(self.out_dir).as_posix()
                        ranked.append((self._current(found), rel))
            # By id; of one summary's notes, its own id's first, then the newest old id's.
            ranked.sort(key=lambda r: (r[0][0], _desc(r[0][1]), r[1]))
            for (current, _rank), rel in ranked:
                self._index.setdefault(current, []).append(rel)
        return self._index

    def _locate(self, summary_id: str) -> tuple[str, _FileInfo, str | None] | None:
        """The summary's existing file: (relative path, its content, recorded SHA-256)."""
        entry = self._records.get(self.fmt, {}).get(summary_id)
        recorded = entry["sha256"] if entry else None
        if entry and entry["path"] not in self._taken:
            info = _file_info(self.out_dir / entry["path"])
            held = note_id(info.head, self.fmt) if info is not None else None
            if info is not None and (held is None or self._same_summary(held, summary_id)):
                return entry["path"], info, recorded
        candidates = [r for r in self._scan().get(summary_id, []) if r not in self._taken]
        found: tuple[str, _FileInfo, str | None] | None = None
        for rel in candidates:  # a copy the user made is left alone: prefer podsum's
            info = _file_info(self.out_dir / rel)
            if info is None:
                continue
            if found is None or (recorded is not None and info.sha256 == recorded):
                found = (rel, info, recorded)
        return found

    def _other_note(self, rel: str, summary_id: str) -> bool:
        """Whether ``rel`` is podsum's file for another summary (not the user's own)."""
        for key, entry in self._records.get(self.fmt, {}).items():
            if entry["path"] == rel and key != summary_id:
                return True
        try:
            info = _file_info(self.out_dir / rel)
        except OSError:
            return False
        found = note_id(info.head, self.fmt) if info is not None else None
        return found is not None and not self._same_summary(found, summary_id)

    # --- writing ---------------------------------------------------------------------

    def _kept(self, rel: str) -> Outcome:
        path = self.out_dir / rel
        self.warn(f"podsum: {path}: changed since podsum wrote it; kept (use --force to overwrite)")
        return Outcome(path, "kept")

    def export(self, s: Summary) -> Outcome:
        """Write one summary's file: a new one, or podsum's own replaced; never a file
        the user changed (unless ``force``) or one podsum did not write."""
        data = render_for_export(s, self.fmt)
        sha256 = hashlib.sha256(data.encode("utf-8")).hexdigest()
        located = self._locate(s.id)
        if located is not None:
            rel, info, recorded = located
            self._taken.add(rel)
            if info.sha256 == sha256:
                self._remember(s.id, rel, sha256)
                return Outcome(self.out_dir / rel, "unchanged")
            if info.sha256 is not None and info.sha256 != recorded and not self.force:
                if recorded is not None:  # where it is now, still as podsum wrote it
                    self._remember(s.id, rel, recorded)
                return self._kept(rel)
            write_atomic(self.out_dir / rel, data)
            self._remember(s.id, rel, sha256)
            return Outcome(self.out_dir / rel, "written")
        stem, ext = file_stem(s, s.id), EXTENSIONS[self.fmt]
        kept_foreign = False
        n = 1
        while True:
            rel = f"{stem}{'' if n == 1 else f'-{n}'}{ext}"
            n += 1
            if rel in self._taken:
                continue  # another summary of this run has it
            if os.path.lexists(self.out_dir / rel):
                if not self._other_note(rel, s.id):
                    kept_foreign = True  # the user's file: never replaced
                continue
            try:
                write_atomic(self.out_dir / rel, data, exclusive=True)
            except FileExistsError:  # appeared meanwhile: never clobber it
                continue
            self._taken.add(rel)
            self._remember(s.id, rel, sha256)
            return Outcome(self.out_dir / rel, "written", kept_foreign)

    def export_jsonl(self, summaries: Iterable[Summary]) -> tuple[Outcome, int]:
        """All summaries as one JSON Lines file, streamed; (outcome, lines)."""
        from .render.jsonout import render_json

        path = self.out_dir / JSONL_NAME
        entry = self._records.get("jsonl", {}).get(_JSONL_KEY)
        info = _file_info(path)
        lines = (render_json(s.to_dict(), indent=None) + "\n" for s in summaries)
        count = 0
        if (
            info is not None
            and info.sha256 is not None
            and info.sha256 != (entry["sha256"] if entry else None)
            and not self.force
        ):
            # Not what podsum wrote there last: only compared with this export, never
            # replaced (it is either the same already or the user's).
            digest = hashlib.sha256()
            for line in lines:
                digest.update(line.encode("utf-8"))
                count += 1
            if digest.hexdigest() != info.sha256:
                return self._kept(JSONL_NAME), count
            self._remember(_JSONL_KEY, JSONL_NAME, info.sha256, "jsonl")
            return Outcome(path, "unchanged"), count
        with open_output(path) as out:
            for line in lines:
                out.write(line)
                count += 1
        if out.regular:  # a pipe or device keeps no content to compare with
            self._remember(_JSONL_KEY, JSONL_NAME, out.sha256(), "jsonl")
        return Outcome(path, "written"), count
