"""b-e-t-t-e-r.com: ``Title | Show``, a teaser, ``April 9, 2026 52m``, the show's short
name, then ``Key Takeaway``, ``Episode Overview`` and ``Key Insights`` (title / body pairs).

The teaser repeats the start of the Key Takeaway paragraph, so it is chrome; the short
name is used as the show only when the title line names none.
"""

from __future__ import annotations

import re
from typing import Final

from .. import values
from ..errors import ParseError
from ..model import Insight, Section, Summary
from . import _blocks
from ._page import Page

NAME: Final = "better"
DESCRIPTION: Final = "b-e-t-t-e-r.com: Title | Show, date and duration, Key Takeaway, Key Insights"
TAKEAWAY: Final = "Key Takeaway"
OVERVIEW: Final = "Episode Overview"
INSIGHTS: Final = "Key Insights"
HEADINGS: Final = (TAKEAWAY, OVERVIEW, INSIGHTS)
MARKERS: Final = HEADINGS

_MONTH: Final = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE: Final = rf"{_MONTH}\.? \d{{1,2}}(?:, \d{{4}})?"
_DUR: Final = r"\d{1,2}h(?: ?\d{1,2}m)?|\d{1,3} ?min|\d{1,3}m|\d{1,2}:\d{2}(?::\d{2})?"
# ``April 9, 2026 52m``; a copy may glue the teaser before it or the short name after it.
_META: Final = re.compile(rf"(?P<pre>.*?)(?P<date>{_DATE}) (?P<dur>{_DUR})(?P<rest>[A-Z0-9].*)?")
_META_ALONE: Final = re.compile(rf"(?P<date>{_DATE})|(?P<dur>{_DUR})")
_SHORT_NAME_MAX: Final = 60
_TITLE_MAX: Final = 100
_TEASER_MIN: Final = 20
_GLUED_STARTS: Final = frozenset("0123456789\"'“‘(")


# Lines one of which every page this reader detects has (the registry's first test).
GATE: Final = frozenset(HEADINGS)


def detect(page: Page) -> bool:
    """Key Takeaway with another heading; or, once one heading is there, two headings
    (one may be glued to its first line) under a meta line. Podwave and generic pages
    have an ``Episode Overview`` too, never with the rest."""
    if not page.has_any(GATE):
        return False
    if page.has(TAKEAWAY) and page.has_any((OVERVIEW, INSIGHTS)):
        return True
    if not page.has_any(HEADINGS):
        return False
    found = _headings(page.lines, 0)
    if len(found) < 2:
        return False
    return found[0][1] == TAKEAWAY or any(_meta(ln) for ln in page.lines[: found[0][0]])


def page_starts(page: Page) -> list[int]:
    """Each page's title line (the line of its first heading when no title is found)."""
    starts: list[int] = []
    prev_end = 0
    spans = _page_spans(page.lines)
    for n, (first, last) in enumerate(spans):
        end = spans[n + 1][0] if n + 1 < len(spans) else len(page.lines)
        head = _head(page, prev_end, first, _tldr_text(page.lines, first, end))
        starts.append(head.title_at if head.title_at is not None else first)
        prev_end = last + 1
    return starts


def parse(page: Page) -> Summary:
    lines = page.lines
    found = _headings(lines, 0)
    if not found:
        raise ParseError("not a better page (no Key Takeaway, Episode Overview or Key Insights)")
    first = found[0][0]
    bodies = _bodies(lines, found)
    tldr_lines = bodies.get(TAKEAWAY)
    tldr_src = _text(tldr_lines[1]) if tldr_lines else None
    head = _head(page, 0, first, tldr_src)
    if head.title_at is None:
        raise ParseError("not a better page (no title line above its Key Takeaway)")

    extra = list(head.extra)
    title, show = values.split_title(lines[head.title_at])
    if show is None and head.short_name is not None:
        show = head.short_name
    elif head.short_name is not None:
        extra.append((head.short_name_at, head.short_name))
    s = page.new_summary(NAME, title, show)
    if head.meta_at is not None and head.date is not None:
        _blocks.set_date(s, page, head.date, head.meta_at)
    if head.meta_at is not None and head.duration is not None:
        _blocks.set_duration(s, page, head.duration, head.meta_at)

    for name, (start, body) in bodies.items():
        if name == INSIGHTS:
            insights, rest = _insights(lines, start, body)
            s.sections.append(Section(None, name, None, insights))
            extra += rest
            continue
        text, rest = _paragraph_block(lines, start, body)
        extra += rest
        if name == TAKEAWAY:
            s.tldr = text
        else:
            s.overview = text
    s.extra_lines = [t for _, t in sorted(extra, key=lambda e: e[0])]
    return s


# --- headings and blocks -----------------------------------------------------------


def _heading(line: str) -> tuple[str, str] | None:
    """(heading, glued text) for a heading line, or one the copy glued to its first line."""
    if line in HEADINGS:
        return line, ""
    for h in HEADINGS:
        rest = _blocks.unglue(line, h)
        if rest and (line[len(h)].isupper() or line[len(h)] in _GLUED_STARTS):
            return h, rest
    return None


def _headings(lines: list[str], start: int, stop: int | None = None) -> list[tuple[int, str]]:
    """(index, heading) of each heading's first occurrence in ``lines[start:stop]``."""
    out: list[tuple[int, str]] = []
    seen: set[str] = set()
    for i in range(start, len(lines) if stop is None else stop):
        line = lines[i]
        if not line.startswith("Key ") and not line.startswith("Episode "):
            continue
        h = _heading(line)
        if h is not None and h[0] not in seen:
            seen.add(h[0])
            out.append((i, h[0]))
    return out


def _bodies(
    lines: list[str], found: list[tuple[int, str]], stop: int | None = None
) -> dict[str, tuple[int, list[str]]]:
    """heading -> (index of its first body line, body lines), glued text included."""
    out: dict[str, tuple[int, list[str]]] = {}
    last = len(lines) if stop is None else stop
    for n, (i, name) in enumerate(found):
        end = found[n + 1][0] if n + 1 < len(found) else last
        glued = _heading(lines[i])
        body = list(lines[i + 1 : end])
        if glued is not None and glued[1]:
            out[name] = (i, [glued[1], *body])
        else:
            out[name] = (i + 1, body)
    return out


def _page_spans(lines: list[str]) -> list[tuple[int, int]]:
    """(first heading, last heading) of each page: a heading that does not come later in
    the Key Takeaway / Overview / Insights order than the one before starts a new page."""
    rank = {h: n for n, h in enumerate(HEADINGS)}
    spans: list[tuple[int, int]] = []
    last_rank = len(HEADINGS)
    for i, line in enumerate(lines):
        if line not in rank and not line.startswith(HEADINGS):
            continue
        h = _heading(line)
        if h is None:
            continue
        r = rank[h[0]]
        if not spans or r <= last_rank:
            spans.append((i, i))
        else:
            spans[-1] = (spans[-1][0], i)
        last_rank = r
    return spans


def _tldr_text(lines: list[str], first: int, stop: int) -> str | None:
    found = _headings(lines, first, stop)
    body = _bodies(lines, found, stop).get(TAKEAWAY)
    return _text(body[1]) if body else None


# --- the lines above the first heading ---------------------------------------------


def _meta(line: str) -> tuple[str, str | None, str | None, str] | None:
    """(glued teaser, date, duration, glued short name) of a meta line, else None."""
    if not line or len(line) > 600 or not any(c.isdigit() for c in line):
        return None
    m = _META.fullmatch(line)
    if m is not None:
        return m.group("pre"), m.group("date"), m.group("dur"), m.group("rest") or ""
    m = _META_ALONE.fullmatch(line)
    if m is not None:
        return "", m.group("date"), m.group("dur"), ""
    return None


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def _is_teaser(line: str, tldr: str | None) -> bool:
    """The start of the Key Takeaway paragraph, cut mid-word (maybe with an ellipsis)."""
    if tldr is None:
        return False
    cut = _squash(line.rstrip(".… "))
    return len(cut) >= _TEASER_MIN and _squash(tldr).startswith(cut)


def _short(line: str) -> bool:
    return len(line) <= _SHORT_NAME_MAX and not _blocks.ends_sentence(line)


def _head(page: Page, lo: int, hi: int, tldr: str | None) -> _Head:
    """``_Head`` of these lines, read once a page: ``page_starts`` and ``parse`` both
    ask for the first page's."""
    key = f"{NAME}:{lo}:{hi}"
    found = page.memo.get(key)
    if isinstance(found, _Head) and found.tldr == tldr:
        return found
    head = _Head(page.lines, lo, hi, tldr)
    page.memo[key] = head
    return head


class _Head:
    """What the lines between ``lo`` and the first heading ``hi`` hold: the title line,
    the meta line and its values, the short name, and the chrome."""

    def __init__(self, lines: list[str], lo: int, hi: int, tldr: str | None) -> None:
        self.tldr = tldr
        self.title_at: int | None = None
        self.meta_at: int | None = None
        self.date: str | None = None
        self.duration: str | None = None
        self.short_name: str | None = None
        self.short_name_at = -1
        self.extra: list[tuple[int, str]] = []
        glued_name: str | None = None
        for i in range(hi - 1, lo - 1, -1):
            meta = _meta(lines[i])
            if meta is not None:
                self.meta_at = i
                pre, self.date, self.duration, rest = meta
                if pre.strip():
                    self.extra.append((i, pre.strip()))
                glued_name = rest.strip() or None
                break
        above = self.meta_at if self.meta_at is not None else hi
        rows = [(i, lines[i]) for i in range(lo, above) if lines[i]]
        piped = [i for i, t in rows if "|" in t and " | " in t]
        if piped:
            self.title_at = piped[-1]
        else:
            # a YouTube title is short; a long line is the teaser even with no tldr
            plain = [i for i, t in rows if not _is_teaser(t, tldr) and len(t) <= _TITLE_MAX]
            if self.meta_at is None and len(plain) > 1 and _short(lines[plain[-1]]):
                plain = plain[:-1]  # the last short line is the show's short name
            if plain:
                self.title_at = plain[-1]
        top = self.meta_at if self.meta_at is not None else self.title_at
        after = lo if top is None else top + 1
        if glued_name is not None and self.meta_at is not None:
            self.short_name, self.short_name_at = glued_name, self.meta_at
        for i in range(lo, hi):
            t = lines[i]
            if not t or i in (self.title_at, self.meta_at):
                continue
            if (
                self.short_name is None
                and i >= after
                and _short(t)
                and not _is_teaser(t, tldr)
                and all(not lines[j] or _is_teaser(lines[j], tldr) for j in range(i + 1, hi))
            ):
                self.short_name, self.short_name_at = t, i
                continue
            self.extra.append((i, t))


# --- block contents ----------------------------------------------------------------


def _paragraph_block(
    lines: list[str], start: int, body: list[str]
) -> tuple[str | None, list[tuple[int, str]]]:
    """A paragraph block's text; short lines after its last sentence are chrome."""
    end = len(body)
    while end > 0 and (not body[end - 1] or _short(body[end - 1])):
        end -= 1
    if end == 0:
        end = len(body)  # no sentence at all: keep what is there
    chrome = [(start + k, body[k]) for k in range(end, len(body)) if body[k]]
    return _text(body[:end]), chrome


def _text(lines: list[str]) -> str | None:
    """Paragraphs joined by a blank line. A copied page never wraps a paragraph, so a
    line that ends a sentence ends its paragraph even where the copy lost the blank."""
    paras: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        if current and (not line or _blocks.ends_sentence(line)):
            paras.append(" ".join(current))
            current = []
    if current:
        paras.append(" ".join(current))
    return "\n\n".join(paras) if paras else None


def _title_like(line: str) -> bool:
    return len(line) <= _TITLE_MAX and not line.endswith((".", "…", '."', ".”"))


def _insights(
    lines: list[str], start: int, body: list[str]
) -> tuple[list[Insight], list[tuple[int, str]]]:
    """Title / body pairs; a title with no body after it (a footer link) is chrome."""
    out: list[Insight] = []
    chrome: list[tuple[int, str]] = []
    title: tuple[int, str] | None = None
    text: list[str] = []

    def close() -> None:
        body_text = _text(text)
        if title is not None and body_text is not None:
            out.append(Insight(title[1], body_text))
        elif title is not None:
            chrome.append(title)

    for k, line in enumerate(body):
        if line and _title_like(line):
            close()
            title, text = (start + k, line), []
        elif title is None:
            if line:
                chrome.append((start + k, line))
        else:
            text.append(line)
    close()
    return out, chrome
