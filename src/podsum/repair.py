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


def _byte_chars(codecs: tuple[str, ...], lo: int, hi: int) -> str:
    """The characters bytes lo..hi become under the first of ``codecs`` that maps them."""
    out = []
    for b in range(lo, hi + 1):
        for codec in codecs:
            try:
                out.append(bytes([b]).decode(codec))
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append(chr(b))  # browsers map 1252's unassigned bytes to C1 controls
    return "".join(out)


def _pair_pattern(codecs: tuple[str, ...], extra_continuations: str = "") -> re.Pattern[str]:
    # Mojibake of UTF-8 always shows a lead byte (0xC2-0xF4) followed by a continuation
    # byte (0x80-0xBF) as read through the code page. Text without such a pair cannot be
    # this kind of mojibake, whatever else it holds (curly quotes, accents, Greek).
    leads = re.escape(_byte_chars(codecs, 0xC2, 0xF4))
    conts = re.escape(_byte_chars(codecs, 0x80, 0xBF) + extra_continuations)
    return re.compile(f"[{leads}][{conts}]")


# windows-1252, and " " for the 0xA0 that copy-paste turns into a space ("Ã la carte").
_SUSPECT_1252 = _pair_pattern(("cp1252",), " ")
# windows-1253 falling back to 1252 where 1253 has no character: the seed's flags.
_SUSPECT_1253 = _pair_pattern(("cp1253", "cp1252"))


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
        fix_c1_controls=False,  # C1 controls are removed (and warned about), not guessed at
        normalization=None,
        explain=False,
    )
    return lambda s: ftfy.fix_text(s, config)


def fix_mojibake(line: str) -> str:
    """Restore what the author wrote; correct text comes back unchanged."""
    if line.isascii():
        return line
    if _SUSPECT_1252.search(line):
        line = _ftfy_fix()(line)
    if _SUSPECT_1253.search(line):
        line = fix_cp1253(line)
    return line
