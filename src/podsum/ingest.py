"""Feeding many sources into the library: expand folders, parse in parallel, write
from one process in chunked transactions.

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
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import PodsumError

# Ctrl-C's pieces, named here too for the ingest command.
from .interrupt import Interrupted as Interrupted
from .interrupt import ctrl_c_deferred as ctrl_c_deferred
from .interrupt import ctrl_c_ignored as ctrl_c_ignored
from .sources import is_url

if TYPE_CHECKING:
    from .db import Row

CHUNK = 200  # pages per write transaction
PARALLEL_FROM = 40  # below this many sources a process pool costs more than it saves
SKIP_BINARY = "skipped: binary file"
SKIP_SPECIAL = "skipped: not a regular file"  # a FIFO, socket or device inside a folder


@dataclass(slots=True)
class Parsed:
    spec: str
    rows: list[Row] = field(default_factory=list)
    error: str | None = None
    folder: bool = False  # the error is a folder that could not be read


@dataclass(slots=True)
class Listing:
    """What the sources name: the files to read (and whether each was found in a
    folder), and what a folder held that is not read, as ready-made results."""

    files: list[tuple[str, bool]] = field(default_factory=list)
    notes: list[Parsed] = field(default_factory=list)


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


def _worker_start(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)


# --- listing and parsing ----------------------------------------------------------------


def _regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True  # gone, or a broken link: reading it says why, in one line


def expand(specs: list[str]) -> Listing:
    """Sources in order; a folder becomes its regular files, recursively, sorted, with
    hidden files and folders left out. A FIFO, socket or device in a folder is never
    opened (opening a FIFO waits for a writer); a folder that cannot be read is noted."""
    listing = Listing()

    def unreadable(exc: OSError) -> None:
        where = os.fsdecode(exc.filename) if exc.filename is not None else ""
        reason = f"cannot read folder ({exc.strerror or exc})"
        listing.notes.append(Parsed(where, error=reason, folder=True))

    for spec in specs:
        if spec == "-" or is_url(spec) or not os.path.isdir(spec):
            listing.files.append((spec, False))
            continue
        for root, dirs, files in os.walk(spec, onerror=unreadable):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                path = str(Path(root) / name)
                if _regular(path):
                    listing.files.append((path, True))
                else:
                    listing.notes.append(Parsed(path, error=SKIP_SPECIAL))
    return listing


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text has NUL bytes too
    return b"\x00" in head


def parse_one(job: tuple[str, bool, int, float, str | None]) -> Parsed:
    """Read and parse one source (runs in a worker process)."""
    from .api import PartialParseError, parse_all
    from .db import prepare
    from .sources import read_source

    spec, from_dir, max_bytes, timeout, layout = job
    try:
        raw = read_source(spec, max_bytes=max_bytes, timeout=timeout)
        if from_dir and _looks_binary(raw.data):
            return Parsed(spec, error=SKIP_BINARY)
        found = parse_all(
            raw.data, location=raw.location, kind=raw.kind, charset=raw.charset, layout=layout
        )
        return Parsed(spec, [prepare(s) for s in found])
    except PartialParseError as exc:  # a JSON Lines file with a bad line: keep the rest
        return Parsed(spec, [prepare(s) for s in exc.summaries], error=str(exc))
    except PodsumError as exc:
        return Parsed(spec, error=str(exc))
    except Exception as exc:  # never a traceback, never a stopped batch
        return Parsed(spec, error=f"internal error (please report): {type(exc).__name__}: {exc}")


def parse_many(
    specs: list[str],
    *,
    jobs: int,
    max_bytes: int,
    timeout: float,
    layout: str | None = None,
    on_start: Callable[[int], None] | None = None,
) -> Generator[Parsed, None, None]:
    """Parse every source, in order, across ``jobs`` processes; what folders held that
    is not read (unreadable folders, files that are not regular) comes first.

    ``on_start`` gets the number of results to come. Closing the iterator early (or an
    exception inside it) ends the worker processes at once.
    """
    listing = expand(specs)
    work = [(s, from_dir, max_bytes, timeout, layout) for s, from_dir in listing.files]
    total = len(listing.notes) + len(work)
    if jobs <= 1 or len(work) < PARALLEL_FROM:
        if on_start:
            on_start(total)
        yield from listing.notes
        yield from map(parse_one, work)
        return
    import multiprocessing

    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    pool = None
    try:
        with ctrl_c_deferred():
            pool = ctx.Pool(jobs, initializer=_worker_start, initargs=(os.getpid(),))
        if on_start:
            on_start(total)  # after the fork: a progress bar's thread is never copied
        yield from listing.notes
        yield from pool.imap(parse_one, work, chunksize=64)
    finally:
        if pool is not None:
            with ctrl_c_deferred():
                pool.terminate()
