"""ulisten.ai pages: the glued head, the main page's blocks, /chapters and /faq."""

from __future__ import annotations

from pathlib import Path

import pytest

import podsum
from conftest import FIXTURES, page_id, record_of
from podsum.read import detect_layouts

PAGES = FIXTURES / "ulisten"
HEAD = (
    "Skip to content\nField Notes RadioField Notes Radio\n"
    "Field Notes RadioThe Forgotten Maps | Field Notes Radio #212\n"
)


def _text(name: str) -> str:
    return (PAGES / name).read_bytes().decode("utf-8").replace("\r\n", "\n")


def test_glued_head_gives_show_title_and_episode_number() -> None:
    r = record_of(_text("main-page.txt"))
    assert r["show"] == "Field Notes Radio"
    assert r["title"] == "The Forgotten Maps of the Hudson Valley"
    assert r["episode_number"] == "212"
    assert r["extra_lines"] == ["Skip to content"]


@pytest.mark.parametrize(
    "head",
    [
        "Field Notes RadioThe Forgotten Maps | Field Notes Radio #212",  # no doubled line
        "Field Notes Radio\nField Notes Radio\nThe Forgotten Maps | Field Notes Radio #212",
        "Field Notes Radio Field Notes Radio\nThe Forgotten Maps | Field Notes Radio #212",
    ],
)
def test_head_variants_read_the_same(head: str) -> None:
    r = record_of(f"Skip to content\n{head}\nIDEAS WORTH REMEMBERING\n1 ideaA title.\nA body.\n")
    assert (r["title"], r["show"], r["episode_number"]) == (
        "The Forgotten Maps",
        "Field Notes Radio",
        "212",
    )
    assert r["extra_lines"] == ["Skip to content"]


def test_pages_whose_show_lines_are_not_glued_still_split() -> None:
    page = (
        "Skip to content\nField Notes Radio\nField Notes Radio\n"
        "The Forgotten Maps | Field Notes Radio #212\nIDEAS WORTH REMEMBERING\n"
        "1 ideaA title.\nA body.\n"
    )
    records = podsum.parse_all(page + page.replace("#212", "#213"))
    assert [r.episode_number for r in records] == ["212", "213"]
    assert [r.extra_lines for r in records] == [["Skip to content"], ["Skip to content"]]


def test_description_is_the_overview_in_paragraphs() -> None:
    r = record_of(_text("main-page.txt"))
    paras = r["overview"].split("\n\n")
    assert len(paras) == 2
    assert paras[0].startswith("Host Dana Whitcombe sits down with archivist Luis Ferreira")
    assert paras[1].startswith("Ferreira also explains")


def test_what_its_really_about_gives_tldr_and_a_section_of_bullets() -> None:
    r = record_of(_text("main-page.txt"))
    assert r["tldr"] == (
        "Lost survey maps are the missing memory of how the valley was divided, farmed and "
        "fought over."
    )
    about = r["sections"][0]
    assert about["title"] == "WHAT IT’S REALLY ABOUT"
    assert len(about["insights"]) == 4
    assert about["insights"][0]["text"].startswith("Surveyors drew what they saw")


def test_ideas_count_glued_to_the_first_title_splits() -> None:
    r = record_of(_text("main-page.txt"))
    ideas = r["sections"][1]
    assert (ideas["title"], ideas["declared_insights"]) == ("IDEAS WORTH REMEMBERING", 4)
    assert ideas["insights"][0]["title"] == "Maps are opinions with a scale bar."
    assert ideas["insights"][0]["text"].startswith("Every survey map records choices")
    assert [i["title"] for i in ideas["insights"]][-1] == "Preservation starts with a phone camera."
    assert r["warnings"] == []


def test_crlf_copy_without_blank_lines_pairs_ideas_and_warns_on_the_count() -> None:
    raw = (PAGES / "main-crlf-no-blanks-count-mismatch.txt").read_bytes()
    assert b"\r\n" in raw and b"\r\n\r\n" not in raw
    r = record_of(raw)
    assert r["sections"][0]["title"] == "WHAT IT'S REALLY ABOUT"  # straight apostrophe
    ideas = r["sections"][1]
    assert ideas["declared_insights"] == 5
    assert [i["title"] for i in ideas["insights"]] == [
        "The lag is the story.",
        "Filtering is real but slow.",
        "Vacancy below five percent changes everything.",
        "Steady beats spectacular.",
    ]
    (w,) = r["warnings"]
    assert (w["code"], w["line"]) == ("insight-count-mismatch", 12)
    assert "untangle" in r["overview"] and "\u00a0" not in r["overview"]


def test_main_page_without_blank_lines_reads_like_with_them() -> None:
    text = _text("main-page.txt")
    tight = "\r\n".join(line for line in text.split("\n") if line.strip())
    a, b = record_of(text), record_of(tight)
    assert a["sections"] == b["sections"]
    assert (a["tldr"], a["title"], a["show"]) == (b["tldr"], b["title"], b["show"])
    assert b["overview"] == a["overview"].replace("\n\n", " ")


def test_sentence_case_headings_of_a_saved_page_are_read() -> None:
    r = record_of(HEAD + "What it’s really about\nA headline.\n- One point.\n")
    assert r["layout"] == "ulisten"
    assert (r["tldr"], r["sections"][0]["title"]) == ("A headline.", "What it’s really about")


def test_chapters_ranges_titles_summaries_and_points() -> None:
    r = record_of(_text("chapters-page.txt"))
    assert len(r["chapters"]) == 5
    c = r["chapters"][2]
    assert (c["title"], c["start"], c["start_seconds"], c["end"], c["end_seconds"]) == (
        "The creek that split two towns",
        "11:15",
        675,
        "24:50",
        1490,
    )
    assert c["summary"].count("\n\n") == 1
    assert c["points"] == [
        "The error was copied into every later deed",
        "Both towns taxed the same farms for decades",
        "The sketch settled it in one afternoon",
    ]
    assert r["sections"] == [] and r["tldr"] is None


def test_chapters_past_an_hour_without_blank_lines() -> None:
    r = record_of(_text("chapters-tight-hours.txt"))
    last = r["chapters"][-1]
    assert (last["start"], last["start_seconds"], last["end_seconds"]) == ("1:02:30", 3750, 4445)
    assert [len(c["points"]) for c in r["chapters"]] == [2, 2, 2, 1, 2]


def test_faq_answers_glued_to_the_next_question_split_and_lose_the_mark() -> None:
    r = record_of(_text("faq-glued.txt"))
    (faq,) = r["sections"]
    assert faq["title"] == "FREQUENTLY ASKED QUESTIONS"
    assert len(faq["insights"]) == 5
    q = faq["insights"][2]
    assert q["title"] == "Where did Luis Ferreira find most of the missing maps?"
    assert q["text"].endswith("a few in the archives of old law firms.")
    assert q["timestamps"] == [{"at": "26:05", "seconds": 1565}]
    assert not any("transcript" in i["text"] or "▸" in i["text"] for i in faq["insights"])
    assert r["extra_lines"] == [
        "Skip to content",
        "Answers drawn from the episode, each with a link to the moment in the transcript.",
    ]


def test_page_with_the_head_but_no_block_is_refused() -> None:
    with pytest.raises(podsum.ParseError, match="not a ulisten page"):
        podsum.parse(HEAD + "Just a description.\n", layout="ulisten")


def test_a_plain_chapters_list_from_elsewhere_is_not_ulisten() -> None:
    text = "My notes\nCHAPTERS\n0:00 – 2:40\nIntro\n2:40 – 9:00\nMain part\n"
    assert "ulisten" not in detect_layouts(text)


def test_three_pages_in_one_text_give_the_single_page_records() -> None:
    texts = [_text(n) for n in ("main-page.txt", "chapters-tight-hours.txt", "faq-glued.txt")]
    singles = [podsum.parse(t) for t in texts]
    together = podsum.parse_all(texts[0] + "\n" + texts[1] + "\n" + texts[2])
    assert [s.id for s in together] == [s.id for s in singles]
    assert [s.to_dict()["sections"] for s in together] == [s.to_dict()["sections"] for s in singles]
    assert [len(s.chapters) for s in together] == [0, 5, 0]
    assert [s.extra_lines[0] for s in together] == ["Skip to content"] * 3


@pytest.mark.parametrize("page", sorted(PAGES.glob("*.txt")), ids=page_id)
def test_every_fixture_reads_as_ulisten(page: Path) -> None:
    assert podsum.parse(page.read_bytes()).layout == "ulisten"
