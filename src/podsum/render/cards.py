"""Rich cards for the terminal.

Every piece of page text goes in as a ``rich.text.Text`` (never a markup string), and
the console is made with markup, emoji codes and highlighting off, so a title such as
``[bold red]x[/]`` or ``:smile:`` is printed as written.
"""

from __future__ import annotations

import io
from typing import IO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

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


def _header(s: Summary) -> Panel:
    body = Text(s.title or "(untitled)", style="bold")
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
    entry = Text(ins.title or "", style="bold")
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
    body = Table.grid(padding=(0, 1))
    body.add_column(no_wrap=True)
    body.add_column()
    for n, p in enumerate(people):
        if n:
            body.add_row("", "")
        entry = Text(p.name, style="bold")
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
    body = Table.grid(padding=(0, 1))
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
        Text(text),
        title=Text(title, style="bold"),
        title_align="left",
        box=frame,
        border_style=colour,
        padding=(0, 1),
    )


def _chapter(c: Chapter) -> Text:
    entry = Text(c.title, style="bold")
    if c.summary:
        entry.append("\n" if entry else "")
        entry.append(c.summary)
    for point in c.points:
        entry.append("\n" if entry else "")
        entry.append("• ", style="yellow")
        entry.append(point)
    return entry


def _chapters(chapters: list[Chapter]) -> Panel:
    body = Table.grid(padding=(0, 1))
    body.add_column(style="yellow")  # start–end: may wrap, but only on a very narrow screen
    body.add_column(ratio=1)
    spaced = any(c.summary or c.points for c in chapters)
    for n, c in enumerate(chapters):
        if n and spaced:
            body.add_row("", "")
        body.add_row(Text(chapter_times(c) or ""), _chapter(c))
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
            title=Text(label, style="bold"), title_justify="left", box=box.SIMPLE_HEAD, expand=True
        )
        table.add_column("Episode", ratio=3)
        table.add_column("Show", ratio=2)
        table.add_column("Length", no_wrap=True)
        table.add_column("Age", no_wrap=True)
        table.add_column("Points", justify="right", no_wrap=True)
        for r in s.related:
            table.add_row(
                Text(r.title or ""),
                Text(r.show or ""),
                Text(r.duration or ""),
                Text(r.age or ""),
                Text("" if r.points is None else str(r.points)),
            )
        out.append(table)
    if transcript and s.transcript:
        out.append(_text_panel(s.transcript, "Transcript", "grey50", box.ROUNDED))
    return out


def make_console(file: IO[str], *, width: int | None = None, force_plain: bool = False) -> Console:
    """A console that never interprets page text; colour only on a real terminal."""
    return Console(
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
