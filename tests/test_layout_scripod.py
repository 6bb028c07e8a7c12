"""scripod.com pages: the title block with its year-less date, Shownote, Highlights at
times, Chapters with start times, and the copies' glued lines."""

from __future__ import annotations

import pytest

import podsum
from conftest import FIXTURES, record_of
from podsum.read import detect_layouts

PAGES = FIXTURES / "scripod"
BAKERY = PAGES / "bakery-logistics.txt"
GLUED = PAGES / "crlf-nbsp-no-blanks-glued.txt"
CHROME = PAGES / "chrome-no-shownote.txt"
CHAPTERS_ONLY = PAGES / "two-paragraph-shownote-chapters-only.txt"

HEAD = "Bridges That Heal Themselves\nThe Span\nApr 07\nThe Span\n"


def test_full_page_fields() -> None:
    r = record_of(BAKERY.read_bytes())
    assert (r["layout"], r["title"], r["show"]) == (
        "scripod",
        "How a Small Bakery Became a Logistics Company",
        "Crumb Theory",
    )
    assert r["published"] is None
    assert [(w["code"], w["line"]) for w in r["warnings"]] == [("date-without-year", 3)]
    assert r["overview"].startswith("Marisol Okafor started baking")
    assert r["overview"].endswith("the cost of...")
    assert r["tldr"].startswith("Marisol Okafor explains how")
    (section,) = r["sections"]
    assert (section["title"], section["emoji"], section["declared_insights"]) == (
        "Highlights",
        None,
        None,
    )
    assert len(section["insights"]) == 5
    last = section["insights"][-1]
    assert last["title"] is None and last["speaker"] is None
    assert last["timestamps"] == [{"at": "53:15", "seconds": 3195}]
    assert last["text"].startswith("Her advice to new owners")
    chapters = r["chapters"]
    assert [c["start"] for c in chapters] == ["00:00", "09:12", "19:47", "26:30", "38:05", "49:58"]
    assert [c["end"] for c in chapters] == ["09:12", "19:47", "26:30", "38:05", "49:58", None]
    assert chapters[1]["end_seconds"] == chapters[2]["start_seconds"] == 1187
    assert all(c["title"].endswith("?") for c in chapters)
    assert r["extra_lines"] == []


def test_glued_lines_split_where_the_copy_joined_them() -> None:
    r = record_of(GLUED.read_bytes())
    assert r["title"] == "Can We Still Build Cathedrals?"  # glued to the show in the copy
    assert r["show"] == "The Slow Builders"
    first = r["sections"][0]["insights"][0]
    assert first["timestamps"] == [{"at": "08:20", "seconds": 500}]
    assert first["text"].startswith("Medieval cathedrals")
    glued = r["chapters"][5]
    assert (glued["title"], glued["start"], glued["start_seconds"]) == (
        "Is concrete the enemy of patience?",
        "1:05:40",
        3940,
    )
    assert r["chapters"][4]["end"] == "1:05:40"
    assert "\u00a0" not in r["overview"] and "strange economics" in r["overview"]


def test_crlf_nbsp_copy_reads_like_the_clean_text() -> None:
    messy = podsum.parse(GLUED.read_bytes())
    clean = GLUED.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\u00a0", " ")
    assert podsum.parse(clean).to_dict()["sections"] == messy.to_dict()["sections"]
    assert podsum.parse(clean).id == messy.id


def test_date_glued_to_the_show_again() -> None:
    text = "Bridges That Heal Themselves\nThe Span\nApr 07The Span\nChapters\nWhy crack?\n0:00\n"
    r = record_of(text)
    assert (r["title"], r["show"], r["published"]) == (
        "Bridges That Heal Themselves",
        "The Span",
        None,
    )
    assert [w["code"] for w in r["warnings"]] == ["date-without-year"]
    assert r["extra_lines"] == []


def test_a_date_with_a_year_is_published() -> None:
    text = HEAD.replace("Apr 07", "Apr 7, 2024") + "Chapters\nWhy crack?\n0:00\n"
    r = record_of(text)
    assert r["published"] == "2024-04-07" and r["warnings"] == []


def test_chrome_and_footer_stay_out_of_the_fields() -> None:
    r = record_of(CHROME.read_bytes())
    assert r["title"] == "The Quiet Economics of Public Libraries"
    assert r["show"] == "Open Stacks"
    assert r["overview"] is None and r["tldr"] is None
    assert r["extra_lines"] == [
        "Scripod",
        "Discover",
        "Sign in",
        "Listen on Scripod",
        "Download the app",
        "Privacy Policy",
        "Terms of Service",
    ]
    wrapped = r["sections"][0]["insights"][1]["text"]
    assert wrapped.endswith("which is why so many systems dropped them during the last decade.")
    assert [c["title"] for c in r["chapters"]][-1] == "What should a city fund first?"


def test_show_more_after_the_cut_description_is_chrome() -> None:
    r = record_of(CHAPTERS_ONLY.read_bytes())
    assert r["overview"].count("\n\n") == 1 and r["overview"].endswith("occasional...")
    assert r["extra_lines"] == ["Show more"]
    assert r["sections"] == [] and r["tldr"] is None
    assert len(r["chapters"]) == 10


def test_a_question_whose_time_is_lost_stays_a_chapter_but_a_footer_does_not() -> None:
    text = HEAD + "Chapters\nWhy crack?\n0:00\nWho pays?\nWhat next?\n12:30\nEnjoying The Span?\n"
    r = record_of(text)
    assert [(c["title"], c["start"], c["end"]) for c in r["chapters"]] == [
        ("Why crack?", "0:00", "12:30"),
        ("Who pays?", None, None),
        ("What next?", "12:30", None),
    ]
    assert r["extra_lines"] == ["Enjoying The Span?"]


def test_highlight_text_glued_to_the_next_time() -> None:
    text = HEAD + "Highlights\nThe gist.\n01:10\nConcrete can heal.02:20\nBacteria help.\n"
    r = record_of(text)
    assert r["tldr"] == "The gist."
    assert [(i["timestamps"][0]["at"], i["text"]) for i in r["sections"][0]["insights"]] == [
        ("01:10", "Concrete can heal."),
        ("02:20", "Bacteria help."),
    ]


def test_a_page_without_highlights_or_chapters_is_refused() -> None:
    text = HEAD + "Shownote\nA description of the episode...\n"
    with pytest.raises(podsum.ParseError, match="not a scripod page"):
        podsum.parse(text, layout="scripod")


def test_highlights_and_chapters_without_the_title_block_are_not_scripod() -> None:
    text = "Notes on bridges\n\nHighlights\n\n01:10\nA point.\n\nChapters\n\nIntro\n0:00\n"
    assert "scripod" not in detect_layouts(text)


def test_detected_by_its_title_block_when_shownote_is_missing() -> None:
    assert detect_layouts(CHROME.read_text(encoding="utf-8")) == ["scripod"]


def test_three_pages_in_one_text_give_three_records() -> None:
    pages = [p.read_bytes().decode("utf-8") for p in (BAKERY, GLUED, CHROME)]
    records = podsum.parse_all(pages[0] + "\n" + pages[1] + "\n" + pages[2])
    assert [r.id for r in records] == [podsum.parse(p).id for p in pages]
    assert [r.title for r in records] == [
        "How a Small Bakery Became a Logistics Company",
        "Can We Still Build Cathedrals?",
        "The Quiet Economics of Public Libraries",
    ]
    # A page starts at its title: chrome above it cannot be told from the footer of the
    # page before, so it stays with that page, out of every field.
    assert records[1].extra_lines == ["Scripod", "Discover", "Sign in"]
    assert records[2].extra_lines[0] == "Listen on Scripod"
