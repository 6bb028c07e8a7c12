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

SCHEMA_VERSION = 1

# Fields that describe how a page was obtained rather than what it says; the id ignores
# them so the same page has the same id from text, HTML, Markdown or JSON.
_NOT_HASHED = ("id", "source", "warnings", "extra_lines")


@dataclass(slots=True)
class Insight:
    title: str
    text: str


@dataclass(slots=True)
class Section:
    emoji: str | None
    title: str
    declared_insights: int | None
    insights: list[Insight] = field(default_factory=list)


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
    show: str | None = None
    category: str | None = None
    published: str | None = None
    views: int | None = None
    duration: str | None = None
    duration_seconds: int | None = None
    tldr: str | None = None
    sections: list[Section] = field(default_factory=list)
    bottom_line: str | None = None
    related_channel: str | None = None
    related: list[Related] = field(default_factory=list)
    extra_lines: list[str] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    @property
    def id(self) -> str:
        return record_id(self.to_dict(with_id=False))

    def to_dict(self, *, with_id: bool = True) -> dict[str, Any]:
        """The record in SPEC field order (json.dumps keeps it)."""
        d: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        if with_id:
            d["id"] = ""
        d.update(
            title=self.title,
            show=self.show,
            category=self.category,
            published=self.published,
            views=self.views,
            duration=self.duration,
            duration_seconds=self.duration_seconds,
            tldr=self.tldr,
            sections=[
                {
                    "emoji": s.emoji,
                    "title": s.title,
                    "declared_insights": s.declared_insights,
                    "insights": [{"title": i.title, "text": i.text} for i in s.insights],
                }
                for s in self.sections
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


def record_id(record: dict[str, Any]) -> str:
    """First 16 hex digits of SHA-256 over the canonical JSON of the page's content."""
    content = {k: v for k, v in record.items() if k not in _NOT_HASHED}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
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


def summary_from_dict(d: Any) -> Summary:
    """Rebuild a Summary from a podsum JSON record; raises ParseError on a wrong shape."""
    if not looks_like_record(d):
        raise ParseError("JSON is not a podsum record (no schema_version and title)")
    if d["schema_version"] != SCHEMA_VERSION:
        raise ParseError(f"unsupported schema_version {d['schema_version']!r}")
    title = d["title"]
    if not isinstance(title, str):
        raise ParseError("title must be a string")
    src = d.get("source")
    if src is None:
        src = {}
    if not isinstance(src, dict):
        raise ParseError("source must be an object")
    sections = []
    for i, s in enumerate(_list_of_dicts(d, "sections", "")):
        where = f"sections[{i}]."
        st = s.get("title")
        if not isinstance(st, str):
            raise ParseError(f"{where}title must be a string")
        insights = []
        for j, ins in enumerate(_list_of_dicts(s, "insights", where)):
            it, tx = ins.get("title"), ins.get("text")
            if not isinstance(it, str) or not isinstance(tx, str):
                raise ParseError(f"{where}insights[{j}] needs string title and text")
            insights.append(Insight(it, tx))
        sections.append(
            Section(
                _opt_str(s, "emoji", where), st, _opt_int(s, "declared_insights", where), insights
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
    extra = d.get("extra_lines", [])
    if not isinstance(extra, list) or not all(isinstance(x, str) for x in extra):
        raise ParseError("extra_lines must be a list of strings")
    return Summary(
        title=title,
        show=_opt_str(d, "show", ""),
        category=_opt_str(d, "category", ""),
        published=_opt_str(d, "published", ""),
        views=_opt_int(d, "views", ""),
        duration=_opt_str(d, "duration", ""),
        duration_seconds=_opt_int(d, "duration_seconds", ""),
        tldr=_opt_str(d, "tldr", ""),
        sections=sections,
        bottom_line=_opt_str(d, "bottom_line", ""),
        related_channel=_opt_str(d, "related_channel", ""),
        related=related,
        extra_lines=list(extra),
        warnings=warnings,
        source=Source(
            kind=str(src.get("kind") or "json"),
            location=_opt_str(src, "location", "source."),
            sha256=str(src.get("sha256") or ""),
            encoding=str(src.get("encoding") or "utf-8"),
        ),
    )
