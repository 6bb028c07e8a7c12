"""atheris fuzz target for podsum.parse and every renderer.

    make fuzz                       # 60 seconds, corpus seeded from tests/fixtures
    .venv/bin/python fuzz/fuzz_parse.py -max_total_time=600 fuzz/corpus

Any exception other than podsum.ParseError, or a ParseError that reports an internal
error, is a crash; atheris saves the input that caused it as crash-<hash>.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    import podsum


def test_one_input(data: bytes) -> None:
    try:
        s = podsum.parse(data)
    except podsum.ParseError as exc:
        if str(exc).startswith("internal error"):
            raise
        return
    for fmt in ("json", "text", "md", "cards"):
        out = podsum.render(s, fmt)
        if "\x1b" in out:
            raise AssertionError(f"escape character in {fmt} output")
    if podsum.parse(podsum.render(s, "md")).id != s.id:
        raise AssertionError("Markdown round trip changed the id")


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
