"""The library API against a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from pages import page
from typer.testing import CliRunner

import podsum
from conftest import FIXTURES, SEED, fixture_pages, page_id
from podsum.cli import app
from podsum.db import (
    MIGRATIONS,
    Ambiguous,
    BadQuery,
    Library,
    LibraryError,
    NotFound,
)
from podsum.dbsearch import MAX_TERMS

COPIES = FIXTURES / "library" / "pages"
runner = CliRunner()


def _summaries(n: int) -> list[podsum.Summary]:
    return [podsum.parse(page(i)) for i in range(n)]


def _parse(path: Path) -> podsum.Summary:
    return podsum.parse(path.read_bytes(), location=str(path))


def _fts_ok(lib: Library) -> None:
    """FTS5's own check: the index holds exactly what the content table says."""
    lib.conn.execute("INSERT INTO summaries_fts (summaries_fts) VALUES ('integrity-check')")
    lib.conn.execute("INSERT INTO summaries_cjk (summaries_cjk) VALUES ('integrity-check')")
    assert lib.integrity_ok()


@pytest.fixture(scope="module")
def fixtures_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every golden page in one library (read only by the tests that share it)."""
    path = tmp_path_factory.mktemp("fixtures") / "library.db"
    with Library(path) as lib:
        lib.add(_parse(p) for p in fixture_pages())
    return path


def test_a_page_again_is_unchanged_and_a_newer_copy_is_merged_in(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.db") as lib:
        items = _summaries(5)
        assert lib.add(items).new == 5
        again = lib.add(items)
        assert (again.new, again.updated, again.unchanged) == (0, 0, 5)
        sample, more, bare = (
            _parse(COPIES / f"{n}.txt") for n in ("sample", "sample-more-views", "sample-no-meta")
        )
        assert (lib.add([sample]).new, lib.add([sample]).unchanged) == (1, 1)
        assert lib.add([more]).updated == 1
        assert lib.get(sample.id).views == 61200
        assert lib.add([bare]).updated == 1  # its related list's ages are older
        stored = lib.get(sample.id)
        assert (stored.views, stored.published) == (61200, "2025-07-31")  # kept
        assert stored.source.location == str(COPIES / "sample-no-meta.txt")
        assert lib.add([bare]).unchanged == 1
        kept = lib.add([more], update=False)
        assert (kept.updated, kept.unchanged) == (0, 1)
        assert lib.get(sample.id).source.location == str(COPIES / "sample-no-meta.txt")
        assert lib.count() == 6
        row = lib.conn.execute(
            "SELECT ingested_at, updated_at FROM summaries WHERE id = ?", (sample.id,)
        ).fetchone()
        assert row[0] < row[1]
        _fts_ok(lib)


def test_an_episodes_pages_make_one_summary(tmp_path: Path) -> None:
    main, chapters, faq = (
        _parse(FIXTURES / "ulisten" / f"{n}.txt")
        for n in ("main-page", "chapters-page", "faq-glued")
    )
    with Library(tmp_path / "lib.db") as lib:
        result = lib.add([main, chapters, faq])
        assert (result.new, result.updated) == (1, 2)
        s = lib.get(main.id)
    assert [x.title for x in s.sections] == [x.title for x in main.sections + faq.sections]
    assert s.chapters == chapters.chapters
    assert s.overview == main.overview


@pytest.mark.parametrize("path", fixture_pages(), ids=page_id)
def test_show_from_the_library_is_parse_of_the_page(tmp_path: Path, path: Path) -> None:
    env = {"PODSUM_LIBRARY": str(tmp_path / "lib.db")}
    ingest = runner.invoke(app, ["ingest", "-q", str(path)], env=env)
    assert ingest.exit_code == 0, ingest.stderr
    parsed = runner.invoke(app, ["parse", str(path)], env=env)
    record = json.loads(parsed.stdout)
    shown = runner.invoke(app, ["show", record["id"], "--format", "json"], env=env)
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout == parsed.stdout


def test_no_column_holds_the_whole_record(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.db") as lib:
        lib.add([_parse(SEED)])
        columns = {r[1]: r[2] for r in lib.conn.execute("PRAGMA table_xinfo(summaries)")}
        row = lib.conn.execute("SELECT * FROM summaries").fetchone()
    assert "record" not in columns
    assert {"title", "show", "views", "published", "tldr", "transcript", "source_location"} <= set(
        columns
    )
    assert columns["views"] == "INTEGER"
    assert json.loads(row["sections"])[0]["title"] == "China's Open-Source AI Dominance"
    assert json.loads(row["topics"]) == []
    assert row["views"] == 54900 and row["layout"] == "atmes"


def test_the_searched_text_is_the_text_without_json(fixtures_library: Path) -> None:
    conn = sqlite3.connect(fixtures_library)
    conn.row_factory = sqlite3.Row
    for row in conn.execute("SELECT id, body, people_text, topics_text FROM summaries"):
        s = Library(fixtures_library, create=False).get(row["id"])
        for key in ('"text":', '"title":', '"insights":', "null", "\\n", "\\u"):
            assert key not in row["body"], (s.title, key)
        for sec in s.sections:
            for ins in sec.insights:
                assert ins.text.translate(str.maketrans("", "", "[]{}")) in row["body"]
        for c in s.chapters:
            assert c.title in row["body"]
        for p in s.people:
            assert p.name in row["people_text"]
        assert row["topics_text"].split("\n") == (s.topics or [""])


def test_wal_and_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    Library(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_not_sqlite_and_corrupt_files_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("just some notes\n" * 100)
    with pytest.raises(LibraryError, match="not a podsum library"):
        Library(text)
    assert text.read_text() == "just some notes\n" * 100  # nothing lost

    good = tmp_path / "lib.db"
    with Library(good) as lib:
        lib.add(_summaries(50))
    (tmp_path / "lib.db-wal").unlink(missing_ok=True)
    data = bytearray(good.read_bytes())
    data[100:4000] = b"\xff" * 3900  # trash the schema page
    good.write_bytes(bytes(data))
    with pytest.raises(LibraryError):
        Library(good).list_summaries()


def test_id_prefixes(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.db") as lib:
        items = _summaries(40)
        lib.add(items)
        with pytest.raises(NotFound):
            lib.resolve("zz")
        with pytest.raises(Ambiguous) as err:
            lib.resolve(items[0].id[:1])
        assert err.value.candidates
        assert lib.resolve(items[0].id) == items[0].id


def test_list_sorts_and_filters(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.db") as lib:
        lib.add(_summaries(30))
        lib.add([_parse(COPIES / "sample-no-meta.txt")])  # undated and unviewed: last
        by_date = lib.list_summaries(limit=0)
        dates = [r["published"] for r in by_date]
        assert dates[-1] is None
        assert dates[:-1] == sorted(dates[:-1], reverse=True)
        by_views = [r["views"] for r in lib.list_summaries(sort="views", limit=0)]
        assert by_views[-1] is None
        assert by_views[:-1] == sorted(by_views[:-1], reverse=True)
        titles = [r["title"] for r in lib.list_summaries(sort="title", limit=0)]
        assert titles == sorted(titles, key=str.lower)
        ingested = [r["id"] for r in lib.list_summaries(sort="ingested", limit=2)]
        assert ingested[0] == _parse(COPIES / "sample-no-meta.txt").id
        huber = lib.list_summaries(show="huberman lab", limit=0)
        assert huber and all(r["show"] == "Huberman Lab" for r in huber)
        recent = lib.list_summaries(since="2024-01-01", limit=0)
        assert recent and all(r["published"] >= "2024-01-01" for r in recent)
        assert len(lib.list_summaries(limit=7)) == 7


def _titles(lib: Library, query: str, **filters: str) -> list[str]:
    return [h["title"] for h in lib.search(query, **filters)]


def test_search_ranks_and_any_text_is_safe(fixtures_library: Path) -> None:
    with Library(fixtures_library, create=False) as lib:
        hits = lib.search("open source")
        assert hits[0]["title"].startswith(("China Open-Source", "The Economics of Open Source"))
        assert "\x02" in hits[0]["snippet"]
        for hostile in ['"unbalanced', "AND", "title:(", "*", "NEAR(", "-", ":", "OR OR", ")"]:
            lib.search(hostile)  # never raises
        with pytest.raises(LibraryError, match="invalid search query"):
            lib.search('"unbalanced', raw=True)
        assert lib.search("sulfide OR dendrites", raw=True)
        assert lib.search('"solid state"', raw=True)  # phrases


def test_search_finds_stems_and_prefixes(fixtures_library: Path) -> None:
    with Library(fixtures_library, create=False) as lib:
        assert _titles(lib, "battery") == ["The Future of Batteries"]  # porter: batteri
        assert "The Future of Batteries" in _titles(lib, "batt")
        assert _titles(lib, "dendrites") == _titles(lib, "dendrite") == ["The Future of Batteries"]
        assert _titles(lib, "BATTERY dendrite") == ["The Future of Batteries"]
        assert _titles(lib, "battery whales") == []  # every word must match


def test_search_finds_no_json_keys(fixtures_library: Path) -> None:
    """The lists are stored as JSON, but a search sees only their text."""
    with Library(fixtures_library, create=False) as lib:
        for word in ("null", "speaker", "timestamps", "declared", "insights", "emoji"):
            for h in lib.search(word):
                text = json.dumps(lib.get(h["id"]).to_dict(), ensure_ascii=False).lower()
                values = text.replace(f'"{word}', "")  # the keys themselves don't count
                assert word in values, (word, h["title"])


def test_search_finds_cjk_text_by_any_part(fixtures_library: Path) -> None:
    with Library(fixtures_library, create=False) as lib:
        cjk = "人工智能如何改变编程"
        for part in ("编程", "智能", "改变", cjk, "レビュー", "科技早知道"):
            hits = lib.search(part)
            assert [h["title"] for h in hits] == [cjk], part
            assert "\x02" in hits[0]["snippet"]
        assert lib.search("能如") and not lib.search("程人")  # a substring, in order
        assert not lib.search("编程 的后面")  # every part must match
        assert _titles(lib, "AI 编程") == [cjk]
        assert _titles(lib, "batteries 编程") == []


def test_search_filters(fixtures_library: Path) -> None:
    with Library(fixtures_library, create=False) as lib:
        everything = lib.search("the", limit=100)
        assert len({h["layout"] for h in everything}) > 3
        for layout in ("atmes", "ulisten"):
            hits = lib.search("the", layout=layout, limit=100)
            assert hits and {h["layout"] for h in hits} == {layout}
        hits = lib.search("the", since="2025-06-01", limit=100)
        assert hits and all(h["published"] >= "2025-06-01" for h in hits)
        assert _titles(lib, "open source", show="HARD FORK") == ["The Economics of Open Source"]
        assert _titles(lib, "编程", show="科技早知道") and not _titles(lib, "编程", show="volts")


def test_a_query_of_thousands_of_words_is_one_query(fixtures_library: Path) -> None:
    with Library(fixtures_library, create=False) as lib:
        assert _titles(lib, "battery " * 5000) == ["The Future of Batteries"]
        assert _titles(lib, " ".join(["Battery", "battery", "BATTERY", "编程"] * 2000)) == []
        words = " ".join(f"w{i}" for i in range(MAX_TERMS + 1))
        with pytest.raises(BadQuery, match=f"too many different words .{MAX_TERMS + 1}."):
            lib.search(words)


def test_remove_takes_its_index_rows_and_old_ids(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.db") as lib:
        items = _summaries(3)
        lib.add([*items, _parse(FIXTURES / "atmes" / "cjk-zwj-emoji.txt")])
        assert lib.remove(items[0].id[:8]) == items[0].id
        assert lib.count() == 3
        assert not lib.search("episode 0")
        cjk = lib.search("编程")[0]["id"]
        lib.conn.execute("INSERT INTO aliases VALUES ('00000000000000aa', ?, NULL)", (cjk,))
        assert lib.resolve("00000000000000aa") == cjk
        assert lib.remove("00000000000000aa") == cjk
        assert not lib.search("编程")
        assert lib.conn.execute("SELECT count(*) FROM summaries_cjk").fetchone()[0] == 0
        assert lib.conn.execute("SELECT count(*) FROM aliases").fetchone()[0] == 0
        _fts_ok(lib)


def test_old_ids_resolve_and_count_in_ambiguity(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.db") as lib:
        a, b = _summaries(2)
        lib.add([a, b])
        lib.conn.execute("INSERT INTO aliases VALUES ('ffff000000000001', ?, NULL)", (a.id,))
        lib.conn.execute("INSERT INTO aliases VALUES ('ffff000000000002', ?, NULL)", (b.id,))
        lib.conn.execute("INSERT INTO aliases VALUES ('ffff000000000003', ?, NULL)", (b.id,))
        assert lib.resolve("ffff000000000003") == b.id
        with pytest.raises(Ambiguous) as err:
            lib.resolve("ffff")
        assert err.value.total == 2  # two summaries, whatever their number of old ids
        assert lib.current_id("ffff000000000002") == (b.id, "")
        assert lib.current_id(a.id) == (a.id, "~")
        assert lib.current_id("0123456789abcdef") is None
