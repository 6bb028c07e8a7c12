"""Repair of decoded page text: mojibake, terminal escapes, control characters.

Everything here works line by line and only on lines that need it: an ASCII line is
returned as it is after one ``str.isascii`` check, and ftfy is imported the first time a
line looks like mojibake, so clean pages never pay for it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from encodings import cp1252
from functools import lru_cache
from typing import Any, Final

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


# Mojibake of UTF-8 always shows a lead byte (0xC2-0xF4) followed by a continuation
# byte (0x80-0xBF) as read through the code page. Text without such a pair cannot be
# this kind of mojibake, whatever else it holds (curly quotes, accents, Greek).
# (leads, continuations) of windows-1252, and of windows-1253 falling back to 1252 where
# 1253 has no character (the seed's flags).
_PAIRS_1252 = (_byte_chars(("cp1252",), 0xC2, 0xF4), _byte_chars(("cp1252",), 0x80, 0xBF))
_PAIRS_1253 = (
    _byte_chars(("cp1253", "cp1252"), 0xC2, 0xF4),
    _byte_chars(("cp1253", "cp1252"), 0x80, 0xBF),
)


def _pair_pattern(leads: str, conts: str, space_after: str = "") -> re.Pattern[str]:
    """A lead followed by a continuation. ``space_after``: leads that a space after
    counts for too, as one alternative after the lead (``[ab]c|a `` as
    ``[ab](?:c|(?<=a) )``: one class opens every match, and the regex engine skips to
    it)."""
    lead_class, cont_class = re.escape(leads), re.escape(conts)
    if not space_after:
        return re.compile(f"[{lead_class}][{cont_class}]")
    return re.compile(f"[{lead_class}](?:[{cont_class}]|(?<=[{space_after}]) )")


# windows-1252, and "Ã " / "Â " for the 0xA0 that copy-paste turns into a space
# ("Ã la carte" was "à la carte").
_SUSPECT_1252 = _pair_pattern(*_PAIRS_1252, "\u00c2\u00c3")
_LEADS_1252, _CONTS_1252 = frozenset(_PAIRS_1252[0]), frozenset(_PAIRS_1252[1])
# A whole UTF-8 sequence as windows-1253 shows it: a lead with as many continuations as
# it takes. A run decodes only when it holds one, so a line without one is left as it is
# without trying its runs (lossy mojibake, whose lost bytes break every sequence, has
# leads and continuations but none of these).
# (Compiled when a line first needs it, by ``_LAZY``, as are the run decoders and the
# lossy tables below: a page without mojibake never does, and every command starts sooner.)
def _compile_sequence_1253() -> re.Pattern[str]:
    cont = re.escape(_PAIRS_1253[1])
    return re.compile(
        f"(?=[{re.escape(_PAIRS_1253[0])}])"
        f"(?:[{re.escape(_byte_chars(('cp1253', 'cp1252'), 0xC2, 0xDF))}][{cont}]"
        f"|[{re.escape(_byte_chars(('cp1253', 'cp1252'), 0xE0, 0xEF))}][{cont}]{{2}}"
        f"|[{re.escape(_byte_chars(('cp1253', 'cp1252'), 0xF0, 0xF4))}][{cont}]{{3}})"
    )


# What a line either finds anything in has: a lead of either code page followed by a
# continuation of either, or a space. One search first, as most lines that are not
# ASCII have accented letters, quotes or emoji, and no mojibake.
_SUSPECT_EITHER = _pair_pattern(
    "".join(sorted(set(_PAIRS_1252[0] + _PAIRS_1253[0]))),
    "".join(sorted(set(_PAIRS_1252[1] + _PAIRS_1253[1] + " "))),
)


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
        self._codecs = codecs
        self._run: re.Pattern[str] | None = None  # compiled on first use
        self._latin1: dict[int, int] = {}

    def _runs(self) -> re.Pattern[str]:
        if self._run is None:
            chars = _byte_chars(self._codecs, 0x80, 0xFF)
            self._run = re.compile("[" + re.escape(chars) + "]{2,}")
            self._latin1 = {ord(c): 0x80 + i for i, c in enumerate(chars)}  # then "latin-1"
        return self._run

    def _fix(self, m: re.Match[str]) -> str:
        run = m.group()
        try:
            return run.translate(self._latin1).encode("latin-1").decode("utf-8")
        except UnicodeDecodeError:
            return run

    def __call__(self, line: str) -> str:
        return self._runs().sub(self._fix, line)


# The common kind: windows-1252 (what ftfy handles; this is its fast path).
_fix_runs_1252 = _RunDecoder(("cp1252",))


def fix_1252(line: str) -> str:
    """``_fix_runs_1252(line)``, for a line that is mojibake through and through in one
    step: its runs of 0x80-0xFF characters are maximal runs of high bytes, so the whole
    line decodes when, and only when, each run does (and a lone high byte never does)."""
    try:
        # (What ``line.encode("cp1252")`` runs, without its look-up of the codec by name
        # on every call: a third of the time on a short line.)
        return codecs.charmap_encode(line, "strict", cp1252.encoding_table)[0].decode("utf-8")
    except UnicodeError:  # a character no byte gives, or a run that is not UTF-8
        return _fix_runs_1252(line)


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


def fix_mojibake(line: str, lossy_memo: dict[str, str] | None = None) -> str:
    """Restore what the author wrote; correct text comes back unchanged.

    ``lossy_memo`` (a page's) keeps each ``fix_lossy`` reading made: line -> result, for
    ``drop_lossy_remnants`` to look up rather than read the line again."""
    if line.isascii():
        return line
    # (One search for either code page's mojibake first: most lines that are not ASCII
    # have accented letters, quotes or emoji, and neither.)
    either = _SUSPECT_EITHER.search(line)
    if either is not None:
        line = _fix_code_pages(line, _is_1252_pair(either.group()))
    for _ in range(3):
        # An emoji rebuilt from lossy mojibake splits the run around it, and a part may
        # now decode on its own (and a decoded part may be lossy mojibake in turn).
        if _LOSSY_LEAD not in line:
            break
        fixed = fix_lossy(line)
        if lossy_memo is not None:
            lossy_memo[line] = fixed
        if fixed == line:
            break
        line = fix_cp1253(fixed) if _LAZY.sequence_1253().search(fixed) else fixed
    return line


def _is_1252_pair(pair: str) -> bool:
    """Whether a pair ``_SUSPECT_EITHER`` found is one ``_SUSPECT_1252`` finds too (then
    the line need not be searched again to know it has one)."""
    lead, cont = pair[0], pair[1]
    return lead in _LEADS_1252 and (cont in _CONTS_1252 or (cont == " " and lead in "ÂÃ"))


def _fix_code_pages(line: str, has_1252: bool = False) -> str:
    """UTF-8 read as windows-1252, then as windows-1253 (``has_1252``: the line is known
    to have a windows-1252 pair)."""
    if has_1252 or _SUSPECT_1252.search(line):
        # Whole runs that decode cleanly are fixed here at C speed; ftfy (slow, but
        # smarter about partial damage such as a lost 0xA0) sees what is left.
        suspect = True
        for _ in range(3):  # text mis-decoded twice is fixed one layer per pass
            fixed = fix_1252(line)
            if fixed == line:
                break
            line = fixed
            if not _SUSPECT_1252.search(line):
                suspect = False
                break
        if suspect:
            line = _ftfy_fix()(line)
    if _LAZY.sequence_1253().search(line):
        line = fix_cp1253(line)
    return line


# --- lossy mojibake ---------------------------------------------------------------
# UTF-8 read as ISO-8859-7 by a page that then dropped the bytes 0x80-0x9F (C1 controls
# in that code page). A character of U+1F000-U+1FFFF is F0 9F b3 b4: F0 shows as "π",
# 9F is always lost, and b3, b4 survive only when >= 0xA0. So "π" and the surviving
# bytes are all that is left, and they determine the character only sometimes:
#   π + b3 + b4          both survived: the emoji itself (🧠 = F0 9F A7 A0 -> "π§\xa0");
#   (π + b4) x 2         regional indicators: b3 is always 0x87, b4 = 0xA6 + letter
#                        (🇳🇴 -> "π³π΄"); a pair naming a region is its flag;
#   π + one byte, or π   one of b3 and b4 lost: not determined.
# No correct text has these sequences where they are repaired (a real "π" next to "³"
# or "§" does not form them), and an undetermined remnant is only removed from the
# start of a line, on a page that shows the damage unmistakably elsewhere.

_LOSSY_LEAD = "π"


def _iso8859_7(lo: int, hi: int) -> dict[str, int]:
    """Character -> byte for the bytes lo..hi that ISO-8859-7 defines (0xAE it does not)."""
    out = {}
    for b in range(lo, hi + 1):
        try:
            out[bytes([b]).decode("iso8859_7")] = b
        except UnicodeDecodeError:
            continue
    return out


_SECTION_HEADER_END = re.compile(r"\s\d{1,6} insights?\s*$", re.IGNORECASE)
# A curly apostrophe (E2 80 99) loses both trailing bytes and leaves "β": "Societyβs".
_LOST_APOSTROPHE = re.compile("[A-Za-z]β[a-z]")

# Regions with a flag emoji: ISO 3166-1 alpha-2, and the other pairs Unicode gives one.
_REGION_CODES = """AC AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL
    BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CP CR CU CV CW
    CX CY CZ DE DG DJ DK DM DO DZ EA EC EE EG EH ER ES ET EU FI FJ FK FM FO FR GA GB GD
    GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU IC ID IE IL IM IN
    IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT
    LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC
    NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO
    RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TF
    TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM UN US UY UZ VA VC VE VG VI VN VU WF
    WS XK YE YT ZA ZM ZW"""
_REGIONS = frozenset(_REGION_CODES.split())


def _emoji_of(b3: int, b4: int) -> str | None:
    cp = 0x1F000 | (b3 & 0x3F) << 6 | (b4 & 0x3F)
    # Only a real symbol (or an emoji block newer than this Python's Unicode tables);
    # an unassigned code point means the three characters were something else.
    if unicodedata.category(chr(cp)) == "So" or 0x1F900 <= cp <= 0x1FAFF:
        return chr(cp)
    return None


class _LossyTables:
    """The patterns and tables lossy mojibake is read with (built on a page's first "π")."""

    def __init__(self) -> None:
        cont_byte = _iso8859_7(0xA0, 0xBF)  # continuation bytes that survive
        cont = re.escape("".join(cont_byte))
        ri = re.escape("".join(c for c, b in cont_byte.items() if b >= 0xA6))  # A..Z
        self.emoji = re.compile(f"π([{cont}])([{cont}])")
        # A whole run of regional-indicator remnants standing alone (no word character
        # glued to it), of at most eight flags: a longer run is not flags, and is left.
        self.flags = re.compile(
            f"(?<!\\w)(?<!π[{ri}])(?:π[{ri}]){{2,16}}(?!π[{ri}])(?![^\\Wπ])"
        )
        # The start of a line made of emoji and remnants, then the text after it.
        self.leading = re.compile(
            f"[ \t]*((?:π[{cont}]{{0,2}}|[\U0001f000-\U0001ffff\u200d\ufe0f])+)\\s+(?=\\S)"
        )
        self.remnant = re.compile(f"π[{cont}]{{0,2}}")
        # What each remnant stands for, worked out once: "π§\xa0" -> 🧠, "π³π΄" -> 🇳🇴.
        self.emoji_of = {
            f"π{c3}{c4}": e
            for c3, b3 in cont_byte.items()
            for c4, b4 in cont_byte.items()
            if (e := _emoji_of(b3, b4)) is not None
        }
        ri_char = {chr(ord("A") + b - 0xA6): c for c, b in cont_byte.items() if b >= 0xA6}
        self.flag_of = {
            "".join(f"π{ri_char[c]}" for c in code): "".join(
                chr(0x1F1E6 + ord(c) - 65) for c in code
            )
            for code in _REGIONS
            if all(c in ri_char for c in code)
        }


class _Lazy:
    """What is built on first use (a native class: reading it back is an attribute read,
    where an ``lru_cache`` is a Python call)."""

    __slots__ = ("_lossy", "_sequence")

    def __init__(self) -> None:
        self._sequence: re.Pattern[str] | None = None
        self._lossy: _LossyTables | None = None

    def sequence_1253(self) -> re.Pattern[str]:
        if self._sequence is None:
            self._sequence = _compile_sequence_1253()
        return self._sequence

    def lossy(self) -> _LossyTables:
        if self._lossy is None:
            self._lossy = _LossyTables()
        return self._lossy


_LAZY: Final = _Lazy()


def _lossy_emoji(m: re.Match[str]) -> str:
    return _LAZY.lossy().emoji_of.get(m.group(), m.group())


def _lossy_flags(m: re.Match[str]) -> str:
    """Pair the run's letters from the left; a pair naming no region is left as it is
    (its first remnant, then the next pair is tried one remnant on)."""
    run = m.group()
    flag_of = _LAZY.lossy().flag_of
    if len(run) == 4:
        return flag_of.get(run, run)
    out = []
    i = 0
    while i < len(run):
        flag = flag_of.get(run[i : i + 4])
        if flag is not None:
            out.append(flag)
            i += 4
        else:
            out.append(run[i : i + 2])
            i += 2
    return "".join(out)


def fix_lossy(line: str) -> str:
    """Rebuild the emoji that lossy ISO-8859-7 mojibake still determines."""
    if _LOSSY_LEAD not in line:
        return line
    tables = _LAZY.lossy()
    line = tables.emoji.sub(_lossy_emoji, line)
    if line.count(_LOSSY_LEAD) < 2:
        return line  # a flag is two remnants: no run of them here
    return tables.flags.sub(_lossy_flags, line)


def drop_lossy_remnants(
    raw: list[str], fixed: list[str], lossy_memo: dict[str, str] | None = None
) -> tuple[list[str], list[int]]:
    """Remove undetermined lossy remnants leading a line, on a page that has them.

    ``raw`` are the lines before repair, ``fixed`` the same lines after ``fix_mojibake``
    (``lossy_memo``: the ``fix_lossy`` readings it made, if it kept them).
    Returns the lines and the indexes of those changed (each one an emoji lost). The page
    must show the damage: an emoji or flag rebuilt, an apostrophe lost inside a word, or
    two section headers led by remnants; otherwise a "π" leading a line is left alone.
    """
    tables = _LAZY.lossy()
    leading: dict[int, re.Match[str]] = {}
    for i, line in enumerate(fixed):
        m = tables.leading.match(line) if _LOSSY_LEAD in line else None
        if m is not None and _LOSSY_LEAD in m.group(1):
            leading[i] = m
    if not leading or not _page_is_lossy(raw, fixed, leading, lossy_memo or {}):
        return fixed, []
    out = list(fixed)
    for i, m in leading.items():
        kept = tables.remnant.sub("", m.group(1))  # emoji rebuilt beside the remnants stay
        out[i] = (kept + " " if kept else "") + out[i][m.end() :]
    return out, list(leading)


def _page_is_lossy(
    raw: list[str], fixed: list[str], leading: dict[int, re.Match[str]], memo: dict[str, str]
) -> bool:
    for k, before in enumerate(raw):
        if _LOSSY_LEAD in before:
            rebuilt = memo.get(before)
            if (fix_lossy(before) if rebuilt is None else rebuilt) != before:
                return True
        after = fixed[k]
        if "β" in after and _LOST_APOSTROPHE.search(after):
            return True
    return sum(1 for i in leading if _SECTION_HEADER_END.search(fixed[i])) >= 2
