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
    return textparser.may_be_atmes(page.lines) and textparser.is_atmes(_scan(page))


def _scan(page: Page) -> textparser.Scan:
    found = page.memo.get(NAME)
    if not isinstance(found, textparser.Scan):
        found = page.memo[NAME] = textparser.scan(page.lines)
    return found


def page_starts(page: Page) -> list[int]:
    return textparser.page_starts(page.lines, _scan(page))


def parse(page: Page) -> Summary:
    return textparser.parse_lines(
        page.lines, page.source, page.warnings, page.offset + 1, _scan(page)
    )
