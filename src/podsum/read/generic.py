"""generic: any page of no known layout that is plainly a summary.

Such pages (other summary sites, publishers' own show notes, Markdown notes) share a
vocabulary of headings rather than a layout: Summary, TL;DR, Key Takeaways, Chapters,
Quotes, Bottom line, Transcript and a few more, in any case, with or without a colon
or Markdown ``#`` marks. The reader keeps what those headings name and puts every other
line in ``extra_lines``.

Precision comes before recall: a blog post, a README or a recipe also has the odd
"Summary" or "Conclusion", so a page is read only when at least two distinct headings of
the vocabulary own content and one of them is a summary block; everything else is
refused with the reason.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from typing import Final

from .. import values
from ..errors import ParseError
from ..model import Chapter, Insight, Person, Section, Summary, Timestamp
from . import _blocks
from ._page import Page

NAME: Final = "generic"
DESCRIPTION: Final = (
    "any other summary page: headings such as Summary, TL;DR, Key Takeaways, Chapters,"
    " Quotes, Bottom line, Transcript; bullets and timestamped lines"
)
MARKERS: Final = (
    "Summary / TL;DR / TLDR",
    "Overview",
    "Key Takeaways / Key Insights / Takeaways / Highlights / Quotes",
    "Chapters / Timestamps  (04:12 Topic)",
    "Topics",
    "Implications / Conclusion / Bottom line",
    "Transcript",
)


def _phrases(text: str) -> frozenset[str]:
    """Lower-case phrases written ``a | b | c``, any number to a line: a long table of
    short entries that still reads as one."""
    return frozenset(p for p in re.split(r"\s*[|\n]\s*", text) if p)


def _edges(phrases: Iterable[str], at: int, marks: str = "") -> frozenset[str]:
    """The ASCII characters a line may have at index ``at`` (0 or -1) when it is one of
    ``phrases`` (lower case) in any case, around ``marks`` that are stripped from it."""
    chars = {p[at] for p in phrases}
    return frozenset(chars | {c.upper() for c in chars} | set(marks))


def _may_be(line: str, first: frozenset[str], last: frozenset[str]) -> bool:
    """Whether ``line`` may be a phrase whose edges are ``first`` and ``last``: a set
    lookup of each end character instead of the strips, case folds and lookups that
    most lines would fail. Non-ASCII ends (an emoji, "ſ") are left to the full test."""
    a, z = line[0], line[-1]
    return (a in first or ord(a) > 127) and (z in last or ord(z) > 127)


# The ASCII characters ``str.strip`` and ``str.split`` take for whitespace.
_ASCII_SPACES: Final = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"


# What each heading of the vocabulary fills.
_TLDR: Final = "tldr"
_OVERVIEW: Final = "overview"
_SECTION: Final = "section"
_QUOTES: Final = "quotes"
_CHAPTERS: Final = "chapters"
_TOPICS: Final = "topics"
_BOTTOM: Final = "bottom"
_TRANSCRIPT: Final = "transcript"
_VOCABULARY: Final = {
    "summary": _TLDR,
    "tl;dr": _TLDR,
    "tldr": _TLDR,
    "overview": _OVERVIEW,
    "key takeaways": _SECTION,
    "key insights": _SECTION,
    "takeaways": _SECTION,
    "highlights": _SECTION,
    "quotes": _QUOTES,
    "chapters": _CHAPTERS,
    "timestamps": _CHAPTERS,
    "topics": _TOPICS,
    "implications": _BOTTOM,
    "conclusion": _BOTTOM,
    "bottom line": _BOTTOM,
    "transcript": _TRANSCRIPT,
}
# What a vocabulary heading may begin and end with, Markdown ``#`` marks aside
# (``**TL;DR:**``, ``Key Takeaways (5)``).
_HEAD_FIRST: Final = _edges(_VOCABULARY, 0, "*_" + _ASCII_SPACES)
_HEAD_LAST: Final = _edges(_VOCABULARY, -1, "*_:)" + _ASCII_SPACES)
# Blocks that only a summary has; Overview counts too, but not beside closing blocks
# alone (Overview + Conclusion is how essays and READMEs are built).
_STRONG: Final = frozenset((_TLDR, _SECTION, _CHAPTERS))
_WEAK_COMPANIONS: Final = frozenset((_OVERVIEW, _BOTTOM, _TRANSCRIPT))
# Headings show notes carry beside the summary: their blocks are not the summary's.
_OTHER_HEADINGS: Final = _phrases(
    """
    links | links mentioned | resources | resources mentioned | mentioned in this episode
    sponsors | sponsor | show notes | related episodes | more episodes | about the guest
    about the host | about the show | guest bio | credits | comments | support the show
    references | further reading
    """
)
_OTHER_FIRST: Final = _edges(_OTHER_HEADINGS, 0, "*_" + _ASCII_SPACES)
_OTHER_LAST: Final = _edges(_OTHER_HEADINGS, -1, "*_:" + _ASCII_SPACES)
# Either kind (Markdown and capital headings aside: ``#`` lines are tested in full, and
# so is every line of a page that writes its headings in capitals).
_ANY_HEAD_FIRST: Final = _HEAD_FIRST | _OTHER_FIRST
_ANY_HEAD_LAST: Final = _HEAD_LAST | _OTHER_LAST
_CHROME: Final = _phrases(
    """
    skip to content | skip to main content | skip navigation | toggle navigation | menu
    home | search | sign in | sign up | log in | login | register | subscribe | share
    share this episode | copy link | back to top | back | read more | show more | show less
    see more | listen now | play episode | play | download | advertisement | sponsored
    accept | accept all | reject all | cookie settings | manage cookies | privacy policy
    privacy | terms | terms of service | terms of use | contact | contact us | about
    about us | careers | blog | pricing | newsletter | follow us | open in app | get the app
    close | loading... | all episodes | browse | explore | discover | library | settings
    previous episode | next episode | watch on youtube | view all
    """
)
# Chrome that opens a line, and chrome anywhere in it.
_CHROME_START: Final = re.compile(
    r"©|\(c\)\s|copyright\s|skip to\s|powered by\s|sign up for\s|subscribe to\s"
    r"|(?:listen|watch|follow us|available|subscribe) on\s|home\s*[>/›»|]\s|more from\s",
    re.IGNORECASE,
)
_CHROME_ANYWHERE: Final = re.compile(
    r".*(?:all rights reserved|we use cookies|this site uses cookies|cookie policy)",
    re.IGNORECASE,
)
# Cheap tests that rule those regexes out for nearly every line. An ASCII character
# matches a letter under IGNORECASE only as its upper or lower case; the non-ASCII
# characters that match one ("ſ", "K", "İ", "ı") send a line on to the regex.
_CHROME_HEADS: Final = frozenset(
    ("(c", "co", "sk", "po", "si", "su", "li", "wa", "fo", "av", "ho", "mo")
)
_CHROME_START_FIRST: Final = frozenset(h[0] for h in _CHROME_HEADS) | frozenset(
    h[0].upper() for h in _CHROME_HEADS
)
# Every phrase of _CHROME_ANYWHERE has "coo" or "rved" in it (letters with no such case).
# A page has "cookie" or "rved" for any to match, in UTF-8, "k" perhaps as the Kelvin sign
# and "i" as "İ" or "ı". (Regexes: faster than ``in`` for a needle of several characters.)
_COOKIE: Final = re.compile(rb"coo(?:k|\xe2\x84\xaa)(?:i|\xc4[\xb0\xb1])e")
_RVED: Final = re.compile(rb"rved")
_CHROME_LONGEST: Final = max(map(len, _CHROME))  # a case fold never shortens a line
_CHROME_FIRST: Final = _edges(_CHROME, 0)
_CHROME_LAST: Final = _edges(_CHROME, -1)

_MD_HEADING: Final = re.compile(r"(#{1,6})\s+(.*?)(?:\s+#+)?")
_COUNT: Final = re.compile(r"(.*?)\s*\((\d{1,4})(?:\s+[^\W\d]+)?\)")
_CAPS_HEADING: Final = re.compile(r"[A-Z][A-Z0-9&'’/,\- ]{2,40}:?")
_TIME: Final = _blocks.TIME
# ``04:12 Topic``, ``[04:12] Topic``, ``(04:12) - Topic``, ``0:00 – 2:40 Topic``.
_LEAD_TIME: Final = re.compile(
    rf"[\[(]?({_TIME})(?:\s*[–—-]\s*({_TIME}))?[\])]?(?:\s*[-–—:|·•]\s*|\s+|(?<=[\])]))(\S.*)"
)
_LEAD_SEPARATORS: Final = "-–—:|·•"  # what may stand between the time and the text
# ``Topic (00:08:06)``, ``Topic [04:12]``, ``Topic - 04:12``.
_TRAIL_TIME: Final = re.compile(rf"(\S.*?)\s*(?:[\[(]({_TIME})[\])]|\s[-–—]\s({_TIME}))")


_ZERO_NUMBER: Final = re.compile(r"0\d[.)]?\s+(\S.*)")
_LONE_NUMBER: Final = re.compile(r"\d{1,2}[.)]?")
_BY: Final = re.compile(r"by:?\s+(\S.{0,79})", re.IGNORECASE)
_META: Final = re.compile(
    r"(hosts?|guests?|date|published|duration|length|episode)\s*:\s*(\S.*)", re.IGNORECASE
)
_INLINE_TLDR: Final = re.compile(r"(?:tl;dr|tldr)\s*:\s*(\S.*)", re.IGNORECASE)
# ``#459 …``, ``Ep. 88: …``, ``… (Episode 88)``: a number at either end of the title.
_EPISODE: Final = re.compile(
    r"^(?:#|(?:episode|ep\.?)\s*)(\d{1,5})\b|(?:#|\b(?:episode|ep\.?)\s*)(\d{1,5})\)?$",
    re.IGNORECASE,
)
_EPISODE_LINE: Final = re.compile(r"(?:#|(?:episode|ep\.?)\s*)(\d{1,5})", re.IGNORECASE)
_SHOW_NUMBER: Final = re.compile(r"(.*?\S)\s+#(\d{1,5})")
# ``Ana Ruiz: …``, ``[04:12] Ana: …``: a new turn in a transcript.
_SPEAKER_TURN: Final = re.compile(
    rf"(?:[\[(]?{_TIME}[\])]?\s*)?[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){{0,3}}:\s"
)
_SPEAKER_LINE: Final = re.compile(r"[—]+\s*(\S.*)")
_QUOTE_CHARS: Final = '"“”„«'
_NAME_SEPARATOR: Final = re.compile(r"[,;]| & | and ")
# (The lookahead lets the regex engine skip to where a separator can start.)
_TOPIC_SPLIT: Final = re.compile(r"(?=[\s,;·•|])(?:\s*[,;·•|]\s*|\s+(?=#))")

# Each regex above is run only on a line that passes a cheap test of its first or last
# characters (a letter that a regex takes in any case is tested in both cases of ASCII:
# none of these has a non-ASCII letter that matches it).


def _md_text(line: str) -> str | None:
    """The text of a Markdown heading (``## Text ##``): ``_MD_HEADING.fullmatch(line)``'s
    second group, found with string methods (the regex is the slow part of a line that
    opens with ``#``)."""
    if "\n" in line:  # a line of a page never has one; the regex knows what it means
        md = _MD_HEADING.fullmatch(line)
        return md.group(2) if md is not None else None
    rest = line.lstrip("#")
    if not 1 <= len(line) - len(rest) <= 6:
        return None
    text = rest.lstrip()
    if len(text) == len(rest):
        return None  # no space after the marks
    # A closing run of ``#`` after a space is the heading's, not its text's.
    bare = text.rstrip("#")
    if bare != text and bare and bare[-1].isspace():
        return bare.rstrip()
    return text


def _lead_time_match(text: str) -> tuple[str, str | None, str] | None:
    """(start, end, text) of ``_LEAD_TIME.fullmatch``, run only on text that opens like
    a time. The common ``04:12 Topic`` is read with string methods: a whole time, spaces,
    then text that opens with no separator or dash (those go to the regex)."""
    if not text or not (text[0] in "[(" or text[0].isdigit()):
        return None
    space = text.find(" ")
    if space > 0 and values.time_value(text[:space]) != values.NOT_A_TIME:
        rest = text[space:].lstrip()
        if rest and rest[0] not in _LEAD_SEPARATORS and "\n" not in rest:
            return text[:space], None, rest
    m = _LEAD_TIME.fullmatch(text)
    return (m.group(1), m.group(2), m.group(3)) if m is not None else None


def _trail_time_match(text: str) -> re.Match[str] | None:
    """``_TRAIL_TIME.fullmatch``, run only on text that ends like a time."""
    if not text or not (text[-1] in "])" or text[-1].isdigit()):
        return None
    return _TRAIL_TIME.fullmatch(text)


def _inline_tldr(line: str) -> re.Match[str] | None:
    return _INLINE_TLDR.fullmatch(line) if line[:2].lower() == "tl" else None


def _meta_match(line: str) -> re.Match[str] | None:
    if line[:1] not in _META_FIRST or ":" not in line:
        return None
    return _META.fullmatch(line)


def _by_match(line: str) -> re.Match[str] | None:
    return _BY.fullmatch(line) if line[:2].lower() == "by" else None


def _episode_line(text: str) -> re.Match[str] | None:
    if text[:1] not in _EPISODE_FIRST or not text[-1:].isdigit():
        return None
    return _EPISODE_LINE.fullmatch(text)


def _is_lone_number(line: str) -> bool:
    return len(line) <= 3 and line[:1].isdigit() and _LONE_NUMBER.fullmatch(line) is not None


def _speaker_line(line: str) -> re.Match[str] | None:
    return _SPEAKER_LINE.fullmatch(line) if line[:1] == "—" else None


def _speaker_turn(line: str) -> bool:
    if ":" not in line:
        return False
    c = line[:1]
    if not (c in "[(" or c.isdigit() or "A" <= c <= "Z"):
        return False
    return _SPEAKER_TURN.match(line) is not None


_META_FIRST: Final = frozenset("hgdpleHGDPLE")
_EPISODE_FIRST: Final = frozenset("#eE")


# The reader's own records are plain classes, not dataclasses: mypyc compiles their
# constructors, where a dataclass's generated ``__init__`` runs as Python.


class _Heading:
    """A line of the vocabulary: what it fills and how the page writes it."""

    __slots__ = ("declared", "emoji", "kind", "title")

    def __init__(
        self, kind: str, title: str, emoji: str | None = None, declared: int | None = None
    ) -> None:
        self.kind = kind
        self.title = title  # as written: no Markdown marks, emoji, colon or count
        self.emoji = emoji
        self.declared = declared


class _Block:
    __slots__ = ("at", "body", "heading")

    def __init__(self, at: int, heading: _Heading | None) -> None:
        self.at = at  # index of the heading line
        self.heading = heading  # None: a heading outside the vocabulary
        self.body: list[int] = []  # indexes of its non-chrome lines

    def owns_content(self, lines: list[str]) -> bool:
        return any(lines[i] for i in self.body)


def detect(page: Page) -> bool:
    """Never: the registry calls ``parse`` when no other layout detects the page."""
    return False


def page_starts(page: Page) -> list[int]:
    """None: a text of several generic pages has no line to split it at, so it is read
    as one page."""
    return []


def parse(page: Page) -> Summary:
    lines = page.lines
    extra: dict[int, str] = {}
    blocks, first = _find_blocks(lines, extra, page.text)
    _accept(blocks, lines, first)

    s = page.new_summary(NAME)
    page.warn("generic-layout", "no known layout; read by the generic reader")
    no_blanks = "" not in lines[_first_nonblank(lines) : _last_nonblank(lines) + 1]
    inline_tldr = _read_preamble(s, page, first, extra)
    spare_overview: str | None = None
    for block in blocks:
        body = [lines[i] for i in block.body]
        if block.heading is None or not block.owns_content(lines):
            extra.update((i, lines[i]) for i in [block.at, *block.body] if lines[i])
            continue
        h = block.heading
        if h.kind == _TLDR:
            if s.tldr is not None:
                extra.update((i, lines[i]) for i in [block.at, *block.body] if lines[i])
                continue
            paras = _paras(body, no_blanks)
            s.tldr = paras[0]
            if len(paras) > 1:
                spare_overview = "\n\n".join(paras[1:])
        elif h.kind == _OVERVIEW:
            s.overview = _blocks.add_paragraphs(s.overview, "\n\n".join(_paras(body, no_blanks)))
        elif h.kind == _BOTTOM:
            s.bottom_line = _blocks.add_paragraphs(
                s.bottom_line, "\n\n".join(_paras(body, no_blanks))
            )
        elif h.kind in (_SECTION, _QUOTES):
            section = Section(h.emoji, h.title, h.declared, _insights(body, no_blanks))
            if h.declared is not None and h.declared != len(section.insights):
                page.warn(
                    "insight-count-mismatch",
                    f"{h.title!r} says {h.declared} but has {len(section.insights)}",
                    block.at,
                )
            s.sections.append(section)
        elif h.kind == _CHAPTERS:
            orphans = _chapters(s.chapters, block.body, lines)
            extra.update((i, lines[i]) for i in orphans)
        elif h.kind == _TOPICS:
            s.topics.extend(t for t in _topics(body) if t not in s.topics)
        else:
            s.transcript = _blocks.add_paragraphs(s.transcript, _transcript(body))
    if s.overview is None:
        s.overview = spare_overview
    if inline_tldr is not None:
        m = _inline_tldr(lines[inline_tldr])
        if s.tldr is None and m is not None:
            s.tldr = values.group_text(m, 1).strip()
        else:
            extra[inline_tldr] = lines[inline_tldr]
    _chapter_ends(s.chapters)
    _blocks.check_times(s, page)
    s.extra_lines = [extra[i] for i in sorted(extra)]
    return s


# --- finding the blocks ----------------------------------------------------------------


def _find_blocks(lines: list[str], extra: dict[int, str], text: str) -> tuple[list[_Block], int]:
    """The blocks of the page in order, and where the first one starts (the end of the
    title and meta lines). Chrome lines go to ``extra`` as they are met. (``text`` is
    the lines joined by newlines.)"""
    blocks: list[_Block] = []
    first = len(lines)
    caps = False  # the page writes its headings in capitals: so may its other headings
    anywhere = _chrome_anywhere_lines(text)
    for i, line in enumerate(lines):
        if not line:
            if blocks:
                blocks[-1].body.append(i)
            continue
        if _is_chrome(line, i in anywhere):
            extra[i] = line
            continue
        if not caps and line[0] != "#" and not _may_be(line, _ANY_HEAD_FIRST, _ANY_HEAD_LAST):
            if blocks:  # neither kind of heading: the block's text
                blocks[-1].body.append(i)
            continue
        md = _md_text(line) if line[0] == "#" else None  # (found once for both tests)
        h = _heading_md(line, md)
        if h is not None:
            if not blocks:
                first = i
            caps = caps or (h.title.isupper() and h.kind != _TLDR)
            blocks.append(_Block(i, h))
        elif blocks and _other_heading_md(line, caps, blocks[-1], md):
            blocks.append(_Block(i, None))
        elif blocks:
            blocks[-1].body.append(i)
    return _drop_tab_bar(blocks, lines, extra, first)


def _drop_tab_bar(
    blocks: list[_Block], lines: list[str], extra: dict[int, str], first: int
) -> tuple[list[_Block], int]:
    """Headings in a row before any text (``Summary`` ``Chapters`` ``Transcript``) are the
    page's tab bar, not its blocks: the title and meta lines follow the last tab."""
    run = 0
    while run < len(blocks) and not blocks[run].owns_content(lines):
        run += 1
    if run == 0 or run == len(blocks) or _has_text(lines, 0, first):
        return blocks, first
    under = [lines[i] for i in blocks[run].body if lines[i]]
    if any(_marker_text(ln) is not None or _lead_time_match(ln) for ln in under):
        return blocks, first  # the last heading of the row has items: a real block
    for b in blocks[: run + 1]:
        extra[b.at] = lines[b.at]
    rest = blocks[run + 1 :]
    return rest, rest[0].at if rest else len(lines)


def _has_text(lines: list[str], start: int, end: int) -> bool:
    return any(ln and not _is_chrome(ln) for ln in lines[start:end])


def _heading(line: str) -> _Heading | None:
    """The vocabulary heading a line is, in any case, with or without ``#``, ``**``, a
    leading emoji, a trailing colon or a count ``(5)``."""
    return _heading_md(line, _md_text(line) if line[:1] == "#" else None)


def _heading_md(line: str, md: str | None) -> _Heading | None:
    """``_heading``, given the line's Markdown heading text (None: it is none)."""
    if len(line) > 60:
        return None
    text = md if md is not None else line
    if not text or not _may_be(text, _HEAD_FIRST, _HEAD_LAST):
        return None
    text = text.strip().strip("*_").strip()
    emoji: str | None = None
    if text and ord(text[0]) > 127:
        emoji, text = values.split_emoji(text)
    text = text.rstrip(":：").rstrip()
    declared: int | None = None
    if text.endswith(")") and (m := _COUNT.fullmatch(text)):
        text, declared = m.group(1), int(m.group(2))
    kind = _VOCABULARY.get(" ".join(text.casefold().split()))
    if kind is None:
        return None
    return _Heading(kind, text, emoji, declared)


def _other_heading(line: str, caps: bool, current: _Block) -> bool:
    """A heading outside the vocabulary (``## Installation``, ``Links``, ``SPONSORS``):
    it ends the block before it and its own lines are not the summary's."""
    md = _md_text(line) if line.startswith("#") else None
    return _other_heading_md(line, caps, current, md)


def _other_heading_md(line: str, caps: bool, current: _Block, md: str | None) -> bool:
    """``_other_heading``, given the line's Markdown heading text (None: it is none)."""
    if md is not None:
        return True
    if _may_be(line, _OTHER_FIRST, _OTHER_LAST) and _key(line) in _OTHER_HEADINGS:
        return True
    in_topics = current.heading is not None and current.heading.kind == _TOPICS
    return (
        caps
        and not in_topics
        and line.isupper()
        and _CAPS_HEADING.fullmatch(line) is not None
        and len(line.split()) <= 6
    )


def _chrome_anywhere_lines(text: str) -> set[int]:
    """The indexes of the lines of ``text`` (a page's lines joined by newlines) on which
    ``_CHROME_ANYWHERE`` may match: found once for the page, not once a line, in its
    UTF-8 bytes with ASCII letters in lower case (the fast ``bytes.lower``; the non-ASCII
    letters that match one are in ``_COOKIE``)."""
    raw = text.encode("utf-8", "surrogatepass").lower()
    found: set[int] = set()
    for pattern in (_COOKIE, _RVED):
        line = at = 0
        hit = pattern.search(raw)
        while hit is not None:  # line numbers counted on from the last hit: linear
            line += raw.count(b"\n", at, hit.start())
            at = hit.start()
            found.add(line)
            hit = pattern.search(raw, raw.find(b"\n", at) + 1 or len(raw))
    return found


def _is_chrome(line: str, anywhere: bool = True) -> bool:
    """Whether the line is chrome (``anywhere``: whether ``_CHROME_ANYWHERE`` may match
    on this page)."""
    n = len(line)
    if n > 200 or n == 0:
        return False
    if (
        n <= _CHROME_LONGEST
        and _may_be(line, _CHROME_FIRST, _CHROME_LAST)
        and line.casefold() in _CHROME
    ):
        return True
    first = line[0]
    if first in _CHROME_START_FIRST or ord(first) > 127:
        head = line[:2]
        if (not head.isascii() or head.lower() in _CHROME_HEADS) and _CHROME_START.match(line):
            return True
    if not anywhere:
        return False
    low = line.lower()
    return ("coo" in low or "rved" in low) and _CHROME_ANYWHERE.match(line) is not None


def _accept(blocks: list[_Block], lines: list[str], first: int) -> None:
    """Refuse a page that is not plainly a summary, saying what it lacks."""
    owned = [b.heading for b in blocks if b.heading is not None and b.owns_content(lines)]
    names = list(dict.fromkeys(h.title.casefold() for h in owned))
    kinds = {h.kind for h in owned}
    if not owned:
        empty = list(dict.fromkeys(b.heading.title for b in blocks if b.heading is not None))
        if empty:
            if len(empty) == 1:
                detail = f"the summary heading {empty[0]!r} has nothing under it"
            else:
                detail = f"the summary headings {', '.join(empty)} have nothing under them"
            raise ParseError(f"not a summary page (no known layout, and {detail})")
        raise ParseError(
            "not a summary page (no known layout, and no summary headings such as TL;DR,"
            " Summary or Key Takeaways)"
        )
    if len(names) < 2:
        raise ParseError(
            "not a summary page (no known layout, and only one summary heading, "
            f"{owned[0].title!r}; a summary has at least two, such as TL;DR and Key Takeaways)"
        )
    written = ", ".join(dict.fromkeys(h.title for h in owned))
    if not kinds & _STRONG and (_OVERVIEW not in kinds or kinds <= _WEAK_COMPANIONS):
        if _OVERVIEW in kinds:
            others = ", ".join(dict.fromkeys(h.title for h in owned if h.kind != _OVERVIEW))
            raise ParseError(
                f"not a summary page (no known layout, and nothing beside the Overview but"
                f" {others}; a summary also has TL;DR, Summary, Key Takeaways, Highlights or"
                " Chapters)"
            )
        raise ParseError(
            f"not a summary page (no known layout, and no summary block among {written};"
            " a summary has TL;DR, Summary, Key Takeaways, Highlights or Chapters)"
        )
    foreign = _foreign_headings(blocks, lines, first)
    if len(foreign) > len(owned):
        raise ParseError(
            "not a summary page (no known layout, and most of its headings are not a"
            f" summary's: {', '.join(foreign[:4])})"
        )


def _foreign_headings(blocks: list[_Block], lines: list[str], first: int) -> list[str]:
    """Markdown or capital headings outside the vocabulary and outside what show notes
    carry (``## Installation``, ``## Usage``): many of them make a README or an article."""
    out: list[str] = []
    title_seen = False
    for line in lines[:first]:
        if line.startswith("#") and (md := _md_text(line)) is not None:
            if not title_seen:
                title_seen = True  # the page's own ``# Title``
            elif _key(md) not in _OTHER_HEADINGS:
                out.append(md)
    for b in blocks:
        if b.heading is None:
            md = _md_text(lines[b.at]) if lines[b.at].startswith("#") else None
            text = md if md is not None else lines[b.at]
            if _key(text) not in _OTHER_HEADINGS:
                out.append(text)
    return out


def _key(text: str) -> str:
    """A heading as looked up: no emphasis marks or colon, case-folded, single spaces."""
    return " ".join(text.strip("*_ ").rstrip(":：").casefold().split())


# --- the title and meta lines ----------------------------------------------------------


def _read_preamble(s: Summary, page: Page, end: int, extra: dict[int, str]) -> int | None:
    """Title, show, people, date, duration and episode number from the lines before the
    first block; what they do not name is extra. Returns where an inline ``TL;DR: …``
    line is (it is the gist when no TL;DR block follows)."""
    md_title: int | None = None
    candidates: list[int] = []
    first_meta: int | None = None
    inline: int | None = None
    for i in range(end):
        line = page.lines[i]
        if not line or i in extra:
            continue
        if inline is None and _inline_tldr(line):
            inline = i
        elif _meta_line(s, page, line, i):
            first_meta = i if first_meta is None else first_meta
        elif line.startswith("#") and _md_text(line) is not None:
            if md_title is None:
                md_title = i
                candidates.append(i)
            else:
                extra[i] = line
        else:
            candidates.append(i)
    title_at = _choose_title(page.lines, candidates, md_title, first_meta)
    for i in candidates:
        if i != title_at:
            extra[i] = page.lines[i]
    if title_at is None:
        return inline
    text = page.lines[title_at]
    if md_title == title_at and (md := _md_text(text)) is not None:
        text = md.strip().strip("*_").strip()
    by = s.show
    s.title, s.show = values.split_title(text)
    if s.show is None:
        s.show = by
    elif (m := _SHOW_NUMBER.fullmatch(s.show)) is not None:
        s.show, s.episode_number = m.group(1), s.episode_number or m.group(2)
    if s.episode_number is None and (m := _EPISODE.search(s.title)) is not None:
        s.episode_number = m.group(1) or m.group(2)
    return inline


def _choose_title(
    lines: list[str], candidates: list[int], md_title: int | None, first_meta: int | None
) -> int | None:
    """A Markdown ``# Title``; else a ``Title | Show`` line; else the line just above the
    first meta line (a logo or site name may come first); else the first line."""
    if md_title is not None:
        return md_title
    for i in candidates:
        if values.split_title(lines[i])[1] is not None:
            return i
    if first_meta is not None:
        above = [i for i in candidates if i < first_meta]
        if above:
            return above[-1]
    return candidates[0] if candidates else None


def _meta_line(s: Summary, page: Page, line: str, i: int) -> bool:
    """Read a ``By``/``Host:``/``Guest:``/``Date:``/``Duration:``/``Episode`` line, or a
    bare date or duration; False for any other line."""
    if (m := _meta_match(line)) is not None:
        label = values.group_text(m, 1).casefold()
        value = values.group_text(m, 2).strip()
        if label.startswith("host"):
            _add_people(s, value, "host")
        elif label.startswith("guest"):
            _add_people(s, value, "guest")
        elif label in ("date", "published"):
            _blocks.set_date(s, page, value, i)
        elif label in ("duration", "length"):
            _blocks.set_duration(s, page, value, i)
        elif (e := _episode_line(value)) is not None or value.isdigit():
            s.episode_number = e.group(1) if e else value
        else:
            return False
        return True
    if (m := _by_match(line)) is not None and _is_name(by := values.group_text(m, 1)):
        if s.show is None:
            s.show = by.strip()
        return True
    if (e := _episode_line(line)) is not None:
        s.episode_number = e.group(1)
        return True
    if values.looks_like_date(line) or values.is_yearless_date(line):
        _blocks.set_date(s, page, line, i)
        return True
    if len(line) <= 24 and values.parse_any_duration(line) is not None:
        _blocks.set_duration(s, page, line, i)
        return True
    return False


def _is_name(text: str) -> bool:
    """A channel or author name, not a sentence that starts with "By"."""
    return (
        len(text.split()) <= 8
        and text[0].isupper()
        and not _blocks.ends_sentence(text)
        and ":" not in text  # ``By Design: …``, ``By X | Show``: titles
        and "|" not in text
    )


def _add_people(s: Summary, text: str, role: str) -> None:
    """``Ana Ruiz (hydrologist), Tom Berg & Lee Chen`` -> people with their roles."""
    for part in _split_names(text):
        about: str | None = None
        name = part
        if part.endswith(")") and "(" in part:
            name, _, rest = part.partition("(")
            about = rest[:-1].strip() or None
        elif " — " in part:
            name, _, rest = part.partition(" — ")
            about = rest.strip() or None
        name = name.strip()
        if name and all(p.name != name for p in s.people):
            s.people.append(Person(name, role, about))


def _split_names(text: str) -> list[str]:
    """Split at commas, semicolons, ``&`` and ``and`` outside parentheses (the
    separators, found by a regex at C speed, in the text between them)."""
    parts = _blocks.split_outside(text, _paren_spans(text), _NAME_SEPARATOR.split)
    return [p.strip() for p in parts if p.strip()]


def _paren_spans(text: str) -> list[tuple[int, int]]:
    """Where each outermost ``(…)`` is (an unclosed one runs to the end; a ``)`` with
    none open is text)."""
    spans: list[tuple[int, int]] = []
    depth = start = 0
    opening, closing = text.find("("), text.find(")")
    while opening >= 0 or closing >= 0:
        if closing < 0 or 0 <= opening < closing:
            if depth == 0:
                start = opening
            depth += 1
            opening = text.find("(", opening + 1)
        else:
            if depth > 0:
                depth -= 1
                if depth == 0:
                    spans.append((start, closing + 1))
            closing = text.find(")", closing + 1)
    if depth > 0:
        spans.append((start, len(text)))
    return spans


# --- the blocks' content -----------------------------------------------------------------


def _paras(body: list[str], no_blanks: bool) -> list[str]:
    """The block's paragraphs. Without blank lines, a copy puts one paragraph on each
    line: so when the page has no blank lines, or every line ends a sentence."""
    lines = [_plain(_blocks.strip_bullet(ln) or ln) if ln else "" for ln in body]
    text = _blocks.nonblank(lines)
    inner = lines[_first_nonblank(lines) : _last_nonblank(lines) + 1]
    if all(_blocks.strip_bullet(ln) is not None for ln in _blocks.nonblank(body)):
        return [" ".join(text)]
    if "" not in inner and (no_blanks or all(_blocks.ends_sentence(ln) for ln in text)):
        return text
    return _blocks.paragraphs(lines)


def _plain(text: str) -> str:
    """Markdown emphasis marks dropped: ``**Label**: text`` -> ``Label: text``."""
    # (A one-character ``in`` is a ``memchr``; a two-character one is several times slower
    # and most lines have neither mark.)
    if ("*" in text and "**" in text) or ("_" in text and "__" in text):
        text = text.replace("**", "").replace("__", "")
    return text.strip()


def _marker_text(line: str) -> str | None:
    """The text of an item line: ``- x``, ``• x``, ``* x``, ``1. x``, ``01 x``."""
    bullet = _blocks.strip_bullet(line)
    if bullet is not None:
        return bullet
    num = _blocks.numbered(line)
    if num is not None:
        return num[1]
    m = _ZERO_NUMBER.fullmatch(line) if line[:1] == "0" else None
    return m.group(1) if m else None


def _title_like(text: str) -> bool:
    """A short line that names an item rather than telling it."""
    return (
        len(text) <= 100
        and not _blocks.ends_sentence(text)
        and text[:1] not in _QUOTE_CHARS
        and not text[:1].islower()
        and _blocks.split_label(text)[0] is None
        and _lead_time_match(text) is None
    )


class _Item:
    __slots__ = ("head", "paras", "speaker", "stamps")

    def __init__(self) -> None:
        self.head: str | None = None  # a title line (no body yet)
        self.paras: list[list[str]] = []
        self.speaker: str | None = None
        self.stamps: list[Timestamp] = []

    def add(self, line: str, new_para: bool) -> None:
        if new_para or not self.paras:
            self.paras.append([line])
        else:
            self.paras[-1].append(line)


def _insights(body: list[str], no_blanks: bool) -> list[Insight]:
    """Bulleted or numbered items, ``Label: text`` items, title / body pairs and quotes
    (``“…” — Name (05:02)``; the speaker may be on the line below)."""
    lines = _blocks.nonblank(body)
    # Each line's item text and plain text, read once for the tests below.
    markers = [_marker_text(ln) for ln in lines]
    plains = [_plain(ln) for ln in lines]
    marked = any(m is not None for m in markers) or any(_is_lone_number(ln) for ln in lines)
    blank_before = [k > 0 and not body[k - 1] for k, ln in enumerate(body) if ln]
    items: list[_Item] = []
    for n, line in enumerate(lines):
        cur = items[-1] if items else None
        nxt = lines[n + 1] if n + 1 < len(lines) else None
        if marked and _is_lone_number(line):
            items.append(_Item())  # ``01`` alone: its item is on the next line
            continue
        text = markers[n] if marked else None
        if text is None and cur is not None and (sp := _speaker_line(line)):
            speaker, stamps = _blocks.trailing_timestamps(sp.group(1))
            cur.speaker, cur.stamps = speaker, cur.stamps + stamps
            continue
        if cur is not None and text is None:
            if cur.head is not None and not cur.paras:
                opens = False  # the body of a title line
            elif cur.speaker is not None or plains[n][:1] in _QUOTE_CHARS:
                opens = True  # a quote, or the line after a quote's speaker
            elif _lead_time_match(line):
                opens = True
            else:
                opens = not marked and _starts_item(
                    plains[n], lines[n - 1], plains[n - 1], blank_before[n], no_blanks
                )
            if not opens:
                cur.add(plains[n], blank_before[n])
                continue
        text = _plain(text) if text is not None else plains[n]
        if cur is not None and cur.head is None and not cur.paras:
            item = cur  # the line after a lone ``01``
        else:
            item = _Item()
            items.append(item)
        if (
            nxt is not None
            and _title_like(text)
            and _continues(nxt, plains[n + 1], markers[n + 1], marked)
        ):
            item.head = text
        else:
            item.add(text, True)
    return [ins for it in items if (ins := _insight(it)) is not None]


def _continues(nxt: str, text: str, marker: str | None, marked: bool) -> bool:
    """Whether the line after a title-like line is that item's body (``text``: its plain
    text, ``marker``: its item text, if it is marked)."""
    if _is_lone_number(nxt) or _speaker_line(nxt):
        return False
    if marked:
        return marker is None
    return not (
        _title_like(text)
        or _blocks.split_label(text)[0] is not None
        or text[:1] in _QUOTE_CHARS
        or _lead_time_match(text)
    )


def _starts_item(text: str, prev: str, prev_text: str, blank_before: bool, no_blanks: bool) -> bool:
    """Whether an unmarked line (its plain ``text``) opens a new item rather than
    continuing the last one (``prev``, plain ``prev_text``): after a blank line or a short
    item, or after a finished sentence at a title or ``Label:`` line."""
    if blank_before or _title_like(prev_text):
        return True  # a short line standing alone is a whole item (an HTML list's text)
    if not _blocks.ends_sentence(_blocks.trailing_timestamps(prev)[0]):
        return False
    return no_blanks or _title_like(text) or _blocks.split_label(text)[0] is not None


def _insight(item: _Item) -> Insight | None:
    paras = [" ".join(p) for p in item.paras]
    if item.head is not None and paras:
        head, stamps = _lead_time(item.head)
        head, trailing = _blocks.trailing_timestamps(head)
        text, more = _blocks.trailing_timestamps("\n\n".join(paras))
        return Insight(head, text, item.speaker, stamps + trailing + more + item.stamps)
    if item.head is not None:
        paras = [item.head]
    if not paras:
        return None
    first, stamps = _lead_time(paras[0])
    body, trailing = _blocks.trailing_timestamps(first)
    label: str | None = None
    speaker = item.speaker
    if body[:1] not in _QUOTE_CHARS:
        label, body = _blocks.split_label(body)
        if label is not None and body[:1] in _QUOTE_CHARS and body[-1:] in _QUOTE_CHARS:
            speaker = label  # ``Ana Ruiz: “…”``
            label = None
    if body[:1] in _QUOTE_CHARS:
        q = _blocks.quote(body)
        if q is not None:
            body, speaker = q
        else:
            body = body.strip(_QUOTE_CHARS + " ")
    rest = "\n\n".join(paras[1:])
    text = f"{body}\n\n{rest}" if rest else body
    return Insight(label, text, speaker, stamps + trailing + item.stamps)


def _lead_time(text: str) -> tuple[str, list[Timestamp]]:
    """``04:12 — text`` -> ("text", [04:12])."""
    lead = _lead_time_match(text)
    if lead is None:
        return text, []
    start, end, rest = lead
    stamps = [_blocks.timestamp(start)]
    if end:
        stamps.append(_blocks.timestamp(end))
    return rest.strip(), stamps


def _chapter_line(text: str) -> Chapter | None:
    """``04:12 Topic``, ``[00:00–12:40] Topic``, ``Topic (00:08:06)`` as a chapter."""
    lead = _lead_time_match(text)
    if lead is not None:
        start, end, rest = lead
        # (title, start, start_seconds, end, end_seconds): positional, no dict of keywords
        return Chapter(
            _plain(rest),
            start,
            values.parse_timestamp(start),
            end,
            values.parse_timestamp(end) if end else None,
        )
    m = _trail_time_match(text)
    if m is not None:
        start = m.group(2) or m.group(3)
        return Chapter(_plain(m.group(1)), start, values.parse_timestamp(start))
    return None


def _chapters(out: list[Chapter], body: list[int], lines: list[str]) -> list[int]:
    """Chapters from timestamped lines (a bare time line may precede its title); lines
    under a chapter are its points (bullets) or summary. Returns the lines before the
    first chapter that belong to none."""
    idx = [i for i in body if lines[i]]
    texts = {i: _plain(_marker_text(lines[i]) or lines[i]) for i in idx}
    # Each line read as a chapter once: the test for times and the loop share it.
    read = [_chapter_line(texts[i]) for i in idx]
    timed = any(c is not None for c in read) or any(map(_blocks.is_time, texts.values()))
    orphans: list[int] = []
    summary: list[list[str]] = []
    cur: Chapter | None = None
    skip: int | None = None
    for n, i in enumerate(idx):
        if i == skip:
            continue
        text = texts[i]
        chapter = read[n] if timed else Chapter(text)
        if chapter is None and _blocks.is_time(text) and n + 1 < len(idx):
            nxt = texts[idx[n + 1]]
            if not _blocks.is_time(nxt) and read[n + 1] is None:
                chapter = Chapter(nxt, text, values.parse_timestamp(text))
                skip = idx[n + 1]
        if chapter is not None:
            _close(cur, summary)
            out.append(chapter)
            cur, summary = chapter, []
        elif cur is None:
            orphans.append(i)
        elif _blocks.strip_bullet(lines[i]) is not None:
            cur.points.append(text)
        elif summary and i - 1 >= 0 and lines[i - 1]:
            summary[-1].append(text)
        else:
            summary.append([text])
    _close(cur, summary)
    return orphans


def _close(chapter: Chapter | None, summary: list[list[str]]) -> None:
    if chapter is not None and summary:
        chapter.summary = "\n\n".join(" ".join(p) for p in summary)


def _chapter_ends(chapters: list[Chapter]) -> None:
    """A chapter without a written end ends where the next one starts."""
    for a, b in itertools.pairwise(chapters):
        if a.end is None and a.start is not None and b.start is not None:
            a.end, a.end_seconds = b.start, b.start_seconds


def _topics(body: list[str]) -> list[str]:
    """Topic tags: one a line, bulleted, or several on a line split at commas or dots."""
    out: list[str] = []
    for line in _blocks.nonblank(body):
        text = _plain(_marker_text(line) or line)
        part: str  # (typed: a regex split's pieces are ``str | Any`` to mypy)
        for part in _TOPIC_SPLIT.split(text):
            tag = part.strip().lstrip("#").strip()
            if tag and tag not in out:
                out.append(tag)
    return out


def _transcript(body: list[str]) -> str | None:
    """The transcript's paragraphs: a blank line or a new speaker turn (``Ana: …``,
    ``[04:12] …``) starts one."""
    paras: list[list[str]] = []
    new = True
    for line in body:
        if not line:
            new = True
            continue
        if new or _speaker_turn(line) or _lead_time_match(line):
            paras.append([line])
        else:
            paras[-1].append(line)
        new = False
    return "\n\n".join(" ".join(p) for p in paras) or None


def _first_nonblank(lines: list[str]) -> int:
    return next((i for i, ln in enumerate(lines) if ln), 0)


def _last_nonblank(lines: list[str]) -> int:
    return next((i for i in range(len(lines) - 1, -1, -1) if lines[i]), -1)
