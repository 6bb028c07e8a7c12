"""Write <page>.innertext beside each HTML fixture: what Chromium's innerText gives.

An oracle for podsum's HTML front end, not part of CI (it needs Debian's chromium):

    apt-get install chromium
    .venv/bin/python tests/oracle/innertext.py             (tests/fixtures/*/*.html)
    .venv/bin/python tests/oracle/innertext.py --snippets  (test_html.CHROMIUM_SNIPPETS)

The tests then check that podsum's lines for every HTML page are the browser's, and that
both parse to the same id; ``--snippets`` checks the small cases test_html.py asserts.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import tempfile
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# Runs after the page's own scripts, replaces the document with its innerText.
PROBE = (
    "<script>window.addEventListener('load', () => {"
    " const t = document.body.innerText;"
    " document.documentElement.innerHTML = '<body><pre id=podsum-oracle></pre></body>';"
    " document.getElementById('podsum-oracle').textContent = t; });</script>"
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=2000",
    "--dump-dom",
]


def inner_text(page: Path) -> str:
    data = page.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / page.name
        probe.write_bytes(data + PROBE.encode("ascii"))
        out = subprocess.run(
            ["chromium", *FLAGS, f"--user-data-dir={tmp}/profile", probe.as_uri()],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode("utf-8")
    m = re.search(r'<pre id="podsum-oracle">(.*?)</pre>', out, re.DOTALL)
    if not m:
        sys.exit(f"{page.name}: no oracle output")
    return html.unescape(m.group(1))


def check_snippets() -> int:
    """Chromium's innerText of each snippet, against what test_html.py expects."""
    sys.path[:0] = [str(FIXTURES.parent)]
    from test_html import CHROMIUM_SNIPPETS

    wrong = 0
    with tempfile.TemporaryDirectory() as tmp:
        for n, (snippet, expected) in enumerate(CHROMIUM_SNIPPETS):
            page = Path(tmp) / f"snippet{n}.html"
            page.write_text(f"<!DOCTYPE html><meta charset=utf-8><body>{snippet}", encoding="utf-8")
            got = inner_text(page).strip("\n")  # the body's own line breaks, at either end
            if got != expected:
                wrong += 1
                print(f"{snippet!r}: Chromium {got!r}, test expects {expected!r}")
    print(f"{len(CHROMIUM_SNIPPETS) - wrong} of {len(CHROMIUM_SNIPPETS)} snippets agree")
    return 1 if wrong else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--snippets"]:
        sys.exit(check_snippets())
    for page in sorted(FIXTURES.glob("*/*.html")):
        target = page.with_suffix(".innertext")
        target.write_text(inner_text(page), encoding="utf-8")
        print(f"wrote {target.name}")
