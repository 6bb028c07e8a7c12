"""HTML pages parse to the same record as the text a browser shows for them."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import podsum
from conftest import ATMES, FIXTURES, record_of
from podsum.htmltext import html_to_text

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


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda p: p.name)
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


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda p: p.name)
def test_html_and_browser_text_give_the_same_id(page: Path) -> None:
    assert record_of(page.read_bytes())["id"] == record_of(_browser_text(page))["id"]


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda p: p.name)
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
        "keep   spaces",
    ]


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
