"""HTML pages parse to the same record as the text a browser shows for them."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import podsum
from conftest import ATMES, FIXTURES, page_id, record_of
from podsum.htmltext import canonical_url, html_to_text, html_to_text_and_url

HTML_PAGES = sorted(FIXTURES.glob("*/*.html"))
HIDDEN_MARKERS = (
    "SCRIPT TEXT",
    "JSON-LD TEXT",
    "STYLE TEXT",
    "HIDDEN TEXT",
    "DISPLAY NONE TEXT",
    "TEMPLATE TEXT",
    "NOSCRIPT TEXT",
    "INVISIBLE",
    "AD TEXT",
    "querySelectorAll",
)


def _browser_text(page: Path) -> str:
    """Chromium's innerText of the page, stored by tests/oracle/innertext.py."""
    return page.with_suffix(".innertext").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", HTML_PAGES, ids=page_id)
def test_lines_match_the_browsers_inner_text(page: Path) -> None:
    s = podsum.parse(page.read_bytes())
    assert s.source.kind == "html"
    from podsum.decode import decode_bytes
    from podsum.htmltext import sniff_meta_charset

    data = page.read_bytes()
    text, _ = decode_bytes(data, sniff_meta_charset(data))
    ours = [ln.rstrip() for ln in html_to_text(text).splitlines()]
    browser = [ln.rstrip() for ln in _browser_text(page).splitlines()]
    assert ours == browser


@pytest.mark.parametrize("page", HTML_PAGES, ids=page_id)
def test_html_and_browser_text_give_the_same_id(page: Path) -> None:
    assert record_of(page.read_bytes())["id"] == record_of(_browser_text(page))["id"]


@pytest.mark.parametrize("page", HTML_PAGES, ids=page_id)
def test_no_script_or_hidden_text_anywhere(page: Path) -> None:
    dumped = json.dumps(record_of(page.read_bytes()), ensure_ascii=False)
    for marker in HIDDEN_MARKERS:
        assert marker not in dumped


def test_html_page_gives_the_same_record_as_the_copied_text() -> None:
    html_record = record_of((ATMES / "html-seed-page.html").read_bytes())
    text_record = record_of((ATMES / "seed-bg2-china-open-source.txt").read_bytes())
    assert html_record["id"] == text_record["id"]
    assert html_record["extra_lines"] == [
        "Podwise Discover Sign in",
        "© 2025 Podwise",
        "Privacy",
        "Terms",
    ]


def test_meta_charset_decides_the_encoding() -> None:
    r = record_of((ATMES / "html-windows-1252-meta.html").read_bytes())
    assert r["source"]["encoding"] == "windows-1252"
    assert r["title"] == "Café Society’s Quiet Revolution"


def test_html_to_text_basics() -> None:
    html = (
        "<div>a<span> b </span><em>c</em></div><p>para</p><p>two<br>lines</p>"
        "<ul><li>one</li><li>two</li></ul><table><tr><td>x</td><td>y</td></tr>"
        "<tr><td>z</td></tr></table><pre>  keep   spaces</pre>"
    )
    assert html_to_text(html).split("\n") == [
        "a b c",
        "",
        "para",
        "",
        "two",
        "lines",
        "",
        "one",
        "two",
        "x\ty",
        "z",
        "  keep   spaces",  # a pre keeps its leading spaces, as Chromium does
    ]


# What Chromium's innerText gives for each snippet (checked with tests/oracle/innertext.py).
CHROMIUM_SNIPPETS = [
    # inline list items make one line; white space between them is one space, or none
    (
        '<ul><li style="display:inline">One</li> <li style="display:inline">Two</li>\n'
        '<li style="display:inline">Three</li></ul>',
        "One Two Three",
    ),
    ('<ul><li style="display:inline">One</li><li style="display:inline">Two</li></ul>', "OneTwo"),
    ('<div style="display: inline-block">A</div><div style="display: inline-block">B</div>', "AB"),
    (
        '<div style="display: inline-block"> A </div> <div style="display: inline-block"> B </div>',
        "A B",
    ),
    ('<h2 style="display:inline">H</h2> <h3 style="display:inline">I</h3>', "H I"),
    ('<p>a</p><p style="display:inline-block">b</p>c', "a\n\nb\n\nc"),  # a p keeps its gap
    # block, flex and grid on inline elements; flex items are blocks
    ('x<span style="display:block">blk</span>y', "x\nblk\ny"),
    ('x<a style="display:flex"><span>f1</span><span>f2</span></a>y', "x\nf1\nf2\ny"),
    ('x<span style="display:grid">g</span>y', "x\ng\ny"),
    ('<div style="display:flex"><span>f1</span> <span>f2</span> text</div>', "f1\nf2\ntext"),
    ('<span style="display:list-item">li</span>x', "li\nx"),
    # buttons are labelled boxes on the line; form fields show nothing; options are lines
    (
        "Label <button>Share</button><button>Save</button> <button> Copy link </button> end",
        "Label ShareSave Copy link end",
    ),
    (
        '<button>Play <span style="display:none">episode</span></button> <button>Like</button>',
        "Play Like",
    ),
    ("x <select><option>Opt1</option><option>Opt2</option></select> y", "x \nOpt1\nOpt2\n y"),
    ('x <input value="INPUTVAL"> y <textarea>TEXTAREA</textarea> z', "x  y  z"),
    ('x <input type="hidden" value="h"> y', "x y"),
    # white space collapses across element boundaries
    ("a <span> b</span>  <b> c </b> d", "a b c d"),
    # which declaration wins; hidden overridden by an inline display
    ('<div style="display:none;display:block">ovr</div>', "ovr"),
    ('<div style="display:inline-block;display:none !important;display:block">imp</div>x', "x"),
    ('<div hidden style="display:block">shown</div>', "shown"),
    (
        '<div style="visibility:hidden">vh <span style="visibility:visible">vis</span> vh2</div>',
        "vis",
    ),
    # a closed details shows its summary only
    ("<details><summary>Q?</summary><p>Answer</p></details>", "Q?"),
    ("<details open><summary>Q?</summary><p>Answer</p></details>", "Q?\n\nAnswer"),
    ('<div style="white-space:pre-line">  line one\n   line   two  </div>', "line one\nline two"),
]


@pytest.mark.parametrize(("html", "expected"), CHROMIUM_SNIPPETS)
def test_display_and_form_elements_as_chromium_shows_them(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


def test_an_inline_meta_list_is_one_line_and_buttons_are_chrome() -> None:
    page = ATMES / "html-inline-meta.html"
    lines = html_to_text(page.read_text(encoding="utf-8")).splitlines()
    assert "| Podcasts | October 2, 2025 | 18.4 Thousand views | 47:12" in lines
    r = record_of(page.read_bytes())
    assert (r["category"], r["published"], r["views"], r["duration"]) == (
        "Podcasts",
        "2025-10-02",
        18400,
        "47:12",
    )
    assert "Share Copy link" in r["extra_lines"] and "Sign in" in r["extra_lines"]
    assert [s["declared_insights"] for s in r["sections"]] == [3, 2]


def _head(*tags: str, body: str = "") -> str:
    return f"<html><head>{''.join(tags)}</head><body><p>text</p>{body}</body></html>"


CANONICAL = '<link rel="canonical" href="https://example.com/a?x=1&amp;y=2">'
OG = '<meta property="og:url" content="https://example.com/og">'


@pytest.mark.parametrize(
    ("html", "url"),
    [
        (_head(OG, CANONICAL), "https://example.com/a?x=1&y=2"),  # canonical first
        (_head('<link rel="canonical" href="/relative">', OG), "https://example.com/og"),
        (
            _head('<link rel="alternate CANONICAL" href=" http://example.com/b ">'),
            "http://example.com/b",
        ),
        (_head('<meta name="og:url" content="https://example.com/n">'), "https://example.com/n"),
        (_head('<link rel="canonical" href="javascript:alert(1)">'), None),
        (_head('<link rel="canonical" href="ftp://example.com/f">'), None),
        (_head('<meta property="og:url" content="https://">'), None),
        (_head('<link rel="canonical" href="https://exa mple.com/">'), None),
        (_head(body=CANONICAL), None),  # a link in the body is not the page's own
        (_head('<link rel="stylesheet" href="https://example.com/s.css">'), None),
        ("", None),
    ],
)
def test_canonical_url(html: str, url: str | None) -> None:
    assert canonical_url(html) == url
    assert html_to_text_and_url(html) == (html_to_text(html), url)


PAGE_URLS = {
    "atmes/html-seed-page.html": None,
    "atmes/html-windows-1252-meta.html": None,
    "atmes/html-inline-meta.html": "https://atmes.ai/summary/the-return-of-the-night-train-rail-forward",
    "better/html-page.html": (
        "https://b-e-t-t-e-r.com/podcasts/open-stacks/the-quiet-economics-of-public-libraries"
    ),
    "signalcast/html-page.html": (
        "https://signalcast.app/episode/harbour-lights-audio/how-lighthouses-were-kept-lit"
    ),
    "longcut/html-page.html": "https://longcut.ai/v/how-glaciers-carve-valleys-Qx7rLm2Pz0A",
    "ulisten/html-page.html": "https://ulisten.ai/channels/tidewater-talks/the-salt-marsh-ledger",
    "podwave/html-page.html": (
        "https://pod.wave.co/podcast/the-night-garden/why-moths-matter-after-dark"
    ),
    "youtubeds/html-page.html": "https://youtubeds.com/video/Nw3bY8kRt1Q",
    # a relative canonical link: og:url is used
    "scripod/html-page.html": (
        "https://scripod.com/episode/cargo-culture/the-secret-life-of-shipping-containers"
    ),
    # no canonical link at all: og:url
    "episodenotes/html-page.html": "https://episodenotes.com/episode-inside-the-worlds-oldest-seed-bank",
}


def test_every_html_fixture_has_a_known_address() -> None:
    assert sorted(PAGE_URLS) == sorted(f"{p.parent.name}/{p.name}" for p in HTML_PAGES)


@pytest.mark.parametrize("page", HTML_PAGES, ids=page_id)
def test_the_saved_pages_address(page: Path) -> None:
    text = page.read_text(encoding="utf-8", errors="replace")
    url = PAGE_URLS.get(f"{page.parent.name}/{page.name}")
    assert canonical_url(text) == url
    assert html_to_text_and_url(text)[1] == url


def test_canonical_url_reads_only_the_head() -> None:
    head = _head(CANONICAL)
    big = head.replace("</body>", "<p>filler</p>" * 200_000 + "</body>")
    assert canonical_url(big) == "https://example.com/a?x=1&y=2"


def test_ten_thousand_nested_divs_do_not_crash() -> None:
    page = "<html><body>" + "<div>" * 10_000 + "deep" + "</div>" * 10_000 + "</body></html>"
    started = time.monotonic()
    with pytest.raises(podsum.ParseError):
        podsum.parse(page)  # no summary in it, but no RecursionError either
    assert time.monotonic() - started < 30  # generous: this guards a hang, not speed


def test_two_hundred_thousand_elements_finish() -> None:
    body = "<span>x</span>" * 200_000
    head = "<div>Title | Show</div><div>| Podcasts | July 31, 2025 | 5 views | 1:00</div>"
    page = f"<html><body>{head}{body}</body></html>"
    s = podsum.parse(page)
    assert s.title == "Title" and s.views == 5
