"""The readers as a family: every layout has fixtures, and every fixture is detected as
its own layout and no other."""

from __future__ import annotations

from pathlib import Path

import pytest

import podsum
from conftest import FIXTURES, fixture_pages, page_id
from podsum.api import detect_kind
from podsum.decode import decode_bytes
from podsum.read import _GATES, LAYOUTS, detect_layouts, reader


def _text_of(page: Path) -> str:
    text, _ = decode_bytes(page.read_bytes())
    if detect_kind(text) == "html":
        from podsum.htmltext import html_to_text

        return html_to_text(text)
    return text


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_has_fixtures(layout: str) -> None:
    pages = fixture_pages(layout)
    assert len(pages) >= 3, f"tests/fixtures/{layout}/ needs at least three pages"


def test_no_fixture_folder_without_a_layout() -> None:
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert folders <= {*LAYOUTS, "negative", "library"}


@pytest.mark.parametrize("page", fixture_pages(), ids=page_id)
def test_fixture_is_detected_as_its_own_layout_only(page: Path) -> None:
    layout = page.parent.name
    expected = [] if layout == "generic" else [layout]
    assert detect_layouts(_text_of(page)) == expected
    assert podsum.parse(page.read_bytes()).layout == layout


def test_layouts_lists_every_reader_in_order() -> None:
    listed = podsum.layouts()
    assert [x["name"] for x in listed] == list(LAYOUTS)
    for x in listed:
        assert x["description"] and isinstance(x["markers"], list)


def test_unknown_layout_is_refused_with_the_names() -> None:
    with pytest.raises(podsum.ParseError, match="choose from better, signalcast"):
        podsum.parse("anything", layout="nosuch")


@pytest.mark.parametrize("layout", sorted(_GATES))
def test_the_registry_knows_each_readers_gate(layout: str) -> None:
    # The registry asks a reader only when a line of its GATE is on the page.
    assert _GATES[layout] == reader(layout).GATE


def test_every_reader_but_atmes_and_generic_has_a_gate() -> None:
    assert set(_GATES) == set(LAYOUTS) - {"atmes", "generic"}


NEGATIVES = sorted((FIXTURES / "negative").glob("*.txt"))


@pytest.mark.parametrize("page", fixture_pages() + NEGATIVES, ids=page_id)
def test_atmes_detect_says_what_the_scan_says(page: Path) -> None:
    """atmes' detection looks for a meta line or an ``N insights`` header without the
    full scan; the scan of the same lines agrees, on every page and on its halves."""
    from podsum import textparser
    from podsum.model import Source
    from podsum.read import atmes
    from podsum.read._page import Page

    lines = textparser.clean_lines(_text_of(page), [])
    half = len(lines) // 2
    for part in (lines, lines[:half], lines[half:]):
        found = textparser.scan(part)
        expected = bool(found.metas) or any(m.kind == "section" for _, m in found.markers)
        assert atmes.detect(Page(list(part), Source("text", None, "", "utf-8"))) is expected
