"""Ctrl-C: ``Interrupted`` is what it raises once the command line has called
``catch_ctrl_c``; blocks can hold it until they are done, or ignore it.

A module of its own so that every command can catch Ctrl-C without importing what
``podsum ingest`` needs (cold start is measured).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any


class Interrupted(BaseException):
    """Ctrl-C. Not a KeyboardInterrupt, which the command-line framework turns into a
    silent exit 130: this one reaches ``cli.main``, which prints one line."""


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise Interrupted


def catch_ctrl_c() -> None:
    """Make Ctrl-C raise ``Interrupted``, unless SIGINT is ignored (``nohup``, a
    background job of a script), which stays so."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _raise_interrupted)


@contextmanager
def _sigint(handler: Any) -> Iterator[Any]:
    """Handle SIGINT with ``handler`` for the block; yields the handler it replaced
    (None off the main thread, which alone sees Ctrl-C and keeps its own)."""
    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:
        yield None
        return
    try:
        yield previous
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def ctrl_c_deferred() -> Iterator[None]:
    """Hold Ctrl-C until the block is done, then raise it: a chunk is committed and
    counted as one, and a worker never sees Ctrl-C before it ignores it."""
    held: list[int] = []
    with _sigint(lambda signum, frame: held.append(signum)) as previous:
        yield
    if held and callable(previous):
        previous(signal.SIGINT, None)


@contextmanager
def ctrl_c_ignored() -> Iterator[None]:
    """Ignore Ctrl-C for the block (the clean-up after the first one)."""
    with _sigint(signal.SIG_IGN):
        yield
