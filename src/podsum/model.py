"""The record of SPEC section 2 as dataclasses, and its stable id.

The dataclasses are the one place that knows the record's shape: parsers build them,
renderers read them, and ``to_dict``/``from_dict`` are the JSON boundary.

Each class writes its ``__init__`` out (``dataclass`` keeps one a class has): mypyc
compiles a written one, but runs the one ``dataclass`` makes as Python, and a page
builds dozens of these. ``tests/test_model.py`` holds each to its fields.
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any

from .errors import ParseError

SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)  # schema 2 only adds optional fields to schema 1

# The content hash, the id of a page without a title, ignores the fields that describe
# how a page was obtained (or which reader read it) rather than what it says, so the
# same page has the same id from text, HTML, Markdown or JSON.
_NOT_HASHED = ("id", "source", "warnings", "extra_lines", "layout", "url")
# Schema-2 fields: they count towards the content hash only when non-empty, so every
# titleless page schema 1 could read keeps the id schema 1 gave it.
_NEW_FIELDS = ("episode_number", "people", "topics", "overview", "chapters", "transcript")
_NEW_INSIGHT_FIELDS = ("speaker", "timestamps")
# Text fields that may hold paragraphs (joined by a blank line); every other text field
# is one line.
MULTILINE_FIELDS = frozenset(
    ("tldr", "overview", "bottom_line", "transcript", "text", "summary", "description", "about")
)


class _Record:
    """What every class of the record shares: pickling by its fields (worker processes
    send records to each other), since unpickling a compiled class cannot call an
    ``__init__`` that takes arguments without them."""

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return type(self), tuple([getattr(self, name) for name in _FIELDS[type(self)]])


@dataclass(slots=True)
class Timestamp(_Record):
    """A moment in the episode, as written (``03:15``) and in seconds."""

    at: str
    seconds: int | None

    def __init__(self, at: str, seconds: int | None) -> None:
        self.at = at
        self.seconds = seconds


@dataclass(slots=True)
class Insight(_Record):
    title: str | None
    text: str
    speaker: str | None = None
    timestamps: list[Timestamp] = field(default_factory=list)

    def __init__(
        self,
        title: str | None,
        text: str,
        speaker: str | None = None,
        timestamps: list[Timestamp] | None = None,
    ) -> None:
        self.title = title
        self.text = text
        self.speaker = speaker
        self.timestamps = [] if timestamps is None else timestamps


@dataclass(slots=True)
class Section(_Record):
    emoji: str | None
    title: str
    declared_insights: int | None
    insights: list[Insight] = field(default_factory=list)

    def __init__(
        self,
        emoji: str | None,
        title: str,
        declared_insights: int | None,
        insights: list[Insight] | None = None,
    ) -> None:
        self.emoji = emoji
        self.title = title
        self.declared_insights = declared_insights
        self.insights = [] if insights is None else insights


@dataclass(slots=True)
class Person(_Record):
    name: str
    role: str | None = None  # "host" | "guest" | None
    about: str | None = None

    def __init__(self, name: str, role: str | None = None, about: str | None = None) -> None:
        self.name = name
        self.role = role
        self.about = about


@dataclass(slots=True)
class Chapter(_Record):
    title: str
    start: str | None = None
    start_seconds: int | None = None
    end: str | None = None
    end_seconds: int | None = None
    summary: str | None = None
    points: list[str] = field(default_factory=list)

    def __init__(
        self,
        title: str,
        start: str | None = None,
        start_seconds: int | None = None,
        end: str | None = None,
        end_seconds: int | None = None,
        summary: str | None = None,
        points: list[str] | None = None,
    ) -> None:
        self.title = title
        self.start = start
        self.start_seconds = start_seconds
        self.end = end
        self.end_seconds = end_seconds
        self.summary = summary
        self.points = [] if points is None else points


@dataclass(slots=True)
class Related(_Record):
    title: str | None = None
    show: str | None = None
    duration: str | None = None
    duration_seconds: int | None = None
    channel: str | None = None
    description: str | None = None
    age: str | None = None
    points: int | None = None

    def __init__(
        self,
        title: str | None = None,
        show: str | None = None,
        duration: str | None = None,
        duration_seconds: int | None = None,
        channel: str | None = None,
        description: str | None = None,
        age: str | None = None,
        points: int | None = None,
    ) -> None:
        self.title = title
        self.show = show
        self.duration = duration
        self.duration_seconds = duration_seconds
        self.channel = channel
        self.description = description
        self.age = age
        self.points = points


@dataclass(slots=True)
class ParseWarning(_Record):
    """A `warnings` entry: something odd about the page that did not stop the parse."""

    code: str
    message: str
    line: int | None = None

    def __init__(self, code: str, message: str, line: int | None = None) -> None:
        self.code = code
        self.message = message
        self.line = line


@dataclass(slots=True)
class Source(_Record):
    kind: str
    location: str | None
    sha256: str
    encoding: str

    def __init__(self, kind: str, location: str | None, sha256: str, encoding: str) -> None:
        self.kind = kind
        self.location = location
        self.sha256 = sha256
        self.encoding = encoding


@dataclass(slots=True)
class Summary(_Record):
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

    def __init__(
        self,
        title: str,
        source: Source,
        layout: str = "atmes",
        url: str | None = None,
        show: str | None = None,
        episode_number: str | None = None,
        category: str | None = None,
        published: str | None = None,
        views: int | None = None,
        duration: str | None = None,
        duration_seconds: int | None = None,
        people: list[Person] | None = None,
        topics: list[str] | None = None,
        tldr: str | None = None,
        overview: str | None = None,
        sections: list[Section] | None = None,
        chapters: list[Chapter] | None = None,
        bottom_line: str | None = None,
        related_channel: str | None = None,
        related: list[Related] | None = None,
        transcript: str | None = None,
        extra_lines: list[str] | None = None,
        warnings: list[ParseWarning] | None = None,
    ) -> None:
        self.title = title
        self.source = source
        self.layout = layout
        self.url = url
        self.show = show
        self.episode_number = episode_number
        self.category = category
        self.published = published
        self.views = views
        self.duration = duration
        self.duration_seconds = duration_seconds
        self.people = [] if people is None else people
        self.topics = [] if topics is None else topics
        self.tldr = tldr
        self.overview = overview
        self.sections = [] if sections is None else sections
        self.chapters = [] if chapters is None else chapters
        self.bottom_line = bottom_line
        self.related_channel = related_channel
        self.related = [] if related is None else related
        self.transcript = transcript
        self.extra_lines = [] if extra_lines is None else extra_lines
        self.warnings = [] if warnings is None else warnings

    @property
    def id(self) -> str:
        """The summary's id: see ``summary_id``."""
        if not identity_text(self.title):
            return content_hash(self.to_dict(with_id=False))
        return summary_id(self.layout, self.title, self.show)

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
            d["id"] = (
                summary_id(self.layout, self.title, self.show)
                if identity_text(self.title)
                else content_hash(d)
            )
        return d


# Each class's fields, in ``__init__`` order (what ``_Record.__reduce__`` gives back).
_CLASSES = (Timestamp, Insight, Section, Person, Chapter, Related, ParseWarning, Source, Summary)
_FIELDS: dict[type, tuple[str, ...]] = {c: tuple(f.name for f in fields(c)) for c in _CLASSES}


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


def content_hash(record: dict[str, Any]) -> str:
    """First 16 hex digits of SHA-256 over the canonical JSON of the page's content: the
    id of every page before library version 2, and still the id of a page without a
    title."""
    canonical = json.dumps(
        _hashed_view(record), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def identity_text(text: str | None) -> str:
    """``text`` as identity compares it: NFKC, case-folded, runs of whitespace as one
    space, none at the ends (so "The  Show" and "the show" are one show)."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(folded.split())


def summary_id(layout: str | None, title: str, show: str | None) -> str:
    """The id of the summary a page holds: first 16 hex digits of SHA-256 over its
    layout, title and show (``identity_text`` of each, joined by newlines, which none of
    them can hold). The same page saved again (more views, new ages, with or without
    its meta line, as text, HTML, Markdown or JSON) is the same summary; two sites'
    summaries of one episode are two."""
    # Schema 1 had one layout: a record that names none (schema-1 JSON and Markdown) was
    # read from an atmes page.
    key = "\n".join(
        (identity_text(layout or "atmes"), identity_text(title), identity_text(show))
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def record_id(record: dict[str, Any]) -> str:
    """The id of a record given as a dict (the record's own ``id`` is not read)."""
    title = record.get("title")
    title = title if isinstance(title, str) else ""
    if not identity_text(title):
        return content_hash(record)
    show = record.get("show")
    layout = record.get("layout")
    return summary_id(
        layout if isinstance(layout, str) else None,
        title,
        show if isinstance(show, str) else None,
    )


# --- two copies of one summary -------------------------------------------------------


def _text(newer: str | None, stored: str | None) -> str | None:
    return newer if newer else stored


def _number(newer: int | None, stored: int | None) -> int | None:
    return newer if newer is not None else stored


def _lines(stored: list[str], newer: list[str]) -> list[str]:
    """``stored``, then the lines ``newer`` adds to it."""
    if not stored or not newer:
        return list(newer or stored)
    seen = set(stored)
    return [*stored, *(x for x in newer if x not in seen)]


def _warnings(stored: list[ParseWarning], newer: list[ParseWarning]) -> list[ParseWarning]:
    """``stored``, then the warnings ``newer`` adds to it."""
    if not stored or not newer:
        return list(newer or stored)
    seen = {(w.code, w.message, w.line) for w in stored}
    return [*stored, *(w for w in newer if (w.code, w.message, w.line) not in seen)]


def _combine_by_title(stored: list[Any], newer: list[Any]) -> list[Any]:
    """Sections or chapters of two copies, matched by title (``identity_text``): the
    newer copy's item replaces every stored one of its title, in the newer copy's order;
    stored items of other titles keep their place among them (all after the newer ones
    when no title is shared: the FAQ page of an episode after its main page)."""
    if not stored or not newer:
        return list(newer or stored)
    new_keys = {identity_text(x.title) for x in newer}
    old_keys = [identity_text(x.title) for x in stored]
    if new_keys.isdisjoint(old_keys):
        return [*stored, *newer]
    where: dict[str, list[int]] = {}
    for j, k in enumerate(old_keys):
        where.setdefault(k, []).append(j)
    out: list[Any] = []
    i = 0  # stored items before i are placed (or replaced)
    for item in newer:
        places = where.get(identity_text(item.title), [])
        n = bisect.bisect_left(places, i)
        if n < len(places):
            j = places[n]
            out.extend(stored[x] for x in range(i, j) if old_keys[x] not in new_keys)
            i = j + 1
        out.append(item)
    out.extend(stored[x] for x in range(i, len(stored)) if old_keys[x] not in new_keys)
    return out


def merge(stored: Summary, newer: Summary) -> Summary:
    """One summary from two copies of it (same id), ``newer`` the one read later.

    The newer copy wins wherever it has a value; where it has none (null, empty text,
    an empty list) the stored value stays, so a copy saved without its meta line keeps
    the views and date an earlier one had. Sections and chapters are combined by title
    (the newer wins per title), so an episode's main, chapters and FAQ pages (one
    summary on sites that split it) add up to one record. Extra lines and warnings
    belong to the parts they came with: both copies' are kept, each once. The source
    is the newer copy's. Neither argument is changed."""
    return Summary(
        title=newer.title or stored.title,
        source=Source(
            newer.source.kind, newer.source.location, newer.source.sha256, newer.source.encoding
        ),
        layout=newer.layout or stored.layout,
        url=_text(newer.url, stored.url),
        show=_text(newer.show, stored.show),
        episode_number=_text(newer.episode_number, stored.episode_number),
        category=_text(newer.category, stored.category),
        published=_text(newer.published, stored.published),
        views=_number(newer.views, stored.views),
        duration=_text(newer.duration, stored.duration),
        duration_seconds=_number(newer.duration_seconds, stored.duration_seconds),
        people=list(newer.people or stored.people),
        topics=list(newer.topics or stored.topics),
        tldr=_text(newer.tldr, stored.tldr),
        overview=_text(newer.overview, stored.overview),
        sections=_combine_by_title(stored.sections, newer.sections),
        chapters=_combine_by_title(stored.chapters, newer.chapters),
        bottom_line=_text(newer.bottom_line, stored.bottom_line),
        related_channel=_text(newer.related_channel, stored.related_channel),
        related=list(newer.related or stored.related),
        transcript=_text(newer.transcript, stored.transcript),
        extra_lines=_lines(stored.extra_lines, newer.extra_lines),
        warnings=_warnings(stored.warnings, newer.warnings),
    )


# --- the limits every reader enforces -----------------------------------------------
# The text parser turns impossible values into null with a warning; records read from
# JSON or Markdown, which anything may have written, get the same rules here.

MAX_COUNT = 2**53  # beyond this a JSON reader or SQLite would mangle the number
ROLES = ("host", "guest")
SOURCE_KINDS = ("text", "html", "url", "markdown", "json")
_COUNT_CODES = {"views": "invalid-views", "duration_seconds": "invalid-duration"}
_LAST_NAME = re.compile(r"[^ .\]]+$")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LAYOUT_NAME = re.compile(r"[a-z]+")
_WARNING_CODE = re.compile(r"[a-z]+(?:-[a-z]+)*")
_CONTROL_WARNING = ("control-chars-removed", "removed escapes or control characters")


def _short(value: object) -> str:
    """A value as a message quotes it: repr, cut to a readable length."""
    text = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def checked_count(
    value: int | None, name: str, warnings: list[ParseWarning], *, minimum: int = 0
) -> int | None:
    """``value`` when a record can hold it (``minimum`` to 2^53), else None and a warning
    that names the field: ``invalid-views``, ``invalid-duration`` or ``invalid-number``."""
    if value is None or minimum <= value <= MAX_COUNT:
        return value
    last = _LAST_NAME.search(name)
    code = _COUNT_CODES.get(last.group() if last else name, "invalid-number")
    # A number past 64 bits is named by its size: printing it could take a whole page.
    digits = value.bit_length() * 30103 // 100000 + 1  # log10(2) = 0.30103
    shown = str(value) if value.bit_length() <= 64 else f"(a number of about {digits} digits)"
    message = f"{name} {shown} is out of range ({minimum} to 2^53); left out"
    warnings.append(ParseWarning(code, message, None))
    return None


def _clean_line(text: str) -> str:
    if text.isprintable():  # every escape, control, bidi mark and surrogate is not
        return text
    from .repair import strip_controls, strip_escapes

    text, _ = strip_escapes(text)
    text, _ = strip_controls(text, keep_newlines=False)
    return text


def _clean_provenance(summary: Summary) -> bool:
    """Clean the strings that say where a record came from (source, warnings), which a
    record written elsewhere may have filled with anything; True when one changed."""
    src = summary.source
    before = (src.kind, src.location, src.sha256, src.encoding)
    src.kind, src.sha256, src.encoding = map(_clean_line, (src.kind, src.sha256, src.encoding))
    if src.location is not None:
        src.location = _clean_line(src.location)
    changed = before != (src.kind, src.location, src.sha256, src.encoding)
    for w in summary.warnings:
        code, message = _clean_line(w.code), _clean_line(w.message)
        if (code, message) != (w.code, w.message):
            w.code, w.message, changed = code, message, True
    return changed


def _real_date(value: str) -> bool:
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def enforce_limits(summary: Summary) -> Summary:
    """Hold a Summary that did not come through the text parser to the parser's rules.

    Numbers outside 0..2^53 (warning lines outside 1..2^53), dates that are not real
    YYYY-MM-DD dates and roles other than host or guest become null; a layout that is
    not a lowercase name becomes ``generic`` and a source kind podsum does not know
    becomes ``json``. Each change adds a warning naming the field. Escapes, controls and
    lone surrogates are removed from the source and the warnings' own text (``sanitise``
    cleans every other field). Running it again changes nothing.
    """
    found: list[ParseWarning] = []
    summary.views = checked_count(summary.views, "views", found)
    summary.duration_seconds = checked_count(summary.duration_seconds, "duration_seconds", found)
    for i, sec in enumerate(summary.sections):
        where = f"sections[{i}]"
        sec.declared_insights = checked_count(
            sec.declared_insights, f"{where}.declared_insights", found
        )
        for j, ins in enumerate(sec.insights):
            for k, t in enumerate(ins.timestamps):
                t.seconds = checked_count(
                    t.seconds, f"{where}.insights[{j}].timestamps[{k}].seconds", found
                )
    for i, c in enumerate(summary.chapters):
        c.start_seconds = checked_count(c.start_seconds, f"chapters[{i}].start_seconds", found)
        c.end_seconds = checked_count(c.end_seconds, f"chapters[{i}].end_seconds", found)
    for i, r in enumerate(summary.related):
        r.duration_seconds = checked_count(
            r.duration_seconds, f"related[{i}].duration_seconds", found
        )
        r.points = checked_count(r.points, f"related[{i}].points", found)
    for i, p in enumerate(summary.people):
        if p.role is not None and p.role not in ROLES:
            found.append(
                ParseWarning(
                    "invalid-role", f"people[{i}].role {_short(p.role)} is not host or guest", None
                )
            )
            p.role = None
    if summary.published is not None and not _real_date(summary.published):
        found.append(
            ParseWarning(
                "invalid-date", f"published {_short(summary.published)} is not a real date", None
            )
        )
        summary.published = None
    if not _LAYOUT_NAME.fullmatch(summary.layout):
        found.append(
            ParseWarning(
                "invalid-layout",
                f"layout {_short(summary.layout)} is not a layout name; read as generic",
                None,
            )
        )
        summary.layout = "generic"
    dirty = _clean_provenance(summary)
    if summary.source.kind not in SOURCE_KINDS:
        found.append(
            ParseWarning(
                "invalid-source",
                f"source.kind {_short(summary.source.kind)} is not one of"
                f" {', '.join(SOURCE_KINDS)}; read as json",
                None,
            )
        )
        summary.source.kind = "json"
    for i, w in enumerate(summary.warnings):
        w.line = checked_count(w.line, f"warnings[{i}].line", found, minimum=1)
        if not _WARNING_CODE.fullmatch(w.code):
            # Keep what the code said; the schema allows only lowercase-hyphen codes.
            w.message = f"{w.code}: {w.message}" if w.code else w.message
            w.code = "unknown"
    summary.warnings.extend(found)
    if dirty:  # last, so a reader that also runs ``sanitise`` can fold the two into one
        summary.warn(*_CONTROL_WARNING)
    return summary


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
    version = d["schema_version"]
    if (
        isinstance(version, bool)
        or not isinstance(version, int)
        or version not in READABLE_VERSIONS
    ):
        raise ParseError(f"unsupported schema_version {_short(version)}")
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
    summary = Summary(
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
            kind=_opt_str(src, "kind", "source.") or "json",
            location=_opt_str(src, "location", "source."),
            sha256=_opt_str(src, "sha256", "source.") or "",
            encoding=_opt_str(src, "encoding", "source.") or "utf-8",
        ),
    )
    return enforce_limits(summary)
