"""`podsum stats` as plain text: what the library holds, in lines a reader scans and a
script can still cut. Names come from library rows, so each goes through
``for_terminal``."""

from __future__ import annotations

from typing import Any

from ..sanitise import for_terminal


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def _episode(e: dict[str, Any] | None) -> str:
    if e is None:
        return "-"
    show = f" ({e['show']})" if e.get("show") else ""
    return for_terminal(f"{e['published']}  {e['id']}  {e['title']}{show}")


def format_stats(st: dict[str, Any]) -> str:
    lines = [
        f"library      {for_terminal(st['library'])}",
        f"size         {_size(st['bytes'])}",
        f"summaries    {st['summaries']:,}",
        f"ingested     {st['first_ingested'] or '-'} .. {st['last_ingested'] or '-'}",
        f"oldest       {_episode(st['oldest'])}",
        f"newest       {_episode(st['newest'])}",
    ]
    for key, heading in (
        ("layouts", "by layout"),
        ("shows", "top shows"),
        ("topics", "top topics"),
        ("people", "top people"),
    ):
        items = st[key]
        if not items:
            continue
        lines += ["", heading]
        width = max(len(f"{i['count']:,}") for i in items)
        lines += [f"  {i['count']:>{width},}  {for_terminal(str(i['name']))}" for i in items]
    return "\n".join(lines) + "\n"
