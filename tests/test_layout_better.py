"""The better reader: title line, teaser, meta line, short name, and its three blocks."""

from __future__ import annotations

from typing import Any

import pytest

import podsum
from conftest import FIXTURES, record_of
from podsum.read import detect_layouts

BETTER = FIXTURES / "better"

PAGE = "\n".join(
    [
        "Do Cities Need Parking Minimums? | Streets and Sense",
        (
            "Parking rules decide the shape of most American towns more than any architect "
            "does. Planner Joy Mensah explains how minimum parking requirements raised rents "
            "and emptied downtowns, and why a handful of cities that scrapped them saw new "
            "housing arrive within a couple of y"
        ),
        "May 5, 2026 41m",
        "Streets",
        "Key Takeaway",
        (
            "Parking rules decide the shape of most American towns more than any architect "
            "does. Planner Joy Mensah explains how minimum parking requirements raised rents "
            "and emptied downtowns, and why a handful of cities that scrapped them saw new "
            "housing arrive within a couple of years."
        ),
        "Episode Overview",
        (
            "Joy Mensah walks host Leo Brandt through the history of parking minimums, from a"
            " few pages of 1950s guidance to rules that now cover almost every building."
        ),
        "Key Insights",
        "Rules were copied, not measured",
        (
            "Most towns borrowed their parking numbers from other towns. Mensah found almost "
            "no local counts behind the ratios in the codes she studied."
        ),
        "Every space has a price",
        (
            "A structured parking space can cost as much as a small car. That cost lands in "
            "rents whether or not a tenant owns a car."
        ),
        "Watch on YouTube",
        "",
    ]
)


def parse(text: str) -> dict[str, Any]:
    return record_of(text)


def swap(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced, which must be there (or the test proves nothing)."""
    assert old in text, old
    return text.replace(old, new)


def test_page_fields() -> None:
    r = parse(PAGE)
    assert r["layout"] == "better"
    assert (r["title"], r["show"]) == ("Do Cities Need Parking Minimums?", "Streets and Sense")
    assert (r["published"], r["duration"], r["duration_seconds"]) == ("2026-05-05", "41m", 2460)
    assert r["tldr"].startswith("Parking rules decide") and r["tldr"].endswith("couple of years.")
    assert r["overview"].startswith("Joy Mensah walks host Leo Brandt")
    [section] = r["sections"]
    assert (section["title"], section["emoji"], section["declared_insights"]) == (
        "Key Insights",
        None,
        None,
    )
    assert [i["title"] for i in section["insights"]] == [
        "Rules were copied, not measured",
        "Every space has a price",
    ]
    assert section["insights"][1]["text"].endswith("whether or not a tenant owns a car.")
    assert r["warnings"] == []


def test_teaser_short_name_and_footer_are_chrome() -> None:
    r = parse(PAGE)
    teaser, short, footer = r["extra_lines"]
    assert teaser.startswith("Parking rules decide") and teaser.endswith("a couple of y")
    assert (short, footer) == ("Streets", "Watch on YouTube")
    assert "Watch on YouTube" not in r["sections"][0]["insights"][-1]["text"]


def test_short_name_is_the_show_when_the_title_line_names_none() -> None:
    r = parse(swap(PAGE, " | Streets and Sense", ""))
    assert (r["title"], r["show"]) == ("Do Cities Need Parking Minimums?", "Streets")
    assert "Streets" not in r["extra_lines"]


@pytest.mark.parametrize(
    ("meta", "published", "duration", "seconds"),
    [
        ("May 5, 2026 52m", "2026-05-05", "52m", 3120),
        ("May 5, 2026 1h 3m", "2026-05-05", "1h 3m", 3780),
        ("Sep 30, 2025 2h", "2025-09-30", "2h", 7200),
    ],
)
def test_meta_forms(meta: str, published: str, duration: str, seconds: int) -> None:
    r = parse(swap(PAGE, "May 5, 2026 41m", meta))
    assert (r["published"], r["duration"], r["duration_seconds"]) == (published, duration, seconds)


def test_year_less_date_warns_and_leaves_published_empty() -> None:
    r = parse(swap(PAGE, "May 5, 2026 41m", "May 5 41m"))
    assert r["published"] is None and r["duration_seconds"] == 2460
    [w] = r["warnings"]
    assert (w["code"], w["line"]) == ("date-without-year", 3)


def test_glued_teaser_meta_and_short_name_split() -> None:
    glued = swap(
        PAGE, "a couple of y\nMay 5, 2026 41m\nStreets\n", "a couple of yMay 5, 2026 41mStreets\n"
    )
    r = parse(glued)
    assert (r["published"], r["duration"]) == ("2026-05-05", "41m")
    assert r["extra_lines"][0].endswith("a couple of y")
    assert r["extra_lines"][1:] == ["Streets", "Watch on YouTube"]
    assert r["title"] == parse(PAGE)["title"]


def test_glued_headings_split() -> None:
    glued = swap(PAGE, "Key Takeaway\nParking", "Key TakeawayParking")
    glued = swap(glued, "Key Insights\nRules", "Key InsightsRules")
    assert detect_layouts(glued) == ["better"]
    a, b = parse(glued), parse(PAGE)
    for field in ("title", "show", "tldr", "overview", "sections", "extra_lines"):
        assert a[field] == b[field], field


def test_a_heading_that_only_starts_a_line_is_not_glued() -> None:
    r = parse(swap(PAGE, "Do Cities Need", "Key Insights From a Planner: Do Cities Need"))
    assert r["title"] == "Key Insights From a Planner: Do Cities Need Parking Minimums?"
    assert [i["title"] for i in r["sections"][0]["insights"]] == [
        "Rules were copied, not measured",
        "Every space has a price",
    ]


def test_glued_fixture() -> None:
    r = record_of((BETTER / "glued-lines.txt").read_bytes())
    assert r["tldr"].startswith("Octopus arms are lined")
    assert r["sections"][0]["insights"][0]["title"] == "Each sucker is a tongue"
    assert r["extra_lines"][1:] == ["Deep Water", "Share", "Copy link"]


def test_no_blank_lines_and_crlf_give_the_same_record_as_the_blank_separated_copy() -> None:
    page = (BETTER / "basic-teaser-footer.txt").read_text(encoding="utf-8")
    tight = "\r\n".join(ln for ln in page.split("\n") if ln.strip()).replace(" ", "\u00a0", 3)
    a, b = record_of(page), record_of(tight.encode("utf-8"))
    assert a["id"] == b["id"]
    for field in ("title", "show", "tldr", "overview", "sections", "extra_lines", "warnings"):
        assert a[field] == b[field], field
    assert a["overview"].count("\n\n") == 1  # two paragraphs, with or without the blank


def test_multi_paragraph_insight_keeps_its_paragraphs() -> None:
    r = record_of((BETTER / "glued-lines.txt").read_bytes())
    body = r["sections"][0]["insights"][1]["text"]
    assert body.count("\n\n") == 1 and body.split("\n\n")[1].startswith("In one trial")


def test_missing_blocks_are_null_not_invented() -> None:
    r = record_of((BETTER / "yearless-no-takeaway-show-from-short-name.txt").read_bytes())
    assert r["tldr"] is None and r["overview"] is not None
    assert r["show"] == "Crumb & Culture"
    # without a Key Takeaway to compare with, the long teaser is still not the title
    assert r["title"] == "Sourdough Starters, Explained by a Microbiologist"
    assert r["extra_lines"][0].startswith("Most sourdough starters")


def test_page_without_its_blocks_is_refused() -> None:
    with pytest.raises(podsum.ParseError, match="not a better page"):
        podsum.parse("Just a title | A show\nMay 5, 2026 41m\nSome text.\n", layout="better")
    with pytest.raises(podsum.ParseError, match="not a better page"):
        podsum.parse("Key Takeaway\nA paragraph and nothing above it.\n", layout="better")


@pytest.mark.parametrize(
    "text",
    [
        # podwave and publishers' notes have an Episode Overview of their own
        "Show: \u201cTitle\u201d\nEpisode Overview\nA paragraph.\nKey Discussion Points\n",
        "My notes\nEpisode Overview\nA paragraph.\nKey Insights\nA point\nIts body.\n",
        "Key Takeaways\n- one\n- two\n",
    ],
)
def test_other_pages_are_not_better(text: str) -> None:
    assert "better" not in detect_layouts(text)


def test_concatenated_pages_give_one_record_each_with_the_single_page_ids() -> None:
    names = ["basic-teaser-footer", "glued-lines", "yearless-no-takeaway-show-from-short-name"]
    texts = [(BETTER / f"{n}.txt").read_text(encoding="utf-8") for n in names]
    singles = [podsum.parse(t) for t in texts]
    many = podsum.parse_all(texts[0] + "\n" + texts[1] + "\n" + texts[2])
    assert [s.id for s in many] == [s.id for s in singles]
    assert [s.title for s in many] == [s.title for s in singles]
    assert [s.layout for s in many] == ["better"] * 3
