"""Hypothesis properties over the parse entry point and the Markdown round trip."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import podsum
from conftest import fixture_pages, valid

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


@pytest.mark.parametrize("page", fixture_pages(), ids=lambda p: p.name)
def test_fixture_markdown_round_trip(page: object) -> None:
    from pathlib import Path

    assert isinstance(page, Path)
    s = podsum.parse(page.read_bytes())
    back = podsum.parse(podsum.render(s, "md"))
    assert valid(back.to_dict())["id"] == s.id
    json_back = podsum.parse(podsum.render(s, "json"))
    assert json_back.to_dict() == s.to_dict()
