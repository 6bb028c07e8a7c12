"""What is shipped: the licence, an sdist that carries its own tests, and a --version
that says how the parser was built."""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import tomllib

import podsum
from conftest import ROOT, run_cli


def test_the_licence_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text


def _shipped(folder: str) -> set[str]:
    """The files under ``folder`` an sdist must carry (caches and build output aside)."""
    skip = {"__pycache__", "corpus", ".pytest_cache", ".hypothesis"}
    return {
        str(p.relative_to(ROOT))
        for p in (ROOT / folder).rglob("*")
        if p.is_file()
        and not skip & set(p.relative_to(ROOT).parts)
        and not p.name.endswith((".so", ".pyc"))
        and not p.name.startswith("crash-")
    }


def test_the_sdist_runs_its_own_tests(tmp_path: Path) -> None:
    env = {**os.environ, "PODSUM_PURE_PYTHON": "1"}  # an sdist needs no compiled modules
    build = subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (sdist,) = tmp_path.glob("podsum-*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
        tar.extractall(tmp_path, filter="data")
    expected = {"LICENSE", "README.md", "Makefile", "pyproject.toml", "setup.py"}
    for folder in ("tests", "samples", "benchmarks", "src/podsum"):
        expected |= _shipped(folder)
    assert expected <= names, sorted(expected - names)[:10]
    assert not any(n.endswith(".so") or "__pycache__" in n for n in names)
    # pytest, from the unpacked sdist, on its own copy of podsum (pure Python).
    unpacked = tmp_path / sdist.name.removesuffix(".tar.gz")
    tests = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-x",
            "tests/test_golden.py",
            "tests/test_values.py",
            "tests/test_packaging.py::test_version_of_pure_python",
        ],
        capture_output=True,
        text=True,
        cwd=unpacked,
        env={**env, "PYTHONPATH": str(unpacked / "src")},
        timeout=600,
    )
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert " passed in " in tests.stdout.splitlines()[-1]


def _version_lines(env: dict[str, str] | None = None) -> list[str]:
    proc = run_cli("--version", env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode().splitlines()


def test_version_says_how_the_parser_runs() -> None:
    package = Path(podsum.__file__).parent
    compiled = any(p.name.endswith(tuple(EXTENSION_SUFFIXES)) for p in package.glob("api.*"))
    assert _version_lines() == [
        f"podsum {podsum.__version__}",
        f"parser: {'compiled (mypyc)' if compiled else 'pure Python'}",
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
    ]


def test_version_of_pure_python(tmp_path: Path) -> None:
    """The package without its compiled modules, as installed without a C compiler."""
    shutil.copytree(
        Path(podsum.__file__).parent,
        tmp_path / "podsum",
        ignore=shutil.ignore_patterns("*.so", "__pycache__"),
    )
    lines = _version_lines({"PYTHONPATH": str(tmp_path)})
    assert lines[1] == "parser: pure Python"
