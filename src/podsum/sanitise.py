"""Clean every text field of a Summary that did not come through the text parser.

Records read back from JSON or Markdown may have been written by anything; they get the
same guarantee as parsed pages: no escapes or control characters, no newlines in
one-line fields.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from .model import MULTILINE_FIELDS, ParseWarning, Summary
from .repair import strip_controls, strip_escapes


def _clean(value: str, multiline: bool) -> str:
    value, _ = strip_escapes(value)
    value, _ = strip_controls(value, keep_newlines=multiline)
    return value


def _walk(obj: Any) -> bool:
    changed = False
    for f in fields(obj):
        if f.name in ("source", "warnings"):
            continue
        value = getattr(obj, f.name)
        if isinstance(value, str):
            cleaned = _clean(value, f.name in MULTILINE_FIELDS)
            if cleaned != value:
                setattr(obj, f.name, cleaned)
                changed = True
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    cleaned = _clean(item, False)
                    if cleaned != item:
                        value[i] = cleaned
                        changed = True
                elif hasattr(item, "__dataclass_fields__"):
                    changed |= _walk(item)
    return changed


def sanitise(summary: Summary) -> Summary:
    if _walk(summary):
        summary.warnings.append(
            ParseWarning("control-chars-removed", "removed escapes or control characters", None)
        )
    return summary
