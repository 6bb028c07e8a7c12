"""Reading a SOURCE argument: a path, ``-`` (stdin) or an http(s) URL, as bytes.

Sizes are checked before anything is read whole, so a 10 GB file or an endless pipe is
refused with one line instead of filling memory.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass

from .errors import SourceError

DEFAULT_MAX_BYTES = 10_000_000
DEFAULT_TIMEOUT = 20.0
_DIRECTORY = "is a directory; use 'podsum ingest DIR' or a shell glob such as DIR/*.txt"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(slots=True)
class Raw:
    data: bytes
    location: str | None
    kind: str | None = None  # "url" for fetched pages; otherwise read from the content
    charset: str | None = None  # declared by an HTTP header


def is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def display_name(spec: str) -> str:
    return "<stdin>" if spec == "-" else spec


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
    return Raw(read_file(spec, max_bytes=max_bytes), spec)


def read_file(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes; one open and one fstat (ingest reads thousands of these)."""
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed below, after the size check
    except FileNotFoundError:
        raise SourceError("no such file") from None
    except IsADirectoryError:
        raise SourceError(_DIRECTORY) from None
    except OSError as exc:
        raise SourceError(exc.strerror or str(exc)) from None
    with f:
        try:
            st = os.fstat(f.fileno())
            if stat.S_ISDIR(st.st_mode):
                raise SourceError(_DIRECTORY)
            if st.st_size > max_bytes:
                raise SourceError(f"file is larger than --max-bytes ({max_bytes:,} bytes)")
            data = f.read(max_bytes + 1)  # special files can grow past their stat size
        except OSError as exc:
            raise SourceError(exc.strerror or str(exc)) from None
    if len(data) > max_bytes:
        raise SourceError(f"file is larger than --max-bytes ({max_bytes:,} bytes)")
    return data
