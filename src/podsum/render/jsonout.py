"""JSON output: UTF-8 kept as is, keys in record order, stable across runs.

Letters and emoji stay raw, but characters a terminal acts on or that reorder text (DEL,
C1 controls such as U+009B, bidi controls, lone surrogates) are written as ``\\uXXXX``
escapes: ``json.dumps(ensure_ascii=False)`` would leave them raw, so `podsum parse` piped
to a terminal could act on them. The value a JSON reader gets back is the same.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..sanitise import INVISIBLE

# They can only occur inside JSON strings (all of JSON's own syntax is ASCII), where a
# \uXXXX escape stands for the same character.
_INVISIBLE = re.compile(f"[{INVISIBLE}]")


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def render_json(record: Any, *, indent: int | None = 2) -> str:
    if indent is None:
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    else:
        text = json.dumps(record, ensure_ascii=False, indent=indent)
    return text if text.isascii() else _INVISIBLE.sub(_escape, text)
