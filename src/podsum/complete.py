"""Shell completion: the values an option takes, and summary ids from the library.

It runs on every Tab press, in a fresh process: nothing heavy is imported here, the
library is read by a primary-key range query (as fast with 100,000 summaries as with
ten), a busy library is not waited for, and a failure of any kind completes nothing
rather than print a traceback into the shell.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

# How many ids one Tab offers: enough to choose from, few enough to read.
ID_LIMIT = 100
_HEX = frozenset("0123456789abcdefABCDEF")
# A title shown beside an id (zsh, fish) keeps letters, digits and these; quotes,
# backslashes, $, backticks and brackets would mean something to the shell or to the
# completion code that displays it.
_MENU_PUNCTUATION = frozenset(" ,.!?&+-/#@%")


def choices(*values: str) -> Callable[[str], list[str]]:
    """Completion for an option that takes one of ``values``."""

    def complete(incomplete: str) -> list[str]:
        return [v for v in values if v.startswith(incomplete)]

    return complete


def layout_names(incomplete: str) -> list[str]:
    # The registry alone: no reader module (the parsing code) is imported.
    from .read import LAYOUTS

    return [n for n in LAYOUTS if n.startswith(incomplete)]


def field_list(*fields: str) -> Callable[[str], list[str]]:
    """Completion for a comma-separated list of ``fields``: ``id,ti`` -> ``id,title``."""

    def complete(incomplete: str) -> list[str]:
        done, _, last = incomplete.rpartition(",")
        head = f"{done}," if done else ""
        taken = set(done.split(","))
        return [head + f for f in fields if f.startswith(last) and f not in taken]

    return complete


def _menu_text(title: str) -> str:
    from .sanitise import for_terminal

    text = "".join(c if c.isalnum() or c in _MENU_PUNCTUATION else " " for c in for_terminal(title))
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59] + "…"


def _ids(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    if any(c not in _HEX for c in incomplete):
        return []
    try:
        from .db import Library

        # A completion never waits for a writer: a locked library completes nothing.
        os.environ["PODSUM_BUSY_TIMEOUT"] = "0.1"
        path = ctx.params.get("library") if ctx is not None else None
        lib = Library(path or None, create=False)
        try:
            found = lib.ids_starting(incomplete, ID_LIMIT)
        finally:
            lib.close()
    except Exception:  # no library, not a library, locked: nothing to offer
        return []
    # The shell filters what it is given by the word typed, as typed.
    return [(incomplete + id_[len(incomplete) :], _menu_text(t)) for id_, t in found]


def library_ids(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Ids in the library that start with what is typed (rm, open)."""
    return _ids(ctx, incomplete)


def ids_or_files(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """A SOURCE of ``show``: library ids once a hex digit is typed and no file name
    starts so; otherwise nothing, and the shell completes file names."""
    if not incomplete or _file_starts(incomplete):
        return []
    return _ids(ctx, incomplete)


def _file_starts(incomplete: str) -> bool:
    folder, _, start = incomplete.rpartition("/")
    try:
        with os.scandir(folder or ".") as entries:
            return any(e.name.startswith(start) for e in entries)
    except OSError:
        return False


def sort_keys(incomplete: str) -> list[str]:
    from .db import SORTS

    return [k for k in SORTS if k.startswith(incomplete)]
