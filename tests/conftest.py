from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import podsum
from podsum.schema import RECORD_SCHEMA

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
ATMES = FIXTURES / "atmes"
NEGATIVE = FIXTURES / "negative"  # pages that are not summaries: refused, or generic
SEED = ROOT / "samples" / "bg2-china-open-source.txt"
_VALIDATOR = Draft202012Validator(RECORD_SCHEMA)


def valid(record: dict[str, Any]) -> dict[str, Any]:
    """Every record a test makes goes through the published schema."""
    errors = sorted(_VALIDATOR.iter_errors(record), key=lambda e: list(e.path))
    assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    return record


def record_of(data: str | bytes) -> dict[str, Any]:
    return valid(podsum.parse(data).to_dict())


def page_id(page: Path) -> str:
    """A fixture's test id: ``<layout>/<case>`` (case names repeat across layouts)."""
    return f"{page.parent.name}/{page.name}"


def fixture_pages(layout: str = "*") -> list[Path]:
    """Golden pages: tests/fixtures/<layout>/<case>.txt|.html, each beside its .json."""
    return sorted(
        p
        for p in FIXTURES.glob(f"{layout}/*")
        if p.suffix in (".txt", ".html") and p.parent != NEGATIVE
    )


@pytest.fixture(autouse=True)
def _isolated_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test ever touches a real home: the library lives in the test's tmp dir."""
    lib = tmp_path / "library.db"
    monkeypatch.setenv("PODSUM_LIBRARY", str(lib))
    return lib


def run_cli(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    """The real `podsum` in a subprocess, as a user runs it (stdout piped)."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "podsum", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=full_env,
        timeout=timeout,
        cwd=ROOT,
    )
