"""Writing an output file the way a shell redirection does, but whole-or-nothing.

``>`` follows symlinks, writes into pipes, terminals and /dev/fd/N, keeps an existing
file's mode and creates a new one with the umask's mode. podsum does the same, except
that a regular file is written to a temporary file beside it and renamed into place, so
a reader never sees half a file and a failed write leaves the old one whole.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

# Paths that name one of this process's open descriptors (what `>(cmd)` passes).
_FD_PATH = re.compile(r"/(?:dev/fd|proc/self/fd|proc/(\d+)/fd)/(\d+)")
_STD_PATHS = {"/dev/stdout": 1, "/dev/stderr": 2}


class Output:
    """The file being written: ``write`` text; ``sha256`` of what was written so far."""

    def __init__(self, file: TextIO, *, regular: bool) -> None:
        self._file = file
        self._hash = hashlib.sha256()
        self.regular = regular  # a file that will hold exactly this; not a pipe or device

    def write(self, text: str) -> None:
        self._file.write(text)
        self._hash.update(text.encode("utf-8"))

    def sha256(self) -> str:
        return self._hash.hexdigest()


def _own_descriptor(name: str) -> int | None:
    """The descriptor ``name`` stands for, if it is one of ours and open."""
    fd = _STD_PATHS.get(name)
    match = _FD_PATH.fullmatch(name)
    if match and (match[1] is None or int(match[1]) == os.getpid()):
        fd = int(match[2])
    if fd is None:
        return None
    try:
        os.fstat(fd)
    except OSError:
        return None
    return fd


def _text(fd: int) -> TextIO:
    return os.fdopen(fd, "w", encoding="utf-8", newline="\n")


def _temp_beside(target: Path, mode: int) -> tuple[int, Path]:
    """A new, empty file in ``target``'s folder; ``mode`` is filtered by the umask."""
    while True:
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), tmp
        except FileExistsError:
            continue


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable; some systems cannot open a folder, which is fine."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def open_output(
    path: str | os.PathLike[str], *, exclusive: bool = False, durable: bool = True
) -> Iterator[Output]:
    """Write ``path`` as ``> path`` would, replacing a regular file atomically.

    - a symlink is followed: its target is replaced (or created), the link stays;
    - a FIFO, terminal or other device, and /dev/fd/N, /dev/stdout, are written into;
    - an existing file keeps its mode (and owner, where allowed); a new file gets
      0666 less the umask, as the shell gives it; a file without write permission is
      refused as the shell refuses it;
    - a writable file in a folder that takes no new files is written in place.

    With ``exclusive`` nothing that exists at ``path`` (not even a symlink) is replaced:
    FileExistsError instead. Whatever the body raises, a regular file is left as it was
    (but for that last, in-place case).

    ``durable=False`` leaves out the fsync of the file and its folder: still whole or
    nothing for every reader and for a killed process, but a system crash soon after can
    lose it; for writers of many files that make them durable at once at the end.
    """
    name = os.fspath(path)
    target = Path(name)
    st: os.stat_result | None = None
    if not exclusive:
        fd = _own_descriptor(name)
        if fd is not None:
            with _text(os.dup(fd)) as f:
                yield Output(f, regular=False)
            return
        try:
            st = os.stat(name)  # follows symlinks, as `>` does
        except FileNotFoundError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), name)
        if st is not None and not stat.S_ISREG(st.st_mode):
            with _text(os.open(name, os.O_WRONLY | os.O_NOCTTY)) as f:
                yield Output(f, regular=False)
            return
        target = Path(os.path.realpath(name))  # a symlink's target, even a missing one
        if st is not None and not os.access(target, os.W_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)
    # A new file is made with 0666 and the kernel applies the umask (and any default
    # ACL); a replacement starts private and gets the old file's mode before the rename.
    try:
        fd, tmp = _temp_beside(target, 0o600 if st is not None else 0o666)
    except PermissionError:
        if st is None:
            raise
        # A folder that takes no new files holding a file we may write: write it in
        # place, as `>` does; the one case where a failed write can leave it partial.
        with _text(os.open(target, os.O_WRONLY | os.O_TRUNC)) as f:
            yield Output(f, regular=True)
        return
    try:
        with _text(fd) as f:
            out = Output(f, regular=True)
            yield out
            f.flush()
            if st is not None:  # best effort: some file systems have no modes or owners
                with contextlib.suppress(OSError):
                    os.fchmod(f.fileno(), stat.S_IMODE(st.st_mode) & ~(stat.S_ISUID | stat.S_ISGID))
                with contextlib.suppress(OSError):
                    os.fchown(f.fileno(), st.st_uid, st.st_gid)
            if durable:
                os.fsync(f.fileno())
        if exclusive:
            os.link(tmp, target)  # fails if anything is at the target, atomically
            os.unlink(tmp)
        else:
            os.replace(tmp, target)
        if durable:
            _fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_atomic(
    path: str | os.PathLike[str], data: str, *, exclusive: bool = False, durable: bool = True
) -> None:
    """Write ``data`` to ``path`` (see ``open_output``)."""
    with open_output(path, exclusive=exclusive, durable=durable) as out:
        out.write(data)
