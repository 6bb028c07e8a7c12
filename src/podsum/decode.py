"""Bytes to text: BOM, then strict UTF-8, then a guess, then windows-1252."""

from __future__ import annotations

import codecs

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
_AS_WINDOWS_1252 = {"latin_1", "latin-1", "iso-8859-1", "iso8859_1", "ascii", "cp1252"}


def _sniff_bom(data: bytes) -> tuple[str, int] | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def decode_windows_1252(data: bytes) -> str:
    """windows-1252 as browsers do it: the five unassigned bytes map to U+0081 etc."""
    return data.decode("cp1252", errors="surrogateescape").translate(_UNASSIGNED)


_UNASSIGNED = {0xDC00 + b: b for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding name). ``declared`` (HTTP header, <meta>) wins after a BOM."""
    bom = _sniff_bom(data)
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
    guess = _guess(data)
    if guess and guess not in _AS_WINDOWS_1252:
        try:
            return data.decode(guess), guess
        except (UnicodeDecodeError, LookupError):
            pass
    return decode_windows_1252(data), "windows-1252"


def _normalise_label(label: str) -> str | None:
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_WINDOWS_1252 else name


def _guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes  # only for bytes that are not UTF-8

    best = from_bytes(data[:65536]).best()
    if best is None:
        return None
    name = codecs.lookup(best.encoding).name
    # Single-byte guesses on short Western text are unreliable (cp1250, mac-roman...);
    # windows-1252 is what such a file almost always is. Trust only multibyte guesses
    # and non-Latin single-byte scripts.
    if name.startswith(("cp125", "iso8859", "mac", "latin", "cp8", "cp4", "hp", "tis")) and (
        name not in ("cp1251", "cp1253", "cp1255", "cp1256", "iso8859_5", "iso8859_7")
    ):
        return "cp1252"
    return name
