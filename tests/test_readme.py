"""The README's examples of the sites podsum reads run as written and print what the
README says they print."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def _examples(heading: str) -> list[tuple[str, str]]:
    """(command, expected output) for each ``$ `` line in the console block under
    ``heading``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    block = section[section.index("```console\n") + 11 :]
    block = block[: block.index("```")]
    out: list[tuple[str, str]] = []
    for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
        command, _, expected = chunk.partition("\n")
        out.append((command, expected))
    return out


SITE_EXAMPLES = _examples("## The sites podsum reads")


@pytest.mark.skipif(shutil.which("jq") is None, reason="the README's examples use jq")
@pytest.mark.parametrize(("command", "expected"), SITE_EXAMPLES, ids=[c for c, _ in SITE_EXAMPLES])
def test_site_examples_print_what_the_readme_says(command: str, expected: str) -> None:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    env.pop("NO_COLOR", None)
    proc = subprocess.run(
        ["bash", "-c", "{ " + command + "\n} 2>&1"],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.stdout.decode() == expected


def test_the_readme_has_an_example_for_every_layout() -> None:
    from podsum.read import LAYOUTS

    shown = {m for c, _ in SITE_EXAMPLES for m in re.findall(r"tests/fixtures/(\w+)/", c)}
    assert shown >= set(LAYOUTS)
