"""Front matter: libyaml's safe dumper against PyYAML's pure one, on every fixture page's
front matter (the same text either way; tests/test_notes.py checks it), measured in
alternating rounds.

    .venv/bin/python benchmarks/front_matter.py
"""

from __future__ import annotations

import sys
import timeit
from pathlib import Path
from typing import Any

import yaml

import podsum
from podsum.render.markdown import front_matter, yaml_dumper

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"

OPTIONS: dict[str, Any] = {"allow_unicode": True, "sort_keys": False, "width": 2**31 - 1}


def main() -> None:
    if not yaml.__with_libyaml__:
        sys.exit("PyYAML was built without libyaml: nothing to compare")
    fronts = []
    pages = [p for p in FIXTURES.glob("*/*") if p.suffix in (".txt", ".html")]
    for page in sorted(p for p in pages if p.parent.name != "negative"):
        text = front_matter(podsum.parse(page.read_bytes()))
        fronts.append(yaml.safe_load(text[4:-4]))
    fast = [fm for fm in fronts if yaml_dumper(fm) is yaml.CSafeDumper]

    def dump_all(dumper: Any) -> None:
        for fm in fast:
            yaml.dump(fm, Dumper=dumper, **OPTIONS)

    pure = c = float("inf")
    for _ in range(5):
        pure = min(pure, timeit.timeit(lambda: dump_all(yaml.SafeDumper), number=10))
        c = min(c, timeit.timeit(lambda: dump_all(yaml.CSafeDumper), number=10))
    each = 10 * len(fast)
    print(f"{len(fast)} of {len(fronts)} fixture front matters go through libyaml")
    print(f"pure PyYAML {pure / each * 1e6:.0f} µs each, libyaml {c / each * 1e6:.0f} µs each")
    print(f"libyaml: {c / pure:.2f}x the time of the pure dumper")


if __name__ == "__main__":
    main()
