"""Clean every text field of a Summary that did not come through the text parser, and
make any one line of text safe to print on a terminal.

Records read back from JSON, Markdown or the library may have been written by anything;
they get the same guarantee as parsed pages: no escapes or control characters, no
newlines in one-line fields.
"""

from __future__ import annotations

import re
from dataclasses import fields
from typing import Any

from .model import MULTILINE_FIELDS, ParseWarning, Summary
from .repair import strip_controls, strip_escapes


def _clean(value: str, multiline: bool) -> str:
    value, _ = strip_escapes(value)
    value, _ = strip_controls(value, keep_newlines=multiline)
    return value


def _walk(obj: Any) -> bool:
    changed = False
    for f in fields(obj):
        if f.name in ("source", "warnings"):
            continue
        value = getattr(obj, f.name)
        if isinstance(value, str):
            cleaned = _clean(value, f.name in MULTILINE_FIELDS)
            if cleaned != value:
                setattr(obj, f.name, cleaned)
                changed = True
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    cleaned = _clean(item, False)
                    if cleaned != item:
                        value[i] = cleaned
                        changed = True
                elif hasattr(item, "__dataclass_fields__"):
                    changed |= _walk(item)
    return changed


def sanitise(summary: Summary) -> Summary:
    """Clean ``summary`` in place; a record that needed it gets one warning saying so
    (one in all: running it again, or after a reader that warned already, adds none)."""
    if _walk(summary) and not any(w.code == "control-chars-removed" for w in summary.warnings):
        summary.warnings.append(
            ParseWarning("control-chars-removed", "removed escapes or control characters", None)
        )
    return summary


# What a terminal acts on or that reorders or hides text: C0 controls (ESC, BEL, CR, LF
# and the rest), DEL, C1 controls (U+009B is an 8-bit CSI, U+009D an 8-bit OSC), bidi
# marks, embeddings, overrides and isolates, line and paragraph separators, the BOM, and
# lone surrogates (undecodable bytes of a file name arrive as U+DC80-U+DCFF). INVISIBLE
# is the part that JSON text leaves raw (it escapes C0 controls itself).
# (surrogates written with chr(): mypyc cannot compile them as literals)
INVISIBLE = (
    "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
    + chr(0xD800)
    + "-"
    + chr(0xDFFF)
)
_UNSAFE = re.compile("[\x00-\x1f" + INVISIBLE + "]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _visible(m: re.Match[str]) -> str:
    c = m.group()
    n = ord(c)
    if c in _NAMED:
        return _NAMED[c]
    if n <= 0xFF:
        return f"\\x{n:02x}"
    if 0xDC80 <= n <= 0xDCFF:  # a byte the file system name did not decode
        return f"\\x{n - 0xDC00:02x}"
    return f"\\u{n:04x}"


def for_terminal(text: str) -> str:
    """``text`` as one line that is safe to print: every control, bidi or undecodable
    character is shown as a visible escape (``\\x1b``, ``\\n``, ``\\u202e``, ``\\xff``
    for a byte of a file name), so an escape sequence is printed as text, never acted on,
    and the line still shows which file or value it is about."""
    if text.isascii() and text.isprintable():
        return text
    return _UNSAFE.sub(_visible, text)
