"""scripod.com episode pages: the title, the show, a date without a year and the show
again; ``Shownote`` (the publisher's description, cut with ``...``); ``Highlights`` (a
gist paragraph, then pairs of a bare time line and a one-sentence highlight);
``Chapters`` (question-style titles, each followed by its start time).

The pages give no duration, so chapter ends come from the next chapter's start and the
last chapter stays open.
"""

from __future__ import annotations

import itertools
import re
from typing import Final

from .. import values
from ..errors import ParseError
from ..model import Chapter, Insight, Section, Summary
from . import _blocks
from ._page import Page

NAME: Final = "scripod"
DESCRIPTION: Final = "scripod.com: year-less date, Shownote, Highlights at times, question Chapters"
MARKERS: Final = ("Shownote", "Highlights", "Chapters")

_HEADINGS: Final = MARKERS
_CONTENT: Final = ("Highlights", "Chapters")  # the summary itself; Shownote is the publisher's
_TIME: Final = _blocks.TIME
# A time glued to the highlight after it (``53:15The founders…``) or a text glued to the
# time after it (``…in 2019.54:10``), as copies of inline elements come out.
_TIME_THEN_TEXT: Final = re.compile(rf"({_TIME})\s*([A-Z“\"'‘].*)")
_TEXT_THEN_TIME: Final = re.compile(rf"(.*[.!?…\"”’)])\s*({_TIME})")
# A chapter title with its start time on the same line (``Why now?12:40``).
_TITLE_THEN_TIME: Final = re.compile(rf"(.*?[^\d:])\s*({_TIME})")
_GLUED_DATE: Final = re.compile(r"([A-Za-z]{3,9}\.? \d{1,2}(?:, \d{4})?)(\D.*)")


_MONTH3: Final = frozenset(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
)


class _Header:
    """Where the title block sits: the title, the show (twice) and the date."""

    __slots__ = ("date", "date_i", "first", "show", "title", "used")

    def __init__(
        self,
        title: str,
        show: str | None,
        date: str | None,
        date_i: int | None,
        used: frozenset[int],
        first: int,
    ) -> None:
        self.title = title
        self.show = show
        self.date = date
        self.date_i = date_i
        self.used = used  # line indices the header claims
        self.first = first  # index of its first line (the title's)


def _is_date(line: str) -> bool:
    if not line or len(line) > 20 or not line[0].isalpha():
        return False
    return values.is_yearless_date(line) or values.looks_like_date(line)


def _header_at(lines: list[str], d: int, start: int, end: int) -> _Header | None:
    """The header around a date line ``d``: ``title / show / date / show``.

    Copies glue neighbours together: the title to the show before the date
    (``TitleShow``) and the date to the show after it (``Jan 02Show``); the show's second
    appearance tells where to cut.
    """
    line = lines[d]
    if _is_date(line):
        date = line
        n = _blocks.next_nonblank(lines, d, end)
        after = lines[n] if n is not None else None
    else:
        m = _GLUED_DATE.fullmatch(line)
        if m is None or not _is_date(m.group(1)):
            return None
        date, n, after = m.group(1), None, m.group(2).strip()
    p = _blocks.prev_nonblank(lines, d, start)
    if p is None or after is None:
        return None
    before = lines[p]
    used = {p, d} if n is None else {p, d, n}
    if before == after:
        q = _blocks.prev_nonblank(lines, p, start)
        if q is None:
            return None
        return _Header(lines[q], after, date, d, frozenset(used | {q}), q)
    if before.endswith(after) and len(before) > len(after):
        return _Header(before[: -len(after)].strip(), after, date, d, frozenset(used), p)
    return None


def _headers(page: Page, start: int = 0, end: int | None = None) -> list[_Header]:
    """Every ``title / show / date / show`` block in ``lines[start:end]`` (those of the
    whole page found once: detection, page starts and parsing all ask)."""
    if start == 0 and end is None:
        found = page.memo.get(NAME)
        if not isinstance(found, list):
            found = page.memo[NAME] = _find_headers(page, 0, None)
        return found
    return _find_headers(page, start, end)


def _find_headers(page: Page, start: int, end: int | None) -> list[_Header]:
    lines = page.lines
    stop = len(lines) if end is None else end
    found = []
    for d in range(start, stop):
        line = lines[d]
        # (A month's name opens with one of these letters: one test rules out most lines.)
        if not line or line[0] not in "JFMASONDjfmasond":
            continue
        if len(line) < 200 and line[:3].lower() in _MONTH3:
            h = _header_at(lines, d, start, stop)
            if h is not None:
                found.append(h)
    return found


# Lines one of which every page this reader detects has (the registry's first test).
GATE: Final = frozenset(_CONTENT)


def detect(page: Page) -> bool:
    if not page.has_any(GATE):
        return False
    return page.has("Shownote") or bool(_headers(page))


def page_starts(page: Page) -> list[int]:
    """Each page's title line (its header's first line)."""
    starts = sorted({h.first for h in _headers(page)})
    if starts:
        return starts
    first = _blocks.next_nonblank(page.lines, -1, len(page.lines))
    return [first if first is not None else 0]


def _loose_header(page: Page, end: int) -> _Header | None:
    """A header with the date or the show's second line missing: the title is the line
    before the show (when the show shows twice) or else the first line."""
    lines = page.lines
    idx = [i for i in range(end) if lines[i]]
    if not idx:
        return None
    for k, i in enumerate(idx):
        if _is_date(lines[i]):
            if k >= 2:
                return _Header(
                    lines[idx[k - 2]],
                    lines[idx[k - 1]],
                    lines[i],
                    i,
                    frozenset((idx[k - 2], idx[k - 1], i)),
                    idx[k - 2],
                )
            if k == 1:
                return _Header(lines[idx[0]], None, lines[i], i, frozenset((idx[0], i)), idx[0])
    seen: dict[str, int] = {}
    for k, i in enumerate(idx):
        if lines[i] in seen and seen[lines[i]] >= 1:
            first = seen[lines[i]]
            t = idx[first - 1]
            return _Header(lines[t], lines[i], None, None, frozenset((t, idx[first], i)), t)
        seen.setdefault(lines[i], k)
    return _Header(lines[idx[0]], None, None, None, frozenset((idx[0],)), idx[0])


def parse(page: Page) -> Summary:
    lines = page.lines
    found = _blocks.blocks(page, _HEADINGS)
    if not any(h in found for h in _CONTENT):
        raise ParseError("not a scripod page (no Highlights or Chapters heading)")
    body_start = min(a - 1 for a, _ in found.values())
    heads = _headers(page, 0, body_start)
    header = heads[0] if heads else _loose_header(page, body_start)
    if header is None:
        raise ParseError("not a scripod page (no title before its first heading)")
    s = page.new_summary(NAME, header.title, header.show)
    extra: list[tuple[int, str]] = [
        (i, lines[i]) for i in range(body_start) if lines[i] and i not in header.used
    ]
    if header.date is not None and header.date_i is not None:
        _blocks.set_date(s, page, header.date, header.date_i)

    if "Shownote" in found:
        a, b = found["Shownote"]
        s.overview = _description(lines, a, b, extra)
    if "Highlights" in found:
        a, b = found["Highlights"]
        s.tldr, insights = _highlights(lines, a, b, extra)
        if insights:
            s.sections.append(Section(None, "Highlights", None, insights))
    if "Chapters" in found:
        a, b = found["Chapters"]
        s.chapters = _chapters(lines, a, b, extra)
    _blocks.check_times(s, page)
    s.extra_lines = [line for _, line in sorted(extra, key=lambda x: x[0])]
    return s


def _description(lines: list[str], a: int, b: int, extra: list[tuple[int, str]]) -> str | None:
    """The publisher's description up to its cut (``...``); a ``Show more``-style line
    after the cut is the page's, not the publisher's."""
    end = b
    for i in range(a, b):
        if lines[i].endswith(("...", "…")):
            end = i + 1
            break
    extra.extend((i, lines[i]) for i in range(end, b) if lines[i])
    return _blocks.text_block(lines[a:end])


def _highlights(
    lines: list[str], a: int, b: int, extra: list[tuple[int, str]]
) -> tuple[str | None, list[Insight]]:
    """The gist paragraph (before the first time), then one insight per time line."""
    items: list[tuple[int, str]] = []  # (index, text) with times split off their lines
    for i in range(a, b):
        line = lines[i]
        if not line:
            items.append((i, ""))
            continue
        # (each regex only where it can match: a time first, or a digit last)
        m = _TIME_THEN_TEXT.fullmatch(line) if line[0].isdigit() else None
        if m is not None and values.parse_timestamp(m.group(1)) is not None:
            items += [(i, m.group(1)), (i, m.group(2))]
            continue
        m = _TEXT_THEN_TIME.fullmatch(line) if line[-1].isdigit() else None
        if m is not None and values.parse_timestamp(m.group(2)) is not None:
            items += [(i, m.group(1)), (i, m.group(2))]
            continue
        items.append((i, line))
    first = next((k for k, (_, t) in enumerate(items) if _blocks.is_time(t)), len(items))
    tldr = _blocks.text_block([t for _, t in items[:first]])
    insights: list[Insight] = []
    k = first
    while k < len(items):
        i, at = items[k]
        k += 1
        parts: list[str] = []
        while k < len(items) and not _blocks.is_time(items[k][1]):
            j, text = items[k]
            k += 1
            if not text:
                continue
            if parts and _blocks.ends_sentence(parts[-1]):
                extra.append((j, text))  # the highlight is one sentence; this is not it
            else:
                parts.append(text)
        if parts:
            # (title, text, speaker, timestamps): positional, no dict of keywords
            insights.append(Insight(None, " ".join(parts), None, [_blocks.timestamp(at)]))
        else:
            extra.append((i, at))
    return tldr, insights


def _chapters(lines: list[str], a: int, b: int, extra: list[tuple[int, str]]) -> list[Chapter]:
    """Title lines each followed by a start time line (or with it glued on).

    A line with no time after it is a chapter only when it is a question (the site's
    titles are) and a timed chapter follows it; past the last timed chapter such lines
    are the page's footer, kept as extra lines.
    """
    idx = [i for i in range(a, b) if lines[i]]
    found: list[tuple[int, Chapter]] = []
    pending: int | None = None
    for k, i in enumerate(idx):
        line = lines[i]
        if _blocks.is_time(line):
            if pending is None:
                extra.append((i, line))
            else:
                found.append((pending, _chapter(lines[pending], line)))
                pending = None
            continue
        if pending is not None:
            found.append((pending, Chapter(lines[pending])))
            pending = None
        next_is_time = k + 1 < len(idx) and _blocks.is_time(lines[idx[k + 1]])
        m = None if next_is_time or not line[-1].isdigit() else _TITLE_THEN_TIME.fullmatch(line)
        if m is not None and values.parse_timestamp(m.group(2)) is not None:
            found.append((i, _chapter(m.group(1).strip(), m.group(2))))
        else:
            pending = i
    if pending is not None:
        found.append((pending, Chapter(lines[pending])))
    last_timed = max((n for n, (_, c) in enumerate(found) if c.start is not None), default=-1)
    chapters: list[Chapter] = []
    for n, (i, c) in enumerate(found):
        if c.start is None and (n > last_timed or not c.title.endswith("?")):
            extra.append((i, c.title))
        else:
            chapters.append(c)
    timed = [c for c in chapters if c.start is not None]
    for c, nxt in itertools.pairwise(timed):
        c.end, c.end_seconds = nxt.start, nxt.start_seconds
    return chapters


def _chapter(title: str, at: str) -> Chapter:
    return Chapter(title, at, values.parse_timestamp(at))  # (title, start, start_seconds)
