"""Page text in podsum's Markdown: literal text to CommonMark, inert to Obsidian, and read
back exactly, whatever blanks, marks or line endings it holds."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

import podsum
from conftest import SEED, run_cli
from podsum.api import detect_kind

COMMONMARK = MarkdownIt("commonmark")


def record(**fields: Any) -> podsum.Summary:
    """A record as a user's JSON file is read: through podsum.parse and its cleaning."""
    return podsum.parse(json.dumps({"schema_version": 2, "title": "T", **fields}))


def content(s: podsum.Summary) -> dict[str, Any]:
    return {k: v for k, v in s.to_dict().items() if k not in ("source", "warnings")}


def body(md: str) -> str:
    assert md.startswith("---\n")
    return md.split("\n---\n", 1)[1]


def _inline_text(tok: Token) -> str:
    """What a reader sees of an inline token: its text, line breaks as newlines, and
    any other inline markup as a visible <type> marker."""
    out = []
    for c in tok.children or []:
        if c.type == "text":
            out.append(c.content)
        elif c.type == "softbreak":
            out.append("\n")
        else:
            out.append(f"<{c.type}>")
    return "".join(out)


def _stream(md: str) -> list[tuple[str, str]]:
    """(token type, inline text) of the body as CommonMark parses it."""
    return [
        (t.type, _inline_text(t) if t.type == "inline" else "") for t in COMMONMARK.parse(body(md))
    ]


# Where page text goes in the Markdown body: each maps a text to record fields.
def _insight(**kw: Any) -> dict[str, Any]:
    ins = {"title": "i", "text": "x", **kw}
    return {
        "sections": [{"emoji": None, "title": "s", "declared_insights": None, "insights": [ins]}]
    }


ONE_LINE: dict[str, Callable[[str], dict[str, Any]]] = {
    "title": lambda t: {"title": t},
    "section title": lambda t: {
        "sections": [{"emoji": None, "title": t, "declared_insights": 2, "insights": []}]
    },
    "insight title": lambda t: _insight(title=t),
    "speaker": lambda t: _insight(speaker=t),
    "timestamp": lambda t: _insight(timestamps=[{"at": t, "seconds": None}]),
    "chapter title": lambda t: {"chapters": [{"title": t}]},
    "chapter start": lambda t: {"chapters": [{"title": "c", "start": t}]},
    "chapter point": lambda t: {"chapters": [{"title": "c", "points": [t, "p"]}]},
    "related title": lambda t: {"related": [{"title": t}]},
    "related show": lambda t: {"related": [{"title": "r", "show": t, "age": "1 day"}]},
    "related channel": lambda t: {"related_channel": t, "related": [{"title": "r"}]},
}
MULTI_LINE: dict[str, Callable[[str], dict[str, Any]]] = {
    "tldr": lambda t: {"tldr": t},
    "overview": lambda t: {"overview": t, "tldr": "x"},
    "bottom line": lambda t: {"bottom_line": t},
    "transcript": lambda t: {"transcript": t},
    "insight text": lambda t: _insight(text=t, speaker="x"),
    "chapter summary": lambda t: {"chapters": [{"title": "c", "summary": t, "points": ["p"]}]},
    "related description": lambda t: {"related": [{"title": "r", "description": t}]},
}

HOSTILE_LINES = [
    *("   # x", "  ## x", " - x", "  - x", "   * x", "  + x", "   1. x", "  2) x"),
    *("  ===", "   ---", "  ***", "\t- x", "\t# x", "\t1. x", " > q", "    code", "\tcode"),
    *("x  ", "x \t", "a\\", "  ", "\t", " ", "\u3000x", "x\u00a0", "\u00a0x", "1) x", "+ x"),
    *("***", "---", "___", "~~~", "```", "<div>", "<!-- c -->", "&amp;", "&#35;", "&#10;"),
    *("[x]: /u", "![i](u)", "[a](b)", "*e* _e_", "`c`", "x | y", "~~s~~", "<me@example.com>"),
    *("me@example.com", "http://x.y", "https://x.y/z", "www.x.y", "#tag", "a #tag", "a#b"),
    *("x #", "x ##", "x # ", "x ## y", "C# and F#", "a # b"),
    *("[[Note]]", "![[Embed]]", "==hi==", "%%c%%", "$x$", "$$", "x ^block", "- [ ] task"),
    *("> [!note] callout", "\\", "\\\\", "## TL;DR", "- speaker: x", "- start: 0", "Transcript"),
    *("x (3 insights)", "#", "-", "=", "1.", "- summary:", "- title:", "- description:"),
]
HOSTILE_TEXTS = [
    *HOSTILE_LINES,
    *("a\n   # x", "a\n  ===", "a\n  ---", "a\n\t- x", "a\n - x", "a\n===", "a\n---"),
    *("\nx", "x\n", "\n", "\n\n", "\n\n\n", "x\n\n\ny", "x\n\n\n\ny", "x  \ny", " \n ", "x\n \ny"),
    *("a\n\nb", "a\n\\\nb", "\\\n\\", "a\n\n- x"),
]


def _harmless(text: str) -> tuple[str, list[str]]:
    """The same lines, blank lines kept, every other line a placeholder; and the lines."""
    lines = text.split("\n")
    return "\n".join(f"Q{n}Q" if line else "" for n, line in enumerate(lines)), lines


def _check_literal(place: Callable[[str], dict[str, Any]], text: str) -> None:
    s = record(**place(text))
    md = podsum.render(s, "md")
    plain, lines = _harmless(text)
    twin = podsum.render(record(**place(plain)), "md")
    hostile, harmless = _stream(md), _stream(twin)
    # The same blocks and inline markup as harmless text with the same line breaks ...
    assert [t for t, _ in hostile] == [t for t, _ in harmless], md
    # ... and where the harmless text shows a placeholder, the page text shows as is.
    for (_, seen), (_, expect) in zip(hostile, harmless, strict=True):
        expect = re.sub(r"Q(\d+)Q", lambda m: lines[int(m.group(1))], expect)
        assert seen == expect, md
    back = podsum.parse(md)
    assert content(back) == content(s), md
    assert back.id == s.id


@pytest.mark.parametrize("where", ONE_LINE)
@pytest.mark.parametrize("line", HOSTILE_LINES)
def test_a_hostile_line_is_literal_text_and_reads_back(where: str, line: str) -> None:
    _check_literal(ONE_LINE[where], line)


@pytest.mark.parametrize("where", MULTI_LINE)
@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_a_hostile_text_is_literal_text_and_reads_back(where: str, text: str) -> None:
    _check_literal(MULTI_LINE[where], text)


_PIECES = st.sampled_from(
    [*HOSTILE_LINES, "\n", "\n\n", " ", "\t", "x", "é", "中", "👩🏽\u200d💻", "\u2028", "@", "#"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(MULTI_LINE)),
    st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=12).map("".join),
)
def test_any_text_is_literal_text_and_reads_back(where: str, text: str) -> None:
    text = podsum.parse(json.dumps({"schema_version": 2, "title": "T", "tldr": text})).tldr or ""
    _check_literal(MULTI_LINE[where], text)


# --- Obsidian: emails, tags, wikilinks, highlights, comments, math, block ids -----------

_ESCAPE_PAIR = re.compile(r"\\[!-/:-@\[-`{-~]")
OBSIDIAN = {
    "email link": re.compile(r"[\w.+-]@[\w-]"),
    "tag": re.compile(r"(?<!\S)#[^\s#]"),
    "wikilink or embed": re.compile(r"\[\["),
    "highlight": re.compile(r"=="),
    "comment": re.compile(r"%%"),
    "math": re.compile(r"\$"),
    "block id": re.compile(r"(?<!\S)\^"),
}


def _obsidian_syntax(md: str) -> list[str]:
    """The Obsidian constructs a body's source still holds once each escaped character is
    made a plain letter (an escaped character is text to Obsidian as to CommonMark)."""
    bare = _ESCAPE_PAIR.sub("E", body(md))
    bare = re.sub(r"^#{1,3}(?= |$)", "", bare, flags=re.MULTILINE)  # podsum's own headings
    return [name for name, pattern in OBSIDIAN.items() if pattern.search(bare)]


def test_obsidian_syntax_in_page_text_is_escaped() -> None:
    text = (
        "Mail me@example.com or first.last+pod@mail.example.org about #python, #ai/ml "
        "and C# (a#b is no tag); see [[Other note]] and ![[pic.png]], ==highlight==, "
        "%%hidden%%, $E = mc^2$ and $$x$$, costs $5; a block ^ref-1"
    )
    s = record(tldr=text, sections=[_insight(title=text, speaker=text)["sections"][0]])
    md = podsum.render(s, "md")
    assert _obsidian_syntax(md) == [], md
    assert "me\\@example.com" in md and "\\#python" in md and "C# " in md and "a#b" in md
    # CommonMark shows exactly the text, and podsum reads it back.
    tldr = [seen for kind, seen in _stream(md) if kind == "inline"]
    assert text in tldr
    back = podsum.parse(md)
    assert back.tldr == text and back.sections[0].insights[0].title == text
    assert back.id == s.id


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [*"#@=%$^[]!x. \n", "me", "example.com", "tag", "==", "%%", "[[", "]]", "a@b.c"]
        ),
        max_size=20,
    ).map("".join)
)
def test_no_obsidian_syntax_survives_in_any_field(text: str) -> None:
    one = " ".join(text.split("\n"))
    s = record(
        title=one,
        tldr=text,
        sections=_insight(title=one, text=text or "x", speaker=one)["sections"],
        chapters=[{"title": one, "start": one, "summary": text, "points": [one]}],
        related=[{"title": one or "r", "show": one, "description": text}],
    )
    md = podsum.render(s, "md")
    assert _obsidian_syntax(md) == [], md
    assert content(podsum.parse(md)) == content(s)


# --- paragraphs and blank lines -----------------------------------------------------


def test_a_blank_line_in_a_text_stays_a_paragraph_break_through_show_and_parse(
    tmp_path: Path,
) -> None:
    """Once written as a lone backslash, which CommonMark shows as one paragraph with a
    hard break and which changed the id after one show -> parse cycle."""
    s = podsum.parse(SEED.read_bytes())
    d = s.to_dict()
    d["tldr"] = "First paragraph.\n\nSecond paragraph."
    d["sections"][0]["insights"][0]["text"] = "One.\n\nTwo.\nStill two."
    d["related"][0]["description"] = "A.\n\nB."
    src = tmp_path / "record.json"
    src.write_text(json.dumps(d), encoding="utf-8")
    want = podsum.parse(src.read_bytes())

    shown = run_cli("show", str(src), "--format", "md", "--output", str(tmp_path / "p.md"))
    assert shown.returncode == 0, shown.stderr
    md = (tmp_path / "p.md").read_text(encoding="utf-8")
    assert "\\" not in md.split("\n")  # no lone backslash lines
    assert "First paragraph.\n\nSecond paragraph." in md
    paragraphs = [seen for kind, seen in _stream(md) if kind == "inline"]
    assert {"First paragraph.", "Second paragraph.", "One.", "Two.\nStill two."} <= set(paragraphs)

    parsed = run_cli("parse", str(tmp_path / "p.md"))
    assert parsed.returncode == 0, parsed.stderr
    assert json.loads(parsed.stdout)["id"] == want.id
    again = run_cli("show", str(tmp_path / "p.md"), "--format", "md")
    assert again.stdout.decode("utf-8") == md


@pytest.mark.parametrize(
    "text", ["a\n\n\nb", "\na", "a\n", "\n", "\n\n\n", "a\n\n\n\n\nb\n\nc", "a\n \n\nb"]
)
def test_every_newline_of_a_text_reads_back(text: str) -> None:
    for fields in (MULTI_LINE[where](text) for where in MULTI_LINE):
        s = record(**fields)
        md = podsum.render(s, "md")
        assert content(podsum.parse(md)) == content(s), md


def test_empty_chapter_summary_related_description_and_title_read_back() -> None:
    s = record(
        chapters=[{"title": "c", "summary": ""}, {"title": "d", "summary": None}],
        related=[{"title": "", "description": ""}, {"title": None, "description": None}],
    )
    back = podsum.parse(podsum.render(s, "md"))
    assert [c.summary for c in back.chapters] == ["", None]
    assert [(r.title, r.description) for r in back.related] == [("", ""), (None, None)]
    assert back.id == s.id


# --- line endings ---------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_podsum_markdown_with_other_line_endings_reads_back(newline: str, tmp_path: Path) -> None:
    s = record(tldr="a\n\nb", sections=_insight(text="one\ntwo")["sections"])
    md = podsum.render(s, "md").replace("\n", newline)
    back = podsum.parse(md)
    assert back.source.kind == "markdown"
    assert content(back) == content(s)
    assert detect_kind(md) == "markdown"

    page = tmp_path / "note.md"
    page.write_bytes(md.encode("utf-8"))
    proc = run_cli("parse", str(page))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["id"] == s.id


def test_seed_markdown_saved_with_crlf_reads_back() -> None:
    s = podsum.parse(SEED.read_bytes())
    md = podsum.render(s, "md").replace("\n", "\r\n").encode("utf-8")
    assert podsum.parse(b"\xef\xbb\xbf" + md).id == s.id


def test_an_impossible_character_reference_typed_by_hand_stays_text() -> None:
    md = podsum.render(record(tldr="x"), "md").replace("\nx\n", "\nx &#9999999; y\n")
    assert podsum.parse(md).tldr == "x &#9999999; y"  # was an internal error
