"""Reversible Markdown escaping for page text.

Page text must never change a document's structure: no headings, lists, block quotes,
HTML, links, emphasis or code that the page did not mean. Every escape is a CommonMark
backslash escape (or, for a whole reserved heading, a numeric character reference), so
``unescape(escape(s)) == s`` and podsum can read its own Markdown back.
"""

from __future__ import annotations

import re

# Inline characters that start emphasis, code, links, HTML, entities, tables or
# strikethrough. A backslash is always doubled so unescaping is unambiguous.
_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
# At the start of a line: headings, block quotes, list bullets, thematic breaks,
# setext underlines, fenced code, and ordered list markers like "1." or "1)".
_LINE_START = re.compile(r"^([#>+\-=*]|(?=\d{1,9}[.)]))")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|&#(\d{1,7});")
_AUTOLINK = re.compile(r"(?<=[A-Za-z])(:)(?=//)|(?<=[Ww]{3})(\.)")


def escape_inline(text: str) -> str:
    text = _INLINE.sub(r"\\\1", text)
    return _AUTOLINK.sub(lambda m: "\\" + m.group(0), text)


def escape_line(line: str) -> str:
    """Escape one line of page text for use anywhere in a Markdown block."""
    line = escape_inline(line)
    m = _ORDERED.match(line)
    if m:
        return m.group(1) + "\\" + m.group(2) + line[m.end() :]
    if line[:1] and line[0] in "#>+-=*":
        return "\\" + line
    if line[:1].isspace():
        # Leading blanks would indent the line into a code block or a list item's
        # continuation (or be trimmed); a character reference keeps them as text.
        return entity_first(line)
    return line


def escape_block(text: str) -> str:
    """Escape multi-line text; paragraphs stay separated by blank lines."""
    return "\n".join(escape_line(line) for line in text.split("\n"))


def entity_first(text: str) -> str:
    """Write the first character as a character reference (for reserved headings)."""
    return f"&#{ord(text[0])};" + text[1:] if text else text


def unescape(text: str) -> str:
    return _UNESCAPE.sub(lambda m: m.group(1) or chr(int(m.group(2))), text)
