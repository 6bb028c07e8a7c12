"""Hostile and broken input, end to end. Each test names the defence it proves."""

from __future__ import annotations

import os
import random
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mangle import mangle
from markdown_it import MarkdownIt

import podsum
from conftest import ATMES, SEED, fixture_pages, run_cli, valid

PAGES = [p.read_bytes() for p in fixture_pages()]
HOSTILE = ATMES / "hostile-markup-escapes.txt"
SGR = re.compile(r"\x1b\[[0-9;]*m")


# --- the parser: 3,000 mangled real pages ---------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_mangled_pages_raise_only_parse_error_and_render(seed: int) -> None:
    """Defences: ParseError-only contract, control-character removal, renderer safety."""
    rng = random.Random(seed)
    parsed = 0
    for _ in range(1000):
        data = mangle(rng.choice(PAGES), rng)
        try:
            s = podsum.parse(data)
        except podsum.ParseError as exc:
            assert not str(exc).startswith("internal error"), (str(exc), data[:300])
            continue
        parsed += 1
        valid(s.to_dict())  # the schema forbids control characters in every field
        for fmt in ("json", "text", "md", "cards"):
            out = podsum.render(s, fmt)
            assert "\x1b" not in out and "\x9b" not in out
        back = podsum.parse(podsum.render(s, "md"))
        assert back.id == s.id
    assert parsed > 500  # most mangled pages still hold a summary


# --- size -----------------------------------------------------------------------


def test_a_file_over_max_bytes_is_refused_before_reading(tmp_path: Path) -> None:
    """Defence: fstat before read. A sparse 11 GB file would take minutes to read."""
    big = tmp_path / "huge.txt"
    with open(big, "wb") as f:
        f.truncate(11 * 1024**3)
    proc = run_cli("parse", str(big), timeout=20)
    assert proc.returncode == 1
    assert proc.stderr.decode() == (
        f"podsum: {big}: file is larger than --max-bytes (10,000,000 bytes)\n"
    )


def test_stdin_over_max_bytes_is_refused() -> None:
    """Defence: stdin is read up to --max-bytes + 1 and no further."""
    proc = run_cli("parse", "--max-bytes", "1000", "-", stdin=SEED.read_bytes())
    assert proc.returncode == 1
    assert (
        proc.stderr.decode() == "podsum: <stdin>: input is larger than --max-bytes (1,000 bytes)\n"
    )


def test_a_ten_megabyte_line_finishes(tmp_path: Path) -> None:
    """Defence: no regex with super-linear backtracking on a line."""
    page = SEED.read_bytes().replace(b"TL;DR\n\n", b"TL;DR\n\n" + b"word " * 1_900_000, 1)
    s = podsum.parse(page)
    assert s.tldr is not None and len(s.tldr) > 990_000
    assert "record-truncated" in [w.code for w in s.warnings]


# --- the terminal -----------------------------------------------------------------

ENVS = {
    "NO_COLOR": {"NO_COLOR": "1"},
    "FORCE_COLOR": {"FORCE_COLOR": "1"},
    "TERM=dumb": {"TERM": "dumb"},
    "COLUMNS=30": {"COLUMNS": "30"},
    "ascii": {"PYTHONIOENCODING": "ascii"},
}


@pytest.mark.parametrize("env_name", list(ENVS))
@pytest.mark.parametrize("fmt", ["cards", "text", "md", "json"])
def test_terminal_matrix(env_name: str, fmt: str) -> None:
    """Defences: escapes removed at parse time, markup off, colour only when forced,
    unencodable characters replaced instead of crashing."""
    env = ENVS[env_name]
    proc = run_cli("show", str(HOSTILE), str(SEED), "--format", fmt, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    if env_name == "ascii":
        assert proc.stdout.isascii()
    out = proc.stdout.decode("utf-8")
    if env_name == "FORCE_COLOR" and fmt == "cards":
        out = SGR.sub("", out)  # the user asked for colour: SGR codes and nothing else
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)
    if fmt in ("cards", "text"):
        assert "[bold red]Pwned[/]" in out.replace("\n", "") or env_name == "COLUMNS=30"
        assert "Red alert and a link" in " ".join(out.split()) or env_name == "COLUMNS=30"


# --- files podsum writes ------------------------------------------------------------

NASTY = st.lists(
    st.sampled_from(
        [*"#-*_>`[]()<>!&|~:=+.\\'\" 1aZé\n", "---", "```", "<a>", "1.", "http://x.y", "&amp;"]
    ),
    min_size=1,
    max_size=25,
).map("".join)


def _body_tokens(md: str) -> list[str]:
    """Block and inline token types of the body, as a CommonMark renderer sees them."""
    body = md.split("\n---\n", 1)[1]
    types = []
    for t in MarkdownIt("commonmark").parse(body):
        types.append(t.type)
        types.extend(c.type for c in t.children or [] if c.type not in ("text", "softbreak"))
    return types


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=NASTY, tldr=NASTY, insight=NASTY, text=NASTY)
def test_markdown_structure_is_never_changed_by_page_text(
    title: str, tldr: str, insight: str, text: str
) -> None:
    """Defence: Markdown escaping (and YAML's safe dumper for the front matter)."""
    s = podsum.parse(SEED.read_bytes())
    s.title = " ".join(title.split()) or "x"
    s.tldr = " ".join(tldr.split()) or "x"
    s.sections[0].insights[0].title = " ".join(insight.split()) or "x"
    s.sections[0].insights[0].text = " ".join(text.split()) or "x"
    md = podsum.render(s, "md")
    front = yaml.safe_load(md.split("\n---\n", 1)[0][4:])
    assert front["title"] == s.title
    # The same page with harmless text in those fields has exactly the same structure.
    plain = podsum.parse(SEED.read_bytes())
    plain.title = plain.tldr = "x"
    plain.sections[0].insights[0].title = plain.sections[0].insights[0].text = "x"
    assert _body_tokens(md) == _body_tokens(podsum.render(plain, "md"))
    assert podsum.parse(md).id == s.id


def test_output_failure_leaves_the_old_file_whole(tmp_path: Path) -> None:
    """Defence: atomic writes. A failed write (missing folder) changes nothing."""
    out = tmp_path / "out.json"
    out.write_text("previous\n")
    assert run_cli("parse", str(SEED), "--output", str(out)).returncode == 0
    good = out.read_text()
    proc = run_cli("parse", str(SEED), "--output", str(tmp_path / "missing" / "x.json"))
    assert proc.returncode == 1 and len(proc.stderr.splitlines()) == 1
    assert out.read_text() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


# --- the library --------------------------------------------------------------------


def test_read_only_library_reads_but_refuses_writes(tmp_path: Path) -> None:
    """Defence: read-only detection (chattr +i as root, chmod otherwise)."""
    lib = tmp_path / "lib.db"
    env = {"PODSUM_LIBRARY": str(lib)}
    assert run_cli("ingest", "-q", str(SEED), env=env).returncode == 0
    before = lib.read_bytes()
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(lib)], capture_output=True).returncode:
            pytest.skip("chattr +i is not supported here")
    else:
        lib.chmod(0o444)
    try:
        listed = run_cli("list", "--format", "jsonl", env=env)
        assert listed.returncode == 0 and b"China Open-Source" in listed.stdout
        for args in (["ingest", str(ATMES / "cjk-zwj-emoji.txt")], ["rm", "e891"]):
            proc = run_cli(*args, env=env)
            assert proc.returncode == 1
            assert proc.stderr.decode() == f"podsum: {lib}: read-only\n"
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(lib)], check=False)
        lib.chmod(0o644)
    assert lib.read_bytes() == before


def test_locked_library_is_one_line_and_loses_nothing(tmp_path: Path) -> None:
    """Defences: busy timeout and BEGIN IMMEDIATE; the batch fails whole, cleanly."""
    lib = tmp_path / "lib.db"
    env = {"PODSUM_LIBRARY": str(lib), "PODSUM_BUSY_TIMEOUT": "1"}
    assert run_cli("ingest", "-q", str(SEED), env=env).returncode == 0
    holder = sqlite3.connect(lib, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        proc = run_cli("ingest", str(ATMES / "cjk-zwj-emoji.txt"), env=env)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 1
    assert proc.stderr.decode() == (
        f"podsum: {lib}: locked by another program; try again; committed 0 new, 0 updated\n"
    )
    with sqlite3.connect(lib) as conn:
        assert conn.execute("SELECT count(*) FROM summaries").fetchone()[0] == 1
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize(
    "content",
    [b"", b"SQLite format 3\x00" + b"\xff" * 200, b"not a database at all\n" * 50],
    ids=["empty-file", "corrupt-header", "text-file"],
)
def test_broken_library_files(tmp_path: Path, content: bytes) -> None:
    """Defence: SQLite errors translated to one line; the file is left as it was."""
    lib = tmp_path / "lib.db"
    lib.write_bytes(content)
    proc = run_cli("ingest", str(SEED), env={"PODSUM_LIBRARY": str(lib)})
    if content == b"":
        assert proc.returncode == 0  # an empty file is a new library
        return
    assert proc.returncode == 1
    assert len(proc.stderr.splitlines()) == 1
    assert b"Traceback" not in proc.stderr
    assert lib.read_bytes() == content
