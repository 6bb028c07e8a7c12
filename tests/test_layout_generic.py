"""The generic reader: a page of no known layout that is plainly a summary is read and
marked as such; prose, READMEs, recipes, show notes and transcripts are refused, each
with what it lacks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import podsum
from conftest import NEGATIVE, fixture_pages, page_id, record_of

GENERIC = fixture_pages("generic")
NEGATIVES = sorted(NEGATIVE.glob("*.txt"))
REFUSED = "not a summary page ("
GENERIC_WARNING = {
    "code": "generic-layout",
    "message": "no known layout; read by the generic reader",
    "line": None,
}


def _refusal(text: str) -> str:
    with pytest.raises(podsum.ParseError) as exc:
        podsum.parse(text)
    return str(exc.value)


def _page(*lines: str) -> dict[str, Any]:
    return record_of("\n".join(lines) + "\n")


def test_there_are_generic_and_negative_pages() -> None:
    assert len(GENERIC) >= 5
    assert len(NEGATIVES) >= 6


# --- the fixtures -----------------------------------------------------------------------


@pytest.mark.parametrize("page", NEGATIVES, ids=page_id)
def test_negative_page_is_refused(page: Path) -> None:
    assert not page.with_suffix(".json").exists(), "a refused page has no expected record"
    assert _refusal(page.read_bytes().decode("utf-8")).startswith(REFUSED)
    with pytest.raises(podsum.ParseError, match=r"^not a summary page \("):
        podsum.parse(page.read_bytes())


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("ordinary-prose.txt", "no summary headings such as TL;DR"),
        ("blog-bottom-line-inline.txt", "no summary headings such as TL;DR"),
        ("show-notes-more-from-episode.txt", "no summary headings such as TL;DR"),
        ("readme-bottom-line.txt", "only one summary heading, 'Bottom line'"),
        ("recipe-summary.txt", "only one summary heading, 'Summary'"),
        ("transcript-only.txt", "only one summary heading, 'Transcript'"),
        ("article-overview-conclusion.txt", "nothing beside the Overview but Conclusion"),
        ("readme-overview-highlights.txt", "not a summary's: Installation, Usage, Configuration"),
    ],
)
def test_refusal_says_what_is_missing(name: str, reason: str) -> None:
    message = _refusal((NEGATIVE / name).read_text(encoding="utf-8"))
    assert message.startswith(REFUSED) and reason in message, message


@pytest.mark.parametrize("page", GENERIC, ids=page_id)
def test_generic_page_is_read_by_the_generic_reader(page: Path) -> None:
    r = record_of(page.read_bytes())
    assert r["layout"] == "generic"
    assert r["warnings"][0] == GENERIC_WARNING
    assert [w["code"] for w in r["warnings"]].count("generic-layout") == 1
    assert r["title"] and r["show"]
    assert r["sections"] and (r["tldr"] or r["overview"])


def test_line_endings_and_no_break_spaces_do_not_change_the_record() -> None:
    page = (Path(GENERIC[0].parent) / "publisher-show-notes.txt").read_bytes()
    lf = podsum.parse(page).to_dict()
    for variant in (
        page.replace(b"\n", b"\r\n"),
        page.replace(b"\n", b"\r"),
        page.replace(b"\n\n", b"\n\n\n").replace(b"\n", b"  \n"),
        page.replace(b"Dr. Lena", "Dr.\u00a0Lena".encode()),
    ):
        other = podsum.parse(variant).to_dict()
        assert other["id"] == lf["id"]
        assert {k: v for k, v in other.items() if k != "source"} == {
            k: v for k, v in lf.items() if k != "source"
        }


# --- headings ---------------------------------------------------------------------------

TAKEAWAYS = (
    "- Cheap power: Solar is now the cheapest new power.",
    "- Storage lags: Batteries trail.",
)


@pytest.mark.parametrize(
    "style",
    [
        lambda h: h,
        lambda h: h.upper(),
        lambda h: h.lower() + ":",
        lambda h: f"## {h}",
        lambda h: f"### {h}:",
        lambda h: f"**{h}**",
    ],
    ids=["as-is", "capitals", "lower-colon", "md2", "md3-colon", "bold"],
)
def test_heading_styles_read_alike(style: Any) -> None:
    r = _page(
        "Sun Power | Grid Talk",
        style("Summary"),
        "Solar overtook coal this year.",
        "",
        "Grids are struggling to keep up.",
        style("Key Takeaways"),
        *TAKEAWAYS,
        style("Timestamps"),
        "00:00 Intro",
        "04:12 The price curve",
        style("Bottom line"),
        "Build storage now.",
    )
    assert (r["title"], r["show"]) == ("Sun Power", "Grid Talk")
    assert r["tldr"] == "Solar overtook coal this year."
    assert r["overview"] == "Grids are struggling to keep up."  # the rest of the Summary
    (section,) = r["sections"]
    assert section["title"].casefold() == "key takeaways"
    assert [(i["title"], i["text"]) for i in section["insights"]] == [
        ("Cheap power", "Solar is now the cheapest new power."),
        ("Storage lags", "Batteries trail."),
    ]
    assert [(c["title"], c["start"], c["end"]) for c in r["chapters"]] == [
        ("Intro", "00:00", "04:12"),
        ("The price curve", "04:12", None),
    ]
    assert r["bottom_line"] == "Build storage now."
    assert r["extra_lines"] == []


def test_section_keeps_its_emoji_title_as_written_and_declared_count() -> None:
    r = _page(
        "Sleep Debt",
        "TL;DR",
        "You cannot repay it in a weekend.",
        "🔑 KEY INSIGHTS (3)",
        *TAKEAWAYS,
    )
    (section,) = r["sections"]
    assert (section["emoji"], section["title"], section["declared_insights"]) == (
        "🔑",
        "KEY INSIGHTS",
        3,
    )
    assert len(section["insights"]) == 2
    mismatch = [w for w in r["warnings"] if w["code"] == "insight-count-mismatch"]
    assert mismatch and mismatch[0]["line"] == 4


def test_an_overview_is_not_overwritten_by_the_rest_of_the_summary() -> None:
    r = _page(
        "T",
        "Summary",
        "First paragraph.",
        "",
        "Second paragraph.",
        "Overview",
        "The real overview.",
    )
    assert (r["tldr"], r["overview"]) == ("First paragraph.", "The real overview.")


def test_unknown_headings_and_chrome_go_to_extra_lines() -> None:
    r = _page(
        "Skip to content",
        "# Deep Sea Mining",
        "By Ocean Desk",
        "## TL;DR",
        "Nobody knows the cost yet.",
        "## Sponsors",
        "Acme Boats: ten percent off",
        "## Highlights",
        "- Nodules grow a few millimetres per million years.",
        "Privacy Policy",
        "## Bottom line",
        "Wait for the science.",
        "© 2025 Ocean Desk",
    )
    assert (r["title"], r["show"]) == ("Deep Sea Mining", "Ocean Desk")
    assert r["extra_lines"] == [
        "Skip to content",
        "## Sponsors",
        "Acme Boats: ten percent off",
        "Privacy Policy",
        "© 2025 Ocean Desk",
    ]
    assert r["bottom_line"] == "Wait for the science."


def test_a_tab_bar_of_headings_before_the_title_is_chrome() -> None:
    r = _page(
        "Summary",
        "Chapters",
        "Transcript",
        "Tidal Power | Energy Hour",
        "Date: 2025-01-09",
        "Summary",
        "Tides are predictable but hard to harvest.",
        "Chapters",
        "00:00 Intro",
        "10:30 Barrages",
    )
    assert (r["title"], r["show"], r["published"]) == ("Tidal Power", "Energy Hour", "2025-01-09")
    assert r["extra_lines"] == ["Summary", "Chapters", "Transcript"]
    assert [c["title"] for c in r["chapters"]] == ["Intro", "Barrages"]


# --- the title and meta lines -------------------------------------------------------------


def test_meta_lines_give_show_people_date_duration_and_episode() -> None:
    r = _page(
        "Podnotes",
        "Why Bees Dance",
        "By Hive Radio",
        "Episode: 42",
        "Hosts: Ana Ruiz and Tom Berg",
        "Guests: Dr. Mei Lin (entomologist, Kyoto); Joe Park",
        "Date: Feb 3, 2024",
        "Duration: 1 hour 44 minutes",
        "TL;DR",
        "The dance is a map.",
        "Takeaways",
        "- Angle is direction.",
        "- Length is distance.",
    )
    assert (r["title"], r["show"], r["episode_number"]) == ("Why Bees Dance", "Hive Radio", "42")
    assert r["people"] == [
        {"name": "Ana Ruiz", "role": "host", "about": None},
        {"name": "Tom Berg", "role": "host", "about": None},
        {"name": "Dr. Mei Lin", "role": "guest", "about": "entomologist, Kyoto"},
        {"name": "Joe Park", "role": "guest", "about": None},
    ]
    assert (r["published"], r["duration"], r["duration_seconds"]) == (
        "2024-02-03",
        "1 hour 44 minutes",
        6240,
    )
    assert r["extra_lines"] == ["Podnotes"]  # the site's name above the title


def test_a_year_less_date_warns_and_leaves_published_empty() -> None:
    r = _page("T | S", "Date: Mar 14", "TL;DR", "Gist.", "Highlights", "- One.")
    assert r["published"] is None
    assert [w["code"] for w in r["warnings"]] == ["generic-layout", "date-without-year"]


def test_show_number_gives_the_episode_number() -> None:
    r = _page("Cheap Flights | Travel Hacks #212", "TL;DR", "Gist.", "Highlights", "- One.")
    assert (r["title"], r["show"], r["episode_number"]) == ("Cheap Flights", "Travel Hacks", "212")


def test_an_inline_tldr_line_is_the_gist_when_there_is_no_tldr_block() -> None:
    r = _page("T", "TL;DR: short version.", "Key Takeaways", "- One.", "Chapters", "00:00 Intro")
    assert r["tldr"] == "short version." and r["extra_lines"] == []
    r = _page("T", "TL;DR: short version.", "TL;DR", "Long version.", "Highlights", "- One.")
    assert r["tldr"] == "Long version." and r["extra_lines"] == ["TL;DR: short version."]


# --- items, quotes, chapters, topics, transcript -------------------------------------------


def test_quotes_give_speaker_and_times_in_every_written_form() -> None:
    r = _page(
        "T",
        "Summary",
        "Gist.",
        "Quotes",
        "“Measure twice.” — Ana Ruiz (05:02)",
        "“Cut once.”",
        "— Tom Berg (1:02:03)",
        "Mei Lin: “Then sand it.”",
        '- "Then paint it." - Joe Park [12:00]',
    )
    (quotes,) = r["sections"]
    assert [
        (i["text"], i["speaker"], [t["seconds"] for t in i["timestamps"]])
        for i in quotes["insights"]
    ] == [
        ("Measure twice.", "Ana Ruiz", [302]),
        ("Cut once.", "Tom Berg", [3723]),
        ("Then sand it.", "Mei Lin", []),
        ("Then paint it.", "Joe Park", [720]),
    ]


def test_numbered_items_title_body_pairs_and_leading_times() -> None:
    r = _page(
        "T",
        "TL;DR",
        "Gist.",
        "Key Takeaways",
        "01",
        "Water first: Plants need it.",
        "02 Light second: And this.",
        "3. Soil matters",
        "Loam holds water and air.",
        "Highlights",
        "12:30 — The greenhouse tour",
        "[45:10] A listener's question",
    )
    takeaways, highlights = r["sections"]
    assert [(i["title"], i["text"]) for i in takeaways["insights"]] == [
        ("Water first", "Plants need it."),
        ("Light second", "And this."),
        ("Soil matters", "Loam holds water and air."),
    ]
    assert [(i["text"], i["timestamps"]) for i in highlights["insights"]] == [
        ("The greenhouse tour", [{"at": "12:30", "seconds": 750}]),
        ("A listener's question", [{"at": "45:10", "seconds": 2710}]),
    ]


def test_unbulleted_title_and_body_pairs_without_blank_lines() -> None:
    r = _page(
        "T",
        "TL;DR",
        "Gist.",
        "Key Insights",
        "Rivers move sand",
        "Most of it moves during floods.",
        "Dams hold it back",
        "Reservoirs fill within a century.",
    )
    assert [(i["title"], i["text"]) for i in r["sections"][0]["insights"]] == [
        ("Rivers move sand", "Most of it moves during floods."),
        ("Dams hold it back", "Reservoirs fill within a century."),
    ]


def test_chapters_in_every_timestamp_form() -> None:
    r = _page(
        "T",
        "TL;DR",
        "Gist.",
        "Chapters (5)",
        "[00:00–02:40] Cold open",
        "- 02:40 - Why it matters",
        "- A first point",
        "The chapter in a sentence.",
        "Deep dive (00:08:06)",
        "20:15",
        "Listener mail",
        "1. Wrap-up - 25:00",
    )
    assert [(c["title"], c["start"], c["end"], c["start_seconds"]) for c in r["chapters"]] == [
        ("Cold open", "00:00", "02:40", 0),
        ("Why it matters", "02:40", "00:08:06", 160),
        ("Deep dive", "00:08:06", "20:15", 486),
        ("Listener mail", "20:15", "25:00", 1215),
        ("Wrap-up", "25:00", None, 1500),
    ]
    second = r["chapters"][1]
    assert (second["points"], second["summary"]) == (
        ["A first point"],
        "The chapter in a sentence.",
    )


def test_a_timestamp_past_the_end_warns() -> None:
    r = _page("T", "Duration: 20:00", "TL;DR", "Gist.", "Timestamps", "00:00 A", "25:00 B")
    assert [w["code"] for w in r["warnings"]] == ["generic-layout", "timestamp-out-of-range"]


def test_topics_one_a_line_or_several_on_a_line() -> None:
    r = _page(
        "T", "TL;DR", "Gist.", "Topics", "- Energy", "Grids, Storage · Policy", "#solar #wind"
    )
    assert r["topics"] == ["Energy", "Grids", "Storage", "Policy", "solar", "wind"]


def test_transcript_paragraphs_start_at_speaker_turns() -> None:
    r = _page(
        "T",
        "Summary",
        "Gist.",
        "Key Takeaways",
        "- One.",
        "Transcript",
        "Ana: Hello and welcome.",
        "This is a long turn.",
        "[00:42] Tom: Thanks.",
    )
    assert r["transcript"] == "Ana: Hello and welcome. This is a long turn.\n\n[00:42] Tom: Thanks."


# --- precision: what is refused -------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (["T", "Summary", "Key Takeaways"], "headings Summary, Key Takeaways have nothing"),
        (["T", "Summary", "Gist.", "Key Takeaways"], "only one summary heading, 'Summary'"),
        (["T", "Summary", "Gist.", "SUMMARY", "Again."], "only one summary heading"),
        (["T", "Quotes", "“Hi.” — Ana", "Transcript", "Ana: Hi."], "no summary block among"),
        (["T", "Topics", "- A", "Conclusion", "Done."], "no summary block among Topics"),
        (
            ["T", "Overview", "Text.", "Transcript", "Ana: Hi."],
            "beside the Overview but Transcript",
        ),
        (["T", "TL;DR: short.", "Bottom line: done."], "no summary headings"),
    ],
)
def test_pages_without_summary_structure_are_refused(lines: list[str], reason: str) -> None:
    message = _refusal("\n".join(lines))
    assert message.startswith(REFUSED) and reason in message, message


# --- any arrangement of summary-like lines ------------------------------------------------

HEADINGS = [
    "Summary",
    "TL;DR",
    "Key Takeaways",
    "Highlights",
    "Overview",
    "Timestamps",
    "Topics",
    "Quotes",
    "Conclusion",
    "Bottom line",
    "Transcript",
]
BODY = [
    "- Label: a bulleted point.",
    "• a dotted point",
    "1. A numbered point",
    "04:12 A timed line",
    "[1:02:03] Late line",
    "“A quote.” — Ana Ruiz (05:02)",
    "Ana Ruiz: spoken words.",
    "A plain sentence of prose.",
    "A title-like line",
    "## Links",
    "Menu",
    "",
]


@st.composite
def summary_like_pages(draw: st.DrawFn) -> tuple[str, set[str]]:
    lines = [draw(st.sampled_from(["Title | Show", "# Title", "Title", "By Channel"]))]
    used: set[str] = set()
    for _ in range(draw(st.integers(0, 6))):
        heading = draw(st.sampled_from(HEADINGS))
        used.add(heading)
        style = draw(st.sampled_from(["{}", "{}:", "## {}", "**{}**"]))
        lines.append(style.format(heading.upper() if draw(st.booleans()) else heading))
        lines += draw(st.lists(st.sampled_from(BODY), max_size=5))
    return "\n".join(lines), used


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(summary_like_pages())
def test_any_arrangement_is_a_generic_record_or_a_reasoned_refusal(
    drawn: tuple[str, set[str]],
) -> None:
    text, used = drawn
    try:
        r = record_of(text)
    except podsum.ParseError as exc:
        assert str(exc).startswith(REFUSED), str(exc)
        return
    assert r["layout"] == "generic" and r["warnings"][0] == GENERIC_WARNING
    assert len(used) >= 2  # one heading alone never makes a summary
    assert used & {"Summary", "TL;DR", "Key Takeaways", "Highlights", "Overview", "Timestamps"}
    assert r["extra_lines"].count("Menu") == text.split("\n").count("Menu")  # chrome


def test_an_html_list_without_bullets_gives_one_item_a_line() -> None:
    html = (
        "<!doctype html><html><body><nav><a href='/'>Home</a></nav>"
        "<h1>Why Harbors Silt Up | The Tidewater Hour</h1><p>By Tidewater Media</p>"
        "<h2>Summary</h2><p>Harbors fill with silt.</p><p>Side channels help.</p>"
        "<h2>Highlights</h2><ul><li>The sediment budget</li><li>Why dams make it worse</li>"
        "<li>Side channels: They work.</li></ul>"
        "<h2>Timestamps</h2><ul><li>00:00 Introduction</li><li>04:12 Budgets</li></ul>"
        "<footer>© 2025 Tidewater Media</footer></body></html>"
    )
    r = record_of(html)
    assert (r["layout"], r["title"], r["show"]) == (
        "generic",
        "Why Harbors Silt Up",
        "The Tidewater Hour",
    )
    assert (r["tldr"], r["overview"]) == ("Harbors fill with silt.", "Side channels help.")
    assert [(i["title"], i["text"]) for i in r["sections"][0]["insights"]] == [
        (None, "The sediment budget"),
        (None, "Why dams make it worse"),
        ("Side channels", "They work."),
    ]
    assert [c["title"] for c in r["chapters"]] == ["Introduction", "Budgets"]
    assert r["extra_lines"] == ["Home", "© 2025 Tidewater Media"]
