"""Rich tables for `list` and `search`; page text goes in as Text, never as markup.

Rows come straight from the library file, which anything may have written, so every
value goes through ``for_terminal``: an escape sequence in a title is shown, not run.
"""

from __future__ import annotations

from typing import IO, Any

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from ..sanitise import for_terminal
from .cards import make_console

# Columns of `list` after ID and Title, in the order a narrow terminal drops them.
_OPTIONAL = ("Length", "Views", "Show", "Published")
_TITLE_MIN = 12  # the title column keeps at least this many cells
_SHOW_MIN, _SHOW_MAX = 10, 24  # a longer show name wraps


def _length(secs: int | None) -> str:
    return "" if secs is None else f"{secs // 3600}:{secs % 3600 // 60:02d}:{secs % 60:02d}"


def _list_cells(i: dict[str, Any]) -> dict[str, str]:
    return {
        "ID": i["id"],
        "Published": i["published"] or "",
        "Title": i["title"],
        "Show": i["show"] or "",
        "Views": "" if i["views"] is None else f"{i['views']:,}",
        "Length": _length(i["duration_seconds"]),
    }


def _list_layout(rows: list[dict[str, str]], width: int) -> tuple[list[str], int]:
    """The columns that fit ``width``, and the show's width. Full ids and the title
    always stay; the others are dropped, Length first and Published last, until the
    title has room. The show gets at most a third of the room title and show share (left
    to Rich, the two would be squeezed alike)."""
    columns = ["ID", "Published", "Title", "Show", "Views", "Length"]
    widest = {c: max([cell_len(c), *(cell_len(r[c]) for r in rows)]) for c in columns}
    widest["Show"] = min(widest["Show"], _SHOW_MIN)
    for drop in (None, *_OPTIONAL):
        if drop is not None:
            columns.remove(drop)
        # Each column is padded by a cell either side, with one between columns and
        # one at either edge.
        others = sum(widest[c] + 2 for c in columns if c != "Title")
        if others + _TITLE_MIN + 2 + len(columns) + 1 <= width:
            break
    fixed = sum(widest[c] + 2 for c in columns if c not in ("Title", "Show"))
    shared = width - fixed - len(columns) - 1 - 4  # title and show, less their padding
    longest_show = max(cell_len(r["Show"]) for r in rows)
    show = max(min(longest_show, _SHOW_MAX, shared // 3), min(longest_show, _SHOW_MIN), 4)
    return columns, show


def print_list(items: list[dict[str, Any]], file: IO[str]) -> None:
    console = make_console(file)
    if not items:
        console.print(Text("The library is empty, or nothing matches.", style="dim"))
        return
    rows = [{k: for_terminal(v) for k, v in _list_cells(i).items()} for i in items]
    columns, show_width = _list_layout(rows, console.width)
    table = Table(box=box.SIMPLE_HEAD, expand=False)
    for name in columns:
        if name == "ID":
            table.add_column("ID", no_wrap=True, style="cyan", min_width=16)
        elif name == "Title":
            table.add_column("Title", ratio=1, overflow="fold", min_width=_TITLE_MIN)
        elif name == "Show":
            table.add_column("Show", width=show_width, overflow="fold")
        elif name == "Published":
            table.add_column("Published", no_wrap=True)
        else:
            table.add_column(name, justify="right", no_wrap=True)
    for r in rows:
        table.add_row(*(Text(r[c]) for c in columns))
    console.print(table)


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
            Text(for_terminal(h["id"])),
            Text(for_terminal(h["title"])),
            highlighted(h["snippet"]),
        )
    console.print(table)
