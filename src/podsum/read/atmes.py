"""atmes.ai: ``Title | Show``, a ``| Category | date | views | duration`` meta line,
TL;DR, emoji-headed sections of ``N insights``, Bottom Line, More from <channel>.

The parser itself is ``podsum.textparser`` (compiled with mypyc where a compiler is
there: this is the layout most pages are in).
"""

from __future__ import annotations

from .. import textparser
from ..model import Summary
from ._page import Page

NAME = "atmes"
DESCRIPTION = "atmes.ai: meta line, TL;DR, emoji sections of N insights, Bottom Line"
MARKERS = ("| Category | date | views | duration", "<emoji> Section title N insights")


def detect(page: Page) -> bool:
    return textparser.is_atmes(page.lines)


def page_starts(page: Page) -> list[int]:
    """Each page's title line: the last non-blank line before its meta line."""
    starts = []
    for at in textparser.meta_lines(page.lines):
        i = at - 1
        while i >= 0 and not page.lines[i]:
            i -= 1
        starts.append(max(i, 0))
    return starts


def parse(page: Page) -> Summary:
    return textparser.parse_lines(page.lines, page.source, page.warnings, page.offset + 1)
