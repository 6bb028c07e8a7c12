"""`list`, `search` and `export` filters, and `stats`, on a real library of every
golden page; what each should keep is worked out from the parsed records themselves."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import podsum
from conftest import fixture_pages, run_cli
from podsum.db import Library


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, podsum.Summary]]:
    path = tmp_path_factory.mktemp("filters") / "library.db"
    records: dict[str, podsum.Summary] = {}
    with Library(path) as lib:
        for page in fixture_pages():
            for s in podsum.parse_all(page.read_bytes()):
                lib.add([s])
        for s in lib.summaries():
            records[s.id] = s
    return path, records


def _ids(path: Path, *args: str) -> set[str]:
    proc = run_cli(*args, "--library", str(path), "--limit", "0", "--fields", "id")
    assert proc.returncode == 0, proc.stderr
    return {item["id"] for item in json.loads(proc.stdout)}


def test_topic_keeps_exactly_the_summaries_tagged_with_it(library: tuple[Path, dict]) -> None:
    path, records = library
    counts = Counter(t.casefold() for s in records.values() for t in s.topics)
    topic = next(t for s in records.values() for t in s.topics if counts[t.casefold()] > 1)
    want = {i for i, s in records.items() if topic.casefold() in map(str.casefold, s.topics)}
    assert len(want) > 1
    assert _ids(path, "list", "--topic", topic.upper()) == want
    assert _ids(path, "list", "--topic", topic[:-1]) != want  # a whole topic, not a part


def test_person_matches_a_name_or_whole_words_of_it(library: tuple[Path, dict]) -> None:
    path, records = library
    person = next(p.name for s in records.values() for p in s.people if " " in p.name)
    last = person.split()[-1]
    want = {i for i, s in records.items() if any(last in p.name.split() for p in s.people)}
    assert want and _ids(path, "list", "--person", last) == want
    assert _ids(path, "list", "--person", person.lower()) == {
        i for i, s in records.items() if any(p.name.lower() == person.lower() for p in s.people)
    }
    assert not _ids(path, "list", "--person", last[:-1]) & want  # no half words
    assert _ids(path, "list", "--person", "100%_x") == set()  # LIKE's wildcards are text


def test_layout_since_until_combine(library: tuple[Path, dict]) -> None:
    path, records = library
    want = {
        i
        for i, s in records.items()
        if s.layout == "atmes" and s.published and "2025-01-01" <= s.published <= "2025-12-31"
    }
    got = _ids(path, "list", "--layout", "atmes", "--since", "2025-01-01", "--until", "2025-12-31")
    assert want and got == want
    searched = _ids(path, "search", "the", "--until", "2024-12-31")
    assert searched and all(records[i].published <= "2024-12-31" for i in searched)


def test_export_takes_the_same_filters(library: tuple[Path, dict], tmp_path: Path) -> None:
    path, records = library
    out = tmp_path / "out"
    proc = run_cli("export", "--library", str(path), "--out", str(out), "--layout", "podwave")
    assert proc.returncode == 0, proc.stderr
    want = sum(1 for s in records.values() if s.layout == "podwave")
    assert len(list(out.glob("*.md"))) == want > 0


def test_bad_layout_is_a_usage_error_naming_the_option(library: tuple[Path, dict]) -> None:
    path, _ = library
    proc = run_cli("list", "--library", str(path), "--layout", "nope")
    assert proc.returncode == 2 and b"--layout" in proc.stderr


def test_stats_counts_what_the_library_holds(library: tuple[Path, dict]) -> None:
    path, records = library
    proc = run_cli("stats", "--library", str(path), "--format", "json", "--top", "3")
    assert proc.returncode == 0, proc.stderr
    st = json.loads(proc.stdout)
    assert st["summaries"] == len(records) and st["bytes"] >= path.stat().st_size
    layouts = Counter(s.layout for s in records.values())
    assert [x["count"] for x in st["layouts"]] == [n for _, n in layouts.most_common(3)]
    assert all(layouts[x["name"]] == x["count"] for x in st["layouts"])
    dated = sorted((s.published, i) for i, s in records.items() if s.published)
    assert st["oldest"]["published"] == dated[0][0] and st["newest"]["published"] == dated[-1][0]
    topics = Counter(t.casefold() for s in records.values() for t in s.topics)
    assert st["topics"][0]["count"] == topics.most_common(1)[0][1]
    text = run_cli("stats", "--library", str(path))
    assert text.returncode == 0 and b"summaries    " in text.stdout and b"top topics" in text.stdout


def test_stats_of_no_library_is_one_line(tmp_path: Path) -> None:
    proc = run_cli("stats", "--library", str(tmp_path / "none.db"))
    assert proc.returncode == 1 and proc.stderr.count(b"\n") == 1 and b"podsum: " in proc.stderr


def test_stats_shows_hostile_names_as_text(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    page = fixture_pages("podwave")[0].read_bytes().decode("utf-8")
    s = podsum.parse(page)
    s.topics = ["\x1b[31mred\x1b[0m [bold]x[/bold]"]
    with Library(path) as lib:
        lib.add([s])
    proc = run_cli("stats", "--library", str(path))
    assert b"\x1b[31m" not in proc.stdout and b"[bold]x[/bold]" in proc.stdout
