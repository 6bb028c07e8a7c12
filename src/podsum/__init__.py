"""podsum: scraped AI summaries of podcast episodes -> clean structured records.

>>> import podsum
>>> s = podsum.parse(open("page.txt", "rb").read())
>>> s.to_dict()["title"]
>>> podsum.render(s, "md")
"""

from __future__ import annotations

from .api import layouts, parse, parse_all
from .errors import ParseError, PodsumError, SourceError
from .model import Summary
from .render import render

__version__ = "0.1.0"

__all__ = [
    "ParseError",
    "PodsumError",
    "SourceError",
    "Summary",
    "__version__",
    "layouts",
    "parse",
    "parse_all",
    "render",
]
