"""The ingest progress bar: Rich on stderr, only on a terminal and only for long runs.

Lines printed while it is live go through ``message``, which writes them above the bar
(as page text: never Rich markup) instead of breaking it.
"""

from __future__ import annotations

import sys
from typing import Any

MIN_TOTAL = 20  # shorter runs finish before a bar would help


class ProgressBar:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.task: Any = None

    def start(self, total: int) -> None:
        if not self.enabled or total < MIN_TOTAL:
            return
        from rich.console import Console
        from rich.progress import Progress

        console = Console(stderr=True, markup=False, highlight=False, emoji=False)
        self.bar = Progress(console=console, transient=True)
        self.task = self.bar.add_task("ingesting", total=total)
        self.bar.start()

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)

    def message(self, line: str) -> None:
        if self.bar is None:
            print(line, file=sys.stderr)
            return
        from rich.text import Text

        self.bar.console.print(Text(line), soft_wrap=True)  # one line, never re-wrapped

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
