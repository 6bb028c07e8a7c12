"""Golden pairs: every page in tests/fixtures parses to the JSON beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ATMES, SEED, fixture_pages, page_id, record_of


@pytest.mark.parametrize("page", fixture_pages(), ids=page_id)
def test_page_matches_expected_json(page: Path) -> None:
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    assert record_of(page.read_bytes()) == expected


def test_every_page_has_an_expected_json() -> None:
    for page in fixture_pages():
        assert page.with_suffix(".json").exists(), page.name


def test_seed_every_field() -> None:
    r = record_of(SEED.read_bytes())
    assert r["title"] == "China Open-Source, Compute Arms Race, Reordering Global Trade"
    assert r["show"] == "BG2 w/ Bill Gurley and Brad Gerstner"
    assert (r["category"], r["published"], r["views"]) == ("Podcasts", "2025-07-31", 54900)
    assert (r["duration"], r["duration_seconds"]) == ("1:04:21", 3861)
    assert r["tldr"].startswith("China is rapidly dominating open-source AI")
    assert [s["emoji"] for s in r["sections"]] == ["🇨🇳", "🧠", "🇺🇸"]
    assert [len(s["insights"]) for s in r["sections"]] == [3, 2, 3]
    assert [s["declared_insights"] for s in r["sections"]] == [3, 2, 3]
    assert r["bottom_line"].startswith("The US must accelerate")
    assert r["related_channel"] == "BG2Pod"
    assert [x["title"] for x in r["related"]] == [
        "ChatGPT – The Super Assistant Era",
        "AI Enterprise - Databricks & Glean",
    ]
    assert r["related"][1] == {
        "title": "AI Enterprise - Databricks & Glean",
        "show": "BG2 Guest Interview",
        "duration": "45:01",
        "duration_seconds": 2701,
        "channel": "BG2Pod",
        "description": r["related"][1]["description"],
        "age": "3 months ago",
        "points": 10,
    }
    assert r["extra_lines"] == [] and r["warnings"] == []
    assert r["source"]["kind"] == "text" and r["source"]["encoding"] == "utf-8"


def test_seed_fixture_is_the_shipped_sample() -> None:
    assert (ATMES / "seed-bg2-china-open-source.txt").read_bytes() == SEED.read_bytes()


def test_id_ignores_how_the_page_arrived() -> None:
    data = SEED.read_bytes()
    a = record_of(data)
    b = record_of(data.decode("utf-8").replace("\n", "\r\n").encode("utf-16"))
    assert a["id"] == b["id"]
    assert a["source"] != b["source"]
