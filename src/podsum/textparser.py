"""The text parser: the lines of a summary page -> a Summary.

Pure: no I/O, no terminal. HTML and URLs reach this parser as the lines a browser's
``innerText`` gives, so there is one parser with several front ends.

Page layout, block by block (SPEC section 1)::

    [chrome...]
    Episode title | Show                      title line
    | Category | July 31, 2025 | 54.9 Thousand views | 1:04:21     meta line
    TL;DR / paragraph
    🇨🇳 Section title 3 insights / (insight title / insight body) x N
    Bottom Line / paragraph
    More from Channel / View all /
      (title | show / 1:03:41 / Channel Channel / title again / description /
       10 days ago · 10 points) x M
    [chrome...]

The parser anchors on these markers, never on blank lines (copies may have none) or on
line length (CJK titles and bodies look alike). Lines no block claims are kept, in
order, in ``extra_lines``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Final, overload

from . import values
from .errors import ParseError
from .model import Insight, ParseWarning, Related, Section, Source, Summary
from .repair import (
    drop_lossy_remnants,
    fix_mojibake,
    normalise_spaces,
    strip_controls,
    strip_escapes,
)

_TLDR: Final = re.compile(r"TL;? ?DR\b:?\s*(.*)", re.IGNORECASE)
_BOTTOM: Final = re.compile(r"Bottom Line\b:?\s*(.*)", re.IGNORECASE)
_MORE_FROM: Final = re.compile(r"More from (\S.{0,200})", re.IGNORECASE)
_VIEW_ALL: Final = re.compile(r"View all\b.{0,20}", re.IGNORECASE)


def _fieldish(cell: str) -> bool:
    """Whether a meta-line cell may be a date, views or duration: it has a clock time's
    colon, the word "view", or a year where a date has one (``July 31, 2025`` ends with
    it, ``2025-07-31`` opens with it). String tests only: a title's cells fail them at C
    speed, and a cell that passes is read by the value regexes anyway."""
    if ":" in cell or "iew" in cell or "IEW" in cell:
        return True
    if "," in cell and cell[-4:].isdecimal():
        return True
    return "-" in cell and cell[:4].isdecimal()


_ENDS: Final = ".!?…。！？"
_CLOSERS: Final = "\"'”’»)]"


def ends_sentence(text: str) -> bool:
    """The text ends a sentence: ``.``, ``!``, ``?`` (or ``…``, ``。``, ``！``, ``？``) and
    then nothing but closing quotes and brackets (and a final newline).

    What a regex search for one of those, closers and the end would say, read from the
    end with string methods: a search would try every position of the text.
    """
    if text.endswith("\n"):
        text = text[:-1]  # ``$`` matches before a final newline too
    text = text.rstrip(_CLOSERS)
    return text != "" and text[-1] in _ENDS


_MAX_VIEWS: Final = 2**53  # beyond this a JSON reader or SQLite would mangle the number

Line = tuple[int, str]  # (1-based line number, text); text "" for a blank line


class _Numbered(Sequence[Line]):
    """Lines of a page as ``Line`` pairs, each made only when it is read.

    A list of pairs costs some 90 bytes a line (a tuple and an int), 9 MB of newlines
    a gigabyte; blocks keep only their non-blank lines, so a view over the cleaned lines
    costs nothing per line. Slicing gives another view.
    """

    __slots__ = ("_first", "_lines", "_start", "_stop")

    def __init__(self, lines: list[str], first_lineno: int, start: int = 0, stop: int = -1):
        self._lines = lines
        self._first = first_lineno  # the line number of lines[0]
        self._start = start
        self._stop = len(lines) if stop < 0 else stop

    def __len__(self) -> int:
        return self._stop - self._start

    @overload
    def __getitem__(self, i: int) -> Line: ...
    @overload
    def __getitem__(self, i: slice) -> _Numbered: ...
    def __getitem__(self, i: int | slice) -> Line | _Numbered:
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step != 1:
                raise ValueError("a view of lines takes no step")
            return _Numbered(
                self._lines, self._first, self._start + start, self._start + max(start, stop)
            )
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        j = self._start + i
        return (self._first + j, self._lines[j])

    def nonblank(self) -> list[Line]:
        """The non-blank lines, numbered (one loop over the list: no generator)."""
        lines, first = self._lines, self._first
        return [(first + j, lines[j]) for j in range(self._start, self._stop) if lines[j]]

    def __iter__(self) -> Iterator[Line]:
        lines, first = self._lines, self._first
        for j in range(self._start, self._stop):
            yield (first + j, lines[j])


class _Meta:
    """What a meta line says. (Plain classes here and in the readers, not dataclasses:
    mypyc compiles their constructors, where a dataclass's ``__init__`` runs as Python.)"""

    __slots__ = ("category", "date", "duration", "published", "views")

    def __init__(self) -> None:
        self.category: str | None = None
        self.published: str | None = None  # as written
        self.date: str | None = None  # the ISO date, when it is a real one
        self.views: int | None = None
        self.duration: str | None = None


# The meta lines of a page: (index, what the line says).
Metas = list[tuple[int, _Meta]]


# Every kind of mojibake ``fix_mojibake`` repairs has a character from one of these
# ranges in it: a UTF-8 lead byte read as windows-1252 (Â-ô) or windows-1253 (Greek
# letters, Ò), or the "π" of lossy mojibake. A line without one comes back from it as
# it went in, so the search, cheaper than its own, is run first.
_MOJIBAKE_LEAD: Final = re.compile("[\u00c2-\u00f4\u0370-\u03ff]")


def clean_lines(text: str, warnings: list[ParseWarning]) -> list[str]:
    """Normalise line endings and spaces, repair mojibake, drop escapes and controls.

    Clean pages take the fast path: an ASCII page is tested for controls as a whole, in
    C; on any other page only the lines that are not ASCII are read one by one.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text, escaped = strip_escapes(text)
    lines = text.split("\n")
    joined = ""  # the lines as one text, for the double-space search
    ascii_page = text.isascii()
    if ascii_page:
        joined = "".join(lines)
        printable = _ascii_printable(joined)
    else:
        # Repaired in place; the lines as they were are kept only for the lossy check.
        lossy = "π" in text  # the lead byte of an emoji, after a lossy ISO-8859-7 reading
        raw = lines[:] if lossy else lines
        memo: dict[str, str] | None = {} if lossy else None  # fix_lossy's readings
        # One pass: each line that is not ASCII is repaired, then tested for controls
        # (the ASCII lines are tested together, as bytes).
        ascii_lines: list[str] = []
        printable = True
        for i, ln in enumerate(lines):
            if ln.isascii():
                if ln:  # (a blank line has nothing to test, and a page may be all of them)
                    ascii_lines.append(ln)
                continue
            if _MOJIBAKE_LEAD.search(ln):
                ln = lines[i] = fix_mojibake(ln, memo)
            if printable and not ln.isprintable():
                printable = False
        printable = printable and _ascii_printable("".join(ascii_lines))
        if lossy:  # (dropping remnants removes characters: no control comes of it)
            lines, dropped = drop_lossy_remnants(raw, lines, memo)
            warnings.extend(
                ParseWarning(
                    "mojibake-unrepaired",
                    "removed the remains of an emoji that lossy mojibake left undetermined",
                    i + 1,
                )
                for i in dropped
            )
    dirty_line = None
    if not printable:
        # Some line has a control, bidi, tab, non-breaking space or joiner in it.
        for i, line in enumerate(lines):
            if not line.isprintable():
                line, removed = strip_controls(line)
                if removed and dirty_line is None:
                    dirty_line = i + 1
                lines[i] = normalise_spaces(line)
    if not (ascii_page and printable):
        joined = "".join(lines)
    if escaped or dirty_line is not None:
        warnings.append(
            ParseWarning(
                "control-chars-removed",
                "removed terminal escapes or control characters from the page text",
                dirty_line,
            )
        )
    # In place: a second list of a page of newlines would double what parsing it takes.
    doubled = _DOUBLE_SPACE.search(joined) is not None  # one search, not one a line
    for i, ln in enumerate(lines):
        if ln:
            lines[i] = normalise_spaces(ln).strip() if doubled and "  " in ln else ln.strip()
    return lines


# (A regex finds two spaces faster than ``in`` does: it skips to each space at C speed.)
_DOUBLE_SPACE: Final = re.compile("  ")
# The printable ASCII characters, as bytes.
_PRINTABLE_ASCII: Final = bytes(range(0x20, 0x7F))


def _ascii_printable(text: str) -> bool:
    """``text.isprintable()`` for ASCII text, the fast way."""
    return not text.encode("ascii").translate(None, _PRINTABLE_ASCII)


class Marker:
    """A line that opens a block: its kind, and what the line itself says. (A plain
    class, as ``_Meta``: a NamedTuple's ``__new__`` runs as Python.)"""

    __slots__ = ("kind", "section", "text")

    def __init__(
        self, kind: str, text: str = "", section: tuple[str | None, str, int] | None = None
    ) -> None:
        self.kind = kind  # "tldr" | "bottom" | "related" | "section"
        self.text = text  # inline TL;DR / bottom line text, or the related channel
        self.section = section  # emoji, title, declared count


# Cheap tests first: two characters at the start or three at the end of a line.
_HEADS: Final = frozenset(("TL", "Tl", "tl", "Bo", "bo", "BO", "Mo", "mo", "MO"))
_TAILS: Final = frozenset(("hts", "HTS", "ght", "GHT"))  # insights, insight
# Then the full marker: starts like one of these or ends like "insights".
_MARKER_STARTS: Final = ("TL", "Tl", "tl", "Bottom", "bottom", "BOTTOM", "More ", "more ", "MORE ")
_MARKER_ENDS: Final = ("insights", "insight", "Insights", "Insight", "INSIGHTS", "INSIGHT")


def _marker_lines(cleaned: list[str], start: int) -> list[tuple[int, Marker]]:
    """The lines (from ``start``) that open a block, with what they open.

    A two- or three-character test at the ends of each line rules out nearly every line
    before anything else runs.
    """
    found = []
    for i in range(start, len(cleaned)):
        line = cleaned[i]
        if not line or (line[0] not in "TtBbMm" and line[-1] not in "sStT"):
            continue  # one character at each end rules out most lines
        if line[:2] in _HEADS or line[-3:] in _TAILS:
            marker = _marker(line)
            if marker is not None:
                found.append((i, marker))
    return found


def _marker(text: str) -> Marker | None:
    head = text[:2].lower()
    if head == "tl" and text[:2] in ("TL", "Tl", "tl") and (m := _TLDR.fullmatch(text)):
        return Marker("tldr", values.group_text(m, 1).strip())
    if head == "bo" and (m := _BOTTOM.fullmatch(text)):
        return Marker("bottom", values.group_text(m, 1).strip())
    if head == "mo" and (m := _MORE_FROM.fullmatch(text)):
        return Marker("related", values.group_text(m, 1).strip())
    if text.endswith(_MARKER_ENDS):
        sec = _section_header(text)
        if sec is not None:
            return Marker("section", section=sec)
    return None


def _section_header(text: str) -> tuple[str | None, str, int] | None:
    """``🇨🇳 China's Open-Source AI Dominance 3 insights`` -> (emoji, title, 3)."""
    parts = text.rsplit(" ", 2)
    if len(parts) != 3 or parts[2].lower() not in ("insight", "insights"):
        return None
    head, count = parts[0], parts[1]
    if not (count.isascii() and count.isdigit() and len(count) <= 6):
        return None
    emoji, title = values.split_emoji(head)
    if not title:
        return None
    return emoji, title, int(count)


def _meta(text: str) -> _Meta | None:
    """Read ``| Podcasts | July 31, 2025 | 54.9 Thousand views | 1:04:21``."""
    if "|" not in text:
        return None
    cells: list[str] = []
    for cell in text.split("|"):
        cell = cell.strip()
        if cell:
            cells.append(cell)
    kinds = [_fieldish(c) for c in cells]
    fieldish = sum(1 for k in kinds if k)
    if len(cells) - fieldish > 1 or fieldish < (1 if text[0] == "|" else 2):
        return None  # a title with pipes in it, not a meta line: no regex run
    meta = _Meta()
    known = 0
    unknown: list[str] = []
    for k, cell in enumerate(cells):
        if not kinds[k]:
            unknown.append(cell)  # not a date, views or duration: skip their regexes
        elif meta.published is None and (date := values.read_date(cell))[0]:
            meta.published, meta.date = cell, date[1]  # impossible: a warning later
            known += 1
        elif meta.views is None and (v := values.parse_views(cell)) is not None:
            meta.views = v
            known += 1
        elif meta.duration is None and values.looks_like_duration(cell):
            meta.duration = cell
            known += 1
        else:
            unknown.append(cell)
        if len(unknown) > 1:
            return None  # a title with pipes in it, not a meta line
    if known < 2 and not (known == 1 and text.startswith("|")):
        return None
    meta.category = unknown[0] if unknown else None
    return meta


def _join(lines: Iterable[Line]) -> str:
    return " ".join(t for _, t in lines if t)


def _paragraphs(lines: Iterable[Line]) -> list[list[Line]]:
    """Blank-separated groups of non-blank lines."""
    groups: list[list[Line]] = []
    current: list[Line] = []
    for ln in lines:
        if ln[1]:
            current.append(ln)
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _first_paragraph(lines: Iterable[Line], no_blanks: bool) -> tuple[list[Line], list[Line]]:
    """The block's paragraph, and what follows it (chrome, kept as extra lines).

    A paragraph ends at a blank line. On a page copied with no blank lines at all it ends
    after a line that ends a sentence, so a footer right after it stays out.
    """
    groups = _paragraphs(lines)
    if not groups:
        return [], []
    first, rest = groups[0], [ln for g in groups[1:] for ln in g]
    if no_blanks:
        for i, (_, t) in enumerate(first):
            if ends_sentence(t):
                return first[: i + 1], first[i + 1 :] + rest
    return first, rest


def _insights_by_blanks(lines: Sequence[Line]) -> list[tuple[Line, list[Line]]]:
    groups = _paragraphs(lines)
    out: list[tuple[Line, list[Line]]] = []
    i = 0
    while i < len(groups):
        g = groups[i]
        if len(g) > 1:  # title and body with no blank line between them
            out.append((g[0], g[1:]))
            i += 1
        else:
            body = groups[i + 1] if i + 1 < len(groups) else []
            out.append((g[0], body))
            i += 2
    return out


def _insights_by_sentences(lines: Sequence[Line]) -> list[tuple[Line, list[Line]]]:
    out: list[tuple[Line, list[Line]]] = []
    title: Line | None = None
    body: list[Line] = []
    for ln in lines:
        if not ln[1]:
            if title is not None and body:
                out.append((title, body))
                title, body = None, []
            continue
        if title is None:
            title = ln
            continue
        body.append(ln)
        if ends_sentence(ln[1]):
            out.append((title, body))
            title, body = None, []
    if title is not None:
        out.append((title, body))
    return out


def _segment_insights(lines: Sequence[Line], declared: int | None) -> list[tuple[Line, list[Line]]]:
    """Split a section's lines into (title, body) pairs.

    Two readings: by blank lines, and by sentence ends (for copies with blank lines
    missing). The declared count picks the one that agrees with it.
    """
    # Is there a blank line between the first and the last non-blank line?
    seen = gap = has_blanks = False
    for _, t in lines:
        if t:
            has_blanks = has_blanks or gap
            seen = True
        elif seen:
            gap = True
    if not seen:
        return []
    if not has_blanks:
        return _insights_by_sentences(lines)
    by_blanks = _insights_by_blanks(lines)
    if declared is None or len(by_blanks) == declared:
        return by_blanks
    by_sentences = _insights_by_sentences(lines)
    if len(by_sentences) == declared:
        return by_sentences
    return (
        by_blanks
        if abs(len(by_blanks) - declared) <= abs(len(by_sentences) - declared)
        else (by_sentences)
    )


def _doubled(text: str) -> str | None:
    """``BG2Pod BG2Pod`` -> ``BG2Pod`` (the related cards print the channel twice)."""
    words = text.split(" ")
    half = len(words) // 2
    if len(words) % 2 == 0 and half and words[:half] == words[half:]:
        return " ".join(words[:half])
    return None


# The ``10 days ago · 10 points`` line each related episode may end with, read for the
# lines that need it: line index -> (age, points), or None for another line.
_Ages = dict[int, tuple[str | None, int | None] | None]


def _age_points(nb: list[Line], ages: _Ages, j: int) -> tuple[str | None, int | None] | None:
    if j not in ages:
        ages[j] = values.parse_age_points(nb[j][1])
    return ages[j]


def _starts_episode(nb: list[Line], is_duration: list[bool], ages: _Ages, j: int) -> bool:
    """A related episode starts at line ``j``: its title, with its duration under it."""
    return (
        j + 1 < len(nb)
        and is_duration[j + 1]
        and not is_duration[j]
        and _age_points(nb, ages, j) is None
    )


def _related(lines: _Numbered, channel: str | None, extra: list[Line]) -> list[Related]:
    """Episodes anchored on their duration line (title just above it)."""
    nb = lines.nonblank()
    if nb and _VIEW_ALL.fullmatch(nb[0][1]):
        nb = nb[1:]
    out: list[Related] = []
    k = 0
    is_duration = [values.looks_like_duration(t) for _, t in nb]
    ages: _Ages = {}
    while k < len(nb):
        if not _starts_episode(nb, is_duration, ages, k):
            extra.append(nb[k])
            k += 1
            continue
        raw_title = nb[k][1]
        r = Related()
        r.title, r.show = values.split_title(raw_title)
        r.duration = nb[k + 1][1]
        r.duration_seconds = values.parse_duration(r.duration)
        k += 2
        if k < len(nb):
            ch = _doubled(nb[k][1]) or (nb[k][1] if nb[k][1] == channel else None)
            if ch is not None:
                r.channel = ch
                k += 1
        if k < len(nb) and nb[k][1] == raw_title:
            k += 1
        desc: list[Line] = []
        while k < len(nb) and not _starts_episode(nb, is_duration, ages, k):
            ap = _age_points(nb, ages, k)
            if ap is not None:
                r.age, r.points = ap
                k += 1
                break
            desc.append(nb[k])
            k += 1
        if desc:
            # Only the first paragraph (adjacent lines, no sentence end between them) is
            # the description; the rest is chrome.
            n = 1
            while (
                n < len(desc)
                and desc[n][0] == desc[n - 1][0] + 1
                and not ends_sentence(desc[n - 1][1])
            ):
                n += 1
            r.description = _join(desc[:n])
            extra.extend(desc[n:])
        out.append(r)
    return out


def _apply_meta(summary: Summary, meta: _Meta, lineno: int, warnings: list[ParseWarning]) -> None:
    """Copy the meta line's values in; impossible ones become null with a warning."""
    summary.category = meta.category
    summary.duration = meta.duration
    if meta.published is not None:
        summary.published = meta.date
        if summary.published is None:
            warnings.append(
                ParseWarning("invalid-date", f"{meta.published!r} is not a real date", lineno)
            )
    if meta.views is not None:
        if meta.views > _MAX_VIEWS:
            warnings.append(
                ParseWarning("invalid-views", "view count is implausibly large", lineno)
            )
        else:
            summary.views = meta.views
    if meta.duration is not None:
        summary.duration_seconds = values.parse_duration(meta.duration)
        if summary.duration_seconds is None:
            warnings.append(
                ParseWarning("invalid-duration", f"{meta.duration!r} is not a duration", lineno)
            )


class Scan:
    """The lines that anchor an atmes page: meta lines and block markers, in order."""

    __slots__ = ("markers", "metas")

    def __init__(self, metas: Metas, markers: list[tuple[int, Marker]]) -> None:
        self.metas = metas
        self.markers = markers


def scan(cleaned: list[str], metas: Metas | None = None) -> Scan:
    """One pass over the lines for every anchor (shared by page splitting and parsing);
    ``metas`` are the page's meta lines when ``meta_lines`` has found them already."""
    if metas is None:
        metas = meta_lines(cleaned)
    at = {i for i, _ in metas}
    return Scan(metas, [mk for mk in _marker_lines(cleaned, 0) if mk[0] not in at])


def meta_lines(cleaned: list[str]) -> Metas:
    """Every meta line of the page, with what it says."""
    return [(i, m) for i, line in enumerate(cleaned) if "|" in line and (m := _meta(line))]


def has_section_header(cleaned: list[str]) -> bool:
    """Whether some line opens an ``N insights`` section, as ``scan`` reads it (a heading
    such as "Key Insights" does not)."""
    for line in cleaned:
        if line and line[-1] in "sStT" and line.endswith(_MARKER_ENDS):
            marker = _marker(line)
            if marker is not None and marker.kind == "section":
                return True
    return False


_RANK: Final = {"meta": 0, "tldr": 1, "section": 2, "bottom": 3, "related": 4}


def page_starts(cleaned: list[str], found: Scan) -> list[int]:
    """Where each atmes page in ``cleaned`` begins: its title line.

    A page's blocks come in a fixed order (meta line, TL;DR, sections, Bottom Line, More
    from), so a block that comes earlier in that order than the one before it, or a
    second meta line, TL;DR, Bottom Line or More from, opens the next page.
    """
    metas = {i for i, _ in found.metas}
    anchors = sorted([(i, "meta") for i in metas] + [(i, m.kind) for i, m in found.markers])
    starts: list[int] = []
    prev = -1
    for n, (i, kind) in enumerate(anchors):
        rank = _RANK[kind]
        title = i - 1
        while title > 0 and not cleaned[title]:
            title -= 1
        if (
            n == 0
            or rank < prev
            or (rank == prev and kind != "section")
            # A page with no meta line after a page with no sections: its title line
            # ("Episode | Show") stands right before its first block.
            or (rank <= 2 and title > 0 and title not in metas and _is_title(cleaned[title]))
        ):
            starts.append(max(title, 0))
        prev = rank
    return starts


def _is_title(line: str) -> bool:
    return "|" in line and " | " in line and values.split_title(line)[1] is not None


def parse_lines(
    cleaned: list[str],
    source: Source,
    warnings: list[ParseWarning],
    first_lineno: int = 1,
    found: Scan | None = None,
) -> Summary:
    """Parse the cleaned lines of one atmes page (``first_lineno``: where they start;
    ``found``: their scan, when the caller has it already)."""
    if found is None:
        found = scan(cleaned)
    lines = _Numbered(cleaned, first_lineno)
    extra: list[Line] = []
    no_blanks = not _has_blank(cleaned, _first_nonblank(cleaned), _last_nonblank(cleaned) + 1)

    # The first meta line and the block markers after it anchor the title.
    meta_at, meta = found.metas[0] if found.metas else (None, None)
    start = meta_at + 1 if meta_at is not None else 0
    markers = [mk for mk in found.markers if mk[0] >= start]
    if meta_at is None and not markers:
        raise ParseError("no summary found (no meta line, TL;DR, sections or bottom line)")

    anchor = meta_at if meta_at is not None else markers[0][0]
    title_at: int | None = None
    for i in range(anchor - 1, -1, -1):
        if cleaned[i]:
            title_at = i
            break
    head_end = anchor
    if title_at is not None:
        extra.extend(lines[:title_at].nonblank())
        title, show = values.split_title(cleaned[title_at])
    else:
        title, show = "", None
        warnings.append(
            ParseWarning("missing-title", "no title line before the page's blocks", None)
        )
    summary = Summary(title=title, show=show, source=source)

    if meta is not None and meta_at is not None:
        _apply_meta(summary, meta, first_lineno + meta_at, warnings)
        head_end = meta_at + 1

    # Lines between the head and the first marker belong to no block.
    first_marker = markers[0][0] if markers else len(lines)
    extra.extend(lines[head_end:first_marker].nonblank())

    for n, (at, marker) in enumerate(markers):
        end = markers[n + 1][0] if n + 1 < len(markers) else len(lines)
        marker_line = (first_lineno + at, cleaned[at])
        body = lines[at + 1 : end]
        if marker.section is not None:
            emoji, stitle, declared = marker.section
            pairs = _segment_insights(body, declared)
            section = Section(emoji, stitle, declared, [Insight(t[1], _join(b)) for t, b in pairs])
            if len(section.insights) != declared:
                warnings.append(
                    ParseWarning(
                        "insight-count-mismatch",
                        f"section {stitle!r} declares {declared} "
                        f"insight{'s' if declared != 1 else ''} "
                        f"but has {len(section.insights)}",
                        marker_line[0],
                    )
                )
            summary.sections.append(section)
            continue
        if marker.kind == "related":
            summary.related_channel = marker.text
            summary.related.extend(_related(body, summary.related_channel, extra))
            continue
        text_body: Iterable[Line] = body
        if marker.text:  # "TL;DR: text on the same line"
            text_body = itertools.chain([(marker_line[0], marker.text)], body)
        para, rest = _first_paragraph(text_body, no_blanks)
        text_value = _join(para) or None
        if marker.kind == "tldr" and summary.tldr is None:
            summary.tldr = text_value
        elif marker.kind == "bottom" and summary.bottom_line is None:
            summary.bottom_line = text_value
        else:
            extra.extend(para)  # a second TL;DR or bottom line: keep it, but as extra
        extra.extend(rest)

    extra.sort()
    summary.extra_lines = [t for _, t in extra]
    summary.warnings = warnings
    return summary


def _has_blank(lines: list[str], start: int, stop: int) -> bool:
    """A blank line in ``lines[start:stop]`` (searched in place: no copy of the lines,
    and no ``ValueError`` raised when there is none, as ``list.index`` would)."""
    return any(not lines[i] for i in range(start, stop))


def _first_nonblank(lines: Sequence[str]) -> int:
    return next((i for i, t in enumerate(lines) if t), 0)


def _last_nonblank(lines: Sequence[str]) -> int:
    return next((i for i in range(len(lines) - 1, -1, -1) if lines[i]), 0)
