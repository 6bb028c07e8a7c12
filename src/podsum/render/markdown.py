"""The Markdown form: YAML front matter with the scalar fields, people and topics, then
the page as headings and paragraphs. ``mdreader`` reads it back to the same record.

Layout of the body (version 2)::

    # Title
    ## TL;DR / ## Overview                      paragraphs
    ## 🧠 Section title (3 insights)
    ### Insight title                          (a bare ``###`` for a quote: no title)
    - speaker: Name                            field lines, only those that apply
    - at: 03:15, 08:50
    text paragraphs
    ## Chapters
    ### Chapter title
    - start: 00:00 / - end: 12:40              (- summary: alone: an empty summary)
    summary paragraphs, then the points as a bullet list
    ## Bottom line / ## More from X (related items) / ## Transcript

A related item has field lines like a chapter's (``- title:`` and ``- description:``
alone mark empty ones), then its description.

Page text is escaped (``mdescape``) so no line of it can pass for a heading, a field
line or a bullet, and no newline of a text is lost; the structure above is podsum's
alone.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..mdescape import entity_first, escape_block, escape_inline, escape_line, keep_edges
from ..model import Chapter, Insight, Summary
from ..values import parse_timestamp, split_emoji

MARKDOWN_VERSION = 2
# Block headings of podsum's own; a section title that starts with one is written with
# its first character as a character reference.
RESERVED = ("TL;DR", "Overview", "Chapters", "Bottom line", "Related", "Transcript")
RELATED_FIELDS = ("show", "duration", "duration_seconds", "channel", "age", "points")
# A chapter point that would read as one of the chapter's field lines.
_POINT_LIKE_FIELD = re.compile(r"(start|end|start seconds|end seconds):(?= |$)")
_SCALARS = (
    "layout",
    "url",
    "title",
    "show",
    "episode_number",
    "category",
    "published",
    "views",
    "duration",
    "duration_seconds",
    "related_channel",
)


def front_matter(s: Summary, extra: dict[str, Any] | None = None) -> str:
    d = s.to_dict()
    fm: dict[str, Any] = {"podsum": MARKDOWN_VERSION, "id": d["id"]}
    for key in _SCALARS:
        fm[key] = d[key]
    # Lists Obsidian shows as properties (and Dataview can query); a person's empty
    # role or description is left out rather than written as null.
    fm["people"] = [{k: v for k, v in p.items() if v is not None} for p in d["people"]]
    fm["topics"] = d["topics"]
    if extra:
        fm.update(extra)
    # safe_dump quotes anything that would read back as another type ('2025-07-31',
    # '1:04:21', 'yes') and escapes what YAML would misread; width keeps lines whole.
    body = yaml.safe_dump(fm, allow_unicode=True, sort_keys=False, width=2**31 - 1)
    return f"---\n{body}---\n"


def item_heading(title: str) -> str:
    """A ``###`` heading (insight, chapter, related item) that reads back as this title."""
    return escape_line(" ".join(title.split("\n")))


def heading_text(title: str, emoji: str | None = None) -> str:
    """A ``##`` section heading that reads back as exactly this emoji and title, never
    as one of podsum's own blocks."""
    text = item_heading(title)
    if emoji is None and text and split_emoji(title)[0] is not None:
        text = entity_first(text)  # a title that merely starts with a symbol
    elif emoji is None and (text.startswith(RESERVED) or text.lower().startswith("more from ")):
        text = entity_first(text)
    if text.endswith(")") and not text.endswith("\\)"):
        text = text[:-1] + "\\)"  # keep "(N insights)" ours alone
    return f"{emoji} {text}" if emoji else text


def field_value(value: str) -> str:
    """One-line text after ``- key: ``, blanks at its ends kept."""
    return keep_edges(escape_inline(" ".join(value.split("\n"))))


def list_item(value: str) -> str:
    """One item of a comma-separated field value: its commas escaped."""
    return field_value(value).replace(",", "\\,")


def _field(key: str, value: str) -> str:
    return f"- {key}:" + (f" {value}" if value else "")


def _seconds(values: list[int | None]) -> str:
    return ", ".join("null" if v is None else str(v) for v in values)


def _insight(ins: Insight) -> list[str]:
    out = [f"### {item_heading(ins.title)}" if ins.title else "###"]
    fields: list[str] = []
    if ins.title == "":
        fields.append(_field("title", ""))  # a bare heading means no title at all
    if ins.speaker is not None:
        fields.append(_field("speaker", field_value(ins.speaker)))
    if ins.timestamps:
        fields.append(_field("at", ", ".join(list_item(t.at) for t in ins.timestamps)))
        seconds = [t.seconds for t in ins.timestamps]
        if seconds != [parse_timestamp(t.at) for t in ins.timestamps]:
            fields.append(_field("seconds", _seconds(seconds)))
    out.append("")
    if fields:
        out += [*fields, ""]
    if ins.text:
        out += [escape_block(ins.text), ""]
    return out


def _time_fields(c: Chapter) -> list[str]:
    fields: list[str] = []
    if c.start is not None:
        fields.append(_field("start", field_value(c.start)))
    if c.end is not None:
        fields.append(_field("end", field_value(c.end)))
    # Seconds are written only where the time as written does not give them.
    for key, at, seconds in (
        ("start seconds", c.start, c.start_seconds),
        ("end seconds", c.end, c.end_seconds),
    ):
        if seconds != (None if at is None else parse_timestamp(at)):
            fields.append(_field(key, _seconds([seconds])))
    return fields


def _chapter(c: Chapter) -> list[str]:
    out = [f"### {item_heading(c.title)}" if c.title else "###", ""]
    fields = _time_fields(c)
    if c.summary == "":
        fields.append(_field("summary", ""))  # no paragraphs would read as no summary
    if fields:
        out += [*fields, ""]
    if c.summary:
        out += [escape_block(c.summary), ""]
    if c.points:
        for point in c.points:
            item = escape_line(" ".join(point.split("\n")))
            if _POINT_LIKE_FIELD.match(item):
                item = item.replace(":", "\\:", 1)
            out.append(f"- {item}" if item else "-")
        out.append("")
    return out


def _text_block(heading: str, text: str | None) -> list[str]:
    if text is None:
        return []
    return [f"## {heading}", "", *([escape_block(text), ""] if text else [])]


def render_markdown(s: Summary, extra_front: dict[str, Any] | None = None) -> str:
    out = [front_matter(s, extra_front), f"# {escape_line(s.title)}" if s.title else "#", ""]
    out += _text_block("TL;DR", s.tldr)
    out += _text_block("Overview", s.overview)
    for sec in s.sections:
        head = heading_text(sec.title, sec.emoji)
        if sec.declared_insights is not None:
            n = sec.declared_insights
            head += f" ({n} insight{'' if n == 1 else 's'})"
        out += [f"## {head}", ""]
        for ins in sec.insights:
            out += _insight(ins)
    if s.chapters:
        out += ["## Chapters", ""]
        for c in s.chapters:
            out += _chapter(c)
    out += _text_block("Bottom line", s.bottom_line)
    if s.related or s.related_channel is not None:
        label = f"More from {escape_line(s.related_channel)}" if s.related_channel else "Related"
        out += [f"## {label}", ""]
        for r in s.related:
            out += [f"### {item_heading(r.title)}" if r.title else "###", ""]
            fields = [_field("title", "")] if r.title == "" else []  # "###" alone: None
            for key in RELATED_FIELDS:
                value = getattr(r, key)
                if value is not None:
                    shown = field_value(value) if isinstance(value, str) else str(value)
                    fields.append(_field(key.replace("_", " "), shown))
            if r.description == "":
                fields.append(_field("description", ""))
            if fields:
                out += [*fields, ""]
            if r.description:
                out += [escape_block(r.description), ""]
    out += _text_block("Transcript", s.transcript)
    return "\n".join(out).rstrip("\n") + "\n"
