"""Watching folders: every summary page saved, copied or moved into them is ingested,
once, when it is whole.

Browsers and editors write a file in steps: under a temporary name that is renamed at
the end (``.crdownload``, ``.part``), or in place, a piece at a time. A file is read
only once it is quiet: its size and modification time unchanged for the settle time
and, where the system reports it (inotify), no writer still holding it open.
Temporary names are never read; the name a file is renamed to is.

Change notification is watchdog's (inotify on Linux, FSEvents on macOS,
ReadDirectoryChangesW on Windows). Where a folder cannot be watched so (inotify's
limits reached, no native backend, ``--poll`` for network drives) it is polled. Every
minute the folders are listed again, so a file whose event was lost (a full event
queue, a subfolder past the watch limit) is still found.

Events arrive on watchdog's threads and are only queued there; the main thread reads,
parses and writes, one file per library transaction. Ctrl-C and SIGTERM only set a
flag, so a write in progress always completes.
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import stat
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from .ingest import SKIP_BINARY, SKIP_SPECIAL, Job, Parsed, parse_one, walk_folder
from .ingest import Options as ParseOptions
from .sanitise import for_terminal
from .sources import display_name, is_url

if TYPE_CHECKING:
    from watchdog.observers.api import BaseObserver

    from .db import Library, Row

SETTLE = 1.0  # seconds a file must stay unchanged before it is read
HELD_OPEN = 30.0  # a file still open for writing is read after this long unchanged anyway
# Seconds between listings of the folders that catch what no event reported;
# PODSUM_WATCH_RESCAN changes it.
RESCAN_EVERY = 60.0
TICK = 0.1  # how often waiting files are looked at again

# Names that are never read: browsers' downloads in progress (Chrome and Edge
# .crdownload, Firefox .part, Safari .download, Opera .opdownload, WinSCP .filepart),
# temporary and swap files (vim .swp/.swo/.swx, Kate .kate-swp, aria2's control file),
# backups ending in ~, Office's ~$ lock files, Emacs's #autosaves#, and hidden files
# (as a plain ingest of a folder skips them), which covers most editors' own temporaries.
TEMP_SUFFIXES = (
    ".crdownload",
    ".part",
    ".partial",
    ".download",
    ".opdownload",
    ".filepart",
    ".tmp",
    ".temp",
    ".swp",
    ".swo",
    ".swx",
    ".kate-swp",
    ".aria2",
)

# Ctrl-C exits 130, as it does from every podsum command; SIGTERM is a normal stop.
_EXIT_CODES: dict[int, int] = {signal.SIGINT: 130, signal.SIGTERM: 0}
_WAKE = object()  # put on the event queue by a signal: stop waiting


def is_temporary(name: str) -> bool:
    """A file or folder name that something is still writing, or that no one saves a
    page as: never read."""
    return (
        name.startswith((".", "~$"))
        or name.endswith("~")
        or (len(name) > 1 and name.startswith("#") and name.endswith("#"))
        or name.lower().endswith(TEMP_SUFFIXES)
    )


def _rescan_every() -> float:
    try:
        return max(0.1, float(os.environ.get("PODSUM_WATCH_RESCAN", RESCAN_EVERY)))
    except ValueError:
        return RESCAN_EVERY


def usage_problem(specs: list[str]) -> str | None:
    """Why ``specs`` cannot be watched (the command line's usage error), or None."""
    if not specs:
        return "give the folders to watch, e.g. 'podsum ingest --watch ~/Downloads'"
    for spec in specs:
        if spec == "-" or is_url(spec):
            return f"{display_name(spec)}: --watch takes folders, not URLs or stdin"
        if not os.path.lexists(spec):
            return f"{display_name(spec)}: no such folder"
        if not os.path.isdir(spec):
            return f"{display_name(spec)}: not a folder"
        if not os.access(spec, os.R_OK | os.X_OK):
            return f"{display_name(spec)}: cannot read folder (permission denied)"
    return None


@dataclass(slots=True)
class Options:
    update: bool = True
    layout: str | None = None
    max_bytes: int = 10_000_000
    timeout: float = 20.0
    settle: float | None = None  # None: SETTLE
    poll: bool = False
    new_only: bool = False
    quiet: bool = False


@dataclass(slots=True)
class Tally:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    binary: int = 0
    special: int = 0

    def line(self) -> str:
        parts = [
            f"{self.added} added",
            f"{self.updated} updated",
            f"{self.unchanged} unchanged",
            f"{self.failed} failed",
        ]
        if self.binary:
            parts.append(f"{self.binary} skipped (binary)")
        if self.special:
            parts.append(f"{self.special} skipped (not regular files)")
        return ", ".join(parts)


@dataclass(slots=True, frozen=True)
class _Event:
    kind: str  # watchdog's event_type: created, modified, moved, deleted, closed
    path: str
    dest: str | None
    is_dir: bool
    reports_closes: bool  # its source says when a writer closes a file (inotify)


@dataclass(slots=True)
class _Waiting:
    """A file seen to change, waiting to be quiet."""

    seen: tuple[int, int, int, int] | None = None  # device, inode, size, mtime (ns)
    since: float = 0.0  # when ``seen`` was first observed
    writing: bool = False  # modified, and no close reported since


@dataclass
class _Listing:
    files: list[tuple[str, bool]] = field(default_factory=list)  # (path, from a folder)
    notes: list[Parsed] = field(default_factory=list)  # unreadable folders, FIFOs


def _expand(roots: list[str]) -> _Listing:
    """The files in the folders now, as ``ingest`` walks them: recursively, sorted,
    hidden ones left out, nothing opened."""
    listing = _Listing()

    def unreadable(exc: OSError) -> None:
        where = os.fsdecode(exc.filename) if exc.filename is not None else ""
        reason = f"cannot read folder ({exc.strerror or exc})"
        listing.notes.append(Parsed(where, error=reason, folder=True))

    for root in roots:
        for path, regular, _size in walk_folder(root, unreadable):
            if regular:
                listing.files.append((path, True))
            else:
                listing.notes.append(Parsed(path, error=SKIP_SPECIAL))
    return listing


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class _WatchdogLog(logging.Handler):
    """watchdog's own warnings (a full event queue, a network share gone for a while)
    as one clean line each, never a traceback."""

    def __init__(self, note: Callable[[str], None]) -> None:
        super().__init__(logging.WARNING)
        self.note = note

    def emit(self, record: logging.LogRecord) -> None:
        self.note(f"podsum: {' '.join(record.getMessage().split())}")


class Watcher:
    def __init__(
        self,
        roots: list[str],
        lib: Library,
        options: Options,
        *,
        out: Callable[[str], None],
        fail: Callable[[str, str], None],
        note: Callable[[str], None],
    ) -> None:
        self.roots = [str(Path(r)) for r in roots]  # as a plain ingest names their files
        self.lib = lib
        self.opts = options
        self.out = out
        self.fail_line = fail
        self.note = note
        self.tally = Tally()
        self.events: queue.SimpleQueue[Any] = queue.SimpleQueue()  # put() is reentrant
        self.waiting: dict[str, _Waiting] = {}
        # What was read, by (device, inode): (size, mtime). A file renamed within the
        # folders, or whose event comes twice, is not read again; one changed is.
        self.done: dict[tuple[int, int], tuple[int, int]] = {}
        self.observers: list[BaseObserver] = []
        self.exit_code: int | None = None
        self.settle = SETTLE if options.settle is None else options.settle
        self.poll_interval = max(0.1, min(1.0, self.settle))
        self.polled: list[str] = []
        # Each root's real path, which is what is watched: a watch on a symlink to a
        # folder (a Downloads folder on another disk) would see nothing inside it.
        self.real = {r: os.path.realpath(r) for r in self.roots}
        # The library's own files, when it lives in a watched folder: each write would
        # otherwise wake the watch to read the library as a page.
        real = os.path.realpath(lib.path)
        inside = any(real.startswith(r.rstrip(os.sep) + os.sep) for r in self.real.values())
        self.own = {real + s for s in ("", "-wal", "-shm", "-journal")} if inside else set()

    # --- stopping ---------------------------------------------------------------

    def stop(self, signum: int) -> None:
        """A signal handler: ask the loop to stop after the file in hand."""
        if self.exit_code is None:
            self.exit_code = _EXIT_CODES.get(signum, 0)
        self.events.put(_WAKE)

    # --- watching ---------------------------------------------------------------

    def start(self) -> None:
        """Watch every root (natively where possible, else by polling), then take what
        the folders already hold: watching first, so nothing saved meanwhile is missed."""
        from watchdog import events as ev
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        log = logging.getLogger("watchdog")
        log.addHandler(_WatchdogLog(self.note))
        log.propagate = False

        queue_ = self.events

        class Handler(FileSystemEventHandler):
            def __init__(self, reports_closes: bool) -> None:
                self.reports_closes = reports_closes

            def dispatch(self, event: FileSystemEvent) -> None:
                dest = os.fsdecode(event.dest_path) if event.dest_path else None
                queue_.put(
                    _Event(
                        event.event_type,
                        os.fsdecode(event.src_path),
                        dest,
                        event.is_directory,
                        self.reports_closes,
                    )
                )

        # Only what says a file appeared, changed, moved or was closed after writing:
        # podsum's own reads (open, close without writing) and attribute changes are
        # never asked for, so they wake nothing.
        wanted: list[type[FileSystemEvent]] = [
            ev.FileCreatedEvent,
            ev.FileModifiedEvent,
            ev.FileMovedEvent,
            ev.FileDeletedEvent,
            ev.FileClosedEvent,
            ev.DirCreatedEvent,
            ev.DirMovedEvent,
            ev.DirDeletedEvent,
        ]
        native_cls: Any = Observer
        polled: list[str] = []
        if self.opts.poll:
            polled = list(self.roots)
        elif native_cls is PollingObserver:
            polled = list(self.roots)
            self.note(
                "podsum: this system offers no file change notification watchdog can use;"
                f" polling every {self.poll_interval:g} s"
            )
        else:
            native: BaseObserver = native_cls()
            native.start()
            self.observers.append(native)
            # inotify says when a writer closes a file; in watchdog 7 and later an
            # attribute change (touch) is its own event, not a modification.
            closes = type(native).__name__ == "InotifyObserver" and hasattr(ev, "FileAttribEvent")
            handler = Handler(reports_closes=closes)
            for root in self.roots:
                try:
                    native.schedule(handler, self.real[root], recursive=True, event_filter=wanted)
                except OSError as exc:
                    reason = for_terminal(exc.strerror or str(exc))
                    self.note(
                        f"podsum: {display_name(root)}: cannot watch for changes ({reason});"
                        f" polling every {self.poll_interval:g} s instead"
                    )
                    polled.append(root)
        if polled:
            poller: BaseObserver = PollingObserver(timeout=self.poll_interval)
            handler = Handler(reports_closes=False)
            for root in polled:
                poller.schedule(handler, self.real[root], recursive=True, event_filter=wanted)
            poller.start()
            self.observers.append(poller)
        self.polled = polled
        self._take_existing()

    def watching_line(self) -> str:
        names = ", ".join(display_name(r) for r in self.roots)
        how = f" by polling every {self.poll_interval:g} s" if self.polled == self.roots else ""
        return f"podsum: watching {names}{how}; Ctrl-C stops"

    def close(self) -> None:
        for observer in self.observers:
            observer.stop()
        for observer in self.observers:
            observer.join(timeout=5)
        self.observers.clear()

    def _take_existing(self) -> None:
        """The pages already in the folders: read first, or with --new-only remembered
        as read, so that only a later change brings one in."""
        listing = _expand(self.roots)
        now = time.monotonic()
        for note in listing.notes:
            if note.folder:
                self._failed(note.spec, note.error or "cannot read folder")
            elif not self.opts.new_only:
                self._skipped_special(note.spec)
        for path, _ in listing.files:
            if self._ignored(path):
                continue
            if not self.opts.new_only:
                self.waiting.setdefault(path, _Waiting(since=now))
                continue
            try:
                st = os.stat(path)
            except OSError:
                continue
            self.done[(st.st_dev, st.st_ino)] = (st.st_size, st.st_mtime_ns)

    def _rescan(self) -> None:
        """Files that changed since they were read but whose event never came."""
        now = time.monotonic()
        for path, _ in _expand(self.roots).files:
            if path in self.waiting or self._ignored(path):
                continue
            try:
                st = os.stat(path)
            except OSError:
                continue
            if self.done.get((st.st_dev, st.st_ino)) != (st.st_size, st.st_mtime_ns):
                self.waiting[path] = _Waiting(since=now)

    def _ignored(self, path: str) -> bool:
        """A temporary name, or inside a hidden or temporary folder, below its root; the
        library's own file; or a file moved out of the folders."""
        if self.own and os.path.realpath(path) in self.own:
            return True
        for root in self.roots:
            prefix = root.rstrip(os.sep) + os.sep
            if path.startswith(prefix):
                rel = path[len(prefix) :]
                return any(is_temporary(part) for part in rel.split(os.sep))
        return True

    # --- the loop ---------------------------------------------------------------

    def run(self) -> int:
        """Watch until a signal (or until every folder is gone); the exit code."""
        every = _rescan_every()
        next_rescan = time.monotonic() + every
        while self.exit_code is None:
            wait = TICK if self.waiting else max(0.0, next_rescan - time.monotonic())
            try:
                item = self.events.get(timeout=wait)
                while True:
                    if isinstance(item, _Event):
                        self._on_event(item)
                    item = self.events.get_nowait()
            except queue.Empty:
                pass
            if self.exit_code is not None:
                break
            now = time.monotonic()
            if now >= next_rescan:
                self._rescan()
                next_rescan = now + every
            self._read_quiet_files(now)
        return self.exit_code

    def _as_given(self, path: str) -> str:
        """An event's path under the root as the user named it (a symlink, say)."""
        for root, real in self.real.items():
            if path == real:
                return root
            prefix = real.rstrip(os.sep) + os.sep
            if path.startswith(prefix):
                return os.path.join(root, path[len(prefix) :])
        return path

    def _on_event(self, event: _Event) -> None:
        path = self._as_given(event.path)
        if event.kind == "moved":
            self.waiting.pop(path, None)
            if event.dest is None:
                return
            path = self._as_given(event.dest)
        elif event.kind == "deleted":
            self.waiting.pop(path, None)
            if event.is_dir and path in self.roots and not os.path.isdir(path):
                self._root_gone(path)
            return
        if event.is_dir or self._ignored(path):
            return  # a folder's files come as events of their own
        waiting = self.waiting.setdefault(path, _Waiting())
        waiting.seen = None  # look again: the quiet time starts over
        if event.reports_closes:
            if event.kind == "modified":
                waiting.writing = True
            elif event.kind == "closed":
                waiting.writing = False

    def _root_gone(self, root: str) -> None:
        self.fail_line(root, "folder removed; no longer watched")  # no page: not counted
        self.roots.remove(root)
        if not self.roots:
            self.exit_code = 1

    def _read_quiet_files(self, now: float) -> None:
        for path in list(self.waiting):
            if self.exit_code is not None:
                return
            waiting = self.waiting[path]
            try:
                st = os.stat(path)
            except (FileNotFoundError, NotADirectoryError):
                del self.waiting[path]  # gone, or renamed: its new name has its own event
                continue
            except OSError as exc:
                del self.waiting[path]
                self._failed(path, exc.strerror or str(exc))
                continue
            seen = _identity(st)
            if seen != waiting.seen:
                waiting.seen, waiting.since = seen, now
                continue
            quiet = now - waiting.since
            if quiet < self.settle or (waiting.writing and quiet < HELD_OPEN):
                continue
            del self.waiting[path]
            if stat.S_ISDIR(st.st_mode):
                continue
            key, state = (st.st_dev, st.st_ino), (st.st_size, st.st_mtime_ns)
            if self.done.get(key) == state:
                continue  # read already, under this name or another
            if not stat.S_ISREG(st.st_mode):  # a FIFO is never opened: it would block
                self.done[key] = state
                self._skipped_special(path)
                continue
            if st.st_size == 0:
                continue  # a placeholder (Firefox's, beside its .part): its writes come later
            self._read(path, seen)

    def _read(self, path: str, seen: tuple[int, int, int, int]) -> None:
        job = Job(path, True, seen[2])  # seen[2]: its size
        options = ParseOptions(self.opts.max_bytes, self.opts.timeout, self.opts.layout)
        parsed = parse_one(job, options)
        try:
            after: tuple[int, int, int, int] | None = _identity(os.stat(path))
        except OSError:
            after = None
        if after != seen:  # it changed while it was read: wait for it to be quiet again
            if after is not None:
                self.waiting[path] = _Waiting()
            return
        self.done[(seen[0], seen[1])] = (seen[2], seen[3])
        if parsed.error == SKIP_BINARY:
            self.tally.binary += 1
            self.fail_line(path, parsed.error)
            return
        if parsed.error == SKIP_SPECIAL:
            self._skipped_special(path)
            return
        if parsed.rows:
            self._store(path, parsed.rows)
        if parsed.error is not None:  # nothing read, or a JSON Lines file's bad lines
            self._failed(path, parsed.error)

    def _store(self, path: str, rows: list[Row]) -> None:
        """One file's records in one transaction, and a line for each."""
        from .db import LibraryError

        try:
            result = self.lib.add_rows(rows, update=self.opts.update)
        except LibraryError as exc:
            self._failed(path, str(exc))
            return
        for location, reason in result.failed:
            self._failed(location, reason)
        titles = {row.id: row.title for row in rows}
        for summary_id, outcome in result.outcomes:
            verb = "added" if outcome == "new" else outcome
            if verb == "added":
                self.tally.added += 1
            elif verb == "updated":
                self.tally.updated += 1
            else:
                self.tally.unchanged += 1
            self.out(f"{verb} {summary_id} {for_terminal(titles[summary_id])}")

    def _failed(self, path: str, reason: str) -> None:
        self.tally.failed += 1
        self.fail_line(path, reason)

    def _skipped_special(self, path: str) -> None:
        self.tally.special += 1
        self.fail_line(path, SKIP_SPECIAL)


@contextmanager
def _stopping_on_signals(stop: Callable[[int], None]) -> Iterator[None]:
    """Ctrl-C and SIGTERM call ``stop`` for the block (a SIGINT that is ignored, as
    under ``nohup``, stays ignored)."""

    def handler(signum: int, frame: FrameType | None) -> None:
        stop(signum)

    previous: dict[int, Any] = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(sig) is not signal.SIG_IGN:
            previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for num, old in previous.items():
            signal.signal(num, old)


def _say(line: str) -> None:
    print(line, flush=True)  # a line as soon as its page is stored, even into a pipe


def _note(line: str) -> None:
    print(for_terminal(line), file=sys.stderr, flush=True)


def watch_folders(
    roots: list[str],
    lib: Library,
    options: Options,
    *,
    fail: Callable[[str, str], None],
    out: Callable[[str], None] = _say,
    note: Callable[[str], None] = _note,
) -> int:
    """Watch ``roots`` until Ctrl-C (exit code 130), SIGTERM (0) or every folder is
    removed (1): a line on ``out`` for each page, ``fail`` for each file that fails,
    ``note`` for what the watch itself says, and the tally at the end."""
    watcher = Watcher(roots, lib, options, out=out, fail=fail, note=note)
    with _stopping_on_signals(watcher.stop):
        try:
            watcher.start()
            if not options.quiet:
                note(watcher.watching_line())
            code = watcher.run()
        finally:
            watcher.close()
        if not options.quiet:
            out(watcher.tally.line())
    return code
