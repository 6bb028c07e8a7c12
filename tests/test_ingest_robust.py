"""Sources that are not plain files, folders that cannot be read, file names that are
not UTF-8, and Ctrl-C or kill -9 in the middle of an ingest: each ends in one clean line,
never a hang, a traceback or a hidden cursor."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pages import page, write_pages

import podsum
from conftest import ROOT, SEED, run_cli

SEED_ID = podsum.parse(SEED.read_bytes()).id
SHOW_CURSOR = b"\x1b[?25h"
HIDE_CURSOR = b"\x1b[?25l"


def _count(lib: Path) -> int:
    if not lib.exists():
        return 0
    with sqlite3.connect(lib) as conn:
        return int(conn.execute("SELECT count(*) FROM summaries").fetchone()[0])


def _feed_fifo(fifo: Path, data: bytes | None, deadline: float = 30) -> threading.Thread:
    """A writer for ``fifo``, once a reader has it open; ``None`` opens it and keeps it
    open without writing until the reader is gone."""

    def write() -> None:
        end = time.monotonic() + deadline
        while True:
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # ENXIO: no reader yet
                break
            except OSError:
                if time.monotonic() > end:
                    return
                time.sleep(0.02)
        try:
            if data is None:
                poller = select.poll()
                poller.register(fd, select.POLLERR)  # the reader closed its end
                poller.poll(deadline * 1000)
            else:
                os.set_blocking(fd, True)
                os.write(fd, data)
        finally:
            os.close(fd)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


# --- FIFOs and other files that are not regular ------------------------------------


def test_a_fifo_without_a_writer_is_refused_after_the_timeout(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    proc = run_cli("parse", "--timeout", "1", str(fifo), timeout=30)
    assert proc.returncode == 1
    assert proc.stdout == b""
    assert proc.stderr.decode() == f"podsum: {fifo}: the pipe sent no data within --timeout (1 s)\n"


def test_a_fifo_whose_writer_sends_nothing_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = _feed_fifo(fifo, None)
    proc = run_cli("parse", "--timeout", "1", str(fifo), timeout=30)
    writer.join(10)
    assert proc.returncode == 1
    assert proc.stderr.decode() == f"podsum: {fifo}: the pipe sent no data within --timeout (1 s)\n"


def test_a_fifo_with_a_writer_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = _feed_fifo(fifo, SEED.read_bytes())
    proc = run_cli("parse", str(fifo), timeout=30)
    writer.join(10)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["id"] == SEED_ID


def test_a_fifo_is_still_held_to_max_bytes(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = _feed_fifo(fifo, b"x" * 5000)
    proc = run_cli("parse", "--max-bytes", "1000", str(fifo), timeout=30)
    writer.join(10)
    assert proc.returncode == 1
    assert proc.stderr.decode() == (
        f"podsum: {fifo}: file is larger than --max-bytes (1,000 bytes)\n"
    )


def test_process_substitution_and_dev_stdin_still_work() -> None:
    python = f"'{sys.executable}' -m podsum parse"
    substituted = subprocess.run(
        ["bash", "-c", f"{python} <(cat '{SEED}')"], capture_output=True, timeout=60, cwd=ROOT
    )
    assert substituted.returncode == 0, substituted.stderr
    assert json.loads(substituted.stdout)["id"] == SEED_ID
    piped = run_cli("parse", "/dev/stdin", stdin=SEED.read_bytes())
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["id"] == SEED_ID


def test_a_folder_with_fifos_skips_them(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    os.mkfifo(folder / "pipe")
    (folder / "link-to-pipe").symlink_to(folder / "pipe")
    (folder / "link-to-page.txt").symlink_to(folder / "a.txt")
    proc = run_cli("ingest", str(folder), timeout=60)
    assert proc.stderr == b""
    assert proc.returncode == 0
    assert proc.stdout.decode() == (
        # the link is the same page from another file: it adds nothing
        "1 new, 0 updated, 1 unchanged, 0 failed, 1 skipped (binary),"
        " 2 skipped (not regular files)\n"
    )


def test_a_fifo_named_to_ingest_fails_alone(tmp_path: Path, _isolated_library: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    proc = run_cli("ingest", "--timeout", "1", str(fifo), str(SEED), timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.decode() == f"podsum: {fifo}: the pipe sent no data within --timeout (1 s)\n"
    assert proc.stdout.decode() == "1 new, 0 updated, 0 unchanged, 1 failed\n"
    assert _count(_isolated_library) == 1


# --- folders that cannot be read -------------------------------------------------------


def _deep_folder(top: Path, depth: int = 18) -> Path:
    """Folders nested past PATH_MAX (4096 bytes): walking down by path reaches one whose
    path is too long to open, even as root. Made with directory fds, as no path could."""
    name = "d" * 250
    fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=fd)
            child = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
        with open(os.open("page.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "wb") as f:
            f.write(page(1).encode())
    finally:
        os.close(fd)
    return top / name


def test_a_folder_that_cannot_be_read_is_one_line_and_counted(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "deep").mkdir()
    _deep_folder(folder / "deep")
    proc = run_cli("ingest", str(folder), timeout=60)
    assert proc.returncode == 1
    (line,) = proc.stderr.decode().splitlines()
    assert line.startswith(f"podsum: {folder / 'deep' / ('d' * 250)}/")
    assert line.endswith(": cannot read folder (File name too long)")
    assert proc.stdout.decode() == "1 new, 0 updated, 0 unchanged, 0 failed, 1 folder unreadable\n"


def _as_nobody() -> list[str]:
    """A command prefix that runs the rest as an unprivileged user (root reads every
    folder whatever its mode); empty when the tests already run unprivileged."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("needs setpriv to drop root's privileges")
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    check = subprocess.run([*prefix, sys.executable, "-c", "import podsum"], capture_output=True)
    if check.returncode != 0:
        pytest.skip("the unprivileged user cannot run this Python")
    return prefix


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder the unprivileged user can reach (pytest's tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="podsum-perm-"))
    try:
        path.chmod(0o777)
        yield path
    finally:
        for root, dirs, _ in os.walk(path):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        shutil.rmtree(path, ignore_errors=True)


def test_a_folder_without_read_permission_is_reported(shared_tmp: Path) -> None:
    nobody = _as_nobody()
    folder = shared_tmp / "pages"
    locked = folder / "locked"
    locked.mkdir(parents=True)
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (locked / "b.txt").write_text(page(2))
    locked.chmod(0)
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    env["PODSUM_LIBRARY"] = str(shared_tmp / "library.db")
    for target, expected in (
        (folder, "1 new, 0 updated, 0 unchanged, 0 failed, 1 folder unreadable\n"),
        (locked, "0 new, 0 updated, 0 unchanged, 0 failed, 1 folder unreadable\n"),
    ):
        proc = subprocess.run(
            [*nobody, sys.executable, "-m", "podsum", "ingest", str(target)],
            capture_output=True,
            env=env,
            cwd=ROOT,
            timeout=60,
        )
        assert proc.stderr.decode() == f"podsum: {locked}: cannot read folder (Permission denied)\n"
        assert proc.returncode == 1
        assert proc.stdout.decode() == expected


# --- file names that are not UTF-8 -------------------------------------------------------


def test_file_names_that_are_not_utf8(tmp_path: Path, _isolated_library: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    raw = os.fsencode(folder)
    with open(raw + b"/caf\xe9.txt", "wb") as f:
        f.write(SEED.read_bytes())
    with open(raw + b"/bad\xff\x1b[31m.txt", "wb") as f:
        f.write(b"Just a note to self.\n")
    (folder / "plain.txt").write_text(page(3))
    proc = run_cli("ingest", str(folder), timeout=60)
    assert proc.returncode == 1
    assert proc.stdout.decode() == "2 new, 0 updated, 0 unchanged, 1 failed\n"
    line = proc.stderr.decode("utf-8")  # never a raw byte of the name
    assert line.startswith(f"podsum: {folder}/bad\\xff\\x1b[31m.txt: not a summary page (")
    assert line.count("\n") == 1 and "\x1b" not in line
    items = json.loads(run_cli("list", "--format", "json", "--limit", "0").stdout)
    assert {i["id"] for i in items} >= {SEED_ID}
    shown = run_cli("show", "--format", "json", SEED_ID)
    assert json.loads(shown.stdout)["source"]["location"] == f"{folder}/caf\\xe9.txt"
    # the same name on the command line
    parsed = run_cli("parse", os.fsdecode(raw + b"/caf\xe9.txt"))
    assert parsed.returncode == 0, parsed.stderr
    assert json.loads(parsed.stdout)["source"]["location"] == f"{folder}/caf\\xe9.txt"


# --- Ctrl-C and kill -9 on a terminal ---------------------------------------------------

PAGES = 3000


@pytest.fixture(scope="module")
def many_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("many") / "pages"
    write_pages(folder, range(PAGES))
    return folder


def _child_env(lib: Path) -> None:
    for name in ("FORCE_COLOR", "NO_COLOR", "COLUMNS", "LINES"):
        os.environ.pop(name, None)
    os.environ["PODSUM_LIBRARY"] = str(lib)
    os.environ["TERM"] = "xterm-256color"


def _spawn_on_pty(argv: list[str], lib: Path) -> tuple[int, int]:
    pid, fd = pty.fork()
    if pid == 0:  # the child: never return into pytest
        try:
            _child_env(lib)
            os.chdir(ROOT)
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    return pid, fd


def _read(fd: int, wait: float) -> bytes | None:
    """What the pty has within ``wait`` seconds; None once every writer has closed it."""
    ready, _, _ = select.select([fd], [], [], wait)
    if not ready:
        return b""
    try:
        return os.read(fd, 65536) or None
    except OSError:  # EIO: the other side is gone
        return None


def _wait_exit(pid: int, timeout: float) -> int | None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    return None


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (state first), or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) and int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _group(pgid: int) -> list[int]:
    return [
        int(e)
        for e in os.listdir("/proc")
        if e.isdigit() and (f := _stat(int(e))) and int(f[2]) == pgid and f[0] not in "ZX"
    ]


def _percent(out: bytes) -> int:
    found = re.findall(rb"(\d+)%", out)
    return int(found[-1]) if found else -1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_stops_cleanly(many_pages: Path, tmp_path: Path) -> None:
    """Ctrl-C at several points of a parallel ingest on a terminal: each run stops within
    seconds with exit 130, one line saying what was committed (and it was), the cursor
    shown again, no traceback, and no worker left behind."""
    for i, at_percent in enumerate((0, 5, 10, 20, 40)):
        lib = tmp_path / f"library-{i}.db"
        pid, fd = _spawn_on_pty(
            [sys.executable, "-m", "podsum", "ingest", "--jobs", "2", str(many_pages)], lib
        )
        out = b""
        sent = None
        code = None
        try:
            start = time.monotonic()
            while time.monotonic() - start < 120:
                data = _read(fd, 0.05)
                if data is None:
                    break
                out += data
                if sent is None and b"ingesting" in out and _percent(out) >= at_percent:
                    os.write(fd, b"\x03")
                    sent = time.monotonic()
                if sent is not None and time.monotonic() - sent > 10:
                    break
            assert sent is not None, out[-2000:]
            code = _wait_exit(pid, max(0.0, sent + 10 - time.monotonic()))
        finally:
            if code is None:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            os.close(fd)
        text = out.decode("utf-8", errors="replace")
        assert code == 130, (at_percent, text[-2000:])
        assert "Traceback" not in text, text[-3000:]
        lines = re.findall(r"podsum: interrupted[^\r\n]*", text)
        assert len(lines) == 1, text[-2000:]
        found = re.fullmatch(
            r"podsum: interrupted; committed (\d+) new, (\d+) updated, 0 unchanged", lines[0]
        )
        assert found, lines
        assert int(found[1]) == _count(lib) and int(found[2]) == 0
        assert int(found[1]) < PAGES
        if HIDE_CURSOR in out:
            assert out.rfind(SHOW_CURSOR) > out.rfind(HIDE_CURSOR), text[-500:]
        end = time.monotonic() + 10
        while _group(pid) and time.monotonic() < end:
            time.sleep(0.05)
        assert _group(pid) == []


WRAPPER = """
import subprocess, sys
child = subprocess.Popen([sys.executable, "-m", "podsum", "ingest", "--jobs", "2", sys.argv[1]])
print(f"podsum pid {child.pid}", flush=True)
child.wait()
sys.stdin.readline()  # the terminal stays open (no hangup) while the test watches it
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_leaves_no_worker_and_no_traceback(many_pages: Path, tmp_path: Path) -> None:
    """The main process killed outright: its workers go quietly within seconds. A
    wrapper stays the terminal's session leader, as a shell would, so the terminal is
    never hung up on them."""
    wrapper, fd = _spawn_on_pty([sys.executable, "-c", WRAPPER, str(many_pages)], tmp_path / "l.db")
    out = after = b""
    workers: list[int] = []
    code = None
    try:
        start = time.monotonic()
        while b"ingesting" not in out and time.monotonic() - start < 120:
            data = _read(fd, 0.05)
            assert data is not None, out
            out += data
        found = re.search(rb"podsum pid (\d+)", out)
        assert found and b"ingesting" in out, out[-2000:]
        main = int(found[1])
        end = time.monotonic() + 60
        while (len(workers) < 2 or _percent(out) < 10) and time.monotonic() < end:
            out += _read(fd, 0.05) or b""  # killed mid-run, while workers are busy
            workers = _children(main)
        assert len(workers) == 2 and _percent(out) >= 10, (workers, out[-300:])
        os.kill(main, signal.SIGKILL)
        end = time.monotonic() + 10
        while time.monotonic() < end and any(map(_alive, workers)):
            data = _read(fd, 0.05)
            after += data or b""
        assert not any(map(_alive, workers)), [_stat(w) for w in workers]
        end = time.monotonic() + 0.5  # a last look for anything they printed
        while time.monotonic() < end:
            after += _read(fd, 0.05) or b""
        os.write(fd, b"\n")
        code = _wait_exit(wrapper, 10)
        assert code == 0
    finally:
        for w in workers:
            if _alive(w):
                os.kill(w, signal.SIGKILL)
        if code is None:
            os.kill(wrapper, signal.SIGKILL)
            os.waitpid(wrapper, 0)
        os.close(fd)
    assert b"Traceback" not in after and b"Error" not in after, after.decode(errors="replace")


def test_ctrl_c_while_waiting_for_a_pipe_is_one_line(tmp_path: Path) -> None:
    """Any command: Ctrl-C is one line and exit 130 (the framework alone exits silently)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    pid, fd = _spawn_on_pty([sys.executable, "-m", "podsum", "parse", str(fifo)], tmp_path / "l")
    writer = code = None
    out = b""
    try:
        end = time.monotonic() + 60
        while writer is None and time.monotonic() < end:
            try:  # succeeds once podsum has the pipe open and waits for data
                writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                out += _read(fd, 0.05) or b""
        assert writer is not None, out
        os.write(fd, b"\x03")
        while data := _read(fd, 10):
            out += data
        code = _wait_exit(pid, 10)
    finally:
        if writer is not None:
            os.close(writer)
        if code is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    assert code == 130
    assert out.replace(b"^C", b"") == b"podsum: interrupted\r\n"
