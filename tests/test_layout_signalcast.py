"""The signalcast reader: show, title, length line, label / value lines, Key Takeaways."""

from __future__ import annotations

from typing import Any

import pytest

import podsum
from conftest import FIXTURES, record_of
from podsum.read import detect_layouts

SIGNALCAST = FIXTURES / "signalcast"

PAGE = "\n".join(
    [
        "Skip to main content",
        "Small Engines Weekly",
        "Why Lawn Mowers Are Going Electric",
        "36 min episode · 2 min read",
        "·",
        "Episode",
        "36 min",
        "Read time",
        "2 min",
        "Topics",
        "Tools, Batteries, Noise",
        "AI-Generated Summary",
        "Key Takeaways",
        (
            "✓Noise Rules: Several towns now limit petrol mowers on weekends. Landscaper Pia "
            "Holm says the rules pushed her crews to switch faster than prices did."
        ),
        (
            "✓Battery Swaps: Crews carry spare packs and charge them in the van between jobs."
            " A full day needs about six packs per mower."
        ),
        (
            "Running Costs: Electricity costs a fraction of petrol per lawn. Holm also spends"
            " far less on servicing because there is no oil or spark plug to change."
        ),
        "Privacy",
        "Help: contact us any time.",
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
    assert r["layout"] == "signalcast"
    assert (r["show"], r["title"]) == ("Small Engines Weekly", "Why Lawn Mowers Are Going Electric")
    assert (r["duration"], r["duration_seconds"]) == ("36 min", 2160)
    assert r["topics"] == ["Tools", "Batteries", "Noise"]
    [section] = r["sections"]
    assert (section["title"], section["emoji"], section["declared_insights"]) == (
        "Key Takeaways",
        None,
        None,
    )
    assert [(i["title"], i["text"][:20]) for i in section["insights"]] == [
        ("Noise Rules", "Several towns now li"),
        ("Battery Swaps", "Crews carry spare pa"),
        ("Running Costs", "Electricity costs a "),
    ]


def test_no_date_no_warning() -> None:
    r = parse(PAGE)
    assert r["published"] is None and r["warnings"] == []


def test_chrome_and_footer_stay_out_of_the_takeaways() -> None:
    r = parse(PAGE)
    # the list ends at its first line that is not a takeaway, even if a later one
    # looks like ``Label: text``
    assert r["extra_lines"] == [
        "Skip to main content",
        "·",
        "Privacy",
        "Help: contact us any time.",
    ]


def test_read_time_is_not_the_duration() -> None:
    no_episode = swap(PAGE, "36 min episode · 2 min read\n", "")
    no_episode = swap(no_episode, "Episode\n36 min\n", "")
    r = parse(no_episode)
    assert r["duration"] is None and r["duration_seconds"] is None
    assert r["title"] == "Why Lawn Mowers Are Going Electric"


def test_length_line_gives_the_duration_when_the_label_is_missing() -> None:
    r = parse(swap(PAGE, "Episode\n36 min\n", ""))
    assert (r["duration"], r["duration_seconds"]) == ("36 min", 2160)


def test_glued_checkmarks_split_into_takeaways() -> None:
    glued = swap(
        PAGE,
        "pushed her crews to switch faster than prices did.\n✓",
        "pushed her crews to switch faster than prices did.✓",
    )
    assert parse(glued)["sections"] == parse(PAGE)["sections"]
    r = record_of((SIGNALCAST / "glued-lines.txt").read_bytes())
    insights = r["sections"][0]["insights"]
    assert [i["title"] for i in insights] == [
        "Caffeine as Infrastructure",
        "The Four A.M. Dip",
        "Timing Beats Quantity",
        "Naps work better than anyone admits",
        None,
        "Breaks Are Not Optional",
        "Light Helps Too",
        "Dim Mornings Help Sleep",
        "Energy Drinks Worry Him",
        "Culture Is the Hard Part",
    ]
    assert insights[4]["text"].startswith("Nurses on permanent nights")


def test_glued_labels_headings_and_show() -> None:
    r = record_of((SIGNALCAST / "glued-lines.txt").read_bytes())
    assert (r["show"], r["title"]) == ("The Night Shift Podcast", "Why Hospitals Run on Coffee")
    assert (r["duration"], r["topics"]) == ("55 min", ["Medicine", "Sleep", "Work", "Caffeine"])
    assert r["extra_lines"][:2] == ["Skip to main content", "·"]


def test_title_glued_to_the_length_line() -> None:
    r = record_of((SIGNALCAST / "cr-doubled-blanks-title-glued-to-meta.txt").read_bytes())
    assert r["title"] == "Can You Really Taste the Difference in Expensive Olive Oil?"
    assert (r["duration"], r["duration_seconds"]) == ("1 hour 4 min", 3840)


def test_no_blank_lines_and_crlf_give_the_same_record() -> None:
    page = (SIGNALCAST / "basic-checkmarks-footer.txt").read_text(encoding="utf-8")
    tight = "\r\n".join(ln for ln in page.split("\n") if ln.strip()).replace(" ", "\u00a0", 4)
    a, b = record_of(page), record_of(tight.encode("utf-8"))
    assert a["id"] == b["id"]
    for field in ("title", "show", "duration", "topics", "sections", "extra_lines", "warnings"):
        assert a[field] == b[field], field


def test_page_without_a_summary_is_refused() -> None:
    with pytest.raises(podsum.ParseError, match="not a signalcast page"):
        podsum.parse("Skip to main content\nA Show\nA title\nSome text.\n", layout="signalcast")
    with pytest.raises(podsum.ParseError, match="not a signalcast page"):
        podsum.parse("Key Takeaways\nLabel: text.\n", layout="signalcast")


@pytest.mark.parametrize(
    "text",
    [
        "Some notes\nKey Takeaways\n- one\n- two\n",
        "\U0001f916 AI-Generated Summary:\nOverview\nA paragraph.\nKey Takeaways\n- one\n",
        "Skip to content\nA Show\nKey Takeaways\n- one\n",
    ],
)
def test_other_pages_are_not_signalcast(text: str) -> None:
    assert "signalcast" not in detect_layouts(text)


def test_concatenated_pages_give_one_record_each_with_the_single_page_ids() -> None:
    names = ["basic-checkmarks-footer", "glued-lines", "cr-doubled-blanks-title-glued-to-meta"]
    texts = [
        (SIGNALCAST / f"{n}.txt").read_bytes().decode("utf-8").replace("\r", "\n") for n in names
    ]
    singles = [podsum.parse(t) for t in texts]
    many = podsum.parse_all(texts[0] + "\n" + texts[1] + "\n" + texts[2])
    assert [s.id for s in many] == [s.id for s in singles]
    assert [(s.show, s.title) for s in many] == [(s.show, s.title) for s in singles]
    assert [s.layout for s in many] == ["signalcast"] * 3
