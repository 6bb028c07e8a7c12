"""Readers for the small values a page writes in words: views, dates, durations, ages.

Each returns None for text that is not such a value, so the parser can use them both to
recognise a line and to read it.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Final

_MONTHS: Final = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_DATE_WORDS: Final = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}), (\d{4})")
_DATE_ISO: Final = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_VIEWS: Final = re.compile(
    r"(\d{1,15}(?:[.,]\d{1,3})*)\s?(thousand|million|billion|[kmb])?\s+views?", re.IGNORECASE
)
_SCALE: Final = {
    None: 1,
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "million": 1_000_000,
    "b": 1_000_000_000,
    "billion": 1_000_000_000,
}
_AGE: Final = re.compile(
    r"(?:(\d{1,6}) (second|minute|hour|day|week|month|year)s?|(an?) (second|minute|hour|day"
    r"|week|month|year)) ago|just now|today|yesterday",
    re.IGNORECASE,
)
_POINTS: Final = re.compile(r"(\d{1,15}) points?", re.IGNORECASE)
_AGE_POINTS_SEP: Final = re.compile(r"\s[·•|]\s|\s-\s")


def _may_be_date(text: str) -> bool:
    """The cheap test both date forms pass: at most 19 characters, a digit last."""
    return len(text) <= 19 and text[-1:].isdigit()


def group_text(m: re.Match[str], n: int) -> str:
    """Group ``n`` of ``m``, one that took part in the match, typed ``str``. (mypy types a
    group ``str | Any``, and mypyc runs the methods of an ``Any`` as Python calls, where
    those of a ``str`` run natively.)"""
    text: str = m.group(n)
    return text


def looks_like_date(text: str) -> bool:
    """Date-shaped text, valid or not (February 30 is still meant as a date)."""
    if not _may_be_date(text):
        return False
    m = _DATE_WORDS.fullmatch(text)
    if m:
        return group_text(m, 1).lower() in _MONTHS
    return _DATE_ISO.fullmatch(text) is not None


_TWO_DIGITS: Final = [f"{n:02d}" for n in range(13)]
_MONTH_DAYS: Final = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_real_date(year: int, month: int, day: int) -> bool:
    """What ``datetime.date`` accepts (years 1-9999 of the Gregorian calendar)."""
    if not (1 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= _MONTH_DAYS[month]):
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return month != 2 or day <= 28 or leap


def parse_date(text: str) -> str | None:
    """``July 31, 2025``, ``Jul 31, 2025`` or ``2025-07-31`` -> ``2025-07-31``."""
    return read_date(text)[1]


def read_date(text: str) -> tuple[bool, str | None]:
    """(whether ``text`` is written as a date, as ``looks_like_date`` says; its ISO date
    when it is a real one, as ``parse_date`` gives it), read in one match."""
    if not _may_be_date(text):
        return False, None
    m = _DATE_WORDS.fullmatch(text)
    try:
        if m:
            name: str
            day: str
            year: str
            name, day, year = m.groups()  # (one call for the three groups)
            month = _MONTHS.get(name.lower())
            if month is None:
                return False, None
            if text.isascii():  # the ISO date from the digits as written, once checked
                if not _is_real_date(_ascii_int(year), month, _ascii_int(day)):
                    return True, None
                return True, f"{year}-{_TWO_DIGITS[month]}-{day if len(day) == 2 else '0' + day}"
            return True, _dt.date(int(year), month, int(day)).isoformat()
        m = _DATE_ISO.fullmatch(text)
        if m:
            year, month_digits, day = m.groups()
            if text.isascii():  # already the ISO date, once checked
                real = _is_real_date(_ascii_int(year), _ascii_int(month_digits), _ascii_int(day))
                return True, text if real else None
            return True, _dt.date(int(year), int(month_digits), int(day)).isoformat()
    except ValueError:
        return True, None
    return False, None


def parse_views(text: str) -> int | None:
    """``54.9 Thousand views`` -> 54900; ``3.4M views`` -> 3400000; ``1,234 views``."""
    if not text[:1].isdigit():
        return None  # the cheap test: a count opens with a digit
    m = _VIEWS.fullmatch(text)
    if not m:
        return None
    number: str
    unit: str | None
    number, unit = m.groups()
    scale = _SCALE[unit.lower() if unit else None]
    if len(number) <= 18 and number.isdigit() and number.isascii():
        return int(number) * scale  # a whole count: what the Decimal product gives
    if scale == 1 or ("," in number and "." not in number):
        number = number.replace(",", "")  # thousands separators
    else:
        number = number.replace(",", ".")
    try:
        return int((Decimal(number) * scale).to_integral_value())
    except InvalidOperation:
        return None


def _clock(text: str) -> tuple[int, int, int, bool] | None:
    r"""(hours, minutes, seconds, whether hours are written) when ``text`` is shaped like a
    clock time, ``(?:(\d{1,3}):)?(\d{1,2}):(\d{2})`` with ``\d`` any decimal digit, else
    None. Read character by character rather than matched with that regex: this runs
    for every timestamp of a page."""
    n = len(text)
    if n > 9 or n < 4:
        return None  # from ``0:00`` to ``999:59:59``
    if not text.isascii():
        return _clock_unicode(text)
    groups = _digit_groups(text)
    if groups is None:
        return None
    a, na, b, nb, c, nc = groups
    if nc < 0:
        return (0, a, b, False) if 1 <= na <= 2 and nb == 2 else None
    if 1 <= na <= 3 and 1 <= nb <= 2 and nc == 2:
        return a, b, c, True
    return None


def _digit_groups(text: str) -> tuple[int, int, int, int, int, int] | None:
    """The numbers ASCII ``text`` writes between one or two colons, each with its count
    of digits: (a, its digits, b, its digits, c, its digits), c's digits -1 when there
    is one colon; None for no colon, more than two, or any other character."""
    colons = 0
    a = b = c = 0
    na = nb = nc = 0
    for ch in text:
        o = ord(ch)
        if o == 58:  # ":"
            colons += 1
            if colons > 2:
                return None
        elif 48 <= o <= 57:
            if colons == 0:
                a, na = a * 10 + o - 48, na + 1
            elif colons == 1:
                b, nb = b * 10 + o - 48, nb + 1
            else:
                c, nc = c * 10 + o - 48, nc + 1
        else:
            return None
    if colons == 0:
        return None
    return a, na, b, nb, c, (nc if colons == 2 else -1)


def _clock_unicode(text: str) -> tuple[int, int, int, bool] | None:
    """``_clock`` for text that is not ASCII (digits of other scripts are digits too)."""
    parts = text.split(":")
    if len(parts) == 3:
        hours, minutes, seconds = parts
        if not 1 <= len(hours) <= 3:
            return None
    elif len(parts) == 2:
        hours = ""
        minutes, seconds = parts
    else:
        return None
    if not (1 <= len(minutes) <= 2 and len(seconds) == 2):
        return None
    if not (hours + minutes + seconds).isdecimal():
        return None
    return int(hours or 0), int(minutes), int(seconds), hours != ""


# What ``time_value`` gives for text that is no timestamp, and for one that is written as
# a timestamp but names no moment (``123:45``, ``4:75``): its seconds are unknown.
NOT_A_TIME: Final = -1
NO_SECONDS: Final = -2


def time_value(text: str) -> int:
    r"""The seconds of ``text`` when the whole of it is a timestamp as pages write them,
    ``\d{1,3}:\d{2}(?::\d{2})?`` (``\d`` any decimal digit), as ``parse_timestamp``
    reads it; ``NO_SECONDS`` when it reads none; ``NOT_A_TIME`` when it is no such text.
    One pass over the characters: this runs for every timestamp of a page."""
    n = len(text)
    if n > 9 or n < 4:
        return NOT_A_TIME
    # ``MM:SS`` and ``HH:MM:SS``, as most pages write them, read at their fixed places
    # (a character that is no ASCII digit sends the text on to the general reading).
    if n == 5 and text[2] == ":":
        a, b = _two_digits(text, 0), _two_digits(text, 3)
        if a >= 0 and b >= 0:
            return a * 60 + b if b <= 59 else NO_SECONDS
    elif n == 8 and text[2] == ":" and text[5] == ":":
        a, b, c = _two_digits(text, 0), _two_digits(text, 3), _two_digits(text, 6)
        if a >= 0 and b >= 0 and c >= 0:
            return a * 3600 + b * 60 + c if b <= 59 and c <= 59 else NO_SECONDS
    if not text.isascii():
        parts = text.split(":")
        if not 2 <= len(parts) <= 3 or not 1 <= len(parts[0]) <= 3:
            return NOT_A_TIME
        if any(len(p) != 2 for p in parts[1:]) or not "".join(parts).isdecimal():
            return NOT_A_TIME
        seconds = parse_timestamp(text)
        return NO_SECONDS if seconds is None else seconds
    groups = _digit_groups(text)
    if groups is None:
        return NOT_A_TIME
    a, na, b, nb, c, nc = groups
    if not (1 <= na <= 3 and nb == 2) or nc not in (-1, 2):
        return NOT_A_TIME
    if nc < 0:  # minutes:seconds, minutes of one or two digits
        return a * 60 + b if na <= 2 and b <= 59 else NO_SECONDS
    return a * 3600 + b * 60 + c if b <= 59 and c <= 59 else NO_SECONDS


def _two_digits(text: str, i: int) -> int:
    """The number the two ASCII digits at ``text[i]`` write, or -1."""
    hi, lo = ord(text[i]) - 48, ord(text[i + 1]) - 48
    return hi * 10 + lo if 0 <= hi <= 9 and 0 <= lo <= 9 else -1


def _ascii_int(digits: str) -> int:
    """``int(digits)`` for ASCII digits (or 0 for none), without parsing a string."""
    value = 0
    for c in digits:
        value = value * 10 + ord(c) - 48
    return value


def looks_like_duration(text: str) -> bool:
    return len(text) <= 10 and ":" in text and _clock(text) is not None


def parse_duration(text: str) -> int | None:
    """``1:04:21`` -> 3861, ``45:01`` -> 2701; None when minutes or seconds pass 59."""
    clock = _clock(text)
    if clock is None:
        return None
    hours, minutes, seconds, has_hours = clock
    if seconds > 59 or (has_hours and minutes > 59):
        return None
    return hours * 3600 + minutes * 60 + seconds


_SPOKEN_DURATION: Final = re.compile(
    r"(?:(\d{1,3})\s?(?:h|hrs?|hours?))?\s?(?:(\d{1,4})\s?(?:m|mins?|minutes?))?"
    r"(?:\s?(\d{1,2})\s?(?:s|secs?|seconds?))?",
    re.IGNORECASE,
)
_CLOCK_WORD: Final = re.compile(
    r"((?:\d{1,3}:)?\d{1,3}:\d{2})\s?(?:minutes?|mins?|min|hours?)?", re.I
)
_YEARLESS: Final = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2})")


def parse_any_duration(text: str) -> int | None:
    """Every written duration form: ``1:04:21``, ``85:10 minutes``, ``64 min``, ``52m``,
    ``1h 3m``, ``5h 06m``, ``1 hour 44 minutes`` -> seconds; None for anything else."""
    text = text.strip()
    if len(text) > 40 or not text[:1].isdigit():
        return None  # every form opens with a number
    if ":" in text:  # (every clock form has one; no spoken form has)
        clock = _CLOCK_WORD.fullmatch(text)
        return parse_duration(clock.group(1)) if clock else None
    m = _SPOKEN_DURATION.fullmatch(text)
    if m is None:
        return None
    h, mi, se = m.group(1), m.group(2), m.group(3)
    if not (h or mi or se):
        return None
    hours, minutes, seconds = int(h) if h else 0, int(mi) if mi else 0, int(se) if se else 0
    if seconds > 59 or (h and minutes > 59):
        return None
    return hours * 3600 + minutes * 60 + seconds


def parse_timestamp(text: str) -> int | None:
    """``03:15`` -> 195, ``00:00:33`` -> 33, ``1:02:03`` -> 3723; None if not a time."""
    if len(text) > 12 or ":" not in text:
        return None
    return parse_duration(text)


def is_yearless_date(text: str) -> bool:
    """``Mar 14`` or ``Jan 02``: a month and a day, no year (published stays null)."""
    text = text.strip()
    if len(text) > 13 or not text[-1:].isdigit():
        return False  # the cheap test: at most ``September. 30``
    m = _YEARLESS.fullmatch(text)
    return m is not None and group_text(m, 1).lower() in _MONTHS and 1 <= int(m.group(2)) <= 31


def parse_age_points(text: str) -> tuple[str | None, int | None] | None:
    """``10 days ago · 10 points`` -> ("10 days ago", 10); None if the line is not that."""
    # The cheap tests: every such line ends with one of these words, and so with one of
    # these letters (no other character's lower case ends with one of them).
    if not text or text[-1] not in "oOtTsSyYwW":
        return None
    if not text[-9:].lower().endswith(("ago", "point", "points", "today", "yesterday", "now")):
        return None
    age: str | None = None
    points: int | None = None
    part: str  # (typed: a regex split's pieces are ``str | Any`` to mypy)
    for part in _AGE_POINTS_SEP.split(text):
        part = part.strip()
        # One regex a part: a count of points ends with "t" or "s" (or "ſ", which
        # IGNORECASE takes for "s"), an age never does.
        if part[-1:] in "tTsSſ":
            m = _POINTS.fullmatch(part) if points is None else None
            if m is None:
                return None
            points = int(m.group(1))
        elif age is None and _AGE.fullmatch(part):
            age = part
        else:
            return None
    if age is None and points is None:
        return None
    return age, points


def split_title(line: str) -> tuple[str, str | None]:
    """``Episode | Show`` -> (episode, show), split at the last `` | ``."""
    title, sep, show = line.rpartition(" | ")
    if not sep or not title.strip() or not show.strip():
        return line.strip(), None
    return title.strip(), show.strip()


# --- emoji -------------------------------------------------------------------------

_JOINERS: Final = {"\u200d", "\ufe0f", "\ufe0e", "\u20e3"}
# Blocks whose every character is a symbol (category So): regional indicators (flags),
# emoticons, supplemental symbols and pictographs. (``_is_emoji_char`` compares with
# them written out: a loop over this tuple costs more than the category look-up.)
_ALL_SYMBOLS: Final = ((0x1F1E6, 0x1F1FF), (0x1F600, 0x1F64F), (0x1F900, 0x1F9FF))


def _is_emoji_char(ch: str) -> bool:
    cp = ord(ch)
    if 0x1F1E6 <= cp <= 0x1F1FF or 0x1F600 <= cp <= 0x1F64F or 0x1F900 <= cp <= 0x1F9FF:
        return True  # in _ALL_SYMBOLS: no look-up of the character's category
    if ch in _JOINERS or 0xE0020 <= cp <= 0xE007F:  # ZWJ, variation selectors, keycap, tags
        return True
    if 0x1F3FB <= cp <= 0x1F3FF:  # skin tones
        return True
    cat = unicodedata.category(ch)
    return cat == "So" or (cat == "Sk" and cp > 0x2000) or (cat == "Mn" and cp > 0x2000)


def split_emoji(text: str) -> tuple[str | None, str]:
    """Split a leading emoji (any multi-codepoint sequence) off a header."""
    if text and ord(text[0]) < 128 and text[0] not in "#*0123456789":
        return None, text  # no ASCII character but a keycap's base opens an emoji
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if _is_emoji_char(ch):
            i += 1
        elif ch in "#*0123456789" and i + 1 < n and text[i + 1] in "\ufe0f\u20e3":
            i += 1  # keycap base
        else:
            break
    if i == 0 or (i < n and not text[i].isspace()):
        # No emoji, or an emoji glued to a word: keep the header as it is.
        if i and i < n and text[i].isalnum():
            return text[:i], text[i:].strip()
        return None, text
    return text[:i], text[i:].strip()
