"""`podsum layouts` and `--layout NAME` on parse, show and ingest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import podsum
from conftest import FIXTURES, SEED
from podsum.cli import app
from podsum.read import LAYOUTS

runner = CliRunner()
GENERIC_PAGE = """Notes on Deep Sleep | The Rest Show

Summary
Deep sleep clears the brain and consolidates memory; most adults get too little.

Key Takeaways
- Timing: Keep a fixed wake time.
- Light: Morning light sets the clock.
"""


def test_layouts_lists_every_reader_with_its_markers() -> None:
    result = runner.invoke(app, ["layouts"])
    assert result.exit_code == 0
    names = [ln.split()[0] for ln in result.output.splitlines() if not ln.startswith(" ")]
    assert names == list(LAYOUTS)
    assert "| Category | date | views | duration" in result.output


def test_layouts_as_json() -> None:
    result = runner.invoke(app, ["layouts", "--format", "json"])
    items = json.loads(result.output)
    assert [x["name"] for x in items] == list(LAYOUTS)
    assert all(set(x) == {"name", "description", "markers"} for x in items)


@pytest.mark.parametrize("command", ["parse", "show", "ingest"])
def test_unknown_layout_is_a_usage_error_naming_the_layouts(command: str) -> None:
    result = runner.invoke(app, [command, "--layout", "nosuch", str(SEED)])
    assert result.exit_code == 2
    assert "nosuch" in result.output and ", ".join(LAYOUTS) in result.output


def test_forcing_the_right_layout_changes_nothing() -> None:
    plain = runner.invoke(app, ["parse", str(SEED)])
    forced = runner.invoke(app, ["parse", "--layout", "atmes", str(SEED)])
    assert forced.exit_code == 0 and forced.output == plain.output


def test_forcing_a_layout_the_page_is_not_in_refuses_it(tmp_path: Path) -> None:
    page = tmp_path / "notes.txt"
    page.write_text(GENERIC_PAGE, encoding="utf-8")
    result = runner.invoke(app, ["parse", "--layout", "atmes", str(page)])
    assert result.exit_code == 1
    assert result.output.startswith(f"podsum: {page}: ")


def test_ingest_with_a_forced_layout(tmp_path: Path) -> None:
    lib = tmp_path / "lib.db"
    result = runner.invoke(app, ["ingest", "--layout", "atmes", "--library", str(lib), str(SEED)])
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output


def test_cards_show_the_transcript_only_when_asked() -> None:
    page = FIXTURES / "longcut" / "hhmmss-past-length.txt"
    transcript = podsum.parse(page.read_bytes()).transcript
    assert transcript is not None
    opening = " ".join(transcript.split()[:6])
    plain = runner.invoke(app, ["show", "--width", "200", str(page)])
    asked = runner.invoke(app, ["show", "--width", "200", "--transcript", str(page)])
    assert plain.exit_code == asked.exit_code == 0
    assert opening not in plain.output
    assert opening in asked.output
