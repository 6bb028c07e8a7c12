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
import itertools
import os
import re
import stat
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import open_output, write_atomic
from .ledger import Ledger, NotARecord
from .model import Summary
from .names import cut, hyphenated, portable

MAX_SLUG = 60  # user-perceived characters of the title in a file name
MAX_STEM_BYTES = 200
MANIFEST = ".podsum-export"  # JSON; no .json ending, so globs for records skip it
JSONL_NAME = "summaries.jsonl"
_JSONL_KEY = "summaries"  # the one jsonl file's key in the record
_HEAD = 8192  # how much of a file is read to recognise podsum's notes
_ID = re.compile(r"[0-9a-f]{16}")
_JSON_ID = re.compile(r'\A\s*\{\s*"schema_version"\s*:\s*\d+\s*,\s*"id"\s*:\s*"([0-9a-f]{16})"')
EXTENSIONS = {"md": ".md", "json": ".json"}
PARALLEL_FROM = 100  # below this many summaries, other processes cost more than they save
RENDER_BATCH = 16  # summaries sent to a rendering process at a time


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


def _render_batch(task: tuple[str, list[Summary]]) -> list[str]:
    fmt, batch = task
    return [render_for_export(s, fmt) for s in batch]


def rendered(
    summaries: Iterable[Summary], fmt: str, jobs: int
) -> Generator[tuple[Summary, str], None, None]:
    """Each summary with its file's text, in order. Rendering is most of an export's
    work: from ``PARALLEL_FROM`` summaries on, ``jobs`` processes do it, a bounded
    window ahead of the one that writes the files. Closing the iterator ends them."""
    source = iter(summaries)
    first = list(itertools.islice(source, PARALLEL_FROM))
    if jobs <= 1 or len(first) < PARALLEL_FROM:
        for s in itertools.chain(first, source):
            yield s, render_for_export(s, fmt)
        return
    import multiprocessing

    from .ingest import ctrl_c_deferred, worker_start
    from .window import bounded_map

    sent: deque[list[Summary]] = deque()  # the batches the workers have, in order

    def tasks() -> Iterator[tuple[str, list[Summary]]]:
        rest = itertools.chain(first, source)
        while batch := list(itertools.islice(rest, RENDER_BATCH)):
            sent.append(batch)
            yield fmt, batch

    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    pool = None
    try:
        with ctrl_c_deferred():
            pool = ctx.Pool(jobs, initializer=worker_start, initargs=(os.getpid(),))
        texts = bounded_map(
            pool,
            _render_batch,
            tasks(),
            weight=len,
            max_tasks=4 * jobs,
            max_weight=1 << 30,
            min_tasks=jobs,
        )
        for batch_texts in texts:
            yield from zip(sent.popleft(), batch_texts, strict=True)
    finally:
        if pool is not None:
            with ctrl_c_deferred():
                pool.terminate()


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


@dataclass
class Outcome:
    """What became of one summary's file."""

    path: Path
    status: str  # "written", "unchanged" (already exactly that), or "kept" (user's edit)
    kept_foreign: bool = False  # its usual name was taken by a file podsum did not write


@dataclass
class Exporter:
    """One export run into ``out_dir``; ``close`` saves the record of what was written.

    Memory stays the same whatever the number of summaries: they come one at a time, and
    the record (and this run's bookkeeping) lives in a ``Ledger`` on disk.
    """

    out_dir: Path
    fmt: str
    force: bool = False
    warn: Callable[[str], None] = print
    # The id a summary has today for an id a note or the record holds (an id it had
    # before an upgrade merged or renamed it), with a rank among the ids that name it;
    # None for an id no summary has had. Without a library every id is its own.
    current_id: Callable[[str], tuple[str, str] | None] | None = None
    _ledger: Ledger = field(init=False)
    _scanned: bool = False  # the folder was searched for notes by their front matter
    _dirty: bool = False
    _unsynced: bool = False  # files were written that are not yet on disk for sure

    def __post_init__(self) -> None:
        self._ledger = Ledger()
        try:
            self._load()
        except BaseException:
            self._ledger.close()
            raise

    def _current(self, any_id: str) -> tuple[str, str]:
        found = self.current_id(any_id) if self.current_id is not None else None
        return found if found is not None else (any_id, "")

    def _same_summary(self, found: str | None, summary_id: str) -> bool:
        return found == summary_id or (found is not None and self._current(found)[0] == summary_id)

    # --- the record ----------------------------------------------------------------

    @property
    def manifest(self) -> Path:
        return self.out_dir / MANIFEST

    def _load(self) -> None:
        try:
            st = os.stat(self.manifest)
        except (FileNotFoundError, NotADirectoryError):
            return
        try:
            if not stat.S_ISREG(st.st_mode):  # a FIFO is never opened: it could block
                raise NotARecord
            self._ledger.load(self.manifest)
        except NotARecord:
            self.warn(
                f"podsum: {self.manifest}: not a podsum export record; "
                "notes were found by their front matter"
            )
            self._dirty = True
            return
        self._rekey()

    def _rekey(self) -> None:
        """A note the record holds under an old id is the note of the summary that id is
        now part of; of several, the summary's own, else the most recently ingested
        copy's. Only old ids move, so the work is a lookup per entry."""
        if self.current_id is None:
            return
        moves: dict[tuple[str, str], tuple[str, str, str, str]] = {}
        gone: list[tuple[str, str]] = []
        for fmt, key, path, sha in self._ledger.entries():
            if not _ID.fullmatch(key):
                continue
            current, rank = self._current(key)
            if current == key:
                continue
            gone.append((fmt, key))
            best = moves.get((fmt, current))
            if best is None or rank > best[1]:
                moves[(fmt, current)] = (key, rank, path, sha)
            self._dirty = True
        for fmt, key in gone:
            self._ledger.delete(fmt, key)
        for (fmt, current), (_key, _rank, path, sha) in moves.items():
            if self._ledger.get(fmt, current) is None:  # the summary's own note wins
                self._ledger.put(fmt, current, path, sha)

    def _remember(self, key: str, rel: str, sha256: str, fmt: str | None = None) -> None:
        if self._ledger.put(fmt or self.fmt, key, rel, sha256):
            self._dirty = True

    def close(self) -> None:
        """Save the record (atomically), if anything in it changed; then the run is over.

        Durability: each file is written to a temporary name and renamed into place, so
        no reader ever sees half a file and a killed podsum leaves every file whole (the
        kernel has the data). Files are not fsynced one by one (that was most of the cost
        of an export, ~2 ms a file): only a crash of the whole system within the kernel's
        writeback delay could lose one, and one sync here, before the record that names
        them is written (and fsynced), makes a finished export durable as a whole. The
        record never names content that is not on disk, so after such a crash a note is
        at worst rewritten by the next export, never mistaken for the user's edit."""
        try:
            if self._unsynced and hasattr(os, "sync"):
                os.sync()
                self._unsynced = False
            if self._dirty:
                with open_output(self.manifest) as out:
                    for piece in self._ledger.dump():
                        out.write(piece)
                self._dirty = False
        finally:
            self._ledger.close()

    # --- finding a summary's file --------------------------------------------------

    def _scan(self) -> None:
        """Find podsum's files of this format anywhere in the folder (hidden folders such
        as .obsidian or .trash left out), by summary id; only their first bytes are
        read. Done once, the first time a summary is not where the record says. A note
        of an old id counts for the summary that id is now part of, after the notes of
        its own id and those of more recently ingested copies."""
        if self._scanned:
            return
        self._scanned = True
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
                    current, rank = self._current(found)
                    rel = path.relative_to(self.out_dir).as_posix()
                    self._ledger.add_note(current, rel, rank)

    def _locate(self, summary_id: str) -> tuple[str, _FileInfo, str | None] | None:
        """The summary's existing file: (relative path, its content, recorded SHA-256)."""
        entry = self._ledger.get(self.fmt, summary_id)
        recorded = entry[1] if entry else None
        if entry and not self._ledger.taken(entry[0]):
            info = _file_info(self.out_dir / entry[0])
            held = note_id(info.head, self.fmt) if info is not None else None
            if info is not None and (held is None or self._same_summary(held, summary_id)):
                return entry[0], info, recorded
        self._scan()
        candidates = [r for r in self._ledger.notes(summary_id) if not self._ledger.taken(r)]
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
        if self._ledger.other_key_at(self.fmt, rel, summary_id):
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

    def export(self, s: Summary, data: str | None = None) -> Outcome:
        """Write one summary's file: a new one, or podsum's own replaced; never a file
        the user changed (unless ``force``) or one podsum did not write. ``data`` is
        its text, if already rendered (``rendered``)."""
        if data is None:
            data = render_for_export(s, self.fmt)
        sha256 = hashlib.sha256(data.encode("utf-8")).hexdigest()
        located = self._locate(s.id)
        if located is not None:
            rel, info, recorded = located
            self._ledger.take(rel)
            if info.sha256 == sha256:
                self._remember(s.id, rel, sha256)
                return Outcome(self.out_dir / rel, "unchanged")
            if info.sha256 is not None and info.sha256 != recorded and not self.force:
                if recorded is not None:  # where it is now, still as podsum wrote it
                    self._remember(s.id, rel, recorded)
                return self._kept(rel)
            write_atomic(self.out_dir / rel, data, durable=False)
            self._unsynced = True
            self._remember(s.id, rel, sha256)
            return Outcome(self.out_dir / rel, "written")
        stem, ext = file_stem(s, s.id), EXTENSIONS[self.fmt]
        kept_foreign = False
        n = 1
        while True:
            rel = f"{stem}{'' if n == 1 else f'-{n}'}{ext}"
            n += 1
            if self._ledger.taken(rel):
                continue  # another summary of this run has it
            if os.path.lexists(self.out_dir / rel):
                if not self._other_note(rel, s.id):
                    kept_foreign = True  # the user's file: never replaced
                continue
            try:
                write_atomic(self.out_dir / rel, data, exclusive=True, durable=False)
            except FileExistsError:  # appeared meanwhile: never clobber it
                continue
            self._unsynced = True
            self._ledger.take(rel)
            self._remember(s.id, rel, sha256)
            return Outcome(self.out_dir / rel, "written", kept_foreign)

    def export_jsonl(self, summaries: Iterable[Summary]) -> tuple[Outcome, int]:
        """All summaries as one JSON Lines file, streamed; (outcome, lines)."""
        from .render.jsonout import render_json

        path = self.out_dir / JSONL_NAME
        entry = self._ledger.get("jsonl", _JSONL_KEY)
        info = _file_info(path)
        lines = (render_json(s.to_dict(), indent=None) + "\n" for s in summaries)
        count = 0
        if (
            info is not None
            and info.sha256 is not None
            and info.sha256 != (entry[1] if entry else None)
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
