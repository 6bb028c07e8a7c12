"""youtubeds.com ("YouTube Deep Summary"): chrome, the video title, a ``Channel •
2025-07-04 • 85:10 minutes • YouTube`` line, a header of emoji lines, ``Overview``, and
``Chapter-by-Chapter Deep Dive`` with ``Chapter title (00:00)`` chapters.

How the page maps onto the record:

- The channel is the show; the date and duration come from the channel line (the
  ``⏱️ Duration:`` line, with or without its variation selector, when that line is
  missing).
- ``Overview`` is hard-wrapped at about 80 columns: a paragraph's lines are joined with
  spaces.
- Each ``Chapter title (00:00)`` is a Chapter; it ends where the next one starts, and the
  last one where the video ends (when its length is known). A chapter's fixed
  sub-headings (``Core Concepts & Main Points:``, ``Key Insights & Takeaways:``,
  ``Actionable Advice:``, ``Connection to Video Theme:``) are not kept: ``points`` holds
  every bullet of the chapter in page order (a wrapped bullet's lines joined), and
  ``summary`` holds the ``Connection to Video Theme:`` text when it is a paragraph
  rather than bullets (a paragraph under another sub-heading is a point).
- ``📚 Chapter Summaries (7)`` and ``📚 Video Chapters (7 chapters):`` declare a count;
  when the chapters found differ, the warning is ``chapter-count-mismatch``.
- Chrome (the site name twice, the ``Star…`` tagline, ``Video thumbnail``, ``🔗 Watch
  on YouTube``) goes to ``extra_lines``, and so does a footer: the plain lines that end
  the page (no sentence end, bullet, time or heading, e.g. ``Privacy · Terms``).
"""

from __future__ import annotations

import re
from typing import Final

from .. import values
from ..errors import ParseError
from ..model import Chapter, Insight, Section, Summary
from . import _blocks as b
from ._page import Page

NAME: Final = "youtubeds"
DESCRIPTION: Final = (
    "youtubeds.com (YouTube Deep Summary): channel • date • duration line, Overview, "
    "chapter-by-chapter deep dive"
)
_SITE: Final = "YouTube Deep Summary"
MARKERS: Final = (_SITE + _SITE, "🤖 AI-Generated Summary:", "Chapter-by-Chapter Deep Dive")

_DEEP_DIVE: Final = "Chapter-by-Chapter Deep Dive"
_DETECT: Final = (
    _SITE + _SITE,
    _SITE,
    "🤖 AI-Generated Summary:",
    _DEEP_DIVE,
    _DEEP_DIVE + ":",
)
_THUMBNAIL: Final = "Video thumbnail"
_WATCH: Final = re.compile(r"(?:🔗\s*)?Watch on YouTube")
_AI: Final = re.compile(r"(?:🤖\s*)?AI-Generated Summary:?")
_VIDEO: Final = re.compile(r"🎥\s*(\S.*)")
_DURATION: Final = re.compile(r"(?:⏱\ufe0f?\s*)?Duration:\s*(\S.*)")
_SUMMARIES: Final = re.compile(r"(?:📚\s*)?Chapter Summaries\s*\((\d{1,4})\)")
_VIDEO_CHAPTERS: Final = re.compile(r"(?:📚\s*)?Video Chapters\s*\((\d{1,4})(?:\s+chapters?)?\):?")
# Header lines glued together by the copy split before each of their emoji.
# (The emoji first, as one class: the regex engine skips to them.)
_HEADER_EMOJI: Final = re.compile(r"(?=[📚🤖🎥⏱🔗])(?<=\S)")
_OVERVIEW: Final = frozenset(("Overview", "Overview:", "📝 Overview", "📋 Overview"))
_TIME: Final = b.TIME
_CHAPTER: Final = re.compile(
    rf"(?P<title>\S.*?)\s*[\(\[](?P<start>{_TIME})(?:\s*[–—-]\s*(?P<end>{_TIME}))?[\)\]]"
)
_INDEX_TIME_FIRST: Final = re.compile(rf"(?P<start>{_TIME})\s+(?:[–—-]\s+)?(?P<title>\S.*)")
_CLOCK: Final = re.compile(_TIME)
# The fixed sub-headings of a chapter (case-folded, "and" for "&", no colon).
_SUBHEADINGS: Final = {
    "core concepts & main points": "points",
    "key insights & takeaways": "points",
    "actionable advice": "points",
    "connection to video theme": "summary",
}
# A sub-heading as written is at most this long (its "&" may be written "and").
_SUBHEADING_LONGEST: Final = max(len(k) for k in _SUBHEADINGS) + 2
_TAIL: Final = {
    "conclusion": "bottom",
    "final thoughts": "bottom",
    "bottom line": "bottom",
    "key takeaways": "list",
}


# Lines one of which every page this reader detects has (the registry's first test).
GATE: Final = frozenset(_DETECT)


def detect(page: Page) -> bool:
    return page.has_any(GATE)


def page_starts(page: Page) -> list[int]:
    """Each page's top chrome line (the site name), or its title line when a page has no
    chrome: the line before its channel line."""
    starts: list[int] = []
    chrome_open = False  # a page was started by its chrome, and its channel line not seen
    prev = ""
    for i, line in enumerate(page.lines):
        if not line:
            continue
        if line.startswith(_SITE) and _is_site_chrome(line):
            if not _is_site_chrome(prev):
                starts.append(i)
                chrome_open = True
        elif "•" in line and " • " in line and _meta(line) is not None:
            if not chrome_open:
                starts.append(_title_before(page.lines, i))
            chrome_open = False
        prev = line
    return starts


def parse(page: Page) -> Summary:
    lines = page.lines
    head = _find_head(lines)
    if head is None:
        raise ParseError(
            "not a youtubeds page (no video title before a `Channel • date • duration` line"
            " and no `🎥 title` line)"
        )
    r = _Reader(page, head)
    r.run()
    s = r.s
    if not (s.overview or s.chapters or r.saw_ai):
        raise ParseError(
            "not a youtubeds page (no Overview, no `Chapter-by-Chapter Deep Dive` chapters)"
        )
    return s


# --- the head: title and channel line --------------------------------------------


class _Meta:
    __slots__ = ("channel", "date", "duration", "views")

    def __init__(self) -> None:
        self.channel: str | None = None
        self.date: str | None = None
        self.duration: str | None = None
        self.views: str | None = None


class _Head:
    __slots__ = ("meta", "meta_at", "title", "title_at", "title_chrome")

    def __init__(
        self, title: str, title_at: int, title_chrome: str, meta: _Meta | None, meta_at: int | None
    ) -> None:
        self.title = title
        self.title_at = title_at
        self.title_chrome = title_chrome  # ``Video thumbnail`` glued in front of the title
        self.meta = meta
        self.meta_at = meta_at


def _is_site_chrome(line: str) -> bool:
    """The site name, once or glued twice."""
    return line in (_SITE, _SITE + _SITE)


def _meta(line: str) -> _Meta | None:
    """``Channel • 2025-07-04 • 85:10 minutes • YouTube``."""
    cells = [c.strip() for c in line.split(" • ")]
    if len(cells) < 2 or b.strip_bullet(line) is not None:
        return None
    meta = _Meta()
    known = 0
    for cell in cells:
        if cell == "YouTube" and known:
            known += 1
        elif meta.date is None and (values.looks_like_date(cell) or values.is_yearless_date(cell)):
            meta.date = cell
            known += 1
        elif meta.duration is None and values.parse_any_duration(cell) is not None:
            meta.duration = cell
            known += 1
        elif meta.views is None and values.parse_views(cell) is not None:
            meta.views = cell
            known += 1
        elif meta.channel is None and not known:
            meta.channel = cell
        else:
            return None
    return meta if known else None


def _title_before(lines: list[str], i: int) -> int:
    j = i - 1
    while j > 0 and not lines[j]:
        j -= 1
    return max(j, 0)


def _find_head(lines: list[str]) -> _Head | None:
    """The title: the line before the channel line, else the ``🎥`` line's text, else
    the line after ``Video thumbnail``; and the channel line, wherever the title is."""
    stop = len(lines)
    meta, meta_at = None, None
    for i, line in enumerate(lines):
        if line in _OVERVIEW or line.startswith(_DEEP_DIVE):
            stop = i
            break
        if meta is None and "•" in line and " • " in line and (meta := _meta(line)) is not None:
            meta_at = i
            t = _title_before(lines, i)
            chrome, title = _split_thumbnail(lines[t])
            if t < i and title and not _is_chrome(title):
                return _Head(title, t, chrome, meta, i)
    for i in range(stop):
        m = _VIDEO.fullmatch(lines[i])
        if m is not None:
            return _Head(m.group(1).strip(), i, "", meta, meta_at)
    for i in range(stop):
        chrome, title = _split_thumbnail(lines[i])
        if chrome and title:
            return _Head(title, i, chrome, meta, meta_at)
        if lines[i] == _THUMBNAIL:
            j = next((j for j in range(i + 1, stop) if lines[j]), None)
            if j is None or j == meta_at or _is_chrome(lines[j]):
                return None
            return _Head(lines[j], j, "", meta, meta_at)
    return None


def _split_thumbnail(line: str) -> tuple[str, str]:
    rest = b.unglue(line, _THUMBNAIL)
    return (_THUMBNAIL, rest) if rest else ("", line)


def _is_chrome(line: str) -> bool:
    return (
        _is_site_chrome(line)
        or line == _THUMBNAIL
        or _header_line(line) is not None
        or _WATCH.fullmatch(line) is not None
    )


def _header_line(line: str) -> tuple[str, str] | None:
    """(kind, value) of one of the emoji header lines under the channel line."""
    if m := _SUMMARIES.fullmatch(line):
        return "count", m.group(1)
    if m := _VIDEO_CHAPTERS.fullmatch(line):
        return "index", m.group(1)
    if _AI.fullmatch(line):
        return "ai", ""
    if m := _VIDEO.fullmatch(line):
        return "video", m.group(1)
    if m := _DURATION.fullmatch(line):
        return "duration", m.group(1).strip()
    return None


# --- the reader ----------------------------------------------------------------------


class _Chapter:
    __slots__ = ("closed", "end", "open_point", "points", "start", "sub", "summary", "title")

    def __init__(self, title: str, start: str, end: str | None) -> None:
        self.title = title
        self.start = start
        self.end = end
        self.points: list[str] = []
        self.summary: list[str] = []
        self.sub = "summary"  # what the current sub-heading's text is: "points" | "summary"
        self.open_point = False  # the last point is a bullet that may wrap onto the next line
        self.closed = False  # prose ended: later loose lines are chrome


class _Reader:
    def __init__(self, page: Page, head: _Head) -> None:
        self.page = page
        self.lines = page.lines
        self.head = head
        meta = head.meta or _Meta()
        self.s = page.new_summary(NAME, head.title, meta.channel)
        self.extra: list[tuple[int, str]] = []
        self.declared: list[tuple[int, int]] = []  # (count, line index)
        self.index: list[_Chapter] = []  # the chapter list under Video Chapters
        self.chapters: list[_Chapter] = []
        self.clock: str | None = None  # the video's length as a clock (``85:10``)
        self.saw_ai = False
        self.overview: list[str] = []

    def extra_at(self, i: int, text: str) -> None:
        if text:
            self.extra.append((i, text))

    def run(self) -> None:
        head, s = self.head, self.s
        for i in range(head.title_at):
            line = self.lines[i]
            if i != head.meta_at and line != head.title:  # chrome, or header lines
                self.header(i, line, "header")
        self.extra_at(head.title_at, head.title_chrome)
        meta = head.meta
        if meta is not None and head.meta_at is not None:
            if meta.date is not None:
                b.set_date(s, self.page, meta.date, head.meta_at)
            if meta.views is not None:
                s.views = values.parse_views(meta.views)
            if meta.duration is not None:
                b.set_duration(s, self.page, meta.duration, head.meta_at)
        self.walk(max(head.title_at, head.meta_at or 0) + 1)
        self.finish()

    def walk(self, start: int) -> None:
        end = b.footer_start(self.lines, start, _is_content)
        for i in range(end, len(self.lines)):
            self.extra_at(i, self.lines[i])
        state = "header"
        tail: tuple[str, str, list[tuple[int, str]]] | None = None
        blank = False
        for i in range(start, end):
            line = self.lines[i]
            if not line:
                blank = True
                if state == "overview":
                    self.overview.append("")
                elif tail is not None:
                    tail[2].append((i, ""))
                continue
            if line in _OVERVIEW and state in ("header", "index"):
                state = "overview"
            elif line.startswith(_DEEP_DIVE):
                state = "chapters"
                rest = line[len(_DEEP_DIVE) :].lstrip(":").strip()
                if rest:
                    self.chapter_line(i, rest, blank)
            elif state in ("overview", "chapters", "tail") and (key := _tail_heading(line)):
                self.close_tail(tail)
                tail = (key, line.rstrip(":").strip(), [])
                state = "tail"
            elif state in ("header", "index"):
                state = self.header(i, line, state)
            elif state == "overview":
                self.overview.append(line)
            elif state == "chapters":
                self.chapter_line(i, line, blank)
            elif tail is not None:
                tail[2].append((i, line))
            blank = False
        self.close_tail(tail)

    def header(self, i: int, line: str, state: str) -> str:
        for piece in _HEADER_EMOJI.split(line):
            state = self.header_piece(i, piece.strip(), state)
        return state

    def header_piece(self, i: int, text: str, state: str) -> str:
        kind, value = _header_line(text) or ("", "")
        if kind in ("count", "index"):
            self.declared.append((int(value), i))
            return "index" if kind == "index" else state
        if kind == "ai":
            self.saw_ai = True
        elif kind == "duration":
            self.clock = value
            if self.s.duration is None:
                b.set_duration(self.s, self.page, value, i)
        elif kind != "video":
            entry = _index_entry(text) if state == "index" else None
            if entry is not None:
                self.index.append(entry)
            else:
                self.extra_at(i, text)
        return state

    def chapter_line(self, i: int, line: str, blank: bool) -> None:
        ch = self.chapters[-1] if self.chapters else None
        sub = _subheading(line)
        if sub is not None and ch is not None:
            ch.sub, ch.open_point, ch.closed = sub[0], False, False
            if sub[1]:
                self.chapter_text(ch, i, sub[1], blank=True)
            return
        new = _chapter_heading(line)
        if new is not None and (ch is None or self.starts_chapter(ch, i, blank)):
            self.chapters.append(new)
            return
        if ch is None:
            self.extra_at(i, line)
            return
        self.chapter_text(ch, i, line, blank)

    def starts_chapter(self, ch: _Chapter, i: int, blank: bool) -> bool:
        """A ``Title (00:00)`` line is a chapter unless it is the wrapped tail of the text
        before it: it goes on in lower case right after an unfinished line, or nothing
        shows a new chapter (no sub-heading next, the text before unfinished)."""
        line = self.lines[i]
        last = ch.points[-1] if ch.open_point else (ch.summary[-1] if ch.summary else "")
        finished = not last or b.ends_sentence(last)
        if not (blank or finished) and line[:1].islower():
            return False
        for nxt in self.lines[i + 1 : i + 4]:
            if nxt:
                if _subheading(nxt) is not None:
                    return True
                break
        return blank or finished

    def chapter_text(self, ch: _Chapter, i: int, line: str, blank: bool) -> None:
        bullet = b.strip_bullet(line)
        if bullet is not None:
            ch.points.append(bullet)
            ch.open_point, ch.closed = True, False
        elif ch.open_point and (not blank or not b.ends_sentence(ch.points[-1])):
            ch.points[-1] += " " + line
        elif ch.closed or (ch.open_point and blank):
            ch.closed = True
            self.extra_at(i, line)
        elif ch.sub == "summary":
            if blank and ch.summary:
                ch.summary.append("")
            ch.summary.append(line)
        elif blank or not ch.points:
            ch.points.append(line)
            ch.open_point = True
        else:
            ch.points[-1] += " " + line

    def close_tail(self, tail: tuple[str, str, list[tuple[int, str]]] | None) -> None:
        if tail is None:
            return
        kind, name, body = tail
        bullets = [x for _, line in body if (x := b.strip_bullet(line)) is not None]
        text = b.text_block([line for _, line in body if b.strip_bullet(line) is None])
        if kind == "bottom" and text:
            self.s.bottom_line = text
            text = None
        insights = [Insight(None, text)] if text else []
        insights += [b.label_insight(x) for x in bullets]
        if insights:
            self.s.sections.append(Section(None, name, None, insights))

    def finish(self) -> None:
        s = self.s
        s.overview = b.text_block(self.overview)
        found = self.chapters or self.index
        end_at = self.end_clock()
        for n, ch in enumerate(found):
            start = b.timestamp(ch.start)
            end, end_seconds = ch.end, None
            if end is None and n + 1 < len(found):
                end = found[n + 1].start
            elif end is None and (s.duration_seconds or 0) > (start.seconds or 0):
                end, end_seconds = end_at, s.duration_seconds
            if end is not None and end_seconds is None:
                end_seconds = b.timestamp(end).seconds
            s.chapters.append(
                Chapter(
                    title=ch.title,
                    start=start.at,
                    start_seconds=start.seconds,
                    end=end,
                    end_seconds=end_seconds,
                    summary=b.text_block(ch.summary),
                    points=list(ch.points),
                )
            )
        for count, i in self.declared:
            if count != len(found):
                self.page.warn(
                    "chapter-count-mismatch",
                    f"the page declares {count} chapters, {len(found)} found",
                    i,
                )
                break
        s.extra_lines = [t for _, t in sorted(self.extra, key=lambda x: x[0])]
        b.check_times(s, self.page)

    def end_clock(self) -> str | None:
        """The video's length as a clock, for the last chapter's end."""
        for text in (self.clock, self.s.duration):
            if text and (m := _CLOCK.match(text)) is not None:
                return m.group()
        secs = self.s.duration_seconds
        if secs is None:
            return None
        h, rest = divmod(secs, 3600)
        return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60:02d}:{rest % 60:02d}"


def _is_content(line: str) -> bool:
    return (
        line.endswith(":")
        or _index_entry(line) is not None
        or _subheading(line) is not None
        or _tail_heading(line) is not None
        or line in _OVERVIEW
        or line.startswith(_DEEP_DIVE)
        or _is_chrome(line)
    )


def _subheading(line: str) -> tuple[str, str] | None:
    """(kind, text on the same line) of a chapter's fixed sub-heading."""
    head, colon, rest = line.partition(":")
    core = head.strip().strip("*").strip()
    if len(core) > _SUBHEADING_LONGEST:
        return None  # (case folding never shortens a text; " and " -> " & " by two)
    kind = _SUBHEADINGS.get(core.casefold().replace(" and ", " & "))
    if kind is None or (not colon and rest):
        return None
    return kind, rest.strip()


def _chapter_heading(line: str) -> _Chapter | None:
    if not line.endswith((")", "]")) or b.strip_bullet(line) is not None:
        return None  # (what _CHAPTER matches ends with a bracket)
    m = _CHAPTER.fullmatch(line)
    if m is None:
        return None
    return _Chapter(m.group("title").strip(), m.group("start"), m.group("end"))


def _index_entry(line: str) -> _Chapter | None:
    """A line of the chapter list: ``Title (00:00)``, ``00:00 Title`` or ``1. …``."""
    text = b.strip_bullet(line) or line
    num = b.numbered(text)
    if num is not None:
        text = num[1]
    m = _CHAPTER.fullmatch(text)
    if m is not None:
        return _Chapter(m.group("title").strip(), m.group("start"), m.group("end"))
    m = _INDEX_TIME_FIRST.fullmatch(text)
    if m is not None:
        return _Chapter(m.group("title").strip(), m.group("start"), None)
    return None


def _tail_heading(line: str) -> str | None:
    if len(line) > 40:
        return None
    return _TAIL.get(line.lstrip("#").strip().rstrip(":").strip().casefold())
