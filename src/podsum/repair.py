"""Repair of decoded page text: mojibake, terminal escapes, control characters.

Everything here works line by line and only on lines that need it: an ASCII line is
returned as it is after one ``str.isascii`` check, and ftfy is imported the first time a
line looks like mojibake, so clean pages never pay for it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Whole escape sequences, not just the ESC byte: CSI (ESC [ ... final), OSC (ESC ] ...
# BEL or ST) and the 8-bit forms, then any other two-byte ESC sequence.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x9d[^\x07\x9c]*[\x07\x9c]?"
    r"|\x1b[ -~]?"
)
# C0 other than tab and newline, DEL, C1, bidi embeddings/overrides/isolates, and
# stray BOMs. Tab is mapped to a space by the line normaliser, not removed.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
# Spaces that copy-paste turns ordinary text into; all become one ASCII space.
_SPACES = re.compile("[\t\u00a0\u2007\u202f ]+")

# Characters that a UTF-8 byte becomes when read as windows-1252 or windows-1253. A
# line with none of them cannot be mojibake of either kind.
_SUSPECT = re.compile(
    "[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
    "\u0384-\u03ce]"
)


def strip_escapes(text: str) -> tuple[str, bool]:
    """Remove terminal escape sequences; return the text and whether any were found."""
    if "\x1b" not in text and "\x9b" not in text and "\x9d" not in text:
        return text, False
    cleaned = _ESCAPES.sub("", text)
    return cleaned, cleaned != text


def strip_controls(text: str, keep_newlines: bool = True) -> tuple[str, bool]:
    """Remove control and bidi-override characters (newlines kept if asked)."""
    cleaned = _CONTROLS.sub("", text)
    if not keep_newlines:
        cleaned = cleaned.replace("\n", " ").replace("\r", " ")
    return cleaned, cleaned != text


def normalise_spaces(line: str) -> str:
    """Tabs and non-breaking spaces to one space, ends trimmed: what a reader sees."""
    return _SPACES.sub(" ", line).strip()


# --- mojibake ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def _cp1253_table() -> dict[str, int]:
    """Character -> byte for windows-1253, falling back to windows-1252 where 1253 has no
    character (0x9F became 'Ÿ' in the seed page). Built once, on first need."""
    table: dict[str, int] = {}
    for b in range(0x80, 0x100):
        for codec in ("cp1253", "cp1252"):
            try:
                ch = bytes([b]).decode(codec)
            except UnicodeDecodeError:
                continue
            table.setdefault(ch, b)
            break
    return table


def _fix_cp1253_run(run: str) -> str:
    table = _cp1253_table()
    data = bytes(table[c] for c in run)
    try:
        fixed = data.decode("utf-8")
    except UnicodeDecodeError:
        return run
    return fixed


def fix_cp1253(line: str) -> str:
    """Undo UTF-8 read as windows-1253 (with 1252 fallback).

    ftfy 6.3 does not try this mix, so the seed's flags ``πŸ‡¨πŸ‡³`` stay broken under it.
    A run of non-ASCII characters is replaced only when all of its bytes form valid
    UTF-8, which ordinary Greek text practically never does.
    """
    table = _cp1253_table()
    out: list[str] = []
    run: list[str] = []
    for ch in line:
        if ch in table:
            run.append(ch)
            continue
        if run:
            out.append(_fix_cp1253_run("".join(run)))
            run = []
        out.append(ch)
    if run:
        out.append(_fix_cp1253_run("".join(run)))
    return "".join(out)


@lru_cache(maxsize=1)
def _ftfy_fix() -> Any:
    import ftfy  # heavy: imported only when a line looks like mojibake

    config = ftfy.TextFixerConfig(
        # Encoding repair only: the other fixes change text that is right (curly quotes,
        # full-width CJK, ligatures, normalisation), which podsum must not do.
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )
    return lambda s: ftfy.fix_text(s, config)


def fix_mojibake(line: str) -> str:
    """Restore what the author wrote; correct text comes back unchanged."""
    if line.isascii() or not _SUSPECT.search(line):
        return line
    fixed: str = _ftfy_fix()(line)
    if "π" in fixed or "β" in fixed or "Ξ" in fixed or "Ο" in fixed:
        fixed = fix_cp1253(fixed)
    return fixed
