"""HTML -> the lines a browser's ``innerText`` gives, for the text parser.

A simplified form of the HTML standard's "rendered text collection steps": no CSS
engine, so only the ``hidden`` attribute and inline ``display:none`` /
``visibility:hidden`` hide things, and block-ness comes from the tag name. The walk is
an event stream with no tree at all, so 10,000 nested elements cannot raise
RecursionError or hit libxml2's tree-depth limit (2,048 levels, after which a tree
parse silently drops the rest of the page).

The events come from lxml's HTML parser with a parser target (as BeautifulSoup's lxml
builder gets them). BeautifulSoup itself was the first choice, but building its tree
took 2.5 ms for the sample page, 20 times lxml's parse and more than the HTML budget of
issue 5 (half of trafilatura.extract). Checked against Chromium's innerText in tests.
"""

from __future__ import annotations

import re
from typing import Any, cast

_SKIP = frozenset(
    [
        "head",
        "script",
        "style",
        "template",
        "noscript",
        "title",
        "meta",
        "link",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "canvas",
        "audio",
        "video",
        "source",
        "track",
        "select",
        "datalist",
        "button",
        "input",
        "textarea",
    ]
)
_BLOCK = frozenset(
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
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "caption",
        "ul",
        "xmp",
    ]
)
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b", re.I)
_WS = re.compile(r"[ \t\n\r\f]+")
_META_CHARSET = re.compile(
    rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.I
)


def sniff_meta_charset(data: bytes) -> str | None:
    """The encoding a ``<meta charset>`` or ``http-equiv`` tag declares, if any."""
    m = _META_CHARSET.search(data[:8192])
    return m.group(1).decode("ascii") if m else None


class _Collector:
    """lxml parser target: turns start/end/data events into text and line breaks."""

    def __init__(self) -> None:
        self.items: list[str | int] = []  # text, or a count of required line breaks
        self.hidden: list[bool] = []  # per open element: is it (or an ancestor) hidden?
        self.hiding = 0
        self.pre = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        style = attrib.get("style")
        hide = bool(
            self.hiding
            or tag in _SKIP
            or "hidden" in attrib
            or (style and _HIDDEN_STYLE.search(style))
        )
        self.hidden.append(hide)
        if hide:
            self.hiding += 1
            return
        if tag == "br":
            self.items.append("\n")
        elif tag == "p":
            self.items.append(2)
        elif tag in _BLOCK:
            self.items.append(1)
        if tag == "pre":
            self.pre += 1

    def end(self, tag: str) -> None:
        if not self.hidden:
            return
        if self.hidden.pop():
            self.hiding -= 1
            return
        if tag == "pre":
            self.pre -= 1
        if tag == "p":
            self.items.append(2)
        elif tag in ("td", "th"):
            self.items.append("\t")
        elif tag in _BLOCK:
            self.items.append(1)

    def data(self, text: str) -> None:
        if not self.hiding:
            self.items.append(text if self.pre else _WS.sub(" ", text))

    def close(self) -> str:
        return _assemble(self.items)


def html_to_text(html: str) -> str:
    from lxml import etree  # heavy: HTML only

    collector = _Collector()
    parser = etree.HTMLParser(
        target=cast(Any, collector),  # the stubs type targets as str | bytes handlers
        encoding="utf-8",
        huge_tree=True,
        remove_comments=True,
    )
    try:
        parser.feed(html.encode("utf-8", "surrogatepass"))
        parser.close()
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        pass  # an empty or broken document: keep what was collected
    return collector.close()


def _assemble(items: list[str | int]) -> str:
    """Join text and break counts: a run of breaks becomes its largest count of newlines."""
    out: list[str] = []
    pending = 0
    started = False
    for item in items:
        if isinstance(item, int):
            pending = max(pending, item)
            continue
        if not item or (item.isspace() and (pending or not started)):
            continue  # collapsible white space at the start of a line
        if pending and started:
            out.append("\n" * pending)
        pending = 0
        started = True
        out.append(item)
    text = "".join(out)
    # CSS drops spaces at the start and end of each line; the tab between the last cell
    # of a row and the row's end goes too.
    return "\n".join(line.strip(" \t") for line in text.split("\n"))
