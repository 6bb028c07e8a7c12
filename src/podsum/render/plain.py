"""Plain text for an e-mail or a chat message: no markup at all."""

from __future__ import annotations

from ..model import Chapter, Insight, Person, Summary

_ROLE_LABELS = (("host", "Host", "Hosts"), ("guest", "Guest", "Guests"), (None, "With", "With"))


def meta_parts(s: Summary) -> list[str]:
    """The header's facts as short phrases, shared by the text and card renderers."""
    parts = [f"Episode {s.episode_number}" if s.episode_number else None]
    parts += [s.category, s.published]
    if s.views is not None:
        parts.append(f"{s.views:,} views")
    parts.append(s.duration)
    return [p for p in parts if p]


_SHORT_ABOUT = 60  # a longer description (a guest's bio) gets a block of its own


def _person(p: Person) -> str:
    return f"{p.name} ({p.about})" if p.about and len(p.about) <= _SHORT_ABOUT else p.name


def bios(people: list[Person]) -> list[Person]:
    """The people whose description is too long for the header line."""
    return [p for p in people if p.about and len(p.about) > _SHORT_ABOUT]


def people_groups(people: list[Person]) -> list[str]:
    """``Host: A``, ``Guests: B (about B), C``: hosts, then guests, then the others."""
    groups = []
    for role, one, many in _ROLE_LABELS:
        names = [_person(p) for p in people if p.role == role]
        if names:
            groups.append(f"{one if len(names) == 1 else many}: {', '.join(names)}")
    return groups


def people_line(people: list[Person]) -> str | None:
    return " · ".join(people_groups(people)) or None


def topics_line(topics: list[str]) -> str | None:
    return f"Topics: {', '.join(topics)}" if topics else None


def section_heading(emoji: str | None, title: str, declared: int | None, found: int) -> str:
    head = f"{emoji} {title}" if emoji else title
    n = declared if declared is not None else found
    return f"{head} · {n} insight{'' if n == 1 else 's'}"


def stamps_text(ins: Insight) -> str | None:
    """``[03:15, 08:50]``: where in the episode an insight is said."""
    return f"[{', '.join(t.at for t in ins.timestamps)}]" if ins.timestamps else None


def byline(ins: Insight, *, with_stamps: bool = True) -> str | None:
    """``— Speaker [03:15]``, or whichever part the insight has."""
    parts = [f"— {ins.speaker}" if ins.speaker else None]
    if with_stamps:
        parts.append(stamps_text(ins))
    return " ".join(p for p in parts if p) or None


def chapter_times(c: Chapter) -> str | None:
    """``00:00–12:40``, ``00:00`` or ``–12:40``; None when the chapter has no times."""
    if c.start and c.end:
        return f"{c.start}–{c.end}"
    if c.end:
        return f"–{c.end}"
    return c.start or None


def _indented(text: str) -> list[str]:
    return ["  " + line if line else "" for line in text.split("\n")]


def _insight(ins: Insight) -> list[str]:
    if ins.title:
        # A labelled insight: its times beside the label, the speaker after the text.
        stamps = stamps_text(ins)
        out = [f"- {ins.title}" + (f" {stamps}" if stamps else "")]
        out += _indented(ins.text) if ins.text else []
        by = byline(ins, with_stamps=False)
    else:
        # A quote: the words first, who said them and when underneath.
        first, _, rest = ins.text.partition("\n")
        out = [f"- {first}".rstrip()] + (_indented(rest) if rest else [])
        by = byline(ins)
    if by:
        out.append("  " + by)
    return out


def _chapter(c: Chapter) -> list[str]:
    times = chapter_times(c)
    out = [f"{times} {c.title}" if times else c.title]
    if c.summary:
        out += _indented(c.summary)
    out += [f"  - {p}" for p in c.points]
    return out


def render_text(s: Summary) -> str:
    out: list[str] = [s.title]
    if s.show:
        out.append(s.show)
    meta = meta_parts(s)
    if meta:
        out.append(" · ".join(meta))
    out += [line for line in (people_line(s.people), topics_line(s.topics), s.url) if line]
    if s.tldr:
        out += ["", "TL;DR", s.tldr]
    if s.overview:
        out += ["", "Overview", s.overview]
    if bios(s.people):
        out += ["", "People"]
        for p in bios(s.people):
            out += [f"- {p.name}", *_indented(p.about or "")]
    for sec in s.sections:
        out += [
            "",
            section_heading(sec.emoji, sec.title, sec.declared_insights, len(sec.insights)),
        ]
        for ins in sec.insights:
            out += _insight(ins)
    if s.chapters:
        out += ["", "Chapters"]
        spaced = any(c.summary or c.points for c in s.chapters)
        for n, c in enumerate(s.chapters):
            out += [""] * (spaced and n > 0) + _chapter(c)
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
    if s.transcript:
        out += ["", "Transcript", s.transcript]
    return "\n".join(out) + "\n"
