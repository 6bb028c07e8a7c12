"""The pod.wave.co reader: heading forms, people, numbered topics as sections and
chapters, the tail, and what it refuses."""

from __future__ import annotations

import pytest

import podsum
from conftest import FIXTURES, record_of
from podsum.read import detect_layouts

PODWAVE = FIXTURES / "podwave"
FULL = (PODWAVE / "curly-heading-full.txt").read_text(encoding="utf-8")

PAGE = """Podcast Summary: Tiny Engines – “Why Clocks Drift”
Date: April 2, 2026
Host: Noor Haddad
Guests: Felix Brandt (watchmaker)

Episode Overview

Noor asks a watchmaker why mechanical clocks drift and how much drift is fine.

Key Discussion Points & Insights

1. Temperature
[00:00–10:00]
- Springs soften: A warm balance spring is weaker, so the clock runs slow. (02:10)
- “Every clock is also a thermometer.” — Felix Brandt (07:45)

2. Friction
[10:00–21:30]
- Old oil: Thickened oil steals energy from every swing. (12:00, 15:30)
"""


def test_heading_show_title_and_people() -> None:
    r = record_of(PAGE)
    assert r["layout"] == "podwave"
    assert (r["show"], r["title"], r["published"]) == (
        "Tiny Engines",
        "Why Clocks Drift",
        "2026-04-02",
    )
    assert r["people"] == [
        {"name": "Noor Haddad", "role": "host", "about": None},
        {"name": "Felix Brandt", "role": "guest", "about": "watchmaker"},
    ]
    assert r["overview"] == (
        "Noor asks a watchmaker why mechanical clocks drift and how much drift is fine."
    )


@pytest.mark.parametrize(
    ("heading", "show", "title"),
    [
        ("Podcast Summary: Tiny Engines – “Why Clocks Drift”", "Tiny Engines", "Why Clocks Drift"),
        ('Podcast Summary: Tiny Engines - "Why Clocks Drift"', "Tiny Engines", "Why Clocks Drift"),
        ('Tiny Engines: "Why Clocks Drift"', "Tiny Engines", "Why Clocks Drift"),
        ("Tiny Engines: “Why Clocks Drift”", "Tiny Engines", "Why Clocks Drift"),
        ("Podcast Summary: “Why Clocks Drift”", None, "Why Clocks Drift"),
        ("Podcast Summary: Tiny Engines – Why Clocks Drift", "Tiny Engines", "Why Clocks Drift"),
        (
            "Podcast Summary: Tiny Engines – “Why “Quartz” Clocks Drift”",
            "Tiny Engines",
            "Why “Quartz” Clocks Drift",
        ),
    ],
)
def test_heading_forms(heading: str, show: str | None, title: str) -> None:
    r = record_of(PAGE.replace("Podcast Summary: Tiny Engines – “Why Clocks Drift”", heading))
    assert (r["show"], r["title"]) == (show, title)


def test_episode_number_from_show_or_title() -> None:
    a = record_of(PAGE.replace("Tiny Engines –", "Tiny Engines #41 –"))
    assert (a["show"], a["episode_number"], a["title"]) == (
        "Tiny Engines",
        "41",
        "Why Clocks Drift",
    )
    b = record_of(PAGE.replace("“Why Clocks Drift”", "“Episode 41: Why Clocks Drift”"))
    assert (b["episode_number"], b["title"]) == ("41", "Why Clocks Drift")


def test_chrome_glued_to_the_heading_and_a_date_glued_behind_it() -> None:
    page = PAGE.replace(
        "Podcast Summary: Tiny Engines – “Why Clocks Drift”\nDate: April 2, 2026",
        "Listen nowPodcast Summary: Tiny Engines – “Why Clocks Drift”Date: April 2, 2026",
    )
    r = record_of(page)
    assert (r["show"], r["title"], r["published"]) == (
        "Tiny Engines",
        "Why Clocks Drift",
        "2026-04-02",
    )
    assert r["extra_lines"] == ["Listen now"]


def test_hosts_and_guests_lists() -> None:
    page = PAGE.replace("Host: Noor Haddad", "Hosts: Noor Haddad, Sam Li, and Jo Park").replace(
        "Guests: Felix Brandt (watchmaker)",
        "Guests: Felix Brandt (watchmaker, Basel and Geneva) & Mia Ono (physicist)",
    )
    people = [(p["name"], p["role"], p["about"]) for p in record_of(page)["people"]]
    assert people == [
        ("Noor Haddad", "host", None),
        ("Sam Li", "host", None),
        ("Jo Park", "host", None),
        ("Felix Brandt", "guest", "watchmaker, Basel and Geneva"),
        ("Mia Ono", "guest", "physicist"),
    ]


def test_each_topic_is_a_section_and_a_chapter() -> None:
    r = record_of(PAGE)
    assert [(s["title"], s["emoji"], s["declared_insights"]) for s in r["sections"]] == [
        ("Temperature", None, None),
        ("Friction", None, None),
    ]
    first = r["sections"][0]["insights"]
    assert first[0] == {
        "title": "Springs soften",
        "text": "A warm balance spring is weaker, so the clock runs slow.",
        "speaker": None,
        "timestamps": [{"at": "02:10", "seconds": 130}],
    }
    assert first[1] == {
        "title": None,
        "text": "Every clock is also a thermometer.",
        "speaker": "Felix Brandt",
        "timestamps": [{"at": "07:45", "seconds": 465}],
    }
    assert [(c["title"], c["start"], c["end"], c["end_seconds"]) for c in r["chapters"]] == [
        ("Temperature", "00:00", "10:00", 600),
        ("Friction", "10:00", "21:30", 1290),
    ]
    assert all(c["points"] == [] and c["summary"] is None for c in r["chapters"])


def test_a_topic_without_a_range_is_no_chapter_and_a_start_alone_ends_at_the_next() -> None:
    page = PAGE.replace("[00:00–10:00]", "[00:00]").replace("[10:00–21:30]\n", "")
    r = record_of(page)
    assert len(r["sections"]) == 2
    assert [(c["title"], c["start"], c["end"]) for c in r["chapters"]] == [
        ("Temperature", "00:00", None)
    ]
    page = PAGE.replace("[00:00–10:00]", "[00:00]").replace("[10:00–21:30]", "[10:00]")
    chapters = record_of(page)["chapters"]
    assert [(c["start"], c["end"]) for c in chapters] == [("00:00", "10:00"), ("10:00", None)]


def test_a_range_on_the_topic_line() -> None:
    page = PAGE.replace("1. Temperature\n[00:00–10:00]", "1. Temperature (00:00–10:00)")
    r = record_of(page)
    assert r["sections"][0]["title"] == "Temperature"
    assert (r["chapters"][0]["start"], r["chapters"][0]["end"]) == ("00:00", "10:00")


def test_a_wrapped_bullet_is_joined() -> None:
    r = record_of(FULL)
    margins = r["sections"][1]["insights"][0]
    assert margins["title"] == "Generous margins"
    assert margins["text"] == (
        "Designers of the era ran valves well below their ratings, so the parts age slowly"
        " and fail gently instead of all at once."
    )
    assert [t["at"] for t in margins["timestamps"]] == ["14:20", "19:45"]


def test_conclusion_is_the_bottom_line_and_the_footer_stays_out() -> None:
    r = record_of(FULL)
    assert r["bottom_line"].startswith("Old radios survive because")
    assert r["bottom_line"].endswith("another seventy years.")
    assert r["extra_lines"] == [
        "Wave",
        "Podcasts",
        "Sign in",
        "Share this summary",
        "© 2026 Wave Audio",
    ]


def test_a_footer_right_under_the_last_bullet_is_chrome() -> None:
    r = record_of(PAGE.rstrip("\n") + "\nShare this summary\n© 2026 Wave Audio\n")
    assert (
        r["sections"][-1]["insights"][-1]["text"] == "Thickened oil steals energy from every swing."
    )
    assert r["extra_lines"] == ["Share this summary", "© 2026 Wave Audio"]


def test_tail_list_heading_is_its_own_section() -> None:
    page = PAGE + "\nKey Takeaways\n- Warmth slows clocks: Keep them away from radiators.\n"
    r = record_of(page)
    last = r["sections"][-1]
    assert last["title"] == "Key Takeaways"
    assert last["insights"][0]["title"] == "Warmth slows clocks"
    assert r["bottom_line"] is None


def test_without_blank_lines_the_structure_is_the_same() -> None:
    tight = "\n".join(line for line in FULL.split("\n") if line.strip())
    a, b = record_of(FULL), record_of(tight)
    for key in ("title", "show", "published", "people", "sections", "chapters"):
        assert a[key] == b[key], key


def test_a_yearless_date_warns_and_leaves_published_empty() -> None:
    r = record_of(PAGE.replace("Date: April 2, 2026", "Date: Apr 2"))
    assert r["published"] is None
    assert [(w["code"], w["line"]) for w in r["warnings"]] == [("date-without-year", 2)]


def test_a_page_without_overview_or_topics_is_refused() -> None:
    page = "Podcast Summary: Tiny Engines – “Why Clocks Drift”\nDate: April 2, 2026\nHello.\n"
    with pytest.raises(podsum.ParseError, match="not a podwave page"):
        podsum.parse(page, layout="podwave")


def test_a_page_without_the_heading_is_refused() -> None:
    page = PAGE.split("\n", 1)[1]
    with pytest.raises(podsum.ParseError, match="not a podwave page"):
        podsum.parse(page, layout="podwave")


def test_detected_only_as_podwave() -> None:
    assert detect_layouts(PAGE) == ["podwave"]
    # "Episode Overview" alone (another site has that heading) is not enough.
    other = "Some Title | Some Show\n\nEpisode Overview\n\nA paragraph.\n\nKey Insights\n"
    assert "podwave" not in detect_layouts(other)


def test_three_pages_in_one_text_are_three_records_with_their_own_ids() -> None:
    names = ["curly-heading-full", "episode-number-implicit-topics", "yearless-no-blanks-glued"]
    texts = [(PODWAVE / f"{n}.txt").read_text(encoding="utf-8") for n in names]
    singles = [podsum.parse(t) for t in texts]
    together = podsum.parse_all("\n".join(texts))
    assert [s.layout for s in together] == ["podwave"] * 3
    assert [s.id for s in together] == [s.id for s in singles]
    assert [s.title for s in together] == [s.title for s in singles]
    assert together[2].warnings[0].code == "date-without-year"
