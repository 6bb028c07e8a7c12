"""The library's entry point: any page as str or bytes -> Summary.

The kind (text, HTML, podsum Markdown, podsum JSON / JSON Lines) is read from the
content, never trusted from a file name.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING, Any

from .decode import decode_bytes
from .errors import ParseError
from .model import Source, Summary, summary_from_dict
from .sanitise import sanitise

if TYPE_CHECKING:
    from .read import LayoutInfo

_HTML_START = re.compile(
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
    if text.startswith("---\n"):
        from .mdreader import split_front_matter

        split = split_front_matter(text)
        if split is not None:
            return "markdown", split
    if _HTML_START.match(text[:4096]):
        return "html", None
    return "text", None


def _json_records(text: str) -> list[object] | None:
    """The records in JSON or JSON Lines text; None when it is not JSON at all."""
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        lines = [ln for ln in text.splitlines() if ln.strip()]
        try:
            return [json.loads(ln) for ln in lines]
        except (ValueError, RecursionError):
            return None
    return obj if isinstance(obj, list) else [obj]


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
    """
    try:
        return _parse_all(data, location, kind, charset, layout)
    except ParseError:
        raise
    except RecursionError as exc:
        raise ParseError("input nested too deeply") from exc
    except Exception as exc:  # a bug, but the contract is ParseError only
        raise ParseError(f"internal error (please report): {type(exc).__name__}: {exc}") from exc


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
        records = _json_records(text)
        if records is not None:
            if not records:
                raise ParseError("JSON holds no records")
            return [sanitise(summary_from_dict(r)) for r in records]
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
    elif "\x00" in text:
        raise ParseError("binary data, not a text page")
    else:
        found = read_text(text, source("text"), layout)
    if url is not None:
        for s in found:
            s.url = url
    return found


__all__ = ["ParseError", "detect_kind", "layouts", "parse", "parse_all"]
