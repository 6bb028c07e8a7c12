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
# BEL or ST; OSC 8 links, OSC 52 clipboard), DCS/SOS/PM/APC, then any other two-byte
# ESC sequence. None runs past the end of its line, so a stray ESC cannot eat a page.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b\n]*(?:\x1b\\)?"
    r"|\x1b[ -~]?"
)
# The 8-bit forms (C1 CSI and OSC). Removed only after mojibake repair: in text that
# went through latin-1, 0x9B and 0x9D are pieces of UTF-8 characters, not escapes.
_C1_ESCAPES = re.compile(r"\x9b[0-?]*[ -/]*[@-~]|\x9d[0-9]+;[^\x07\x9c\n]*(?:\x07|\x9c)")
# C0 other than tab and newline, DEL, C1, bidi embeddings/overrides/isolates, stray
# BOMs, and lone surrogates (a str from elsewhere may hold them; UTF-8 cannot). Tab is
# mapped to a space by the line normaliser, not removed.
_CONTROLS = re.compile(
    # (surrogates written with chr(): mypyc cannot compile them as literals)
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff"
    + chr(0xD800)
    + "-"
    + chr(0xDFFF)
    + "]"
)
# Spaces that copy-paste turns ordinary text into; all become one ASCII space. Only runs
# that need a change match, so clean text costs one scan.
_SPACES = re.compile("[\t\u00a0\u2007\u202f ]{2,}|[\t\u00a0\u2007\u202f]")


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


def _pair_pattern(codecs: tuple[str, ...], extra: str = "") -> re.Pattern[str]:
    # Mojibake of UTF-8 always shows a lead byte (0xC2-0xF4) followed by a continuation
    # byte (0x80-0xBF) as read through the code page. Text without such a pair cannot be
    # this kind of mojibake, whatever else it holds (curly quotes, accents, Greek).
    leads = re.escape(_byte_chars(codecs, 0xC2, 0xF4))
    conts = re.escape(_byte_chars(codecs, 0x80, 0xBF))
    return re.compile(f"[{leads}][{conts}]{extra}")


# windows-1252, and "Ã " / "Â " for the 0xA0 that copy-paste turns into a space
# ("Ã la carte" was "à la carte").
_SUSPECT_1252 = _pair_pattern(("cp1252",), "|[\u00c2\u00c3] ")
# windows-1253 falling back to 1252 where 1253 has no character: the seed's flags.
_SUSPECT_1253 = _pair_pattern(("cp1253", "cp1252"))


def strip_escapes(text: str) -> tuple[str, bool]:
    """Remove terminal escape sequences; return the text and whether any were found."""
    if "\x1b" not in text:
        return text, False
    cleaned = _ESCAPES.sub("", text)
    return cleaned, cleaned != text


def strip_controls(text: str, keep_newlines: bool = True) -> tuple[str, bool]:
    """Remove 8-bit escape sequences, control and bidi-override characters (newlines
    kept if asked). Run after mojibake repair."""
    cleaned = _CONTROLS.sub("", _C1_ESCAPES.sub("", text))
    if not keep_newlines:
        cleaned = cleaned.replace("\n", " ").replace("\r", " ")
    return cleaned, cleaned != text


def normalise_spaces(text: str) -> str:
    """Tabs, non-breaking spaces and runs of spaces become one space (lines untrimmed)."""
    # ``in`` runs at C speed; the regex scan is the slow part, so skip it when we can.
    if "  " in text or "\t" in text or "\u00a0" in text or "\u2007" in text or "\u202f" in text:
        return _SPACES.sub(" ", text)
    return text


# --- mojibake ---------------------------------------------------------------------


class _RunDecoder:
    """Undo UTF-8 read through a single-byte code page, for runs that are unambiguous.

    A run of characters that the code page makes from bytes 0x80-0xFF is turned back into
    those bytes; it is replaced only when all of them form valid UTF-8, which correct text
    practically never does (a lone "é" or "’" is one byte, never valid UTF-8 alone).
    """

    def __init__(self, codecs: tuple[str, ...]) -> None:
        chars = _byte_chars(codecs, 0x80, 0xFF)
        self._run = re.compile("[" + re.escape(chars) + "]{2,}")
        self._latin1 = {ord(c): 0x80 + i for i, c in enumerate(chars)}  # then "latin-1"

    def _fix(self, m: re.Match[str]) -> str:
        run = m.group()
        try:
            return run.translate(self._latin1).encode("latin-1").decode("utf-8")
        except UnicodeDecodeError:
            return run

    def __call__(self, line: str) -> str:
        return self._run.sub(self._fix, line)


# The common kind: windows-1252 (what ftfy handles; this is its fast path).
_fix_runs_1252 = _RunDecoder(("cp1252",))
# windows-1253 with a 1252 fallback where 1253 has no character: the seed's flags
# (0x9F became 'Ÿ'). ftfy 6.3 does not try this mix, so πŸ‡¨πŸ‡³ stays broken under it.
fix_cp1253 = _RunDecoder(("cp1253", "cp1252"))


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
        # Whole runs that decode cleanly are fixed here at C speed; ftfy (slow, but
        # smarter about partial damage such as a lost 0xA0) sees what is left.
        for _ in range(3):  # text mis-decoded twice is fixed one layer per pass
            fixed = _fix_runs_1252(line)
            if fixed == line:
                break
            line = fixed
            if not _SUSPECT_1252.search(line):
                break
        if _SUSPECT_1252.search(line):
            line = _ftfy_fix()(line)
    if _SUSPECT_1253.search(line):
        line = fix_cp1253(line)
    return line
