"""Feeding many sources into the library: expand folders, parse in parallel, write
from one process in chunked transactions.

Memory stays the same whatever the number of pages: folders are walked as the work
goes (once beforehand to count, once to read), the workers run at most a small window
of batches ahead of the writer (``window.bounded_map``), and a big JSON Lines file is
read in pieces by all the workers (``pieces``) instead of whole by one.

Ctrl-C reaches every process of the terminal's foreground group. Worker processes
ignore it and die with their parent (even one killed with ``kill -9``); the parent
closes ``parse_many``, which ends them, and says what it committed (Ctrl-C itself:
``podsum.interrupt``).
"""

from __future__ import annotations

import os
import signal
import stat
import sys
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import PodsumError

# Ctrl-C's pieces, named here too for the ingest command.
from .interrupt import Interrupted as Interrupted
from .interrupt import ctrl_c_deferred as ctrl_c_deferred
from .interrupt import ctrl_c_ignored as ctrl_c_ignored
from .pieces import PIECE_BYTES, Failures, Piece, plan, read_piece
from .sources import is_url

if TYPE_CHECKING:
    from .db import Row

# A write transaction holds this many pages, or pages from this many bytes: large enough
# that a big library's indexes are not rewritten page by page for every few rows (small
# transactions made ingest into a library of 100,000 three times slower than into an
# empty one), small enough that Ctrl-C commits within a second or so.
CHUNK = 2000
CHUNK_BYTES = 4 << 20
PARALLEL_FROM = 40  # below this many sources a process pool costs more than it saves
SKIP_BINARY = "skipped: binary file"
SKIP_SPECIAL = "skipped: not a regular file"  # a FIFO, socket or device inside a folder
# A worker gets files in batches (fewer round trips), of at most this many files or
# bytes of input; and the workers are never more than a few batches, or this many bytes
# of input, ahead of the writer (per worker process).
BATCH_FILES = 32
BATCH_BYTES = 256 << 10
AHEAD_BATCHES = 8
AHEAD_BYTES = 2 << 20


@dataclass(slots=True)
class Parsed:
    spec: str
    rows: list[Row] = field(default_factory=list)
    error: str | None = None
    folder: bool = False  # the error is a folder that could not be read
    size: int = 0  # bytes read (its rows weigh about three times as much)
    # A piece of a JSON Lines file: whether it is the file's last, and the lines of it
    # that could not be read (the file's one error line comes with its last piece).
    last_piece: bool | None = None
    failures: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Job:
    """One source for a worker: a file, URL or ``-``; or one piece of a big JSON Lines
    file. ``size`` is what it weighs in the window (bytes of input, as far as known)."""

    spec: str
    from_dir: bool
    size: int
    piece: Piece | None = None


@dataclass(frozen=True, slots=True)
class Options:
    max_bytes: int
    timeout: float
    layout: str | None


@dataclass(slots=True)
class Survey:
    """The first walk over the sources: how many results are to come, what folders held
    that is not read (as ready-made results), and how big JSON Lines files are split."""

    count: int = 0
    notes: list[Parsed] = field(default_factory=list)
    pieces: dict[str, list[Piece]] = field(default_factory=dict)


# --- the worker processes ---------------------------------------------------------------


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent dies (Linux), or watch for
    that (elsewhere): an orphaned worker exits without a word."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent:  # it died before that took hold
                os._exit(0)
            return
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def worker_start(parent: int) -> None:
    """The initializer of a worker process: Ctrl-C is for the parent, which ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)


# --- listing ----------------------------------------------------------------------------


def _stat(path: str) -> tuple[bool, int]:
    """Whether ``path`` is a regular file (symlinks followed), and its size."""
    try:
        st = os.stat(path)
    except OSError:
        return True, 0  # gone, or a broken link: reading it says why, in one line
    return stat.S_ISREG(st.st_mode), st.st_size


def _is_folder(spec: str) -> bool:
    return not (spec == "-" or is_url(spec)) and os.path.isdir(spec)


def walk_folder(
    top: str, onerror: Callable[[OSError], None] | None = None
) -> Iterator[tuple[str, bool, int]]:
    """A folder's files, recursively, sorted, hidden files and folders left out:
    (path, regular, size). Nothing is opened: a FIFO in a folder would wait for a
    writer."""
    for root, dirs, files in os.walk(top, onerror=onerror):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                path = str(Path(root) / name)
                yield (path, *_stat(path))


def survey(specs: list[str], options: Options, piece_bytes: int = PIECE_BYTES) -> Survey:
    """Walk the sources once, keeping nothing per file: count the results to come, note
    unreadable folders and files that are not regular, and plan the pieces of big JSON
    Lines files."""
    found = Survey()

    def unreadable(exc: OSError) -> None:
        where = os.fsdecode(exc.filename) if exc.filename is not None else ""
        reason = f"cannot read folder ({exc.strerror or exc})"
        found.notes.append(Parsed(where, error=reason, folder=True))

    def consider(path: str, size: int) -> None:
        if piece_bytes and size <= options.max_bytes:
            pieces = plan(path, size, piece_bytes)
            if pieces is not None:
                found.pieces[path] = pieces
                found.count += len(pieces) - 1

    for spec in specs:
        if not _is_folder(spec):
            found.count += 1
            if spec != "-" and not is_url(spec):
                regular, size = _stat(spec)
                if regular:
                    consider(spec, size)
            continue
        for path, regular, size in walk_folder(spec, unreadable):
            if regular:
                found.count += 1
                consider(path, size)
            else:
                found.notes.append(Parsed(path, error=SKIP_SPECIAL))
    found.count += len(found.notes)
    return found


def jobs_of(specs: list[str], found: Survey, options: Options) -> Iterator[Job]:
    """The work, in order, found by walking the folders again (what was noted the first
    time is not repeated)."""
    for spec in specs:
        if not _is_folder(spec):
            if spec == "-" or is_url(spec):
                yield Job(spec, False, options.max_bytes)
            else:
                regular, size = _stat(spec)
                yield from _file_jobs(spec, False, size if regular else options.max_bytes, found)
            continue
        for path, regular, size in walk_folder(spec):
            if regular:
                yield from _file_jobs(path, True, size, found)


def _file_jobs(path: str, from_dir: bool, size: int, found: Survey) -> Iterator[Job]:
    pieces = found.pieces.get(path)
    if pieces is None:
        yield Job(path, from_dir, size)
        return
    for piece in pieces:
        yield Job(path, from_dir, piece.end - piece.start, piece)


def batches(
    jobs: Iterable[Job], max_files: int = BATCH_FILES, max_bytes: int = BATCH_BYTES
) -> Iterator[list[Job]]:
    """Consecutive jobs grouped for one worker; a piece, or a source bigger than a
    batch, goes alone."""
    batch: list[Job] = []
    size = 0
    for job in jobs:
        if batch and (
            job.piece is not None or len(batch) >= max_files or size + job.size > max_bytes
        ):
            yield batch
            batch, size = [], 0
        batch.append(job)
        size += job.size
    if batch:
        yield batch


# --- parsing (in the worker processes) ---------------------------------------------------


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text has NUL bytes too
    return b"\x00" in head


def _internal(exc: Exception) -> str:
    return f"internal error (please report): {type(exc).__name__}: {exc}"


def parse_one(job: Job, options: Options) -> Parsed:
    """Read and parse one source, or one piece of one (runs in a worker process)."""
    if job.piece is not None:
        parsed = _parse_piece(job.spec, job.piece)
        parsed.last_piece = job.piece.last
        return parsed
    from .api import PartialParseError, parse_all
    from .db import prepare
    from .sources import read_source

    spec = job.spec
    try:
        raw = read_source(spec, max_bytes=options.max_bytes, timeout=options.timeout)
        if job.from_dir and _looks_binary(raw.data):
            return Parsed(spec, error=SKIP_BINARY)
        found = parse_all(
            raw.data,
            location=raw.location,
            kind=raw.kind,
            charset=raw.charset,
            layout=options.layout,
        )
        return Parsed(spec, [prepare(s) for s in found], size=len(raw.data))
    except PartialParseError as exc:  # a JSON Lines file with a bad line: keep the rest
        rows = [prepare(s) for s in exc.summaries]
        return Parsed(spec, rows, error=str(exc), size=len(raw.data))
    except PodsumError as exc:
        return Parsed(spec, error=str(exc))
    except Exception as exc:  # never a traceback, never a stopped batch
        return Parsed(spec, error=_internal(exc))


def _parse_piece(spec: str, piece: Piece) -> Parsed:
    from .api import parse_json_lines
    from .db import prepare

    try:
        data = read_piece(spec, piece)
    except OSError as exc:  # gone or changed since it was planned
        return Parsed(spec, error=exc.strerror or str(exc))
    try:
        found, failed = parse_json_lines(data, piece.first_line)
        return Parsed(spec, [prepare(s) for s in found], failures=failed, size=len(data))
    except Exception as exc:  # never a traceback, never a stopped batch
        return Parsed(spec, error=_internal(exc))


def parse_batch(task: tuple[Options, list[Job]]) -> list[Parsed]:
    options, jobs = task
    return [parse_one(job, options) for job in jobs]


def _task_weight(task: tuple[Options, list[Job]]) -> int:
    return sum(job.size for job in task[1])


def _whole(results: Iterable[Parsed]) -> Iterator[Parsed]:
    """Results as the command line counts them: a JSON Lines file read in pieces gives
    its records piece by piece, and its one error line (naming the lines that could not
    be read, as reading it whole would) with its last piece."""
    failures = Failures()
    for parsed in results:
        if parsed.last_piece is None:
            yield parsed
            continue
        failures.add(parsed.failures, parsed.error)
        error = None
        if parsed.last_piece:
            error = failures.message()
            failures = Failures()
        yield Parsed(parsed.spec, parsed.rows, error, size=parsed.size)


def parse_many(
    specs: list[str],
    *,
    jobs: int,
    max_bytes: int,
    timeout: float,
    layout: str | None = None,
    on_start: Callable[[int], None] | None = None,
    piece_bytes: int = PIECE_BYTES,
    ahead_batches: int = AHEAD_BATCHES,
    ahead_bytes: int = AHEAD_BYTES,
    batch_files: int = BATCH_FILES,
) -> Generator[Parsed, None, None]:
    """Parse every source, in order, across ``jobs`` processes; what folders held that
    is not read (unreadable folders, files that are not regular) comes first.

    ``on_start`` gets the number of results to come (a JSON Lines file read in pieces
    gives one per piece). Closing the iterator early (or an exception inside it) ends
    the worker processes at once. The workers are at most ``ahead_batches`` batches of
    ``batch_files`` files (and ``ahead_bytes`` of input) each ahead of the consumer.
    """
    options = Options(max_bytes, timeout, layout)
    found = survey(specs, options, piece_bytes)
    if jobs <= 1 or found.count - len(found.notes) < PARALLEL_FROM:
        if on_start:
            on_start(found.count)
        yield from found.notes
        yield from _whole(parse_one(job, options) for job in jobs_of(specs, found, options))
        return
    import multiprocessing

    from .window import bounded_map

    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    pool = None
    try:
        with ctrl_c_deferred():
            pool = ctx.Pool(jobs, initializer=worker_start, initargs=(os.getpid(),))
        if on_start:
            on_start(found.count)  # after the fork: a progress bar's thread is never copied
        yield from found.notes
        tasks = ((options, b) for b in batches(jobs_of(specs, found, options), batch_files))
        done = bounded_map(
            pool,
            parse_batch,
            tasks,
            weight=_task_weight,
            max_tasks=jobs * ahead_batches,
            max_weight=jobs * ahead_bytes,
            min_tasks=jobs,
        )
        yield from _whole(parsed for results in done for parsed in results)
    finally:
        if pool is not None:
            with ctrl_c_deferred():
                pool.terminate()
