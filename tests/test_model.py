"""The record's classes: each written-out ``__init__`` takes exactly its dataclass
fields, in order, with the same defaults, and gives every instance its own lists."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path
from typing import Any

import pytest

from podsum import model

SOURCE = model.Source("text", None, "0" * 64, "utf-8")
# Each class and a value for each of its fields without a default.
REQUIRED: dict[type, dict[str, Any]] = {
    model.Timestamp: {"at": "03:15", "seconds": 195},
    model.Insight: {"title": None, "text": "x"},
    model.Section: {"emoji": None, "title": "t", "declared_insights": 2},
    model.Person: {"name": "Ada"},
    model.Chapter: {"title": "Intro"},
    model.Related: {},
    model.ParseWarning: {"code": "c", "message": "m"},
    model.Source: {"kind": "text", "location": None, "sha256": "0", "encoding": "utf-8"},
    model.Summary: {"title": "t", "source": SOURCE},
}


def _classes() -> dict[str, ast.ClassDef]:
    # The source, not inspect: a compiled __init__ shows no signature.
    tree = ast.parse(Path(model.__file__).with_name("model.py").read_text("utf-8"))
    return {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}


@pytest.mark.parametrize("cls", REQUIRED, ids=lambda c: c.__name__)
def test_init_takes_the_fields_in_order(cls: type) -> None:
    node = _classes()[cls.__name__]
    init = next(
        n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"
    )
    names = [a.arg for a in init.args.args[1:]]
    defaults = [ast.literal_eval(d) for d in init.args.defaults]
    defaults = [dataclasses.MISSING] * (len(names) - len(defaults)) + defaults
    fields = dataclasses.fields(cls)
    assert names == [f.name for f in fields]
    for default, f in zip(defaults, fields, strict=True):
        if f.default_factory is not dataclasses.MISSING:
            assert f.default_factory is list and default is None, f.name
        else:
            assert default == f.default, f.name


@pytest.mark.parametrize("cls", REQUIRED, ids=lambda c: c.__name__)
def test_defaults_are_the_dataclass_defaults(cls: type) -> None:
    required = REQUIRED[cls]
    a, b = cls(**required), cls(**required)
    for f in dataclasses.fields(cls):
        value = getattr(a, f.name)
        if f.default_factory is list:
            assert value == [] and value is not getattr(b, f.name), f.name
        elif f.default is not dataclasses.MISSING:
            assert value == f.default, f.name
        else:
            assert value == required[f.name], f.name
    assert a == b and dataclasses.replace(a) == a


def test_a_parsed_record_survives_pickling_and_copying() -> None:
    """Worker processes send records to each other: every class of the record comes
    back equal (and a deep copy shares nothing)."""
    import copy
    import pickle

    import podsum
    from conftest import fixture_pages

    for page in fixture_pages():
        s = podsum.parse(page.read_bytes(), location=str(page))
        back = pickle.loads(pickle.dumps(s))
        assert back == s and back.to_dict() == s.to_dict()
        deep = copy.deepcopy(s)
        assert deep == s and deep.sections is not s.sections
    for cls, required in REQUIRED.items():
        one = cls(**required)
        assert pickle.loads(pickle.dumps(one)) == one
