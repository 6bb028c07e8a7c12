"""Read podsum's own Markdown (``show --format md``) back into a Summary.

Version 1 (``podsum: 1``) has TL;DR, sections, Bottom line and Related; version 2 adds
people, topics and the schema-2 scalars to the front matter, and Overview, Chapters,
Transcript and insight field lines to the body. A version-1 file keeps its meaning:
there, ``## Overview`` is a section like any other.

Front matter keys stand for the record's fields; a key left out is a null field or an
empty list (podsum writes no nulls; older podsum wrote them all). ``aliases``, ``date``
and ``tags`` are derived from the fields for notes apps and ``source`` by ``export``:
they are never read, so tags made from topics never come back as topics and a date
edited in a notes app changes no record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .errors import ParseError
from .mdescape import unescape
from .model import (
    Chapter,
    Insight,
    Person,
    Related,
    Section,
    Source,
    Summary,
    Timestamp,
    enforce_limits,
)
from .values import parse_timestamp, split_emoji

_COUNT = re.compile(r"(.*?) ?(?<!\\)\((\d{1,6}) insights?\)$")
_FIELD = re.compile(r"- ([a-z][a-z ]*):(?: (.*))?")
# An empty "title", "description" or "summary" line tells an empty text from none.
_RELATED_FIELDS = {
    *("title", "show", "duration", "duration seconds", "channel", "age", "points"),
    "description",
}
_INSIGHT_FIELDS = {"title", "speaker", "at", "seconds"}
_CHAPTER_FIELDS = {"start", "end", "start seconds", "end seconds", "summary"}
_INT_FIELDS = {"duration_seconds", "points"}
_V2_BLOCKS = {"Overview": "overview", "Chapters": "chapters", "Transcript": "transcript"}
_V1_BLOCKS = {"TL;DR": "tldr", "Bottom line": "bottom"}
_ROLES = {"host", "guest"}


_OPENING = re.compile(r"---\r?\n|---\r")  # the fence, whatever the line ending


def split_front_matter(text: str) -> tuple[dict[str, Any], str] | None:
    """(front matter, body) when the text opens with a podsum front matter block.

    Line endings are made ``\n`` first: an editor may have saved the file with CRLF (or
    CR), and podsum's own text never holds a carriage return."""
    if not _OPENING.match(text):
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    end = text.find("\n---\n", 3)
    if end < 0 and text.endswith("\n---"):
        end, text = len(text) - 4, text + "\n"  # front matter and no body
    if end < 0:
        return None
    import yaml  # only for Markdown input

    try:
        fm = yaml.safe_load(text[4 : end + 1])
    except yaml.YAMLError:
        return None
    if not isinstance(fm, dict) or "podsum" not in fm:
        return None
    return fm, text[end + 5 :]


def _str(fm: dict[str, Any], key: str) -> str | None:
    v = fm.get(key)
    if v is None:
        return None
    if isinstance(v, (dict, list)):
        raise ParseError(f"front matter {key} must be a scalar")
    return str(v)


def _int(fm: dict[str, Any], key: str) -> int | None:
    v = fm.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise ParseError(f"front matter {key} must be an integer")
    return v


def _people(fm: dict[str, Any]) -> list[Person]:
    """``people``: mappings of name/role/about; a bare name is accepted (hand edits)."""
    items = fm.get("people") or []
    if not isinstance(items, list):
        raise ParseError("front matter people must be a list")
    people = []
    for item in items:
        if isinstance(item, dict):
            name = _str(item, "name")
            if name is None:
                raise ParseError("front matter people need a name")
            role = _str(item, "role")
            if role is not None and role not in _ROLES:
                raise ParseError("front matter people role must be host, guest or null")
            people.append(Person(name, role, _str(item, "about")))
        elif item is not None and not isinstance(item, list):
            people.append(Person(str(item)))
        else:
            raise ParseError("front matter people must be names or mappings")
    return people


def _topics(fm: dict[str, Any]) -> list[str]:
    items = fm.get("topics")
    if items is None:
        return []
    if not isinstance(items, list):
        items = [items]  # "topics: AI", typed by hand
    if any(isinstance(v, (dict, list)) or v is None for v in items):
        raise ParseError("front matter topics must be a list of words")
    return [str(v) for v in items]


def _paragraph_text(lines: list[str]) -> str | None:
    paras: list[list[str]] = [[]]
    for line in lines:
        # A lone backslash is how version 1 wrote a blank line inside a text.
        if line.strip() and line != "\\":
            paras[-1].append(unescape(line))
        elif paras[-1]:
            paras.append([])
    joined = ["\n".join(p) for p in paras if p]
    return "\n\n".join(joined) if joined else None


def _headed(lines: list[str], level: int) -> Iterator[tuple[str | None, list[str]]]:
    """Split lines at headings of exactly this level: (heading text, lines under it);
    the lines before the first heading come with None. ``###`` alone gives ""."""
    mark = "#" * level
    head: str | None = None
    buf: list[str] = []
    for line in lines:
        if line == mark or line.startswith(mark + " "):
            if head is not None or any(b.strip() for b in buf):
                yield head, buf
            head, buf = line[level + 1 :], []
        else:
            buf.append(line)
    if head is not None or any(b.strip() for b in buf):
        yield head, buf


def _fields(lines: list[str], known: set[str]) -> tuple[dict[str, str], list[str]]:
    """The ``- key: value`` lines that open a block (values unescaped later), and the
    lines after them."""
    found: dict[str, str] = {}
    for n, line in enumerate(lines):
        if not line.strip():
            continue
        m = _FIELD.fullmatch(line)
        if m is None or m.group(1) not in known:
            return found, lines[n:]
        found[m.group(1)] = m.group(2) or ""
    return found, []


def _split_list(value: str) -> list[str]:
    """``a, b\\, c`` -> ["a", "b, c"]: split at the commas the writer did not escape."""
    items: list[str] = []
    part: list[str] = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            part.append(value[i : i + 2])
            i += 2
            continue
        if ch == ",":
            items.append("".join(part))
            part = []
            i += 2 if value[i + 1 : i + 2] == " " else 1
            continue
        part.append(ch)
        i += 1
    items.append("".join(part))
    return [unescape(p) for p in items]


def _seconds_list(value: str, what: str) -> list[int | None]:
    out: list[int | None] = []
    for item in value.split(","):
        item = item.strip()
        if item == "null":
            out.append(None)
        elif item.isascii() and item.isdigit():
            out.append(int(item))
        else:
            raise ParseError(f"{what} must be whole numbers or null")
    return out


def _insight(head: str, lines: list[str], version: int) -> Insight:
    fields, rest = _fields(lines, _INSIGHT_FIELDS)
    title: str | None = unescape(head)
    if version >= 2 and head == "":
        title = "" if "title" in fields else None  # a bare ### is a quote: no title
    speaker = fields.get("speaker")
    stamps: list[Timestamp] = []
    if "at" in fields:
        stamps = [Timestamp(at, parse_timestamp(at)) for at in _split_list(fields["at"])]
    if "seconds" in fields:
        seconds = _seconds_list(fields["seconds"], "insight seconds")
        if len(seconds) != len(stamps):
            raise ParseError("insight seconds must match its timestamps one for one")
        for stamp, sec in zip(stamps, seconds, strict=True):
            stamp.seconds = sec
    return Insight(
        title,
        _paragraph_text(rest) or "",
        None if speaker is None else unescape(speaker),
        stamps,
    )


def _time(fields: dict[str, str], key: str) -> tuple[str | None, int | None]:
    """A chapter's start or end as written and in seconds (given, or read off the time)."""
    at = None if key not in fields else unescape(fields[key])
    seconds = None if at is None else parse_timestamp(at)
    if f"{key} seconds" in fields:
        given = _seconds_list(fields[f"{key} seconds"], f"chapter {key} seconds")
        if len(given) != 1:
            raise ParseError(f"chapter {key} seconds must be one number or null")
        seconds = given[0]
    return at, seconds


def _chapter(head: str, lines: list[str]) -> Chapter:
    fields, rest = _fields(lines, _CHAPTER_FIELDS)
    start, start_seconds = _time(fields, "start")
    end, end_seconds = _time(fields, "end")
    c = Chapter(unescape(head), start, start_seconds, end, end_seconds)
    summary: list[str] = []
    for line in rest:
        if line == "-" or line.startswith("- "):
            c.points.append(unescape(line[2:]))
        else:
            summary.append(line)
    c.summary = _paragraph_text(summary)
    if c.summary is None and "summary" in fields:
        c.summary = unescape(fields["summary"])
    return c


def _related(head: str, lines: list[str]) -> Related:
    fields, rest = _fields(lines, _RELATED_FIELDS)
    title = fields.pop("title", None)
    described = fields.pop("description", None)
    item = Related(title=unescape(head) or (None if title is None else unescape(title)))
    for name, raw in fields.items():
        key, value = name.replace(" ", "_"), unescape(raw)
        if key in _INT_FIELDS:
            if not (value.isascii() and value.isdigit()):
                raise ParseError(f"related {name} must be a whole number")
            setattr(item, key, int(value))
        else:
            setattr(item, key, value)
    item.description = _paragraph_text(rest)
    if item.description is None and described is not None:
        item.description = unescape(described)
    return item


def _block_kind(head: str, version: int) -> str:
    if head in _V1_BLOCKS:
        return _V1_BLOCKS[head]
    if head == "Related" or head.startswith("More from "):
        return "related"
    if version >= 2 and head in _V2_BLOCKS:
        return _V2_BLOCKS[head]
    return "section"


def _section(head: str, lines: list[str], version: int) -> Section:
    declared: int | None = None
    m = _COUNT.fullmatch(head)
    if m:
        head, declared = m.group(1), int(m.group(2))
    emoji, title = split_emoji(head)
    section = Section(emoji, unescape(title), declared)
    for sub, sub_lines in _headed(lines, 3):
        if sub is not None:
            section.insights.append(_insight(sub, sub_lines, version))
    return section


def parse_markdown(fm: dict[str, Any], body: str, source: Source) -> Summary:
    version = fm.get("podsum")
    if version not in (1, 2) or isinstance(version, bool):
        raise ParseError(f"unsupported podsum Markdown version {version!r}")
    s = Summary(
        title=_str(fm, "title") or "",
        layout=_str(fm, "layout") or "atmes",  # version 1 had one layout
        url=_str(fm, "url"),
        show=_str(fm, "show"),
        episode_number=_str(fm, "episode_number"),
        category=_str(fm, "category"),
        published=_str(fm, "published"),
        views=_int(fm, "views"),
        duration=_str(fm, "duration"),
        duration_seconds=_int(fm, "duration_seconds"),
        people=_people(fm),
        topics=_topics(fm),
        related_channel=_str(fm, "related_channel"),
        source=source,
    )
    # The "# Title" line is only for the eye: the title is in the front matter.
    lines = [ln for ln in body.split("\n") if not (ln == "#" or ln.startswith("# "))]
    for head, block in _headed(lines, 2):
        if head is None:
            continue
        kind = _block_kind(head, version)
        if kind == "section":
            s.sections.append(_section(head, block, version))
        elif kind == "chapters":
            s.chapters += [_chapter(h, ls) for h, ls in _headed(block, 3) if h is not None]
        elif kind == "related":
            s.related += [_related(h, ls) for h, ls in _headed(block, 3) if h is not None]
        else:
            # A block's heading is written only when the field is set, even to "".
            text = _paragraph_text(block) or ""
            if kind == "tldr":
                s.tldr = text
            elif kind == "overview":
                s.overview = text
            elif kind == "bottom":
                s.bottom_line = text
            else:
                s.transcript = text
    return enforce_limits(s)  # the same caps as a record read from JSON
