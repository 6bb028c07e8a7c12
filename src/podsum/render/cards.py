"""Rich cards for the terminal.

Every piece of page text goes in as a ``rich.text.Text`` (never a markup string), and
the console is made with markup, emoji codes and highlighting off, so a title such as
``[bold red]x[/]`` or ``:smile:`` is printed as written.

Cards take time linear in the record: paragraphs are ``Paragraph`` (a Text that Rich
renders a line at a time) and the insight, chapter and people lists are ``Grid`` (a
``Table.grid`` drawn without Rich's per-cell layers). Both draw exactly what Rich's own
Text and Table.grid draw.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO

from rich import box
from rich.cells import cell_len
from rich.console import (
    Console,
    ConsoleOptions,
    Group,
    JustifyMethod,
    OverflowMethod,
    RenderableType,
    RenderResult,
)
from rich.measure import Measurement
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style
from rich.table import Column, Table
from rich.text import DEFAULT_JUSTIFY, DEFAULT_OVERFLOW, Text

from ..model import Chapter, Insight, Person, Summary
from .plain import (
    bios,
    byline,
    chapter_times,
    meta_parts,
    people_groups,
    section_heading,
    stamps_text,
    topics_line,
)

_SEPARATOR = Text("")


def _wrap(
    text: Text,
    console: Console,
    width: int,
    justify: JustifyMethod | None,
    overflow: OverflowMethod | None,
    no_wrap: bool | None,
) -> list[Text]:
    """``text`` wrapped to ``width`` as ``Text.__rich_console__`` wraps it: with its own
    settings, else those it is given (a column's, a console's), else Rich's defaults.

    A line that fits (most lines of a card) needs none of ``Text.wrap``'s steps but the
    padding that left-justified text gets; longer lines are Rich's to wrap, one by one,
    as ``Text.wrap`` takes them.
    """
    how: JustifyMethod = text.justify or justify or DEFAULT_JUSTIFY
    over: OverflowMethod = text.overflow or overflow or DEFAULT_OVERFLOW
    tab_size = (console.tab_size if text.tab_size is None else text.tab_size) or 8
    keep = next((b for b in (text.no_wrap, no_wrap) if b is not None), False)
    if "\t" in text.plain or how not in ("left", "default"):
        return list(
            text.wrap(console, width, justify=how, overflow=over, tab_size=tab_size, no_wrap=keep)
        )
    out: list[Text] = []
    for line in text.split(allow_blank=True):
        plain = line.plain
        cells = cell_len(plain) if len(plain) <= width else width + 1
        if cells <= width:
            if how == "left" and cells < width:
                line.pad_right(width - cells)
            out.append(line)
        else:
            out += line.wrap(
                console, width, justify=how, overflow=over, tab_size=tab_size, no_wrap=keep
            )
    return out


def _line_segments(line: Text, console: Console) -> list[Segment]:
    """One wrapped line as Rich renders it inside the text it was wrapped from: joining
    turns the line's own style into a span, as ``Text.join`` does for the whole text."""
    if not line.spans:  # most lines: one piece of text in one style (or none)
        plain = line.plain
        if not plain:
            return []
        style = console.get_style(line.style, default=Style.null()) if line.style else None
        return [Segment(plain, style)]
    return [seg for seg in _SEPARATOR.join([line]).render(console) if seg.text]


def _merged(segments: list[Segment]) -> list[Segment]:
    """Neighbouring segments without a style as one: they print the same, and every
    segment costs each layer around the grid (panel, padding) a step."""
    out: list[Segment] = []
    for seg in segments:
        if out and not (seg.style or out[-1].style or seg.control or out[-1].control):
            out[-1] = Segment(out[-1].text + seg.text)
        else:
            out.append(seg)
    return out


class Paragraph(Text):
    """A Text that Rich renders a line at a time.

    Rich's Text wraps itself into lines, joins them into one string and yields that as
    one segment; a panel or table cell holding it then splits the segment into lines
    with one ``str.partition`` a line, each copying the rest: time quadratic in the
    paragraph's length (a 2 MB TL;DR took seconds, 8 MB most of a minute). The same
    lines, yielded one by one, take time linear in the text and draw the same.
    """

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        lines = _wrap(
            self, console, options.max_width, options.justify, options.overflow, options.no_wrap
        )
        new_line = Segment.line()
        for n, line in enumerate(lines):
            if n:
                yield new_line
            yield from _line_segments(line, console)
        if self.end:
            yield Segment(self.end)


class _Probe:
    """A cell standing in for a whole column: it measures as the column's cells do
    together, and notes the width Rich gives it."""

    def __init__(self, measurement: Measurement) -> None:
        self.measurement = measurement
        self.width: int | None = None

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return self.measurement

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        self.width = options.max_width
        yield from ()


class _Col:
    """How one column of a Grid is drawn: its cells' width, padding and style."""

    __slots__ = ("column", "left", "right", "style", "width")

    def __init__(self, column: Column, width: int, left: int, right: int, style: Style) -> None:
        self.column, self.width, self.left, self.right, self.style = (
            column,
            width,
            left,
            right,
            style,
        )

    def lines(self, cell: Text, console: Console) -> list[list[Segment]]:
        """The cell's lines as Rich's Table draws them: wrapped to the cell's width,
        padded to it with the padding added, and the column's style under all of it."""
        column, null = self.column, Style.null()
        out = []
        for line in _wrap(
            cell, console, self.width, column.justify, column.overflow, column.no_wrap
        ):
            segments = Segment.adjust_line_length(
                _line_segments(line, console), self.width, style=null
            )
            if self.left:
                segments.insert(0, Segment(" " * self.left, null))
            if self.right:
                segments.append(Segment(" " * self.right, null))
            if self.style:
                segments = list(Segment.apply_style(segments, self.style))
            out.append(_merged(segments))
        return out

    @property
    def blank(self) -> list[Segment]:
        """A line of the column with nothing in it (under a shorter cell)."""
        return [Segment(" " * (self.left + self.width + self.right), self.style)]


def _settings(text: Text) -> tuple[object, ...]:
    return (text.justify, text.overflow, text.no_wrap, text.tab_size, text.end)


class Grid(Table):
    """A ``Table.grid`` of Text cells, drawn as Rich draws it, in a fraction of the work.

    Rich's Table renders every cell through several layers (padding, line splitting,
    reshaping): some 1,300 Python calls an insight, so 100,000 insights took a minute
    and a half. A Grid draws each cell's lines itself. Its column widths are Rich's own:
    a one-row copy of the grid, whose cells measure as whole columns do, is laid out by
    Rich and its cells note the widths they are given. A grid with a box, header, row
    styles or a cell other than Text (or ``""``) is left to Rich.
    """

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        columns = self._layout(console, options)
        if columns is None:
            yield from super().__rich_console__(console, options)
            return
        new_line = Segment.line()
        cells = [list(c.cells) for c in self.columns]
        # A cell like one drawn before (a bullet, a blank) is drawn once: Segments are
        # immutable, so its lines can be yielded again.
        seen: list[dict[tuple[object, ...], list[list[Segment]]]] = [{} for _ in columns]
        for row in range(len(self.rows)):
            drawn: list[list[list[Segment]]] = []
            for n, col in enumerate(columns):
                cell = cells[n][row]
                text = cell if isinstance(cell, Text) else Text("")
                key = None
                if len(text) <= 8:
                    key = (type(text), text.plain, text.style, *text.spans, *_settings(text))
                    if key in seen[n]:
                        drawn.append(seen[n][key])
                        continue
                lines = col.lines(text, console)
                if key is not None:
                    seen[n][key] = lines
                drawn.append(lines)
            height = max(len(lines) for lines in drawn)
            for line_no in range(height):
                line: list[Segment] = []
                for n, lines in enumerate(drawn):
                    line += lines[line_no] if line_no < len(lines) else columns[n].blank
                yield from _merged(line)
                yield new_line

    def _plain(self) -> bool:
        """Only what the cards use: no box, vertical padding, header, footer, title,
        fixed width or row styles, every cell aligned to the top."""
        return (
            self.box is None
            and self.padding[0] == self.padding[2] == 0  # no padding above or below
            and not (self.show_header or self.show_footer or self.title or self.caption)
            and self.width is None
            and self.min_width is None
            and not self.row_styles
            and all(row.style is None for row in self.rows)
            and bool(self.rows)
            and all(c.vertical == "top" for c in self.columns)
        )

    def _layout(self, console: Console, options: ConsoleOptions) -> list[_Col] | None:
        """Each column's cell width, padding and style, as Rich's Table would give them;
        None to leave the grid to Rich."""
        if not self._plain():
            return None
        proxy = Table.grid(
            padding=self.padding,
            collapse_padding=self.collapse_padding,
            pad_edge=self.pad_edge,
            expand=self.expand,
        )
        probes = []
        for column in self.columns:
            if not all(isinstance(cell, Text) or cell == "" for cell in column.cells):
                return None
            # Rich lays a grid out from the widest line of each column (the narrowest
            # width a cell could take, its longest word, never changes the result), and
            # no more than the width there is: measuring stops once a line fills it.
            high = 0
            for cell in column.cells:
                if isinstance(cell, Text) and cell:
                    high = max(high, max(map(cell_len, cell.plain.splitlines()), default=0))
                    if high >= options.max_width:
                        break
            probes.append(_Probe(Measurement(high, high)))
            proxy.add_column(
                style=column.style,
                justify=column.justify,
                vertical=column.vertical,
                overflow=column.overflow,
                width=column.width,
                min_width=column.min_width,
                max_width=column.max_width,
                ratio=column.ratio,
                no_wrap=column.no_wrap,
            )
        proxy.add_row(*probes)
        for _ in console.render(proxy, options):
            pass
        _, right, _, left = self.padding
        last = len(self.columns) - 1
        out = []
        for n, (column, probe) in enumerate(zip(self.columns, probes, strict=True)):
            if probe.width is None:
                return None  # a column too narrow for anything: Rich knows what to do
            # As Table._get_cells pads a cell.
            pad_left, pad_right = left, right
            if n and self.collapse_padding:
                pad_left = max(0, left - right)
            if not self.pad_edge:
                pad_left = 0 if n == 0 else pad_left
                pad_right = 0 if n == last else pad_right
            style = console.get_style(column.style or "")
            out.append(_Col(column, probe.width, pad_left, pad_right, style))
        return out


def _header(s: Summary) -> Panel:
    body = Paragraph(s.title or "(untitled)", style="bold")
    for line, style in (
        (s.show, "italic"),
        (" · ".join(meta_parts(s)), "dim"),
        ("\n".join(people_groups(s.people)), ""),  # a line per role: they can be long
        (topics_line(s.topics), "green"),
        (s.url, "dim"),
    ):
        if line:
            body.append("\n")
            body.append(line, style=style)
    return Panel(body, box=box.HEAVY, border_style="cyan", padding=(0, 1))


def _insight(ins: Insight) -> Text:
    # As in the text form: a label carries its times; a quote has them in its byline.
    entry = Paragraph(ins.title or "", style="bold")
    stamps = stamps_text(ins) if ins.title else None
    if stamps:
        entry.append(" ")
        entry.append(stamps, style="dim")
    for part, style in ((ins.text, ""), (byline(ins, with_stamps=not ins.title), "dim")):
        if part:
            if entry:
                entry.append("\n")
            entry.append(part, style=style)
    return entry


def _people(people: list[Person]) -> Panel:
    body = Grid.grid(padding=(0, 1))
    body.add_column(no_wrap=True)
    body.add_column()
    for n, p in enumerate(people):
        if n:
            body.add_row("", "")
        entry = Paragraph(p.name, style="bold")
        entry.append("\n")
        entry.append(p.about or "")
        body.add_row(Text("▸", style="cyan"), entry)
    return Panel(
        body,
        title=Text("People", style="bold"),
        title_align="left",
        border_style="cyan",
        padding=(0, 1),
    )


def _section(sec_title: Text, insights: list[Insight], subtitle: str) -> Panel:
    # A two-column grid gives each insight a hanging indent under its bullet.
    body = Grid.grid(padding=(0, 1))
    body.add_column(no_wrap=True)
    body.add_column()
    for n, ins in enumerate(insights):
        if n:
            body.add_row("", "")
        body.add_row(Text("▸", style="cyan"), _insight(ins))
    return Panel(
        body,
        title=sec_title,
        title_align="left",
        subtitle=Text(subtitle, style="dim"),
        subtitle_align="right",
        border_style="blue",
        padding=(0, 1),
    )


def _text_panel(text: str, title: str, colour: str, frame: box.Box) -> Panel:
    return Panel(
        Paragraph(text),
        title=Text(title, style="bold"),
        title_align="left",
        box=frame,
        border_style=colour,
        padding=(0, 1),
    )


def _chapter(c: Chapter) -> Text:
    entry = Paragraph(c.title, style="bold")
    if c.summary:
        entry.append("\n" if entry else "")
        entry.append(c.summary)
    for point in c.points:
        entry.append("\n" if entry else "")
        entry.append("• ", style="yellow")
        entry.append(point)
    return entry


def _chapters(chapters: list[Chapter]) -> Panel:
    body = Grid.grid(padding=(0, 1))
    body.add_column(style="yellow")  # start–end: may wrap, but only on a very narrow screen
    body.add_column(ratio=1)
    spaced = any(c.summary or c.points for c in chapters)
    for n, c in enumerate(chapters):
        if n and spaced:
            body.add_row("", "")
        body.add_row(Paragraph(chapter_times(c) or ""), _chapter(c))
    return Panel(
        body,
        title=Text("Chapters", style="bold"),
        title_align="left",
        subtitle=Text(f"{len(chapters)} chapter{'' if len(chapters) == 1 else 's'}", style="dim"),
        subtitle_align="right",
        border_style="yellow",
        padding=(0, 1),
    )


def renderables(s: Summary, *, transcript: bool = False) -> list[RenderableType]:
    """The cards of one summary; the transcript (long) only when asked for."""
    out: list[RenderableType] = [_header(s)]
    if s.tldr:
        out.append(_text_panel(s.tldr, "TL;DR", "magenta", box.ROUNDED))
    if s.overview:
        out.append(_text_panel(s.overview, "Overview", "magenta", box.ROUNDED))
    if bios(s.people):
        out.append(_people(bios(s.people)))
    for sec in s.sections:
        heading = section_heading(sec.emoji, sec.title, sec.declared_insights, len(sec.insights))
        head, _, count = heading.rpartition(" · ")
        if sec.declared_insights is not None and sec.declared_insights != len(sec.insights):
            count = f"{len(sec.insights)} of {count}"
        out.append(_section(Text(head, style="bold"), sec.insights, count))
    if s.chapters:
        out.append(_chapters(s.chapters))
    if s.bottom_line:
        out.append(_text_panel(s.bottom_line, "Bottom line", "green", box.DOUBLE))  # set apart
    if s.related:
        label = f"More from {s.related_channel}" if s.related_channel else "Related"
        table = Table(
            title=Paragraph(label, style="bold"),
            title_justify="left",
            box=box.SIMPLE_HEAD,
            expand=True,
        )
        table.add_column("Episode", ratio=3)
        table.add_column("Show", ratio=2)
        table.add_column("Length", no_wrap=True)
        table.add_column("Age", no_wrap=True)
        table.add_column("Points", justify="right", no_wrap=True)
        for r in s.related:
            table.add_row(
                Paragraph(r.title or ""),
                Paragraph(r.show or ""),
                Paragraph(r.duration or ""),
                Paragraph(r.age or ""),
                Paragraph("" if r.points is None else str(r.points)),
            )
        out.append(table)
    if transcript and s.transcript:
        out.append(_text_panel(s.transcript, "Transcript", "grey50", box.ROUNDED))
    return out


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """A closed pipe (``podsum show | head -1``) goes to the command line's one
        place for it, which ends quietly with exit 0 (Rich's own exits with 1)."""
        self.quiet = True
        raise BrokenPipeError


def make_console(file: IO[str], *, width: int | None = None, force_plain: bool = False) -> Console:
    """A console that never interprets page text; colour only on a real terminal."""
    return _Console(
        file=file,
        width=width,
        markup=False,
        emoji=False,
        highlight=False,
        color_system=None if force_plain else "auto",
        force_terminal=False if force_plain else None,
        soft_wrap=False,
    )


def print_cards(
    summaries: list[Summary],
    file: IO[str],
    *,
    width: int | None = None,
    transcript: bool = False,
) -> None:
    console = make_console(file, width=width)
    for n, s in enumerate(summaries):
        if n:
            console.print()
        console.print(Group(*renderables(s, transcript=transcript)))


def render_cards_text(s: Summary, *, width: int | None = None, transcript: bool = False) -> str:
    buf = io.StringIO()
    console = make_console(buf, width=width or 80, force_plain=True)
    console.print(Group(*renderables(s, transcript=transcript)))
    return buf.getvalue()
