from __future__ import annotations

import pytest

from podsum import values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("54.9 Thousand views", 54_900),
        ("1.2 Million views", 1_200_000),
        ("980 views", 980),
        ("1 view", 1),
        ("8.1K views", 8_100),
        ("3.4M views", 3_400_000),
        ("2.5B views", 2_500_000_000),
        ("1,234 views", 1_234),
        ("views", None),
        ("lots of views", None),
    ],
)
def test_views(text: str, expected: int | None) -> None:
    assert values.parse_views(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("July 31, 2025", "2025-07-31"),
        ("Jul 31, 2025", "2025-07-31"),
        ("Sept 3, 2024", "2024-09-03"),
        ("2025-07-31", "2025-07-31"),
        ("February 30, 2025", None),
        ("2025-13-01", None),
        ("Smarch 3, 2025", None),
    ],
)
def test_dates(text: str, expected: str | None) -> None:
    assert values.parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1:04:21", 3861), ("45:01", 2701), ("0:59", 59), ("1:99:99", None), ("45:60", None)],
)
def test_durations(text: str, expected: int | None) -> None:
    assert values.parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 days ago · 10 points", ("10 days ago", 10)),
        ("5 days ago · 1 point", ("5 days ago", 1)),
        ("2 weeks ago", ("2 weeks ago", None)),
        ("1 month ago · 3 points", ("1 month ago", 3)),
        ("Published 10 days ago", None),
    ],
)
def test_age_points(text: str, expected: tuple[str | None, int | None] | None) -> None:
    assert values.parse_age_points(text) == expected


@pytest.mark.parametrize(
    ("text", "emoji", "rest"),
    [
        ("🇨🇳 China", "🇨🇳", "China"),
        ("👩🏽\u200d💻 Coding", "👩🏽\u200d💻", "Coding"),
        ("🏳️\u200d🌈 Pride", "🏳️\u200d🌈", "Pride"),
        ("❤️ Love", "❤️", "Love"),
        ("👍🏿 Thumbs", "👍🏿", "Thumbs"),
        ("#️⃣ Hash", "#️⃣", "Hash"),
        ("3 Lessons", None, "3 Lessons"),
        ("China", None, "China"),
    ],
)
def test_split_emoji(text: str, emoji: str | None, rest: str) -> None:
    assert values.split_emoji(text) == (emoji, rest)


def test_split_title_uses_last_separator() -> None:
    assert values.split_title("A | B | C") == ("A | B", "C")
    assert values.split_title("No show here") == ("No show here", None)
