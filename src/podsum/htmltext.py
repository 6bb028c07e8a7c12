"""HTML -> the lines a browser's ``innerText`` gives, for the text parser.

A simplified form of the HTML standard's "rendered text collection steps": no CSS
engine, so only the ``hidden`` attribute and inline ``display:none`` /
``visibility:hidden`` hide things, and block-ness comes from the tag name. The walk is
an explicit stack, so 10,000 nested elements cannot raise RecursionError.
"""

from __future__ import annotations

import re

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


def html_to_text(html: str) -> str:
    from bs4 import BeautifulSoup  # heavy: HTML only
    from bs4.element import Comment, NavigableString, Tag

    soup = BeautifulSoup(html, "lxml")
    items: list[str | int] = []  # text, or a count of required line breaks
    # Stack of (node, entering?) pairs: exit markers add the trailing breaks.
    stack: list[tuple[object, bool]] = [(soup, True)]
    pre_depth = 0
    while stack:
        node, entering = stack.pop()
        if isinstance(node, NavigableString):
            if isinstance(node, Comment) or type(node).__name__ in (
                "Doctype",
                "Declaration",
                "ProcessingInstruction",
                "CData",
            ):
                continue
            text = str(node)
            items.append(text if pre_depth else _WS.sub(" ", text))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if not entering:
            if name == "pre":
                pre_depth -= 1
            if name == "p":
                items.append(2)
            elif name in ("td", "th"):
                items.append("\t")
            elif name in _BLOCK:
                items.append(1)
            continue
        if name in _SKIP or node.has_attr("hidden"):
            continue
        style = node.get("style")
        if isinstance(style, str) and _HIDDEN_STYLE.search(style):
            continue
        if name == "br":
            items.append("\n")
            continue
        if name == "p":
            items.append(2)
        elif name in _BLOCK:
            items.append(1)
        if name == "pre":
            pre_depth += 1
        stack.append((node, False))
        stack.extend((child, True) for child in reversed(node.contents))
    return _assemble(items)


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
