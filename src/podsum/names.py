"""Names made from page text, in the text's own script: file name stems and tags.

A name keeps the letters, marks and digits of any script (a Chinese title gives a
Chinese name, an accented one keeps its accents) and turns every run of anything else
into one hyphen, so it can hold no path separator, no character Windows, macOS or
Obsidian's links refuse (``/ \\ : * ? " < > | # ^ [ ]``), no control, blank or dot. Text
is folded to NFKC first (full-width letters, ligatures and superscripts become the plain
ones, accents stay composed) and lower-cased, so two titles that differ only in case get
the same name on every file system, not only on the case-insensitive ones.
"""

from __future__ import annotations

import unicodedata

# Format characters (joiners, direction marks, soft hyphens) join or steer the letters
# around them: they vanish rather than split a word. So do variation selectors.
_VANISH = {"Cf"}
_VARIATION = {*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)}
_KEPT_MARKS = {"Mn", "Mc"}  # enclosing marks (a keycap's) are symbols, not accents

# Windows refuses these as a file's name, with any extension and in any case
# ("con.md", "Nul.txt", "COM1.json"), and trims the blanks and dots before the extension.
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    "CONIN$",
    "CONOUT$",
    *(f"COM{n}" for n in range(1, 10)),
    *(f"LPT{n}" for n in range(1, 10)),
}
_FORBIDDEN = set('/\\:*?"<>|#^[]')


def hyphenated(text: str) -> str:
    """Lower-case words of ``text`` joined by single hyphens; "" when it has none."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text).lower())
    out: list[str] = []
    gap = False
    for ch in folded:
        cat = unicodedata.category(ch)
        if cat in _VANISH or ord(ch) in _VARIATION:
            continue
        if cat[0] in "LN" or (cat in _KEPT_MARKS and out and not gap):
            if gap and out:
                out.append("-")
            out.append(ch)
            gap = False
        else:
            gap = True  # a mark with no letter before it is dropped with the gap
    return "".join(out)


def cut(name: str, max_chars: int, max_bytes: int) -> str:
    """``name`` cut to at most ``max_chars`` user-perceived characters and ``max_bytes``
    of UTF-8, between grapheme clusters (never between a letter and its accent, inside
    a conjunct or a Hangul syllable), without a hyphen at its end."""
    if len(name) <= max_chars and len(name.encode("utf-8")) <= max_bytes:
        return name
    # Grapheme clusters (UAX #29) from wcwidth, which ftfy already brings; imported only
    # for the rare name that needs cutting.
    from wcwidth import iter_graphemes

    kept: list[str] = []
    size = 0
    for cluster in iter_graphemes(name):
        size += len(cluster.encode("utf-8"))
        if len(kept) == max_chars or size > max_bytes:
            break
        kept.append(cluster)
    return "".join(kept).rstrip("-")


def tag(text: str, max_chars: int = 100) -> str | None:
    """An Obsidian tag (without ``#``) for ``text``: letters, digits and hyphens, at
    least one letter (``#1984`` is not a tag), no ``/`` (that would nest it). None when
    ``text`` gives no such tag."""
    name = cut(hyphenated(text), max_chars, 4 * max_chars)
    if not any(unicodedata.category(ch)[0] == "L" for ch in name):
        return None
    return name


def is_reserved(stem: str) -> bool:
    """Whether Windows would take a file named ``stem`` (plus any extension) for a device."""
    base = unicodedata.normalize("NFKC", stem).split(".", 1)[0].rstrip(" ")
    return base.upper() in _RESERVED


def portable(stem: str, max_bytes: int) -> str:
    """``stem`` made safe as a file name on Windows, macOS and Linux and as an Obsidian
    note name: no forbidden or control character, no dot or blank at either end, not a
    device name, at most ``max_bytes`` of UTF-8 (cut between grapheme clusters)."""
    chars = []
    for ch in unicodedata.normalize("NFC", stem):
        if ch in _FORBIDDEN or (unicodedata.category(ch)[0] in "CZ" and ch != " "):
            chars.append("-")
        else:
            chars.append(ch)
    safe = cut("".join(chars), len(stem), max_bytes).strip(" .")
    if is_reserved(safe):
        safe = "_" + safe
    return safe
