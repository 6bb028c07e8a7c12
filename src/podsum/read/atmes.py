"""atmes.ai: ``Title | Show``, a ``| Category | date | views | duration`` meta line,
TL;DR, emoji-headed sections of ``N insights``, Bottom Line, More from <channel>.

The parser itself is ``podsum.textparser`` (compiled with mypyc where a compiler is
there: this is the layout most pages are in).
"""

from __future__ import annotations

from typing import Final

from .. import textparser
from ..model import Summary
from ._page import Page

NAME: Final = "atmes"
DESCRIPTION: Final = "atmes.ai: meta line, TL;DR, emoji sections of N insights, Bottom Line"
MARKERS: Final = ("| Category | date | views | duration", "<emoji> Section title N insights")


def detect(page: Page) -> bool:
    """A meta line, or an ``N insights`` section header, found without the scan's every
    other marker (the meta lines found are kept for it)."""
    return bool(_metas(page)) or textparser.has_section_header(page.lines)


def _metas(page: Page) -> textparser.Metas:
    found = page.memo.get("atmes-metas")
    if not isinstance(found, list):
        found = page.memo["atmes-metas"] = textparser.meta_lines(page.lines)
    return found


def _scan(page: Page) -> textparser.Scan:
    found = page.memo.get(NAME)
    if not isinstance(found, textparser.Scan):
        found = page.memo[NAME] = textparser.scan(page.lines, _metas(page))
    return found


def page_starts(page: Page) -> list[int]:
    return textparser.page_starts(page.lines, _scan(page))


def parse(page: Page) -> Summary:
    return textparser.parse_lines(
        page.lines, page.source, page.warnings, page.offset + 1, _scan(page)
    )
