"""Hypothesis properties over the parse entry point and the Markdown round trip."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import podsum
from conftest import fixture_pages, page_id, valid
from podsum.model import Chapter, Insight, Person, Related, Section, Source, Timestamp
from podsum.values import parse_timestamp

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _only_parse_error(data: str | bytes) -> None:
    try:
        s = podsum.parse(data)
    except podsum.ParseError as exc:
        assert not str(exc).startswith("internal error"), str(exc)
        return
    valid(s.to_dict())
    for fmt in ("md", "json", "text", "cards"):
        podsum.render(s, fmt)


@SETTINGS
@given(st.text())
def test_any_text_gives_a_record_or_parse_error(text: str) -> None:
    _only_parse_error(text)


@SETTINGS
@given(st.binary())
def test_any_bytes_give_a_record_or_parse_error(data: bytes) -> None:
    _only_parse_error(data)


LINE_PARTS = st.sampled_from(
    [
        "TL;DR",
        "Bottom Line",
        "More from X",
        "View all",
        "| Podcasts | July 31, 2025 | 5 views",
        "🇨🇳 Title 2 insights",
        "Title 1 insight",
        "1:04:21",
        "45:01",
        "X X",
        "10 days ago · 10 points",
        "A | B",
        "",
        "text.",
        "---",
        "# h",
        "[b]x[/b]",
        "\x1b[31m",
        "99999999999999999999 Billion views | 1:99:99 | February 30, 2025",
    ]
)


@SETTINGS
@given(st.lists(st.one_of(LINE_PARTS, st.text(max_size=30)), max_size=40))
def test_page_shaped_noise_gives_a_record_or_parse_error(lines: list[str]) -> None:
    _only_parse_error("\n".join(lines))


# --- pages built from parts: Markdown round trip keeps the id ----------------------

WORDS = (
    st.text(
        alphabet=st.characters(
            categories=["L", "N", "P", "S", "Zs"], exclude_characters="\u2028\u2029\x85|"
        ),
        min_size=1,
        max_size=40,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: bool(s) and s[-1] not in " ")
)
SENTENCE = WORDS.map(lambda s: s.rstrip(".") + ".")
EMOJI = st.sampled_from([None, "🇨🇳", "🧠", "👩🏽\u200d💻", "❤️"])


@st.composite
def pages(draw: st.DrawFn) -> str:
    lines = [
        f"{draw(WORDS)} | {draw(WORDS)}",
        "",
        "| Podcasts | July 31, 2025 | 1.2K views | 45:01",
        "",
    ]
    if draw(st.booleans()):
        lines += ["TL;DR", "", draw(SENTENCE), ""]
    for _ in range(draw(st.integers(0, 3))):
        n = draw(st.integers(1, 3))
        emoji = draw(EMOJI)
        title = draw(WORDS)
        lines += [f"{emoji + ' ' if emoji else ''}{title} {n} insight{'s' if n > 1 else ''}", ""]
        for _ in range(n):
            lines += [draw(WORDS), "", draw(SENTENCE), ""]
    if draw(st.booleans()):
        lines += ["Bottom Line", "", draw(SENTENCE), ""]
    return "\n".join(lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_markdown_round_trip_keeps_the_id(page: str) -> None:
    try:
        s = podsum.parse(page)
    except podsum.ParseError:
        return
    md = podsum.render(s, "md")
    back = podsum.parse(md)
    assert back.id == s.id, md
    assert back.source.kind == "markdown"


@pytest.mark.parametrize("page", fixture_pages(), ids=page_id)
def test_fixture_markdown_round_trip(page: object) -> None:
    from pathlib import Path

    assert isinstance(page, Path)
    s = podsum.parse(page.read_bytes())
    back = podsum.parse(podsum.render(s, "md"))
    assert valid(back.to_dict())["id"] == s.id
    # The whole record, not only its id: what a note cannot carry (how the page was
    # obtained, its chrome and warnings) aside, Markdown reads back as the page parses.
    copy_fields = ("source", "warnings", "extra_lines")
    assert {k: v for k, v in back.to_dict().items() if k not in copy_fields} == {
        k: v for k, v in s.to_dict().items() if k not in copy_fields
    }
    assert back.warnings == []
    json_back = podsum.parse(podsum.render(s, "json"))
    assert json_back.to_dict() == s.to_dict()


# --- any record: Markdown reads back to the same content ---------------------------

# One-line text as a record holds it: any letters, marks of punctuation and symbols,
# blanks anywhere (tabs too), nothing a reader would clean away.
LINE = st.text(
    alphabet=st.characters(
        categories=["L", "M", "N", "P", "S", "Zs"],
        include_characters="\t",
        exclude_characters="\u2028\u2029\x85",
    ),
    max_size=30,
)
# Markdown-shaped text is the hostile case: make it likely.
MARKUP = st.sampled_from(
    [
        *("# x", "## TL;DR", "### x", "- x", "- speaker: x", "- at: 1:00", "  x", "1. x"),
        *("> x", "x)", "[bold]x[/]", "Transcript", "Chapters", "Overview", "More from x"),
        *("x (3 insights)", "start: 00:00", "end:", "\\", "&#32;", "a, b", "---", "`x`", ""),
    ]
)
ONE_LINE = st.one_of(LINE, MARKUP, st.builds("".join, st.lists(st.one_of(LINE, MARKUP))))
NONEMPTY_LINE = ONE_LINE.filter(bool)
# Multi-paragraph text: lines joined by "\n", paragraphs by "\n\n", as every reader
# writes them (a line of blanks only is text; an empty line is a paragraph break).
PARAGRAPHS = st.lists(st.lists(NONEMPTY_LINE, min_size=1, max_size=3), min_size=1, max_size=3).map(
    lambda paras: "\n\n".join("\n".join(p) for p in paras)
)
TIME = st.one_of(st.sampled_from(["00:00", "03:15", "1:02:03", "99:99", "45"]), ONE_LINE)
SECONDS = st.one_of(st.none(), st.integers(0, 10**6))


@st.composite
def timestamps(draw: st.DrawFn) -> list[Timestamp]:
    stamps = []
    for at in draw(st.lists(TIME, max_size=3)):
        exact = draw(st.booleans())
        stamps.append(Timestamp(at, parse_timestamp(at) if exact else draw(SECONDS)))
    return stamps


@st.composite
def chapters(draw: st.DrawFn) -> Chapter:
    start, end = draw(st.one_of(st.none(), TIME)), draw(st.one_of(st.none(), TIME))
    return Chapter(
        draw(ONE_LINE),
        start,
        parse_timestamp(start) if start is not None and draw(st.booleans()) else draw(SECONDS),
        end,
        parse_timestamp(end) if end is not None and draw(st.booleans()) else draw(SECONDS),
        draw(st.one_of(st.none(), PARAGRAPHS)),
        draw(st.lists(ONE_LINE, max_size=3)),
    )


INSIGHTS = st.builds(
    Insight,
    st.one_of(st.none(), ONE_LINE),
    st.one_of(st.just(""), PARAGRAPHS),
    st.one_of(st.none(), ONE_LINE),
    timestamps(),
)
SECTIONS = st.builds(
    Section,
    st.sampled_from([None, "🇨🇳", "🧠", "1️⃣", "👩🏽\u200d💻", "❤️"]),
    ONE_LINE,
    st.one_of(st.none(), st.integers(0, 999_999)),
    st.lists(INSIGHTS, max_size=3),
)
RELATED = st.builds(
    Related,
    st.one_of(st.none(), NONEMPTY_LINE),
    st.one_of(st.none(), ONE_LINE),
    st.one_of(st.none(), ONE_LINE),
    SECONDS,
    st.one_of(st.none(), ONE_LINE),
    st.one_of(st.none(), PARAGRAPHS),
    st.one_of(st.none(), ONE_LINE),
    SECONDS,
)
OPT_TEXT = st.one_of(st.none(), st.just(""), PARAGRAPHS)
OPT_LINE = st.one_of(st.none(), ONE_LINE)


@st.composite
def records(draw: st.DrawFn) -> podsum.Summary:
    return podsum.Summary(
        title=draw(ONE_LINE),
        source=Source("json", None, "", "utf-8"),
        layout=draw(st.sampled_from(["atmes", "longcut", "generic"])),
        url=draw(OPT_LINE),
        show=draw(OPT_LINE),
        episode_number=draw(OPT_LINE),
        category=draw(OPT_LINE),
        published=draw(st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()))),
        views=draw(SECONDS),
        duration=draw(OPT_LINE),
        duration_seconds=draw(SECONDS),
        people=draw(
            st.lists(
                st.builds(Person, ONE_LINE, st.sampled_from([None, "host", "guest"]), OPT_LINE),
                max_size=3,
            )
        ),
        topics=draw(st.lists(ONE_LINE, max_size=3)),
        tldr=draw(OPT_TEXT),
        overview=draw(OPT_TEXT),
        sections=draw(st.lists(SECTIONS, max_size=3)),
        chapters=draw(st.lists(chapters(), max_size=3)),
        bottom_line=draw(OPT_TEXT),
        related_channel=draw(st.one_of(st.none(), NONEMPTY_LINE)),
        related=draw(st.lists(RELATED, max_size=2)),
        transcript=draw(OPT_TEXT),
    )


def _content(s: podsum.Summary) -> dict[str, object]:
    return {k: v for k, v in s.to_dict().items() if k not in ("source", "warnings")}


@SETTINGS
@given(records())
def test_markdown_reads_back_any_record(s: podsum.Summary) -> None:
    md = podsum.render(s, "md")
    back = podsum.parse(md)
    assert _content(back) == _content(s), md
    assert not back.warnings, md


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records(), st.sampled_from([24, 40, 80]))
def test_text_and_cards_show_any_record(s: podsum.Summary, width: int) -> None:
    from rich.cells import cell_len

    text = podsum.render(s, "text")
    cards = podsum.render(s, "cards", width=width, transcript=True)
    assert max(cell_len(line) for line in cards.splitlines()) <= width  # terminal cells
    for c in s.chapters:
        assert c.title in text
    if s.transcript:
        assert text.endswith(s.transcript + "\n")


# --- one field of a full record: any text keeps the id through Markdown ----------------


def _full_record() -> dict[str, object]:
    """A record with every kind of text field set, as a dict (the JSON a user might edit)."""
    from conftest import SEED

    d = podsum.parse(SEED.read_bytes()).to_dict()
    d.update(
        episode_number="12",
        people=[{"name": "Ann Lee", "role": "host", "about": "Hosts it."}],
        topics=["AI", "chips"],
        overview="An overview.",
        chapters=[
            {
                "title": "Opening",
                "start": "00:00",
                "start_seconds": 0,
                "end": "12:40",
                "end_seconds": 760,
                "summary": "What it is about.",
                "points": ["One point", "Another"],
            }
        ],
        transcript="Hello.\n\nWelcome.",
    )
    insight = d["sections"][0]["insights"][0]  # type: ignore[index]
    insight.update(speaker="Bob", timestamps=[{"at": "03:15", "seconds": 195}])
    return d


FULL_RECORD = _full_record()


def _text_paths(obj: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Where the record holds page text: every string but the reader's own labels."""
    if isinstance(obj, dict):
        return [
            p
            for k, v in obj.items()
            if k not in ("id", "source", "warnings", "extra_lines", "layout", "emoji", "role")
            for p in _text_paths(v, (*path, k))
        ]
    if isinstance(obj, list):
        return [p for i, v in enumerate(obj) for p in _text_paths(v, (*path, i))]
    return [path] if isinstance(obj, str) else []


# Text as anything may write it: any character, Markdown and Obsidian punctuation, runs
# of blanks and newlines, carriage returns and tabs, at the ends as well as inside.
ANY_TEXT = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list(" \t\r\n\u00a0\u3000\u2028#>-+*=_`[]()<>!&|~:\\.,;%$@^{}'\"0123")),
        st.sampled_from(
            [
                *("\n\n", "\n\n\n", "   ", "\r\n", "1. ", "- ", "    ", "===", "---", "&#35;"),
                *("&amp;", "me@example.com", "#tag", "[[x]]", "==h==", "%%c%%", "$m$", " ^id"),
                *("http://x.y", "www.x.y", "## TL;DR", "- speaker: x", "x (2 insights)", "\\"),
            ]
        ),
    ),
    max_size=30,
).map("".join)


@settings(
    max_examples=3000,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.sampled_from(_text_paths(FULL_RECORD)), ANY_TEXT)
def test_any_text_in_any_field_keeps_the_id_through_markdown(
    path: tuple[object, ...], text: str
) -> None:
    import json

    d = json.loads(json.dumps(FULL_RECORD))
    target = d
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = text
    s = podsum.parse(json.dumps(d))  # cleaned as any JSON record is
    md = podsum.render(s, "md")
    back = podsum.parse(md)
    assert back.id == s.id, md
    assert _content(back) == _content(s), md
