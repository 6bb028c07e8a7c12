"""How big a library is next to the pages it holds.

Every golden page (tests/fixtures/<layout>/*.txt, *.html) is ingested COPIES times,
each copy a summary of its own (the title gets " #k.i", so no two are one summary); the ratio is
the library file's size over the bytes of the pages it was made from. The file is
measured closed (its write-ahead log checkpointed), as it sits on disk.

    .venv/bin/python benchmarks/library_size.py [COPIES] [--text-only] [--samples]
    .venv/bin/python benchmarks/library_size.py --page samples/bg2-china-open-source.txt 100000

--samples measures the pages in samples/ instead (real pages, several times bigger
than the golden ones, whose fixed cost per summary weighs less). --page PATH measures
COPIES summaries of that one page (each with its own title), written 2,000 to a
transaction as ingest writes them: the library at scale for pages of that size.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

import podsum  # noqa: E402
from conftest import fixture_pages  # noqa: E402
from podsum.db import Library  # noqa: E402


def _table_bytes(path: Path) -> dict[str, int]:
    """Bytes per table and index (with FTS5's shadow tables), if dbstat is compiled in."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    except sqlite3.Error:
        return {}
    finally:
        conn.close()
    return {name: size for name, size in rows}


def _readable(path: Path) -> bool:
    try:
        podsum.parse(path.read_bytes())
    except podsum.ParseError:
        return False
    return True


def _report(batches: Iterable[list[podsum.Summary]], page_bytes: int) -> dict[str, float]:
    """A library made of ``batches`` (each one transaction, as ingest writes them): its
    size closed, against ``page_bytes``, and its biggest tables."""
    pages = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "library.db"
        with Library(path) as lib:
            for batch in batches:
                result = lib.add(batch)
                assert result.new == len(batch), result
                pages += len(batch)
        size = path.stat().st_size
        tables = _table_bytes(path)
    out: dict[str, float] = {
        "pages": pages,
        "page_bytes": page_bytes,
        "library_bytes": size,
        "ratio": size / page_bytes,
    }
    for name, n in sorted(tables.items(), key=lambda t: -t[1])[:8]:
        out[f"  {name}"] = n
    return out


def measure(copies: int, text_only: bool, samples: bool = False) -> dict[str, float]:
    found = sorted((ROOT / "samples").iterdir()) if samples else fixture_pages()
    pages = [p for p in found if _readable(p) and not (text_only and p.suffix == ".html")]
    parsed = [(podsum.parse(p.read_bytes(), location=str(p)), p.stat().st_size) for p in pages]

    def batches() -> Iterator[list[podsum.Summary]]:
        for k in range(copies):
            batch = []
            for i, (s, _) in enumerate(parsed):
                s.title = f"{s.title.split(' #')[0]} #{k}.{i}"
                batch.append(s)
            yield batch

    return _report(batches(), copies * sum(size for _, size in parsed))


def measure_page(page: Path, copies: int) -> dict[str, float]:
    data = page.read_bytes()
    location = str(page.resolve())
    title = podsum.parse(data, location=location).title

    def batches() -> Iterator[list[podsum.Summary]]:
        for start in range(0, copies, 2000):
            batch = []
            for k in range(start, min(start + 2000, copies)):
                s = podsum.parse(data, location=location)
                s.title = f"{title} #{k}"
                batch.append(s)
            yield batch

    return _report(batches(), len(data) * copies)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("copies", nargs="?", type=int, default=100)
    ap.add_argument("--text-only", action="store_true", help="leave the HTML pages out")
    ap.add_argument("--samples", action="store_true", help="the pages in samples/")
    ap.add_argument("--page", type=Path, help="COPIES summaries of this one page")
    args = ap.parse_args()
    found = (
        measure_page(args.page, args.copies)
        if args.page
        else measure(args.copies, args.text_only, args.samples)
    )
    for key, value in found.items():
        print(f"{key:28} {value:,.3f}" if isinstance(value, float) else f"{key:28} {value:,}")


if __name__ == "__main__":
    main()
