"""A library written by an older podsum opens in this one: upgraded in one transaction
after a copy is made, copies of one summary merged, every old id still working, and
notes exported before still found. A newer library is refused untouched.

The old library is tests/fixtures/library/library-v1.db, a real file written by podsum
before library version 2 (its README says how); every test works on a copy."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import podsum
from conftest import FIXTURES, ROOT, run_cli
from podsum.cli import app
from podsum.db import LIBRARY_VERSION, Library, LibraryError

OLD = FIXTURES / "library"
PAGES = OLD / "pages"
runner = CliRunner()
IS_ROOT = os.geteuid() == 0


def _id(path: Path) -> str:
    return podsum.parse(path.read_bytes()).id


SAMPLE = _id(PAGES / "sample.txt")
EPISODE = _id(FIXTURES / "ulisten" / "main-page.txt")
# The ids podsum gave the fixture's pages before: (old id, page).
OLD_IDS = {
    "e891a38c56b53d67": PAGES / "sample.txt",
    "43f0be7d8288bf0c": PAGES / "sample-no-meta.txt",
    "092d781c51d1729e": PAGES / "sample-more-views.txt",
    "ea0c2bfe7681e503": FIXTURES / "ulisten" / "main-page.txt",
    "a020c74dc8a1607b": FIXTURES / "ulisten" / "chapters-page.txt",
    "98ebcef66613cb47": FIXTURES / "ulisten" / "faq-glued.txt",
    "03ceeaa213924e6b": FIXTURES / "longcut" / "html-page.html",
    "86aef004d8dbcb23": FIXTURES / "atmes" / "cjk-zwj-emoji.txt",
    "e1b3600f030f2a12": FIXTURES / "better" / "basic-teaser-footer.txt",
    "d7ccb8ec820add24": FIXTURES / "generic" / "all-caps-bullets-quotes.txt",
}


def _old_library(tmp_path: Path) -> Path:
    lib = tmp_path / "library.db"
    shutil.copyfile(OLD / "library-v1.db", lib)
    return lib


def _cli(lib: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--library", str(lib)])
    return result.exit_code, result.stdout, result.stderr


def _state(path: Path) -> tuple[str, int, list[str]]:
    siblings = sorted(p.name for p in path.parent.iterdir())
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns, siblings


def _rows(path: Path) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT * FROM summaries ORDER BY rowid").fetchall()


def test_the_old_library_is_what_its_readme_says() -> None:
    """The fixture really is version 1, with the ids podsum gave these pages then."""
    with contextlib.closing(sqlite3.connect(OLD / "library-v1.db")) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        rows = conn.execute("SELECT id, location FROM summaries").fetchall()
    assert {i: Path(loc).name for i, loc in rows} == {i: p.name for i, p in OLD_IDS.items()}


def test_an_old_library_is_upgraded_once_after_a_backup(tmp_path: Path) -> None:
    lib = _old_library(tmp_path)
    proc = run_cli("list", "--format", "json", "--limit", "0", "--library", str(lib))
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 0, err
    backup = Path(f"{lib}.bak-1")
    assert err == (
        f"podsum: {lib}: upgraded to library version {LIBRARY_VERSION};"
        f" the old file is kept as {backup}\n"
    )
    # The copy is the old library as it was, still readable by the podsum that made it.
    assert _rows(backup) == _rows(OLD / "library-v1.db")
    with contextlib.closing(sqlite3.connect(backup)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    listed = json.loads(out)
    assert len(listed) == 6  # three copies of the sample and three pages of one episode
    assert {i["id"] for i in listed} == {_id(p) for p in OLD_IDS.values()}

    proc = run_cli("list", "--format", "json", "--library", str(lib))
    assert (proc.returncode, proc.stderr) == (0, b"")  # upgraded once
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.db", "library.db.bak-1"]
    with Library(lib) as opened:
        opened.conn.execute("INSERT INTO summaries_fts (summaries_fts) VALUES ('integrity-check')")
        assert opened.integrity_ok()
        assert [h["title"] for h in opened.search("glacier")] == ["How Glaciers Carve Valleys"]
        assert opened.search("编程")  # and the CJK index built


def test_copies_are_merged_and_the_most_recent_wins(tmp_path: Path) -> None:
    lib = _old_library(tmp_path)
    with Library(lib) as opened:
        sample = opened.get(SAMPLE)
        episode = opened.get(EPISODE)
        dates = opened.conn.execute(
            "SELECT ingested_at, updated_at FROM summaries WHERE id = ?", (SAMPLE,)
        ).fetchone()
    more_views = podsum.parse((PAGES / "sample-more-views.txt").read_bytes())
    assert sample.views == 61200  # the copy ingested last
    assert [r.age for r in sample.related] == [r.age for r in more_views.related]
    assert sample.source.location and sample.source.location.endswith("sample-more-views.txt")
    assert dates[0] < dates[1]  # first ingested with the first copy, updated by the last
    main, chapters, faq = (
        podsum.parse((FIXTURES / "ulisten" / f"{n}.txt").read_bytes())
        for n in ("main-page", "chapters-page", "faq-glued")
    )
    assert [s.title for s in episode.sections] == [s.title for s in main.sections + faq.sections]
    assert [c.title for c in episode.chapters] == [c.title for c in chapters.chapters]


def test_every_old_id_still_names_its_summary(tmp_path: Path) -> None:
    lib = _old_library(tmp_path)
    for old, page in OLD_IDS.items():
        code, out, err = _cli(lib, "show", old, "--format", "json")
        assert code == 0, err
        assert json.loads(out)["id"] == _id(page)
        code, out, _ = _cli(lib, "show", old[:6], "--format", "json")
        assert json.loads(out)["id"] == _id(page)
    code, out, err = _cli(lib, "rm", "43f0be7d")  # an old id of the sample
    assert (code, out, err) == (0, f"removed {SAMPLE}\n", "")
    code, _, err = _cli(lib, "show", "e891a38c56b53d67")
    assert code == 1 and "no summary with id 'e891a38c56b53d67'" in err


def _export(lib: Path, out: Path) -> tuple[int, str, str]:
    return _cli(lib, "export", "--out", str(out))


def _notes(out: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(out.glob("*.md"))}


def _front_id(text: str) -> str:
    return next(ln[4:] for ln in text.splitlines() if ln.startswith("id: "))


def test_notes_exported_before_are_updated_in_place(tmp_path: Path) -> None:
    lib = _old_library(tmp_path)
    out = tmp_path / "notes"
    shutil.copytree(OLD / "notes-v1", out)
    before = _notes(out)
    code, stdout, err = _export(lib, out)
    assert code == 0, err
    assert stdout == f"exported 6 to {out}\n"
    after = _notes(out)
    assert sorted(after) == sorted(before)  # not one note more
    # The note of each summary is the one of its most recently ingested copy.
    sample_note = "2025-07-31-china-open-source-compute-arms-race-reordering-global-trade.md"
    assert _front_id(after[sample_note]) == SAMPLE
    assert "views: 61200" in after[sample_note]
    assert _front_id(after["undated-the-forgotten-maps-of-the-hudson-valley.md"]) == EPISODE
    assert _front_id(after["2025-06-18-86aef004d8dbcb23.md"]) == _id(OLD_IDS["86aef004d8dbcb23"])
    changed = {n for n in after if after[n] != before[n]}
    assert len(changed) == 6
    record = json.loads((out / ".podsum-export").read_text())
    assert set(record["formats"]["md"]) == {_id(p) for p in OLD_IDS.values()}
    # and again: nothing to do
    assert _export(lib, out)[1:] == (f"exported 6 to {out}\n", "")
    assert _notes(out) == after


def test_notes_without_the_record_are_found_by_their_old_ids(tmp_path: Path) -> None:
    lib = _old_library(tmp_path)
    out = tmp_path / "notes"
    shutil.copytree(OLD / "notes-v1", out)
    (out / ".podsum-export").unlink()
    before = _notes(out)
    code, stdout, err = _export(lib, out)
    assert code == 0, err
    # Without the record podsum cannot tell its notes from edited ones, so each is kept
    # where it is; none is written a second time under a new name.
    assert stdout == f"exported 0 to {out}, kept 6 you edited\n"
    assert _notes(out) == before


def test_a_library_from_a_newer_podsum_is_refused_untouched(tmp_path: Path) -> None:
    lib = _old_library(tmp_path)
    with Library(lib):
        pass
    with contextlib.closing(sqlite3.connect(lib)) as conn:
        conn.execute(f"PRAGMA user_version = {LIBRARY_VERSION + 1}")
        conn.commit()
    before = _state(lib)
    line = (
        f"podsum: {lib}: made by a newer podsum (library version {LIBRARY_VERSION + 1};"
        f" this podsum knows {LIBRARY_VERSION}); left as it is\n"
    )
    for args in (["list"], ["search", "maps"], ["show", SAMPLE], ["rm", SAMPLE], ["ingest", "-"]):
        result = runner.invoke(app, [*args, "--library", str(lib)], input=b"")
        assert (result.exit_code, result.stderr) == (1, line), args
        assert _state(lib) == before  # same bytes, same time, nothing beside it


def test_a_failed_upgrade_changes_nothing(tmp_path: Path) -> None:
    lib = _old_library(tmp_path)
    with contextlib.closing(sqlite3.connect(lib)) as conn:
        conn.execute("UPDATE summaries SET record = '{\"oops\"' WHERE id = 'e1b3600f030f2a12'")
        conn.commit()
    before = _state(lib)
    proc = run_cli("list", "--library", str(lib))
    err = proc.stderr.decode()
    assert proc.returncode == 1
    assert err.startswith(
        f"podsum: {lib}: cannot upgrade: the record of summary e1b3600f030f2a12 does not read ("
    )
    assert err.endswith("); nothing was changed\n") and err.count("\n") == 1
    assert _state(lib) == before  # not a byte written, no backup left beside it


@pytest.fixture
def frozen_old_library(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "shelf"
    folder.mkdir()
    lib = _old_library(folder)
    if IS_ROOT:
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
            pytest.skip("root ignores chmod and chattr +i is not supported on this filesystem")
    else:
        folder.chmod(0o555)
    try:
        yield lib
    finally:
        if IS_ROOT:
            subprocess.run(["chattr", "-i", str(folder)], check=False)
        folder.chmod(0o755)


def test_an_old_library_that_cannot_be_written_says_so(frozen_old_library: Path) -> None:
    lib = frozen_old_library
    before = _state(lib)
    for args in (["list"], ["show", "e891a38c"]):
        code, out, err = _cli(lib, *args)
        assert (code, out) == (1, "")
        assert err == (
            f"podsum: {lib}: read-only, and needs an upgrade to library version"
            f" {LIBRARY_VERSION}; make it writable once\n"
        )
    assert _state(lib) == before


def test_two_processes_opening_an_old_library_upgrade_it_once(tmp_path: Path) -> None:
    lib = _old_library(tmp_path)
    env = {**os.environ, "PODSUM_LIBRARY": str(lib)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "podsum", "list", "--format", "jsonl", "--limit", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert [len(o.splitlines()) for o, _ in outs] == [6, 6]
    assert sum(e.count(b"upgraded to library version") for _, e in outs) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.db", "library.db.bak-1"]


def test_the_api_upgrades_too(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    lib = _old_library(tmp_path)
    with Library(lib) as opened:
        assert opened.count() == 6
    assert "upgraded to library version" in capfd.readouterr().err
    with pytest.raises(LibraryError, match="no summary"):
        Library(lib).get("0123456789abcdef")
    assert run_cli("show", "092d781c", "--format", "json", "--library", str(lib)).returncode == 0
