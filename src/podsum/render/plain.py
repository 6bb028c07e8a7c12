"""Plain text for an e-mail or a chat message: no markup at all."""

from __future__ import annotations

from ..model import Summary


def meta_parts(s: Summary) -> list[str]:
    """The header's facts as short phrases, shared by the text and card renderers."""
    parts = [s.category, s.published]
    if s.views is not None:
        parts.append(f"{s.views:,} views")
    parts.append(s.duration)
    return [p for p in parts if p]


def section_heading(emoji: str | None, title: str, declared: int | None, found: int) -> str:
    head = f"{emoji} {title}" if emoji else title
    n = declared if declared is not None else found
    return f"{head} · {n} insight{'' if n == 1 else 's'}"


def render_text(s: Summary) -> str:
    out: list[str] = [s.title]
    if s.show:
        out.append(s.show)
    meta = meta_parts(s)
    if meta:
        out.append(" · ".join(meta))
    if s.tldr:
        out += ["", "TL;DR", s.tldr]
    for sec in s.sections:
        out += [
            "",
            section_heading(sec.emoji, sec.title, sec.declared_insights, len(sec.insights)),
        ]
        for ins in sec.insights:
            out.append(f"- {ins.title}")
            if ins.text:
                out += ["  " + line if line else "" for line in ins.text.split("\n")]
    if s.bottom_line:
        out += ["", "Bottom line", s.bottom_line]
    if s.related:
        out += ["", f"More from {s.related_channel}" if s.related_channel else "Related"]
        for r in s.related:
            bits = [b for b in (r.duration, r.age) if b]
            label = r.title or ""
            if r.show:
                label += f" | {r.show}"
            out.append(f"- {label}" + (f" ({', '.join(bits)})" if bits else ""))
    return "\n".join(out) + "\n"
