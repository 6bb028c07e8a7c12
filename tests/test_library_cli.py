"""The library commands as a user runs them, on a real SQLite file."""

from __future__ import annotations

import datetime
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import yaml
from pages import page, write_pages

import podsum
from conftest import ATMES, ROOT, SEED, fixture_pages, run_cli


def _lib_env(lib: Path) -> dict[str, str]:
    return {"PODSUM_LIBRARY": str(lib)}


def _count(lib: Path) -> int:
    with sqlite3.connect(lib) as conn:
        return int(conn.execute("SELECT count(*) FROM summaries").fetchone()[0])


def test_ingest_list_search_show_rm(tmp_path: Path, _isolated_library: Path) -> None:
    lib = _isolated_library
    pages_dir = tmp_path / "pages"
    pages_dir.mkdir()
    for p in fixture_pages():
        (pages_dir / f"{p.parent.name}-{p.name}").write_bytes(p.read_bytes())
    (pages_dir / "nested").mkdir()
    (pages_dir / "nested" / "seed-copy.html").write_bytes(
        (ATMES / "html-seed-page.html").read_bytes()
    )
    (pages_dir / ".hidden.txt").write_text("not read")
    (pages_dir / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (pages_dir / "notes.txt").write_text("Just a note to self.\n")

    proc = run_cli("ingest", str(pages_dir), env=_lib_env(lib))
    assert proc.returncode == 1  # notes.txt is not a summary
    (line,) = proc.stderr.decode().splitlines()
    assert line.startswith(f"podsum: {pages_dir / 'notes.txt'}: not a summary page (")
    distinct = len({podsum.parse(p.read_bytes()).id for p in fixture_pages()})
    # The fixtures hold a few summaries twice (the same page as text and HTML, an
    # episode's main, chapters and FAQ pages): the later copies are merged in.
    new, updated, unchanged = (int(n) for n in re.findall(r"\d+", proc.stdout.decode())[:3])
    assert (new, updated + unchanged) == (distinct, len(fixture_pages()) + 1 - distinct)
    assert proc.stdout.decode().endswith(" 1 failed, 1 skipped (binary)\n")
    assert _count(lib) == distinct

    again = run_cli("ingest", str(pages_dir / "nested"), env=_lib_env(lib))
    assert again.returncode == 0
    assert again.stdout.decode().strip() == "0 new, 0 updated, 1 unchanged, 0 failed"

    items = json.loads(run_cli("list", "--format", "json", "--limit", "0").stdout)
    assert len(items) == distinct
    assert {"id", "title", "show", "published", "views", "duration_seconds"} <= set(items[0])
    assert [i["published"] for i in items if i["published"]] == sorted(
        (i["published"] for i in items if i["published"]), reverse=True
    )
    table = run_cli("list", env={"COLUMNS": "200"}).stdout.decode()
    assert "[bold red]Pwned[/]" in table  # markup shown, not applied

    hits = [
        json.loads(ln)
        for ln in run_cli("search", "dendrite growth", "--format", "jsonl").stdout.splitlines()
    ]
    assert [h["title"] for h in hits] == ["The Future of Batteries"]
    assert set(hits[0]) == {"id", "title", "show", "snippet", "rank"}
    assert "**dendrite**" in hits[0]["snippet"]

    seed_id = json.loads(run_cli("parse", str(SEED)).stdout)["id"]
    shown = run_cli("show", seed_id[:6], "--format", "md")
    assert shown.returncode == 0
    assert podsum.parse(shown.stdout).id == seed_id

    removed = run_cli("rm", seed_id[:8], "ffffffff")
    assert removed.returncode == 1
    assert removed.stdout.decode() == f"removed {seed_id}\n"
    assert removed.stderr.decode() == "podsum: ffffffff: no summary with id 'ffffffff'\n"
    assert _count(lib) == distinct - 1


def test_hostile_queries_never_traceback(_isolated_library: Path) -> None:
    run_cli("ingest", *map(str, fixture_pages()))
    for query in ['"unbalanced', "AND", "title:(", "*", "NEAR(", "-x", "a:b", "(", "^"]:
        proc = run_cli("search", "--", query)
        assert proc.returncode == 0, (query, proc.stderr)
        assert b"Traceback" not in proc.stderr
        raw = run_cli("search", "--raw", "--", query)
        assert raw.returncode in (0, 1)
        assert b"Traceback" not in raw.stderr
        if raw.returncode == 1:
            assert raw.stderr.decode().startswith("podsum: invalid search query: ")
            assert len(raw.stderr.splitlines()) == 1


def test_export_markdown_for_obsidian(tmp_path: Path, _isolated_library: Path) -> None:
    run_cli("ingest", *map(str, fixture_pages()))
    out = tmp_path / "notes"
    out.mkdir()
    foreign = out / "2025-07-31-china-open-source-compute-arms-race-reordering-global-trade.md"
    foreign.write_text("my own note\n")
    proc = run_cli("export", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert foreign.read_text() == "my own note\n"  # never overwritten
    assert b"kept that file" in proc.stderr
    names = sorted(p.name for p in out.iterdir())
    assert "2025-07-31-china-open-source-compute-arms-race-reordering-global-trade-2.md" in names
    assert "2025-06-18-人工智能如何改变编程.md" in names  # a name in the title's own script
    assert "2025-07-31-bold-red-pwned-not-a-heading.md" in names
    seed = out / "2025-07-31-china-open-source-compute-arms-race-reordering-global-trade-2.md"
    text = seed.read_text()
    front = yaml.safe_load(text.split("\n---\n", 1)[0][4:])
    assert front["tags"] == ["show/bg2-w-bill-gurley-and-brad-gerstner", "podsum/atmes"]
    assert front["date"] == datetime.date(2025, 7, 31)
    assert front["source"].startswith(str(ROOT / "tests" / "fixtures" / "atmes"))
    assert podsum.parse(text).id == front["id"]

    # Exporting again replaces podsum's own files and adds nothing.
    assert run_cli("export", "--out", str(out)).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == names


def test_export_never_writes_outside_out(tmp_path: Path, _isolated_library: Path) -> None:
    evil = SEED.read_text().replace(
        "China Open-Source, Compute Arms Race, Reordering Global Trade", "../../etc/passwd"
    )
    run_cli("ingest", "-", stdin=evil.encode())
    out = tmp_path / "a" / "b"
    assert run_cli("export", "--out", str(out), "--format", "json").returncode == 0
    written = [p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()]
    assert sorted(str(p) for p in written) == ["b/.podsum-export", "b/2025-07-31-etc-passwd.json"]
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("library.db")) == [
        "a"
    ]


def test_export_jsonl_and_filters(tmp_path: Path, _isolated_library: Path) -> None:
    run_cli("ingest", *map(str, fixture_pages()))
    out = tmp_path / "out"
    proc = run_cli("export", "--out", str(out), "--format", "jsonl", "--since", "2025-03-01")
    assert proc.returncode == 0
    records = [json.loads(ln) for ln in (out / "summaries.jsonl").read_text().splitlines()]
    assert records and all(r["published"] >= "2025-03-01" for r in records)
    proc = run_cli("export", "--out", str(out), "--format", "json", "--show", "hard fork")
    assert [p.name for p in sorted(out.glob("*.json"))] == [
        "2025-02-14-the-economics-of-open-source.json"
    ]


def test_two_ingests_at_once(tmp_path: Path, _isolated_library: Path) -> None:
    """300 pages each, overlapping by half: both succeed and 450 remain."""
    a = write_pages(tmp_path / "a", range(0, 300))
    b = write_pages(tmp_path / "b", range(150, 450))
    env = {**os.environ, "PODSUM_LIBRARY": str(_isolated_library)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "podsum", "ingest", "--jobs", "2", str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=ROOT,
        )
        for folder in (a[0].parent, b[0].parent)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert _count(_isolated_library) == 450
    with sqlite3.connect(_isolated_library) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM summaries_fts").fetchone()[0] == 450


def test_killed_ingest_leaves_a_consistent_library(tmp_path: Path, _isolated_library: Path) -> None:
    write_pages(tmp_path / "many", range(15000))
    env = {**os.environ, "PODSUM_LIBRARY": str(_isolated_library)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "podsum", "ingest", "--jobs", "1", str(tmp_path / "many")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 120
    count = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if _isolated_library.exists():
            try:
                count = _count(_isolated_library)
            except sqlite3.Error:
                continue
            if count > 0:
                break
    assert proc.poll() is None, "ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(_isolated_library) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n = conn.execute("SELECT count(*) FROM summaries").fetchone()[0]
        assert 0 < n < 15000
        assert conn.execute("SELECT count(*) FROM summaries_fts").fetchone()[0] == n
        for (sections,) in conn.execute("SELECT sections FROM summaries"):
            assert len(json.loads(sections)[0]["insights"]) == 2
    # and the interrupted batch can simply be run again
    proc2 = run_cli("ingest", "-q", str(tmp_path / "many"), timeout=300)
    assert proc2.returncode == 0
    assert _count(_isolated_library) == 15000


def test_library_errors_are_one_line(tmp_path: Path) -> None:
    not_db = tmp_path / "notes.db"
    not_db.write_text("hello\n" * 1000)
    proc = run_cli("list", "--library", str(not_db))
    assert proc.returncode == 1
    assert proc.stderr.decode() == (
        f"podsum: {not_db}: not a podsum library (not an SQLite database, or corrupt)\n"
    )
    assert not_db.read_text() == "hello\n" * 1000


def test_page_generator_makes_distinct_pages() -> None:
    assert len({podsum.parse(page(i)).id for i in range(50)}) == 50


def test_progress_bar_only_on_a_terminal(tmp_path: Path, _isolated_library: Path) -> None:
    folder = tmp_path / "pages"
    write_pages(folder, range(30))
    piped = run_cli("ingest", str(folder))
    assert piped.returncode == 0
    assert piped.stderr == b""  # no bar when stderr is not a terminal
    assert piped.stdout.decode() == "30 new, 0 updated, 0 unchanged, 0 failed\n"
    (folder / "notes.txt").write_text("Just a note.\n")
    import pty

    pid, fd = pty.fork()
    if pid == 0:
        os.environ["PODSUM_LIBRARY"] = str(_isolated_library)
        os.execv(
            sys.executable, [sys.executable, "-m", "podsum", "ingest", str(folder)]
        )
    out = b""
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
    os.waitpid(pid, 0)
    assert b"ingesting" in out  # the bar's label, drawn on the terminal
    assert b"0 updated, 30 unchanged" in out
    assert b"podsum: " in out and b"notes.txt: not a summary page (" in out  # above the bar
