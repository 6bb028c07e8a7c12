"""signalcast.app: ``Skip to main content``, the show, the episode title,
``48 min episode · 2 min read``, label / value lines (Episode, Read time, Topics), then
``AI-Generated Summary`` and ``Key Takeaways`` with one ``Label: text`` bullet a line.

Episode pages carry no date. The read time is the summary's, not the episode's length.
"""

from __future__ import annotations

import re
from typing import Final

from ..errors import ParseError
from ..model import Section, Summary
from . import _blocks
from ._page import Page

NAME: Final = "signalcast"
DESCRIPTION: Final = (
    "signalcast.app: show, title, N min episode · N min read, Topics, Key Takeaways"
)
SKIP: Final = "Skip to main content"
SUMMARY: Final = "AI-Generated Summary"
TAKEAWAYS: Final = "Key Takeaways"
EPISODE: Final = "Episode"
READ_TIME: Final = "Read time"
TOPICS: Final = "Topics"
DOT: Final = "·"
LABELS: Final = (EPISODE, READ_TIME, TOPICS)
MARKERS: Final = (SUMMARY, TAKEAWAYS, READ_TIME)

_LENGTH: Final = (
    r"\d{1,3}\s?(?:h|hr|hrs|hours?)(?:\s?\d{1,2}\s?(?:m|min|mins|minutes?))?"
    r"|\d{1,4}\s?(?:m|min|mins|minutes?)"
)
# ``48 min episode · 2 min read``, maybe with the episode title glued before it.
_META: Final = re.compile(rf"(?P<pre>.*?)(?P<ep>{_LENGTH}) episode · (?P<read>{_LENGTH}) read")
# A show name glued to the title: a lower-case letter, then a capitalised word.
_HUMP: Final = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_CHECK: Final = "✓"
_NAME_MAX: Final = 100


# Lines one of which every page this reader detects has (the registry's first test).
GATE: Final = frozenset((SUMMARY, TAKEAWAYS, READ_TIME, SKIP, DOT))


def detect(page: Page) -> bool:
    """Key Takeaways with the summary heading or the Read time label; failing that, once
    one marker line (or the lone ``·``) is there, the ``N min episode · N min read`` line."""
    if not page.has_any(GATE):
        return False
    if page.has(TAKEAWAYS) and page.has_any((SUMMARY, READ_TIME)):
        return True
    if page.has(SUMMARY, READ_TIME):
        return True
    if not page.has_any((SUMMARY, TAKEAWAYS, READ_TIME, SKIP, DOT)):
        return False
    if " episode · " not in page.text:
        return False
    return any(" episode · " in ln and _META.fullmatch(ln) for ln in page.lines)


def page_starts(page: Page) -> list[int]:
    """Each page's skip link, else its show line, else its title line."""
    rows = _logical(page.lines)
    starts: list[int] = []
    lo = 0
    for first, last in _page_spans(rows):
        if rows[first][1] == SKIP:
            starts.append(rows[first][0])
        else:
            top = _Top(rows, lo, first)
            at = [p for p in (top.show_at, top.title_at) if p is not None]
            starts.append(rows[at[0]][0] if at else rows[first][0])
        lo = last + 1
    return starts


def parse(page: Page) -> Summary:
    rows = _logical(page.lines)
    texts = [t for _, t in rows]
    summary_at = _first(texts, SUMMARY)
    takeaways_at = _first(texts, TAKEAWAYS)
    if summary_at is None and takeaways_at is None:
        raise ParseError("not a signalcast page (no AI-Generated Summary or Key Takeaways)")
    body_at = min(p for p in (summary_at, takeaways_at) if p is not None)
    head_end = _head_end(texts, body_at)
    top = _Top(rows, 0, head_end)
    if top.title is None:
        raise ParseError("not a signalcast page (no episode title above its summary)")
    s = page.new_summary(NAME, top.title, top.show)
    extra = list(top.extra)

    meta_length: tuple[int, str] | None = None
    k = head_end
    while k < body_at:
        i, text = rows[k]
        k += 1
        if not text:
            continue
        m = _META.fullmatch(text) if " episode · " in text else None
        if m is not None:
            meta_length = meta_length or (i, m.group("ep"))
            continue
        if text not in LABELS:
            extra.append((i, text))
            continue
        while k < body_at and not rows[k][1]:
            k += 1
        if k >= body_at or rows[k][1] in LABELS:
            continue  # a label with no value
        vi, value = rows[k]
        k += 1
        if text == EPISODE and s.duration is None:
            _blocks.set_duration(s, page, value, vi)
        elif text == TOPICS:
            s.topics = [t.strip() for t in value.split(",") if t.strip()]
    if s.duration is None and meta_length is not None:
        _blocks.set_duration(s, page, meta_length[1], meta_length[0])

    list_at = takeaways_at if takeaways_at is not None else body_at
    extra += [(i, t) for i, t in rows[body_at + 1 : list_at] if t and t != TAKEAWAYS]
    section = Section(None, texts[list_at], None)
    done = False
    for i, text in rows[list_at + 1 :]:
        if not text:
            continue
        item = None if done else _bullet(text)
        if item is None:
            done = done or bool(section.insights)
            extra.append((i, text))
        else:
            section.insights.append(_blocks.label_insight(item))
    s.sections.append(section)
    s.extra_lines = [t for _, t in sorted(extra, key=lambda e: e[0])]
    _blocks.check_times(s, page)
    return s


# --- lines as the page meant them --------------------------------------------------


def _logical(lines: list[str]) -> list[tuple[int, str]]:
    """(line index, text) of each line, with lines the copy glued together pulled apart."""
    out: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        out += [(i, part) for part in _unglue(line)]
    return out


def _unglue(line: str) -> list[str]:
    for head in (SKIP, SUMMARY, TAKEAWAYS):
        rest = _blocks.unglue(line, head)
        if rest and not line[len(head)].isspace() and not line[len(head)].islower():
            return [head, *_unglue(rest)]
    if _CHECK in line[1:]:
        parts = [p.strip() for p in line.replace(_CHECK, "\n" + _CHECK).split("\n")]
        return [p for p in parts if p]
    for label in LABELS:
        rest = _blocks.unglue(line, label)
        glued = line[len(label)] if rest else ""
        if rest and (glued.isupper() if label == TOPICS else glued.isdigit()):
            return [label, rest]
    if " episode · " in line:
        m = _META.fullmatch(line)
        if m is not None and m.group("pre").strip():
            return [m.group("pre").strip(), line[m.end("pre") :]]
    return [line]


def _first(texts: list[str], text: str) -> int | None:
    try:
        return texts.index(text)
    except ValueError:
        return None


def _head_end(texts: list[str], body_at: int) -> int:
    """Where the title's block ends: the meta line, the first label, or the summary."""
    for k in range(body_at):
        t = texts[k]
        if t == DOT or t in LABELS or (" episode · " in t and _META.fullmatch(t)):
            return k
    return body_at


_RANKS: Final = {SKIP: 0, DOT: 2, EPISODE: 3, READ_TIME: 4, TOPICS: 5, SUMMARY: 6, TAKEAWAYS: 7}


def _page_spans(rows: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """(first, last) marker row of each page: a marker that does not come later in the
    page's order than the one before it starts a new page."""
    spans: list[tuple[int, int]] = []
    last = len(_RANKS) + 1
    for k, (_, text) in enumerate(rows):
        rank = _RANKS.get(text)
        if rank is None and " episode · " in text and _META.fullmatch(text):
            rank = 1
        if rank is None:
            continue
        if not spans or rank <= last:
            spans.append((k, k))
        else:
            spans[-1] = (spans[-1][0], k)
        last = rank
    return spans


def _bullet(text: str) -> str | None:
    """A takeaway's text: a checked line, or a plain ``Label: text`` line."""
    item = _blocks.strip_bullet(text)
    if item is not None:
        return item
    return text if _blocks.split_label(text)[0] is not None else None


def _named(text: str) -> bool:
    """A line that can be a show name: short, not a takeaway, not a sentence."""
    return (
        len(text) <= _NAME_MAX
        and text != SKIP
        and _bullet(text) is None
        and not _blocks.ends_sentence(text)
    )


class _Top:
    """The show and title above row ``end`` (from row ``lo``), and the chrome there."""

    def __init__(self, rows: list[tuple[int, str]], lo: int, end: int) -> None:
        self.title: str | None = None
        self.show: str | None = None
        self.title_at: int | None = None
        self.show_at: int | None = None
        self.extra: list[tuple[int, str]] = []
        skip_at = next((k for k in range(lo, end) if rows[k][1] == SKIP), None)
        first = lo if skip_at is None else skip_at + 1
        filled = [k for k in range(first, end) if rows[k][1] and rows[k][1] != SKIP]
        if filled:
            self.title_at = filled[-1]
            self.title = rows[self.title_at][1]
        if len(filled) > 1 and _named(rows[filled[-2]][1]):
            self.show_at = filled[-2]
            self.show = rows[self.show_at][1]
        elif len(filled) == 1 and skip_at is not None and self.title is not None:
            # the page always names its show: one line under the skip link is both, glued
            m = _HUMP.search(self.title)
            if m is not None:
                self.show, self.title = self.title[: m.start()], self.title[m.start() :]
                self.show_at = self.title_at
        for k in range(lo, end):
            if rows[k][1] and k not in (self.title_at, self.show_at):
                self.extra.append(rows[k])
