"""Reading a SOURCE argument: a path, ``-`` (stdin) or an http(s) URL, as bytes.

Sizes are checked before anything is read whole, so a 10 GB file or an endless pipe is
refused with one line instead of filling memory; a named pipe that nothing writes to is
refused after --timeout instead of waiting forever.
"""

from __future__ import annotations

import os
import re
import select
import stat
import sys
from dataclasses import dataclass

from .errors import SourceError

DEFAULT_MAX_BYTES = 10_000_000
DEFAULT_TIMEOUT = 20.0
_DIRECTORY = "is a directory; use 'podsum ingest DIR' or a shell glob such as DIR/*.txt"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # POSIX: opening a FIFO never waits for a writer


@dataclass(slots=True)
class Raw:
    data: bytes
    location: str | None
    kind: str | None = None  # "url" for fetched pages; otherwise read from the content
    charset: str | None = None  # declared by an HTTP header


def is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def display_name(spec: str) -> str:
    """A SOURCE as messages show it: escapes, controls, bidi overrides and undecodable
    bytes of a hostile file name are shown as visible text (``\\x1b``, ``\\xff``)."""
    from .sanitise import for_terminal

    return "<stdin>" if spec == "-" else for_terminal(spec)


def read_source(
    spec: str, *, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = DEFAULT_TIMEOUT
) -> Raw:
    if spec == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise SourceError(f"input is larger than --max-bytes ({max_bytes:,} bytes)")
        return Raw(data, None)
    if is_url(spec):
        from .fetch import fetch  # requests is heavy: only for URLs

        return fetch(spec, max_bytes=max_bytes, timeout=timeout)
    if _SCHEME.match(spec) and not os.path.exists(spec):
        raise SourceError("only http:// and https:// URLs are supported")
    data = read_file(spec, max_bytes=max_bytes, timeout=timeout)
    # The record keeps the name as text: bytes of a name that are not UTF-8, and any
    # control character in it, are written as visible escapes (caf\xe9.txt).
    return Raw(data, display_name(spec))


def read_file(
    path: str, *, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = DEFAULT_TIMEOUT
) -> bytes:
    """The file's bytes; one open and one fstat (ingest reads thousands of these).

    A pipe (a FIFO, ``<(command)``, ``/dev/stdin`` fed by a pipe) must start sending
    within ``timeout`` seconds; after that it is read to its end, up to ``max_bytes``.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK)
    except FileNotFoundError:
        raise SourceError("no such file") from None
    except IsADirectoryError:
        raise SourceError(_DIRECTORY) from None
    except OSError as exc:
        raise SourceError(exc.strerror or str(exc)) from None
    try:
        st = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise SourceError(exc.strerror or str(exc)) from None
    if stat.S_ISDIR(st.st_mode):  # os.open opens a folder too
        os.close(fd)
        raise SourceError(_DIRECTORY)
    with open(fd, "rb") as f:
        try:
            if st.st_size > max_bytes:
                raise SourceError(f"file is larger than --max-bytes ({max_bytes:,} bytes)")
            if not stat.S_ISREG(st.st_mode):
                if stat.S_ISFIFO(st.st_mode):
                    _wait_for_data(fd, timeout)
                os.set_blocking(fd, True)  # pipes and devices: read as the data comes
            data = f.read(max_bytes + 1)  # special files can grow past their stat size
        except OSError as exc:
            raise SourceError(exc.strerror or str(exc)) from None
    if len(data) > max_bytes:
        raise SourceError(f"file is larger than --max-bytes ({max_bytes:,} bytes)")
    return data


def _wait_for_data(fd: int, timeout: float) -> None:
    """Wait until a pipe has data or its writer has closed it; refuse after ``timeout``.
    (A FIFO that no writer ever opened stays silent: poll reports no hang-up for it.)"""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    if not poller.poll(timeout * 1000):
        raise SourceError(f"the pipe sent no data within --timeout ({timeout:g} s)")
