"""atmes.ai: ``Title | Show``, a ``| Category | date | views | duration`` meta line,
TL;DR, emoji-headed sections of ``N insights``, Bottom Line, More from <channel>.

The parser itself is ``podsum.textparser`` (compiled with mypyc where a compiler is
there: this is the layout most pages are in).
"""

from __future__ import annotations

import re
from typing import Final

from .. import textparser
from ..model import Summary
from ._page import Page

NAME: Final = "atmes"
DESCRIPTION: Final = "atmes.ai: meta line, TL;DR, emoji sections of N insights, Bottom Line"
MARKERS: Final = ("| Category | date | views | duration", "<emoji> Section title N insights")

_NSIGHT: Final = re.compile("nsight")
_NSIGHT_CAPS: Final = re.compile("NSIGHT")


def detect(page: Page) -> bool:
    # Its meta line has a "|" and its section headers end "insights": a page with
    # neither is not scanned line by line.
    text = page.text
    if "|" not in text and _NSIGHT.search(text) is None and _NSIGHT_CAPS.search(text) is None:
        return False
    return textparser.is_atmes(_scan(page))


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
