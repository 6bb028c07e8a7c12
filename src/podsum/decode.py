"""Bytes to text: BOM, then UTF-8 (strict, then mostly), then a guess, then windows-1252."""

from __future__ import annotations

import codecs
import re

from .errors import ParseError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Browsers read latin-1 labels as windows-1252 (WHATWG Encoding); otherwise curly
# quotes and the euro sign would decode to C1 control characters.
# (Names as ``codecs.lookup`` gives them: every latin-1 alias becomes "iso8859-1".)
_AS_WINDOWS_1252 = {"iso8859-1", "ascii", "cp1252"}

# The only guesses worth trusting over windows-1252 (names as ``codecs.lookup`` gives
# them). Multibyte encodings leave a structure a detector can check; the non-Latin
# single-byte code pages turn Western text into words of Cyrillic, Greek, Hebrew or
# Arabic letters that no Western writer typed. Every other single-byte guess (cp1250,
# cp775, cp850, mac-roman, iso8859-13...) is a coin toss on mostly-ASCII Western text,
# where windows-1252 is the right answer. UTF-16/32 are left out on purpose: without a
# BOM, text in them has NUL bytes (refused before any guess) unless it is all CJK, and a
# detector calling NUL-free bytes UTF-16 is reading noise.
_TRUSTED_GUESSES = frozenset(
    {
        "gb18030",
        "gbk",
        "gb2312",
        "big5",
        "big5hkscs",
        "cp950",
        "shift_jis",
        "cp932",
        "shift_jis_2004",
        "shift_jisx0213",
        "euc_jp",
        "euc_jis_2004",
        "euc_jisx0213",
        "euc_kr",
        "cp949",
        "johab",
        "cp1251",
        "cp1253",
        "cp1255",
        "cp1256",
        "iso8859-5",
        "iso8859-7",
        "iso8859-8",
        "koi8-r",
        "koi8-u",
    }
)
_HIGH_RUNS = re.compile(rb"[\x80-\xff]+")


_BOM_LEADS = frozenset(bom[:1] for bom, _ in _BOMS)


def _sniff_bom(data: bytes) -> tuple[str, int] | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def decode_windows_1252(data: bytes) -> str:
    """windows-1252 as browsers do it: the five unassigned bytes map to U+0081 etc."""
    text = data.decode("cp1252", errors="surrogateescape")
    # (translate costs a dict lookup per character: only when there is something to map)
    return text.translate(_UNASSIGNED) if _UNASSIGNED_BYTE.search(data) else text


_UNASSIGNED = {0xDC00 + b: b for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
_UNASSIGNED_BYTE = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding name). ``declared`` (HTTP header, <meta>) wins after a BOM."""
    bom = _sniff_bom(data) if data[:1] in _BOM_LEADS else None
    if bom:
        name, skip = bom
        try:
            return data[skip:].decode(name.replace("-sig", "")), name
        except UnicodeDecodeError as exc:
            raise ParseError(f"invalid {name} after its byte order mark") from exc
    label = _normalise_label(declared) if declared else None
    if label == "cp1252":
        return decode_windows_1252(data), "windows-1252"
    if label:
        try:
            return data.decode(label), label
        except (UnicodeDecodeError, LookupError):
            pass
    if b"\x00" in data:
        raise ParseError("binary data, not a text page")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = _mostly_utf8(data)
    if text is not None:
        return text, "utf-8"
    guess = _guess(data)
    if guess is not None:
        try:
            return data.decode(guess), guess
        except (UnicodeDecodeError, LookupError):
            pass
    return decode_windows_1252(data), "windows-1252"


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few stray bytes in it (a pasted windows-1252 "é" or "’"), or None.

    UTF-8 it is when characters of two or more bytes decode and the bytes that do not are
    no more numerous than they. Windows-1252 text almost never holds a valid multibyte
    sequence (a lead byte Â-ô followed by a byte from €-¿, such as "Ã©"), so a file in
    it fails this and goes to the guess.

    Each stray byte is read as windows-1252 rather than as U+FFFD (what browsers do): a
    stray byte in a UTF-8 page is nearly always a character pasted from a windows-1252
    source, and this restores it instead of losing it. The five bytes windows-1252 leaves
    unassigned become C1 controls, which cleaning removes with a warning; a UTF-8
    character cut short shows as its windows-1252 characters rather than vanishing.
    """
    # Counted at C speed: what decodes, its length in bytes, and its ASCII part.
    valid = data.decode("utf-8", errors="ignore")
    stray = len(data) - len(valid.encode("utf-8"))
    multibyte = len(valid) - len(valid.encode("ascii", errors="ignore"))
    if multibyte == 0 or stray > multibyte:
        return None
    return data.decode("utf-8", errors=_STRAY_AS_1252)


def _stray_as_1252(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the bytes UTF-8 could not decode, read as windows-1252."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return decode_windows_1252(exc.object[exc.start : exc.end]), exc.end


_STRAY_AS_1252 = "podsum-stray-as-windows-1252"
codecs.register_error(_STRAY_AS_1252, _stray_as_1252)


def _normalise_label(label: str) -> str | None:
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_WINDOWS_1252 else name


def _guess(data: bytes) -> str | None:
    """charset-normalizer's guess when it is one to trust, else None (windows-1252)."""
    sample = data[:65536]
    if not _high_bytes_in_runs(sample):
        # Accented letters and curly quotes between ASCII letters: Western text. Every
        # script the allow-list trusts writes its words as runs of high bytes.
        return None
    from charset_normalizer import from_bytes  # only for bytes that are not UTF-8

    best = from_bytes(sample).best()
    if best is None:
        return None
    try:
        name = codecs.lookup(best.encoding).name
    except LookupError:
        return None
    return name if name in _TRUSTED_GUESSES else None


def _high_bytes_in_runs(sample: bytes) -> bool:
    """At least half the bytes 0x80-0xFF stand next to another one."""
    runs = _HIGH_RUNS.findall(sample)
    total = sum(map(len, runs))
    alone = sum(1 for run in runs if len(run) == 1)
    return 2 * (total - alone) >= total
