"""`podsum ingest --watch` as a user runs it: a real process watching a real folder,
files written into it the ways browsers, editors and `cp` write them, real signals."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pages import page
from typer.testing import CliRunner

import podsum
from conftest import ATMES, ROOT, SEED, run_cli
from podsum.cli import app
from podsum.db import Library
from podsum.watch import is_temporary

SETTLE = "0.3"  # short, so the tests run quickly; the default is 1 s
DEADLINE = 20.0  # seconds any awaited line may take on a busy machine
SEED_ID = podsum.parse(SEED.read_bytes()).id
SEED_TITLE = podsum.parse(SEED.read_bytes()).title
LINUX = sys.platform.startswith("linux")


def _default_sigint() -> None:
    """The child gets Ctrl-C as from a terminal, even where the test run ignores it
    (a background job of a script)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Watching:
    """A running `podsum ingest --watch`, its stdout and stderr read line by line."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None) -> None:
        full_env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=full_env,
            preexec_fn=_default_sigint,
        )
        self.out: list[str] = []
        self.err: list[str] = []
        self._readers = [
            threading.Thread(target=self._read, args=(self.proc.stdout, self.out), daemon=True),
            threading.Thread(target=self._read, args=(self.proc.stderr, self.err), daemon=True),
        ]
        for t in self._readers:
            t.start()

    @staticmethod
    def _read(stream: object, lines: list[str]) -> None:
        for raw in stream:  # type: ignore[attr-defined]
            lines.append(raw.decode("utf-8", "replace").rstrip("\n"))

    def wait_for(self, check: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + DEADLINE
        while not check():
            if self.proc.poll() is not None:
                time.sleep(0.2)  # the readers take the last lines
                if check():
                    return
                raise AssertionError(f"podsum exited before {what}: {self.out} {self.err}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} within {DEADLINE} s: {self.out} {self.err}")
            time.sleep(0.05)

    def ready(self) -> Watching:
        self.wait_for(lambda: any(" watching " in line for line in self.err), "watching line")
        return self

    def wait_out(self, n: int) -> list[str]:
        self.wait_for(lambda: len(self.out) >= n, f"{n} lines on stdout")
        return self.out[:n]

    def wait_err(self, n: int) -> list[str]:
        self.wait_for(lambda: len(self.err) >= n, f"{n} lines on stderr")
        return self.err[:n]

    def stop(self, sig: int = signal.SIGINT) -> int:
        self.proc.send_signal(sig)
        return self.wait_exit()

    def wait_exit(self) -> int:
        code = self.proc.wait(timeout=DEADLINE)
        for t in self._readers:
            t.join(timeout=DEADLINE)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def watch(tmp_path: Path) -> Iterator[Callable[..., Watching]]:
    started: list[Watching] = []

    def start(
        folder: Path, *extra: str, env: dict[str, str] | None = None, prefix: tuple[str, ...] = ()
    ) -> Watching:
        argv = [
            *prefix,
            sys.executable,
            "-m",
            "podsum",
            "ingest",
            "--watch",
            str(folder),
            "--library",
            str(tmp_path / "library.db"),
            "--settle",
            SETTLE,
            *extra,
        ]
        w = Watching(argv, env)
        started.append(w)
        return w

    yield start
    for w in started:
        w.kill()


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def _record_in_library(lib: Path, id_: str) -> object:
    proc = run_cli("show", id_, "--format", "json", "--library", str(lib))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _record_of_file(path: Path) -> object:
    proc = run_cli("parse", str(path))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _line(verb: str, text: str | bytes) -> str:
    s = podsum.parse(text)
    return f"{verb} {s.id} {s.title}"


def _integrity_ok(lib: Path) -> bool:
    with Library(lib, create=False) as library:
        return library.integrity_ok()


@pytest.mark.skipif(not LINUX, reason="only inotify says when a writer closes a file")
def test_a_page_written_in_steps_is_read_once_and_whole(
    watch: Callable[..., Watching], inbox: Path, tmp_path: Path
) -> None:
    w = watch(inbox).ready()
    data = SEED.read_bytes()
    target = inbox / "episode.txt"
    with target.open("wb") as f:  # an editor writing a piece at a time
        f.write(data[: len(data) // 2])
        f.flush()
        time.sleep(4 * float(SETTLE))  # quiet for longer than --settle, but still open
        assert w.out == []  # a file a writer holds open is not read half-done
        f.write(data[len(data) // 2 :])
    assert w.wait_out(1) == [f"added {SEED_ID} {SEED_TITLE}"]
    assert w.stop(signal.SIGINT) == 130  # Ctrl-C, as for every podsum command
    assert w.out == [f"added {SEED_ID} {SEED_TITLE}", "1 added, 0 updated, 0 unchanged, 0 failed"]
    assert w.err == [f"podsum: watching {inbox}; Ctrl-C stops"]
    lib = tmp_path / "library.db"
    assert _record_in_library(lib, SEED_ID) == _record_of_file(target)
    assert _integrity_ok(lib)


@pytest.mark.parametrize("browser", ["chrome", "firefox"])
def test_a_download_is_read_under_the_name_it_is_renamed_to(
    watch: Callable[..., Watching], inbox: Path, tmp_path: Path, browser: str
) -> None:
    w = watch(inbox).ready()
    page_bytes = (ATMES / "html-seed-page.html").read_bytes()
    final = inbox / "Summary of episode 12.html"
    if browser == "chrome":
        temp = inbox / "Unconfirmed 123456.crdownload"
    else:  # Firefox: an empty placeholder under the final name, the data in .part
        final.write_bytes(b"")
        temp = inbox / "Summary of episode 12.html.part"
    with temp.open("wb") as f:
        for i in range(0, len(page_bytes), 4096):  # slowly, with pauses past --settle
            f.write(page_bytes[i : i + 4096])
            f.flush()
            time.sleep(float(SETTLE))
    temp.rename(final)
    w.wait_out(1)
    assert w.stop(signal.SIGTERM) == 0
    assert w.out == [_line("added", page_bytes), "1 added, 0 updated, 0 unchanged, 0 failed"]
    assert w.err == [f"podsum: watching {inbox}; Ctrl-C stops"]  # no temporary file was read
    record = _record_in_library(tmp_path / "library.db", podsum.parse(page_bytes).id)
    assert record == _record_of_file(final)
    assert record["source"]["location"] == str(final)  # type: ignore[index]


def test_copied_files_and_folders_moved_in_are_read(
    watch: Callable[..., Watching], inbox: Path, tmp_path: Path
) -> None:
    w = watch(inbox).ready()
    shutil.copy(SEED, inbox / "copied.txt")
    assert w.wait_out(1) == [f"added {SEED_ID} {SEED_TITLE}"]
    elsewhere = tmp_path / "unpacked"  # a folder made elsewhere, then moved in whole
    (elsewhere / "deeper").mkdir(parents=True)
    (elsewhere / "deeper" / "p1.txt").write_text(page(1), encoding="utf-8")
    elsewhere.rename(inbox / "unpacked")
    assert w.wait_out(2)[1] == _line("added", page(1))
    (inbox / "new-folder").mkdir()  # a folder made after the watch began is watched too
    (inbox / "new-folder" / "p2.txt").write_text(page(2), encoding="utf-8")
    assert w.wait_out(3)[2] == _line("added", page(2))
    (inbox / "copied.txt").rename(inbox / "renamed.txt")  # a rename alone reads nothing
    shutil.copy(SEED, inbox / "copied-again.txt")  # the same page again: unchanged
    assert w.wait_out(4)[3] == f"unchanged {SEED_ID} {SEED_TITLE}"
    assert w.stop() == 130
    assert w.out[4:] == ["3 added, 0 updated, 1 unchanged, 0 failed"]


def test_a_folder_named_through_a_symlink_is_watched(
    watch: Callable[..., Watching], inbox: Path, tmp_path: Path
) -> None:
    link = tmp_path / "Downloads"  # a Downloads folder kept on another disk, say
    link.symlink_to(inbox, target_is_directory=True)
    w = watch(link).ready()
    shutil.copy(SEED, inbox / "seed.txt")
    assert w.wait_out(1) == [f"added {SEED_ID} {SEED_TITLE}"]
    assert w.stop() == 130
    record = _record_in_library(tmp_path / "library.db", SEED_ID)
    assert record["source"]["location"] == str(link / "seed.txt")  # type: ignore[index]


def test_a_file_that_is_no_summary_costs_one_line_and_the_watch_goes_on(
    watch: Callable[..., Watching], inbox: Path, tmp_path: Path
) -> None:
    w = watch(inbox).ready()
    (inbox / "README.md").write_text("# My notes\n\nThings to read later.\n", encoding="utf-8")
    w.wait_err(2)
    (inbox / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(200))
    w.wait_err(3)
    hostile = "evil\x1b]0;pwned\x07.txt"  # a file name that would retitle the terminal
    (inbox / hostile).write_text("not a page\n", encoding="utf-8")
    w.wait_err(4)
    (inbox / "good.txt").write_text(page(3), encoding="utf-8")
    w.wait_out(1)
    assert w.stop(signal.SIGTERM) == 0
    assert w.err[1].startswith(f"podsum: {inbox / 'README.md'}: not a summary page (")
    assert w.err[2] == f"podsum: {inbox / 'photo.jpg'}: skipped: binary file"
    assert w.err[3].startswith(f"podsum: {inbox}/evil\\x1b]0;pwned\\x07.txt: not a summary page")
    assert len(w.err) == 4
    assert w.out == [
        _line("added", page(3)),
        "1 added, 0 updated, 0 unchanged, 2 failed, 1 skipped (binary)",
    ]


def test_pages_already_there_are_read_first_or_skipped_with_new_only(
    watch: Callable[..., Watching], inbox: Path, tmp_path: Path
) -> None:
    (inbox / "sub").mkdir()
    (inbox / "a.txt").write_text(page(1), encoding="utf-8")
    (inbox / "sub" / "b.txt").write_text(page(2), encoding="utf-8")
    (inbox / ".hidden.txt").write_text(page(8), encoding="utf-8")  # skipped, as by ingest
    (inbox / "c.txt.part").write_text(page(9), encoding="utf-8")  # a download in progress
    w = watch(inbox).ready()
    assert w.wait_out(2) == [_line("added", page(1)), _line("added", page(2))]
    assert w.stop() == 130

    w = watch(inbox, "--new-only", "--update").ready()
    (inbox / "d.txt").write_text(page(4), encoding="utf-8")
    assert w.wait_out(1) == [_line("added", page(4))]
    shutil.copy(inbox / "sub" / "b.txt", inbox / "b-again.txt")
    assert w.wait_out(2)[1] == _line("unchanged", page(2))  # the same page adds nothing
    newer = page(2).replace("practical takeaway", "practical lesson")
    assert newer != page(2)
    (inbox / "b-newer.txt").write_text(newer, encoding="utf-8")
    assert w.wait_out(3)[2] == _line("updated", page(2))  # a newer copy changes it
    assert w.stop() == 130
    assert w.out[3:] == ["1 added, 1 updated, 1 unchanged, 0 failed"]
    assert len(w.err) == 1
    assert _integrity_ok(tmp_path / "library.db")


def test_a_file_of_several_pages_prints_a_line_for_each(
    watch: Callable[..., Watching], inbox: Path
) -> None:
    w = watch(inbox).ready()
    running = inbox / "summaries.txt"
    running.write_text(page(1) + "\n" + page(2), encoding="utf-8")
    assert w.wait_out(2) == [_line("added", page(1)), _line("added", page(2))]
    with running.open("a", encoding="utf-8") as f:  # one more page appended later
        f.write("\n" + page(3))
    assert w.wait_out(5)[2:] == [
        _line("unchanged", page(1)),
        _line("unchanged", page(2)),
        _line("added", page(3)),
    ]
    assert w.stop() == 130
    assert w.out[5:] == ["3 added, 0 updated, 2 unchanged, 0 failed"]


def test_polling_when_asked(watch: Callable[..., Watching], inbox: Path) -> None:
    w = watch(inbox, "--poll").ready()
    assert w.err == [f"podsum: watching {inbox} by polling every {SETTLE} s; Ctrl-C stops"]
    (inbox / "x.txt.crdownload").write_text(page(5), encoding="utf-8")
    (inbox / "x.txt.crdownload").rename(inbox / "x.txt")
    shutil.copy(SEED, inbox / "seed.txt")
    expected = [_line("added", page(5)), f"added {SEED_ID} {SEED_TITLE}"]
    assert sorted(w.wait_out(2)) == sorted(expected)
    assert w.stop() == 130
    assert len(w.err) == 1


def _no_inotify_watches() -> tuple[str, ...]:
    """A command prefix that runs the rest in a user namespace whose inotify watch
    limit is 0, as if the machine's limit were used up."""
    if not LINUX or shutil.which("unshare") is None:
        pytest.skip("needs Linux's unshare")
    script = 'echo 0 > /proc/sys/user/max_inotify_watches && exec "$@"'
    prefix = ("unshare", "--user", "--map-root-user", "sh", "-c", script, "sh")
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("user namespaces are not available here")
    return prefix


def test_polling_when_inotify_has_no_watches_left(
    watch: Callable[..., Watching], inbox: Path
) -> None:
    w = watch(inbox, prefix=_no_inotify_watches()).ready()
    assert w.err == [
        f"podsum: {inbox}: cannot watch for changes (inotify watch limit reached);"
        f" polling every {SETTLE} s instead",
        f"podsum: watching {inbox} by polling every {SETTLE} s; Ctrl-C stops",
    ]
    shutil.copy(SEED, inbox / "seed.txt")
    assert w.wait_out(1) == [f"added {SEED_ID} {SEED_TITLE}"]
    assert w.stop() == 130
    assert w.out[1:] == ["1 added, 0 updated, 0 unchanged, 0 failed"]


def test_a_file_no_event_reported_is_found_by_the_next_listing(
    watch: Callable[..., Watching], inbox: Path
) -> None:
    """With one inotify watch left, the folder is watched but its subfolder is not
    (watchdog says nothing); the folders are listed again now and then."""
    (inbox / "sub").mkdir()
    prefix = tuple(p.replace("echo 0", "echo 1") for p in _no_inotify_watches())
    w = watch(inbox, env={"PODSUM_WATCH_RESCAN": "0.5"}, prefix=prefix).ready()
    assert w.err == [f"podsum: watching {inbox}; Ctrl-C stops"]
    (inbox / "sub" / "p6.txt").write_text(page(6), encoding="utf-8")
    assert w.wait_out(1) == [_line("added", page(6))]
    assert w.stop() == 130


def test_a_library_inside_the_watched_folder_is_never_read_as_a_page(
    watch: Callable[..., Watching], inbox: Path
) -> None:
    w = watch(inbox, "--library", str(inbox / "podsum.db")).ready()
    for n in range(3):
        (inbox / f"p{n}.txt").write_text(page(n), encoding="utf-8")
        w.wait_out(n + 1)
    time.sleep(4 * float(SETTLE))  # the library's last write has settled
    assert w.stop() == 130
    assert w.out[3:] == ["3 added, 0 updated, 0 unchanged, 0 failed"]
    assert len(w.err) == 1


def test_the_watch_ends_when_its_folder_is_removed(
    watch: Callable[..., Watching], inbox: Path
) -> None:
    w = watch(inbox).ready()
    inbox.rmdir()
    assert w.wait_exit() == 1
    assert w.err[1:] == [f"podsum: {inbox}: folder removed; no longer watched"]
    assert w.out == ["0 added, 0 updated, 0 unchanged, 0 failed"]


runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--watch"], "give the folders to watch"),
        (["--watch", "missing-folder"], "missing-folder: no such folder"),
        (["--watch", str(SEED)], f"{SEED}: not a folder"),
        (["--watch", "https://example.com/"], "--watch takes folders, not URLs or stdin"),
        (["--watch", "-"], "<stdin>: --watch takes folders"),
        (["--new-only", str(SEED)], "only applies with --watch"),
        (["--settle", "0", str(SEED)], "only applies with --watch"),
        (["--poll", str(SEED)], "only applies with --watch"),
    ],
)
def test_usage_errors(args: list[str], message: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", *args, "--library", str(tmp_path / "l.db")])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not (tmp_path / "l.db").exists()


def test_watchdog_is_loaded_only_to_watch(tmp_path: Path) -> None:
    probe = f"""
import sys
from podsum.cli import app
try:
    app(["ingest", "-q", {str(SEED)!r}, "--library", {str(tmp_path / "l.db")!r}])
except SystemExit:
    pass
print("watchdog" in sys.modules)
"""
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert proc.stdout.strip() == "False", proc.stderr


@pytest.mark.parametrize(
    ("name", "temporary"),
    [
        ("page.html", False),
        ("Summary ~ notes.txt", False),
        ("Unconfirmed 1234.crdownload", True),
        ("page.html.part", True),
        ("page.html.PART", True),
        ("page.download", True),
        ("~$notes.docx", True),
        ("notes.txt~", True),
        (".notes.txt.swp", True),
        ("notes.swp", True),
        ("#notes.txt#", True),
        (".hidden.txt", True),
        ("upload.tmp", True),
    ],
)
def test_temporary_names(name: str, temporary: bool) -> None:
    assert is_temporary(name) is temporary
