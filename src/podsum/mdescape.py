"""Reversible Markdown escaping for page text.

Page text must never change a document's structure: no headings, lists, block quotes,
HTML, links, emphasis or code that the page did not mean, and in Obsidian no tags,
wikilinks, highlights, comments, math, block ids or email links either. Every escape is
a CommonMark backslash escape or a numeric character reference, so
``unescape(escape(s)) == s`` and podsum can read its own Markdown back, and a CommonMark
renderer shows exactly the page's text.
"""

from __future__ import annotations

import re

# Characters escaped wherever they are (a backslash is always doubled so unescaping is
# unambiguous): emphasis, code, links, wikilinks, HTML, entities, tables, strikethrough
# and Obsidian math. Then the ones that mean something only in company:
# - "#" that starts an Obsidian tag or ends a heading line ("C#", "a#b" and "a # b" stay);
# - "@" after any other character, so an email address is never linked (GFM, Obsidian);
# - "=" and "%" in runs of two or more: Obsidian highlights and comments;
# - "^" that starts a word: an Obsidian block id;
# - ":" of "scheme://" and "." of "www.": bare URLs that GFM and Obsidian link.
_ESCAPE = re.compile(
    r"[\\`*_\[\]<>&|~$]"
    r"|(?<!\w)#(?=\S|\s*$)"
    r"|(?<=\S)@"
    r"|=(?==)|(?<==)="
    r"|%(?=%)|(?<=%)%"
    r"|(?<!\S)\^"
    r"|(?<=[A-Za-z]):(?=//)|(?<=[Ww]{3})\."
)
# At the start of a line: headings, block quotes, list bullets, thematic breaks and
# setext underlines; ordered list markers like "1." or "1)" are handled apart.
_LINE_START = "#>+-=*"
_ORDERED = re.compile(r"^(\d{1,9})([.)])")
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|&#(\d{1,7});")
_NEWLINES = re.compile(r"\n+")
NEWLINE_REF = "&#10;"


def escape_inline(text: str) -> str:
    """Escape text that sits inside a line (after ``- key: ``, say)."""
    return _ESCAPE.sub(r"\\\g<0>", text)


def _entity(ch: str) -> str:
    return f"&#{ord(ch)};"


def entity_first(text: str) -> str:
    """Write the first character as a character reference (for reserved headings)."""
    return _entity(text[0]) + text[1:] if text else text


def keep_edges(text: str) -> str:
    """Blanks at either end of a line are trimmed by Markdown (and two at the end make a
    hard break; four at the start, code): write the outer ones as character references."""
    if text[:1].isspace():
        text = entity_first(text)
    if text[-1:].isspace():
        text = text[:-1] + _entity(text[-1])
    return text


def escape_line(line: str) -> str:
    """Escape one line of page text for use anywhere in a Markdown block."""
    line = escape_inline(line)
    m = _ORDERED.match(line)
    if m:
        line = m.group(1) + "\\" + m.group(2) + line[m.end() :]
    elif line[:1] and line[0] in _LINE_START:
        line = "\\" + line
    return keep_edges(line)


def escape_block(text: str) -> str:
    """Escape multi-line text as paragraphs that read back to exactly this text.

    A single newline is a line break and a blank line a paragraph break. Every other
    newline (leading, trailing, or beyond the first blank line of a run) is written as
    the character reference ``&#10;`` on a neighbouring line, so the Markdown never has
    a leading, trailing or doubled blank line, which a reader could not count.
    """
    parts = _NEWLINES.split(text)
    runs = [len(m.group()) for m in _NEWLINES.finditer(text)]
    lines = [escape_line(p) for p in parts]
    if len(lines) == 1:
        return lines[0]
    out = lines[0]
    if not out:  # the text starts with newlines: they go before the first line
        out = NEWLINE_REF * runs[0]
        runs[0] = 0
    for n, run in enumerate(runs):
        line = lines[n + 1]
        if n + 1 == len(runs) and not line:  # newlines at the end
            out += NEWLINE_REF * run
        elif run == 1:
            out += "\n" + line
        elif run == 0:
            out += line
        else:
            out += "\n\n" + NEWLINE_REF * (run - 2) + line
    return out


def unescape(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        if m.group(1):
            return m.group(1)
        code = int(m.group(2))
        return chr(code) if code <= 0x10FFFF else m.group()  # hand edits: leave as text

    return _UNESCAPE.sub(repl, text)
