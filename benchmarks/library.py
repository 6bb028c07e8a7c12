"""podsum's library at scale: each command's cost at 10,000 summaries and at a large
size, side by side, and the memory of ingest and export.

    make bench-library                    # or: .venv/bin/python benchmarks/library.py
    .venv/bin/python benchmarks/library.py --size 1000000 --write

Both libraries are built here through the real command line (``podsum ingest`` of a
folder of synthetic pages, benchmarks/synthetic.py: every layout's fixture pages with
their titles, shows and prose words varied, so that every summary is distinct). Query
commands run as subprocesses, small and large in alternation, and the median of
``--runs`` is taken; the process start (~0.15 s) is in every figure, as the user pays it.
Peak memory is the resident memory of podsum and all its worker processes, sampled.
--write updates the "library at scale" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import _tree_rss_kb, machine  # noqa: E402
from synthetic import COMMON_WORD, Pages, rare_word, show_name, write_pages  # noqa: E402

PODSUM = str(Path(sys.executable).parent / "podsum")
SECTION = "## The library at scale"
RARE_PAGE = 4242  # its title's rare word is in no other page; below every size measured
SHOW_INDEX = 7


@dataclass
class Ran:
    seconds: float
    cpu: float  # user + system seconds of the process and all its children
    peak_mb: float
    stdout: str


def run(args: list[str], *, sample: bool = True) -> Ran:
    """One podsum command; its wall time, CPU time and peak memory (all processes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen([PODSUM, *args], stdout=out, stderr=subprocess.PIPE)
        peak = 0
        while proc.poll() is None:
            if sample:
                peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.05 if sample else 0.005)
        seconds = time.perf_counter() - start
        err = proc.stderr.read().decode() if proc.stderr else ""
        if proc.returncode != 0:
            raise SystemExit(f"podsum {' '.join(args)} failed ({proc.returncode}): {err[-2000:]}")
        out.seek(0)
        stdout = out.read().decode()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Ran(seconds, cpu, peak / 1024, stdout)


def timed(args: list[str]) -> float:
    """Wall seconds of a short command (no memory sampling, which would cost more)."""
    start = time.perf_counter()
    subprocess.run(
        [PODSUM, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
    )
    return time.perf_counter() - start


def library_bytes(lib: Path) -> int:
    return sum(p.stat().st_size for p in lib.parent.glob(lib.name + "*") if p.is_file())


@dataclass
class Library:
    path: Path
    summaries: int
    page_bytes: int  # of the pages it was made from
    build: Ran


@dataclass
class Results:
    small: Library
    large: Library
    empty_runs: list[Ran]  # the last pages into an empty library, before and after
    into_large: Ran  # the same pages into the large library
    queries: list[tuple[str, float, float, float]]
    exports: dict[str, Ran]
    jsonl_ingest: Ran
    jsonl_mb: float
    sizes: dict[str, int] = field(default_factory=dict)


def ingest(lib: Path, *sources: Path | str, extra: tuple[str, ...] = ()) -> Ran:
    return run(["ingest", "-q", "--library", str(lib), *extra, *map(str, sources)])


def count(lib: Path) -> int:
    out = subprocess.run(
        [PODSUM, "list", "--library", str(lib), "--limit", "0", "--format", "jsonl"],
        capture_output=True,
        check=True,
    ).stdout
    return out.count(b"\n")


QUERIES: list[tuple[str, Callable[[str], list[str]], float]] = [
    ("`list --limit 20`", lambda lib: ["list", "--library", lib, "--limit", "20"], 1.2),
    (
        "`list --show NAME`",
        lambda lib: ["list", "--library", lib, "--show", show_name(SHOW_INDEX)],
        1.2,
    ),
    ("`list --sort views`", lambda lib: ["list", "--library", lib, "--sort", "views"], 1.2),
    ("`search RARE`", lambda lib: ["search", "--library", lib, rare_word(RARE_PAGE)], 1.2),
    ("`search COMMON`", lambda lib: ["search", "--library", lib, COMMON_WORD], 3.0),
    ("`show PREFIX`", lambda lib: ["show", "--library", lib, "PREFIX"], 1.2),
]


def queries(
    small: Library, large: Library, prefix: str, runs: int
) -> list[tuple[str, float, float, float]]:
    """(what, small ms, large ms, target growth), medians of ``runs``, interleaved."""
    out = []
    for name, args, target in QUERIES:
        times: dict[str, list[float]] = {"small": [], "large": []}
        for _ in range(runs):
            for key, lib in (("small", small), ("large", large)):
                cmd = [prefix if a == "PREFIX" else a for a in args(str(lib.path))]
                times[key].append(timed(cmd))
        out.append(
            (
                name,
                statistics.median(times["small"]) * 1e3,
                statistics.median(times["large"]) * 1e3,
                target,
            )
        )
    return out


def export(lib: Path, fmt: str, out: Path) -> Ran:
    shutil.rmtree(out, ignore_errors=True)
    ran = run(["export", "--library", str(lib), "--format", fmt, "--out", str(out)])
    shutil.rmtree(out, ignore_errors=True)
    return ran


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000, help="the large library's pages")
    parser.add_argument("--small", type=int, default=10_000, help="the small library's pages")
    parser.add_argument("--last", type=int, default=10_000, help="pages ingested last")
    parser.add_argument("--runs", type=int, default=9, help="runs of each query command")
    parser.add_argument("--tmp", default=None, help="work folder (default: a temporary one)")
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args()
    if args.small % 1000 or args.size % 1000 or args.small > args.size or args.small <= RARE_PAGE:
        parser.error("sizes are multiples of 1,000, small <= size, and above 4,242")
    with tempfile.TemporaryDirectory(dir=args.tmp, prefix="podsum-bench-") as tmp:
        results = measure(Path(tmp), args)
    report = render(results, args)
    print(report)
    if args.write:
        write_section(report)


def measure(tmp: Path, args: argparse.Namespace) -> Results:
    pages = Pages()
    say = lambda text: print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)  # noqa: E731
    say(f"writing {args.size + args.last:,} pages ({len(pages.templates)} fixture pages varied)")
    folder, last = tmp / "pages", tmp / "last"
    small_bytes = write_pages(folder, range(args.small), pages)
    large_bytes = small_bytes + write_pages(folder, range(args.small, args.size), pages)
    last_bytes = write_pages(last, range(args.size, args.size + args.last), pages)
    prefix = _id_prefix(pages)

    say(f"ingesting {args.small:,} pages (small library)")
    shards = sorted(folder.iterdir())[: args.small // 1000]
    small = Library(tmp / "small.db", args.small, small_bytes, ingest(tmp / "small.db", *shards))
    say(f"ingesting {args.size:,} pages (large library)")
    large = Library(tmp / "large.db", args.size, large_bytes, ingest(tmp / "large.db", folder))

    say(f"ingesting the last {args.last:,} pages: into empty, into the large library, into empty")
    empty_runs = [ingest(tmp / "empty-1.db", last)]
    into_large = ingest(large.path, last)
    empty_runs.append(ingest(tmp / "empty-2.db", last))
    large.summaries += args.last
    large.page_bytes += last_bytes
    for lib in (small, large):
        found = count(lib.path)
        assert found == lib.summaries, (lib.path, found, lib.summaries)

    say("query commands, small and large in turn")
    rows = queries(small, large, prefix, args.runs)

    say("exports")
    exports: dict[str, Ran] = {}
    for lib, key in ((small, "small"), (large, "large")):
        for fmt in ("jsonl", "md"):
            exports[f"{key}_{fmt}"] = export(lib.path, fmt, tmp / f"out-{key}-{fmt}")
    say("JSON Lines: the large library exported, then ingested into an empty one")
    dump = tmp / "dump"
    shutil.rmtree(dump, ignore_errors=True)
    run(
        ["export", "--library", str(large.path), "--format", "jsonl", "--out", str(dump)],
        sample=False,
    )
    jsonl = dump / "summaries.jsonl"
    jsonl_ingest = ingest(
        tmp / "from-jsonl.db", jsonl, extra=("--max-bytes", str(jsonl.stat().st_size + 1))
    )
    assert count(tmp / "from-jsonl.db") == large.summaries
    return Results(
        small,
        large,
        empty_runs,
        into_large,
        rows,
        exports,
        jsonl_ingest,
        jsonl.stat().st_size / 1e6,
        {"small": library_bytes(small.path), "large": library_bytes(large.path)},
    )


def _id_prefix(pages: Pages) -> str:
    import podsum

    return podsum.parse(pages.text(RARE_PAGE)).id[:6]


def render(r: Results, args: argparse.Namespace) -> str:
    small, large, empty_runs, into_large = r.small, r.large, r.empty_runs, r.into_large
    rows, exports, jsonl_ingest, sizes = r.queries, r.exports, r.jsonl_ingest, r.sizes

    def mark(ok: bool) -> str:
        return "met" if ok else "**missed**"

    n_small, n_large = f"{small.summaries:,}", f"{large.summaries:,}"
    table = [
        f"| what | {n_small} | {n_large} | growth | target | |",
        "|---|---|---|---|---|---|",
    ]
    for name, a, b, target in rows:
        table.append(
            f"| {name} | {a:.0f} ms | {b:.0f} ms | **{b / a:.2f}x** | <= {target:g}x |"
            f" {mark(b / a <= target)} |"
        )
    size_small = sizes["small"] / small.page_bytes
    size_large = sizes["large"] / large.page_bytes
    table.append(
        f"| library file / page text it holds (these 1.6 KB pages; by page size: the section"
        f" below) | {sizes['small'] / 1e6:.0f} MB / "
        f"{small.page_bytes / 1e6:.0f} MB = {size_small:.2f}x | {sizes['large'] / 1e6:.0f} MB / "
        f"{large.page_bytes / 1e6:.0f} MB = **{size_large:.2f}x** | | <= 1.6x |"
        f" {mark(size_large <= 1.6)} |"
    )
    empty_rate = statistics.mean(args.last / e.seconds for e in empty_runs)
    large_rate = args.last / into_large.seconds
    empty_cpu = statistics.mean(e.cpu for e in empty_runs) / args.last * 1e3
    large_cpu = into_large.cpu / args.last * 1e3
    table.append(
        f"| `ingest` of {args.last:,} more pages: into an empty library vs into the large one"
        f" (mean of empty before and after) | {empty_rate:,.0f} pages/s"
        f" ({empty_cpu:.2f} ms CPU a page) | {large_rate:,.0f} pages/s ({large_cpu:.2f} ms CPU a"
        f" page) | **{large_rate / empty_rate:.2f}x** | >= 0.8x |"
        f" {mark(large_rate >= 0.8 * empty_rate)} |"
    )
    build_peak = max(small.build.peak_mb, large.build.peak_mb, into_large.peak_mb)
    table.append(
        f"| `ingest` of a folder of pages: throughput, peak memory (all processes) |"
        f" {small.summaries / small.build.seconds:,.0f} pages/s, {small.build.peak_mb:.0f} MB |"
        f" {args.size / large.build.seconds:,.0f} pages/s, **{large.build.peak_mb:.0f} MB** |"
        f" | < 250 MB | {mark(build_peak < 250)} |"
    )
    jsonl_rate = large.summaries / jsonl_ingest.seconds
    folder_rate = args.size / large.build.seconds
    table.append(
        f"| `ingest` of one JSON Lines file of {large.summaries:,} records ({r.jsonl_mb:.0f} MB):"
        f" throughput vs the folder, peak memory | | {jsonl_rate:,.0f} records/s"
        f" ({jsonl_rate / folder_rate:.2f}x the folder's), **{jsonl_ingest.peak_mb:.0f} MB** |"
        f" | < 250 MB | {mark(jsonl_ingest.peak_mb < 250)} |"
    )
    for fmt in ("jsonl", "md"):
        a, b = exports[f"small_{fmt}"], exports[f"large_{fmt}"]
        table.append(
            f"| `export --format {fmt}`: peak memory | {a.peak_mb:.0f} MB |"
            f" **{b.peak_mb:.0f} MB** |"
            f" {b.peak_mb / a.peak_mb:.2f}x | < 250 MB | {mark(b.peak_mb < 250)} |"
        )
    a, b = exports["small_md"], exports["large_md"]
    ms_small, ms_large = a.seconds / small.summaries * 1e3, b.seconds / large.summaries * 1e3
    table.append(
        f"| `export --format md`: per summary (wall; CPU) | {ms_small:.2f} ms;"
        f" {a.cpu / small.summaries * 1e3:.2f} ms | **{ms_large:.2f} ms**;"
        f" {b.cpu / large.summaries * 1e3:.2f} ms | {ms_large / ms_small:.2f}x | <= 1 ms |"
        f" {mark(ms_large <= 1.0)} |"
    )
    lines = [
        SECTION,
        "",
        f"- date: {dt.date.today().isoformat()}",
        f"- machine: {machine()}; load average at the end {os.getloadavg()[0]:.1f}",
        f"- command: `.venv/bin/python benchmarks/library.py --size {args.size}"
        f" --small {args.small} --last {args.last} --runs {args.runs} --write`"
        " (`make bench-library`)",
        f"- queries: `search {COMMON_WORD}` (a word in ~13% of summaries),"
        f" `search {rare_word(RARE_PAGE)}` (one summary), `list --show '{show_name(SHOW_INDEX)}'`"
        " (one show in 300), `show` of a 6-digit id prefix; the median of"
        f" {args.runs} runs each, process start included",
        "",
        *table,
        "",
    ]
    return "\n".join(lines)


def write_section(report: str) -> None:
    """Put the section into RESULTS.md in place of an earlier one (or at the end)."""
    path = HERE / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    start = text.find(SECTION)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + report
    else:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + report + (text[end + 1 :] if end >= 0 else "")
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
