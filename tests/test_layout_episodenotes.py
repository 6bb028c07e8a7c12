"""episodenotes.com pages: breadcrumb and meta line, the title shown twice around a
teaser, The guest, The gist, Big reveals, and headings below them that are not known."""

from __future__ import annotations

import pytest

import podsum
from conftest import FIXTURES, record_of
from podsum.read import detect_layouts
from podsum.read.episodenotes import guest_names

PAGES = FIXTURES / "episodenotes"
FULL = PAGES / "cave-diving-full.txt"
GLUED = PAGES / "crlf-nbsp-glued-two-guests.txt"
UNKNOWN = PAGES / "chrome-unknown-headings-no-name.txt"
CRUMB_ONLY = PAGES / "breadcrumb-only-no-guest.txt"

HEAD = "Home Kiln Talk Notes\nKiln Talk · 2025-06-01 · 48m\nFiring Wood\nA teaser.\nFiring Wood\n"


def test_full_page_fields() -> None:
    r = record_of(FULL.read_bytes())
    assert (r["layout"], r["title"], r["show"]) == (
        "episodenotes",
        "The Long Way Down: Diving the Deepest Flooded Cave in Europe",
        "Deep Current",
    )
    assert (r["published"], r["duration"], r["duration_seconds"]) == ("2025-02-03", "5h 06m", 18360)
    (guest,) = r["people"]
    assert (guest["name"], guest["role"]) == ("Dr. Ilse Marchetti", "guest")
    assert guest["about"].startswith("Dr. Ilse Marchetti is a hydrogeologist")
    assert guest["about"].endswith("in Slovenia and Croatia.")
    assert r["tldr"].startswith("Marchetti walks through nine years")
    (section,) = r["sections"]
    assert (section["title"], section["emoji"], section["declared_insights"]) == (
        "Big reveals",
        None,
        None,
    )
    assert len(section["insights"]) == 9
    assert section["insights"][0]["title"] == "Gas planning"
    assert section["insights"][0]["text"].startswith("Every deep push carried")
    # the breadcrumb, the teaser and the title's second appearance are chrome
    assert r["extra_lines"] == [
        "Home Deep Current Notes",
        "A cave diver explains why the last hundred meters took nine years.",
        "The Long Way Down: Diving the Deepest Flooded Cave in Europe",
    ]
    assert r["warnings"] == []


def test_glued_breadcrumb_and_teaser_split_and_two_guests() -> None:
    r = record_of(GLUED.read_bytes())
    assert r["show"] == "Tin Roof Radio"
    assert (r["published"], r["duration_seconds"]) == ("2024-11-18", 4320)
    assert r["title"] == "What Two Luthiers Learned Rebuilding a 1920s Guitar"
    assert [p["name"] for p in r["people"]] == ["Amara Osei", "Lukas Brandt"]
    assert r["people"][0]["about"] == r["people"][1]["about"]
    assert "from parlor guitars" in r["people"][0]["about"]  # NBSP read as a space
    assert r["extra_lines"][:3] == [
        "Home Tin Roof Radio Notes",
        "Two instrument makers argue about glue, wood and the ethics of restoration.",
        "What Two Luthiers Learned Rebuilding a 1920s Guitar",
    ]
    assert r["extra_lines"][3:] == [
        "Share this episode",
        "More from Tin Roof Radio",
        "© 2025 EpisodeNotes",
    ]
    assert len(r["sections"][0]["insights"]) == 14


def test_unknown_headings_and_their_text_never_reach_a_field() -> None:
    r = record_of(UNKNOWN.read_bytes())
    assert r["title"] == "Why Vending Machines Are Quietly Getting Smarter"
    assert r["show"] == "Night Shift Economics"
    assert r["tldr"].startswith("Vending is becoming a data business.")
    assert r["tldr"].endswith("instead of only chips.")
    insights = r["sections"][0]["insights"]
    assert len(insights) == 4
    assert insights[3]["text"].endswith("the price of the hardware over its lifetime.")
    extra = r["extra_lines"]
    assert extra[:4] == ["Skip to content", "EpisodeNotes", "Browse shows", "Sign in"]
    assert extra[-7:] == [
        "Worth a listen if",
        "- you run a small logistics business",
        "- you work nights and wonder who restocks the break room",
        "Quotes we loved",
        '"Nobody has ever thanked me for a granola bar at noon."',
        "© 2025 EpisodeNotes",
        "About · Privacy · Terms",
    ]


def test_a_guest_paragraph_without_a_clear_name_is_kept_unread() -> None:
    r = record_of(UNKNOWN.read_bytes())
    assert r["people"] == []
    i = r["extra_lines"].index("The guest")
    assert r["extra_lines"][i + 1].startswith("Former bond trader turned route operator")
    assert [(w["code"], w["line"]) for w in r["warnings"]] == [("date-without-year", 6)]
    assert (r["published"], r["duration"], r["duration_seconds"]) == (None, "48m", 2880)


def test_breadcrumb_gives_the_show_when_the_meta_line_is_missing() -> None:
    r = record_of(CRUMB_ONLY.read_bytes())
    assert r["show"] == "Backyard Orbit"
    assert r["published"] is None and r["duration"] is None and r["warnings"] == []
    assert r["title"] == "How Amateur Astronomers Found a Missing Moon"
    assert r["people"] == []
    assert r["tldr"].count("\n") == 0  # two lines of one paragraph, joined by a space
    assert "since 2004. The episode follows" in r["tldr"]


def test_a_reveal_past_the_episode_end_warns() -> None:
    text = HEAD + "The gist\nWood firing is slow.\nBig reveals\n- Ash: It glazes the pots (52:10)\n"
    r = record_of(text)
    ins = r["sections"][0]["insights"][0]
    assert (ins["title"], ins["text"]) == ("Ash", "It glazes the pots")
    assert ins["timestamps"] == [{"at": "52:10", "seconds": 3130}]
    assert [w["code"] for w in r["warnings"]] == ["timestamp-out-of-range"]


def test_an_unreadable_duration_warns_and_the_date_still_counts() -> None:
    text = HEAD.replace("48m", "5h 99m") + "The gist\nWood firing is slow.\n"
    r = record_of(text)
    assert (r["published"], r["duration"], r["duration_seconds"]) == ("2025-06-01", "5h 99m", None)
    assert [w["code"] for w in r["warnings"]] == ["invalid-duration"]


def test_a_title_without_its_repeat_or_teaser() -> None:
    text = "Kiln Talk · 2025-06-01 · 48m\nFiring Wood\nThe gist\nWood firing is slow.\n"
    r = record_of(text)
    assert (r["title"], r["show"], r["extra_lines"]) == ("Firing Wood", "Kiln Talk", [])


def test_a_page_without_the_gist_or_big_reveals_is_refused() -> None:
    text = HEAD + "The guest\nJane Roe is a potter.\n"
    with pytest.raises(podsum.ParseError, match="not an episodenotes page"):
        podsum.parse(text, layout="episodenotes")


def test_the_gist_alone_without_a_meta_line_is_not_episodenotes() -> None:
    text = "How to brew tea\n\nThe gist\n\nSteep it for three minutes.\n"
    assert detect_layouts(text) == []
    assert detect_layouts("Kiln Talk · 2025-06-01 · 48m\n" + text) == ["episodenotes"]


def test_three_pages_in_one_text_give_three_records() -> None:
    pages = [p.read_bytes().decode("utf-8") for p in (FULL, UNKNOWN, CRUMB_ONLY)]
    records = podsum.parse_all(pages[0] + "\n" + pages[1] + "\n" + pages[2])
    assert [r.id for r in records] == [podsum.parse(p).id for p in pages]
    assert [r.show for r in records] == ["Deep Current", "Night Shift Economics", "Backyard Orbit"]


@pytest.mark.parametrize(
    ("about", "names"),
    [
        ("Dr. Jane Roe is a marine biologist.", ["Dr. Jane Roe"]),
        ("Jane Roe, a marine biologist, studies kelp.", ["Jane Roe"]),
        ("Jane Roe, Sam Lee, and Ana Diaz founded a lab.", ["Jane Roe", "Sam Lee", "Ana Diaz"]),
        ("Jane Roe and her team study kelp.", ["Jane Roe"]),
        ("Jane van der Berg writes about rivers.", ["Jane van der Berg"]),
        ("J. R. Okafor teaches history.", ["J. R. Okafor"]),
        ("Jane Roe—a potter—lives in Kyoto.", ["Jane Roe"]),
        ("Our guest, Jane Roe, is a potter.", ["Jane Roe"]),
        ("Former NASA engineer Jane Roe runs a bakery.", []),
        ("Acme Robotics founder Jane Roe is here.", []),
        ("Marine Biologist Tomas Vainikka counts crabs.", []),
        ("Madonna is a singer.", []),
        ("She has written four books.", []),
    ],
)
def test_guest_names(about: str, names: list[str]) -> None:
    assert guest_names(about) == names
