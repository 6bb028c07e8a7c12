"""The readers: one module per layout, an explicit ordered registry, and dispatch.

Every reader module has the same small contract:

``NAME``, ``DESCRIPTION``, ``MARKERS``
    its layout name, one line about it, and the lines that identify it (shown by
    ``podsum layouts``);
``GATE`` (every reader but atmes and generic)
    lines one of which every page it detects has: the registry asks (and imports) a
    reader only for a page with one of them;
``detect(page) -> bool``
    cheap: a few set lookups of marker lines, never a parse;
``page_starts(page) -> list[int]``
    where each page of this layout begins, for files holding several pages;
``parse(page) -> Summary``
    the record, or ``ParseError`` when the page lacks the layout's required structure.

``LAYOUTS`` is tried in order: specific layouts first (their markers are exact heading
lines), atmes (whose test walks the lines) next, and ``generic`` last, which reads any
page that is plainly a summary and refuses the rest.
"""

from __future__ import annotations

import importlib
import itertools
from functools import cache
from types import ModuleType
from typing import Final, Protocol, TypedDict, cast

from ..errors import ParseError
from ..model import ParseWarning, Source, Summary
from ..textparser import clean_lines
from ._page import Page

LAYOUTS: Final[tuple[str, ...]] = (
    "better",
    "signalcast",
    "longcut",
    "ulisten",
    "podwave",
    "youtubeds",
    "scripod",
    "episodenotes",
    "atmes",
    "generic",
)


# Each reader's GATE (generic and atmes have none): lines one of which every page the
# reader detects has. A page is tested against them all with one set intersection, and a
# reader is imported and asked only when one of its lines is there, so a page costs one
# ``detect`` (and a cold start imports one reader), not nine. Kept equal to the readers'
# own GATE by tests/test_layouts.py.
_GATES: Final[dict[str, frozenset[str]]] = {
    "better": frozenset(("Key Takeaway", "Episode Overview", "Key Insights")),
    "signalcast": frozenset(
        ("AI-Generated Summary", "Key Takeaways", "Read time", "Skip to main content", "·")
    ),
    "longcut": frozenset(("LongCut logo", "Topics Covered")),
    "ulisten": frozenset(
        (
            "WHAT IT’S REALLY ABOUT",
            "What it’s really about",
            "What It’s Really About",
            "WHAT IT'S REALLY ABOUT",
            "What it's really about",
            "What It's Really About",
            "IDEAS WORTH REMEMBERING",
            "Ideas worth remembering",
            "Ideas Worth Remembering",
            "CHAPTERS",
            "Chapters",
            "FREQUENTLY ASKED QUESTIONS",
            "Frequently asked questions",
            "Frequently Asked Questions",
        )
    ),
    "podwave": frozenset(
        (
            "Key Discussion Points & Insights",
            "Key Discussion Points & Insights:",
            "Key Discussion Points and Insights",
            "Key Discussion Points and Insights:",
            "Episode Overview",
            "Episode Overview:",
        )
    ),
    "youtubeds": frozenset(
        (
            "YouTube Deep SummaryYouTube Deep Summary",
            "YouTube Deep Summary",
            "🤖 AI-Generated Summary:",
            "Chapter-by-Chapter Deep Dive",
            "Chapter-by-Chapter Deep Dive:",
        )
    ),
    "scripod": frozenset(("Highlights", "Chapters")),
    "episodenotes": frozenset(("The guest", "The gist", "Big reveals")),
}
_GATE_LINES: Final = frozenset().union(*_GATES.values())
_GATE_LONGEST: Final = max(map(len, _GATE_LINES))  # no longer line is looked up


class LayoutInfo(TypedDict):
    name: str
    description: str
    markers: list[str]


class Reader(Protocol):
    NAME: str
    DESCRIPTION: str
    MARKERS: tuple[str, ...]

    def detect(self, page: Page) -> bool: ...
    def page_starts(self, page: Page) -> list[int]: ...
    def parse(self, page: Page) -> Summary: ...


@cache
def reader(name: str) -> Reader:
    """The reader module of a layout (imported on first use)."""
    if name not in LAYOUTS:
        raise ParseError(f"unknown layout {name!r}; choose from {', '.join(LAYOUTS)}")
    module: ModuleType = importlib.import_module(f"{__name__}.{name}")
    return cast(Reader, module)


def layouts() -> list[LayoutInfo]:
    """Name, description and markers of every reader, in the order they are tried."""
    return [
        LayoutInfo(name=r.NAME, description=r.DESCRIPTION, markers=list(r.MARKERS))
        for r in map(reader, LAYOUTS)
    ]


def detect_layouts(text: str) -> list[str]:
    """Every specific layout whose markers ``text`` has (normally one; none: generic)."""
    page = Page(clean_lines(text, []), Source("text", None, "", "utf-8"))
    return [r.NAME for r in _detected(page)]


def _detected(page: Page) -> list[Reader]:
    return [r for r in map(reader, _candidates(page)) if r.detect(page)]


def _candidates(page: Page) -> list[str]:
    """The layouts (generic aside, in order) whose reader may detect ``page``: atmes, and
    those with a line of their GATE on it."""
    there: set[str] = set()
    for line in page.lines:  # (no list of the lines: a page may be millions of them)
        if line and len(line) <= _GATE_LONGEST and line in _GATE_LINES:
            there.add(line)
    return [n for n in LAYOUTS[:-1] if n not in _GATES or not there.isdisjoint(_GATES[n])]


def _starts(page: Page, found: list[Reader]) -> list[int]:
    """Where each page begins, from every detected layout's ``page_starts``.

    A layout's start counts only when the lines from it on hold that layout's markers
    before the next start of the same layout: a start that one layout finds inside
    another layout's page (a date line, a title-like line) is passed over, and so are
    starts other layouts find inside a confirmed page.
    """
    candidates = sorted({(i, n) for n, r in enumerate(found) for i in r.page_starts(page)})
    if len({i for i, _ in candidates}) <= 1:
        return [0] if candidates else []  # one page: its layout's detect already agreed
    starts: list[int] = []
    k = 0
    while k < len(candidates):
        at, n = candidates[k]
        r = found[n]
        end = k + 1
        while True:
            stop = candidates[end][0] if end < len(candidates) else len(page.lines)
            if r.detect(_part(page, at, stop)):
                starts.append(at)
                k = end
                break
            if end >= len(candidates) or candidates[end][1] == n:
                k += 1  # not a page of this layout after all
                break
            end += 1
    if starts:
        starts[0] = 0  # chrome before the first page belongs to it
    return starts


def _part(page: Page, a: int, b: int) -> Page:
    return Page(page.lines[a:b], page.source, [], offset=page.offset + a)


def _parse_one(page: Page, forced: str | None) -> Summary:
    if forced is not None:
        return reader(forced).parse(page)
    for name in _candidates(page):
        r = reader(name)
        if r.detect(page):
            return r.parse(page)
    return reader("generic").parse(page)


def read_text(text: str, source: Source, layout: str | None = None) -> list[Summary]:
    """Every summary page in ``text``: one record per page, in order."""
    warnings: list[ParseWarning] = []
    lines = clean_lines(text, warnings)
    page = Page(lines, source, warnings)
    found = [reader(layout)] if layout is not None else _detected(page)
    if not found:
        return [reader("generic").parse(page)]
    starts = _starts(page, found)
    if len(starts) <= 1:
        return [found[0].parse(page)]
    return _read_pages(page, starts, layout)


def _read_pages(page: Page, starts: list[int], layout: str | None) -> list[Summary]:
    """Parse each page of a file holding several; a page that cannot be read is named in
    a warning on the page before it (or the error, when no page can be read)."""
    out: list[Summary] = []
    failures: list[str] = []
    bounds = [*starts, len(page.lines)]
    for a, b in itertools.pairwise(bounds):
        first, last = page.offset + a + 1, page.offset + b
        own = [w for w in page.warnings if w.line is not None and first <= w.line <= last]
        if a == 0:
            own += [w for w in page.warnings if w.line is None]
        part = _part(page, a, b)
        part.warnings = own
        try:
            out.append(_parse_one(part, layout))
        except ParseError as exc:
            message = f"the page at line {first} was not read: {exc}"
            if out:
                out[-1].warn("page-unreadable", message, first)
            else:
                failures.append(message)
    if not out:
        raise ParseError(failures[0] if failures else "no summary found")
    if failures:
        out[0].warnings.extend(ParseWarning("page-unreadable", m) for m in failures)
    return out
