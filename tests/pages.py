"""Synthetic summary pages for library and benchmark tests: distinct, valid pages."""

from __future__ import annotations

from pathlib import Path

TEMPLATE = """Episode {n}: {topic} | {show}

| Podcasts | {month} {day}, {year} | {views} Thousand views | {h}:{m:02d}:{s:02d}

TL;DR

Episode {n} explains why {topic_lower} matters, with {n} examples from the field.

🎙️ Main Points 2 insights

Point one of episode {n}

The first finding about {topic_lower} holds across {n} cases studied.

Point two of episode {n}

The second finding connects {topic_lower} to everyday decisions.

Bottom Line

Episode {n} ends with a practical takeaway about {topic_lower}.
"""
TOPICS = ["Solar Power", "Sleep", "Compilers", "Coffee", "Chess", "Bridges", "Whales"]
SHOWS = ["Volts", "Huberman Lab", "CoRecursive", "The Food Programme", "Lex Fridman Podcast"]
MONTHS = ["January", "March", "May", "July", "September", "November"]


def page(n: int) -> str:
    topic = TOPICS[n % len(TOPICS)]
    return TEMPLATE.format(
        n=n,
        topic=topic,
        topic_lower=topic.lower(),
        show=SHOWS[n % len(SHOWS)],
        month=MONTHS[n % len(MONTHS)],
        day=1 + n % 28,
        year=2020 + n % 6,
        views=1 + n % 90,
        h=n % 3,
        m=n % 60,
        s=(n * 7) % 60,
    )


def write_pages(folder: Path, numbers: range) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in numbers:
        p = folder / f"page-{n:05d}.txt"
        p.write_text(page(n), encoding="utf-8")
        paths.append(p)
    return paths
