"""Feeding many sources into the library: expand directories, parse in parallel, write
from one process in chunked transactions."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .db import Row, prepare
from .errors import PodsumError
from .sources import is_url

CHUNK = 200  # pages per write transaction
PARALLEL_FROM = 40  # below this many sources a process pool costs more than it saves


@dataclass(slots=True)
class Parsed:
    spec: str
    rows: list[Row] = field(default_factory=list)
    error: str | None = None


def expand(specs: list[str]) -> Iterator[str]:
    """Sources in order; a directory becomes its files, recursively, sorted, with hidden
    files and folders left out."""
    for spec in specs:
        if spec == "-" or is_url(spec) or not os.path.isdir(spec):
            yield spec
            continue
        for root, dirs, files in os.walk(spec):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith("."):
                    yield str(Path(root) / name)


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text has NUL bytes too
    return b"\x00" in head


def parse_one(job: tuple[str, bool, int, float, str | None]) -> Parsed:
    """Read and parse one source (runs in a worker process)."""
    from .api import parse_all
    from .sources import read_source

    spec, from_dir, max_bytes, timeout, layout = job
    try:
        raw = read_source(spec, max_bytes=max_bytes, timeout=timeout)
        if from_dir and _looks_binary(raw.data):
            return Parsed(spec, error="skipped: binary file")
        found = parse_all(
            raw.data, location=raw.location, kind=raw.kind, charset=raw.charset, layout=layout
        )
        return Parsed(spec, [prepare(s) for s in found])
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
) -> Iterator[Parsed]:
    """Parse every source, in order, across ``jobs`` processes."""
    direct = set(specs)
    work = [(s, s not in direct, max_bytes, timeout, layout) for s in expand(specs)]
    if on_start:
        on_start(len(work))
    if jobs <= 1 or len(work) < PARALLEL_FROM:
        yield from map(parse_one, work)
        return
    import multiprocessing

    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ctx.Pool(processes=jobs) as pool:
        yield from pool.imap(parse_one, work, chunksize=64)
