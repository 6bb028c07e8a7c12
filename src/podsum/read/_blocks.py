"""Pieces every reader uses: headings, bullets, labels, quotes, timestamps, paragraphs,
and the page values (date, duration) with their warnings.

Readers keep site knowledge (which headings, in which order) to themselves and build on
these, so a timestamp or a ``Label: text`` bullet is read one way on every layout.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Final

from .. import textparser, values
from ..model import Insight, Summary, Timestamp
from ._page import Page

TIME: Final = r"\d{1,3}:\d{2}(?::\d{2})?"
_BULLETS: Final = "-•*▪◦‣●○✓✔–"  # the marks a bullet line opens with
_LABEL: Final = re.compile(r"([^:]{1,100}?):\s+(\S.*)")
_QUOTE: Final = re.compile(r"[\"“”„«](.+)[\"“”»]\s*[—–-]+\s*(\S.{0,80}?)")
_QUOTE_OPENS: Final = frozenset('"“”„«')


def strip_bullet(line: str) -> str | None:
    """The text of a bullet line (``- x``, ``• x``, ``* x``, ``- •x``, ``✓x``), else None.

    What ``(?:[-•*▪◦‣●○✓✔–]\\s*)+(?=\\S)`` matches, read with string methods (every reader
    asks it of most lines): the run of bullet marks, each with the spaces after it, up to
    text."""
    if not line or line[0] not in _BULLETS:
        return None
    n = len(line)
    end = 0
    while end < n and line[end] in _BULLETS:
        end += 1
        while end < n and line[end].isspace():
            end += 1
    if end == n:
        # Marks and spaces to the end: the regex gives back marks until one is the text.
        last = max(line.rfind(c) for c in _BULLETS)
        if last == 0:
            return None
        end = last
    if end == 1 and line[0] in "-*–":
        return None  # "-5 degrees" or "*emphasis*" is text, not a bullet
    return line[end:]


def numbered(line: str) -> tuple[int, str] | None:
    """``1. Topic title`` -> (1, "Topic title"): a full match of
    ``(\\d{1,3})[.)]\\s+(\\S.*)``, read with string methods."""
    if not line[:1].isdigit():  # (isdigit: native to mypyc; isdecimal is ``\\d``)
        return None  # most lines
    k = 0
    n = len(line)
    while k < n and k < 4 and line[k].isdecimal():
        k += 1
    if not 1 <= k <= 3 or k == n or line[k] not in ".)":
        return None
    rest = line[k + 1 :]
    text = rest.lstrip()
    if not text or len(text) == len(rest) or "\n" in text:
        return None  # no space after the number, or no text
    return int(line[:k]), text


def timestamp(at: str) -> Timestamp:
    return Timestamp(at, values.parse_timestamp(at))


def trailing_timestamps(text: str) -> tuple[str, list[Timestamp]]:
    """Split ``body [02:14], [05:40]`` or ``body (03:15, 08:50)`` into body and times.

    Read backwards from the end with string methods (a regex search would try every
    position, and this runs for every bullet of a page): ``tests/test_fast_paths.py``
    holds it to the regex it stands in for.
    """
    t = text.rstrip()
    if not t.endswith((")", "]")):
        return text, []
    stamps: list[Timestamp] = []
    start = -1
    if t[-1] == ")":  # ``(T, T, ...)``: no spaces inside the parentheses' ends
        start = t.rfind("(")
        if start < 0 or t[start + 1 : start + 2].isspace() or t[-2].isspace():
            return text, []
        for piece in t[start + 1 : -1].split(","):
            at = piece.strip()
            seconds = values.time_value(at)
            if seconds == values.NOT_A_TIME:
                return text, []
            stamps.append(Timestamp(at, None if seconds == values.NO_SECONDS else seconds))
    else:  # ``[T], [T] ...``: as many as are chained back from the end
        end = len(t)
        while (k := t.rfind("[", 0, end)) >= 0:
            at = t[k + 1 : end - 1]
            seconds = values.time_value(at)
            if seconds == values.NOT_A_TIME:
                break
            stamps.append(Timestamp(at, None if seconds == values.NO_SECONDS else seconds))
            start = k
            before = t[:k].rstrip()
            if not before.endswith(","):
                break
            before = before[:-1].rstrip()
            if not before.endswith("]"):
                break
            end = len(before)
        if start < 0:
            return text, []
        stamps.reverse()
    return text[:start].rstrip(), stamps


def is_time(text: str) -> bool:
    """A line that is only a timestamp (``53:15``, ``1:02:03``)."""
    return values.time_value(text) != values.NOT_A_TIME


def split_label(text: str) -> tuple[str | None, str]:
    """``Label: body`` -> (label, body); text with no short label -> (None, text)."""
    colon = text.find(":")
    if not 0 < colon <= 100:
        return None, text  # the label is what comes before the first colon
    if "\n" in text:  # (never in a line) the regex says what it means
        m = _LABEL.fullmatch(text)
        if m is None:
            return None, text
        label, body = values.group_text(m, 1), values.group_text(m, 2)
    else:
        # What _LABEL matches, read with string methods: the text before the first colon,
        # then one space or more and the rest.
        after = text[colon + 1 :]
        body = after.lstrip()
        if not body or len(body) == len(after):
            return None, text
        label = text[:colon]
    if ends_sentence(label) or "http" in label:
        return None, text
    return label.strip(), body.strip()


def quote(text: str) -> tuple[str, str] | None:
    """``“words” — Speaker Name`` -> (words, speaker)."""
    if not text or text[0] not in _QUOTE_OPENS:
        return None
    m = _QUOTE.fullmatch(text)
    return (values.group_text(m, 1).strip(), values.group_text(m, 2).strip()) if m else None


def label_insight(text: str) -> Insight:
    """A bullet as an insight: quote, or ``Label: text``, with trailing timestamps."""
    body, stamps = trailing_timestamps(text)
    q = quote(body)
    if q is not None:
        return Insight(None, q[0], q[1], stamps)  # (title, text, speaker, timestamps)
    label, rest = split_label(body)
    return Insight(label, rest, None, stamps)


def split_outside(
    text: str, spans: list[tuple[int, int]], split: Callable[[str], list[str]]
) -> list[str]:
    """``text`` cut by ``split`` only between the ``spans`` (in order, apart), each span
    kept whole in the piece it falls in: a name list split at its separators, with the
    commas inside a ``(note)`` left alone."""
    parts = [""]
    at = 0
    for a, b in [*spans, (len(text), len(text))]:
        pieces = split(text[at:a])
        parts[-1] += pieces[0]
        parts.extend(pieces[1:])
        parts[-1] += text[a:b]
        at = b
    return parts


def ends_sentence(text: str) -> bool:
    return textparser.ends_sentence(text)


def paragraphs(lines: list[str]) -> list[str]:
    """Blank-separated paragraphs, the lines of each joined by a space."""
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


def text_block(lines: list[str]) -> str | None:
    """Paragraphs joined by a blank line, or None when there is no text."""
    paras = paragraphs(lines)
    return "\n\n".join(paras) if paras else None


def nonblank(lines: Iterable[str]) -> list[str]:
    return [ln for ln in lines if ln]


def blocks(page: Page, headings: Iterable[str], start: int = 0) -> dict[str, tuple[int, int]]:
    """Where each heading's block is: heading -> (first body line, end), in page order.

    A heading is a whole line equal to one of ``headings``; its block runs to the next
    such heading. Only the first occurrence of a heading counts.
    """
    wanted = set(headings) & page.line_set
    found: list[tuple[int, str]] = []
    for i in range(start, len(page.lines)):
        line = page.lines[i]
        if line in wanted:
            found.append((i, line))
            wanted.discard(line)
            if not wanted:
                break
    out: dict[str, tuple[int, int]] = {}
    for n, (i, name) in enumerate(found):
        end = found[n + 1][0] if n + 1 < len(found) else len(page.lines)
        out[name] = (i + 1, end)
    return out


def unglue(line: str, prefix: str) -> str | None:
    """What follows ``prefix`` when a copy glued two lines together (``RadioThe …``)."""
    if line.startswith(prefix) and len(line) > len(prefix):
        return line[len(prefix) :].strip()
    return None


def set_date(s: Summary, page: Page, text: str, i: int) -> None:
    """``published`` from a date as written; year-less and impossible dates warn."""
    text = text.strip()
    iso = values.parse_date(text)
    if iso is not None:
        s.published = iso
    elif values.is_yearless_date(text):
        page.warn("date-without-year", f"{text!r} has no year; published left empty", i)
    elif values.looks_like_date(text):
        page.warn("invalid-date", f"{text!r} is not a real date", i)


def set_duration(s: Summary, page: Page, text: str, i: int) -> None:
    s.duration = text.strip()
    s.duration_seconds = values.parse_any_duration(s.duration)
    if s.duration_seconds is None:
        page.warn("invalid-duration", f"{s.duration!r} is not a duration", i)


def check_times(s: Summary, page: Page) -> None:
    """Warn about timestamps past the end of the episode (when its length is known)."""
    limit = s.duration_seconds
    if limit is None:
        return
    late = [
        t.at
        for sec in s.sections
        for ins in sec.insights
        for t in ins.timestamps
        if t.seconds is not None and t.seconds > limit
    ]
    late += [
        c.start or "" for c in s.chapters if c.start_seconds is not None and c.start_seconds > limit
    ]
    if late:
        page.warn(
            "timestamp-out-of-range",
            f"{len(late)} timestamp(s) past the episode's length {s.duration}: "
            + ", ".join(late[:5]),
        )


def looks_like_content(line: str) -> bool:
    """A line that is page content, not footer chrome: it ends a sentence, continues a
    wrapped one (lower-case start), is a bullet, numbered item or timestamped line, or
    is too long for a footer link row."""
    return (
        ends_sentence(line)
        or line[:1].islower()
        or strip_bullet(line) is not None
        or numbered(line) is not None
        or bool(trailing_timestamps(line)[1])
        or line.count(" ") >= 12
    )


def footer_start(
    lines: list[str], start: int, is_content: Callable[[str], bool] | None = None
) -> int:
    """Where the footer begins: the plain lines at the end of the page after the last
    content line (``Share this summary``, ``© 2026 …``, ``Privacy · Terms``).

    ``is_content`` adds a layout's own content lines (its headings, its labels).
    ``len(lines)`` when there is no footer, or nothing but plain lines to tell it from.
    """
    footer = len(lines)
    for i in range(len(lines) - 1, start - 1, -1):
        line = lines[i]
        if not line:
            continue
        if looks_like_content(line) or (is_content is not None and is_content(line)):
            return footer
        footer = i
    return len(lines)


def prev_nonblank(lines: list[str], i: int, start: int = 0) -> int | None:
    """Index of the last non-blank line before ``i`` (not before ``start``)."""
    for j in range(i - 1, start - 1, -1):
        if lines[j]:
            return j
    return None


def next_nonblank(lines: list[str], i: int, end: int | None = None) -> int | None:
    """Index of the first non-blank line after ``i`` (before ``end``)."""
    for j in range(i + 1, len(lines) if end is None else end):
        if lines[j]:
            return j
    return None


def add_paragraphs(old: str | None, new: str | None) -> str | None:
    """A text field that a second block of the same kind adds paragraphs to."""
    if not old or not new:
        return new or old
    return f"{old}\n\n{new}"
