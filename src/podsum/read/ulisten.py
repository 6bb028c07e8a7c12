"""ulisten.ai episode pages: the main page, its /chapters page and its /faq page.

Every page starts with the same head: ``Skip to content`` (chrome), the show's name
twice glued (``Field Notes RadioField Notes Radio``: the show), then the show glued to
the YouTube-style title line ``<Show><Title> | <Show> #212`` (title, episode number).
Lines between the title line and the first heading are the episode description
(``overview``).

Main page: ``At a glance`` (a container heading with no text of its own);
``WHAT IT’S REALLY ABOUT`` + a headline (``tldr``) + ``- `` bullets, which become one
section titled as the heading is written, so the page's own grouping survives;
``IDEAS WORTH REMEMBERING`` + a count glued to the first idea's title
(``4 ideasFirst idea title.``), then title / body pairs: one section whose
``declared_insights`` is that count.

/chapters: ``CHAPTERS``, then per chapter a range ``0:00 – 2:40``, a title, a summary
paragraph and ``- •point`` bullets.

/faq: ``FREQUENTLY ASKED QUESTIONS``, a site blurb (chrome: ``extra_lines``), then
question / answer paragraphs, each answer ending ``▸ 19:31 in transcript`` (sometimes
glued to the next question): one section titled as the heading is written, with the
question as each insight's title and the time as its timestamp.

Headings are matched as written in upper case and in the sentence or title case a
saved page gives when the capitals come from the site's style sheet.
"""

from __future__ import annotations

import re
from typing import Final

from ..errors import ParseError
from ..model import Chapter, Insight, Section, Summary, Timestamp
from . import _blocks
from ._page import Page

NAME: Final = "ulisten"
DESCRIPTION: Final = (
    "ulisten.ai: WHAT IT’S REALLY ABOUT, IDEAS WORTH REMEMBERING (main page), "
    "CHAPTERS (/chapters), FREQUENTLY ASKED QUESTIONS (/faq)"
)
MARKERS: Final = (
    "WHAT IT’S REALLY ABOUT",
    "IDEAS WORTH REMEMBERING",
    "CHAPTERS",
    "FREQUENTLY ASKED QUESTIONS",
)

_SKIP: Final = "Skip to content"


def _cases(*written: str) -> tuple[str, ...]:
    """A heading as written in capitals, and its sentence- and title-case forms."""
    out: list[str] = []
    for w in written:
        lower = w.lower()
        title = " ".join(word[:1].upper() + word[1:] for word in lower.split(" "))
        for form in (w, lower[:1].upper() + lower[1:], title):
            if form not in out:
                out.append(form)
    return tuple(out)


_GLANCE: Final = _cases("AT A GLANCE")
_ABOUT: Final = _cases("WHAT IT’S REALLY ABOUT", "WHAT IT'S REALLY ABOUT")
_IDEAS: Final = _cases("IDEAS WORTH REMEMBERING")
_CHAPTERS: Final = _cases("CHAPTERS")
_FAQ: Final = _cases("FREQUENTLY ASKED QUESTIONS")
_KIND: Final = {
    **dict.fromkeys(_GLANCE, "glance"),
    **dict.fromkeys(_ABOUT, "about"),
    **dict.fromkeys(_IDEAS, "ideas"),
    **dict.fromkeys(_CHAPTERS, "chapters"),
    **dict.fromkeys(_FAQ, "faq"),
}

_TIME: Final = _blocks.TIME
_EPISODE: Final = re.compile(r"(.*?)\s*(?:#|\bEp(?:isode)?\.?\s*)(\d{1,5})")
_TITLE_LINE: Final = re.compile(r".+ \| .*#\d{1,5}")
_COUNT: Final = re.compile(r"(\d{1,3})\s?(?:ideas?|IDEAS?|Ideas?)(.*)")
_RANGE: Final = re.compile(rf"({_TIME})\s*[–—-]\s*({_TIME})\s*(.*)")
_ANSWER_END: Final = re.compile(rf"\s*(?:▸\s*)?({_TIME})\s+in transcript")


# Lines one of which every page this reader detects has (the registry's first test).
GATE: Final = frozenset((*_ABOUT, *_IDEAS, *_CHAPTERS, *_FAQ))


def detect(page: Page) -> bool:
    if not page.has_any(GATE):
        return False
    if page.has_any(_ABOUT) or page.has_any(_IDEAS):
        return True
    if page.has_any(_CHAPTERS) or page.has_any(_FAQ):
        return _has_head(page) or _has_own_marks(page)
    return False


def _has_head(page: Page) -> bool:
    """The show's name twice glued, with the title line glued to it after."""
    return any(_head_at(page.lines, i) for i in range(len(page.lines)))


def _has_own_marks(page: Page) -> bool:
    """``- •point`` bullets or ``▸ 19:31 in transcript`` ends: this site's print."""
    return any(
        line.startswith("- •") or ("in transcript" in line and "▸" in line) for line in page.lines
    )


def _doubled(line: str) -> str | None:
    """``XX`` or ``X X`` -> ``X`` (the show's name printed twice)."""
    n = len(line)
    if n < 4:
        return None
    half = n // 2
    if n % 2 == 0 and line[:half] == line[half:]:
        return line[:half].strip() or None
    if n % 2 == 1 and line[half] == " " and line[:half] == line[half + 1 :]:
        return line[:half].strip() or None
    return None


def _head_at(lines: list[str], i: int) -> bool:
    show = _doubled(lines[i])
    if show is None:
        return False
    j = _blocks.next_nonblank(lines, i)
    return j is not None and lines[j].startswith(show)


def page_starts(page: Page) -> list[int]:
    """Each page's ``Skip to content`` line, else its doubled show line, else its title."""
    lines = page.lines
    starts: list[int] = []
    for i, line in enumerate(lines):
        if _head_at(lines, i):
            start = i
        elif line[-1:].isdigit() and "|" in line and " | " in line and _TITLE_LINE.fullmatch(line):
            prev = _blocks.prev_nonblank(lines, i)
            if prev is not None and _head_at(lines, prev):
                continue
            start = i
            before = _blocks.prev_nonblank(lines, prev) if prev is not None else None
            if prev is not None and before is not None and lines[before] == lines[prev]:
                start = before  # the show's name printed twice on lines of its own
        else:
            continue
        prev = _blocks.prev_nonblank(lines, start)
        starts.append(prev if prev is not None and lines[prev] == _SKIP else start)
    return starts


def parse(page: Page) -> Summary:
    found = _blocks.blocks(page, _KIND)
    if not any(_KIND[h] != "glance" for h in found):
        raise ParseError(
            "not a ulisten page (no WHAT IT’S REALLY ABOUT, IDEAS WORTH REMEMBERING, "
            "CHAPTERS or FREQUENTLY ASKED QUESTIONS heading)"
        )
    first = min(a for a, _ in found.values()) - 1
    s = _head(page, first)
    footer = _blocks.footer_start(page.lines, first + 1, _is_content)
    for heading, (a, b) in found.items():
        b = min(b, footer)
        kind = _KIND[heading]
        if kind == "about":
            _about(s, page, heading, a, b)
        elif kind == "ideas":
            _ideas(s, page, heading, a, b)
        elif kind == "chapters":
            _chapters(s, page, a, b)
        elif kind == "faq":
            _faq(s, page, heading, a, b)
        else:
            s.extra_lines.extend(_blocks.nonblank(page.lines[a:b]))
    s.extra_lines.extend(_blocks.nonblank(page.lines[footer:]))
    _blocks.check_times(s, page)
    return s


def _is_content(line: str) -> bool:
    return (
        line in _KIND
        or (line[:1].isdigit() and _RANGE.match(line) is not None)
        or ("in transcript" in line and bool(answer_ends(line)))
    )


def _head(page: Page, end: int) -> Summary:
    """Show, title, episode number and description from the lines before the first
    heading; the skip link and other lines before the title go to ``extra_lines``."""
    lines = page.lines
    head = [i for i in range(end) if lines[i]]
    show: str | None = None
    show_lines: set[int] = set()
    for n, i in enumerate(head):
        doubled = _doubled(lines[i])
        if doubled is not None:
            show, show_lines = doubled, {i}
            break
        if n + 1 < len(head) and lines[i] == lines[head[n + 1]] and lines[i] != _SKIP:
            show, show_lines = lines[i], {i, head[n + 1]}  # printed twice, not glued
            break
    rest = [i for i in head if i not in show_lines and lines[i] != _SKIP]
    if show_lines:
        rest = [i for i in rest if i > max(show_lines)]
    else:
        rest = [i for i in rest if " | " in lines[i]][:1] or rest
    if not rest:
        raise ParseError("not a ulisten page (no episode title line)")
    title_at = rest[0]
    title, show, number = _title_line(lines[title_at], show)
    s = page.new_summary(NAME, title, show)
    s.episode_number = number
    for i in head:
        if i < title_at and i not in show_lines:
            s.extra_lines.append(lines[i])
    s.overview = _blocks.text_block(lines[title_at + 1 : end])
    return s


def _title_line(line: str, show: str | None) -> tuple[str, str | None, str | None]:
    """``<Show><Title> | <Show> #212`` -> (title, show, "212")."""
    if show is not None:
        line = _blocks.unglue(line, show) or line
    title, tail = line, None
    before, sep, after = line.rpartition(" | ")
    if sep and before.strip():
        title, tail = before.strip(), after.strip()
    number: str | None = None
    if tail is not None:
        m = _EPISODE.fullmatch(tail)
        tail_show = m.group(1).strip() if m else tail
        number = m.group(2) if m else None
        if show is None and tail_show:
            show = tail_show
            title = _blocks.unglue(title, show) or title
        elif m is None and tail_show.casefold() != (show or "").casefold():
            title = line.strip()  # ``Title | Part 2``: the bar belongs to the title
    return title, show, number


def _about(s: Summary, page: Page, heading: str, a: int, b: int) -> None:
    """Headline (``tldr``) then bullets: a section titled as the heading."""
    lines = page.lines[a:b]
    first = next((n for n, ln in enumerate(lines) if _blocks.strip_bullet(ln) is not None), None)
    if first is None:
        text = _blocks.nonblank(lines)
        lead, items = text[:1], text[1:]
    else:
        lead, items = lines[:first], _blocks.nonblank(lines[first:])
    s.tldr = _blocks.text_block(lead)
    insights = [_blocks.label_insight(_bullet_text(ln)) for ln in items]
    if insights:
        s.sections.append(Section(None, heading, None, insights))


def _bullet_text(line: str) -> str:
    text = _blocks.strip_bullet(line)
    return text if text is not None else line


def _ideas(s: Summary, page: Page, heading: str, a: int, b: int) -> None:
    """``4 ideasFirst title.`` then title / body pairs."""
    lines = list(page.lines[a:b])
    declared: int | None = None
    count_at: int | None = None
    for n, line in enumerate(lines):
        if not line:
            continue
        m = _COUNT.fullmatch(line)
        if m is not None:
            declared, count_at = int(m.group(1)), a + n
            lines[n] = m.group(2).strip()
        break
    insights = [Insight(t, body) for t, body in _pairs(lines)]
    s.sections.append(Section(None, heading, declared, insights))
    if declared is not None and declared != len(insights):
        page.warn(
            "insight-count-mismatch",
            f"section {heading!r} declares {declared} idea{'s' if declared != 1 else ''} "
            f"but has {len(insights)}",
            count_at,
        )


def _pairs(lines: list[str]) -> list[tuple[str | None, str]]:
    """Title / body pairs: a blank-separated group each (title, then its body) when the
    copy kept the blank lines, else consecutive lines taken two by two."""
    groups: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    if len(groups) > 1 and all(len(g) >= 2 for g in groups):
        return [(g[0], " ".join(g[1:])) for g in groups]
    flat = [ln for g in groups for ln in g]
    out: list[tuple[str | None, str]] = [(flat[n], flat[n + 1]) for n in range(0, len(flat) - 1, 2)]
    if len(flat) % 2:
        out.append((None, flat[-1]))
    return out


def _chapters(s: Summary, page: Page, a: int, b: int) -> None:
    """``0:00 – 2:40`` ranges, each followed by a title, a summary and ``- •`` points."""
    chapter: Chapter | None = None
    summary: list[str] = []

    def close() -> None:
        if chapter is not None:
            chapter.summary = _blocks.text_block(summary)
            s.chapters.append(chapter)

    for line in page.lines[a:b]:
        m = _RANGE.fullmatch(line)
        if m is not None:
            close()
            start, end = _blocks.timestamp(m.group(1)), _blocks.timestamp(m.group(2))
            chapter = Chapter(m.group(3).strip(), start.at, start.seconds, end.at, end.seconds)
            summary = []
        elif chapter is None:
            if line:
                s.extra_lines.append(line)
        elif not chapter.title:
            chapter.title = line
        elif (point := _blocks.strip_bullet(line)) is not None:
            chapter.points.append(point)
        else:
            summary.append(line)
    close()


_MARK: Final = "in transcript"


def answer_ends(line: str) -> list[re.Match[str]]:
    """``_ANSWER_END.finditer(line)``, searched only where a match can be: what a match
    holds before ``in transcript`` is "▸", spaces, digits and colons, so each search
    starts where the run of those before a mark begins (a search of the whole line
    tries every position of a long answer)."""
    out: list[re.Match[str]] = []
    pos = 0
    k = line.find(_MARK)
    while k >= 0:
        j = k
        while j > pos and ((c := line[j - 1]) in "▸:" or c.isspace() or c.isdigit()):
            j -= 1
        m = _ANSWER_END.search(line, j, k + len(_MARK))
        if m is not None:
            out.append(m)
            pos = m.end()
        k = line.find(_MARK, k + len(_MARK))
    return out


def _faq(s: Summary, page: Page, heading: str, a: int, b: int) -> None:
    """Question / answer paragraphs, each answer ending ``▸ 19:31 in transcript``."""
    chunks: list[tuple[list[str], Timestamp | None]] = []
    current: list[str] = []
    for line in page.lines[a:b]:
        pos = 0
        if "in transcript" in line:  # in every mark: most lines are not searched at all
            for m in answer_ends(line):
                if line[pos : m.start()].strip():
                    current.append(line[pos : m.start()].strip())
                chunks.append((current, _blocks.timestamp(m.group(1))))
                current = []
                pos = m.end()
        rest = line[pos:].strip()
        if rest or (pos == 0 and current):
            current.append(rest)  # a blank line keeps paragraphs apart in an answer
    insights: list[Insight] = []
    for n, (chunk, stamp) in enumerate(chunks):
        items = _questions(chunk, first=n == 0, extra=s.extra_lines)
        for q, answer in items:
            insights.append(Insight(q, answer))
        if items and stamp is not None:
            insights[-1].timestamps.append(stamp)
    tail = _blocks.nonblank(current)
    if len(tail) >= 2 and tail[0].endswith("?"):
        insights.extend(Insight(q, answer) for q, answer in _questions(current, False, []))
    else:
        s.extra_lines.extend(tail)
    if insights:
        s.sections.append(Section(None, heading, None, insights))


def _questions(chunk: list[str], first: bool, extra: list[str]) -> list[tuple[str, str]]:
    """The question / answer pairs of the text before one ``in transcript`` mark:
    normally one; more when an answer has no mark of its own. Before the first
    question of the page comes the site's blurb, which goes to ``extra``."""
    lines = chunk
    while lines and not lines[0]:
        lines = lines[1:]
    if not lines:
        return []
    idx = [n for n, ln in enumerate(lines) if ln]
    # A question starts at a line ending with "?" that follows answer text.
    starts = [
        n
        for k, n in enumerate(idx)
        if lines[n].endswith("?") and (k == 0 or not lines[idx[k - 1]].endswith("?"))
    ]
    begin = idx[0]
    if first:
        if starts and starts[0] < idx[-1]:
            begin = starts[0]
        elif len(idx) >= 2:
            begin = idx[-2]  # no "?": the last two lines are the question and its answer
        extra.extend(_blocks.nonblank(lines[:begin]))
    starts = [begin, *[n for n in starts if begin < n < idx[-1]]]
    out: list[tuple[str, str]] = []
    for k, n in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        out.append((lines[n], _blocks.text_block(lines[n + 1 : end]) or ""))
    return out
