"""The library is a plain SQLite file that Datasette and sqlite-utils open, search and
maintain (rebuild-fts, optimize, vacuum, edits) without breaking podsum's search: the
real packages, on a real library."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from datasette.app import Datasette

import podsum
from conftest import fixture_pages
from podsum.db import Library

SQLITE_UTILS = str(Path(sys.executable).parent / "sqlite-utils")
BATTERIES = "The Future of Batteries"
CJK = "人工智能如何改变编程"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    path = tmp_path / "library.db"
    with Library(path) as lib:
        lib.add(podsum.parse(p.read_bytes(), location=str(p)) for p in fixture_pages())
    return path


def _podsum_search(path: Path, query: str) -> list[tuple[str, str]]:
    with Library(path, create=False) as lib:
        return [(h["id"], h["snippet"]) for h in lib.search(query, limit=50)]


def _check(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO summaries_fts (summaries_fts) VALUES ('integrity-check')")
        conn.execute("INSERT INTO summaries_cjk (summaries_cjk) VALUES ('integrity-check')")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_sqlite_utils_finds_and_searches_the_index(library: Path) -> None:
    table = sqlite_utils.Database(library)["summaries"]
    assert isinstance(table, sqlite_utils.db.Table)
    assert table.detect_fts() == "summaries_fts"
    assert [r["title"] for r in table.search("batteries", columns=["title"])] == [BATTERIES]
    assert [r["title"] for r in table.search("battery", columns=["title"])] == [BATTERIES]
    assert [r["title"] for r in table.search(CJK, columns=["title"])] == [CJK]
    rows = list(table.rows_where("show = ?", ["Volts with David Roberts"], select="id, views"))
    assert rows and isinstance(rows[0]["views"], int)


@pytest.mark.parametrize(
    "command",
    [["rebuild-fts", "summaries"], ["optimize"], ["vacuum"]],
    ids=lambda c: c[0],
)
def test_sqlite_utils_maintenance_keeps_podsums_search(library: Path, command: list[str]) -> None:
    queries = ("open source", "batt", "dendrites", "编程", "glaciers carve")
    before = {q: _podsum_search(library, q) for q in queries}
    assert all(before.values())
    proc = subprocess.run(
        [SQLITE_UTILS, command[0], str(library), *command[1:]], capture_output=True
    )
    assert proc.returncode == 0, proc.stderr
    assert {q: _podsum_search(library, q) for q in queries} == before
    _check(library)


def test_edits_by_another_tool_keep_the_indexes_in_step(library: Path) -> None:
    db = sqlite_utils.Database(library)
    table = db["summaries"]
    assert isinstance(table, sqlite_utils.db.Table)
    (battery,) = table.rows_where("title = ?", [BATTERIES], select="pk, id")
    table.update(battery["pk"], {"title": "Why Flywheels Lost"})
    (cjk,) = table.rows_where("title = ?", [CJK], select="pk, id")
    table.delete(cjk["pk"])
    db.close()
    _check(library)
    assert [i for i, _ in _podsum_search(library, "flywheels")] == [battery["id"]]
    assert _podsum_search(library, "编程") == []
    with Library(library) as lib:  # and podsum writes on top of that
        lib.add([podsum.parse(p.read_bytes()) for p in fixture_pages("atmes")])
    _check(library)
    assert _podsum_search(library, "编程")


def _datasette(path: Path, url: str) -> Any:
    async def get() -> Any:
        ds = Datasette([str(path)])
        response = await ds.client.get(url)
        assert response.status_code == 200, response.text
        return response.json() if ".json" in url else response.text

    return asyncio.run(get())


def test_datasette_searches_the_library(library: Path, tmp_path: Path) -> None:
    def titles(query: str) -> list[str]:
        data = _datasette(library, f"/library/summaries.json?_search={query}&_shape=objects")
        return sorted(r["title"] for r in data["rows"])

    assert titles("batteries") == [BATTERIES]
    assert titles("dendrite growth") == [BATTERIES]
    assert titles("open-source")  # a word of two tokens is a phrase
    assert titles(CJK) == [CJK]
    page = _datasette(library, "/library/summaries")
    assert 'name="_search"' in page  # the search box is there
    tables = {t["name"]: t for t in _datasette(library, "/library.json")["tables"]}
    assert tables["summaries"]["fts_table"] == "summaries_fts"
    assert not tables["summaries"]["hidden"] and tables["summaries_cjk"]["hidden"]
    # Datasette opened it and changed nothing podsum relies on.
    copy = tmp_path / "copy.db"
    shutil.copyfile(library, copy)
    _check(copy)
