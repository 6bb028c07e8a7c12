"""The pager, on a real pseudo-terminal: the installed `podsum` runs with a pty as its
terminal, and PAGER is a script that records what it was given."""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from conftest import ATMES, ROOT, SEED, run_cli

PODSUM = str(Path(sys.executable).parent / "podsum")
HOSTILE = ATMES / "hostile-markup-escapes.txt"
RECORDER = """#!/bin/sh
cat > "{out}"
printf '%s' "$LESS" > "{out}.less"
"""


def on_a_terminal(
    args: list[str], env: dict[str, str], rows: int = 24, columns: int = 80
) -> tuple[int, bytes]:
    """Run podsum with a pty of ``rows`` x ``columns`` as its terminal; (exit code, what
    reached the terminal)."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PAGER", "PODSUM_PAGER", "LESS", "COLUMNS", "LINES", "NO_COLOR")
    }
    proc = subprocess.Popen(
        [PODSUM, *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**base, "TERM": "xterm-256color", **env},
        cwd=ROOT,
        close_fds=True,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed with the last process on it
            break
        if not data:
            break
        seen += data
    os.close(leader)
    return proc.wait(timeout=60), seen


@pytest.fixture
def pager(tmp_path: Path) -> tuple[str, Path]:
    """A pager that records its input to ``out`` (and LESS to ``out.less``)."""
    out = tmp_path / "paged.txt"
    script = tmp_path / "recording-pager"
    script.write_text(RECORDER.format(out=out))
    script.chmod(0o755)
    return str(script), out


def _terminal_text(data: bytes) -> str:
    """What a pty shows for plain text: LF comes out as CRLF."""
    return data.decode().replace("\r\n", "\n")


def test_long_output_goes_through_the_pager(pager: tuple[str, Path]) -> None:
    command, out = pager
    code, seen = on_a_terminal(["show", str(SEED), "--format", "md"], {"PAGER": command})
    assert code == 0
    assert seen == b""  # all of it went to the pager
    assert out.read_bytes() == run_cli("show", str(SEED), "--format", "md").stdout
    assert Path(f"{out}.less").read_text() == "FRX"  # as git sets it


def test_less_settings_of_the_user_are_kept(pager: tuple[str, Path]) -> None:
    command, out = pager
    code, _ = on_a_terminal(["show", str(SEED)], {"PAGER": command, "LESS": "-S"})
    assert code == 0 and Path(f"{out}.less").read_text() == "-S"


def test_cards_keep_their_colours_and_nothing_else(pager: tuple[str, Path]) -> None:
    command, out = pager
    code, seen = on_a_terminal(["show", str(SEED), str(HOSTILE)], {"PAGER": command})
    assert code == 0 and seen == b""
    paged = out.read_text()
    assert "China Open-Source" in paged and "[bold red]Pwned[/]" in paged
    assert re.search(r"\x1b\[[0-9;]*3\dm", paged)  # Rich's colours, for less -R
    escapes = re.findall(r"\x1b.{0,3}", paged)
    assert escapes and all(re.match(r"\x1b\[[0-9;]", e) for e in escapes)
    assert not re.sub(r"\x1b\[[0-9;]*m", "", paged).count("\x1b")
    assert "\x9b" not in paged and "\x07" not in paged


def test_output_that_fits_is_printed_as_it_is(pager: tuple[str, Path]) -> None:
    command, out = pager
    code, seen = on_a_terminal(["show", str(SEED), "--format", "md"], {"PAGER": command}, rows=400)
    assert code == 0 and not out.exists()
    assert _terminal_text(seen) == run_cli("show", str(SEED), "--format", "md").stdout.decode()


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--no-pager"], {}),
        ([], {"PODSUM_PAGER": ""}),
        ([], {"PAGER": ""}),
        ([], {"PAGER": "cat"}),
    ],
    ids=["--no-pager", "PODSUM_PAGER=", "PAGER=", "PAGER=cat"],
)
def test_turning_the_pager_off(
    pager: tuple[str, Path], args: list[str], env: dict[str, str]
) -> None:
    command, out = pager
    code, seen = on_a_terminal(
        ["show", str(SEED), "--format", "text", *args], {"PAGER": command, **env}
    )
    assert code == 0 and not out.exists()
    assert _terminal_text(seen) == run_cli("show", str(SEED), "--format", "text").stdout.decode()


def test_podsum_pager_wins_over_pager(pager: tuple[str, Path], tmp_path: Path) -> None:
    command, out = pager
    other = tmp_path / "other-pager"
    other.write_text(f"#!/bin/sh\ncat > {tmp_path / 'other.txt'}\n")
    other.chmod(0o755)
    code, _ = on_a_terminal(["show", str(SEED)], {"PAGER": str(other), "PODSUM_PAGER": command})
    assert code == 0 and out.exists() and not (tmp_path / "other.txt").exists()


def test_never_when_piped(pager: tuple[str, Path]) -> None:
    command, out = pager
    proc = run_cli("show", str(SEED), env={"PAGER": command, "PODSUM_PAGER": command})
    assert proc.returncode == 0 and proc.stdout and not out.exists()


def test_a_missing_pager_still_shows_the_output(tmp_path: Path) -> None:
    code, seen = on_a_terminal(
        ["show", str(SEED), "--format", "text"], {"PAGER": str(tmp_path / "no-such-pager")}
    )
    text = _terminal_text(seen)
    assert code == 0
    assert text.startswith(f"podsum: cannot run the pager '{tmp_path / 'no-such-pager'}'")
    assert text.endswith(run_cli("show", str(SEED), "--format", "text").stdout.decode())


def test_failures_still_show_what_was_read(pager: tuple[str, Path]) -> None:
    command, out = pager
    code, seen = on_a_terminal(
        ["show", "missing.txt", str(SEED), "--format", "md"], {"PAGER": command}
    )
    assert code == 1
    assert _terminal_text(seen) == "podsum: missing.txt: no such file\n"
    assert out.read_text().startswith("---\npodsum: 2\n")


def test_list_and_search_are_paged(pager: tuple[str, Path], _isolated_library: Path) -> None:
    from pages import write_pages

    folder = write_pages(_isolated_library.parent / "pages", range(60))[0].parent
    assert run_cli("ingest", "--jobs", "1", str(folder)).returncode == 0
    command, out = pager
    env = {"PAGER": command, "PODSUM_LIBRARY": str(_isolated_library)}
    code, seen = on_a_terminal(["list", "-n", "0"], env)
    assert code == 0 and seen == b""
    assert out.read_text().count("Episode ") == 60
    out.unlink()
    code, seen = on_a_terminal(["search", "episode", "-n", "0", "-f", "jsonl"], env)
    assert code == 0 and seen == b"" and len(out.read_text().splitlines()) == 60
    out.unlink()
    code, seen = on_a_terminal(["list", "-n", "3"], env)  # fits: no pager
    assert code == 0 and not out.exists() and b"Episode " in seen
