"""Every fixture page's parse against ``ftfy.fix_text`` on the same page, and every
refused page per byte against the summary page nearest its size: the table behind the
per-layout rows of RESULTS.md, page by page (which page of a layout is the slowest, and
by how much).

    .venv/bin/python benchmarks/pages.py [LAYOUT ...]

CPU time of this process (``time.process_time``), the two sides measured in turn and
the least of seven rounds kept: steadier than wall time on a shared machine.
"""

from __future__ import annotations

import sys
import time
import timeit
from collections.abc import Callable
from pathlib import Path

import ftfy

import podsum
from podsum.decode import decode_bytes

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEED = (ROOT / "samples" / "bg2-china-open-source.txt").read_bytes()
SUMMARIES = [p for p in FIXTURES.glob("*/*.txt") if p.parent.name != "negative"]


def _each(fn: Callable[[], object], number: int) -> float:
    return timeit.Timer(fn, timer=time.process_time).timeit(number) / number


def _side_by_side(
    ours: Callable[[], object], theirs: Callable[[], object], n_ours: int, n_theirs: int
) -> tuple[float, float]:
    a = b = float("inf")
    for _ in range(7):
        a = min(a, _each(ours, n_ours))
        b = min(b, _each(theirs, n_theirs))
    return a, b


def _refuse(data: bytes) -> None:
    try:
        podsum.parse(data)
    except podsum.ParseError:
        return
    raise AssertionError("a negative page was not refused")


def main(layouts: list[str]) -> None:
    worst: dict[str, float] = {}
    for page in sorted(FIXTURES.glob("*/*.txt")):
        layout = page.parent.name
        if layouts and layout not in layouts:
            continue
        data = page.read_bytes()
        if layout == "negative":
            # Against the summary page nearest its size: per byte, as every page has a
            # fixed cost that weighs more on a short one.
            near = min(SUMMARIES, key=lambda p: abs(len(p.read_bytes()) - len(data)))
            other = near.read_bytes()
            a, b = _side_by_side(
                lambda data=data: _refuse(data), lambda other=other: podsum.parse(other), 200, 200
            )
            ratio = (a / len(data)) / (b / len(other))
            note = f"refused, per byte, vs {near.parent.name}/{near.name} parsed"
        else:
            text, _ = decode_bytes(data)
            a, b = _side_by_side(
                lambda data=data: podsum.parse(data), lambda text=text: ftfy.fix_text(text), 200, 40
            )
            ratio = a / b
            note = "vs ftfy.fix_text"
        worst[layout] = max(worst.get(layout, 0.0), ratio)
        print(f"{layout:13} {page.name:46} {a * 1e6:7.1f} µs  {ratio:.3f}x {note}")
    print()
    for layout, ratio in sorted(worst.items()):
        print(f"{layout:13} slowest {ratio:.3f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
