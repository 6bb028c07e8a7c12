"""Ingest in bounded memory: the workers run a bounded window ahead of the writer, and a
big JSON Lines file is read in pieces that together give exactly what reading it whole
gives (records, order, and the one error line naming the lines that failed)."""

from __future__ import annotations

import codecs
import json
import multiprocessing
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pages import page, write_pages

import podsum
from conftest import run_cli
from podsum.ingest import Parsed, parse_many
from podsum.pieces import plan
from podsum.window import bounded_map


def _mark(task: tuple[str, int]) -> int:
    """A task of the window test: leaves a file saying it started, in a worker."""
    folder, n = task
    Path(folder, f"{n:04d}").touch()
    return n


def _marks(folder: Path, want: int) -> int:
    """How many tasks have started, once ``want`` have (or 30 s went by: then the
    count is short, and the test says so)."""
    end = time.monotonic() + 30
    while len(os.listdir(folder)) < want and time.monotonic() < end:
        time.sleep(0.01)
    return len(os.listdir(folder))


@pytest.fixture
def pool() -> Iterator[multiprocessing.pool.Pool]:
    with multiprocessing.get_context("fork").Pool(3) as p:
        yield p


@pytest.mark.parametrize(
    ("max_tasks", "max_weight", "min_tasks", "weight", "window"),
    [
        (4, 10**9, 1, 1, 4),  # four tasks at most
        (1, 10**9, 1, 1, 1),  # strictly one at a time
        (10, 5, 1, 2, 3),  # weight: 2 + 2 is under 5, so a third goes; then no more
        (10, 5, 2, 8, 2),  # each over the weight alone: still two, to keep workers busy
    ],
)
def test_the_window_bounds_the_tasks_run_ahead(
    pool: multiprocessing.pool.Pool,
    tmp_path: Path,
    max_tasks: int,
    max_weight: int,
    min_tasks: int,
    weight: int,
    window: int,
) -> None:
    """While the consumer holds result k, exactly the k - 1 before it and the ``window``
    that follow have started: the workers wait instead of running on ahead."""
    total = 40
    results = bounded_map(
        pool,
        _mark,
        ((str(tmp_path), n) for n in range(total)),
        weight=lambda task: weight,
        max_tasks=max_tasks,
        max_weight=max_weight,
        min_tasks=min_tasks,
    )
    taken = []
    for n in results:
        taken.append(n)
        started = min(total, len(taken) - 1 + window)
        assert _marks(tmp_path, started) == started, (len(taken), window)
    assert taken == list(range(total))


def _results(specs: list[str], **kw: int) -> list[tuple[str, list[str], str | None]]:
    out: list[Parsed] = list(parse_many(specs, max_bytes=10**9, timeout=5, **kw))  # type: ignore[arg-type]
    return [(p.spec, [r.id for r in p.rows], p.error) for p in out]


def test_a_small_window_changes_nothing_but_memory(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    write_pages(folder, range(120))
    (folder / "note.txt").write_text("Just a note to self.\n")
    (folder / "sub").mkdir()
    write_pages(folder / "sub", range(200, 260))
    serial = _results([str(folder)], jobs=1)
    tight = _results([str(folder)], jobs=2, ahead_batches=1, batch_files=1, ahead_bytes=1)
    roomy = _results([str(folder)], jobs=2)
    assert tight == serial == roomy
    assert len(serial) == 181 and sum(len(ids) for _, ids, _ in serial) == 180


# --- JSON Lines in pieces ----------------------------------------------------------------


def _record_line(n: int) -> str:
    return json.dumps(podsum.parse(page(n)).to_dict(), ensure_ascii=False)


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return [_record_line(n) for n in range(400)]


def _whole_and_pieces(path: Path, piece_bytes: int) -> tuple[list[object], list[object]]:
    """What ingest gets from the file read whole, and read in pieces (one process and
    two), checked to be the same; and the pieces were really used."""
    whole = _results([str(path)], jobs=1, piece_bytes=0)
    pieces = plan(str(path), path.stat().st_size, piece_bytes)
    assert pieces is not None and len(pieces) > 3
    assert [p.start for p in pieces[1:]] == [p.end for p in pieces[:-1]]
    one = _results([str(path)], jobs=1, piece_bytes=piece_bytes)
    two = _results([str(path)], jobs=2, piece_bytes=piece_bytes)
    assert len(one) == len(pieces)  # one result a piece; the file's error with the last
    assert all(error is None for _, _, error in one[:-1])
    assert [(str(path), [i for _, ids, _ in one for i in ids], one[-1][2])] == whole
    assert one == two
    return whole, one


def test_json_lines_in_pieces_give_what_the_whole_file_gives(
    tmp_path: Path, lines: list[str]
) -> None:
    broken = list(lines)
    broken[5] = '{"bad json'
    broken[150] = '{"schema_version": 2, "title": 5}'
    for n in range(200, 215):  # more failures than the message names
        broken[n] = "not json"
    broken[399] = "[1, 2"  # the very last line
    broken.insert(300, "")  # a blank line counts in the numbering
    path = tmp_path / "dump.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(broken).encode() + b"\r\n\n")
    whole, _ = _whole_and_pieces(path, 20_000)
    (_, ids, error) = whole[0]  # type: ignore[misc]
    assert len(ids) == 400 - 18
    assert error is not None and error.startswith("line 6: Invalid control character")
    assert "(and 17 more: lines 151, 201, 202," in error and error.endswith(", ...)")


def test_json_lines_that_all_read_give_no_error(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(lines))  # no newline at the end
    whole, _ = _whole_and_pieces(path, 30_000)
    assert whole == [(str(path), [podsum.parse(page(n)).id for n in range(400)], None)]


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda ls: "[" + ",\n".join(ls) + "]", id="a JSON array"),
        pytest.param(lambda ls: json.dumps([json.loads(x) for x in ls], indent=1), id="pretty"),
        pytest.param(lambda ls: "\n\n".join(["", *ls]), id="blank first line"),
        pytest.param(lambda ls: "\n".join(['{"a": 1}', *ls]), id="first line not a record"),
        pytest.param(lambda ls: ls[0] + "\n \t\r\n" * 40_000, id="one record and blanks"),
        pytest.param(lambda ls: "\n".join(ls[:15]), id="too small to split"),
    ],
)
def test_what_is_not_plain_json_lines_is_read_whole(
    tmp_path: Path, lines: list[str], make: object
) -> None:
    path = tmp_path / "file.json"
    path.write_text(make(lines))  # type: ignore[operator]
    assert plan(str(path), path.stat().st_size, 20_000) is None


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(b"caf\xe9", id="not UTF-8"),
        pytest.param(b"a\x00b", id="a NUL byte"),
        pytest.param(b"\xf0\x9f\x98", id="a cut character"),
    ],
)
def test_a_file_that_is_not_clean_utf8_is_read_whole(
    tmp_path: Path, lines: list[str], damage: bytes
) -> None:
    data = "\n".join(lines).encode()
    at = len(data) * 3 // 4
    path = tmp_path / "dump.jsonl"
    path.write_bytes(data[:at] + damage + data[at:])
    assert plan(str(path), path.stat().st_size, 20_000) is None


def test_ingest_of_a_big_json_lines_file(tmp_path: Path, lines: list[str]) -> None:
    """The command line, with the real piece size: the same lines and counts as
    `parse` reports for the file."""
    many = [lines[n % len(lines)].replace('"Episode', f'"Take {n}: Episode') for n in range(2500)]
    many[7] = "{oops"
    many[2400] = "{oops"
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(many) + "\n")
    assert path.stat().st_size > 2 * 2**20
    assert plan(str(path), path.stat().st_size) is not None
    size = str(path.stat().st_size)
    parsed = run_cli("parse", "--max-bytes", size, str(path), timeout=120)
    proc = run_cli("ingest", "--max-bytes", size, str(path), timeout=120)
    assert proc.returncode == parsed.returncode == 1
    assert proc.stderr == parsed.stderr
    assert proc.stderr.decode().startswith(f"podsum: {path}: line 8: ")
    assert proc.stdout.decode() == "2498 new, 0 updated, 0 unchanged, 1 failed\n"
