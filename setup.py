"""Build hook: compile the parser's hot modules with mypyc, or fall back to pure Python.

Everything else about the package is in pyproject.toml. The compiled modules are the
same source, checked by ``mypy --strict``; they parse about twice as fast (see
benchmarks/RESULTS.md). Set PODSUM_PURE_PYTHON=1 to skip compiling; a machine without a
C compiler gets the pure-Python package automatically.
"""

from __future__ import annotations

import os

from setuptools import Extension, setup

# The parser's hot path: text plumbing, the record, the readers and their registry.
COMPILED = [
    "decode",
    "textparser",
    "values",
    "repair",
    "model",
    "caps",
    "api",
    "read/__init__",
    "read/_page",
    "read/_blocks",
    "read/atmes",
    "read/better",
    "read/signalcast",
    "read/longcut",
    "read/ulisten",
    "read/podwave",
    "read/youtubeds",
    "read/scripod",
    "read/episodenotes",
    "read/generic",
]


def ext_modules() -> list[Extension]:
    if os.environ.get("PODSUM_PURE_PYTHON"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        return []
    # The build environment has mypy but not podsum's dependencies: their imports are
    # typed as Any here (``mypy --strict`` with everything installed is run by the tests).
    flags = ["--ignore-missing-imports", "--follow-imports=silent"]
    try:
        modules = mypycify(flags + [f"src/podsum/{n}.py" for n in COMPILED], opt_level="3")
    except (Exception, SystemExit) as exc:  # mypyc refused: ship pure Python
        print(f"podsum: not compiling with mypyc ({exc!r}); using pure Python")
        return []
    for ext in modules:
        ext.optional = True  # a failed compile leaves the pure-Python module in place
    return modules


setup(ext_modules=ext_modules())
