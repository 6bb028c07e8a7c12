"""How much one record may hold.

A summary page has a few sections of a few insights each; these caps are far above
any real page. They are there so that a runaway or hostile input (a file of one
"insight" per line, a JSON record with a million chapters, a TL;DR with no end) still
makes a record that every renderer, the library and a terminal handle in seconds.
Every renderer takes time linear in the record, and a record is no larger than its
source (itself held to ``--max-bytes``); the caps bound the parts that cost the most
for their size: panels, rows and lines of cards.

====================  ===================================================================
``MAX_TEXT``          1,000,000 characters in any one text field: title, TL;DR, overview,
                      bottom line, transcript, an insight's text, a chapter's summary or
                      point, a person's description, one extra line, a warning's message
``MAX_SECTIONS``      1,000 sections (cards draw a panel for each)
``MAX_INSIGHTS``      10,000 insights in one section
``MAX_ALL_INSIGHTS``  20,000 insights in all the sections together
``MAX_TIMESTAMPS``    1,000 timestamps on one insight
``MAX_CHAPTERS``      10,000 chapters
``MAX_POINTS``        1,000 points in one chapter
``MAX_ALL_POINTS``    20,000 points in all the chapters together
``MAX_PEOPLE``        1,000 people
``MAX_TOPICS``        1,000 topics
``MAX_RELATED``       1,000 related episodes
``MAX_EXTRA_LINES``   100,000 extra lines
``MAX_WARNINGS``      1,000 warnings, the last of them the one that says what was cut
====================  ===================================================================

``parse_all`` holds every record to them, whatever it was read from (page, HTML,
Markdown, JSON), with ``cap_record``. What is over a cap is cut, not refused: the
record keeps everything up to the cap, in order, and one ``record-truncated`` warning
says what was left out (``--strict`` counts it as a failure). A refusal would lose a
whole page, every ordinary section of it, for one runaway part; and the source itself
is never changed, so what is cut is still in the user's file. A text field is cut
between words when a space falls within its last 1,000 characters. Capping a capped
record changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from .model import Chapter, Insight, ParseWarning, Person, Related, Section, Summary

MAX_TEXT = 1_000_000
MAX_SECTIONS = 1_000
MAX_INSIGHTS = 10_000
MAX_ALL_INSIGHTS = 20_000
MAX_TIMESTAMPS = 1_000
MAX_CHAPTERS = 10_000
MAX_POINTS = 1_000
MAX_ALL_POINTS = 20_000
MAX_PEOPLE = 1_000
MAX_TOPICS = 1_000
MAX_RELATED = 1_000
MAX_EXTRA_LINES = 100_000
MAX_WARNINGS = 1_000

CODE = "record-truncated"
_WORD_BREAK = 1_000  # how far back from the cap a text field may be cut at a space

T = TypeVar("T")


@dataclass
class _Cuts:
    """What capping one record left out: per list, how many lists were cut and how many
    items they lost; the names of the text fields that were cut."""

    lists: dict[str, list[int]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)

    def items(self, items: list[T], cap: int, label: str) -> list[T]:
        if len(items) <= cap:
            return items
        entry = self.lists.setdefault(label, [0, 0])
        entry[0] += 1
        entry[1] += len(items) - cap
        return items[:cap]

    def text(self, value: str, name: str) -> str:
        if len(value) <= MAX_TEXT:
            return value
        self.texts.append(name)
        cut = value[:MAX_TEXT]
        space = cut.rfind(" ", MAX_TEXT - _WORD_BREAK)
        return (cut[:space] if space > 0 else cut).rstrip()

    def opt(self, value: str | None, name: str) -> str | None:
        return None if value is None else self.text(value, name)

    def message(self) -> str:
        parts = []
        for label, (lists, dropped) in self.lists.items():
            cap = _LIMITS[label]
            where = _PER.get(label)
            if where:
                parts.append(
                    f"{label}: at most {cap:,} {where}, {dropped:,} left out "
                    f"({lists:,} {'was' if lists == 1 else 'were'} longer)"
                )
            else:
                parts.append(f"{label}: kept the first {cap:,}, {dropped:,} left out")
        if self.texts:
            named = ", ".join(self.texts[:3]) + (", ..." if len(self.texts) > 3 else "")
            parts.append(
                f"{len(self.texts):,} text field{'s' if len(self.texts) != 1 else ''} "
                f"cut to {MAX_TEXT:,} characters ({named})"
            )
        return "record too large: " + "; ".join(parts)


_LIMITS = {
    "sections": MAX_SECTIONS,
    "insights": MAX_INSIGHTS,
    "insights in all": MAX_ALL_INSIGHTS,
    "timestamps": MAX_TIMESTAMPS,
    "chapters": MAX_CHAPTERS,
    "points": MAX_POINTS,
    "points in all": MAX_ALL_POINTS,
    "people": MAX_PEOPLE,
    "topics": MAX_TOPICS,
    "related": MAX_RELATED,
    "extra lines": MAX_EXTRA_LINES,
    "warnings": MAX_WARNINGS - 1,
}
_PER = {"insights": "a section", "timestamps": "an insight", "points": "a chapter"}


def _insight(ins: Insight, where: str, cuts: _Cuts) -> None:
    ins.title = cuts.opt(ins.title, f"{where}.title")
    ins.text = cuts.text(ins.text, f"{where}.text")
    ins.speaker = cuts.opt(ins.speaker, f"{where}.speaker")
    ins.timestamps = cuts.items(ins.timestamps, MAX_TIMESTAMPS, "timestamps")
    for t in ins.timestamps:
        t.at = cuts.text(t.at, f"{where}.timestamps.at")


def _sections(sections: list[Section], cuts: _Cuts) -> list[Section]:
    sections = cuts.items(sections, MAX_SECTIONS, "sections")
    room = MAX_ALL_INSIGHTS
    for i, sec in enumerate(sections):
        sec.emoji = cuts.opt(sec.emoji, f"sections[{i}].emoji")
        sec.title = cuts.text(sec.title, f"sections[{i}].title")
        sec.insights = cuts.items(sec.insights, MAX_INSIGHTS, "insights")
        sec.insights = cuts.items(sec.insights, room, "insights in all")
        room -= len(sec.insights)
        for j, ins in enumerate(sec.insights):
            _insight(ins, f"sections[{i}].insights[{j}]", cuts)
    return sections


def _chapters(chapters: list[Chapter], cuts: _Cuts) -> list[Chapter]:
    chapters = cuts.items(chapters, MAX_CHAPTERS, "chapters")
    room = MAX_ALL_POINTS
    for i, c in enumerate(chapters):
        where = f"chapters[{i}]"
        c.title = cuts.text(c.title, f"{where}.title")
        c.start = cuts.opt(c.start, f"{where}.start")
        c.end = cuts.opt(c.end, f"{where}.end")
        c.summary = cuts.opt(c.summary, f"{where}.summary")
        points = cuts.items(c.points, MAX_POINTS, "points")
        points = cuts.items(points, room, "points in all")
        room -= len(points)
        c.points = [cuts.text(p, f"{where}.points[{k}]") for k, p in enumerate(points)]
    return chapters


def _person(p: Person, where: str, cuts: _Cuts) -> None:
    p.name = cuts.text(p.name, f"{where}.name")
    p.role = cuts.opt(p.role, f"{where}.role")
    p.about = cuts.opt(p.about, f"{where}.about")


def _related(r: Related, where: str, cuts: _Cuts) -> None:
    for name in ("title", "show", "duration", "channel", "description", "age"):
        setattr(r, name, cuts.opt(getattr(r, name), f"{where}.{name}"))


_SCALARS = (
    "title",
    "layout",
    "url",
    "show",
    "episode_number",
    "category",
    "published",
    "duration",
    "tldr",
    "overview",
    "bottom_line",
    "related_channel",
    "transcript",
)


def _counts_fit(s: Summary) -> bool:
    """Every list of ``s`` within its cap: a few ``len`` calls, no walk of the text."""
    return (
        len(s.sections) <= MAX_SECTIONS
        and len(s.chapters) <= MAX_CHAPTERS
        and len(s.people) <= MAX_PEOPLE
        and len(s.topics) <= MAX_TOPICS
        and len(s.related) <= MAX_RELATED
        and len(s.extra_lines) <= MAX_EXTRA_LINES
        and len(s.warnings) < MAX_WARNINGS
        and sum(len(sec.insights) for sec in s.sections) <= MAX_ALL_INSIGHTS
        and all(len(sec.insights) <= MAX_INSIGHTS for sec in s.sections)
        and all(len(i.timestamps) <= MAX_TIMESTAMPS for sec in s.sections for i in sec.insights)
        and sum(len(c.points) for c in s.chapters) <= MAX_ALL_POINTS
        and all(len(c.points) <= MAX_POINTS for c in s.chapters)
    )


def cap_record(summary: Summary, *, texts_fit: bool = False) -> Summary:
    """Hold ``summary`` to the caps (in place; returned for convenience).

    ``texts_fit``: the caller knows no text field can be over ``MAX_TEXT`` (the input it
    came from is no longer than that), so only the lists need checking.
    """
    if texts_fit and _counts_fit(summary):
        return summary
    cuts = _Cuts()
    for name in _SCALARS:
        setattr(summary, name, cuts.opt(getattr(summary, name), name))
    summary.sections = _sections(summary.sections, cuts)
    summary.chapters = _chapters(summary.chapters, cuts)
    summary.people = cuts.items(summary.people, MAX_PEOPLE, "people")
    for i, p in enumerate(summary.people):
        _person(p, f"people[{i}]", cuts)
    summary.topics = [
        cuts.text(t, f"topics[{i}]")
        for i, t in enumerate(cuts.items(summary.topics, MAX_TOPICS, "topics"))
    ]
    summary.related = cuts.items(summary.related, MAX_RELATED, "related")
    for i, r in enumerate(summary.related):
        _related(r, f"related[{i}]", cuts)
    summary.extra_lines = [
        cuts.text(t, f"extra_lines[{i}]")
        for i, t in enumerate(cuts.items(summary.extra_lines, MAX_EXTRA_LINES, "extra lines"))
    ]
    src = summary.source
    src.location = cuts.opt(src.location, "source.location")
    for w in summary.warnings:
        w.code = cuts.text(w.code, "warnings.code")
        w.message = cuts.text(w.message, "warnings.message")
    # The warning that says what was cut is one of the MAX_WARNINGS, so a capped record
    # is not over the cap again.
    if cuts.lists or cuts.texts or len(summary.warnings) > MAX_WARNINGS:
        keep = MAX_WARNINGS - 1
        if len(summary.warnings) > keep:
            cuts.lists["warnings"] = [1, len(summary.warnings) - keep]
            summary.warnings = summary.warnings[:keep]
        summary.warnings.append(ParseWarning(CODE, cuts.message()))
    return summary
