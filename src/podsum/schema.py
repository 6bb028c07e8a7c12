"""The JSON Schema (draft 2020-12) of the record, SPEC section 2; `podsum schema`."""

from __future__ import annotations

from typing import Any

_STR_OR_NULL: dict[str, Any] = {"type": ["string", "null"]}
_INT_OR_NULL: dict[str, Any] = {"type": ["integer", "null"], "minimum": 0}
# No control characters but newline in any text field (SPEC section 2).
_TEXT: dict[str, Any] = {
    "type": "string",
    "pattern": "^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f]*$",
}
_TEXT_OR_NULL: dict[str, Any] = {"anyOf": [_TEXT, {"type": "null"}]}
_LINE: dict[str, Any] = {"type": "string", "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"}
_LINE_OR_NULL: dict[str, Any] = {"anyOf": [_LINE, {"type": "null"}]}


def _obj(props: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": props,
        "required": list(props),
        "additionalProperties": False,
    }


RECORD_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://podsum.invalid/schema/record-v1.json",
    "title": "podsum summary record",
    "description": "One summary page, parsed. Schema version 1.",
    **_obj(
        {
            "schema_version": {"const": 1},
            "id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
            "title": _LINE,
            "show": _LINE_OR_NULL,
            "category": _LINE_OR_NULL,
            "published": {
                "anyOf": [
                    {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                    {"type": "null"},
                ]
            },
            "views": _INT_OR_NULL,
            "duration": _LINE_OR_NULL,
            "duration_seconds": _INT_OR_NULL,
            "tldr": _TEXT_OR_NULL,
            "sections": {
                "type": "array",
                "items": _obj(
                    {
                        "emoji": _LINE_OR_NULL,
                        "title": _LINE,
                        "declared_insights": _INT_OR_NULL,
                        "insights": {
                            "type": "array",
                            "items": _obj({"title": _LINE, "text": _TEXT}),
                        },
                    }
                ),
            },
            "bottom_line": _TEXT_OR_NULL,
            "related_channel": _LINE_OR_NULL,
            "related": {
                "type": "array",
                "items": _obj(
                    {
                        "title": _LINE_OR_NULL,
                        "show": _LINE_OR_NULL,
                        "duration": _LINE_OR_NULL,
                        "duration_seconds": _INT_OR_NULL,
                        "channel": _LINE_OR_NULL,
                        "description": _TEXT_OR_NULL,
                        "age": _LINE_OR_NULL,
                        "points": _INT_OR_NULL,
                    }
                ),
            },
            "extra_lines": {"type": "array", "items": _LINE},
            "warnings": {
                "type": "array",
                "items": _obj(
                    {
                        "code": {"type": "string", "pattern": "^[a-z]+(-[a-z]+)*$"},
                        "message": {"type": "string"},
                        "line": {"type": ["integer", "null"], "minimum": 1},
                    }
                ),
            },
            "source": _obj(
                {
                    "kind": {"enum": ["text", "html", "url", "markdown", "json"]},
                    "location": _STR_OR_NULL,
                    "sha256": {"type": "string"},
                    "encoding": {"type": "string"},
                }
            ),
        }
    ),
}
