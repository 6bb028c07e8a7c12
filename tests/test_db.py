"""The library API against a real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pages import page

import podsum
from conftest import SEED, fixture_pages
from podsum.db import MIGRATIONS, Ambiguous, Library, LibraryError, NotFound


def _summaries(n: int) -> list[podsum.Summary]:
    return [podsum.parse(page(i)) for i in range(n)]


def test_add_skips_pages_already_there_and_update_replaces(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.db") as lib:
        items = _summaries(5)
        assert lib.add(items).new == 5
        again = lib.add(items)
        assert (again.new, again.existing) == (0, 5)
        assert lib.add(items[:2], update=True).updated == 2
        assert lib.count() == 5
        assert lib.integrity_ok()


def test_records_come_back_whole(tmp_path: Path) -> None:
    s = podsum.parse(SEED.read_bytes(), location=str(SEED))
    with Library(tmp_path / "lib.db") as lib:
        lib.add([s])
        assert lib.get(s.id).to_dict() == s.to_dict()
        assert lib.get(s.id[:6]).id == s.id
        assert lib.get(s.id.upper()[:6]).id == s.id


def test_wal_and_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    Library(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_a_newer_library_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    Library(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(LibraryError, match="newer podsum"):
        Library(path)


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
        by_date = lib.list_summaries(limit=0)
        dates = [r["published"] for r in by_date]
        assert dates == sorted(dates, reverse=True)
        by_views = [r["views"] for r in lib.list_summaries(sort="views", limit=0)]
        assert by_views == sorted(by_views, reverse=True)
        titles = [r["title"] for r in lib.list_summaries(sort="title", limit=0)]
        assert titles == sorted(titles, key=str.lower)
        huber = lib.list_summaries(show="huberman lab", limit=0)
        assert huber and all(r["show"] == "Huberman Lab" for r in huber)
        recent = lib.list_summaries(since="2024-01-01", limit=0)
        assert recent and all(r["published"] >= "2024-01-01" for r in recent)
        assert len(lib.list_summaries(limit=7)) == 7


def test_search_ranks_and_any_text_is_safe(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.db") as lib:
        lib.add([podsum.parse(p.read_bytes()) for p in fixture_pages()])
        hits = lib.search("open source")
        assert hits[0]["title"].startswith(("China Open-Source", "The Economics of Open Source"))
        assert "\x02" in hits[0]["snippet"]
        for hostile in ['"unbalanced', "AND", "title:(", "*", "NEAR(", "-", ":", "OR OR", ")"]:
            lib.search(hostile)  # never raises
        with pytest.raises(LibraryError, match="invalid search query"):
            lib.search('"unbalanced', raw=True)
        assert lib.search("sulfide OR dendrites", raw=True)


def test_remove(tmp_path: Path) -> None:
    with Library(tmp_path / "lib.db") as lib:
        items = _summaries(3)
        lib.add(items)
        assert lib.remove(items[0].id[:8]) == items[0].id
        assert lib.count() == 2
        assert not lib.search("episode 0")
        fts = lib.conn.execute("SELECT count(*) FROM summaries_fts").fetchone()[0]
        assert fts == 2
