"""The Markdown form: YAML front matter with the scalar fields, then the page as
headings and paragraphs. ``mdreader`` reads it back to the same record."""

from __future__ import annotations

from typing import Any

import yaml

from ..mdescape import entity_first, escape_block, escape_line
from ..model import Summary
from ..values import split_emoji

RESERVED = ("TL;DR", "Bottom line", "Related")
RELATED_FIELDS = ("show", "duration", "duration_seconds", "channel", "age", "points")


def front_matter(s: Summary, extra: dict[str, Any] | None = None) -> str:
    d = s.to_dict()
    fm: dict[str, Any] = {"podsum": d["schema_version"], "id": d["id"]}
    for key in (
        "title",
        "show",
        "category",
        "published",
        "views",
        "duration",
        "duration_seconds",
        "related_channel",
    ):
        fm[key] = d[key]
    if extra:
        fm.update(extra)
    # safe_dump quotes anything that would read back as another type ('2025-07-31',
    # '1:04:21', 'yes') and escapes what YAML would misread; width keeps lines whole.
    body = yaml.safe_dump(fm, allow_unicode=True, sort_keys=False, width=2**31 - 1)
    return f"---\n{body}---\n"


def heading_text(title: str, emoji: str | None = None) -> str:
    """A heading that reads back as exactly this emoji and title."""
    text = escape_line(" ".join(title.split("\n")))
    if emoji is None and text and split_emoji(title)[0] is not None:
        text = entity_first(text)  # a title that merely starts with a symbol
    elif text.startswith(RESERVED) or text.lower().startswith("more from "):
        text = entity_first(text)
    if text.endswith(")") and not text.endswith("\\)"):
        text = text[:-1] + "\\)"  # keep "(N insights)" ours alone
    return f"{emoji} {text}" if emoji else text


def render_markdown(s: Summary, extra_front: dict[str, Any] | None = None) -> str:
    out = [front_matter(s, extra_front), f"# {escape_line(s.title)}" if s.title else "#", ""]
    if s.tldr is not None:
        out += ["## TL;DR", "", escape_block(s.tldr), ""]
    for sec in s.sections:
        head = heading_text(sec.title, sec.emoji)
        if sec.declared_insights is not None:
            n = sec.declared_insights
            head += f" ({n} insight{'' if n == 1 else 's'})"
        out += [f"## {head}", ""]
        for ins in sec.insights:
            out += [f"### {heading_text(ins.title)}" if ins.title else "###", ""]
            if ins.text:
                out += [escape_block(ins.text), ""]
    if s.bottom_line is not None:
        out += ["## Bottom line", "", escape_block(s.bottom_line), ""]
    if s.related or s.related_channel is not None:
        label = f"More from {escape_line(s.related_channel)}" if s.related_channel else "Related"
        out += [f"## {label}", ""]
        for r in s.related:
            out += [f"### {heading_text(r.title)}" if r.title else "###", ""]
            for key in RELATED_FIELDS:
                value = getattr(r, key)
                if value is not None:
                    shown = escape_line(value) if isinstance(value, str) else str(value)
                    out.append(f"- {key.replace('_', ' ')}: {shown}")
            if any(getattr(r, k) is not None for k in RELATED_FIELDS):
                out.append("")
            if r.description:
                out += [escape_block(r.description), ""]
    return "\n".join(out).rstrip("\n") + "\n"
