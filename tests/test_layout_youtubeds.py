"""The youtubeds.com reader: chrome, the channel line, the header, the wrapped Overview,
chapters with their sub-headings, declared counts, and what it refuses."""

from __future__ import annotations

import pytest

import podsum
from conftest import FIXTURES, record_of
from podsum.read import detect_layouts

YTDS = FIXTURES / "youtubeds"

PAGE = """YouTube Deep SummaryYouTube Deep Summary
Star Read any video in five minutes
Video thumbnail
Knots Every Sailor Should Know
Harbour Hands • 2025-05-12 • 20:00 minutes • YouTube
📚 Chapter Summaries (2)
🤖 AI-Generated Summary:
🎥 Knots Every Sailor Should Know
⏱️ Duration: 20:00
🔗 Watch on YouTube
📚 Video Chapters (2 chapters):

Overview

A rigger ties the six knots she uses most and explains when each one fails, with slow
close-ups of every step.

Chapter-by-Chapter Deep Dive

The Bowline (00:00)

Core Concepts & Main Points:
- A fixed loop that does not slip under load and unties easily after it, even when
  soaked.
- Tie it with the rabbit-and-tree rhyme.

Key Insights & Takeaways:
- It can shake loose when it is not loaded.

Actionable Advice:
- Leave a long tail.

Connection to Video Theme:
The bowline is the reference the other knots are compared with.

Hitches (08:30)

Core Concepts & Main Points:
- The clove hitch is quick but slips on a smooth post.

Connection to Video Theme:
Hitches trade security for speed.
"""


def test_head_fields() -> None:
    r = record_of(PAGE)
    assert r["layout"] == "youtubeds"
    assert (r["title"], r["show"], r["published"]) == (
        "Knots Every Sailor Should Know",
        "Harbour Hands",
        "2025-05-12",
    )
    assert (r["duration"], r["duration_seconds"]) == ("20:00 minutes", 1200)
    assert r["extra_lines"] == [
        "YouTube Deep SummaryYouTube Deep Summary",
        "Star Read any video in five minutes",
        "Video thumbnail",
        "🔗 Watch on YouTube",
    ]
    assert r["warnings"] == []


def test_overview_lines_are_joined_with_spaces() -> None:
    assert record_of(PAGE)["overview"] == (
        "A rigger ties the six knots she uses most and explains when each one fails, with"
        " slow close-ups of every step."
    )


def test_chapters_points_summary_and_ends() -> None:
    chapters = record_of(PAGE)["chapters"]
    assert [
        (c["title"], c["start"], c["start_seconds"], c["end"], c["end_seconds"]) for c in chapters
    ] == [
        ("The Bowline", "00:00", 0, "08:30", 510),
        ("Hitches", "08:30", 510, "20:00", 1200),
    ]
    assert chapters[0]["points"] == [
        "A fixed loop that does not slip under load and unties easily after it, even when soaked.",
        "Tie it with the rabbit-and-tree rhyme.",
        "It can shake loose when it is not loaded.",
        "Leave a long tail.",
    ]
    assert (
        chapters[0]["summary"] == "The bowline is the reference the other knots are compared with."
    )
    assert chapters[1]["summary"] == "Hitches trade security for speed."


def test_connection_as_bullets_goes_to_points() -> None:
    page = PAGE.replace(
        "Connection to Video Theme:\nHitches trade", "Connection to Video Theme:\n- Hitches trade"
    )
    last = record_of(page)["chapters"][-1]
    assert last["summary"] is None
    assert last["points"][-1] == "Hitches trade security for speed."


def test_a_wrapped_bullet_ending_in_a_time_is_not_a_chapter() -> None:
    page = PAGE.replace(
        "- Tie it with the rabbit-and-tree rhyme.",
        "- Tie it with the rabbit-and-tree rhyme shown\n  at the start of the demo (02:15)",
    )
    chapters = record_of(page)["chapters"]
    assert [c["title"] for c in chapters] == ["The Bowline", "Hitches"]
    assert chapters[0]["points"][1] == (
        "Tie it with the rabbit-and-tree rhyme shown at the start of the demo (02:15)"
    )


def test_without_the_channel_line_duration_comes_from_the_timer_line_without_vs16() -> None:
    page = PAGE.replace("Harbour Hands • 2025-05-12 • 20:00 minutes • YouTube\n", "").replace(
        "⏱️ Duration: 20:00", "⏱ Duration: 20:00"
    )
    r = record_of(page)
    assert (r["title"], r["show"], r["published"]) == ("Knots Every Sailor Should Know", None, None)
    assert (r["duration"], r["duration_seconds"]) == ("20:00", 1200)
    assert r["chapters"][-1]["end"] == "20:00"


def test_without_the_title_line_the_video_line_names_it_and_the_channel_line_still_counts() -> None:
    page = PAGE.replace("Video thumbnail\nKnots Every Sailor Should Know\n", "Video thumbnail\n")
    r = record_of(page)
    assert (r["title"], r["show"], r["published"]) == (
        "Knots Every Sailor Should Know",
        "Harbour Hands",
        "2025-05-12",
    )
    assert r["extra_lines"] == record_of(PAGE)["extra_lines"]


def test_a_declared_chapter_count_that_differs_warns() -> None:
    page = PAGE.replace("(2 chapters)", "(3 chapters)")
    r = record_of(page)
    assert len(r["chapters"]) == 2
    assert [(w["code"], w["line"]) for w in r["warnings"]] == [("chapter-count-mismatch", 11)]
    assert "3 chapters, 2 found" in r["warnings"][0]["message"]


def test_a_chapter_past_the_end_warns_and_has_no_end() -> None:
    page = PAGE.replace("Hitches (08:30)", "Hitches (23:10)")
    r = record_of(page)
    assert [w["code"] for w in r["warnings"]] == ["timestamp-out-of-range"]
    assert (r["chapters"][1]["start"], r["chapters"][1]["end"]) == ("23:10", None)


def test_glued_header_lines_and_deep_dive_heading() -> None:
    page = PAGE.replace(
        "📚 Chapter Summaries (2)\n🤖 AI-Generated Summary:",
        "📚 Chapter Summaries (2)🤖 AI-Generated Summary:",
    ).replace(
        "Chapter-by-Chapter Deep Dive\n\nThe Bowline (00:00)",
        "Chapter-by-Chapter Deep DiveThe Bowline (00:00)",
    )
    a, b = record_of(PAGE), record_of(page)
    assert a["chapters"] == b["chapters"]
    assert b["extra_lines"] == a["extra_lines"]


def test_a_footer_after_the_last_chapter_is_chrome() -> None:
    r = record_of(PAGE + "\nMore summaries\nPrivacy policy\n")
    assert r["chapters"][-1]["summary"] == "Hitches trade security for speed."
    assert r["extra_lines"][-2:] == ["More summaries", "Privacy policy"]


def test_a_footer_right_under_the_last_paragraph_is_chrome() -> None:
    r = record_of(PAGE.rstrip("\n") + "\nPrivacy · Terms\n")
    assert r["chapters"][-1]["summary"] == "Hitches trade security for speed."
    assert r["extra_lines"][-1] == "Privacy · Terms"


def test_a_wrapped_last_line_is_not_a_footer() -> None:
    page = PAGE.replace("Hitches trade security for speed.", "Hitches trade security\nfor speed")
    r = record_of(page)
    assert r["chapters"][-1]["summary"] == "Hitches trade security for speed"
    assert r["extra_lines"][-1] == "🔗 Watch on YouTube"


def test_conclusion_is_the_bottom_line_and_a_footer_after_it_is_chrome() -> None:
    r = record_of(PAGE + "\nConclusion\n\nTie each knot until it is automatic.\n\nShare\n")
    assert r["bottom_line"] == "Tie each knot until it is automatic."
    assert r["chapters"][-1]["summary"] == "Hitches trade security for speed."
    assert r["extra_lines"][-1] == "Share"


def test_crlf_and_no_blank_lines_give_the_same_chapters() -> None:
    tight = "\r\n".join(line for line in PAGE.split("\n") if line)
    a, b = record_of(PAGE), record_of(tight)
    for key in ("title", "show", "duration_seconds", "overview", "chapters"):
        assert a[key] == b[key], key


def test_a_page_without_title_or_content_is_refused() -> None:
    with pytest.raises(podsum.ParseError, match="not a youtubeds page"):
        podsum.parse("YouTube Deep Summary\nStar us\nHello there.\n", layout="youtubeds")
    bare = "Knots\nHarbour Hands • 2025-05-12 • 20:00 minutes • YouTube\nThat is all.\n"
    with pytest.raises(podsum.ParseError, match="not a youtubeds page"):
        podsum.parse(bare, layout="youtubeds")


def test_detected_only_as_youtubeds() -> None:
    assert detect_layouts(PAGE) == ["youtubeds"]
    assert "youtubeds" not in detect_layouts("Title\n\nAI-Generated Summary\n\nKey Takeaways\n")


def test_three_pages_in_one_text_are_three_records_with_their_own_ids() -> None:
    names = ["full-page", "count-mismatch-no-vs16-crlf", "no-meta-glued-index-footer"]
    texts = [(YTDS / f"{n}.txt").read_bytes().decode("utf-8") for n in names]
    singles = [podsum.parse(t) for t in texts]
    together = podsum.parse_all("\n".join(texts))
    assert [s.layout for s in together] == ["youtubeds"] * 3
    assert [s.id for s in together] == [s.id for s in singles]
    assert [len(s.chapters) for s in together] == [4, 5, 3]
    # the second page's chrome is its own, not the first page's tail
    assert together[1].extra_lines[:2] == ["YouTube Deep Summary", "YouTube Deep Summary"]
    assert together[0].extra_lines[-1] == "🔗 Watch on YouTube"
