"""JSON output: UTF-8 kept as is, keys in record order, stable across runs."""

from __future__ import annotations

import json
from typing import Any


def render_json(record: Any, *, indent: int | None = 2) -> str:
    if indent is None:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(record, ensure_ascii=False, indent=indent)
