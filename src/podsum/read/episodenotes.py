"""episodenotes.com episode pages: a ``Home <Show> Notes`` breadcrumb, a
``Show · 2025-02-03 · 5h 06m`` meta line, the title, a one-sentence teaser, the title
again; then ``The guest`` (who the guest is), ``The gist`` (the TL;DR) and ``Big
reveals`` (``- `` bullets).

Only those three headings are known. The page goes on below them on some episodes with
headings not yet seen; such a heading and whatever follows it are kept as extra lines,
never read into a field.
"""

from __future__ import annotations

import re
from typing import Final

from .. import values
from ..errors import ParseError
from ..model import Person, Section, Summary
from . import _blocks
from ._page import Page

NAME: Final = "episodenotes"
DESCRIPTION: Final = "episodenotes.com: Show · date · duration, The guest, The gist, Big reveals"
MARKERS: Final = ("The guest", "The gist", "Big reveals")

_HEADINGS: Final = MARKERS
_CONTENT: Final = ("The gist", "Big reveals")  # a page without either is not a summary
_SEPARATORS: Final = " ›>»/|·-–—"
# A duration as written, readable or not (``5h 06m``, ``48 min``, ``1:04:21``, ``5h 99m``).
_DURATION_LIKE: Final = re.compile(r"\d[\d:]*\s?[a-z]*(?:\s?\d+\s?[a-z]*){0,2}", re.IGNORECASE)


def _crumb(line: str) -> str | None:
    """The show in a ``Home <Show> Notes`` breadcrumb (separators allowed), else None."""
    if not (line.startswith("Home") and line.endswith("Notes")) or len(line) > 200:
        return None
    inner = line[4:-5]
    if not inner.startswith(tuple(_SEPARATORS)) or not inner.endswith(tuple(_SEPARATORS)):
        return None  # "Homemade Notes" is not a breadcrumb
    show = inner.strip(_SEPARATORS)
    return show or None


def _meta(line: str) -> tuple[str | None, str, str | None, str | None] | None:
    """``Show · 2025-02-03 · 5h 06m`` -> (breadcrumb show, show, date, duration).

    The breadcrumb glued before it (``Home Show NotesShow · …``) is split off: the show
    written twice tells where.
    """
    if "·" not in line or " · " not in line or len(line) > 300:
        return None
    parts = [p.strip() for p in line.split(" · ")]
    show, rest = parts[0], parts[1:]
    if not show or len(rest) > 2 or _blocks.strip_bullet(show) is not None:
        return None
    date = duration = None
    for part in rest:
        if date is None and _is_date(part):
            date = part
        elif duration is None and _DURATION_LIKE.fullmatch(part):
            duration = part
        else:
            return None
    readable = (date is not None and values.parse_date(date) is not None) or (
        duration is not None and values.parse_any_duration(duration) is not None
    )
    if not readable and not (date and values.is_yearless_date(date)):
        return None
    crumb = None
    if show.startswith("Home "):
        n = len(show) - len("Home  Notes")
        if n > 0 and n % 2 == 0:
            half = show[-(n // 2) :]
            if show == f"Home {half} Notes{half}":
                crumb, show = half, half
    return crumb, show, date, duration


def _is_date(text: str) -> bool:
    return values.looks_like_date(text) or values.is_yearless_date(text)


# Lines one of which every page this reader detects has (the registry's first test).
GATE: Final = frozenset(_HEADINGS)


def detect(page: Page) -> bool:
    if not page.has_any(GATE):
        return False
    known = len(page.line_set.intersection(_HEADINGS))
    if known >= 2:
        return True
    if known == 0 or not page.has_any(_CONTENT):
        return False
    return any(_meta(line) is not None for line in page.lines if "·" in line)


def page_starts(page: Page) -> list[int]:
    """Each page's breadcrumb, or its meta line where the breadcrumb is missing."""
    starts: list[int] = []
    crumb_open = False  # a breadcrumb started this page and its meta line is still ahead
    for i, line in enumerate(page.lines):
        if not line:
            continue
        if _crumb(line) is not None:
            starts.append(i)
            crumb_open = True
        elif "·" in line and _meta(line) is not None:
            if not crumb_open:
                starts.append(i)
            crumb_open = False
        elif line in _HEADINGS:
            crumb_open = False
    return starts or [0]


def parse(page: Page) -> Summary:
    lines = page.lines
    found = _blocks.blocks(page, _HEADINGS)
    if not any(h in found for h in _CONTENT):
        raise ParseError("not an episodenotes page (no The gist or Big reveals heading)")
    body_start = min(a - 1 for a, _ in found.values())
    extra: list[tuple[int, str]] = []
    title, show = _header(page, body_start, extra)
    if title is None:
        raise ParseError("not an episodenotes page (no title before its first heading)")
    s = page.new_summary(NAME, title, show)
    meta = _meta_line(page, body_start)
    if meta is not None:
        i, (_, _, date, duration) = meta
        if date is not None:
            _blocks.set_date(s, page, date, i)
        if duration is not None:
            _blocks.set_duration(s, page, duration, i)

    if "The guest" in found:
        a, b = found["The guest"]
        end = _paragraph_end(lines, a, b)
        about = " ".join(_blocks.paragraphs(lines[a:end])) or None
        names = guest_names(about or "")
        if names:
            s.people = [Person(name, "guest", about) for name in names]
        else:
            # no name to hang the paragraph on: keep it, unread, rather than guess one
            extra += [(i, lines[i]) for i in range(a - 1, end) if lines[i]]
        extra += _rest(lines, end, b)
    if "The gist" in found:
        a, b = found["The gist"]
        end = _paragraph_end(lines, a, b)
        s.tldr = _blocks.text_block(lines[a:end])
        extra += _rest(lines, end, b)
    if "Big reveals" in found:
        a, b = found["Big reveals"]
        section, end = _reveals(lines, a, b)
        if section.insights:
            s.sections.append(section)
        extra += _rest(lines, end, b)
    _blocks.check_times(s, page)
    s.extra_lines = [line for _, line in sorted(extra, key=lambda x: x[0])]
    return s


def _meta_line(
    page: Page, end: int
) -> tuple[int, tuple[str | None, str, str | None, str | None]] | None:
    for i in range(end):
        line = page.lines[i]
        if "·" in line and (m := _meta(line)) is not None:
            return i, m
    return None


def _header(page: Page, end: int, extra: list[tuple[int, str]]) -> tuple[str | None, str | None]:
    """Title and show from the lines above the first heading; the rest is chrome.

    The show is the meta line's, else the breadcrumb's. The title is the line the page
    shows twice (title, teaser, title again); with no repeat it is the first line after
    the breadcrumb and meta line.
    """
    lines = page.lines
    show: str | None = None
    after = 0
    for i in range(end):
        line = lines[i]
        m = _meta(line) if "·" in line else None
        if m is not None:
            show = m[1]
            after = i + 1
            if m[0] is not None:
                extra.append((i, f"Home {m[0]} Notes"))
            break
        if line and show is None and (c := _crumb(line)) is not None:
            show, after = c, i + 1
    extra += [(i, lines[i]) for i in range(after) if lines[i] and i != after - 1]
    if after and _meta(lines[after - 1]) is None:
        extra.append((after - 1, lines[after - 1]))  # the breadcrumb
    idx = [i for i in range(after, end) if lines[i]]
    if not idx:
        return None, show
    title_k = next(
        (k for k, i in enumerate(idx) if any(lines[j] == lines[i] for j in idx[k + 1 :])), None
    )
    title_i = idx[title_k] if title_k is not None else idx[0]
    title = lines[title_i]
    for i in idx:
        if i == title_i:
            continue
        line = lines[i]
        if i > title_i and line.endswith(title) and len(line) > len(title):
            # the teaser with the title's second appearance glued on
            extra += [(i, line[: -len(title)].strip()), (i, title)]
        else:
            extra.append((i, line))
    return title, show


def _looks_like_heading(line: str) -> bool:
    """A short line that ends no sentence (or asks): a heading this reader does not know."""
    if len(line) > 80 or len(line.split()) > 8 or line.endswith((",", ";", ":")):
        return False
    return line.endswith("?") or not _blocks.ends_sentence(line)


def _paragraph_end(lines: list[str], a: int, b: int) -> int:
    """Where a paragraph block stops: before a bullet or an unknown heading."""
    for i in range(a, b):
        line = lines[i]
        if line and (_blocks.strip_bullet(line) is not None or _looks_like_heading(line)):
            return i
    return b


def _rest(lines: list[str], end: int, b: int) -> list[tuple[int, str]]:
    """A block's lines from an unknown heading on: kept, never read into a field."""
    return [(i, lines[i]) for i in range(end, b) if lines[i]]


def _reveals(lines: list[str], a: int, b: int) -> tuple[Section, int]:
    """``- Label: text`` bullets; a line that is not a bullet ends the list, except a
    lower-case line continuing a bullet that ends no sentence (a wrapped line)."""
    texts: list[str] = []
    end = b
    for i in range(a, b):
        line = lines[i]
        if not line:
            continue
        text = _blocks.strip_bullet(line)
        if text is not None:
            texts.append(text)
        elif texts and line[0].islower() and not _blocks.ends_sentence(texts[-1]):
            texts[-1] += " " + line
        else:
            end = i
            break
    section = Section(None, "Big reveals", None, [_blocks.label_insight(t) for t in texts])
    return section, end


# --- the guest's name --------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_HONORIFICS: Final = _words(
    """Dr Dr. Prof Prof. Professor Mr Mr. Mrs Mrs. Ms Ms. Mx Mx. Sir Dame Rev Rev. Fr Fr.
    Judge Chef Rabbi Imam Father Sister Captain Capt. Gen. Col. Sen. Rep."""
)
_PARTICLES: Final = _words("de da di del della der den van von la le du dos das bin ibn al el")
# Capitalised words that open a sentence without being a name.
_NOT_NAMES: Final = _words(
    """The A An Our This That These Those His Her Their Its My Your Today Today's Former
    Veteran Longtime Award-winning Guest Guests In On At For With After Before When Since As
    Born Known Meet Joining Host Hosts It He She They We"""
)
# Capitalised job titles that open a sentence before a name ("Marine Biologist Jane Roe").
_ROLES: Final = _words(
    """scientist engineer economist historian journalist novelist author writer researcher
    founder co-founder cofounder ceo cto cfo director editor architect physician doctor nurse
    chef coach investor entrepreneur artist designer musician astronaut analyst reporter
    producer host guest expert lawyer activist"""
)
# Words that may follow the name at the start of a sentence about the guest.
_NAME_ENDS: Final = _words(
    """is was has had are were will can spent grew began became won led ran built wrote left
    took made holds leads and — – - &"""
)
_NAME_WORD: Final = re.compile(r"[^\W\d_][\w'’.-]*")
_INITIAL: Final = re.compile(r"(?:[^\W\d_]\.){1,3}")
_POSSESSIVE: Final = re.compile(r"(.+?)['’]s")


def _particle_leads_on(words: list[str], j: int) -> bool:
    """``van`` in ``Jane van der Berg``: more particles, then a capitalised word."""
    for w in words[j + 1 : j + 4]:
        if w[:1].isupper():
            return True
        if w not in _PARTICLES:
            return False
    return False


def _ends_name(word: str) -> bool:
    """``is``, ``teaches``, ``founded``, ``(she/her)``: the sentence goes on about the
    person named. ``founder`` (``Acme Robotics founder Jane Roe``) does not."""
    if word in _NAME_ENDS or word.startswith("("):
        return True
    word = word.rstrip(".,;:!?")
    return word.isalpha() and word.islower() and word.endswith(("s", "ed"))


def _name_at(words: list[str], k: int) -> tuple[str, int] | None:
    """The person's name that starts at ``words[k]``, and the index after it."""
    taken: list[str] = []
    j = k
    while j < len(words) and len(taken) < 7:
        w = words[j]
        core = w.rstrip(",;:")
        if not core:
            break
        starts_upper = core[0].isupper()
        if j == k and core in _NOT_NAMES:
            return None
        if core in _HONORIFICS and not taken:
            taken.append(core)
        elif starts_upper and (_INITIAL.fullmatch(core) or _NAME_WORD.fullmatch(core)):
            p = _POSSESSIVE.fullmatch(core)
            taken.append(p.group(1) if p else core)
            if p or core != w:
                j += 1
                break  # a comma or a possessive ends the name
        elif core in _PARTICLES and taken and _particle_leads_on(words, j):
            taken.append(core)
        else:
            break
        j += 1
    proper = [t for t in taken if t not in _HONORIFICS and t not in _PARTICLES]
    if not proper or (len(proper) < 2 and len(proper) == len(taken)):
        return None  # one bare word ("Madonna", "Scientist") is not clearly a name
    if any(t.endswith(".") and not _INITIAL.fullmatch(t) for t in proper[:-1]):
        return None  # a sentence ended inside the run
    if any(t.lower() in _ROLES or t.lower().endswith("ologist") for t in proper):
        return None  # a job title, not a name
    if j < len(words) and words[j - 1] == taken[-1] and not _ends_name(words[j]):
        return None  # what follows the capitalised words does not go on about a person
    return " ".join(taken), j


def _introduced(words: list[str]) -> tuple[str, int] | None:
    """The name in ``Our guest, Jane Roe, is …`` (an aside set off by commas)."""
    for k in range(1, min(len(words), 5)):
        if words[k - 1].lower() in ("guest,", "guests,"):
            found = _name_at(words, k)
            if found is not None and words[found[1] - 1].endswith(","):
                return found
            return None
    return None


def guest_names(about: str) -> list[str]:
    """The guest or guests a ``The guest`` paragraph is about, from its opening words.

    The paragraph must open with the name: capitalised words (an honorific such as
    ``Dr.``, initials and particles such as ``van`` allowed), at least two of them or an
    honorific and one, ending where the sentence goes on in lower case, at a comma, or at
    ``'s``. ``Jane Roe and Sam Lee are …`` gives both. A paragraph that opens any other
    way (``Former NASA engineer Jane Roe …``) gives no name: a wrong name is worse than
    none. An opening aside names the guest too (``Our guest, Jane Roe, is …``).
    """
    words = about.replace("—", " — ").split()
    if not words:
        return []
    first = _name_at(words, 0) or _introduced(words)
    if first is None:
        return []
    names = [first[0]]
    k = first[1]
    pending: list[str] = []
    while k < len(words):
        sep = words[k - 1][-1:] == ","
        if words[k] == "and":
            nxt = _name_at(words, k + 1)
            if nxt is None:
                break
            names += [*pending, nxt[0]]
            pending = []
            k = nxt[1]
            break
        if not sep:
            break
        nxt = _name_at(words, k)
        if nxt is None:
            break
        pending.append(nxt[0])
        k = nxt[1]
    return names
