"""Schema-2 fields in every renderer, and podsum's Markdown read back to the same record."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
import yaml

import podsum
from podsum.model import Chapter, Insight, Person, Related, Section, Source, Timestamp
from podsum.render.cards import print_cards, render_cards_text, renderables

# Fields that say how a copy was obtained, not what the summary says: Markdown is a
# document for people and does not carry them.
_COPY_FIELDS = ("source", "extra_lines", "warnings")


def _full() -> podsum.Summary:
    """A summary with every schema-2 field set, much of it text that looks like markup."""
    return podsum.Summary(
        title="[bold]Tides[/] and # the - grid",
        source=Source("text", None, "0" * 64, "utf-8"),
        layout="longcut",
        url="https://example.org/ep/88?x=1&y=[2]",
        show="Shoreline Talks",
        episode_number="88",
        category="Podcasts",
        published="2025-07-31",
        views=1200,
        duration="1:04:21",
        duration_seconds=3861,
        people=[
            Person("Priya Raman", "host", None),
            Person("Tomas Eklund", "guest", "turbine engineer, ex-[Navy]"),
            Person("- Dash Name", None, "# not a heading"),
        ],
        topics=["Tidal power", "yes", "1:04:21", "[bold]x[/]", "# x"],
        tldr="Tides are predictable.\n\nThat matters for grids.",
        overview="  Leading spaces stay.\n\n# x is not a heading\n- x is not a list",
        sections=[
            Section(
                "🧠",
                "Transcript",
                2,
                [
                    Insight("Chapters", "- starts with a dash\n\n# and a hash", "Priya Raman"),
                    Insight(
                        None,
                        "- a quote that starts with a dash",
                        "Tomas Eklund",
                        [Timestamp("03:15", 195), Timestamp("08:50", 530)],
                    ),
                ],
            ),
            Section(
                None,
                "Chapters",
                None,
                [
                    Insight(None, "[bold]x[/] said nobody", None, [Timestamp("1:02:03", 3723)]),
                    Insight("", "an empty title is not a missing one", None, []),
                    Insight("speaker: not a field", "  two leading spaces", "", []),
                    Insight("Odd times", "text", None, [Timestamp("a, b", None)]),
                    Insight("Checked times", "text", None, [Timestamp("99:99", 12)]),
                ],
            ),
            Section(None, "Overview", 1, [Insight("Bottom line", "Related text.")]),
        ],
        chapters=[
            Chapter(
                "Why tides",
                "00:00",
                0,
                "12:40",
                760,
                "The basics.\n\n- not a point",
                ["start: 00:00", "- dashed point", "# hashed point", "  spaced point"],
            ),
            Chapter("Transcript", "12:40", 760, None, None, None, ["end:"]),
            Chapter("# Money [bold]", None, None, "1:04:21", 3861, "Only an end.", []),
            Chapter("Odd", "ten past", 600, "soon", None, None, []),
        ],
        bottom_line="Predictable power is worth paying for.",
        related_channel="Shoreline Talks",
        related=[Related("Wave farms", "Shoreline Talks", "45:01", 2701, None, "A look.", None, 3)],
        transcript="Host: Welcome back.\n\n# Guest: Thanks.\n\n- Host: And [bold]you[/].",
    )


def _content(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in _COPY_FIELDS}


def _round_trip(s: podsum.Summary) -> podsum.Summary:
    back = podsum.parse(podsum.render(s, "md"))
    assert back.source.kind == "markdown"
    return back


def test_markdown_round_trip_keeps_every_schema_2_field() -> None:
    s = _full()
    back = _round_trip(s)
    assert _content(back.to_dict()) == _content(s.to_dict())
    assert back.id == s.id


def _body(md: str) -> list[str]:
    return md.split("\n---\n", 1)[1].splitlines()


def test_markdown_structure_is_podsum_alone() -> None:
    """Hostile page text never makes a heading, a field line or a bullet of its own."""
    body = _body(podsum.render(_full(), "md"))
    assert [ln for ln in body if ln.startswith("#")] == [
        "# \\[bold\\]Tides\\[/\\] and # the - grid",
        "## TL;DR",
        "## Overview",
        "## 🧠 Transcript (2 insights)",  # an emoji keeps it from being the block
        "### Chapters",
        "###",  # a quote: no title
        "## &#67;hapters",  # a section named like the Chapters block
        "###",
        "###",
        "### speaker: not a field",
        "### Odd times",
        "### Checked times",
        "## &#79;verview (1 insight)",
        "### Bottom line",
        "## Chapters",
        "### Why tides",
        "### Transcript",
        "### \\# Money \\[bold\\]",
        "### Odd",
        "## Bottom line",
        "## More from Shoreline Talks",
        "### Wave farms",
        "## Transcript",
    ]
    assert [ln for ln in body if ln.startswith("-")] == [
        "- speaker: Priya Raman",
        "- speaker: Tomas Eklund",
        "- at: 03:15, 08:50",
        "- at: 1:02:03",
        "- title:",  # an empty title, not a missing one
        "- speaker:",
        "- at: a\\, b",
        "- at: 99:99",
        "- seconds: 12",  # written only when the time as written does not give them
        "- start: 00:00",
        "- end: 12:40",
        "- start\\: 00:00",  # a point that looks like a field
        "- \\- dashed point",
        "- \\# hashed point",
        "- &#32; spaced point",
        "- start: 12:40",
        "- end\\:",
        "- end: 1:04:21",
        "- start: ten past",
        "- end: soon",
        "- start seconds: 600",
        "- show: Shoreline Talks",
        "- duration: 45:01",
        "- duration seconds: 2701",
        "- points: 3",
    ]
    assert "&#32; Leading spaces stay." in body  # not an indented code block
    assert "\\- a quote that starts with a dash" in body


def test_markdown_front_matter_has_the_schema_2_fields() -> None:
    md = podsum.render(_full(), "md")
    fm = yaml.safe_load(md[4 : md.index("\n---\n", 4) + 1])
    assert fm["podsum"] == 2
    assert fm["layout"] == "longcut"
    assert fm["url"] == "https://example.org/ep/88?x=1&y=[2]"
    assert fm["episode_number"] == "88"  # a string, as in the record
    assert fm["people"] == [
        {"name": "Priya Raman", "role": "host"},
        {"name": "Tomas Eklund", "role": "guest", "about": "turbine engineer, ex-[Navy]"},
        {"name": "- Dash Name", "about": "# not a heading"},
    ]
    assert fm["topics"] == ["Tidal power", "yes", "1:04:21", "[bold]x[/]", "# x"]
    assert list(fm) == [
        *("podsum", "id", "title", "aliases", "date", "tags", "show", "people", "topics"),
        *("url", "layout", "episode_number", "category", "published", "views", "duration"),
        *("duration_seconds", "related_channel"),
    ]
    assert fm["aliases"] == ["bold Tides / and the - grid", _full().id]
    assert fm["tags"] == [
        "show/shoreline-talks",
        *("tidal-power", "yes", "bold-x"),  # "1:04:21" has no letter; "# x" is "x"
        "x",
        "podsum/longcut",
    ]


def test_markdown_blocks_come_in_page_order() -> None:
    heads = [ln for ln in _body(podsum.render(_full(), "md")) if ln.startswith("## ")]
    assert heads[:2] == ["## TL;DR", "## Overview"]
    assert heads.index("## Chapters") < heads.index("## Bottom line")
    assert heads[-2:] == ["## More from Shoreline Talks", "## Transcript"]


def test_quote_and_empty_titles_read_back_apart() -> None:
    back = _round_trip(_full())
    quote = back.sections[0].insights[1]
    assert quote.title is None
    assert quote.speaker == "Tomas Eklund"
    assert [(t.at, t.seconds) for t in quote.timestamps] == [("03:15", 195), ("08:50", 530)]
    assert back.sections[1].insights[1].title == ""
    assert back.sections[1].insights[2].speaker == ""
    assert back.sections[1].insights[4].timestamps == [Timestamp("99:99", 12)]


def test_empty_text_blocks_read_back_as_empty_not_missing() -> None:
    s = _full()
    s.tldr, s.overview, s.transcript, s.bottom_line = "", None, "", None
    back = _round_trip(s)
    assert (back.tldr, back.overview, back.transcript, back.bottom_line) == ("", None, "", None)


def test_markdown_without_new_fields_reads_back() -> None:
    s = _full()
    s.people, s.topics, s.chapters, s.overview, s.transcript = [], [], [], None, None
    s.url = s.episode_number = None
    for sec in s.sections:
        for ins in sec.insights:
            ins.speaker, ins.timestamps = None, []
    md = podsum.render(s, "md")
    assert "\n## Chapters\n" not in md and "- speaker:" not in md and "- at:" not in md
    front = md[: md.index("\n---\n")]
    assert "null" not in front and "[]" not in front  # an absent key is null or empty
    for key in ("people:", "topics:", "url:", "episode_number:"):
        assert f"\n{key}" not in front
    assert _content(_round_trip(s).to_dict()) == _content(s.to_dict())


# Markdown as podsum wrote it before schema 2: no layout, people or topics; "## Overview"
# and "## Chapters" were section titles like any other; a blank line inside a text was
# written as a lone backslash; "###" alone was an empty title.
V1_MARKDOWN = """\
---
podsum: 1
id: 0123456789abcdef
title: 'Open models, closed chips'
show: BG2 w/ Bill Gurley and Brad Gerstner
category: Podcasts
published: '2025-07-31'
views: 54900
duration: '1:04:21'
duration_seconds: 3861
related_channel: BG2 w/ Bill Gurley and Brad Gerstner
tags:
- podcast
source: saved/page.txt
---

# Open models, closed chips

## TL;DR

Open weights spread fast.
\\
Chips do not.

## 🇨🇳 China's Open-Source Push (2 insights)

### Cheap to run

Small labs \\[ship\\] weekly.

###

\\- An untitled insight.

## Overview

### Why now

Costs fell.

## Chapters (1 insight)

### &#84;ranscript

Not a block in version 1.

## Bottom line

Watch the chips.

## More from BG2 w/ Bill Gurley and Brad Gerstner

### ChatGPT – The Super Assistant Era

- show: BG2 Guest Interview
- duration: 1:03:41
- duration seconds: 3821
- age: 10 days ago
- points: 10
"""


def test_version_1_markdown_still_reads() -> None:
    s = podsum.parse(V1_MARKDOWN)
    assert s.source.kind == "markdown"
    assert (s.layout, s.url, s.episode_number, s.people, s.topics) == (
        "atmes",
        None,
        None,
        [],
        [],
    )
    assert s.title == "Open models, closed chips"
    assert s.published == "2025-07-31" and s.duration_seconds == 3861
    assert s.tldr == "Open weights spread fast.\n\nChips do not."
    assert s.overview is None and s.chapters == [] and s.transcript is None
    assert [(sec.emoji, sec.title, sec.declared_insights) for sec in s.sections] == [
        ("🇨🇳", "China's Open-Source Push", 2),
        (None, "Overview", None),
        (None, "Chapters", 1),
    ]
    first = s.sections[0].insights
    assert [(i.title, i.text) for i in first] == [
        ("Cheap to run", "Small labs [ship] weekly."),
        ("", "- An untitled insight."),  # version 1 had no quotes: "###" is ""
    ]
    assert s.sections[2].insights[0].title == "Transcript"
    assert s.bottom_line == "Watch the chips."
    assert s.related == [
        Related(
            "ChatGPT – The Super Assistant Era",
            "BG2 Guest Interview",
            "1:03:41",
            3821,
            None,
            None,
            "10 days ago",
            10,
        )
    ]
    assert podsum.parse(podsum.render(s, "md")).id == s.id


def test_markdown_refuses_a_wrong_field() -> None:
    md = podsum.render(_full(), "md").replace("- seconds: 12", "- seconds: soon")
    with pytest.raises(podsum.ParseError, match="seconds"):
        podsum.parse(md)


# --- plain text --------------------------------------------------------------------


def test_text_shows_people_topics_and_overview_under_the_title() -> None:
    lines = podsum.render(_full(), "text").splitlines()
    assert lines[:6] == [
        "[bold]Tides[/] and # the - grid",
        "Shoreline Talks",
        "Episode 88 · Podcasts · 2025-07-31 · 1,200 views · 1:04:21",
        "Host: Priya Raman · Guest: Tomas Eklund (turbine engineer, ex-[Navy])"
        " · With: - Dash Name (# not a heading)",
        "Topics: Tidal power, yes, 1:04:21, [bold]x[/], # x",
        "https://example.org/ep/88?x=1&y=[2]",
    ]
    assert (
        lines.index("TL;DR") < lines.index("Overview") < lines.index("🧠 Transcript · 2 insights")
    )
    assert lines[lines.index("Overview") + 1] == "  Leading spaces stay."


def test_text_shows_speakers_timestamps_and_chapter_times() -> None:
    out = podsum.render(_full(), "text")
    assert "- - a quote that starts with a dash\n  — Tomas Eklund [03:15, 08:50]\n" in out
    assert "- Chapters\n  - starts with a dash\n\n  # and a hash\n  — Priya Raman\n" in out
    assert "- Odd times [a, b]\n  text\n" in out
    assert "\nChapters\n00:00–12:40 Why tides\n  The basics.\n" in out
    assert "  - start: 00:00\n  - - dashed point\n" in out
    assert "\n12:40 Transcript\n  - end:\n" in out
    assert "\n–1:04:21 # Money [bold]\n  Only an end.\n" in out


def test_text_ends_with_the_transcript() -> None:
    out = podsum.render(_full(), "text")
    related = out.index("More from Shoreline Talks")
    assert out.index("\nTranscript\nHost: Welcome back.") > related
    assert out.endswith("- Host: And [bold]you[/].\n")


# --- cards -------------------------------------------------------------------------


def test_cards_show_people_topics_overview_and_chapters() -> None:
    out = render_cards_text(_full(), width=100)
    assert "Host: Priya Raman" in out
    assert "Guest: Tomas Eklund (turbine engineer, ex-[Navy])" in out
    assert "Topics: Tidal power, yes, 1:04:21, [bold]x[/], # x" in out
    assert "─ Overview ─" in out and "Leading spaces stay." in out
    assert "— Tomas Eklund [03:15, 08:50]" in out
    assert "Odd times [a, b]" in out
    assert "─ Chapters ─" in out and "4 chapters" in out
    row = next(ln for ln in out.splitlines() if "Why tides" in ln)
    assert "00:00–12:40" in row
    assert "• start: 00:00" in out
    order = [out.index(x) for x in ("Leading spaces stay.", "Why tides", "Predictable power")]
    assert order == sorted(order)


def test_cards_show_the_transcript_only_when_asked() -> None:
    s = _full()
    plain = render_cards_text(s, width=80)
    assert "─ Transcript ─" not in plain and "Welcome back" not in plain
    assert podsum.render(s, "cards") == plain
    full = render_cards_text(s, width=80, transcript=True)
    assert "─ Transcript ─" in full and "Host: Welcome back." in full
    assert "- Host: And [bold]you[/]." in full  # as written, not as markup
    assert full.index("More from Shoreline Talks") < full.index("Host: Welcome back.")
    assert podsum.render(s, "cards", transcript=True) == full


def test_print_cards_passes_transcript_on() -> None:
    buf = io.StringIO()
    print_cards([_full()], buf, width=80, transcript=True)
    assert "Host: Welcome back." in buf.getvalue()
    buf = io.StringIO()
    print_cards([_full()], buf, width=80)
    assert "Host: Welcome back." not in buf.getvalue()


@pytest.mark.parametrize("width", [24, 40, 100])
def test_cards_with_every_field_fit_and_stay_text(width: int) -> None:
    out = render_cards_text(_full(), width=width, transcript=True)
    assert max(len(line) for line in out.splitlines()) <= width
    assert not re.search(r"[\x1b\x9b\x9d]", out)


def test_card_text_is_rich_text_never_markup() -> None:
    """Every piece of page text reaches Rich as a Text object."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    seen: list[object] = []

    def walk(r: object) -> None:
        if isinstance(r, Group):
            for child in r.renderables:
                walk(child)
        elif isinstance(r, Panel):
            seen.extend([r.title, r.subtitle])
            walk(r.renderable)
        elif isinstance(r, Table):
            seen.append(r.title)
            for column in r.columns:
                for cell in column.cells:
                    walk(cell)
        else:
            seen.append(r)

    for r in renderables(_full(), transcript=True):
        walk(r)
    texts = [x for x in seen if x is not None and x != ""]
    assert texts and all(isinstance(x, Text) for x in texts), [
        x for x in texts if not isinstance(x, Text)
    ]
    assert any("[bold]Tides[/]" in x.plain for x in texts if isinstance(x, Text))


def test_a_long_bio_gets_a_block_of_its_own() -> None:
    s = _full()
    bio = "Tomas Eklund spent twenty years designing underwater turbines for estuaries."
    s.people[1].about = bio
    text = podsum.render(s, "text").splitlines()
    assert (
        text[3] == "Host: Priya Raman · Guest: Tomas Eklund · With: - Dash Name (# not a heading)"
    )
    people = text.index("People")
    assert text.index("Overview") < people < text.index("🧠 Transcript · 2 insights")
    assert text[people + 1 : people + 3] == ["- Tomas Eklund", "  " + bio]
    cards = render_cards_text(s, width=200)
    assert "─ People ─" in cards and bio in cards
    assert "Guest: Tomas Eklund" in cards and "Guest: Tomas Eklund (" not in cards


_STRUCTURAL = {"emoji", "at", "start", "end", "layout", "schema_version", "id"}


def _harmless(value: Any, key: str | None = None) -> Any:
    """The same record with every line of page text replaced by "x"."""
    if isinstance(value, dict):
        return {k: _harmless(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_harmless(v, key) for v in value]
    if isinstance(value, str) and key not in _STRUCTURAL:
        return "\n".join("x" if line else "" for line in value.split("\n"))
    return value


def _tokens(md: str) -> list[str]:
    """Block and inline token types of the body, as a CommonMark renderer sees them."""
    from markdown_it import MarkdownIt

    types = []
    for t in MarkdownIt("commonmark").parse(md.split("\n---\n", 1)[1]):
        types.append(t.type)
        types.extend(c.type for c in t.children or [] if c.type not in ("text", "softbreak"))
    return types


def test_a_commonmark_renderer_sees_no_structure_from_page_text() -> None:
    from podsum.model import summary_from_dict

    s = _full()
    twin = summary_from_dict(_harmless(s.to_dict()))
    assert twin.sections[0].insights[0].text == "x\n\nx"
    assert _tokens(podsum.render(s, "md")) == _tokens(podsum.render(twin, "md"))
