"""longcut.ai video pages: ``LongCut logo``, the title, ``By <Channel>``, then
``Summary`` (the takeaways as raw Markdown), ``Topics Covered`` and ``Full Transcript``.

The Summary block is the site's Markdown printed as text, normally on one line:
``## Key takeaways - **Title**: body [02:14], [05:40] - **Title**: body [07:02]``.
Each ``## Heading`` becomes one section titled as written; an item starts where
`` - **Title**:`` does (a bold title followed by a colon, inside or outside the bold),
so hyphens and dashes inside a body never split it. Text before the first heading is
the gist (``tldr``). The page states no video length in most copies; when a head line
gives one (a bare ``18:42`` or ``Duration: 18:42``), timestamps past it warn.
"""

from __future__ import annotations

import re
from typing import Final

from .. import values
from ..errors import ParseError
from ..model import Insight, Section, Summary
from . import _blocks
from ._page import Page

NAME: Final = "longcut"
DESCRIPTION: Final = (
    "longcut.ai: By <Channel>, Markdown key takeaways, Topics Covered, Full Transcript"
)
MARKERS: Final = ("LongCut logo", "Summary", "Topics Covered", "Full Transcript")

_LOGO: Final = "LongCut logo"
_SUMMARY: Final = "Summary"
_TOPICS: Final = "Topics Covered"
_TRANSCRIPT: Final = "Full Transcript"
_HEADINGS: Final = (_SUMMARY, _TOPICS, _TRANSCRIPT)

_Spaced = tuple[re.Pattern[str], re.Pattern[str]]


def _spaced(pattern: str) -> _Spaced:
    return re.compile(pattern), re.compile(r"\s" + pattern)


def _find_all(pattern: _Spaced, text: str, starts: list[int]) -> list[re.Match[str]]:
    r"""``finditer`` of ``(?:^|\s)X`` over ``text``, for ``pattern`` = (X, \sX) and
    ``starts``, every place (in order) where X may begin: the same matches at the same
    places (``^`` is only the start of the text; no match is empty), with the regex run
    only at those places."""
    bare, spaced = pattern
    found: list[re.Match[str]] = []
    pos = 0  # where the search goes on from
    for at in starts:
        if at == 0:
            m = bare.match(text) if pos == 0 else None
        elif at - 1 >= pos:
            m = spaced.match(text, at - 1)
        else:
            continue
        if m is not None:
            found.append(m)
            pos = m.end()
    return found


def _heading_starts(text: str) -> list[int]:
    """Where a ``#`` stands first or after a space."""
    out = []
    at = text.find("#")
    while at != -1:
        if at == 0 or text[at - 1].isspace():
            out.append(at)
        at = text.find("#", at + 1)
    return out


def _item_starts(text: str) -> list[int]:
    """Where a ``-`` or ``*`` stands before spaces and ``**``: every item of both forms
    opens like that (found from the ``**``, a search at C speed)."""
    out = []
    at = text.find("**")
    while at != -1:
        k = at
        while k > 0 and text[k - 1].isspace():
            k -= 1
        if 0 < k < at and text[k - 1] in "-*":
            out.append(k - 1)
        at = text.find("**", at + 1)
    return out


_BY: Final = re.compile(r"By\s+(\S.*)")
_DURATION_LINE: Final = re.compile(r"(?:Duration:?\s*)?(\d.{0,30})", re.IGNORECASE)
# Each of these is found at the start of the text or after a space: ``(?:^|\s)X``. It is
# written as the pair (X, \sX) for ``_find_all``, which runs it only where X may begin: a
# regex search that opens with ``(?:^|\s)`` tries every position the slow way.
_MD_HEADING: Final = _spaced(r"#{1,4}\s+")
# The start of an item: `- **Title**:` or `- **Title:**` (a bold label and a colon).
_ITEM: Final = _spaced(r"[-*]\s+\*\*(?P<title>[^*]+?)(?::\*\*|\*\*\s*:)\s*")
# A looser start for pages whose labels have no colon: `- **Title** body`.
_ITEM_NO_COLON: Final = _spaced(r"[-*]\s+\*\*(?P<title>[^*]+?)\*\*\s*")
_FIRST_PLAIN_ITEM: Final = re.compile(r"(?:^|\s)-\s+(?=\S)")
_NEXT_PLAIN_ITEM: Final = re.compile(r"(?<=[\].!?])\s+-\s+(?=\S)")


# Lines one of which every page this reader detects has (the registry's first test).
GATE: Final = frozenset((_LOGO, _TOPICS))


def detect(page: Page) -> bool:
    if not page.has_any(GATE):
        return False
    return page.has(_LOGO) or (page.has(_TOPICS) and page.has_any((_SUMMARY, _TRANSCRIPT)))


def page_starts(page: Page) -> list[int]:
    """Each page's logo line, or its title line when the copy has no logo."""
    lines = page.lines
    heads: list[tuple[int, int]] = []  # (start, Summary line) of each page
    for at, line in enumerate(lines):
        if line == _SUMMARY:
            start = _head_start(page, at)
            logo = _logo_before(lines, start)
            heads.append((start if logo is None else logo, at))
    starts = {start for start, _ in heads}
    for i, line in enumerate(lines):
        if line == _LOGO and not any(a <= i <= b for a, b in heads):
            starts.add(i)  # a page without a Summary heading
    return sorted(starts)


def _logo_before(lines: list[str], i: int, reach: int = 4) -> int | None:
    """The logo line a few lines above ``i`` (chrome may sit between it and the title)."""
    for _ in range(reach):
        prev = _blocks.prev_nonblank(lines, i)
        if prev is None or lines[prev] in _HEADINGS:
            return None
        if lines[prev] == _LOGO:
            return prev
        i = prev
    return None


def _head_start(page: Page, summary_at: int) -> int:
    """Walk back from ``Summary`` over the head (duration, By line) to the title."""
    lines = page.lines
    i = _blocks.prev_nonblank(lines, summary_at)
    if i is not None and _duration_text(lines[i]) is not None:
        i = _blocks.prev_nonblank(lines, i)
    if i is not None and _BY.fullmatch(lines[i]):
        i = _blocks.prev_nonblank(lines, i)
    return summary_at if i is None else i


def _duration_text(line: str) -> str | None:
    """The duration a head line gives (``18:42``, ``Duration: 1h 3m``), else None."""
    m = _DURATION_LINE.fullmatch(line)
    if m is None:
        return None
    text = m.group(1)
    return text if values.parse_any_duration(text) is not None else None


def parse(page: Page) -> Summary:
    lines = page.lines
    found = _blocks.blocks(page, _HEADINGS)
    if not found:
        raise ParseError("not a longcut page (no Summary, Topics Covered or Full Transcript)")
    first_heading = min(a for a, _ in found.values()) - 1
    s = _head(page, first_heading)

    if _SUMMARY in found:
        a, b = found[_SUMMARY]
        _summary_block(s, page, a, b)
    if _TOPICS in found:
        a, b = found[_TOPICS]
        for line in _blocks.nonblank(lines[a:b]):
            topic = _blocks.strip_bullet(line)
            s.topics.append(topic if topic is not None else line)
    if _TRANSCRIPT in found:
        a, b = found[_TRANSCRIPT]
        if b == len(lines):  # the last block: the page's footer may follow it
            b = _blocks.footer_start(lines, a)
            s.extra_lines.extend(_blocks.nonblank(lines[b:]))
        s.transcript = _blocks.text_block(lines[a:b])
    _blocks.check_times(s, page)
    return s


def _head(page: Page, end: int) -> Summary:
    """Title, channel and (when given) duration from the lines before the first heading;
    the logo's alt text and anything unknown go to ``extra_lines``."""
    lines = page.lines
    head = [i for i in range(end) if lines[i] and lines[i] != _LOGO]
    if not head:
        raise ParseError("not a longcut page (no video title before the Summary)")
    title_at, by_at, show = head[0], None, None
    for n, i in enumerate(head[1:], 1):
        if m := _BY.fullmatch(lines[i]):
            title_at, by_at, show = head[n - 1], i, m.group(1).strip()
            break
    duration_at, duration = None, None
    for i in head:
        if i > title_at and i != by_at and (duration := _duration_text(lines[i])) is not None:
            duration_at = i
            break
    s = page.new_summary(NAME, lines[title_at], show)
    s.extra_lines.extend(
        lines[i] for i in range(end) if lines[i] and i not in (title_at, by_at, duration_at)
    )
    if duration_at is not None and duration is not None:
        _blocks.set_duration(s, page, duration, duration_at)
    return s


def _summary_block(s: Summary, page: Page, a: int, b: int) -> None:
    """The Markdown takeaways: ``## Heading`` then ``- **Title**: body [mm:ss]`` items."""
    text = " ".join(_blocks.nonblank(page.lines[a:b]))
    if not text:
        return
    parts, prev = [], 0
    for m in _find_all(_MD_HEADING, text, _heading_starts(text)):  # split at the headings
        parts.append(text[prev : m.start()])
        prev = m.end()
    parts.append(text[prev:])
    lead = parts[0].strip()
    if lead:
        s.tldr = lead
    for part in parts[1:]:
        heading, items = _items(part.strip())
        if items:
            s.sections.append(Section(None, heading, None, items))


def _items(text: str) -> tuple[str, list[Insight]]:
    """A Markdown heading's text and its list items."""
    at = _item_starts(text)
    starts = _find_all(_ITEM, text, at) or _find_all(_ITEM_NO_COLON, text, at)
    if not starts:
        return _plain_items(text)
    heading = text[: starts[0].start()].strip()
    out: list[Insight] = []
    for n, m in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(text)
        body, stamps = _blocks.trailing_timestamps(text[m.end() : end].strip())
        out.append(Insight(m.group("title").strip(), body, timestamps=stamps))
    return heading, out


def _plain_items(text: str) -> tuple[str, list[Insight]]:
    """Items without bold titles: ``Heading - body [mm:ss]. - body.``; after the first,
    an item starts only after a sentence end or a timestamp, so a spaced hyphen inside a
    body stays in it."""
    first = _FIRST_PLAIN_ITEM.search(text)
    if first is None:
        return text, []
    pieces = _NEXT_PLAIN_ITEM.split(text[first.end() :])
    out = [_blocks.label_insight(p.strip()) for p in pieces if p.strip()]
    return text[: first.start()].strip(), out
