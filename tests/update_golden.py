"""Regenerate tests/fixtures/<layout>/*.json from the pages beside them.

Run only when the parser changes on purpose, then review `git diff tests/fixtures` line
by line: the expected files are the spec, not a snapshot to wave through.

    .venv/bin/python tests/update_golden.py [NAME...]     (NAME: a case or a layout)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import podsum

FIXTURES = Path(__file__).parent / "fixtures"
PAGE_SUFFIXES = (".txt", ".html")


def pages() -> list[Path]:
    return sorted(
        p for p in FIXTURES.glob("*/*") if p.suffix in PAGE_SUFFIXES and p.parent.name != "negative"
    )


def expected_record(page: Path) -> dict[str, object]:
    return podsum.parse(page.read_bytes()).to_dict()


if __name__ == "__main__":
    wanted = set(sys.argv[1:])
    for page in pages():
        if wanted and page.stem not in wanted and page.parent.name not in wanted:
            continue
        out = page.with_suffix(".json")
        out.write_text(
            json.dumps(expected_record(page), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
        print(f"wrote {out.relative_to(FIXTURES.parent.parent)}")
