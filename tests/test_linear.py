"""Work and memory grow linearly with the input, in the parser and in every renderer,
and a record holds no more than ``podsum.caps`` allows.

No clocks: work is counted (Python calls made, characters Rich's line splitter copies)
and memory is tracemalloc's peak, so the tests say the same on a loaded machine.
"""

from __future__ import annotations

import gc
import io
import json
import sys
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

import podsum
from conftest import run_cli, valid
from podsum.model import (
    Chapter,
    Insight,
    Person,
    Related,
    Section,
    Source,
    Summary,
    Timestamp,
)
from podsum.render import FORMATS, render

_SRC = Source("text", None, "0" * 64, "utf-8")
_TOP = "Episode title | Some Show\n\n| Podcasts | July 31, 2025 | 54.9 Thousand views | 1:04:21\n\n"
_HEAD = _TOP + "TL;DR\n\nA short summary of the episode.\n\n"
_TAIL = "Bottom Line\n\nThat is all.\n"


def _calls(fn: Callable[[], object]) -> int:
    """How many Python functions ``fn`` calls: work, counted the same on any machine."""
    n = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal n
        if event == "call":
            n += 1

    # No garbage collection meanwhile: its callbacks (hypothesis registers one) are
    # Python calls too, and the compiled parser makes so few that they would count.
    gc.disable()
    sys.setprofile(count)
    try:
        fn()
    finally:
        sys.setprofile(None)
        gc.enable()
    return n


def _paragraph(chars: int, word: str = "lorem ipsum dolor sit amet, ") -> str:
    return (word * (chars // len(word) + 1))[:chars].rstrip()


def _big(n: int, chars: int = 40) -> Summary:
    """A record with ``n`` of every repeated part, each holding ``chars`` of text."""
    text = _paragraph(chars)
    return Summary(
        title=f"Title {text}",
        source=_SRC,
        show="Show",
        people=[Person(f"P{i}", "guest", text * (i % 3)) for i in range(n)],
        topics=[f"topic {i}" for i in range(n)],
        tldr=text,
        overview=text,
        sections=[
            Section(
                "🧠",
                f"Section {s}",
                n,
                [
                    Insight(
                        f"Insight {i}" if i % 2 else None,
                        f"{text} {i}",
                        f"Speaker {i}" if i % 3 else None,
                        [Timestamp("03:15", 195)] * (i % 2),
                    )
                    for i in range(n)
                ],
            )
            for s in range(2)
        ],
        chapters=[
            Chapter(f"Ch {i}", "00:00", 0, "12:40", 760, text, [f"point {i}", text])
            for i in range(n)
        ],
        bottom_line=text,
        related_channel="Channel",
        related=[
            Related(f"Ep {i}", "Show", "1:03:41", 3821, "Channel", text, "10 days ago", 10)
            for i in range(n)
        ],
        transcript=text,
        extra_lines=[f"extra {i}" for i in range(n)],
    )


# --- cards: a long paragraph --------------------------------------------------------


def _split_work(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the characters Rich's line splitter copies: it splits a segment holding
    several lines with one ``str.partition`` per line, each copying the rest of the
    segment, so a paragraph handed over as one segment costs its length times its
    lines."""
    work = [0]
    split = Segment.split_and_crop_lines.__func__  # type: ignore[attr-defined]

    def counted(segments: Iterable[Segment]) -> Iterator[Segment]:
        for seg in segments:
            lines = seg.text.count("\n")
            if lines:
                work[0] += len(seg.text) * lines
            yield seg

    def spy(cls: type[Segment], segments: Iterable[Segment], *a: Any, **k: Any) -> Any:
        return split(cls, counted(segments), *a, **k)

    monkeypatch.setattr(Segment, "split_and_crop_lines", classmethod(spy))
    return work


@pytest.mark.parametrize("words", ["lorem ipsum dolor sit amet, ", "中文字符测试", "x"])
def test_cards_hand_rich_a_paragraph_a_line_at_a_time(
    monkeypatch: pytest.MonkeyPatch, words: str
) -> None:
    """Rich wraps a Text into lines and joins them into one segment that the panel
    splits again, line by line, copying what is left each time: quadratic in the
    paragraph's length. Every long field is in this record, once."""
    s = _big(3, chars=60_000)
    s.tldr = s.bottom_line = s.overview = s.transcript = _paragraph(60_000, words)
    s.sections[0].insights[0].text = _paragraph(60_000, words)
    s.related[0].title = _paragraph(60_000, words).replace("\n", " ")
    work = _split_work(monkeypatch)
    out = render(s, "cards", width=80, transcript=True)
    drawn = "".join(line.strip("│ ").replace(" ", "") for line in out.splitlines())
    assert s.tldr.replace(" ", "") in drawn  # every character, in order
    assert work[0] <= 20 * len(out), f"{work[0]:,} characters copied for {len(out):,} shown"


def test_cards_of_a_huge_paragraph_keep_every_word(monkeypatch: pytest.MonkeyPatch) -> None:
    text = " ".join(f"w{i}" for i in range(100_000))
    s = Summary(title="T", source=_SRC, tldr=text)
    work = _split_work(monkeypatch)
    out = render(s, "cards", width=60)
    assert work[0] <= 20 * len(out)
    words = [w for line in out.splitlines() for w in line.strip("│ ").split()]
    assert [w for w in words if w.startswith("w")] == text.split()


# --- cards: many insights, chapters, people ------------------------------------------


@pytest.mark.parametrize("part", ["sections", "chapters", "people"])
def test_card_lists_take_a_fraction_of_the_work_of_richs_table(part: str) -> None:
    """Rich's Table renders each row through several layers, some 1,500 Python calls an
    insight: 100,000 insights took a minute and a half. The cards' grids draw the same
    lines with well under half the calls. Counted, not timed."""
    from podsum.render import cards

    s = _big(400)
    panel = {
        "sections": lambda: cards._section(Text("S"), s.sections[0].insights, "x"),
        "chapters": lambda: cards._chapters(s.chapters),
        "people": lambda: cards._people(s.people),
    }[part]()
    grid = panel.renderable
    assert isinstance(grid, cards.Grid)
    table = Table.grid(padding=(0, 1))
    for c in grid.columns:
        table.add_column(style=c.style, no_wrap=c.no_wrap, ratio=c.ratio)
    for row in zip(*(list(c.cells) for c in grid.columns), strict=True):
        table.add_row(*row)
    assert _draw(grid, 100, False) == _draw(table, 100, False)
    console = Console(file=io.StringIO(), width=100, markup=False, color_system=None)
    ours = _calls(lambda: list(console.render(grid)))
    rich = _calls(lambda: list(console.render(table)))
    assert ours <= 0.45 * rich, f"{ours / 400:.0f} calls a row against Rich's {rich / 400:.0f}"


@pytest.mark.parametrize("part", ["sections", "chapters", "people", "related"])
def test_cards_do_linear_work_in_the_number_of_items(part: str) -> None:
    def record(n: int) -> Summary:
        s = _big(n)
        for name in {"sections", "chapters", "people", "related"} - {part}:
            setattr(s, name, [])
        return s

    small, large = record(300), record(600)
    render(small, "cards")  # imports and caches out of the count
    n_small = _calls(lambda: render(small, "cards", width=100))
    n_large = _calls(lambda: render(large, "cards", width=100))
    assert n_large <= 2.1 * n_small, (n_small, n_large)


def test_cards_of_many_insights_keep_every_insight() -> None:
    n = 3000
    s = Summary(
        title="T",
        source=_SRC,
        sections=[Section(None, "S", n, [Insight(f"title {i}", f"text {i}") for i in range(n)])],
    )
    out = render(s, "cards", width=80)
    assert [ln.strip("│ ▸") for ln in out.splitlines() if "title " in ln] == [
        f"title {i}" for i in range(n)
    ]


# --- cards look as Rich draws them ----------------------------------------------------

_WORDS = st.lists(
    st.sampled_from(["a", "word", "longerword", "中文", "🇨🇳", "x" * 30, "00:00–12:40", "—"]),
    max_size=30,
)
_PARA = st.lists(_WORDS.map(" ".join), min_size=0, max_size=3).map("\n".join)


def _styled(parts: list[tuple[str, str]], cls: type[Text] = Text) -> Text:
    text = cls(parts[0][0], style=parts[0][1]) if parts else cls("")
    for part, style in parts[1:]:
        text.append("\n" if part.startswith("a") else " ")
        text.append(part, style=style)
    return text


_STYLED = st.lists(st.tuples(_PARA, st.sampled_from(["", "bold", "dim", "yellow"])), max_size=4)


def _draw(renderable: object, width: int, colour: bool) -> str:
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        markup=False,
        emoji=False,
        highlight=False,
        color_system="truecolor" if colour else None,
        force_terminal=colour,
        soft_wrap=False,
    )
    console.print(renderable)
    return buf.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=_STYLED, width=st.integers(1, 90), colour=st.booleans())
def test_a_paragraph_looks_as_rich_draws_it(
    parts: list[tuple[str, str]], width: int, colour: bool
) -> None:
    from rich.panel import Panel

    from podsum.render.cards import Paragraph

    ours, rich = _styled(parts, Paragraph), _styled(parts)
    assert _draw(Panel(ours), width, colour) == _draw(Panel(rich), width, colour)
    assert _draw(ours, width, colour) == _draw(rich, width, colour)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(_STYLED, _STYLED, st.booleans()), max_size=5),
    width=st.integers(1, 90),
    colour=st.booleans(),
    layout=st.sampled_from(["insights", "chapters"]),
)
def test_a_grid_looks_as_rich_draws_it(
    rows: list[tuple[list[tuple[str, str]], list[tuple[str, str]], bool]],
    width: int,
    colour: bool,
    layout: str,
) -> None:
    """The cards' two-column grids (bullet and insight, times and chapter) draw what
    Rich's own Table.grid draws, at every width, in colour and without."""
    from rich.panel import Panel

    from podsum.render.cards import Grid

    def build(cls: type[Table]) -> Table:
        grid = cls.grid(padding=(0, 1))
        if layout == "insights":
            grid.add_column(no_wrap=True)
            grid.add_column()
        else:
            grid.add_column(style="yellow")
            grid.add_column(ratio=1)
        for left, right, blank in rows:
            if blank:
                grid.add_row("", "")
            grid.add_row(_styled(left), _styled(right))
        return grid

    assert _draw(Panel(build(Grid)), width, colour) == _draw(Panel(build(Table)), width, colour)
    assert _draw(build(Grid), width, colour) == _draw(build(Table), width, colour)


# --- every renderer and the parser: linear ---------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_renderer_does_linear_work(fmt: str) -> None:
    small, large = _big(150), _big(300)
    render(small, fmt)
    n_small = _calls(lambda: render(small, fmt, transcript=True))
    n_large = _calls(lambda: render(large, fmt, transcript=True))
    assert n_large <= 2.1 * n_small, (n_small, n_large)


def _insights_page(n: int, blanks: bool = True, declared: int | None = None) -> str:
    gap = "\n\n" if blanks else "\n"
    body = "".join(f"Insight title {i}{gap}Body of insight {i} goes here.{gap}" for i in range(n))
    return _HEAD + f"🧠 Big section {declared or n} insights{gap}" + body + _TAIL


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(lambda n: _insights_page(n), id="blank-lines"),
        pytest.param(lambda n: _insights_page(n, blanks=False), id="no-blank-lines"),
        pytest.param(lambda n: _insights_page(n, declared=7), id="count-mismatch"),
        pytest.param(lambda n: _HEAD + "\n" * n + _TAIL, id="newlines"),
        pytest.param(lambda n: _HEAD + "x y\n" * n + _TAIL, id="extra-lines"),
        pytest.param(lambda n: render(_big(n // 10), "md"), id="markdown"),
        pytest.param(lambda n: render(_big(n // 10), "json"), id="json"),
    ],
)
def test_parsing_does_linear_work(page: Callable[[int], str]) -> None:
    small, large = page(2000), page(4000)
    podsum.parse_all(small)
    n_small = _calls(lambda: podsum.parse_all(small))
    n_large = _calls(lambda: podsum.parse_all(large))
    assert n_large <= 2.1 * n_small, (n_small, n_large)


def test_a_page_of_100_000_insights_is_capped_and_drawn_with_bounded_work() -> None:
    """The page that took a minute and a half: its section is cut to the cap, and its
    cards cost some 500 Python calls an insight (Rich's Table took 1,300)."""
    s = podsum.parse(_insights_page(100_000))
    assert len(s.sections) == 1 and len(s.sections[0].insights) == 10_000  # the cap
    assert [w.code for w in s.warnings] == ["record-truncated"]
    assert s.sections[0].insights[-1].text == "Body of insight 9999 goes here."
    del s.sections[0].insights[2000:]  # the count, on a fifth of them
    per_insight = _calls(lambda: render(s, "cards", width=100)) / 2000
    assert per_insight <= 650


# --- memory -------------------------------------------------------------------------


def _peak(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(lambda n: _HEAD + "\n" * n + _TAIL, id="newlines-in-page"),
        pytest.param(lambda n: _HEAD + _TAIL + "\n" * n, id="newlines-after"),
        pytest.param(lambda n: _HEAD + "\r\n" * n + _TAIL, id="crlf"),
        pytest.param(lambda n: _TOP + "TL;DR: x\n" + "\n" * n + _TAIL, id="inline-tldr"),
        pytest.param(lambda n: _HEAD + "🧠 S 3 insights\n" + "\n" * n + _TAIL, id="section"),
        pytest.param(lambda n: _HEAD + "More from X\n" + "\n" * n, id="related"),
    ],
)
def test_parsing_newlines_takes_memory_a_small_multiple_of_the_input(
    page: Callable[[int], str],
) -> None:
    """A page of 9 MB of newlines took 1 GB: a (line number, text) tuple for every line."""
    podsum.parse_all(page(10))  # imports out of the measure
    data = page(150_000).encode()
    peak = _peak(lambda: podsum.parse_all(data))
    assert peak <= 16 * len(data), f"{peak / len(data):.0f} bytes per byte of input"


# --- caps -------------------------------------------------------------------------------


def _warned(s: Summary) -> list[str]:
    return [w.message for w in s.warnings if w.code == "record-truncated"]


def test_caps_are_far_above_any_real_page() -> None:
    from podsum import caps

    assert caps.MAX_TEXT >= 1_000_000
    assert caps.MAX_SECTIONS >= 1_000 and caps.MAX_INSIGHTS >= 1_000
    assert caps.MAX_CHAPTERS >= 1_000 and caps.MAX_RELATED >= 100
    assert caps.MAX_PEOPLE >= 100 and caps.MAX_TOPICS >= 100


def test_a_json_record_beyond_the_caps_is_cut_with_one_warning() -> None:
    from podsum import caps

    s = _big(3)
    s.sections = [
        Section(None, f"S{i}", 1, [Insight("t", "x")]) for i in range(caps.MAX_SECTIONS + 5)
    ]
    s.sections[5].insights = [Insight(f"t{i}", "x") for i in range(caps.MAX_INSIGHTS + 5)]
    s.chapters = [Chapter(f"c{i}") for i in range(caps.MAX_CHAPTERS + 1)]
    s.tldr = "word " * (caps.MAX_TEXT // 5 + 100)
    s.topics = [f"t{i}" for i in range(caps.MAX_TOPICS + 1)]
    back = podsum.parse(json.dumps(s.to_dict()))
    assert len(back.sections) == caps.MAX_SECTIONS
    assert len(back.sections[5].insights) == caps.MAX_INSIGHTS
    assert len(back.chapters) == caps.MAX_CHAPTERS
    assert len(back.topics) == caps.MAX_TOPICS
    assert back.tldr is not None and len(back.tldr) <= caps.MAX_TEXT
    assert s.tldr.startswith(back.tldr)
    (message,) = _warned(back)
    assert "sections" in message and "insights" in message and "tldr" in message
    # Capping a capped record changes nothing and warns no more.
    before = back.to_dict()
    assert caps.cap_record(back).to_dict() == before


def test_a_text_page_beyond_the_caps_is_cut() -> None:
    from podsum import caps

    page = _HEAD + "Bottom Line\n\n" + "word " * (caps.MAX_TEXT // 5 + 10) + "\n"
    s = podsum.parse(page)
    assert s.bottom_line is not None and len(s.bottom_line) <= caps.MAX_TEXT
    assert s.bottom_line.endswith("word")  # cut between words
    assert len(_warned(s)) == 1
    valid(s.to_dict())


def test_the_total_number_of_insights_is_capped() -> None:
    from podsum import caps

    per = caps.MAX_INSIGHTS
    n = caps.MAX_ALL_INSIGHTS // per + 2
    s = Summary(
        title="T",
        source=_SRC,
        sections=[Section(None, f"S{i}", per, [Insight(None, "x")] * per) for i in range(n)],
    )
    caps.cap_record(s)
    assert sum(len(sec.insights) for sec in s.sections) == caps.MAX_ALL_INSIGHTS
    assert [len(sec.insights) for sec in s.sections] == [per, per, 0, 0]
    (message,) = _warned(s)
    dropped = n * per - caps.MAX_ALL_INSIGHTS
    assert f"insights in all: kept the first {caps.MAX_ALL_INSIGHTS:,}, {dropped:,} left" in message


def test_warnings_are_capped_with_room_for_the_one_that_says_so() -> None:
    from podsum import caps

    s = Summary(title="T", source=_SRC)
    for i in range(caps.MAX_WARNINGS + 50):
        s.warn("invalid-date", f"warning {i}")
    caps.cap_record(s)
    assert len(s.warnings) == caps.MAX_WARNINGS
    assert s.warnings[-2].message == f"warning {caps.MAX_WARNINGS - 2}"
    assert "warnings: kept the first 999, 51 left out" in _warned(s)[0]
    before = s.to_dict()
    assert caps.cap_record(s).to_dict() == before


def _at(n: int, make: Callable[[int], Any]) -> list[Any]:
    return [make(i) for i in range(n)]


_OVER: dict[str, tuple[Callable[[int], Summary], Callable[[Summary], int]]] = {
    "sections": (
        lambda n: Summary("T", _SRC, sections=_at(n, lambda i: Section(None, f"s{i}", 0))),
        lambda s: len(s.sections),
    ),
    "insights": (
        lambda n: Summary(
            "T", _SRC, sections=[Section(None, "s", n, _at(n, lambda i: Insight(None, str(i))))]
        ),
        lambda s: len(s.sections[0].insights),
    ),
    "timestamps": (
        lambda n: Summary(
            "T",
            _SRC,
            sections=[
                Section(None, "s", 1, [Insight(None, "x", None, [Timestamp("1:00", 60)] * n)])
            ],
        ),
        lambda s: len(s.sections[0].insights[0].timestamps),
    ),
    "chapters": (
        lambda n: Summary("T", _SRC, chapters=_at(n, lambda i: Chapter(f"c{i}"))),
        lambda s: len(s.chapters),
    ),
    "points": (
        lambda n: Summary("T", _SRC, chapters=[Chapter("c", points=_at(n, str))]),
        lambda s: len(s.chapters[0].points),
    ),
    "points in all": (
        lambda n: Summary(
            "T",
            _SRC,
            chapters=[Chapter("c", points=["p"] * min(500, n - k)) for k in range(0, n, 500)],
        ),
        lambda s: sum(len(c.points) for c in s.chapters),
    ),
    "people": (
        lambda n: Summary("T", _SRC, people=_at(n, lambda i: Person(f"p{i}"))),
        lambda s: len(s.people),
    ),
    "topics": (lambda n: Summary("T", _SRC, topics=_at(n, str)), lambda s: len(s.topics)),
    "related": (
        lambda n: Summary("T", _SRC, related=_at(n, lambda i: Related(f"r{i}"))),
        lambda s: len(s.related),
    ),
    "extra lines": (
        lambda n: Summary("T", _SRC, extra_lines=_at(n, str)),
        lambda s: len(s.extra_lines),
    ),
}


@pytest.mark.parametrize("label", list(_OVER))
def test_each_cap_keeps_the_first_items_and_says_so(label: str) -> None:
    from podsum import caps

    cap = {
        "sections": caps.MAX_SECTIONS,
        "insights": caps.MAX_INSIGHTS,
        "timestamps": caps.MAX_TIMESTAMPS,
        "chapters": caps.MAX_CHAPTERS,
        "points": caps.MAX_POINTS,
        "points in all": caps.MAX_ALL_POINTS,
        "people": caps.MAX_PEOPLE,
        "topics": caps.MAX_TOPICS,
        "related": caps.MAX_RELATED,
        "extra lines": caps.MAX_EXTRA_LINES,
    }[label]
    make, count = _OVER[label]
    at_cap = caps.cap_record(make(cap))
    assert count(at_cap) == cap and not _warned(at_cap)  # at the cap: nothing cut
    over = make(cap + 7)
    caps.cap_record(over)
    assert count(over) == cap
    (message,) = _warned(over)
    assert message.startswith("record too large: ") and f"{label}:" in message


def test_records_of_normal_pages_are_not_capped() -> None:
    from podsum import caps

    s = _big(50, chars=2000)
    before = s.to_dict()
    caps.cap_record(s)
    assert s.to_dict() == before
    assert not _warned(s)


def test_the_cli_reports_a_capped_record_as_a_warning(tmp_path: Any) -> None:
    from podsum import caps

    page = tmp_path / "huge.txt"
    page.write_text(_insights_page(caps.MAX_INSIGHTS + 10))
    done = run_cli("parse", str(page))
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert len(record["sections"][0]["insights"]) == caps.MAX_INSIGHTS
    assert "record-truncated" in [w["code"] for w in record["warnings"]]
    strict = run_cli("parse", "--strict", str(page))
    assert strict.returncode == 1
    assert strict.stderr.decode().count("\n") == 1 and "record-truncated" in strict.stderr.decode()
