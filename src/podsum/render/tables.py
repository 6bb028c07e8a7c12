"""Rich tables for `list` and `search`; page text goes in as Text, never as markup.

Rows come straight from the library file, which anything may have written, so every
value goes through ``for_terminal``: an escape sequence in a title is shown, not run.
"""

from __future__ import annotations

from typing import IO, Any

from rich import box
from rich.table import Table
from rich.text import Text

from ..sanitise import for_terminal
from .cards import make_console


def print_list(items: list[dict[str, Any]], file: IO[str]) -> None:
    table = Table(box=box.SIMPLE_HEAD, expand=False)
    table.add_column("ID", no_wrap=True, style="cyan")
    table.add_column("Published", no_wrap=True)
    table.add_column("Title", ratio=3)
    table.add_column("Show", ratio=2)
    table.add_column("Views", justify="right", no_wrap=True)
    table.add_column("Length", justify="right", no_wrap=True)
    for i in items:
        secs = i["duration_seconds"]
        length = "" if secs is None else f"{secs // 3600}:{secs % 3600 // 60:02d}:{secs % 60:02d}"
        table.add_row(
            Text(for_terminal(i["id"][:12])),
            Text(for_terminal(i["published"] or "")),
            Text(for_terminal(i["title"])),
            Text(for_terminal(i["show"] or "")),
            Text("" if i["views"] is None else f"{i['views']:,}"),
            Text(length),
        )
    console = make_console(file)
    if items:
        console.print(table)
    else:
        console.print(Text("The library is empty, or nothing matches.", style="dim"))


def highlighted(snippet: str) -> Text:
    """A search snippet with its matches (between \\x02 and \\x03) in bold."""
    text = Text()
    for n, part in enumerate(snippet.replace("\x03", "\x02").split("\x02")):
        text.append(for_terminal(" ".join(part.split("\n"))), style="bold yellow" if n % 2 else "")
    return text


def print_search(hits: list[dict[str, Any]], file: IO[str]) -> None:
    console = make_console(file)
    if not hits:
        console.print(Text("No matches.", style="dim"))
        return
    table = Table(box=box.SIMPLE_HEAD, show_lines=False)
    table.add_column("ID", no_wrap=True, style="cyan")
    table.add_column("Title", ratio=2)
    table.add_column("Match", ratio=3)
    for h in hits:
        table.add_row(
            Text(for_terminal(h["id"][:12])),
            Text(for_terminal(h["title"])),
            highlighted(h["snippet"]),
        )
    console.print(table)
