"""The record of SPEC section 2 as dataclasses, and its stable id.

The dataclasses are the one place that knows the record's shape: parsers build them,
renderers read them, and ``to_dict``/``from_dict`` are the JSON boundary.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from .errors import ParseError

SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)  # schema 2 only adds optional fields to schema 1

# Fields that describe how a page was obtained (or which reader read it) rather than
# what it says; the id ignores them so the same page has the same id from text, HTML,
# Markdown or JSON.
_NOT_HASHED = ("id", "source", "warnings", "extra_lines", "layout", "url")
# Schema-2 fields: they count towards the id only when non-empty, so every page schema 1
# could read keeps the id schema 1 gave it.
_NEW_FIELDS = ("episode_number", "people", "topics", "overview", "chapters", "transcript")
_NEW_INSIGHT_FIELDS = ("speaker", "timestamps")
# Text fields that may hold paragraphs (joined by a blank line); every other text field
# is one line.
MULTILINE_FIELDS = frozenset(
    ("tldr", "overview", "bottom_line", "transcript", "text", "summary", "description", "about")
)


@dataclass(slots=True)
class Timestamp:
    """A moment in the episode, as written (``03:15``) and in seconds."""

    at: str
    seconds: int | None


@dataclass(slots=True)
class Insight:
    title: str | None
    text: str
    speaker: str | None = None
    timestamps: list[Timestamp] = field(default_factory=list)


@dataclass(slots=True)
class Section:
    emoji: str | None
    title: str
    declared_insights: int | None
    insights: list[Insight] = field(default_factory=list)


@dataclass(slots=True)
class Person:
    name: str
    role: str | None = None  # "host" | "guest" | None
    about: str | None = None


@dataclass(slots=True)
class Chapter:
    title: str
    start: str | None = None
    start_seconds: int | None = None
    end: str | None = None
    end_seconds: int | None = None
    summary: str | None = None
    points: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Related:
    title: str | None = None
    show: str | None = None
    duration: str | None = None
    duration_seconds: int | None = None
    channel: str | None = None
    description: str | None = None
    age: str | None = None
    points: int | None = None


@dataclass(slots=True)
class ParseWarning:
    """A `warnings` entry: something odd about the page that did not stop the parse."""

    code: str
    message: str
    line: int | None = None


@dataclass(slots=True)
class Source:
    kind: str
    location: str | None
    sha256: str
    encoding: str


@dataclass(slots=True)
class Summary:
    title: str
    source: Source
    layout: str = "atmes"
    url: str | None = None
    show: str | None = None
    episode_number: str | None = None
    category: str | None = None
    published: str | None = None
    views: int | None = None
    duration: str | None = None
    duration_seconds: int | None = None
    people: list[Person] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    tldr: str | None = None
    overview: str | None = None
    sections: list[Section] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    bottom_line: str | None = None
    related_channel: str | None = None
    related: list[Related] = field(default_factory=list)
    transcript: str | None = None
    extra_lines: list[str] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    @property
    def id(self) -> str:
        return record_id(self.to_dict(with_id=False))

    def warn(self, code: str, message: str, line: int | None = None) -> None:
        self.warnings.append(ParseWarning(code, message, line))

    def to_dict(self, *, with_id: bool = True) -> dict[str, Any]:
        """The record in SPEC field order (json.dumps keeps it)."""
        d: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        if with_id:
            d["id"] = ""
        d.update(
            layout=self.layout,
            url=self.url,
            title=self.title,
            show=self.show,
            episode_number=self.episode_number,
            category=self.category,
            published=self.published,
            views=self.views,
            duration=self.duration,
            duration_seconds=self.duration_seconds,
            people=[{"name": p.name, "role": p.role, "about": p.about} for p in self.people],
            topics=list(self.topics),
            tldr=self.tldr,
            overview=self.overview,
            sections=[
                {
                    "emoji": s.emoji,
                    "title": s.title,
                    "declared_insights": s.declared_insights,
                    "insights": [
                        {
                            "title": i.title,
                            "text": i.text,
                            "speaker": i.speaker,
                            "timestamps": [
                                {"at": t.at, "seconds": t.seconds} for t in i.timestamps
                            ],
                        }
                        for i in s.insights
                    ],
                }
                for s in self.sections
            ],
            chapters=[
                {
                    "title": c.title,
                    "start": c.start,
                    "start_seconds": c.start_seconds,
                    "end": c.end,
                    "end_seconds": c.end_seconds,
                    "summary": c.summary,
                    "points": list(c.points),
                }
                for c in self.chapters
            ],
            bottom_line=self.bottom_line,
            related_channel=self.related_channel,
            related=[
                {
                    "title": r.title,
                    "show": r.show,
                    "duration": r.duration,
                    "duration_seconds": r.duration_seconds,
                    "channel": r.channel,
                    "description": r.description,
                    "age": r.age,
                    "points": r.points,
                }
                for r in self.related
            ],
            transcript=self.transcript,
            extra_lines=list(self.extra_lines),
            warnings=[
                {"code": w.code, "message": w.message, "line": w.line} for w in self.warnings
            ],
            source={
                "kind": self.source.kind,
                "location": self.source.location,
                "sha256": self.source.sha256,
                "encoding": self.source.encoding,
            },
        )
        if with_id:
            d["id"] = record_id(d)
        return d


def _hashed_view(record: dict[str, Any]) -> dict[str, Any]:
    """The part of a record the id covers, shaped as schema 1 hashed it."""
    content = {
        k: v
        for k, v in record.items()
        if k not in _NOT_HASHED and not (k in _NEW_FIELDS and v in (None, []))
    }
    content["schema_version"] = 1
    sections = content.get("sections")
    if sections:
        content["sections"] = [
            {
                **sec,
                "insights": [
                    {k: v for k, v in ins.items() if not (k in _NEW_INSIGHT_FIELDS and not v)}
                    for ins in sec.get("insights", [])
                ],
            }
            for sec in sections
        ]
    return content


def record_id(record: dict[str, Any]) -> str:
    """First 16 hex digits of SHA-256 over the canonical JSON of the page's content."""
    canonical = json.dumps(
        _hashed_view(record), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


# --- reading a record back from JSON -------------------------------------------------
# Hand-written checks rather than jsonschema: this runs on every `show` of piped JSON,
# and jsonschema costs more to import than the whole parse.


def _opt_str(d: dict[str, Any], key: str, where: str) -> str | None:
    v = d.get(key)
    if v is None or isinstance(v, str):
        return v
    raise ParseError(f"{where}{key} must be a string or null")


def _opt_int(d: dict[str, Any], key: str, where: str) -> int | None:
    v = d.get(key)
    if v is None or (isinstance(v, int) and not isinstance(v, bool)):
        return v
    raise ParseError(f"{where}{key} must be an integer or null")


def _list_of_dicts(d: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    v = d.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
        raise ParseError(f"{where}{key} must be a list of objects")
    return v


def looks_like_record(obj: object) -> bool:
    return isinstance(obj, dict) and "schema_version" in obj and "title" in obj


def _str_list(d: dict[str, Any], key: str, where: str) -> list[str]:
    v = d.get(key, [])
    if v is None:
        return []
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise ParseError(f"{where}{key} must be a list of strings")
    return list(v)


def _insight(ins: dict[str, Any], where: str) -> Insight:
    title, text = ins.get("title"), ins.get("text")
    if not (title is None or isinstance(title, str)) or not isinstance(text, str):
        raise ParseError(f"{where} needs a string text and a string or null title")
    stamps = [
        Timestamp(_req_str(t, "at", f"{where}.timestamps."), _opt_int(t, "seconds", where))
        for t in _list_of_dicts(ins, "timestamps", where + ".")
    ]
    return Insight(title, text, _opt_str(ins, "speaker", where + "."), stamps)


def _req_str(d: dict[str, Any], key: str, where: str) -> str:
    v = d.get(key)
    if not isinstance(v, str):
        raise ParseError(f"{where}{key} must be a string")
    return v


def summary_from_dict(d: Any) -> Summary:
    """Rebuild a Summary from a podsum JSON record; raises ParseError on a wrong shape."""
    if not looks_like_record(d):
        raise ParseError("JSON is not a podsum record (no schema_version and title)")
    if d["schema_version"] not in READABLE_VERSIONS or isinstance(d["schema_version"], bool):
        raise ParseError(f"unsupported schema_version {d['schema_version']!r}")
    title = _req_str(d, "title", "")
    src = d.get("source")
    if src is None:
        src = {}
    if not isinstance(src, dict):
        raise ParseError("source must be an object")
    sections = []
    for i, s in enumerate(_list_of_dicts(d, "sections", "")):
        where = f"sections[{i}]."
        insights = [
            _insight(ins, f"{where}insights[{j}]")
            for j, ins in enumerate(_list_of_dicts(s, "insights", where))
        ]
        sections.append(
            Section(
                _opt_str(s, "emoji", where),
                _req_str(s, "title", where),
                _opt_int(s, "declared_insights", where),
                insights,
            )
        )
    chapters = []
    for i, c in enumerate(_list_of_dicts(d, "chapters", "")):
        where = f"chapters[{i}]."
        chapters.append(
            Chapter(
                title=_req_str(c, "title", where),
                start=_opt_str(c, "start", where),
                start_seconds=_opt_int(c, "start_seconds", where),
                end=_opt_str(c, "end", where),
                end_seconds=_opt_int(c, "end_seconds", where),
                summary=_opt_str(c, "summary", where),
                points=_str_list(c, "points", where),
            )
        )
    people = []
    for i, p in enumerate(_list_of_dicts(d, "people", "")):
        where = f"people[{i}]."
        people.append(
            Person(
                _req_str(p, "name", where), _opt_str(p, "role", where), _opt_str(p, "about", where)
            )
        )
    related = []
    for i, r in enumerate(_list_of_dicts(d, "related", "")):
        where = f"related[{i}]."
        related.append(
            Related(
                title=_opt_str(r, "title", where),
                show=_opt_str(r, "show", where),
                duration=_opt_str(r, "duration", where),
                duration_seconds=_opt_int(r, "duration_seconds", where),
                channel=_opt_str(r, "channel", where),
                description=_opt_str(r, "description", where),
                age=_opt_str(r, "age", where),
                points=_opt_int(r, "points", where),
            )
        )
    warnings = []
    for w in _list_of_dicts(d, "warnings", ""):
        code, msg = w.get("code"), w.get("message")
        if not isinstance(code, str) or not isinstance(msg, str):
            raise ParseError("warnings need string code and message")
        warnings.append(ParseWarning(code, msg, _opt_int(w, "line", "warnings.")))
    layout = d.get("layout") or "atmes"  # schema 1 had one layout
    if not isinstance(layout, str):
        raise ParseError("layout must be a string")
    return Summary(
        title=title,
        layout=layout,
        url=_opt_str(d, "url", ""),
        show=_opt_str(d, "show", ""),
        episode_number=_opt_str(d, "episode_number", ""),
        category=_opt_str(d, "category", ""),
        published=_opt_str(d, "published", ""),
        views=_opt_int(d, "views", ""),
        duration=_opt_str(d, "duration", ""),
        duration_seconds=_opt_int(d, "duration_seconds", ""),
        people=people,
        topics=_str_list(d, "topics", ""),
        tldr=_opt_str(d, "tldr", ""),
        overview=_opt_str(d, "overview", ""),
        sections=sections,
        chapters=chapters,
        bottom_line=_opt_str(d, "bottom_line", ""),
        related_channel=_opt_str(d, "related_channel", ""),
        related=related,
        transcript=_opt_str(d, "transcript", ""),
        extra_lines=_str_list(d, "extra_lines", ""),
        warnings=warnings,
        source=Source(
            kind=str(src.get("kind") or "json"),
            location=_opt_str(src, "location", "source."),
            sha256=str(src.get("sha256") or ""),
            encoding=str(src.get("encoding") or "utf-8"),
        ),
    )
