"""The command line, run as a user runs it: a real subprocess with stdout piped."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import ATMES, ROOT, SEED, fixture_pages, page_id, run_cli, valid

_ESC = re.compile("[\x1b\x9b\x9d]")


class ESC:
    """Escape characters in output bytes, looked for after decoding (0x9b is also a
    UTF-8 continuation byte)."""

    @staticmethod
    def search(data: bytes) -> bool:
        return bool(_ESC.search(data.decode("utf-8", errors="replace")))


HOSTILE = ATMES / "hostile-markup-escapes.txt"


def _stderr_lines(proc: subprocess.CompletedProcess[bytes]) -> list[str]:
    return proc.stderr.decode().splitlines()


def test_parse_one_source_prints_one_object() -> None:
    proc = run_cli("parse", str(SEED))
    assert proc.returncode == 0, proc.stderr
    record = valid(json.loads(proc.stdout))
    assert record["title"].startswith("China Open-Source")
    assert record["source"]["location"] == str(SEED)


def test_parse_several_prints_an_array_and_jsonl_prints_lines() -> None:
    pages = [str(p) for p in fixture_pages()[:3]]
    arr = json.loads(run_cli("parse", *pages).stdout)
    assert isinstance(arr, list) and len(arr) == 3
    lines = run_cli("parse", "--jsonl", *pages).stdout.decode().splitlines()
    assert [json.loads(ln)["id"] for ln in lines] == [r["id"] for r in arr]


def test_output_is_deterministic() -> None:
    a = run_cli("parse", *map(str, fixture_pages())).stdout
    b = run_cli("parse", *map(str, fixture_pages())).stdout
    assert a == b and a


@pytest.mark.parametrize("page", fixture_pages(), ids=page_id)
def test_parse_pipe_show_equals_show(page: Path) -> None:
    direct = run_cli("show", str(page), "--format", "md")
    parsed = run_cli("parse", str(page))
    piped = run_cli("show", "--format", "md", stdin=parsed.stdout)
    assert direct.returncode == piped.returncode == 0
    assert piped.stdout == direct.stdout
    # and the Markdown parses back to the same id
    again = json.loads(run_cli("parse", "-", stdin=direct.stdout).stdout)
    assert again["id"] == json.loads(parsed.stdout)["id"]


@pytest.mark.parametrize("page", fixture_pages(), ids=page_id)
def test_cards_piped_have_no_escape_codes(page: Path) -> None:
    for env in ({"NO_COLOR": "1"}, {}):
        proc = run_cli("show", str(page), env=env)
        assert proc.returncode == 0, proc.stderr
        assert not ESC.search(proc.stdout)


def test_cards_show_markup_literally() -> None:
    proc = run_cli("show", str(HOSTILE), env={"NO_COLOR": "1"})
    assert b"[bold red]Pwned[/]" in proc.stdout
    assert b":smile:" in proc.stdout


def test_cards_on_a_terminal_use_colour_unless_no_color() -> None:
    def on_tty(env: dict[str, str]) -> bytes:
        return _on_a_terminal(["show", str(SEED)], env)[1]

    def colour_codes(out: bytes) -> set[str]:
        params = re.findall(r"\x1b\[([0-9;]*)m", out.decode("utf-8", errors="replace"))
        return {p for ps in params for p in ps.split(";") if re.fullmatch(r"3\d|4\d|9\d", p)}

    assert colour_codes(on_tty({"TERM": "xterm-256color"}))
    # NO_COLOR (no-color.org) removes colour; bold and dim may stay.
    assert not colour_codes(on_tty({"TERM": "xterm-256color", "NO_COLOR": "1"}))


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty input"),
        ("blank.txt", b"  \n\n \t \n", "empty input"),
        ("binary.bin", bytes(range(256)) * 4, "binary data"),
        (
            "prose.txt",
            b"It was a bright cold day in April, and the clocks were striking.\n",
            "not a summary page (",
        ),
        ("notrecord.json", b'{"hello": "world"}', "not a podsum record"),
    ],
)
def test_bad_inputs_fail_with_one_line(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    proc = run_cli("parse", str(bad))
    assert proc.returncode == 1
    lines = _stderr_lines(proc)
    assert len(lines) == 1 and lines[0].startswith(f"podsum: {bad}: ")
    assert reason in lines[0]
    assert proc.stdout == b""


def test_bad_sources_do_not_stop_good_ones(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    proc = run_cli("parse", str(SEED), str(tmp_path), "missing.txt", str(empty), str(HOSTILE))
    assert proc.returncode == 1
    records = json.loads(proc.stdout)
    assert [r["title"][:5] for r in records] == ["China", "[bold"]
    lines = _stderr_lines(proc)
    assert lines == [
        f"podsum: {tmp_path}: is a directory; use 'podsum ingest DIR' or a shell glob "
        f"such as DIR/*.txt",
        "podsum: missing.txt: no such file",
        f"podsum: {empty}: empty input",
    ]


def test_strict_turns_warnings_into_failures() -> None:
    page = ATMES / "count-mismatch.txt"
    assert run_cli("parse", str(page)).returncode == 0
    proc = run_cli("parse", "--strict", str(page), str(SEED))
    assert proc.returncode == 1
    lines = _stderr_lines(proc)
    assert len(lines) == 2 and all("insight-count-mismatch" in ln for ln in lines)
    assert json.loads(proc.stdout)[0]["title"].startswith("China")


def test_stdin_is_read_when_piped() -> None:
    proc = run_cli("parse", stdin=SEED.read_bytes())
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["source"]["location"] is None


def _on_a_terminal(args: list[str], env: dict[str, str] | None = None) -> tuple[int, bytes]:
    """Run podsum with a pseudo-terminal as its stdin and stdout; (exit code, output)."""
    pid, fd = pty.fork()
    if pid == 0:  # child: the pty is its terminal
        os.environ.update(env or {})
        os.execv(sys.executable, [sys.executable, "-m", "podsum", *args])
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), b"".join(chunks)


def test_no_source_on_a_terminal_is_a_usage_error() -> None:
    code, out = _on_a_terminal(["parse"])
    assert code == 2
    assert b"pipe a page in" in out


def test_usage_errors_exit_2() -> None:
    assert run_cli("show", str(SEED), "--format", "pdf").returncode == 2
    assert run_cli("parse", "--no-such-flag").returncode == 2


def test_kind_comes_from_content_not_extension(tmp_path: Path) -> None:
    as_html = tmp_path / "page.html"
    as_html.write_bytes(SEED.read_bytes())
    record = json.loads(run_cli("parse", str(as_html)).stdout)
    assert record["source"]["kind"] == "text"
    as_txt = tmp_path / "record.txt"
    as_txt.write_bytes(run_cli("parse", str(SEED)).stdout)
    back = json.loads(run_cli("parse", str(as_txt)).stdout)
    assert back["id"] == record["id"]


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    proc = run_cli("parse", str(SEED), "--output", str(out))
    assert proc.returncode == 0 and proc.stdout == b""
    assert json.loads(out.read_text())["title"].startswith("China")
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_closed_pipe_ends_quietly() -> None:
    cmd = f"{sys.executable} -m podsum parse {' '.join([str(SEED)] * 200)} | head -c 100"
    proc = subprocess.run(cmd, shell=True, capture_output=True, cwd=ROOT, timeout=60)
    assert len(proc.stdout) == 100
    assert proc.stderr == b""


def test_schema_is_a_valid_json_schema() -> None:
    proc = run_cli("schema")
    schema = json.loads(proc.stdout)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"].endswith("2020-12/schema")


def test_version() -> None:
    import podsum

    assert run_cli("--version").stdout.decode().splitlines()[0] == f"podsum {podsum.__version__}"


def test_show_text_and_json_formats() -> None:
    text = run_cli("show", str(SEED), "--format", "text").stdout.decode()
    assert text.startswith("China Open-Source, Compute Arms Race")
    record = json.loads(run_cli("show", str(SEED), "--format", "json").stdout)
    assert record == json.loads(run_cli("parse", str(SEED)).stdout)
