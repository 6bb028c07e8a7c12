"""Export streams: summaries come from the library one at a time, the record of what was
written lives on disk, and the files and record are exactly what they were when all of
it was held in memory."""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import random
import signal
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from pages import page

import podsum
from conftest import run_cli
from podsum.db import Library, prepare
from podsum.export import EXTENSIONS, Exporter, file_stem, render_for_export
from podsum.ledger import Ledger
from podsum.model import Summary

MANIFEST = ".podsum-export"


def _library(path: Path, numbers: range) -> Library:
    lib = Library(path)
    rows = [prepare(podsum.parse(page(n))) for n in numbers]
    # Two summaries with one title and date (two shows): the second gets a -2 name.
    twin = podsum.parse(page(1).replace("explains why", "shows why"))
    twin.show = f"{twin.show} Extra"
    rows.append(prepare(twin))
    lib.add_rows(rows)
    return lib


def _expected(lib: Library, fmt: str) -> tuple[dict[str, str], str]:
    """The files an export of ``lib`` into an empty folder writes, and its record, as the
    export that held everything in memory made them: names in library order, a -2 for a
    name taken, the record as one json.dumps."""
    files: dict[str, str] = {}
    entries: dict[str, dict[str, str]] = {}
    for s in lib.summaries():
        stem, n = file_stem(s, s.id), 1
        while (name := f"{stem}{'' if n == 1 else f'-{n}'}{EXTENSIONS[fmt]}") in files:
            n += 1
        files[name] = render_for_export(s, fmt)
        sha = hashlib.sha256(files[name].encode()).hexdigest()
        entries[s.id] = {"path": name, "sha256": sha}
    record = {"podsum_export": 1, "formats": {fmt: entries}}
    return files, json.dumps(record, indent=1, sort_keys=True) + "\n"


def _written(out: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in out.iterdir() if p.name != MANIFEST}


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_an_export_writes_the_same_files_and_record_as_before(tmp_path: Path, fmt: str) -> None:
    lib = _library(tmp_path / "library.db", range(150))
    files, record = _expected(lib, fmt)
    assert len(files) == 151 and any(name.endswith(f"-2{EXTENSIONS[fmt]}") for name in files)
    out = tmp_path / "out"
    args = ("export", "--library", str(lib.path), "--out", str(out), "--format", fmt)
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == f"exported 151 to {out}\n"
    assert _written(out) == files
    assert (out / MANIFEST).read_text() == record
    # Again: every file is found through the record, nothing moves, the record stays.
    assert run_cli(*args).stdout.decode() == f"exported 151 to {out}\n"
    assert _written(out) == files
    assert (out / MANIFEST).read_text() == record


def test_json_lines_export_round_trips(tmp_path: Path) -> None:
    lib = _library(tmp_path / "library.db", range(300))
    out = tmp_path / "out"
    proc = run_cli("export", "--library", str(lib.path), "--out", str(out), "--format", "jsonl")
    assert proc.stdout.decode() == f"exported 301 to {out}\n"
    dump = out / "summaries.jsonl"
    records = [json.loads(line) for line in dump.read_text().splitlines()]
    assert records == [s.to_dict() for s in lib.summaries()]
    again = tmp_path / "again.db"
    proc = run_cli("ingest", "--library", str(again), str(dump))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == "301 new, 0 updated, 0 unchanged, 0 failed\n"
    with Library(again) as copy:
        # (sorted: summaries of one date come newest-ingested first, and the export
        # wrote them in that order)
        by_id = sorted((s.to_dict() for s in lib.summaries()), key=lambda r: r["id"])
        assert sorted((s.to_dict() for s in copy.summaries()), key=lambda r: r["id"]) == by_id


def _peak(fn: object) -> int:
    """The most memory Python held while ``fn`` ran, beyond what it held before."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        fn()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def _held(summaries: Iterator[Summary], most: list[int]) -> Iterator[Summary]:
    """The summaries, noting in ``most`` the most memory Python holds between two, every
    200. Not counted: what pathlib interns (file names, in a table of the interpreter's
    own that grows, or is rebuilt, with every name any code interned before)."""
    skip = [tracemalloc.Filter(False, pathlib.__file__)]

    def note() -> None:
        held = tracemalloc.take_snapshot().filter_traces(skip).statistics("filename")
        most[0] = max(most[0], sum(stat.size for stat in held))

    for n, s in enumerate(summaries):
        if n % 200 == 0:
            note()
        yield s
    note()


def test_export_memory_does_not_grow_with_the_library(tmp_path: Path) -> None:
    """Five times the summaries, in every format: not a megabyte more memory held
    (holding their records alone would take three)."""
    small = _library(tmp_path / "small.db", range(600))
    large = _library(tmp_path / "large.db", range(3000))
    for fmt in ("md", "json", "jsonl"):
        held = []
        for i, lib in enumerate((small, small, large)):  # the first loads the renderers
            out = tmp_path / f"out-{fmt}-{i}"
            out.mkdir()
            most = [0]
            tracemalloc.start()
            exporter = Exporter(out, fmt)
            try:
                summaries = _held(lib.summaries(), most)
                if fmt == "jsonl":
                    exporter.export_jsonl(summaries)
                else:
                    for s in summaries:
                        exporter.export(s)
            finally:
                exporter.close()
                tracemalloc.stop()
            held.append(most[0])
        assert held[2] < held[1] + 1_000_000, (fmt, held)


def test_summaries_come_from_the_cursor(tmp_path: Path) -> None:
    """The first summary arrives without the rest being read into memory."""
    lib = _library(tmp_path / "library.db", range(3000))
    first: list[object] = []
    assert _peak(lambda: first.append(next(lib.summaries()))) < 1_000_000  # all: 3 MB
    assert first


# --- the record on disk ---------------------------------------------------------------------


def _random_entries(rng: random.Random) -> dict[str, dict[str, dict[str, str]]]:
    alphabet = 'abc"\\é\u2028\U0001f600 -/'  # the path's own has no "/" (normalised)
    formats: dict[str, dict[str, dict[str, str]]] = {}
    for fmt in rng.sample(["md", "json", "jsonl", "zz", 'a"b'], rng.randrange(0, 4)):
        formats[fmt] = {
            "".join(rng.choices(alphabet, k=rng.randrange(1, 8))): {
                "path": "p/" + "".join(rng.choices(alphabet[:-2], k=rng.randrange(1, 12))),
                "sha256": "".join(rng.choices("0123456789abcdef", k=64)),
            }
            for _ in range(rng.randrange(1, 6))
        }
    return formats


def test_the_record_is_written_as_json_dumps_and_read_back(tmp_path: Path) -> None:
    rng = random.Random(7)
    for _ in range(200):
        formats = _random_entries(rng)
        ledger = Ledger()
        for fmt, entries in formats.items():
            for key, e in entries.items():
                ledger.put(fmt, key, e["path"], e["sha256"])
        text = "".join(ledger.dump())
        ledger.close()
        assert (
            text
            == json.dumps({"podsum_export": 1, "formats": formats}, indent=1, sort_keys=True) + "\n"
        )
        for layout in (text, json.dumps({"formats": formats, "podsum_export": 1})):
            path = tmp_path / MANIFEST
            path.write_text(layout)
            again = Ledger()
            again.load(path)
            assert "".join(again.dump()) == text
            again.close()


def test_a_record_edited_by_hand_is_still_read(tmp_path: Path) -> None:
    sha = "ab" * 32
    edited = {
        "podsum_export": 1,
        "note": "mine",
        "formats": {
            "md": {
                "0123456789abcdef": {"path": "a.md", "sha256": sha, "extra": 1},
                "1123456789abcdef": {"path": "../outside.md", "sha256": sha},
                "2123456789abcdef": {"path": "b.md", "sha256": "short"},
                "3123456789abcdef": "not an entry",
            },
            "json": [],
        },
    }
    path = tmp_path / MANIFEST
    path.write_text(json.dumps(edited, indent=1))
    ledger = Ledger()
    ledger.load(path)
    assert list(ledger.entries()) == [("md", "0123456789abcdef", "a.md", sha)]
    ledger.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_ends_an_export_and_its_rendering_processes(tmp_path: Path) -> None:
    """Ctrl-C while rendering processes work: exit 130 with one line, no process left,
    and the record names the files written, as written."""
    from test_ingest_robust import _children, _group, _read, _spawn_on_pty, _wait_exit

    lib = _library(tmp_path / "library.db", range(3000))
    lib.close()
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "podsum", "export", "--library", str(lib.path), "--out", str(out)]
    pid, fd = _spawn_on_pty(argv, lib.path)
    text, code = b"", None
    try:
        end = time.monotonic() + 60
        while (len(_children(pid)) < 2 or len(list(out.glob("*.md"))) < 200) and (
            time.monotonic() < end
        ):
            text += _read(fd, 0.02) or b""
        assert len(_children(pid)) == 2, text
        os.write(fd, b"\x03")
        while data := _read(fd, 10):
            text += data
        code = _wait_exit(pid, 10)
    finally:
        if code is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    assert code == 130, text
    assert text.replace(b"^C", b"").strip() == b"podsum: interrupted"
    assert _group(pid) == []
    record = json.loads((out / MANIFEST).read_text())["formats"]["md"]
    notes = {p.name for p in out.glob("*.md")}
    assert 200 <= len(record) < 3001
    recorded = {e["path"] for e in record.values()}
    # (Ctrl-C between a file's rename and its entry leaves it out; the next export
    # finds it by its front matter.)
    assert recorded <= notes and len(notes - recorded) <= 1
    for e in record.values():
        assert hashlib.sha256((out / e["path"]).read_bytes()).hexdigest() == e["sha256"]
