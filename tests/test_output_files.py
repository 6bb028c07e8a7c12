"""`--output` and `export` write like a shell redirection: through symlinks, into pipes,
terminals and /dev/fd/N, keeping an existing file's mode; regular files still atomically."""

from __future__ import annotations

import json
import os
import select
import stat
import subprocess
import sys
import threading
import time
import tty
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from pages import page

from conftest import ROOT, SEED, run_cli

EXPECTED = run_cli("parse", str(SEED)).stdout  # what `podsum parse SEED` prints


def _podsum(
    *args: str, umask: int | None = None, pass_fds: Sequence[int] = (), timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    """The real `podsum`, optionally under a umask or with extra open descriptors."""
    cmd = [sys.executable, "-m", "podsum", *args]
    if umask is not None:
        cmd = ["sh", "-c", f'umask {umask:03o} && exec "$@"', "sh", *cmd]
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    return subprocess.run(
        cmd,
        input=b"",
        capture_output=True,
        env=env,
        timeout=timeout,
        cwd=ROOT,
        pass_fds=tuple(pass_fds),
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def _fifo_reader(fifo: Path) -> Iterator[list[bytes]]:
    """A reader thread on ``fifo``; yields the list that receives what it read.

    A hard link to the FIFO lets the test release the reader even if the path was
    replaced, so a failing test never hangs.
    """
    handle = fifo.with_name(fifo.name + ".handle")
    os.link(fifo, handle)
    got: list[bytes] = []

    def read() -> None:
        with open(handle, "rb") as f:
            got.append(f.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield got
    finally:
        if reader.is_alive():  # nobody wrote: open and close a writer to end the read
            try:
                fd = os.open(handle, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                pass
            else:
                os.close(fd)
        reader.join(timeout=30)
        handle.unlink()


def _read_until(fd: int, size: int, deadline: float = 30) -> bytes:
    """Read from ``fd`` until ``size`` bytes came or nothing more comes."""
    chunks: list[bytes] = []
    end = time.monotonic() + deadline
    while sum(map(len, chunks)) < size and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    return b"".join(chunks)


# --- --output -----------------------------------------------------------------------


def test_output_through_a_symlink_writes_its_target(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "record.json"
    target.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(Path("real") / "record.json")
    proc = run_cli("parse", str(SEED), "--output", str(link))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "record.json")
    assert target.read_bytes() == EXPECTED
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["record.json"]


def test_output_through_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "new.md")
    proc = run_cli("show", str(SEED), "--format", "md", "--output", str(link))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink()
    assert (tmp_path / "new.md").read_bytes() == run_cli("show", str(SEED), "-f", "md").stdout


def test_output_into_a_fifo_reaches_its_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with _fifo_reader(fifo) as got:
        proc = run_cli("parse", str(SEED), "--output", str(fifo))
    assert proc.returncode == 0, proc.stderr
    assert got == [EXPECTED]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_output_to_a_terminal_device_writes_to_the_terminal(tmp_path: Path) -> None:
    master, slave = os.openpty()
    try:
        tty.setraw(slave)  # bytes as written: no \r added to line ends
        device = os.ttyname(slave)
        proc = run_cli("parse", str(SEED), "--output", device)
        assert proc.returncode == 0, proc.stderr
        assert _read_until(master, len(EXPECTED)) == EXPECTED
        assert stat.S_ISCHR(os.stat(device).st_mode)
    finally:
        os.close(slave)
        os.close(master)


def test_output_to_dev_fd_writes_into_that_descriptor() -> None:
    """What `--output >(cmd)` passes: /dev/fd/N, a pipe the shell opened."""
    r, w = os.pipe()
    try:
        got: list[bytes] = []
        reader = threading.Thread(target=lambda: got.append(_read_until(r, len(EXPECTED))))
        reader.start()
        proc = _podsum("parse", str(SEED), "--output", f"/dev/fd/{w}", pass_fds=[w])
        reader.join(timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert got == [EXPECTED]
        also = _podsum("parse", str(SEED), "-o", f"/proc/self/fd/{w}", pass_fds=[w])
        assert also.returncode == 0, also.stderr
        assert _read_until(r, len(EXPECTED)) == EXPECTED
    finally:
        os.close(w)
        os.close(r)


def test_output_keeps_an_existing_files_mode(tmp_path: Path) -> None:
    out = tmp_path / "shared.json"
    out.write_text("old\n")
    out.chmod(0o644)
    proc = _podsum("parse", str(SEED), "--output", str(out), umask=0o077)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == EXPECTED
    assert _mode(out) == 0o644
    out.chmod(0o640)
    assert _podsum("show", str(SEED), "-f", "json", "-o", str(out)).returncode == 0
    assert _mode(out) == 0o640


def test_new_output_file_gets_the_umask_mode(tmp_path: Path) -> None:
    for umask, mode in ((0o022, 0o644), (0o027, 0o640), (0o077, 0o600)):
        out = tmp_path / f"new-{umask:03o}.json"
        proc = _podsum("parse", str(SEED), "--output", str(out), umask=umask)
        assert proc.returncode == 0, proc.stderr
        assert _mode(out) == mode, (oct(umask), oct(_mode(out)))


def test_output_into_a_directory_is_one_line(tmp_path: Path) -> None:
    proc = run_cli("parse", str(SEED), "--output", str(tmp_path))
    assert proc.returncode == 1
    assert proc.stderr.decode() == f"podsum: {tmp_path}: Is a directory\n"
    assert sorted(tmp_path.iterdir()) == []


# --- export ---------------------------------------------------------------------------


def _ingest(tmp_path: Path, pages: dict[str, str], *extra: str) -> None:
    """Write ``pages`` (file name -> text) and ingest them in one run."""
    folder = tmp_path / "pages"
    folder.mkdir(exist_ok=True)
    for name, text in pages.items():
        (folder / name).write_text(text)
    proc = run_cli("ingest", "-q", "-j", "1", *extra, *(str(folder / n) for n in pages))
    assert proc.returncode == 0, proc.stderr


def test_export_writes_new_files_with_the_umask_mode(tmp_path: Path) -> None:
    _ingest(tmp_path, {"a.txt": page(1)})
    out = tmp_path / "notes"
    proc = _podsum("export", "--out", str(out), umask=0o027)
    assert proc.returncode == 0, proc.stderr
    (note,) = out.glob("*.md")
    assert _mode(note) == 0o640


def test_export_rewrites_through_symlinks_and_keeps_modes(tmp_path: Path) -> None:
    _ingest(tmp_path, {"a.txt": page(1), "b.txt": page(2)})
    out = tmp_path / "notes"
    assert run_cli("export", "--out", str(out)).returncode == 0
    first, second = sorted(out.glob("*.md"))
    elsewhere = tmp_path / "vault" / first.name
    elsewhere.parent.mkdir()
    first.rename(elsewhere)
    first.symlink_to(elsewhere)
    second.chmod(0o640)

    # The same pages from another place: same ids, a new `source:` in each note.
    _ingest(tmp_path, {"a-again.txt": page(1), "b-again.txt": page(2)}, "--update")
    proc = _podsum("export", "--out", str(out), umask=0o077)
    assert proc.returncode == 0, proc.stderr
    assert first.is_symlink() and first.resolve() == elsewhere
    assert "a-again.txt" in elsewhere.read_text()
    assert "b-again.txt" in second.read_text()
    assert _mode(second) == 0o640


def test_export_jsonl_into_a_fifo(tmp_path: Path) -> None:
    _ingest(tmp_path, {"a.txt": page(1), "b.txt": page(2)})
    out = tmp_path / "out"
    out.mkdir()
    fifo = out / "summaries.jsonl"
    os.mkfifo(fifo)
    with _fifo_reader(fifo) as got:
        proc = run_cli("export", "--out", str(out), "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    (data,) = got
    assert sorted(json.loads(ln)["title"] for ln in data.splitlines()) == [
        "Episode 1: Sleep",
        "Episode 2: Compilers",
    ]


def test_output_into_a_folder_that_takes_no_new_files(tmp_path: Path) -> None:
    """A writable file in a folder where no file may be created (here an immutable
    folder): written in place, as `>` would, rather than refused."""
    folder = tmp_path / "locked"
    folder.mkdir()
    out = folder / "record.json"
    out.write_text("old\n")
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")
    try:
        proc = run_cli("parse", str(SEED), "--output", str(out))
        assert proc.returncode == 0, proc.stderr
        assert out.read_bytes() == EXPECTED
        refused = run_cli("parse", str(SEED), "--output", str(folder / "new.json"))
        assert refused.returncode == 1
        assert refused.stderr.decode() == (
            f"podsum: {folder / 'new.json'}: Operation not permitted\n"
        )
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    assert sorted(p.name for p in folder.iterdir()) == ["record.json"]
