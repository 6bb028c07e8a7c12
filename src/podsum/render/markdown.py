"""The Markdown form: YAML front matter, then the page as headings and paragraphs.
``mdreader`` reads it back to the same record.

The front matter holds podsum's marker (``podsum: 2``) and the id, the title, the keys
notes apps read (``aliases``: the title and the id; ``date``: the published date;
``tags``: show, topics and layout, by Obsidian's rules), then every record field but the
body's that is set: null fields and empty lists are left out.

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

import datetime
import re
from collections.abc import Iterator
from typing import Any

import yaml

from ..mdescape import entity_first, escape_block, escape_inline, escape_line, keep_edges
from ..model import Chapter, Insight, Summary
from ..names import tag
from ..values import parse_timestamp, split_emoji, split_title

MARKDOWN_VERSION = 2
# Block headings of podsum's own; a section title that starts with one is written with
# its first character as a character reference.
RESERVED = ("TL;DR", "Overview", "Chapters", "Bottom line", "Related", "Transcript")
RELATED_FIELDS = ("show", "duration", "duration_seconds", "channel", "age", "points")
# A chapter point that would read as one of the chapter's field lines.
_POINT_LIKE_FIELD = re.compile(r"(start|end|start seconds|end seconds):(?= |$)")
# The record's fields in the front matter, after podsum's own keys and the ones notes
# apps read (aliases, date, tags). A field that is null or an empty list is left out:
# an absent key reads back as null (or empty).
_FIELDS = (
    "show",
    "people",
    "topics",
    "url",
    "layout",
    "episode_number",
    "category",
    "published",
    "views",
    "duration",
    "duration_seconds",
    "related_channel",
)
# Characters that break an Obsidian link to a note name or alias.
_LINK_BREAKERS = re.compile(r"[\[\]|#^]+")
# libyaml's dumper escapes these (characters beyond the Basic Multilingual Plane, emoji
# included, and the Unicode line breaks) where PyYAML's own writes them as they are, so
# front matter holding one goes through the pure dumper: the same text either way.
_PURE_DUMPER_ONLY = re.compile("[\x85\u2028\u2029\ud800-\udfff\U00010000-\U0010ffff]")
_C_DUMPER: Any = getattr(yaml, "CSafeDumper", None)  # None without libyaml


def _aliases(title: str, summary_id: str) -> list[str]:
    """Names a link can use: the title as one line without link syntax, and the id
    ``podsum list`` shows."""
    name = " ".join(_LINK_BREAKERS.sub(" ", title).split())
    return [name, summary_id] if name else [summary_id]


def _date(published: str | None) -> datetime.date | None:
    """``published`` as a YAML date (unquoted), which notes apps show as a date."""
    try:
        return None if published is None else datetime.date.fromisoformat(published)
    except ValueError:
        return None


def tags(s: Summary) -> list[str]:
    """Obsidian tags: ``show/…`` for the show, the topics, ``podsum/<layout>``. Derived
    on every write and never read back: the record's fields are the truth."""
    found: list[str] = []
    if s.show:
        show = tag(split_title(s.show)[0])
        if show:
            found.append(f"show/{show}")
    for topic in s.topics:
        t = tag(topic)
        if t and t not in found:
            found.append(t)
    layout = tag(s.layout)
    if layout:
        found.append(f"podsum/{layout}")
    return found


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)


def yaml_dumper(fm: dict[str, Any]) -> Any:
    """libyaml's safe dumper (several times faster) wherever it writes exactly what
    PyYAML's pure one writes, that one otherwise."""
    if _C_DUMPER is not None and not any(_PURE_DUMPER_ONLY.search(t) for t in _texts(fm)):
        return _C_DUMPER
    return yaml.SafeDumper


def dump_yaml(fm: dict[str, Any]) -> str:
    """YAML for front matter. Safe dumpers quote anything that would read back as another
    type ('2025-07-31', '1:04:21', 'yes') and escape what YAML would misread; the width
    keeps lines whole."""
    return yaml.dump(
        fm, Dumper=yaml_dumper(fm), allow_unicode=True, sort_keys=False, width=2**31 - 1
    )


def front_matter(s: Summary, extra: dict[str, Any] | None = None) -> str:
    """podsum's keys (``podsum``, ``id``), the title, what notes apps read (``aliases``,
    ``date``, ``tags``), then the record's set fields."""
    d = s.to_dict()
    fm: dict[str, Any] = {"podsum": MARKDOWN_VERSION, "id": d["id"], "title": d["title"]}
    fm["aliases"] = _aliases(s.title, d["id"])
    date = _date(s.published)
    if date is not None:
        fm["date"] = date
    found = tags(s)
    if found:
        fm["tags"] = found
    for key in _FIELDS:
        value = d[key]
        if key == "people":
            # Lists Obsidian shows as properties (and Dataview can query); a person's
            # empty role or description is left out rather than written as null.
            value = [{k: v for k, v in p.items() if v is not None} for p in value]
        if value is not None and value != []:
            fm[key] = value
    if extra:
        fm.update(extra)
    return f"---\n{dump_yaml(fm)}---\n"


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
