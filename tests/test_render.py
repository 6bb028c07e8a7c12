"""Renderers: hostile page text stays text in every format."""

from __future__ import annotations

import re

import pytest
import yaml

import podsum
import podsum.model
from conftest import ATMES, SEED, fixture_pages, page_id

HOSTILE = ATMES / "hostile-markup-escapes.txt"
ESC = re.compile(r"[\x1b\x9b\x9d]")


def _summary(page: object = HOSTILE) -> podsum.Summary:
    from pathlib import Path

    assert isinstance(page, Path)
    return podsum.parse(page.read_bytes())


def _front_matter(md: str) -> dict[str, object]:
    assert md.startswith("---\n")
    end = md.index("\n---\n", 4)
    loaded = yaml.safe_load(md[4 : end + 1])
    assert isinstance(loaded, dict)
    return loaded


@pytest.mark.parametrize("page", fixture_pages(), ids=page_id)
def test_front_matter_is_valid_yaml_with_the_right_values(page: object) -> None:
    s = _summary(page)
    fm = _front_matter(podsum.render(s, "md"))
    assert fm["title"] == s.title
    assert fm.get("show") == s.show  # a null field is left out
    assert fm.get("published") == s.published  # a string, not a YAML date
    assert fm.get("duration") == s.duration  # a string, not a sexagesimal int
    assert fm["id"] == s.id
    assert None not in fm.values() and [] not in fm.values()


@pytest.mark.parametrize(
    "title",
    [
        "Key: value",
        "# hash",
        "---",
        "- dash",
        "> quote",
        "| pipe",
        "@at",
        "line\nbreak",
        "'quoted'",
        '"double"',
        "yes",
        "null",
        "2025-07-31",
        "1:04:21",
        "*star",
        "&anchor",
        "!tag",
        "%percent",
        "`tick`",
        "{a: 1}",
        "[1, 2]",
        "[[wikilink]] and #tag ^block |pipe",
        "--- \n---\n...",
        "🎧 Emoji 👩🏽\u200d💻 title 🇨🇳",
        "\u200fمرحبا\u200e RTL",
        "control \x1b[31m \x07 \x00 \x85 end",
        "? key",
        "1984",
    ],
)
def test_front_matter_survives_any_title(title: str) -> None:
    """The title, and the same text as show, topic and person: the front matter still
    ends where it should and holds them all exactly, tags and aliases included."""
    s = _summary(SEED)
    s.title = s.show = title
    s.topics = [title, "plain"]
    s.people = [podsum.model.Person(title, "host", title)]
    fm = _front_matter(podsum.render(s, "md"))
    assert (fm["title"], fm["show"], fm["topics"]) == (title, title, [title, "plain"])
    assert fm["people"] == [{"name": title, "role": "host", "about": title}]
    assert all("\n" not in a and not re.search(r"[\[\]|#^]", a) for a in fm["aliases"])
    for t in fm["tags"]:
        assert re.fullmatch(r"[\w/-]+", t) and not t.isdigit() and "_" not in t, t
    assert "plain" in fm["tags"] and fm["tags"][-1] == "podsum/atmes"


def test_markdown_body_has_no_structure_the_page_did_not_mean() -> None:
    md = podsum.render(_summary(), "md")
    body = md.split("\n---\n", 1)[1]
    headings = [ln for ln in body.splitlines() if ln.startswith("#")]
    # Exactly: the title, TL;DR, one section, its two insights, bottom line.
    assert len(headings) == 6, headings
    assert "## \\# Heading Injection (2 insights)" in headings
    assert "### \\---" in headings
    assert "### \\- not a list" in headings
    for line in body.splitlines():
        assert not line.startswith(("---", "- ", "> ", "<", "1. ")), line
    assert "\\<script\\>" in body
    assert "\\*not emphasis\\*" in body
    assert "\\[not a link\\](http\\://example.com)" in body
    assert "1\\. not an ordered list \\> not a quote" in body


def test_markdown_reads_back_the_hostile_page() -> None:
    s = _summary()
    back = podsum.parse(podsum.render(s, "md"))
    assert back.id == s.id
    assert back.sections[0].title == "# Heading Injection"


def test_reserved_headings_in_section_titles_round_trip() -> None:
    s = _summary(SEED)
    s.sections[0].title = "TL;DR"
    s.sections[0].declared_insights = None
    s.sections[1].title = "More from nowhere (really)"
    s.sections[1].emoji = None
    s.sections[2].title = "★ starts with a symbol"
    s.sections[2].emoji = None
    back = podsum.parse(podsum.render(s, "md"))
    assert back.to_dict(with_id=False)["sections"] == s.to_dict(with_id=False)["sections"]
    assert back.id == s.id


@pytest.mark.parametrize("title", ["Overview", "Chapters", "Transcript", "Bottom line", "Related"])
def test_schema_2_block_names_as_section_titles_round_trip(title: str) -> None:
    s = _summary(SEED)
    s.sections[0].title = title
    s.sections[0].emoji = None
    s.sections[0].declared_insights = None
    md = podsum.render(s, "md")
    assert f"\n## &#{ord(title[0])};{title[1:]}\n" in md  # never the block's own heading
    back = podsum.parse(md)
    assert back.sections[0].title == title
    assert (back.overview, back.chapters, back.transcript) == (None, [], None)
    assert (back.bottom_line, len(back.related)) == (s.bottom_line, len(s.related))
    assert back.id == s.id


def test_cards_print_markup_literally_and_no_escapes() -> None:
    out = podsum.render(_summary(), "cards")
    assert "[bold red]Pwned[/]" in out
    assert ":smile:" in out and "😄" not in out
    assert not ESC.search(out)


def test_cards_fit_the_width() -> None:
    for width in (30, 60, 100):
        out = podsum.render(_summary(SEED), "cards", width=width)
        assert max(len(line) for line in out.splitlines()) <= width


def test_cards_never_execute_escapes_from_a_json_record() -> None:
    """JSON from elsewhere may carry escapes; reading it cleans them."""
    s = _summary(SEED)
    record = s.to_dict()
    record["title"] = "\x1b]52;c;ZXZpbA==\x07evil \x1b[2J title"
    import json

    back = podsum.parse(json.dumps(record))
    assert back.title == "evil  title"
    assert any(w.code == "control-chars-removed" for w in back.warnings)
    assert not ESC.search(podsum.render(back, "cards"))


def test_text_render_of_seed() -> None:
    out = podsum.render(_summary(SEED), "text")
    assert out.splitlines()[:3] == [
        "China Open-Source, Compute Arms Race, Reordering Global Trade",
        "BG2 w/ Bill Gurley and Brad Gerstner",
        "Podcasts · 2025-07-31 · 54,900 views · 1:04:21",
    ]
    assert "🇨🇳 China's Open-Source AI Dominance · 3 insights" in out
    assert "- ChatGPT – The Super Assistant Era | BG2 Guest Interview (1:03:41, 10 days ago)" in out


def test_unknown_format_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        podsum.render(_summary(SEED), "pdf")
