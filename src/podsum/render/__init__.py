"""Renderers: a Summary in, a string out. Each format lives in its own module and is
imported only when asked for, so ``parse`` never loads YAML or Rich."""

from __future__ import annotations

from ..model import Summary

FORMATS = ("cards", "md", "json", "text")


def render(
    summary: Summary, fmt: str = "md", *, width: int | None = None, transcript: bool = False
) -> str:
    """Render one summary as ``md``, ``json``, ``text`` or ``cards`` (plain, no colour).

    Markdown and text end with the transcript when the page has one; cards show it only
    with ``transcript=True`` (it is long).
    """
    if fmt == "json":
        from .jsonout import render_json

        return render_json(summary.to_dict())
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown(summary)
    if fmt == "text":
        from .plain import render_text

        return render_text(summary)
    if fmt == "cards":
        from .cards import render_cards_text

        return render_cards_text(summary, width=width, transcript=transcript)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
