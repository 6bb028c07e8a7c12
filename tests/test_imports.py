"""Heavy modules stay out of the paths that do not need them (measured: issue 5)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ATMES

HEAVY = ("rich", "lxml", "requests", "ftfy", "yaml", "charset_normalizer", "jsonschema")


def _loaded_after(code: str) -> set[str]:
    probe = f"""
import sys
{code}
print(" ".join(sorted({{m.split(".")[0] for m in sys.modules}})))
"""
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_parsing_a_clean_page_loads_nothing_heavy() -> None:
    page = ATMES / "crlf-nbsp-doubled-blanks.txt"
    loaded = _loaded_after(f"import podsum; podsum.parse(open({str(page)!r}, 'rb').read())")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_clean_mojibake_needs_no_ftfy_but_partial_damage_does() -> None:
    page = ATMES / "mojibake-windows-1252.txt"
    loaded = _loaded_after(f"import podsum; podsum.parse(open({str(page)!r}, 'rb').read())")
    assert "ftfy" not in loaded  # whole runs are undone by the fast path
    damaged = "Dinner Ã la carte | Food Show\n| Food | Jul 4, 2024 | 5 views | 1:00\n"
    loaded = _loaded_after(
        f"import podsum; s = podsum.parse({damaged!r}); assert s.title == 'Dinner à la carte'"
    )
    assert "ftfy" in loaded
    assert not loaded & {"rich", "lxml", "requests", "yaml"}


def test_json_and_text_rendering_need_no_rich() -> None:
    page = ATMES / "crlf-nbsp-doubled-blanks.txt"
    loaded = _loaded_after(
        f"import podsum; s = podsum.parse(open({str(page)!r}, 'rb').read()); "
        "podsum.render(s, 'json'); podsum.render(s, 'text')"
    )
    assert not loaded & set(HEAVY)
