"""longcut.ai pages: the Markdown takeaways line, the head, topics and transcript."""

from __future__ import annotations

from pathlib import Path

import pytest

import podsum
from conftest import FIXTURES, page_id, record_of
from podsum.read import detect_layouts

PAGES = FIXTURES / "longcut"


def _text(name: str) -> str:
    return (PAGES / name).read_bytes().decode("utf-8")


def _page(head: str, summary: str, tail: str = "") -> str:
    return (
        f"LongCut logo\n{head}\nSummary\n{summary}\nTopics Covered\n- Tides\n"
        f"Full Transcript\nA line of the transcript.\n{tail}"
    )


def test_head_gives_title_channel_and_keeps_the_logo_out_of_fields() -> None:
    r = record_of(_text("hhmmss-past-length.txt"))
    assert r["title"] == "How Glaciers Carve Valleys: A Field Guide to the Ice Age Landscape"
    assert r["show"] == "Terra Explained"
    assert (r["duration"], r["duration_seconds"]) == ("42:18", 2538)
    assert r["extra_lines"] == ["LongCut logo"]


def test_takeaways_split_only_at_bold_labels_not_at_hyphens_in_bodies() -> None:
    r = record_of(_text("hhmmss-past-length.txt"))
    (section,) = r["sections"]
    assert section["title"] == "Key takeaways"
    assert section["declared_insights"] is None
    assert len(section["insights"]) == 6
    first = section["insights"][0]
    assert first["title"] == "Ice flows like a slow plastic"
    assert first["text"].startswith("Glacier ice is not rigid - under its own weight")
    assert "[" not in first["text"]
    assert [t["at"] for t in first["timestamps"]] == ["02:14", "00:05:40"]
    assert section["insights"][2]["title"] == "U-shaped valleys are the signature"


def test_hhmmss_timestamps_past_the_video_length_warn() -> None:
    r = record_of(_text("hhmmss-past-length.txt"))
    late = r["sections"][0]["insights"][-1]["timestamps"]
    assert late == [{"at": "51:02", "seconds": 3062}, {"at": "00:52:40", "seconds": 3160}]
    (w,) = r["warnings"]
    assert w["code"] == "timestamp-out-of-range"
    assert "00:44:10, 51:02, 00:52:40" in w["message"]


def test_without_a_duration_no_range_warning_is_possible() -> None:
    text = _text("hhmmss-past-length.txt").replace("\n42:18\n", "\n", 1)
    r = record_of(text)
    assert r["duration_seconds"] is None
    assert r["warnings"] == []
    assert len(r["sections"][0]["insights"]) == 6


def test_empty_summary_block_gives_no_sections_but_the_rest() -> None:
    r = record_of(_text("empty-summary.txt"))
    assert r["sections"] == [] and r["tldr"] is None
    assert r["topics"][0] == "Library budgets and municipal finance"
    assert r["transcript"] is not None and r["transcript"].count("\n\n") == 3


def test_transcript_joins_lines_with_spaces_and_groups_with_blank_lines() -> None:
    r = record_of(_text("crlf-tight-head-unbulleted-topics.txt"))
    paras = r["transcript"].split("\n\n")
    assert len(paras) == 4
    assert paras[0].startswith("If you have ever kept a sourdough starter alive on your counter")
    assert "running a small microbiology experiment" in paras[0]
    assert "\n" not in paras[0]


def test_unbulleted_topics_are_topics_too() -> None:
    r = record_of(_text("crlf-tight-head-unbulleted-topics.txt"))
    assert r["topics"] == [
        "Wild yeast and lactic acid bacteria",
        "pH and food safety",
        "Fermentation temperature",
        "Starter hydration",
        "Feeding schedules",
    ]


def test_crlf_copy_reads_like_the_lf_copy() -> None:
    crlf = (PAGES / "crlf-tight-head-unbulleted-topics.txt").read_bytes()
    assert b"\r\n" in crlf
    a = podsum.parse(crlf).to_dict()
    b = podsum.parse(crlf.replace(b"\r\n", b"\n")).to_dict()
    a.pop("source"), b.pop("source")
    assert a == b


def test_colon_inside_the_bold_and_markdown_over_several_lines() -> None:
    summary = (
        "## Key takeaways\n- **Tides follow the moon:** twice a day - mostly. [01:10]\n"
        "- **Spring tides are big:** sun and moon align. [00:03:05], [04:00]"
    )
    r = record_of(_page("Why Tides Happen\nBy Sea Notes", summary))
    ins = r["sections"][0]["insights"]
    assert [(i["title"], i["text"]) for i in ins] == [
        ("Tides follow the moon", "twice a day - mostly."),
        ("Spring tides are big", "sun and moon align."),
    ]
    assert [t["seconds"] for t in ins[1]["timestamps"]] == [185, 240]


def test_two_markdown_headings_make_two_sections() -> None:
    summary = (
        "## Key takeaways - **One**: first. [00:10] ## Notable moments - **Two**: second. [00:20]"
    )
    r = record_of(_page("Why Tides Happen\nBy Sea Notes", summary))
    assert [s["title"] for s in r["sections"]] == ["Key takeaways", "Notable moments"]
    assert [len(s["insights"]) for s in r["sections"]] == [1, 1]


def test_items_without_bold_titles_split_only_after_a_sentence_or_time() -> None:
    summary = "## Key takeaways - Ice is slow - really slow. [01:00] - Rock breaks. [00:02:00]"
    r = record_of(_page("Why Tides Happen\nBy Sea Notes", summary))
    ins = r["sections"][0]["insights"]
    assert [(i["title"], i["text"]) for i in ins] == [
        (None, "Ice is slow - really slow."),
        (None, "Rock breaks."),
    ]
    assert [t["seconds"] for i in ins for t in i["timestamps"]] == [60, 120]


def test_a_heading_with_no_items_makes_no_section() -> None:
    r = record_of(_page("Why Tides Happen\nBy Sea Notes", "## Key takeaways"))
    assert r["sections"] == []


def test_title_is_the_line_before_by_when_chrome_precedes_it() -> None:
    r = record_of(_page("Sign in\nWhy Tides Happen\nBy Sea Notes", "## Key takeaways"))
    assert (r["title"], r["show"]) == ("Why Tides Happen", "Sea Notes")
    assert r["extra_lines"] == ["LongCut logo", "Sign in"]


def test_page_without_its_blocks_is_refused() -> None:
    with pytest.raises(podsum.ParseError, match="not a longcut page"):
        podsum.parse("LongCut logo\nA title\nBy Someone\nNothing else here.\n", layout="longcut")


def test_a_generic_summary_with_summary_and_transcript_is_not_longcut() -> None:
    text = "Some talk\nSummary\nIt was good.\nTranscript\nHello there.\n"
    assert "longcut" not in detect_layouts(text)


def test_three_pages_in_one_text_give_the_single_page_records() -> None:
    names = ["hhmmss-past-length.txt", "empty-summary.txt", "crlf-tight-head-unbulleted-topics.txt"]
    texts = [_text(n).replace("\r\n", "\n") for n in names]
    singles = [podsum.parse(t) for t in texts]
    together = podsum.parse_all("\n".join(texts))
    assert [s.id for s in together] == [s.id for s in singles]
    assert [s.title for s in together] == [s.title for s in singles]
    assert [len(s.sections) for s in together] == [1, 0, 1]
    assert together[1].extra_lines == ["LongCut logo"]
    assert [w.code for w in together[0].warnings] == ["timestamp-out-of-range"]


@pytest.mark.parametrize("page", sorted(PAGES.glob("*.txt")), ids=page_id)
def test_every_fixture_reads_as_longcut(page: Path) -> None:
    assert podsum.parse(page.read_bytes()).layout == "longcut"
