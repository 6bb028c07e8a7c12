"""Read podsum's own Markdown (``show --format md``) back into a Summary."""

from __future__ import annotations

import re
from typing import Any

from .errors import ParseError
from .mdescape import unescape
from .model import Insight, Related, Section, Source, Summary
from .values import split_emoji

_COUNT = re.compile(r"(.*?) ?(?<!\\)\((\d{1,6}) insights?\)$")
_FIELD = re.compile(r"- (show|duration|duration seconds|channel|age|points): (.*)")
_INT_FIELDS = {"duration_seconds", "points"}


def split_front_matter(text: str) -> tuple[dict[str, Any], str] | None:
    """(front matter, body) when the text opens with a podsum front matter block."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
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


def _paragraph_text(lines: list[str]) -> str | None:
    paras: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paras[-1].append(unescape(line))
        elif paras[-1]:
            paras.append([])
    joined = ["\n".join(p) for p in paras if p]
    return "\n\n".join(joined) if joined else None


def parse_markdown(fm: dict[str, Any], body: str, source: Source) -> Summary:
    if fm.get("podsum") not in (1, 2):
        raise ParseError(f"unsupported podsum Markdown version {fm.get('podsum')!r}")
    s = Summary(
        title=_str(fm, "title") or "",
        show=_str(fm, "show"),
        category=_str(fm, "category"),
        published=_str(fm, "published"),
        views=_int(fm, "views"),
        duration=_str(fm, "duration"),
        duration_seconds=_int(fm, "duration_seconds"),
        related_channel=_str(fm, "related_channel"),
        source=source,
    )
    block: str | None = None  # "tldr" | "bottom" | "section" | "related"
    buf: list[str] = []
    section: Section | None = None
    item: Insight | Related | None = None

    def flush() -> None:
        nonlocal buf
        text = _paragraph_text(buf)
        buf = []
        if block == "tldr":
            s.tldr = text
        elif block == "bottom":
            s.bottom_line = text
        elif isinstance(item, Insight):
            item.text = text or ""
        elif isinstance(item, Related):
            item.description = text

    for line in body.split("\n"):
        if line.startswith("# ") or line == "#":
            continue  # the title, already in the front matter
        if line.startswith("## "):
            flush()
            raw = line[3:]
            item = None
            if raw == "TL;DR":
                block = "tldr"
            elif raw == "Bottom line":
                block = "bottom"
            elif raw == "Related" or raw.startswith("More from "):
                block = "related"
            else:
                block = "section"
                declared: int | None = None
                m = _COUNT.fullmatch(raw)
                if m:
                    raw, declared = m.group(1), int(m.group(2))
                emoji, title = split_emoji(raw)
                section = Section(emoji, unescape(title), declared)
                s.sections.append(section)
            continue
        if line.startswith("### ") or line == "###":
            flush()
            title = unescape(line[4:])
            if block == "section" and section is not None:
                item = Insight(title, "")
                section.insights.append(item)
            elif block == "related":
                item = Related(title=title or None)
                s.related.append(item)
            continue
        if block == "related" and isinstance(item, Related) and not any(b.strip() for b in buf):
            m = _FIELD.fullmatch(line)
            if m:
                key, value = m.group(1).replace(" ", "_"), unescape(m.group(2))
                if key in _INT_FIELDS:
                    if not value.isdigit():
                        raise ParseError(f"related {key} must be a whole number")
                    setattr(item, key, int(value))
                else:
                    setattr(item, key, value)
                continue
        buf.append(line)
    flush()
    return s
