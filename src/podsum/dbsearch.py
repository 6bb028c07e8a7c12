"""What a user types, as full-text queries of the library.

Every word must match, as a word (stemmed: "battery" finds "Batteries") or as the
start of one ("batt" finds "battery"); a whole-word match ranks above a prefix match.
Runs of CJK characters are looked up in the CJK index as substrings. Repeated words
count once, so a pasted paragraph of the same words costs what one of them does.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .dbschema import cjk_phrase, cjk_runs

# More distinct words than this is no search anyone types; refusing it keeps every
# query fast.
MAX_TERMS = 64


class TooManyTerms(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Query:
    match: str | None  # an FTS5 query of summaries_fts, or None
    cjk: str | None  # an FTS5 query of summaries_cjk, or None
    runs: tuple[str, ...] = ()  # the CJK runs, to find a snippet by


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def plain_query(text: str) -> Query:
    """Any text as a query; nothing in it is FTS5 syntax. A term with no letter or
    digit (``*``, ``-``, ``:``) matches nothing and is left out."""
    words: list[str] = []
    runs: list[str] = []
    for term in _unique(text.split()):
        found = cjk_runs(term)  # found in the NFKC form, as the index holds them
        if found:
            term = unicodedata.normalize("NFKC", term)
            runs.extend(found)
            for run in found:
                term = term.replace(run, " ")
        words.extend(p for p in term.split() if any(c.isalnum() for c in p))
    words, runs = _unique(words), _unique(runs)
    if len(words) + len(runs) > MAX_TERMS:
        raise TooManyTerms(
            f"too many different words ({len(words) + len(runs)}); at most {MAX_TERMS}"
        )
    match = " AND ".join(f"({_quoted(w)} OR {_quoted(w)}*)" for w in words) or None
    cjk = " AND ".join(cjk_phrase(r) for r in runs) or None
    return Query(match, cjk, tuple(runs))


def substring_snippet(texts: Iterable[str | None], runs: Iterable[str], width: int = 30) -> str:
    """A snippet around the first of ``runs`` found in ``texts``, the match between
    \\x02 and \\x03 as FTS5's ``snippet`` marks it."""
    wanted = list(runs)
    for text in texts:
        if not text:
            continue
        for run in wanted:
            at = text.find(run)
            if at < 0:
                continue
            start, end = max(0, at - width), min(len(text), at + len(run) + width)
            return (
                ("…" if start else "")
                + text[start:at]
                + "\x02"
                + run
                + "\x03"
                + text[at + len(run) : end]
                + ("…" if end < len(text) else "")
            )
    return ""
