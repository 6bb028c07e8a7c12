"""Records read from JSON and JSON Lines are held to the parser's rules: numbers a JSON
reader or SQLite would mangle become null with a warning, every string is cleaned
(source and warnings too), a broken line costs only that line, and a document Python's
json module refuses says why."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import podsum
from conftest import ATMES, SEED, run_cli, valid
from podsum.api import PartialParseError
from podsum.db import Library
from podsum.model import MAX_COUNT, ParseWarning, Summary, checked_count, enforce_limits

BASE: dict[str, Any] = podsum.parse(SEED.read_bytes()).to_dict()


def record(**changes: Any) -> dict[str, Any]:
    d = json.loads(json.dumps(BASE))
    d.update(changes)
    return d


def one(text: str) -> Summary:
    (s,) = podsum.parse_all(text)
    valid(s.to_dict())
    return s


def codes(s: Summary) -> list[str]:
    return [w.code for w in s.warnings]


# --- numbers --------------------------------------------------------------------


def _section(declared: int = 1, seconds: int = 5) -> list[dict[str, Any]]:
    stamp = {"at": "00:05", "seconds": seconds}
    insight = {"title": None, "text": "t", "speaker": None, "timestamps": [stamp]}
    return [{"emoji": None, "title": "S", "declared_insights": declared, "insights": [insight]}]


def _chapter(start: int) -> list[dict[str, Any]]:
    return [{"title": "C", "start": "0:00", "start_seconds": start, "points": []}]


def _related(points: int) -> list[dict[str, Any]]:
    return [{"title": "R", "points": points, "duration_seconds": 60}]


BIG = 2**64


@pytest.mark.parametrize(
    ("changes", "path", "code"),
    [
        ({"views": BIG}, ("views",), "invalid-views"),
        ({"views": 2**63}, ("views",), "invalid-views"),
        ({"views": MAX_COUNT + 1}, ("views",), "invalid-views"),
        ({"views": -1}, ("views",), "invalid-views"),
        ({"views": int("9" * 4300)}, ("views",), "invalid-views"),
        ({"duration_seconds": -30}, ("duration_seconds",), "invalid-duration"),
        (
            {"sections": _section(declared=BIG)},
            ("sections", 0, "declared_insights"),
            "invalid-number",
        ),
        (
            {"sections": _section(seconds=-1)},
            ("sections", 0, "insights", 0, "timestamps", 0, "seconds"),
            "invalid-number",
        ),
        ({"chapters": _chapter(2**90)}, ("chapters", 0, "start_seconds"), "invalid-number"),
        ({"related": _related(-7)}, ("related", 0, "points"), "invalid-number"),
        (
            {"warnings": [{"code": "x", "message": "m", "line": 0}]},
            ("warnings", 0, "line"),
            "invalid-number",
        ),
    ],
)
def test_numbers_out_of_range_become_null_with_a_warning(
    changes: dict[str, Any], path: tuple[str | int, ...], code: str
) -> None:
    s = one(json.dumps(record(**changes)))
    value: Any = s.to_dict()
    for key in path:
        value = value[key]
    assert value is None
    (w,) = [w for w in s.warnings if w.code == code]
    dotted = ".".join(f"[{k}]" if isinstance(k, int) else k for k in path).replace(".[", "[")
    assert w.message.startswith(dotted + " ")
    assert len(w.message) < 120  # a 4,300-digit number is not printed


def test_counts_in_range_are_kept() -> None:
    s = one(json.dumps(record(views=MAX_COUNT, duration_seconds=0)))
    assert (s.views, s.duration_seconds) == (MAX_COUNT, 0)
    assert not {"invalid-views", "invalid-duration", "invalid-number"} & set(codes(s))


def test_checked_count_is_the_rule_other_readers_share() -> None:
    warnings: list[ParseWarning] = []
    assert checked_count(7, "views", warnings) == 7
    assert checked_count(None, "views", warnings) is None
    assert warnings == []
    assert checked_count(2**53 + 1, "front matter views", warnings) is None
    assert checked_count(0, "warnings[2].line", warnings, minimum=1) is None
    assert [w.code for w in warnings] == ["invalid-views", "invalid-number"]


def test_a_fixed_record_reads_back_the_same() -> None:
    first = one(json.dumps(record(views=BIG)))
    again = one(json.dumps(first.to_dict()))
    assert again.to_dict() == first.to_dict()


# --- strings and shapes ------------------------------------------------------------


def test_lone_surrogates_are_removed_from_source_and_warnings_too(tmp_path: Path) -> None:
    d = record(
        warnings=[{"code": "odd\udfff", "message": "m\ud800\x1b[31m", "line": 3}],
        source={
            "kind": "text",
            "location": "page\ud800.txt\u202e",
            "sha256": "ab\udc80",
            "encoding": "utf-8\x07",
        },
        title="Title \ud83d",
    )
    text = json.dumps(d)  # ASCII JSON with \\ud800 escapes, as another program writes it
    assert "\\ud800" in text
    s = one(text)
    out = json.dumps(s.to_dict(), ensure_ascii=False)
    out.encode("utf-8")  # no lone surrogate left anywhere
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert s.source.location == "page.txt"
    assert s.warnings[0].code == "odd"
    assert s.warnings[0].message == "m"
    assert codes(s).count("control-chars-removed") == 1
    with Library(tmp_path / "lib.db") as lib:
        assert lib.add([s]).new == 1
        assert lib.get(s.id).source.location == "page.txt"


def test_control_characters_only_in_source_are_still_reported() -> None:
    d = record(source={**BASE["source"], "location": "a\x1b]52;c;eA==\x07b"})
    s = one(json.dumps(d))
    assert s.source.location == "ab"
    assert codes(s).count("control-chars-removed") == 1


def test_impossible_values_become_null_or_the_default_with_a_warning() -> None:
    people = [{"name": "Ann", "role": "villain", "about": None}]
    warnings = [{"code": "Not A Code", "message": "m", "line": None}]
    source = {**BASE["source"], "kind": "carrier-pigeon"}
    d = record(published="2025-02-30", layout="Not A Layout", people=people, warnings=warnings)
    d["source"] = source
    s = one(json.dumps(d))
    assert s.published is None and "invalid-date" in codes(s)
    assert s.layout == "generic" and "invalid-layout" in codes(s)
    assert s.people[0].role is None and "invalid-role" in codes(s)
    assert s.source.kind == "json" and "invalid-source" in codes(s)
    assert (s.warnings[0].code, s.warnings[0].message) == ("unknown", "Not A Code: m")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source": {"kind": ["text"]}}, "source.kind must be a string"),
        ({"source": {"sha256": {"a": 1}}}, "source.sha256 must be a string"),
        ({"source": {"encoding": 8}}, "source.encoding must be a string"),
        ({"views": 1.5}, "views must be an integer or null"),
        ({"schema_version": "x" * 10_000}, "unsupported schema_version"),
    ],
)
def test_wrong_types_name_the_field(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(podsum.ParseError) as info:
        podsum.parse_all(json.dumps(record(**changes)))
    assert message in str(info.value)
    assert len(str(info.value)) < 200


def test_ingest_keeps_every_good_record_and_reports_the_bad_file_in_one_line(
    tmp_path: Path, _isolated_library: Path
) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    for i in range(300):
        (folder / f"{i:03}.json").write_text(json.dumps(record(title=f"Episode {i}")))
    (folder / "big-views.json").write_text(json.dumps(record(title="Big", views=BIG)))
    surrogate = record(title="Odd", warnings=[{"code": "x", "message": "\ud800", "line": 1}])
    (folder / "surrogate.json").write_text(json.dumps(surrogate))
    (folder / "zz-broken.json").write_text(json.dumps(record(title="Cut"))[:500])
    proc = run_cli("ingest", str(folder), timeout=120)
    err = proc.stderr.decode().splitlines()
    assert err == [f"podsum: {folder / 'zz-broken.json'}: " + err[0].split(": ", 2)[2]]
    assert "not valid JSON" in err[0]
    assert "Traceback" not in proc.stderr.decode()
    assert proc.returncode == 1
    assert proc.stdout.decode().strip() == "302 new, 0 updated, 0 unchanged, 1 failed"
    with sqlite3.connect(_isolated_library) as conn:
        assert conn.execute("SELECT count(*) FROM summaries").fetchone() == (302,)
        (views,) = conn.execute("SELECT views FROM summaries WHERE title = 'Big'").fetchone()
    assert views is None


# --- JSON Lines ---------------------------------------------------------------------


def _jsonl(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_corrupt_line_costs_only_that_line(tmp_path: Path) -> None:
    good = [json.dumps(record(title=t)) for t in ("One", "Two", "Three")]
    path = _jsonl(tmp_path, good[0], '{"schema_version": 2, "title": "Cut', good[1], "", good[2])
    proc = run_cli("parse", str(path))
    assert [r["title"] for r in json.loads(proc.stdout)] == ["One", "Two", "Three"]
    assert proc.stderr.decode().splitlines() == [
        f"podsum: {path}: line 2: Unterminated string starting at (column 32)"
    ]
    assert proc.returncode == 1


def test_partial_records_reach_library_callers(tmp_path: Path) -> None:
    text = "\n".join(
        [json.dumps(record(title="A")), "{oops", json.dumps(record(title="B", views="many"))]
    )
    text += "\n" + json.dumps(record(title="C")) + "\n[1, 2\n"
    with pytest.raises(PartialParseError) as info:
        podsum.parse_all(text)
    assert [s.title for s in info.value.summaries] == ["A", "C"]
    assert str(info.value).startswith("line 2: Expecting property name enclosed in double quotes")
    assert str(info.value).endswith("(and 2 more: lines 3, 5)")
    assert isinstance(info.value, podsum.ParseError)


def test_a_line_separator_inside_a_string_is_not_a_line_break(tmp_path: Path) -> None:
    lines = [json.dumps(record(title=f"A\u2028B{i}"), ensure_ascii=False) for i in range(2)]
    assert [s.title[-2:] for s in podsum.parse_all("\n".join(lines))] == ["B0", "B1"]


def test_a_bad_record_in_an_array_costs_only_that_record() -> None:
    items = [record(title="One"), record(title=7), record(title="Three")]
    with pytest.raises(PartialParseError) as info:
        podsum.parse_all(json.dumps(items))
    assert [s.title for s in info.value.summaries] == ["One", "Three"]
    assert str(info.value) == "record 2: title must be a string"


def test_parse_strict_still_reports_the_bad_line(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, json.dumps(record(title="One")), "{")
    proc = run_cli("show", "--format", "text", str(path))
    assert "One" in proc.stdout.decode()
    assert proc.stderr.decode().count("\n") == 1 and "line 2:" in proc.stderr.decode()
    assert proc.returncode == 1


# --- documents Python's json module refuses --------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"schema_version": 2, "title": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "JSON nested too deeply",
        ),
        (
            '{"schema_version": 2, "title": "x", "views": ' + "9" * 4301 + "}",
            "number too long (4301 digits)",
        ),
        (json.dumps(BASE, indent=2)[:-40], "not valid JSON: "),
        ('[{"schema_version": 2, "title": "x"},\n', "not valid JSON: "),
    ],
)
def test_json_that_cannot_be_read_says_why(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    proc = run_cli("parse", str(path))
    err = proc.stderr.decode()
    assert err.startswith(f"podsum: {path}: {message}"), err[:300]
    assert err.count("\n") == 1 and proc.returncode == 1


def test_a_deep_line_in_json_lines_is_named(tmp_path: Path) -> None:
    deep = '{"schema_version": 2, "title": "x", "e": ' + "[" * 50_000 + "]" * 50_000 + "}"
    with pytest.raises(PartialParseError) as info:
        podsum.parse_all(json.dumps(record(title="Kept")) + "\n" + deep + "\n")
    assert [s.title for s in info.value.summaries] == ["Kept"]
    assert str(info.value) == "line 2: JSON nested too deeply"


def test_text_pages_opening_with_a_bracket_are_still_text() -> None:
    page = "[Podcast] " + SEED.read_text(encoding="utf-8")
    assert podsum.parse(page).title


def test_enforce_limits_is_idempotent() -> None:
    s = one(json.dumps(record(views=BIG, layout="X")))
    before = s.to_dict()
    assert enforce_limits(s).to_dict() == before


def test_ingest_keeps_the_good_lines_of_a_json_lines_file(tmp_path: Path) -> None:
    good = [podsum.parse(p.read_bytes()).to_dict() for p in (SEED, ATMES / "count-mismatch.txt")]
    jsonl = tmp_path / "mixed.jsonl"
    jsonl.write_text(
        json.dumps(good[0]) + "\n" + '{"broken\n' + json.dumps(good[1]) + "\n", encoding="utf-8"
    )
    lib = tmp_path / "lib.db"
    proc = run_cli("ingest", "--library", str(lib), str(jsonl))
    assert proc.returncode == 1
    assert proc.stdout.decode().strip() == "2 new, 0 updated, 0 unchanged, 1 failed"
    (line,) = proc.stderr.decode().splitlines()
    assert line.startswith(f"podsum: {jsonl}: line 2: ")
