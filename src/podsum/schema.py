"""The JSON Schema (draft 2020-12) of the record, SPEC section 2; `podsum schema`.

Derived from the dataclasses in ``model`` (the one place the record's shape is written):
each field's type hint gives its JSON type, and the few rules a type cannot say (text
that may hold paragraphs, the date's form, enumerations) are listed below.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import types
import typing
from importlib import resources
from typing import Any

from . import model

# No control characters in text; newline only in fields that may hold paragraphs
# (model.MULTILINE_FIELDS).
_TEXT: dict[str, Any] = {
    "type": "string",
    "pattern": "^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f]*$",
}
_LINE: dict[str, Any] = {"type": "string", "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"}
_OVERRIDES: dict[str, dict[str, Any]] = {
    "Summary.published": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
    "Summary.layout": {"type": "string", "pattern": "^[a-z]+$"},
    "Summary.url": {"type": "string"},
    "Person.role": {"enum": ["host", "guest"]},
    "ParseWarning.code": {"type": "string", "pattern": "^[a-z]+(-[a-z]+)*$"},
    "ParseWarning.message": {"type": "string"},
    "ParseWarning.line": {"type": "integer", "minimum": 1},
    "Source.kind": {"enum": ["text", "html", "url", "markdown", "json"]},
    "Source.location": {"type": "string"},
    "Source.sha256": {"type": "string"},
    "Source.encoding": {"type": "string"},
}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "enum" in schema:
        return {"enum": [*schema["enum"], None]}
    if set(schema) <= {"type", "minimum"}:
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def _field(owner: type, name: str, hint: Any) -> dict[str, Any]:
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) and type(None) in args:
        (inner,) = (a for a in args if a is not type(None))
        return _nullable(_field(owner, name, inner))
    key = f"{owner.__name__}.{name}"
    if key in _OVERRIDES:
        return _OVERRIDES[key]
    if typing.get_origin(hint) is list:
        return {"type": "array", "items": _field(owner, name, args[0])}
    if hint is str:
        return _TEXT if name in model.MULTILINE_FIELDS else _LINE
    if hint is int:
        return {"type": "integer", "minimum": 0}
    if dataclasses.is_dataclass(hint):
        return _object(typing.cast(type, hint))
    raise TypeError(f"no JSON Schema for {key}: {hint!r}")


@functools.cache
def _source_annotations() -> dict[str, dict[str, str]]:
    """Class -> field -> annotation, as written in model.py.

    Read from the source because mypyc, which compiles ``model``, erases the annotations
    of the classes it compiles (``str | None`` becomes ``type``).
    """
    source = resources.files(__package__).joinpath("model.py").read_text(encoding="utf-8")
    return {
        node.name: {
            item.target.id: ast.unparse(item.annotation)
            for item in node.body
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
        }
        for node in ast.parse(source).body
        if isinstance(node, ast.ClassDef)
    }


def _hints(cls: type) -> dict[str, Any]:
    written = type(cls.__name__, (), {"__annotations__": _source_annotations()[cls.__name__]})
    return typing.get_type_hints(written, vars(model))


def _object(cls: type, head: dict[str, Any] | None = None) -> dict[str, Any]:
    hints = _hints(cls)
    props = dict(head or {})
    props.update((f.name, _field(cls, f.name, hints[f.name])) for f in dataclasses.fields(cls))
    return {
        "type": "object",
        "properties": props,
        "required": list(props),
        "additionalProperties": False,
    }


def _record_schema() -> dict[str, Any]:
    body = _object(
        model.Summary,
        {
            "schema_version": {"const": model.SCHEMA_VERSION},
            "id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
        },
    )
    # Properties in the record's own order (the order ``to_dict`` writes).
    order = model.Summary(title="", source=model.Source("text", None, "", "")).to_dict()
    body["properties"] = {k: body["properties"][k] for k in order}
    body["required"] = list(order)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://podsum.invalid/schema/record-v{model.SCHEMA_VERSION}.json",
        "title": "podsum summary record",
        "description": f"One summary page, parsed. Schema version {model.SCHEMA_VERSION}.",
        **body,
    }


RECORD_SCHEMA: dict[str, Any] = _record_schema()
