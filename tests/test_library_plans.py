"""Every query the library commands run walks an index: none reads the whole table or
sorts it, so a million summaries list, search and show as fast as a hundred, and
ingest costs the same per page however big the library is.

SQLite's plan says ``SCAN summaries`` for a walk of the whole table (with or without
a filter) and ``USE TEMP B-TREE FOR ORDER BY`` for a sort of all the rows that
match; ``SCAN summaries USING INDEX x`` is a walk of an index in order, stopped by the
LIMIT."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pages import page

import podsum
from conftest import FIXTURES
from podsum.db import PREFIX_COUNT_SQL, PREFIX_SQL, STORED_SQL, Library


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Library:
    path = tmp_path_factory.mktemp("plans") / "library.db"
    library = Library(path)
    library.add([podsum.parse(page(i)) for i in range(200)])
    library.add([podsum.parse((FIXTURES / "atmes" / "cjk-zwj-emoji.txt").read_bytes())])
    library.conn.execute("ANALYZE")  # plans with statistics too, as a user's library may have
    return library


def _plan(lib: Library, sql: str, params: Any = ()) -> list[str]:
    return [r[3] for r in lib.conn.execute("EXPLAIN QUERY PLAN " + sql, params)]


def _index_backed(plan: list[str]) -> None:
    for step in plan:
        assert step not in ("SCAN summaries", "SCAN s"), plan
        assert "USE TEMP B-TREE FOR" not in step, plan  # a sort of every match
        assert not step.startswith("SCAN aliases"), plan


LISTS = {
    "list": {},
    "list --show": {"show": "volts"},
    "list --sort views": {"sort": "views"},
    "list --sort title": {"sort": "title"},
    "list --since": {"since": "2024-01-01"},
    "list --show --since": {"show": "VOLTS", "since": "2024-01-01"},
    "list --limit 0": {"limit": 0},
}


@pytest.mark.parametrize("options", LISTS.values(), ids=LISTS.keys())
def test_list_walks_an_index(lib: Library, options: dict[str, Any]) -> None:
    plan = _plan(lib, *lib.list_sql(**options))
    _index_backed(plan)
    assert plan[0].startswith(("SCAN summaries USING INDEX", "SEARCH summaries USING INDEX"))


def test_list_by_ingest_order_walks_the_table_in_its_own_order(lib: Library) -> None:
    """The table is a b-tree on pk, the ingest order: walked backwards, stopped by the
    LIMIT (the one plan that reads "SCAN summaries" and is no full scan)."""
    sql, params = lib.list_sql(sort="ingested")
    assert sql.endswith("ORDER BY pk DESC LIMIT ?")
    assert _plan(lib, sql, params) == ["SCAN summaries"]


SEARCHES = {
    "words": ("battery sleep", {}),
    "filters": ("sleep", {"show": "volts", "layout": "atmes", "since": "2024-01-01"}),
    "words and cjk": ("ai 编程", {}),
    "cjk": ("编程", {"show": "科技早知道"}),
    "raw": ("sleep OR whales", {"raw": True}),
}


@pytest.mark.parametrize(("query", "options"), SEARCHES.values(), ids=SEARCHES.keys())
def test_search_walks_the_full_text_index_in_rank_order(
    lib: Library, query: str, options: dict[str, Any]
) -> None:
    built = lib.search_sql(query, **options)
    assert built is not None
    plan = _plan(lib, built[0], built[1])
    _index_backed(plan)
    assert plan[0].startswith(("SCAN summaries_fts VIRTUAL TABLE", "SCAN summaries_cjk VIRTUAL"))
    assert "SEARCH s USING INTEGER PRIMARY KEY (rowid=?)" in plan


def test_show_by_prefix_is_a_range_of_the_id_indexes(lib: Library) -> None:
    bounds = ("abc", "abcg")
    ids, aliases = (_plan(lib, sql, bounds) for sql in PREFIX_SQL)
    assert ids == ["SEARCH summaries USING INDEX sqlite_autoindex_summaries_1 (id>? AND id<?)"]
    assert aliases[0] == "SEARCH a USING PRIMARY KEY (alias>? AND alias<?)"
    _index_backed(aliases)
    _index_backed(_plan(lib, PREFIX_COUNT_SQL, bounds * 2))


def test_export_walks_the_date_index(lib: Library) -> None:
    for options in ({}, {"show": "volts"}, {"since": "2024-01-01"}):
        _index_backed(_plan(lib, *lib.summaries_sql(**options)))


def test_ingest_finds_a_summary_by_its_id_alone(lib: Library) -> None:
    assert _plan(lib, STORED_SQL, ("abc",)) == [
        "SEARCH summaries USING INDEX sqlite_autoindex_summaries_1 (id=?)"
    ]


def test_ingest_writes_through_triggers_that_scan_nothing(lib: Library) -> None:
    """The triggers that keep the indexes in step find their rows by rowid."""
    triggers = [
        r[0] for r in lib.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'")
    ]
    assert len(triggers) == 5
    deletes = [
        statement
        for sql in triggers
        for statement in sql[sql.index("BEGIN") + 5 : sql.rindex("END")].split(";")
        if statement.strip().startswith("DELETE")
    ]
    assert deletes
    for statement in deletes:
        plan = _plan(lib, statement.replace("old.pk", "1"))
        assert all(step.startswith(("SEARCH", "SCAN summaries_cjk VIRTUAL")) for step in plan)


def test_the_plans_hold_for_a_library_path(tmp_path: Path) -> None:
    """A fresh library (no ANALYZE) plans the same."""
    with Library(tmp_path / "fresh.db") as fresh:
        fresh.add([podsum.parse(page(i)) for i in range(20)])
        for options in LISTS.values():
            _index_backed(_plan(fresh, *fresh.list_sql(**options)))
