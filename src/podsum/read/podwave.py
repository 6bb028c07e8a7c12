"""pod.wave.co: a ``Podcast Summary: Show – “Title”`` (or ``Show: "Title"``) heading,
``Date:`` / ``Host:`` / ``Guests:`` lines, ``Episode Overview`` and ``Key Discussion
Points & Insights`` as numbered topics with bullets.

How the page maps onto the record:

- ``Host:`` / ``Hosts:`` names (split at commas, ``and``, ``&``) are people with role
  ``host``; ``Guests:`` names are role ``guest``, and a name's parenthesised text
  (``Dr. Ana Ruiz (glaciologist)``) is its ``about``.
- Each numbered topic ``1. Topic title`` is a Section (title as written, no emoji, no
  declared count) whose insights are its bullets: ``Label: text (03:15, 08:50)`` gives
  title, text and timestamps; a quote ``“…” — Name (05:02)`` gives text, speaker and
  timestamps; a paragraph under the topic before its bullets is an insight without a
  title. A topic with a range line ``[00:00–12:40]`` (or one start time ``[00:00]``) is
  also a Chapter with that title and those times (one written without an end ends where
  the next chapter starts); the chapter's points stay empty, so a bullet is stored
  once, in its section.
- The tail of these pages was never seen, so it is read by heading: paragraphs under
  ``Conclusion``, ``Final Thoughts``, ``Bottom Line`` or ``Implications`` become
  ``bottom_line``; bullets under those or under ``Key Takeaways`` and similar list
  headings become one more Section titled as the heading. Chrome before the heading and
  a footer (the plain lines that end the page: no sentence end, bullet, time or heading,
  e.g. ``Share this summary``) are kept in ``extra_lines``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Final

from .. import values
from ..errors import ParseError
from ..model import Chapter, Insight, Person, Section, Summary
from . import _blocks as b
from ._page import Page

NAME: Final = "podwave"
DESCRIPTION: Final = (
    "pod.wave.co: Podcast Summary heading, Date/Host/Guests, Episode Overview, "
    "numbered discussion points with timestamped bullets"
)
MARKERS: Final = (
    "Podcast Summary: Show – “Title”",
    "Episode Overview",
    "Key Discussion Points & Insights",
)

_POINTS_LINES: Final = (
    "Key Discussion Points & Insights",
    "Key Discussion Points & Insights:",
    "Key Discussion Points and Insights",
    "Key Discussion Points and Insights:",
)
_OVERVIEW_LINES: Final = ("Episode Overview", "Episode Overview:")
_SUMMARY_PREFIX: Final = "Podcast Summary:"

# Heading vocabulary, compared case-folded without a leading ``#``/emoji or a trailing
# colon: what each heading's block is.
_HEADINGS: Final = {
    "episode overview": "overview",
    "overview": "overview",
    "key discussion points & insights": "points",
    "key discussion points and insights": "points",
    "key discussion points": "points",
    "conclusion": "bottom",
    "conclusions": "bottom",
    "final thoughts": "bottom",
    "closing thoughts": "bottom",
    "bottom line": "bottom",
    "the bottom line": "bottom",
    "implications": "bottom",
    "key takeaways": "list",
    "takeaways": "list",
    "notable quotes": "list",
    "memorable quotes": "list",
    "action items": "list",
    "actionable takeaways": "list",
}

_QUOTED: Final = re.compile(r"[\"“„](.+)[\"”](.*)")
_DASH_QUOTED: Final = re.compile(r"(.+?)\s+[–—-]\s+[\"“„](.+)[\"”](.*)")
_SHOW_QUOTED: Final = re.compile(r"([^\"“”:]{1,150}?):\s*[\"“„](.+)[\"”](.*)")
_DASH: Final = re.compile(r"\s+[–—-]\s+")
_LABEL: Final = re.compile(r"(Date|Published|Host\(s\)|Hosts?|Guests?):\s*")
_PAREN: Final = re.compile(r"\([^()]*\)")
# (Each search pattern opens with a lookahead of the characters a match can start with:
# it lets the regex engine skip to them instead of trying every position.)
_NAME_SEP: Final = re.compile(r"(?=[\s,;])(?:\s*[,;]\s*(?:and\s+|&\s+)?|\s+and\s+|\s+&\s+)")
_ABOUT: Final = re.compile(r"(.+?)\s*\((.+)\)")
_TIME: Final = b.TIME
_RANGE_LINE: Final = re.compile(
    rf"(?:Timestamps?:\s*)?[\[(]?\s*({_TIME})\s*(?:[–—-]\s*({_TIME})\s*)?[\])]?", re.IGNORECASE
)
_TRAILING_RANGE: Final = re.compile(
    rf"(?=[\s\[(])\s*[\[(]\s*({_TIME})\s*(?:[–—-]\s*({_TIME})\s*)?[\])]\s*$"
)
_EPISODE_IN_SHOW: Final = re.compile(
    r"(.+?)(?:\s*#|\s+(?:Episode|Ep\.?)\s*)(\d{1,5})", re.IGNORECASE
)
_EPISODE_IN_TITLE: Final = re.compile(
    r"(?:#|(?:Episode|Ep\.?)\s*)(\d{1,5})\s*(?::|[–—-]|\|)\s*(\S.*)", re.IGNORECASE
)
# Lines that may follow the heading; a ``Show: "Title"`` line counts as the heading only
# when one of them comes within the next few lines.
_AFTER_HEADING: Final = ("Date:", "Published:", "Host:", "Hosts:", "Host(s):", "Guest:", "Guests:")


class _Heading:
    __slots__ = ("after", "before", "show", "title")

    def __init__(self, show: str | None, title: str, before: str, after: str) -> None:
        self.show = show
        self.title = title
        self.before = before  # chrome glued in front of the heading
        self.after = after  # a meta line glued behind it (``…”Date: February 18, 2026``)


# Lines one of which every page this reader detects has (the registry's first test).
GATE: Final = frozenset((*_POINTS_LINES, *_OVERVIEW_LINES))


def detect(page: Page) -> bool:
    if not page.has_any(GATE):
        return False
    if page.has_any(_POINTS_LINES):
        return True
    return page.has_any(_OVERVIEW_LINES) and any(_SUMMARY_PREFIX in ln for ln in page.lines)


def page_starts(page: Page) -> list[int]:
    """Each page's heading line (no chrome above it was ever seen)."""
    return [i for i, _ in _page_headings(page)]


def _page_headings(page: Page) -> list[tuple[int, _Heading]]:
    """The page's headings, found once for ``page_starts`` and ``parse``."""
    found = page.memo.get(NAME)
    if not isinstance(found, list):
        found = page.memo[NAME] = list(_headings(page.lines))
    return found


def parse(page: Page) -> Summary:
    lines = page.lines
    headings = _page_headings(page)
    if not headings:
        raise ParseError(
            'not a podwave page (no `Podcast Summary: Show – “Title”` or `Show: "Title"` heading)'
        )
    at, head = headings[0]
    show, number = _show_number(head.show)
    title = head.title
    if number is None:
        number, title = _title_number(title)
    s = page.new_summary(NAME, title, show)
    s.episode_number = number
    r = _Reader(page, s)
    for i in range(at):
        r.extra_at(i, lines[i])
    if head.before:
        r.extra_at(at, head.before)
    if head.after:
        r.meta_line(at, head.after)
    end = b.footer_start(lines, at + 1, _is_content)
    for i in range(end, len(lines)):
        r.extra_at(i, lines[i])
    blocks = _split_blocks(lines, at + 1, end)
    if not any(kind in ("overview", "points") for kind, _, _ in blocks):
        raise ParseError(
            "not a podwave page (no `Episode Overview` or `Key Discussion Points & Insights`)"
        )
    for kind, name, body in blocks:
        r.block(kind, name, body)
    for a, nxt in itertools.pairwise(s.chapters):
        if a.end is None:
            a.end, a.end_seconds = nxt.start, nxt.start_seconds
    s.extra_lines = [t for _, t in sorted(r.extra, key=lambda x: x[0])]
    b.check_times(s, page)
    return s


# --- the heading ------------------------------------------------------------------


def _headings(lines: list[str]) -> Iterator[tuple[int, _Heading]]:
    for i, line in enumerate(lines):
        if ":" not in line:  # both forms have one (a one-character search: the fastest)
            continue
        if _SUMMARY_PREFIX in line:
            head = _summary_heading(line)
        elif ('"' in line or "“" in line) and b.strip_bullet(line) is None:
            head = _show_heading(line)
            if head is not None and not (_LABEL.match(head.after) or _followed_by_meta(lines, i)):
                head = None
        else:
            head = None
        if head is not None:
            yield i, head


def _summary_heading(line: str) -> _Heading | None:
    """``Podcast Summary: Show – “Title”`` in its forms (quotes straight or curly, no
    quotes, no show, or ``Show: "Title"`` after the prefix)."""
    before, _, body = line.partition(_SUMMARY_PREFIX)
    body = body.strip()
    if not body:
        return None
    for pattern in (_DASH_QUOTED, _SHOW_QUOTED):
        if (m := pattern.fullmatch(body)) is not None:
            return _heading_of(m, before)
    if (q := _QUOTED.fullmatch(body)) is not None:
        text = values.group_text
        return _Heading(None, text(q, 1).strip(), before, text(q, 2).strip())
    rest, after = _cut_meta(body)
    parts = _DASH.split(rest, maxsplit=1)
    if len(parts) == 2:
        return _Heading(parts[0].strip(), parts[1].strip(), before, after)
    return _Heading(None, rest, before, after)


def _show_heading(line: str) -> _Heading | None:
    m = _SHOW_QUOTED.fullmatch(line)
    if m is None or _LABEL.fullmatch(m.group(1) + ": "):
        return None
    return _heading_of(m, "")


def _heading_of(m: re.Match[str], before: str) -> _Heading:
    """The heading a ``(show)(title)(after)`` match reads."""
    text = values.group_text
    return _Heading(text(m, 1).strip(), text(m, 2).strip(), before, text(m, 3).strip())


def _cut_meta(text: str) -> tuple[str, str]:
    """Split a meta line glued behind unquoted heading text."""
    m = _LABEL.search(text)
    if m is None or m.start() == 0:
        return text.strip(), ""
    return text[: m.start()].strip(), text[m.start() :].strip()


def _followed_by_meta(lines: list[str], i: int) -> bool:
    seen = 0
    for j in range(i + 1, len(lines)):
        line = lines[j]
        if not line:
            continue
        if line.startswith(_AFTER_HEADING) or line in _OVERVIEW_LINES or line in _POINTS_LINES:
            return True
        seen += 1
        if seen == 3:
            return False
    return False


def _show_number(show: str | None) -> tuple[str | None, str | None]:
    """``The Bench #212`` -> ("The Bench", "212")."""
    if show is None:
        return None, None
    # The number is the show's last digits, one to five of them (more: none matches).
    k = len(show)
    while k > 0 and show[k - 1].isdecimal():
        k -= 1
    if not 1 <= len(show) - k <= 5:
        return show, None
    if show[k - 1 : k] == "#" and (name := show[: k - 1].rstrip()):
        return name.rstrip(" –—-|:,"), show[k:]  # ``Show #212``: no regex run
    m = _EPISODE_IN_SHOW.fullmatch(show)
    if m is None:
        return show, None
    return values.group_text(m, 1).rstrip(" –—-|:,"), m.group(2)


def _title_number(title: str) -> tuple[str | None, str]:
    """``Episode 88: The Title`` -> ("88", "The Title")."""
    m = _EPISODE_IN_TITLE.fullmatch(title)
    if m is None:
        return None, title
    return m.group(1), values.group_text(m, 2).strip()


# --- blocks ------------------------------------------------------------------------

Body = list[tuple[int, str]]


# The last letters of the vocabulary's headings (an ASCII letter's only case folds; a
# non-ASCII last character, which may fold to one, goes on to the full test).
_HEADING_LAST: Final = frozenset(
    c for h in _HEADINGS for c in (h[-1], h[-1].upper())
)


def _heading_kind(line: str) -> tuple[str, str] | None:
    """(kind, heading as written) of a heading line (``## Conclusion:`` too)."""
    if not line or len(line) > 60:
        return None
    last = line[-1]
    if last not in _HEADING_LAST and last not in ":*" and ord(last) < 128 and not last.isspace():
        return None  # the cheap test: how every heading of the vocabulary ends
    _, text = values.split_emoji(line.lstrip("#").strip())
    text = text.strip("*").rstrip(":").strip()
    kind = _HEADINGS.get(text.casefold())
    return (kind, text) if kind is not None else None


def _split_blocks(lines: list[str], start: int, end: int) -> list[tuple[str, str, Body]]:
    """The page after its heading as (kind, heading as written, body lines)."""
    out: list[tuple[str, str, Body]] = [("meta", "", [])]
    for i in range(start, end):
        line = lines[i]
        head = _heading_kind(line)
        if head is not None:
            out.append((head[0], head[1], []))
            continue
        if out[-1][0] in ("meta", "overview") and _starts_topics(lines, i):
            out.append(("points", "", []))
        out[-1][2].append((i, line))
    return out


def _is_content(line: str) -> bool:
    return _range(line) is not None or _heading_kind(line) is not None or bool(_LABEL.match(line))


def _starts_topics(lines: list[str], i: int) -> bool:
    """A numbered line followed by a range or a bullet: the topics, their heading lost."""
    if b.numbered(lines[i]) is None:
        return False
    for line in lines[i + 1 : i + 4]:
        if line:
            return _range(line) is not None or b.strip_bullet(line) is not None
    return False


def _range(line: str) -> tuple[str, str | None] | None:
    if not line:
        return None
    first, last = line[0], line[-1]
    if not (first in "[(Tt" or first.isdecimal() or first.isspace()):
        return None  # the cheap tests: how a range line can open and end
    if not (last in "])" or last.isdecimal() or last.isspace()):
        return None
    if first in "[(" and last in "])":  # ``[00:00–12:40]``, ``(04:12)``: no regex run
        times = _bracketed_range(line[1:-1])
        if times is not None:
            return times
    m = _RANGE_LINE.fullmatch(line)
    if m is None or (line[0] not in "[(" and m.group(2) is None and not line[0].isalpha()):
        return None  # a bare time alone is a range line only in brackets
    return m.group(1), m.group(2)


def _bracketed_range(inner: str) -> tuple[str, str | None] | None:
    """The times between a range line's brackets, when they are one time or two with a
    dash between (spaces around them); None for anything else (the regex decides)."""
    for dash in "–—-":
        a, found, b = inner.partition(dash)
        if found:
            start, end = a.strip(), b.strip()
            if values.time_value(start) == values.NOT_A_TIME:
                return None
            if values.time_value(end) == values.NOT_A_TIME:
                return None
            return start, end
    start = inner.strip()
    return None if values.time_value(start) == values.NOT_A_TIME else (start, None)


def _continues(prev: str, blank_between: bool) -> bool:
    """A non-bullet line after a bullet is the bullet's wrapped tail unless the bullet
    closed: its timestamps came, or it ended a sentence before a blank line."""
    if b.trailing_timestamps(prev)[1]:
        return False
    return not blank_between or not b.ends_sentence(prev)


class _Topic:
    __slots__ = ("bullets", "end", "paragraph", "start", "title")

    def __init__(self, title: str, start: str | None = None, end: str | None = None) -> None:
        self.title = title
        self.start = start
        self.end = end
        self.paragraph: list[str] = []
        self.bullets: list[str] = []


class _Reader:
    """The record being filled in, and the lines no block claimed (with their index)."""

    def __init__(self, page: Page, s: Summary) -> None:
        self.page = page
        self.s = s
        self.extra: list[tuple[int, str]] = []
        self.people_role: str | None = None  # the role of the last names list
        self.open_names = False  # that list ended with a comma or "and": it goes on

    def extra_at(self, i: int, text: str) -> None:
        if text:
            self.extra.append((i, text))

    def block(self, kind: str, name: str, body: Body) -> None:
        if kind == "meta":
            self.meta(body)
        elif kind == "overview":
            self.s.overview = b.add_paragraphs(self.s.overview, b.text_block([t for _, t in body]))
        elif kind == "points":
            self.topics(body)
        else:
            self.tail(kind, name, body)

    # meta: Date, Host(s), Guests

    def meta(self, body: Body) -> None:
        for i, line in body:
            if not line:
                continue
            if (first := _LABEL.search(line)) is not None:
                self.meta_line(i, line, first)
                continue
            bullet = b.strip_bullet(line)
            if self.people_role is not None and bullet is not None:
                person = _person(bullet, self.people_role, dash_about=True)
                self.s.people.extend([person] if person else [])
            elif self.people_role is not None and self.open_names:
                self.add_names(line, self.people_role)
            elif self.s.published is None and values.parse_date(line) is not None:
                b.set_date(self.s, self.page, line, i)
            else:
                self.people_role = None
                self.extra_at(i, line)

    def meta_line(self, i: int, line: str, first: re.Match[str] | None = None) -> None:
        """Read a line of labels (``first``: the first label, when it has been found)."""
        first = first or _LABEL.search(line)
        if first is None:
            marks = []
        elif ":" in line[first.end() :]:  # another label may follow (each has a colon)
            marks = [m for m in _LABEL.finditer(line) if _outside_parens(line, m.start())]
        else:
            marks = [first] if _outside_parens(line, first.start()) else []
        if not marks:
            self.extra_at(i, line)
            return
        self.extra_at(i, line[: marks[0].start()].strip())
        for n, m in enumerate(marks):
            end = marks[n + 1].start() if n + 1 < len(marks) else len(line)
            value = line[m.end() : end].strip().strip("|·•").strip()
            label = values.group_text(m, 1).lower()
            if label in ("date", "published"):
                self.people_role = None
                b.set_date(self.s, self.page, value.rstrip(",;"), i)
            else:
                role = "guest" if label.startswith("guest") else "host"
                self.people_role = role
                self.open_names = False
                self.add_names(value, role)

    def add_names(self, text: str, role: str) -> None:
        self.s.people.extend(_people(text, role))
        tail = text.rstrip()
        self.open_names = tail.endswith((",", ";", " and", " &"))

    # the numbered topics

    def topics(self, body: Body) -> None:
        topic: _Topic | None = None
        blank = False
        for i, line in body:
            if not line:
                blank = True
                continue
            num = b.numbered(line)
            if num is not None:
                self.close(topic)
                topic = _topic(num[1])
            elif topic is None:
                self.extra_at(i, line)
            elif (bullet := b.strip_bullet(line)) is not None:
                topic.bullets.append(bullet)
            elif (times := _range(line)) and not (topic.bullets or topic.paragraph or topic.start):
                topic.start, topic.end = times
            elif topic.bullets and _continues(topic.bullets[-1], blank):
                topic.bullets[-1] += " " + line
            elif not topic.bullets:
                if blank and topic.paragraph:
                    topic.paragraph.append("")
                topic.paragraph.append(line)
            else:
                self.extra_at(i, line)
            blank = False
        self.close(topic)

    def close(self, topic: _Topic | None) -> None:
        if topic is None:
            return
        insights = []
        text = b.text_block(topic.paragraph)
        if text:
            insights.append(Insight(None, text))
        insights += [b.label_insight(x) for x in topic.bullets]
        self.s.sections.append(Section(None, topic.title, None, insights))
        if topic.start is not None:
            start = b.timestamp(topic.start)
            end = b.timestamp(topic.end) if topic.end else None
            self.s.chapters.append(
                Chapter(
                    title=topic.title,
                    start=start.at,
                    start_seconds=start.seconds,
                    end=end.at if end else None,
                    end_seconds=end.seconds if end else None,
                )
            )

    # the tail: Conclusion, Implications, Key Takeaways, ...

    def tail(self, kind: str, name: str, body: Body) -> None:
        paragraph: list[str] = []
        bullets: list[str] = []
        blank = False
        for i, line in body:
            if not line:
                blank = True
                if paragraph and not bullets:
                    paragraph.append("")
                continue
            bullet = b.strip_bullet(line)
            if bullet is not None:
                bullets.append(bullet)
            elif bullets and _continues(bullets[-1], blank):
                bullets[-1] += " " + line
            elif not bullets:
                paragraph.append(line)
            else:
                self.extra_at(i, line)
            blank = False
        text = b.text_block(paragraph)
        if kind == "bottom" and text:
            self.s.bottom_line = b.add_paragraphs(self.s.bottom_line, text)
            text = None
        insights = [Insight(None, text)] if text else []
        insights += [b.label_insight(x) for x in bullets]
        if insights:
            self.s.sections.append(Section(None, name, None, insights))


def _topic(text: str) -> _Topic:
    """``Topic title`` or ``Topic title [00:00–12:40]``."""
    if not text.rstrip().endswith(("]", ")")):
        return _Topic(text.strip())  # no range at its end: no search
    m = _TRAILING_RANGE.search(text)
    if m is None or m.start() == 0:
        return _Topic(text.strip())
    return _Topic(text[: m.start()].strip(), m.group(1), m.group(2))


# --- people ------------------------------------------------------------------------


def _outside_parens(text: str, pos: int) -> bool:
    return text.count("(", 0, pos) <= text.count(")", 0, pos)


def _people(text: str, role: str) -> list[Person]:
    """``A (about), B and C`` -> people; commas inside parentheses stay in ``about``."""
    text = text.strip().rstrip(",;&").strip()
    spans = [m.span() for m in _PAREN.finditer(text)] if "(" in text else []
    if text.endswith(" and"):
        text = text[:-4]
    out: list[Person] = []
    for name in b.split_outside(text, spans, _split_names):
        person = _person(name, role)
        if person is not None:
            out.append(person)
    return out


def _split_names(text: str) -> list[str]:
    """``text`` split at ``_NAME_SEP`` (whose separators have a comma, semicolon, "&" or
    "and": text with none of them is not searched)."""
    if "," in text or ";" in text or "&" in text or "and" in text:
        return _NAME_SEP.split(text)
    return [text]


def _person(text: str, role: str, *, dash_about: bool = False) -> Person | None:
    """``Name (about)``, or on a line of its own also ``Name – about``."""
    text = text.strip()
    if not text or text.casefold() in ("none", "n/a", "-"):
        return None
    m = _ABOUT.fullmatch(text) if text.endswith(")") else None
    if m is not None:
        return Person(values.group_text(m, 1).strip(), role, values.group_text(m, 2).strip())
    pieces = _DASH.split(text, maxsplit=1) if dash_about else [text]
    about = pieces[1].strip() if len(pieces) == 2 else None
    return Person(pieces[0].strip(), role, about or None)
