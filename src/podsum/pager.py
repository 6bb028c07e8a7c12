"""Output longer than the terminal goes through a pager, the way git does it.

Only when stdout is a terminal: ``PODSUM_PAGER``, else ``PAGER``, else ``less -R``, run
by the shell with ``LESS=FRX`` unless ``LESS`` is set (quit if it fits, keep colours, do
not clear the screen). An empty ``PODSUM_PAGER`` or ``PAGER`` (or ``cat``) turns it off.
The output is held until the command is done, so its length can be compared with the
terminal's; output that fits is printed as it is.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import unicodedata
from collections.abc import Iterator, Mapping
from typing import TextIO

DEFAULT = "less -R"
_SGR = re.compile(r"\x1b\[[0-9;]*m")


def pager_command(env: Mapping[str, str]) -> str | None:
    """The pager to run, or None for none."""
    command = env["PODSUM_PAGER"] if "PODSUM_PAGER" in env else env.get("PAGER", DEFAULT)
    command = command.strip()
    return None if command in ("", "cat") else command


class _Held(io.StringIO):
    """Output held for the pager. It stands for the terminal it will reach, so Rich
    picks colours and width as it would for the terminal itself."""

    def isatty(self) -> bool:
        return True


def _cells(line: str) -> int:
    line = _SGR.sub("", line)
    if line.isascii():
        return len(line)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def _longer_than(text: str, columns: int, rows: int) -> bool:
    """Whether ``text`` takes more than ``rows`` terminal lines (long lines wrap)."""
    used = 0
    for line in text.splitlines():
        used += max(1, -(-_cells(line) // columns))
        if used > rows:
            return True
    return False


def _run(command: str, text: str, encoding: str) -> bool:
    """Show ``text`` in the pager; False if the pager could not be started."""
    try:
        words = shlex.split(command)
    except ValueError:
        return False
    if not words or shutil.which(words[0]) is None:
        return False
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    try:
        proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    # Ctrl-C belongs to the pager while it runs (less uses it to stop a search): the
    # pager starts with the usual handling, and this process ignores it until then.
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        previous = None
    try:
        assert proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # the reader quit before the end
            proc.stdin.write(text.encode(encoding, errors="replace"))
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
        proc.wait()
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    return True


def _show(text: str, out: TextIO, command: str, size: os.terminal_size) -> None:
    if not text:
        return
    if _longer_than(text, max(size.columns, 1), size.lines - 1):
        out.flush()
        if _run(command, text, out.encoding or "utf-8"):
            return
        if command != DEFAULT:
            print(f"podsum: cannot run the pager {command!r}; printing instead", file=sys.stderr)
    out.write(text)
    out.flush()


@contextlib.contextmanager
def paged(enabled: bool = True) -> Iterator[None]:
    """Hold what the block prints to stdout and page it if it is longer than the
    terminal. Output that is not going to a terminal passes straight through."""
    out = sys.stdout
    command = pager_command(os.environ) if enabled else None
    try:
        size = os.get_terminal_size(out.fileno()) if command and out.isatty() else None
    except (OSError, ValueError, AttributeError):
        size = None
    if command is None or size is None or size.lines < 2:
        yield
        return
    held = _Held()
    sys.stdout = held
    try:
        yield
    except (Exception, SystemExit):
        # A command that failed part-way (exit 1) still shows what it printed.
        sys.stdout = out
        _show(held.getvalue(), out, command, size)
        raise
    finally:
        sys.stdout = out  # Ctrl-C: nothing more is shown
    _show(held.getvalue(), out, command, size)
