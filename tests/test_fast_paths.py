"""The parser's fast paths say what the regexes they stand in for say.

Hot line tests read with string methods, or run a regex only after a cheap test of a
line's first or last characters. Each is held here to the plain regex, on text drawn
from the characters that make them hard: the non-ASCII letters IGNORECASE matches with
ASCII ones ("ſ", "K", "İ", "ı"), digits that are not ASCII, spaces that are not " ",
newlines, brackets and colons.
"""

from __future__ import annotations

import re
import sys

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from podsum import repair, textparser, values
from podsum.read import _blocks, generic, podwave, ulisten, youtubeds

SETTINGS = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PIECES = st.sampled_from(
    [
        *"aAsSkKiIcCoOrRvVeEdD ſKİı\u2003\u00a0\t\n\x1c:：#*_()[],.!?…”’»\"'-|©·",
        *"0123456789١٢²",
        "Summary",
        "TL;DR",
        "Key Takeaways",
        "Links",
        "Chapters",
        "skip to",
        "cookies",
        "cookie policy",
        "all rights reserved",
        "Home > ",
        "sign up for ",
        "[02:14]",
        "(03:15, 08:50)",
        "1:04:21",
        "🧠",
        " ##",
        "## ",
        "Label: ",
        "http",
    ]
)
TEXT = st.lists(PIECES, max_size=12).map("".join)
# What a ulisten answer's end is made of, and what comes near it.
ANSWER_PIECES = (
    *"▸ \u2003\t:0123456789١²aA?.",
    "in transcript",
    "in transcrip",
    " in transcript",
    "▸ 3:12",
    "19:31",
    "1:02:03",
    "12:345:67",
    "Answer text. ",
)


@SETTINGS
@given(TEXT)
def test_sentence_end(text: str) -> None:
    expected = re.search(r"[.!?…。！？][\"'”’»)\]]*$", text) is not None
    assert textparser.ends_sentence(text) is expected


@SETTINGS
@given(TEXT)
def test_markdown_heading_text(text: str) -> None:
    for line in (text, "#" + text, "## " + text, "####### " + text):
        m = re.fullmatch(r"(#{1,6})\s+(.*?)(?:\s+#+)?", line)
        assert generic._md_text(line) == (m.group(2) if m else None)


@SETTINGS
@given(TEXT)
def test_label(text: str) -> None:
    m = re.fullmatch(r"([^:]{1,100}?):\s+(\S.*)", text)
    if m is None or _blocks.ends_sentence(m.group(1)) or "http" in m.group(1):
        expected: tuple[str | None, str] = (None, text)
    else:
        expected = (m.group(1).strip(), m.group(2).strip())
    assert _blocks.split_label(text) == expected


@SETTINGS
@given(st.lists(st.sampled_from([*"0123456789:١²a "]), max_size=10).map("".join))
def test_clock_time(text: str) -> None:
    m = re.fullmatch(r"(?:(\d{1,3}):)?(\d{1,2}):(\d{2})", text)
    expected = None
    if m is not None:
        hours, minutes, seconds = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
        if not (seconds > 59 or (m.group(1) and minutes > 59)):
            expected = hours * 3600 + minutes * 60 + seconds
    assert values.parse_duration(text) == expected
    assert values.looks_like_duration(text) is (len(text) <= 10 and m is not None)


BULLET_TEXT = st.lists(st.sampled_from([*"-•*–✓ \u2003\tab1٢²5.)\n", "10", "- "]), max_size=10).map(
    "".join
)


@SETTINGS
@given(BULLET_TEXT)
def test_bullets_and_numbers(text: str) -> None:
    m = re.match(r"(?:[-•*▪◦‣●○✓✔–]\s*)+(?=\S)", text)
    expected = None
    if m is not None and not (text[0] in "-*–" and m.end() == 1):
        expected = text[m.end() :]
    assert _blocks.strip_bullet(text) == expected
    n = re.fullmatch(r"(\d{1,3})[.)]\s+(\S.*)", text)
    assert _blocks.numbered(text) == ((int(n.group(1)), n.group(2)) if n else None)


# Timestamps at the end of a text: ``[02:14], [05:40]``, ``(03:15, 08:50)``, ``(05:02)``.
T = _blocks.TIME
TRAILING_TIMES = re.compile(
    rf"\s*(?:\[(?:{T})\](?:\s*,\s*\[(?:{T})\])*|\((?:{T})(?:\s*,\s*(?:{T}))*\))\s*$"
)


@SETTINGS
@given(TEXT)
def test_trailing_times(text: str) -> None:
    pattern = TRAILING_TIMES
    m = pattern.search(text)
    got, stamps = _blocks.trailing_timestamps(text)
    if m is None:
        assert (got, stamps) == (text, [])
    else:
        assert got == text[: m.start()].rstrip()
        ats = re.findall(T, m.group())
        assert [t.at for t in stamps] == ats
        assert [t.seconds for t in stamps] == [values.parse_timestamp(at) for at in ats]


@SETTINGS
@given(st.lists(st.sampled_from([*"0123456789:١²a "]), max_size=10).map("".join))
@example("12:34")
@example("99:99")
@example("00:03:10")
@example("12:60:00")
@example("1٢:34")
@example("12:3a")
@example("12:34:5٢")
def test_time_value(text: str) -> None:
    shaped = re.fullmatch(T, text) is not None
    seconds = values.parse_timestamp(text)
    expected = values.NOT_A_TIME if not shaped else seconds
    if shaped and seconds is None:
        expected = values.NO_SECONDS
    assert values.time_value(text) == expected
    assert _blocks.is_time(text) is shaped


CHROME = re.compile(
    r"(?:©|\(c\)\s|copyright\s|skip to\s|powered by\s|sign up for\s|subscribe to\s"
    r"|(?:listen|watch|follow us|available|subscribe) on\s|home\s*[>/›»|]\s|more from\s)"
    r"|.*(?:all rights reserved|we use cookies|this site uses cookies|cookie policy)",
    re.IGNORECASE,
)


@SETTINGS
@given(TEXT)
def test_chrome(text: str) -> None:
    for line in (text, text.strip(), text.replace("\n", " ")):
        expected = 0 < len(line) <= 200 and (
            line.casefold() in generic._CHROME or CHROME.match(line) is not None
        )
        assert generic._is_chrome(line) is expected
        if "\n" not in line:  # (as every line of a page): where on a page it may be
            found = generic._chrome_anywhere_lines(f"© All rights reserved\n{line}\ncookies")
            assert {0, 2} <= found
            assert generic._is_chrome(line, 1 in found) is expected


def test_chrome_in_letters_ignorecase_matches() -> None:
    for line in ("ſkip to content", "We use cooKies here", "Sıgn up for more", "cookİe policy"):
        assert generic._is_chrome(line), line


def test_every_mojibake_lead_character_is_searched_for() -> None:
    # clean_lines repairs only lines with one of these; repair starts from them.
    leads = (
        repair._byte_chars(("cp1252",), 0xC2, 0xF4)
        + repair._byte_chars(("cp1253", "cp1252"), 0xC2, 0xF4)
        + "π"
    )
    assert all(textparser._MOJIBAKE_LEAD.fullmatch(c) for c in leads)


@SETTINGS
@given(st.lists(st.sampled_from([*ANSWER_PIECES]), max_size=14).map("".join))
def test_answer_ends(text: str) -> None:
    """Each ``in transcript`` mark of a ulisten answer, searched for near the mark only."""
    expected = [(m.span(), m.groups()) for m in ulisten._ANSWER_END.finditer(text)]
    assert [(m.span(), m.groups()) for m in ulisten.answer_ends(text)] == expected


def test_age_points_last_letters() -> None:
    """``parse_age_points`` reads only lines ending in one of its words' last letters:
    no other character's lower case ends in one of them."""
    letters = "oOtTsSyYwW"
    others = [c for c in map(chr, range(sys.maxunicode + 1)) if c.lower()[-1:] in letters.lower()]
    assert sorted(others) == sorted(letters)
    for line in ("10 days ago · 10 points", "3 weeks AGO", "yesterday", "1 POINT", "just now"):
        assert values.parse_age_points(line) is not None


_HIGH_1252 = repair._byte_chars(("cp1252",), 0x80, 0xFF)


def _read_as_1252(text: str) -> str:
    """``text``'s UTF-8 bytes read as windows-1252 (as browsers read it): mojibake."""
    return "".join(chr(b) if b < 0x80 else _HIGH_1252[b - 0x80] for b in text.encode("utf-8"))


@SETTINGS
@given(
    st.lists(
        st.one_of(PIECES, st.text(max_size=3), st.text(max_size=3).map(_read_as_1252)),
        max_size=8,
    ).map("".join)
)
def test_whole_line_1252(text: str) -> None:
    """A line decoded whole is what decoding its runs one by one gives."""
    for line in (text, _read_as_1252(text)):
        assert repair.fix_1252(line) == repair._fix_runs_1252(line)


TIME = _blocks.TIME
# Search patterns given a lookahead of where a match can start, and the patterns as
# they were written first: the same matches, at the same places.
LOOKAHEAD = [
    (podwave._NAME_SEP, r"\s*[,;]\s*(?:and\s+|&\s+)?|\s+and\s+|\s+&\s+"),
    (
        podwave._TRAILING_RANGE,
        rf"\s*[\[(]\s*({TIME})\s*(?:[–—-]\s*({TIME})\s*)?[\])]\s*$",
    ),
    (generic._TOPIC_SPLIT, r"\s*[,;·•|]\s*|\s+(?=#)"),
    (youtubeds._HEADER_EMOJI, r"(?<=\S)(?=📚|🤖|🎥|⏱|🔗)"),
]


SEPARATORS = st.sampled_from(
    ["and", " and ", " & ", "#", "·", "–", "(03:15–08:50)", " [1:02]", "📚", "🤖 ", "⏱️", "🔗"]
)


@SETTINGS
@given(st.lists(st.one_of(PIECES, SEPARATORS), max_size=12).map("".join))
def test_lookahead_patterns(text: str) -> None:
    for fast, plain in LOOKAHEAD:
        slow = re.compile(plain)
        assert fast.split(text) == slow.split(text)
        assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [
            (m.span(), m.groups()) for m in slow.finditer(text)
        ]


# Lines with windows-1252 mojibake among other text (and "Ã "/"Â ", a lost 0xA0).
MOJIBAKE_1252 = st.lists(
    st.one_of(PIECES, st.text(max_size=3).map(_read_as_1252), st.sampled_from(["Ã ", "Â "])),
    max_size=8,
).map("".join)


@SETTINGS
@given(
    st.lists(
        st.one_of(
            PIECES, st.text(max_size=3).map(_read_as_1252), st.sampled_from(["Ã ", "Â ", "Î¼"])
        ),
        max_size=8,
    ).map("".join)
)
def test_either_code_page_is_searched_for(text: str) -> None:
    """A line without what both mojibake patterns need is searched for neither."""
    if repair._SUSPECT_EITHER.search(text) is None:
        assert repair._SUSPECT_1252.search(text) is None
        assert repair._LAZY.sequence_1253().search(text) is None


@SETTINGS
@given(MOJIBAKE_1252)
def test_windows_1253_runs_need_a_sequence(text: str) -> None:
    """A line in which windows-1253 shows no whole UTF-8 sequence has no run to decode."""
    lossy = _read_as_1253(text, lossy=True)  # the bytes 0x80-0x9F lost
    for line in (text, _read_as_1253(text), _read_as_1253(text)[1:], lossy, lossy[1:]):
        if repair._LAZY.sequence_1253().search(line) is None:
            assert repair.fix_cp1253(line) == line


_HIGH_1253 = repair._byte_chars(("cp1253", "cp1252"), 0x80, 0xFF)


def _read_as_1253(text: str, lossy: bool = False) -> str:
    """``text``'s UTF-8 bytes read as windows-1253, 1252 where 1253 has no character
    (``lossy``: the bytes 0x80-0x9F dropped, as pages of lossy mojibake do)."""
    return "".join(
        chr(b) if b < 0x80 else _HIGH_1253[b - 0x80]
        for b in text.encode("utf-8")
        if not (lossy and 0x80 <= b <= 0x9F)
    )


@SETTINGS
@given(MOJIBAKE_1252)
def test_windows_1252_pairs(text: str) -> None:
    """The windows-1252 pair pattern, one class first, finds what its plain form finds."""
    leads = re.escape(repair._byte_chars(("cp1252",), 0xC2, 0xF4))
    conts = re.escape(repair._byte_chars(("cp1252",), 0x80, 0xBF))
    plain = re.compile(f"[{leads}][{conts}]|[\u00c2\u00c3] ")
    found, expected = repair._SUSPECT_1252.search(text), plain.search(text)
    assert (found and found.span()) == (expected and expected.span())


RANGE_PIECES = st.sampled_from(
    [
        *"[]() \t–-:0123456789١²aT",
        *("Timestamps: ", "timestamp:", "00:21:30", "1:02", "–"),
        *("timestamp: [00:21:30–00:48:10]", "Timestamps: 1:02"),
    ]
)


@SETTINGS
@given(st.lists(RANGE_PIECES, max_size=8).map("".join))
def test_podwave_range_line(text: str) -> None:
    m = podwave._RANGE_LINE.fullmatch(text)
    expected = None
    if m is not None and not (text[0] not in "[(" and m.group(2) is None and not text[0].isalpha()):
        expected = (m.group(1), m.group(2))
    assert podwave._range(text) == expected


HEADING_PIECES = st.sampled_from(
    [*podwave._HEADINGS, *"#*: \t🎯SsſßnNwWeE1١", "Key Takeaway", "Conclusion:**", "OVERVIEW"]
)


@SETTINGS
@given(st.lists(HEADING_PIECES, max_size=4).map("".join))
def test_podwave_headings(text: str) -> None:
    expected = None
    if text and len(text) <= 60 and not text[-1].isdigit():
        bare = values.split_emoji(text.lstrip("#").strip())[1].strip("*").rstrip(":").strip()
        kind = podwave._HEADINGS.get(bare.casefold())
        expected = (kind, bare) if kind is not None else None
    assert podwave._heading_kind(text) == expected


NAME_PIECES = st.sampled_from(
    [*"aA ,;&\t\u2003()#1٢", "and", " and ", "and ", " & ", ", and ", "Ana Ruiz", "Ep. ", "Episode"]
)


@SETTINGS
@given(st.lists(NAME_PIECES, max_size=10).map("".join))
def test_podwave_show_number(text: str) -> None:
    m = podwave._EPISODE_IN_SHOW.fullmatch(text)
    expected = (m.group(1).rstrip(" –—-|:,"), m.group(2)) if m else (text, None)
    assert podwave._show_number(text) == expected


LEAD_PIECES = st.sampled_from(
    [*"0123456789:١ \t[]()-–—|·•aT\n", "04:12 ", "1:02:03", "04:12 Topic", " – ", "12:345", "x"]
)


@SETTINGS
@given(st.lists(LEAD_PIECES, max_size=8).map("".join))
def test_generic_lead_time(text: str) -> None:
    m = generic._LEAD_TIME.fullmatch(text) if text[:1] in "[(" or text[:1].isdigit() else None
    expected = (m.group(1), m.group(2), m.group(3)) if m else None
    assert generic._lead_time_match(text) == expected


def _split_names_by_scan(text: str) -> list[str]:
    """The names as a scan of every character splits them (what the reader did first)."""
    parts: list[str] = []
    depth = start = i = 0
    while i < len(text):
        ch = text[i]
        sep = 0
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            sep = 1 if ch in ",;" else 3 if text.startswith(" & ", i) else 0
            sep = sep or (5 if text.startswith(" and ", i) else 0)
        if sep:
            parts.append(text[start:i])
            start = i = i + sep
            continue
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


@SETTINGS
@given(
    st.lists(st.sampled_from([*"aA ,;&()", " and ", "and", " & ", "Ana Ruiz"]), max_size=10).map(
        "".join
    )
)
def test_generic_names(text: str) -> None:
    assert generic._split_names(text) == _split_names_by_scan(text)


def _people_by_masking(text: str, role: str) -> list[tuple[str, str, str | None]]:
    """podwave's people as the reader first read them: parentheses set aside behind
    placeholders, the rest split, the parentheses put back."""
    kept: list[str] = []

    def hide(m: re.Match[str]) -> str:
        kept.append(m.group())
        return f"\x00{len(kept) - 1}\x00"

    masked = text.strip().rstrip(",;&").strip()
    if "(" in masked:
        masked = re.sub(r"\([^()]*\)", hide, masked)
    if masked.endswith(" and"):
        masked = masked[:-4]
    one = "," not in masked and ";" not in masked and "&" not in masked and "and" not in masked
    out = []
    for part in [masked] if one else podwave._NAME_SEP.split(masked):
        part = re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], part)
        person = podwave._person(part, role)
        if person is not None:
            out.append((person.name, person.role, person.about))
    return out


@SETTINGS
@given(st.lists(NAME_PIECES, max_size=10).map("".join))
def test_podwave_people(text: str) -> None:
    got = [(p.name, p.role, p.about) for p in podwave._people(text, "host")]
    assert got == _people_by_masking(text, "host")


DATE_PIECES = st.sampled_from(
    [*"0123456789١ ,.-:", "July", "Sept", "Feb", "Jul.", "Foo", "2025", "31", "29", "-02-"]
)


@SETTINGS
@given(st.lists(DATE_PIECES, max_size=6).map("".join))
def test_read_date(text: str) -> None:
    # Whether the text is a date at all is read by the date's shape alone.
    assert values.read_date(text)[0] is values.looks_like_date(text)
    assert values.read_date(text)[1] == values.parse_date(text)


def test_a_pair_of_either_code_page_is_told_1252_as_the_1252_search_tells_it() -> None:
    leads = set(repair._PAIRS_1252[0] + repair._PAIRS_1253[0])
    conts = set(repair._PAIRS_1252[1] + repair._PAIRS_1253[1] + " ")
    for pair in (lead + cont for lead in leads for cont in conts):
        assert repair._SUSPECT_EITHER.fullmatch(pair) is not None
        expected = repair._SUSPECT_1252.fullmatch(pair) is not None
        assert repair._is_1252_pair(pair) is expected, pair


def _age_points_by_both_regexes(text: str) -> tuple[str | None, int | None] | None:
    """``parse_age_points`` as first written: every part tried as an age, then points."""
    if not text or text[-1] not in "oOtTsSyYwW":
        return None
    if not text[-9:].lower().endswith(("ago", "point", "points", "today", "yesterday", "now")):
        return None
    age: str | None = None
    points: int | None = None
    for part in (p.strip() for p in values._AGE_POINTS_SEP.split(text)):
        if age is None and values._AGE.fullmatch(part):
            age = part
        elif points is None and (m := values._POINTS.fullmatch(part)):
            points = int(m.group(1))
        else:
            return None
    return None if age is None and points is None else (age, points)


AGE_PIECES = st.sampled_from(
    [
        *("10 days ago", "an hour AGO", "4 points", "1 POINT", "4 pointſ", "now", "just now"),
        *(" · ", " - ", " | ", "today", "yesterday", "x", "s", "t", " ", "5"),
    ]
)


@SETTINGS
@given(st.lists(AGE_PIECES, max_size=5).map("".join))
def test_age_points_one_regex_a_part(text: str) -> None:
    assert values.parse_age_points(text) == _age_points_by_both_regexes(text)


def test_emoji_blocks_read_without_their_category_are_all_symbols() -> None:
    import unicodedata

    for a, b in values._ALL_SYMBOLS:
        assert all(unicodedata.category(chr(cp)) == "So" for cp in range(a, b + 1)), hex(a)
        assert all(values._is_emoji_char(chr(cp)) for cp in range(a, b + 1)), hex(a)
    for cp in (0x1F1E5, 0x1F200, 0x1F5FF, 0x1F650, 0x1F8FF, 0x1FA00):
        expected = unicodedata.category(chr(cp)) in ("So", "Sk")
        assert values._is_emoji_char(chr(cp)) is expected, hex(cp)
