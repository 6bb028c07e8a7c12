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

from ..model import Summary
from .plain import meta_parts, section_heading


def _header(s: Summary) -> Panel:
    body = Text(s.title or "(untitled)", style="bold")
    if s.show:
        body.append("\n")
        body.append(s.show, style="italic")
    meta = meta_parts(s)
    if meta:
        body.append("\n")
        body.append(" · ".join(meta), style="dim")
    return Panel(body, box=box.HEAVY, border_style="cyan", padding=(0, 1))


def _section(
    sec_title: Text, insights: list[tuple[str | None, str]], subtitle: str
) -> Panel:
    # A two-column grid gives each insight a hanging indent under its bullet.
    body = Table.grid(padding=(0, 1))
    body.add_column(no_wrap=True)
    body.add_column()
    for n, (title, text) in enumerate(insights):
        entry = Text(title or "", style="bold")
        if text:
            if title:
                entry.append("\n")
            entry.append(text, style="")
        if n:
            body.add_row("", "")
        body.add_row(Text("▸", style="cyan"), entry)
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


def renderables(s: Summary) -> list[RenderableType]:
    out: list[RenderableType] = [_header(s)]
    if s.tldr:
        out.append(_text_panel(s.tldr, "TL;DR", "magenta", box.ROUNDED))
    for sec in s.sections:
        heading = section_heading(sec.emoji, sec.title, sec.declared_insights, len(sec.insights))
        head, _, count = heading.rpartition(" · ")
        if sec.declared_insights is not None and sec.declared_insights != len(sec.insights):
            count = f"{len(sec.insights)} of {count}"
        out.append(
            _section(
                Text(head, style="bold"),
                [(i.title, i.text) for i in sec.insights],
                count,
            )
        )
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


def print_cards(summaries: list[Summary], file: IO[str], *, width: int | None = None) -> None:
    console = make_console(file, width=width)
    for n, s in enumerate(summaries):
        if n:
            console.print()
        console.print(Group(*renderables(s)))


def render_cards_text(s: Summary, *, width: int | None = None) -> str:
    buf = io.StringIO()
    console = make_console(buf, width=width or 80, force_plain=True)
    console.print(Group(*renderables(s)))
    return buf.getvalue()
