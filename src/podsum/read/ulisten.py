"""ulisten: not written yet."""

from __future__ import annotations

from ..errors import ParseError
from ..model import Summary
from ._page import Page

NAME = "ulisten"
DESCRIPTION = "(not written yet)"
MARKERS: tuple[str, ...] = ()


def detect(page: Page) -> bool:
    return False


def page_starts(page: Page) -> list[int]:
    return []


def parse(page: Page) -> Summary:
    raise ParseError("not a summary page (no layout matched)")
