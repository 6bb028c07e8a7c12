"""The page every reader is given: cleaned lines, where they sit in the file, and the
warnings cleaning raised. Built once per page, whatever the layout."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import ParseWarning, Source, Summary


class Page:
    """One summary page's lines (cleaned and stripped; ``""`` for a blank line)."""

    __slots__ = ("_line_set", "_text", "lines", "memo", "offset", "source", "warnings")

    def __init__(
        self,
        lines: list[str],
        source: Source,
        warnings: list[ParseWarning] | None = None,
        offset: int = 0,
    ) -> None:
        self.lines = lines
        self.source = source
        self.warnings = warnings if warnings is not None else []
        self.offset = offset  # line number in the file of lines[0], minus one
        self._line_set: frozenset[str] | None = None
        self._text: str | None = None
        self.memo: dict[str, object] = {}  # a reader's own scan, shared by its functions

    def lineno(self, i: int) -> int:
        """The 1-based line number in the file of ``lines[i]``."""
        return self.offset + i + 1

    @property
    def line_set(self) -> frozenset[str]:
        if self._line_set is None:
            self._line_set = frozenset(self.lines)
        return self._line_set

    @property
    def text(self) -> str:
        """The lines joined by newlines: one search of it tells whether any line has a
        piece of text, at C speed, before a reader looks line by line."""
        if self._text is None:
            self._text = "\n".join(self.lines)
        return self._text

    def has(self, *texts: str) -> bool:
        """Every one of ``texts`` is a whole line of the page (set lookups, at C speed)."""
        return self.line_set.issuperset(texts)

    def has_any(self, texts: Iterable[str]) -> bool:
        return not self.line_set.isdisjoint(texts)

    def find(self, text: str, start: int = 0, end: int | None = None) -> int | None:
        """Index of the first line equal to ``text`` in ``lines[start:end]``."""
        if text not in self.line_set:
            return None
        try:
            return self.lines.index(text, start, len(self.lines) if end is None else end)
        except ValueError:
            return None

    def new_summary(self, layout: str, title: str = "", show: str | None = None) -> Summary:
        """An empty record of this page, carrying the warnings cleaning raised."""
        return Summary(
            title=title, show=show, layout=layout, source=self.source, warnings=self.warnings
        )

    def warn(self, code: str, message: str, i: int | None = None) -> None:
        self.warnings.append(ParseWarning(code, message, None if i is None else self.lineno(i)))
