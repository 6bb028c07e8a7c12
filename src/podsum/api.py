"""The library's entry point: any page as str or bytes -> Summary.

The kind (text, HTML, podsum Markdown, podsum JSON / JSON Lines) is read from the
content, never trusted from a file name.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING, Any, Final

from .decode import decode_bytes
from .errors import ParseError
from .model import Source, Summary, looks_like_record, summary_from_dict
from .sanitise import sanitise

if TYPE_CHECKING:
    from .read import LayoutInfo

_HTML_START: Final = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|p|section|article"
    r"|main|header|nav|span|h[1-6]|title|ul|table)\b",
    re.IGNORECASE | re.DOTALL,
)


def detect_kind(text: str) -> str:
    """``json``, ``markdown``, ``html`` or ``text``, from the content alone."""
    return _detect(text)[0]


def _detect(text: str) -> tuple[str, tuple[dict[str, Any], str] | None]:
    """The kind, and for podsum Markdown its (front matter, body), read only once."""
    head = text[:256].lstrip()[:1] or text.lstrip()[:1]  # no copy of a whole big page
    if head and head in "{[":
        return "json", None
    if text.startswith("---") and text[3:4] in ("\n", "\r"):  # any line ending
        from .mdreader import split_front_matter

        split = split_front_matter(text)
        if split is not None:
            return "markdown", split
    # (HTML opens with "<", after spaces: a tag, or a comment before one.)
    if head == "<" and _HTML_START.match(text[:4096]):
        return "html", None
    return "text", None


class PartialParseError(ParseError):
    """Some records of a JSON array or JSON Lines text were read and some were not: the
    message names those that failed, ``summaries`` holds those that were read."""

    def __init__(self, message: str, summaries: list[Summary]) -> None:
        super().__init__(message)
        self.summaries = summaries

    def __reduce__(self) -> tuple[type[PartialParseError], tuple[str, list[Summary]]]:
        return type(self), (str(self), self.summaries)


# Text that can only be JSON: an object opening with a key (or empty), an array of
# objects or arrays. A text page may open with "[Podcast] ..."; it never opens like this.
_JSON_START: Final = re.compile(r'\s*(?:\{\s*["}]|\[\s*[\[{\]])')
_TOO_MANY_DIGITS: Final = re.compile(r"value has (\d+) digits")

# (where, value, why it could not be read): "line 3" or "record 2" ("" for a lone
# document), and an error message instead of a value for JSON that did not parse.
_Entry = tuple[str, object, str | None]


def _json_error(exc: ValueError | RecursionError, *, line: bool) -> str:
    """Why Python's json module refused a document (or one line of JSON Lines)."""
    if isinstance(exc, RecursionError):
        return "JSON nested too deeply"
    if isinstance(exc, json.JSONDecodeError):
        if line:
            return f"{exc.msg} (column {exc.colno})"
        return f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    digits = _TOO_MANY_DIGITS.search(str(exc))  # CPython's cap on int() of long numbers
    if digits:
        return f"number too long ({digits.group(1)} digits)"
    return f"not valid JSON: {exc}"


def _json_lines(text: str) -> list[_Entry] | None:
    """Each non-blank line of JSON Lines text, read on its own; None unless some line
    holds a whole podsum record (then this is JSON Lines with some lines broken)."""
    lines = text.split("\n")  # not splitlines: U+2028 may stand raw inside a JSON string
    if len(lines) < 2:
        return None
    # A record is an object: some line opens with "{" (after JSON's own spaces). A text
    # page that opens with "[" has none, and is not parsed line by line for nothing.
    if not any(line.lstrip(" \t\r").startswith("{") for line in lines):
        return None
    entries: list[_Entry] = []
    has_record = False
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except (ValueError, RecursionError) as exc:
            entries.append((f"line {n}", None, _json_error(exc, line=True)))
            continue
        entries.append((f"line {n}", value, None))
        has_record = has_record or looks_like_record(value)
    return entries if has_record else None


def _json_records(text: str) -> list[_Entry] | None:
    """The records in JSON or JSON Lines text; None when it is not JSON at all.

    Raises ParseError for text that can only be JSON but cannot be read as a whole
    document or line by line."""
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError) as exc:
        entries = _json_lines(text)
        if entries is None and _JSON_START.match(text):
            raise ParseError(_json_error(exc, line=False)) from None
        return entries
    if isinstance(obj, list):
        return [(f"record {i}", x, None) for i, x in enumerate(obj, 1)]
    return [("", obj, None)]


# How many failures past the first a message names (the rest are counted).
FAILURES_NAMED = 10


def failure_message(failed: list[tuple[str, str]], total: int | None = None) -> str:
    """One line for every record that could not be read: the first in full, then where
    the others are. ``failed`` may hold just the first ``FAILURES_NAMED + 1`` of
    ``total`` failures (JSON Lines read in pieces keeps no more)."""
    total = len(failed) if total is None else total
    where, why = failed[0]
    first = f"{where}: {why}" if where else why
    if total == 1:
        return first
    rest = [w.split(" ")[-1] for w, _ in failed[1 : FAILURES_NAMED + 1]]
    listed = ", ".join(rest) + (", ..." if total - 1 > FAILURES_NAMED else "")
    return f"{first} (and {total - 1} more: {where.split(' ')[0]}s {listed})"


def _read_record(value: object) -> Summary:
    summary = sanitise(summary_from_dict(value))
    # enforce_limits and sanitise each report removed controls: one warning says it.
    w = summary.warnings
    if len(w) >= 2 and w[-1] == w[-2] and w[-1].code == "control-chars-removed":
        w.pop()
    return summary


def _from_json(entries: list[_Entry]) -> list[Summary]:
    """Every record that can be read; the others are named in a ParseError, which is a
    PartialParseError carrying the records read when there are some."""
    if not entries:
        raise ParseError("JSON holds no records")
    found: list[Summary] = []
    failed: list[tuple[str, str]] = []
    for where, value, error in entries:
        if error is None:
            try:
                found.append(_read_record(value))
                continue
            except ParseError as exc:
                error = str(exc)
        failed.append((where, error))
    if not failed:
        return found
    if found:
        raise PartialParseError(failure_message(failed), found)
    raise ParseError(failure_message(failed))


def parse_all(
    data: str | bytes,
    *,
    location: str | None = None,
    kind: str | None = None,
    charset: str | None = None,
    layout: str | None = None,
) -> list[Summary]:
    """Every summary in ``data``: JSON arrays and JSON Lines may hold several, and so may
    a text holding several pages one after another.

    ``kind`` overrides only how the Source is labelled (``url`` for fetched pages);
    ``charset`` is a declared encoding (an HTTP header) tried after any BOM; ``layout``
    forces a reader (see ``layouts()``). Raises ParseError and nothing else.

    Every record is held to ``podsum.caps`` (what is over a cap is cut, with a
    ``record-truncated`` warning).
    """
    from .caps import MAX_TEXT, cap_record

    # No text field is longer than the input it came from.
    fit = len(data) <= MAX_TEXT
    try:
        found = _parse_all(data, location, kind, charset, layout)
        return [cap_record(s, texts_fit=fit) for s in found]
    # One name per clause: mypyc types an exception variable from its first clause.
    except PartialParseError as partial:
        partial.summaries = [cap_record(s, texts_fit=fit) for s in partial.summaries]
        raise
    except ParseError:
        raise
    except RecursionError as deep:
        raise ParseError("input nested too deeply") from deep
    except Exception as bug:  # a bug, but the contract is ParseError only
        raise ParseError(f"internal error (please report): {type(bug).__name__}: {bug}") from bug


def parse_json_lines(data: bytes, first_line: int) -> tuple[list[Summary], list[tuple[str, str]]]:
    """The records of whole lines of a JSON Lines file (strict UTF-8, no byte order
    mark) whose first is line ``first_line``: those read, and (where, why) for each line
    that could not be. Together, the pieces of a file give what ``parse_all`` gives for
    the whole of it, line numbers included, in bounded memory."""
    from .caps import MAX_TEXT, cap_record

    fit = len(data) <= MAX_TEXT
    found: list[Summary] = []
    failed: list[tuple[str, str]] = []
    for n, line in enumerate(data.decode("utf-8").split("\n"), first_line):
        if not line.strip():
            continue
        where = f"line {n}"
        try:
            value = json.loads(line)
        except (ValueError, RecursionError) as exc:
            failed.append((where, _json_error(exc, line=True)))
            continue
        try:
            found.append(cap_record(_read_record(value), texts_fit=fit))
        except ParseError as bad:
            failed.append((where, str(bad)))
    return found, failed


def parse(data: str | bytes, *, location: str | None = None, layout: str | None = None) -> Summary:
    """Parse one page. Raises ParseError when there is no (single) summary in it."""
    found = parse_all(data, location=location, layout=layout)
    if len(found) != 1:
        raise ParseError(f"input holds {len(found)} records; use podsum.parse_all")
    return found[0]


def layouts() -> list[LayoutInfo]:
    """The readers podsum has: name, one-line description and marker lines, in the
    order they are tried."""
    from .read import layouts as _layouts

    return _layouts()


def _parse_all(
    data: str | bytes,
    location: str | None,
    label: str | None,
    charset: str | None,
    layout: str | None,
) -> list[Summary]:
    if isinstance(data, str):
        raw = data.encode("utf-8", errors="surrogatepass")
        text, encoding = data.lstrip("\ufeff"), "utf-8"
    else:
        raw = data
        if charset is None and data[:256].lstrip()[:1] == b"<":
            from .htmltext import sniff_meta_charset

            charset = sniff_meta_charset(data)
        text, encoding = decode_bytes(data, charset)
    if not text or text.isspace():
        raise ParseError("empty input")
    sha = hashlib.sha256(raw).hexdigest()
    kind, front = _detect(text)

    if kind == "json":
        entries = _json_records(text)
        if entries is not None:
            return _from_json(entries)
        kind = "text"  # a page that merely starts with a bracket

    def source(actual: str) -> Source:
        return Source(kind=label or actual, location=location, sha256=sha, encoding=encoding)

    if front is not None:
        from .mdreader import parse_markdown

        return [sanitise(parse_markdown(front[0], front[1], source("markdown")))]
    from .read import read_text, reader

    if layout is not None:
        reader(layout)  # an unknown name is an error before any work
    url = location if label == "url" else None  # the address it was fetched from
    if kind == "html":
        from .htmltext import html_to_text_and_url

        page_text, canonical = html_to_text_and_url(text)
        found = read_text(page_text, source("html"), layout)
        url = url or canonical
    elif _has_nul(data, text, encoding):
        raise ParseError("binary data, not a text page")
    else:
        found = read_text(text, source("text"), layout)
    if url is not None:
        for s in found:
            s.url = url
    return found


def _has_nul(data: str | bytes, text: str, encoding: str) -> bool:
    """Whether the decoded text has a NUL character: in these encodings it is a zero byte,
    and bytes are searched faster than a text of wide characters."""
    if isinstance(data, bytes) and encoding in ("utf-8", "utf-8-sig", "windows-1252"):
        return b"\x00" in data
    return "\x00" in text


__all__ = ["ParseError", "PartialParseError", "detect_kind", "layouts", "parse", "parse_all"]
