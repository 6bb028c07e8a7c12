"""A text holding several pages one after another (a running summaries.txt) gives one
record per page, each the record that page gives alone."""

from __future__ import annotations

from pathlib import Path

import pytest

import podsum
from conftest import ATMES, SEED, fixture_pages, run_cli
from podsum.decode import decode_bytes


def _text_pages() -> list[Path]:
    # A generic page has no marker that says where it begins, so it is read only as a
    # file of its own (or as the first page of a file).
    return [p for p in fixture_pages() if p.suffix == ".txt" and p.parent.name != "generic"]


def _text(page: Path) -> str:
    text = decode_bytes(page.read_bytes())[0]
    return text if text.endswith(("\n", "\r")) else text + "\n"


def _without_top_chrome(text: str) -> str:
    """The page from its first own line: what follows a transcript must start there, as
    a transcript runs to the end of its page and would take the chrome above the next."""
    from podsum.model import Source
    from podsum.read import Page, _detected
    from podsum.textparser import clean_lines

    lines = clean_lines(text, [])
    page = Page(lines, Source("text", None, "", "utf-8"))
    first = min(i for r in _detected(page) for i in r.page_starts(page))
    return "\n".join(lines[first:]) + "\n"


@pytest.mark.parametrize("separator", ["", "\n", "\n\n\n"])
def test_every_fixture_page_in_one_file_gives_each_record(separator: str) -> None:
    pages = _text_pages()
    alone = [podsum.parse(p.read_bytes()) for p in pages]
    texts = [
        _without_top_chrome(_text(p)) if n and alone[n - 1].transcript else _text(p)
        for n, p in enumerate(pages)
    ]
    together = podsum.parse_all(separator.join(texts))
    assert [(s.layout, s.id) for s in together] == [(s.layout, s.id) for s in alone]


def test_pages_of_one_layout_repeated() -> None:
    found = podsum.parse_all(_text(SEED) * 5)
    assert len(found) == 5 and len({s.id for s in found}) == 1
    assert all(s.extra_lines == [] for s in found)


def test_a_page_without_meta_line_after_one_with() -> None:
    a = _text(ATMES / "tldr-only-footer.txt")
    b = _text(ATMES / "missing-meta-tldr-related.txt")
    found = podsum.parse_all(a + b)
    assert [s.title for s in found] == ["A Quick Take on Interest Rates", "Why Bridges Fall Down"]
    assert found[0].sections == [] and len(found[1].sections) == 1


def test_line_numbers_of_warnings_count_from_the_top_of_the_file() -> None:
    seed = _text(SEED)
    mismatch = _text(ATMES / "count-mismatch.txt")
    alone = podsum.parse(mismatch)
    found = podsum.parse_all(seed + mismatch)
    offset = seed.count("\n")
    assert [w.line for w in found[1].warnings] == [
        None if w.line is None else w.line + offset for w in alone.warnings
    ]


def test_parse_prints_an_array_for_a_file_of_several_pages(tmp_path: Path) -> None:
    running = tmp_path / "summaries.txt"
    running.write_text(_text(SEED) * 3, encoding="utf-8")
    proc = run_cli("parse", "--jsonl", str(running))
    assert proc.returncode == 0
    assert len(proc.stdout.decode().splitlines()) == 3
