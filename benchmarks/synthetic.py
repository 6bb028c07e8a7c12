"""Distinct synthetic summary pages, as many as wanted, made from the golden fixture pages
of every site layout (tests/fixtures/*): each page is one fixture with its title, show
and some words of its prose replaced, so the library holds summaries of every layout
with a realistic vocabulary (a few words in most summaries, most words in few).

Deterministic: page ``n`` is always the same text. ``rare_word(n)`` is in page ``n``'s
title and nowhere else; ``COMMON_WORD`` is in roughly one page in ten.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"
_SYLLABLES = [c + v for c in _CONSONANTS for v in _VOWELS]  # 70
VOCABULARY = 30_000
# Word ranks are drawn log-uniformly (a Zipf-like spread). The rank whose share of pages
# is about 10% with ~12 replaced words a page: found by the generator's own count.
COMMON_RANK = 12
SHOWS = 300
_PROSE_WORD = re.compile(r"(?<![\w'’-])[a-z]{6,}(?![\w'’-])")
_MIN_PROSE_LINE = 60  # marker lines (counts, headings, meta) are shorter than this
_EVERY = 3  # one prose word in this many is replaced


def word(rank: int) -> str:
    """The vocabulary word of ``rank`` (0 is the most common): three syllables."""
    s = _SYLLABLES
    n = len(s)
    return s[rank % n] + s[(rank // n) % n] + s[(rank // (n * n)) % n] + "n"


COMMON_WORD = word(COMMON_RANK)


def rare_word(n: int) -> str:
    """A word that only page ``n`` holds (in its title): letters only, as FTS splits."""
    letters = "qxjwy"
    out = []
    while True:
        n, r = divmod(n, len(letters))
        out.append(letters[r])
        if n == 0:
            break
    return "zq" + "".join(out)


def _rank(rng: random.Random) -> int:
    """A word rank, log-uniform over the vocabulary: rank r is drawn with probability
    log((r + 2) / (r + 1)) / log(VOCABULARY)."""
    return min(VOCABULARY - 1, int(VOCABULARY ** rng.random()) - 1)


def show_name(k: int) -> str:
    return f"The {word(5000 + k).title()} {word(9000 + k * 7).title()} Hour"


@dataclass(slots=True)
class Template:
    name: str
    parts: list[str]  # literal text between slots
    slots: list[str]  # "title", "show" or "word", one between each two parts


def _decoded(path: Path) -> str:
    from podsum.decode import decode_bytes

    return decode_bytes(path.read_bytes())[0]


def _template(path: Path) -> Template | None:
    """A fixture page as literal parts and slots, or None where its title cannot be
    swapped (mojibake, a title the page never writes verbatim) or it is not one page."""
    import podsum

    text = _decoded(path).replace("\r\n", "\n").replace("\r", "\n")
    try:
        found = podsum.parse_all(text)
    except podsum.ParseError:
        return None
    if len(found) != 1:
        return None
    s = found[0]
    if len(s.title) < 8 or s.title not in text:
        return None
    spans: list[tuple[int, int, str]] = []
    for kind, value in (("title", s.title), ("show", s.show)):
        if not value or len(value) < 4:
            continue
        start = 0
        while (i := text.find(value, start)) >= 0:
            spans.append((i, i + len(value), kind))
            start = i + len(value)
    spans.sort()
    kept: list[tuple[int, int, str]] = []
    for span in spans:  # a show written inside the title stays part of the title
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if len(line) >= _MIN_PROSE_LINE and not any(a < end and b > pos for a, b, _ in kept):
            for k, m in enumerate(_PROSE_WORD.finditer(line)):
                if k % _EVERY == 1:
                    kept.append((pos + m.start(), pos + m.end(), "word"))
        pos = end + 1
    kept.sort()
    parts, slots, at = [], [], 0
    for a, b, kind in kept:
        parts.append(text[at:a])
        slots.append(kind)
        at = b
    parts.append(text[at:])
    return Template(f"{path.parent.name}/{path.name}", parts, slots)


class Pages:
    """Page ``n`` of the synthetic corpus: ``pages.text(n)``."""

    def __init__(self) -> None:
        import podsum

        candidates = sorted(
            p
            for p in FIXTURES.glob("*/*.txt")
            if p.parent.name != "negative" and "utf16" not in p.name
        )
        self.templates: list[Template] = []
        for path in candidates:
            t = _template(path)
            if t is None:
                continue
            # Two variants must read as one summary each, of the same layout, with the
            # new title, and be told apart.
            try:
                a, b = (podsum.parse(self._render(t, n)) for n in (1, 2))
                layout = podsum.parse(_decoded(path)).layout
            except podsum.ParseError:
                continue
            if a.id != b.id and a.layout == b.layout == layout and rare_word(1) in a.title:
                self.templates.append(t)
        if not self.templates:
            raise RuntimeError("no fixture page could be varied")

    def _render(self, t: Template, n: int) -> str:
        rng = random.Random(n)
        title_words = [word(_rank(rng)) for _ in range(3)]
        title = f"{title_words[0].title()} {rare_word(n)} {' '.join(title_words[1:])}"
        show = show_name(rng.randrange(SHOWS))
        out = [t.parts[0]]
        for slot, part in zip(t.slots, t.parts[1:], strict=True):
            if slot == "title":
                out.append(title)
            elif slot == "show":
                out.append(show)
            else:
                out.append(word(_rank(rng)))
            out.append(part)
        return "".join(out)

    def text(self, n: int) -> str:
        return self._render(self.templates[n % len(self.templates)], n)

    def layouts(self) -> list[str]:
        return [t.name for t in self.templates]


def write_pages(folder: Path, numbers: range, pages: Pages | None = None) -> int:
    """Pages ``numbers`` as UTF-8 files, a thousand to a subfolder; returns their bytes."""
    pages = pages or Pages()
    total = 0
    current = -1
    sub = folder
    for n in numbers:
        if n // 1000 != current:
            current = n // 1000
            sub = folder / f"{current:04d}"
            sub.mkdir(parents=True, exist_ok=True)
        data = pages.text(n).encode("utf-8")
        (sub / f"page-{n:07d}.txt").write_bytes(data)
        total += len(data)
    return total
