"""HTML -> the lines a browser's ``innerText`` gives, for the text parser.

A simplified form of the HTML standard's "rendered text collection steps". There is no
CSS engine: an element's display comes from its tag, its ``hidden`` attribute and its
inline ``style`` (``display``, ``visibility``, ``white-space``); stylesheets are not
read. What a layout engine would do with that much is modelled as Chromium does it:

- block-level boxes (``div``, ``li``, ``display:block|flex|grid|list-item|table``) put
  their text on lines of its own; a ``p`` asks for a blank line around it whatever its
  display;
- inline-level boxes stay on the line, and white space collapses across their
  boundaries; an inline-block (``display:inline-block``, a ``button``, a ``select``)
  sits on the line as one unit, with the white space at its own edges dropped;
- the children of a flex or grid container are blockified (one line each);
- table cells are separated by a tab, rows by a line break;
- ``select`` shows its options one per line; ``input``, ``textarea``, images and media
  show nothing; a closed ``details`` shows only its ``summary``.

The walk is an event stream with no tree at all, so 10,000 nested elements cannot raise
RecursionError or hit libxml2's tree-depth limit (2,048 levels, after which a tree parse
silently drops the rest of the page). The events come from lxml's HTML parser with a
parser target (BeautifulSoup's tree cost 20 times lxml's parse). The same walk picks up
the page's canonical address from the head. Checked against Chromium's innerText in
tests (tests/oracle/innertext.py writes the expected text).
"""

from __future__ import annotations

import re
from typing import Any, cast
from urllib.parse import urlsplit

# Never rendered, whatever their style says.
_NEVER = frozenset(
    [
        "head",
        "script",
        "style",
        "template",
        "noscript",
        "title",
        "meta",
        "link",
        "base",
        "datalist",
        "source",
        "track",
        "param",
        "area",
        "rp",
    ]
)
# Replaced elements: a box on the line (or a block) that shows no text of its own.
_REPLACED = frozenset(
    [
        "img",
        "input",
        "textarea",
        "video",
        "audio",
        "canvas",
        "iframe",
        "embed",
        "object",
        "svg",
        "math",
        "meter",
        "progress",
        "frame",
    ]
)
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "details",
        "dialog",
        "dd",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "listing",
        "main",
        "menu",
        "nav",
        "ol",
        "optgroup",
        "option",
        "p",
        "plaintext",
        "pre",
        "search",
        "section",
        "summary",
        "table",
        "caption",
        "ul",
        "xmp",
    ]
)
_PRE_TAGS = frozenset(["pre", "listing", "xmp", "plaintext"])

# Display kinds, by what they do to the text.
_NONE = 0  # no box: no text
_INLINE = 1  # on the line (also display:contents, which makes no box of its own)
_ATOMIC = 2  # inline-block & co: one unit on the line, its own lines inside
_BLOCK = 3  # lines of its own
_ROW = 4  # table row: lines of its own, white space between its cells ignored
_CELL = 5  # table cell: a tab before it unless it is its row's first
_GROUP = 6  # table row group: white space between its rows ignored

_DISPLAY_KIND: dict[str, int] = {
    "none": _NONE,
    "contents": _INLINE,
    "inline": _INLINE,
    "ruby": _INLINE,
    "inline-block": _ATOMIC,
    "inline-flex": _ATOMIC,
    "inline-grid": _ATOMIC,
    "inline-table": _ATOMIC,
    "-webkit-inline-box": _ATOMIC,
    "block": _BLOCK,
    "flow-root": _BLOCK,
    "list-item": _BLOCK,
    "flex": _BLOCK,
    "grid": _BLOCK,
    "table": _BLOCK,
    "table-caption": _BLOCK,
    "-webkit-box": _BLOCK,
    "table-row": _ROW,
    "table-cell": _CELL,
    "table-row-group": _GROUP,
    "table-header-group": _GROUP,
    "table-footer-group": _GROUP,
}
_FLEX_DISPLAYS = frozenset(["flex", "grid", "inline-flex", "inline-grid", "-webkit-box"])
_BLOCKIFIED = {"inline-flex": "flex", "inline-grid": "grid", "inline-table": "table"}
_TWO_KEYWORDS = {
    ("block", "flow"): "block",
    ("block", "flow-root"): "flow-root",
    ("block", "flex"): "flex",
    ("block", "grid"): "grid",
    ("block", "table"): "table",
    ("inline", "flow"): "inline",
    ("inline", "flow-root"): "inline-block",
    ("inline", "flex"): "inline-flex",
    ("inline", "grid"): "inline-grid",
    ("inline", "table"): "inline-table",
}
_TAG_DISPLAY: dict[str, str] = {
    **{tag: "block" for tag in _BLOCK_TAGS},
    "li": "list-item",
    "summary": "list-item",
    "table": "table",
    "caption": "table-caption",
    "tr": "table-row",
    "td": "table-cell",
    "th": "table-cell",
    "thead": "table-header-group",
    "tbody": "table-row-group",
    "tfoot": "table-footer-group",
    "button": "inline-block",
    "select": "inline-block",
}

# Inline style declarations podsum acts on; the last one wins unless an earlier one is
# !important.
_DECL = re.compile(
    r"(?:^|;)\s*(display|visibility|white-space)\s*:\s*([^;!]*?)\s*(!\s*important\s*)?(?=;|$)",
    re.I,
)
_WS = re.compile(r"[ \t\n\r\f]+")
_PRE_LINE_SPACES = re.compile(r"[ \t\r\f]*\n[ \t\r\f]*")
_META_CHARSET = re.compile(
    rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.I
)
_WS_NORMAL, _WS_PRE, _WS_PRE_LINE = 0, 1, 2
_WHITE_SPACE = {
    "normal": _WS_NORMAL,
    "nowrap": _WS_NORMAL,
    "pre": _WS_PRE,
    "pre-wrap": _WS_PRE,
    "break-spaces": _WS_PRE,
    "pre-line": _WS_PRE_LINE,
}
_MAX_URL = 2048
_HEAD_CHUNK = 4096  # canonical_url feeds the parser this much at a time


def sniff_meta_charset(data: bytes) -> str | None:
    """The encoding a ``<meta charset>`` or ``http-equiv`` tag declares, if any."""
    m = _META_CHARSET.search(data[:8192])
    return m.group(1).decode("ascii") if m else None


def _style(style: str) -> dict[str, str]:
    """The display / visibility / white-space values an inline style sets."""
    found: dict[str, str] = {}
    important: set[str] = set()
    for m in _DECL.finditer(style):
        prop = m.group(1).lower()
        if prop in important:
            continue
        found[prop] = " ".join(m.group(2).lower().split())
        if m.group(3):
            important.add(prop)
    return found


def _display_value(value: str) -> str | None:
    """A ``display`` value in its one-keyword form; None for what podsum cannot tell."""
    if value in _DISPLAY_KIND:
        return value
    words = value.split()
    if "list-item" in words:
        return "list-item" if "inline" not in words else "inline-block"
    if len(words) == 2:
        return _TWO_KEYWORDS.get((words[0], words[1]))
    if value in ("initial", "unset"):
        return "inline"
    return None  # revert, var(--x), …: keep the tag's own display


def absolute_http_url(value: str | None) -> str | None:
    """``value`` when it is an absolute http(s) URL with a host, else None."""
    if not value:
        return None
    url = value.strip()
    if len(url) > _MAX_URL or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


class _Line:
    """White-space state of one run of lines (a block formatting context)."""

    __slots__ = ("content", "space")

    def __init__(self) -> None:
        self.content = False  # has the current line something a space can follow?
        self.space = -1  # index in items of a space that stands only if content follows
        # (-2: a space that collapses the next ones but shows nothing, being invisible)


class _Frame:
    """What an open element does to the text when it ends, and what its children get."""

    __slots__ = (
        "breaks",
        "cells",
        "closed_details",
        "display",
        "flex",
        "ignore_space",
        "kind",
        "pre_start",
        "select",
        "summary_seen",
        "visible",
        "ws",
    )

    def __init__(self, visible: bool, ws: int) -> None:
        self.display = "block"
        self.breaks = 0  # required line breaks around it
        self.kind = _INLINE
        self.visible = visible
        self.ws = ws
        self.flex = False  # children are flex/grid items (blockified)
        self.cells = 0  # table cells seen among its children
        self.closed_details = False
        self.summary_seen = False
        self.select = False  # only option/optgroup children show
        self.pre_start = False  # a newline right after <pre> is not text
        self.ignore_space = False  # white space between table rows/cells is not text


class _Collector:
    """lxml parser target: turns start/end/data events into text and line breaks."""

    def __init__(self) -> None:
        self.items: list[str | int] = []  # text, or a count of required line breaks
        self.frames: list[_Frame] = [_Frame(True, _WS_NORMAL)]
        self.lines: list[_Line] = [_Line()]
        self.hiding = 0  # depth inside an element that shows nothing
        self.in_body = False
        self.canonical: str | None = None
        self.og_url: str | None = None

    # -- white space ------------------------------------------------------------------

    def _break_line(self) -> None:
        """A line ends: a space waiting at its end goes."""
        line = self.lines[-1]
        if line.space >= 0:
            self.items[line.space] = ""
        line.space = -1
        line.content = False

    def _space(self, visible: bool) -> None:
        line = self.lines[-1]
        if not line.content or line.space != -1:
            return  # at a line's start, or after another space: collapsed
        if visible:
            line.space = len(self.items)
            self.items.append(" ")
        else:
            line.space = -2

    def _content(self, text: str, visible: bool) -> None:
        line = self.lines[-1]
        line.space = -1  # the space before it stands
        line.content = True
        if visible and text:
            self.items.append(text)

    def _text(self, text: str, frame: _Frame) -> None:
        if frame.ws == _WS_PRE:
            if frame.pre_start:
                frame.pre_start = False
                text = text[1:] if text.startswith("\n") else text
            if text:
                self._content(text, frame.visible)
            return
        if frame.ws == _WS_PRE_LINE:
            for n, part in enumerate(_PRE_LINE_SPACES.split(text)):
                if n:
                    self._newline(frame.visible)
                self._collapse(part, frame.visible)
            return
        self._collapse(text, frame.visible)

    def _collapse(self, text: str, visible: bool) -> None:
        if not text:
            return
        core = _WS.sub(" ", text)
        lead = core.startswith(" ")
        core = core.strip(" ")
        if lead:
            self._space(visible)
        if core:
            self._content(core, visible)
            if text[-1] in " \t\n\r\f":
                self._space(visible)

    def _newline(self, visible: bool) -> None:
        self._break_line()
        if visible:
            self.items.append("\n")

    # -- events -----------------------------------------------------------------------

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if not self.in_body:
            if tag == "body":
                self.in_body = True
            elif tag == "link" or tag == "meta":
                self._head_url(tag, attrib)
        if self.hiding:
            self.hiding += 1
            return
        parent = self.frames[-1]
        parent.pre_start = False  # only text right after <pre> loses its first newline
        if tag in _NEVER:
            self.hiding = 1
            return
        if parent.closed_details:
            if tag != "summary" or parent.summary_seen:
                self.hiding = 1
                return
            parent.summary_seen = True
        if parent.select and tag not in ("option", "optgroup"):
            self.hiding = 1
            return

        style = _style(attrib["style"]) if "style" in attrib else {}
        display = None
        if "display" in style:
            value = style["display"]
            display = parent.display if value == "inherit" else _display_value(value)
        if display is None:
            hidden = (
                "hidden" in attrib
                or (tag == "dialog" and "open" not in attrib)
                or (tag == "audio" and "controls" not in attrib)
                or (tag == "input" and attrib.get("type", "").strip().lower() == "hidden")
            )
            display = "none" if hidden else _TAG_DISPLAY.get(tag, "inline")
        kind = _DISPLAY_KIND[display]
        if kind == _NONE:
            self.hiding = 1
            return
        if parent.flex and display != "contents":
            kind = _BLOCK  # a flex or grid item is block-level
            display = _BLOCKIFIED.get(display, display if display in _FLEX_DISPLAYS else "block")
        visibility = style.get("visibility")
        if visibility == "hidden" or visibility == "collapse":
            visible = False
        else:
            visible = visibility == "visible" or parent.visible
        ws = _WHITE_SPACE.get(style.get("white-space", ""), parent.ws)
        if tag in _PRE_TAGS and "white-space" not in style:
            ws = _WS_PRE

        if tag in _REPLACED:
            # A box with no text: it stands on the line (or as a block) and that is all.
            if kind in (_ATOMIC, _INLINE):
                self._content("", visible)
            else:
                self._break_line()
                if visible:
                    self.items.append(1)
            self.hiding = 1
            return

        frame = _Frame(visible, ws)
        frame.kind = kind
        frame.display = display
        if tag == "p":
            frame.breaks = 2  # whatever its display
        elif kind in (_BLOCK, _ROW):
            frame.breaks = 1
        if kind in (_BLOCK, _ROW):
            self._break_line()
        elif kind == _ATOMIC:
            self._content("", visible)
            self.lines.append(_Line())
        elif kind == _CELL:
            if parent.cells and visible:
                self.items.append("\t")
            parent.cells += 1
            self.lines.append(_Line())
        if frame.breaks and visible:
            self.items.append(frame.breaks)
        if tag == "br":
            self._newline(visible)
        frame.flex = display in _FLEX_DISPLAYS or (display == "contents" and parent.flex)
        frame.closed_details = tag == "details" and "open" not in attrib
        frame.select = tag == "select"
        frame.pre_start = tag in _PRE_TAGS
        frame.ignore_space = kind in (_ROW, _GROUP) or display in ("table", "inline-table")
        self.frames.append(frame)

    def end(self, tag: str) -> None:
        if self.hiding:
            self.hiding -= 1
            return
        if len(self.frames) == 1:
            return  # an end without its start
        frame = self.frames.pop()
        kind = frame.kind
        if kind in (_BLOCK, _ROW):
            self._break_line()
        elif kind in (_ATOMIC, _CELL):
            self._break_line()
            self.lines.pop()
            if kind == _ATOMIC:
                line = self.lines[-1]
                line.content = True
                line.space = -1
        if frame.breaks and frame.visible:
            self.items.append(frame.breaks)

    def data(self, text: str) -> None:
        if self.hiding:
            return
        frame = self.frames[-1]
        if frame.closed_details or frame.select:
            return
        if frame.ignore_space and text.isspace():
            return
        self._text(text, frame)

    def close(self) -> str:
        return _assemble(self.items)

    def _head_url(self, tag: str, attrib: dict[str, str]) -> None:
        """Keep the first absolute canonical link and og:url the head declares."""
        if tag == "link":
            if self.canonical is None and "canonical" in attrib.get("rel", "").lower().split():
                self.canonical = absolute_http_url(attrib.get("href"))
        elif self.og_url is None:
            key = (attrib.get("property") or attrib.get("name") or "").strip().lower()
            if key == "og:url":
                self.og_url = absolute_http_url(attrib.get("content"))

    @property
    def url(self) -> str | None:
        return self.canonical or self.og_url


def _walk(html: str, collector: _Collector, head_only: bool = False) -> None:
    from lxml import etree  # heavy: HTML only

    parser = etree.HTMLParser(
        target=cast(Any, collector),  # the stubs type targets as str | bytes handlers
        encoding="utf-8",
        huge_tree=True,
        remove_comments=True,
    )
    data = html.encode("utf-8", "surrogatepass")
    try:
        if head_only:
            # The head is at the top: feed it in pieces and stop where the body starts.
            for at in range(0, len(data), _HEAD_CHUNK):
                parser.feed(data[at : at + _HEAD_CHUNK])
                if collector.in_body or collector.canonical:
                    break
        else:
            parser.feed(data)
        parser.close()
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        pass  # an empty or broken document: keep what was collected


def html_to_text_and_url(html: str) -> tuple[str, str | None]:
    """The page's innerText lines and its canonical URL (``<link rel=canonical>``, else
    ``og:url``; absolute http(s) only), from one walk."""
    collector = _Collector()
    _walk(html, collector)
    return collector.close(), collector.url


def html_to_text(html: str) -> str:
    """The lines Chromium's ``innerText`` gives for the page."""
    return html_to_text_and_url(html)[0]


def canonical_url(html: str) -> str | None:
    """The saved page's own address as its head declares it: ``<link rel="canonical">``
    first, else ``<meta property="og:url">``; only absolute http(s) URLs. Reads the
    head only."""
    collector = _Collector()
    _walk(html, collector, head_only=True)
    return collector.url


def _assemble(items: list[str | int]) -> str:
    """Join text and break counts: a run of counts becomes its largest count of
    newlines; counts at the very start and end go."""
    out: list[str] = []
    pending = 0
    started = False
    for item in items:
        if isinstance(item, int):
            if item > pending:
                pending = item
            continue
        if not item:
            continue
        if pending and started:
            out.append("\n" * pending)
        pending = 0
        started = True
        out.append(item)
    return "".join(out)
