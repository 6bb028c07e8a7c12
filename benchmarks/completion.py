"""How long a Tab press takes: library ids completed from a 100,000-summary library,
measured beside the same process completing a command name (no library at all) and a
bare Typer app's start, so the ratios hold on a busy machine.

    .venv/bin/python benchmarks/completion.py [--summaries N] [--runs N]

Each figure is the median wall time of a fresh process, as the shell starts one per Tab.
The library is built once in a temporary folder: one parsed page, stored N times under
distinct ids and titles (completion reads only the id and title).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "samples" / "bg2-china-open-source.txt"
PODSUM = str(Path(sys.executable).parent / "podsum")


def build_library(path: Path, count: int) -> str:
    """A library of ``count`` summaries; returns an id prefix that names a few."""
    import podsum
    from podsum.db import Library, prepare

    row = prepare(podsum.parse(SEED.read_bytes()))
    lib = Library(path)
    chunk = []
    for n in range(count):
        id_ = hashlib.sha256(str(n).encode()).hexdigest()[:16]
        chunk.append(dataclasses.replace(row, id=id_, title=f"Episode {n}: {row.title}"))
        if len(chunk) == 5000:
            lib.add_rows(chunk)
            chunk = []
    lib.add_rows(chunk)
    assert lib.count() == count
    lib.close()
    return hashlib.sha256(b"0").hexdigest()[:3]


def median_ms(env: dict[str, str], cmd: list[str], runs: int) -> tuple[float, float, str]:
    """Median wall time and CPU time (user + system) of ``cmd``, and its output."""
    walls, cpus, out = [], [], ""
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        out = proc.stdout
    return statistics.median(walls) * 1e3, statistics.median(cpus) * 1e3, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--summaries", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        lib = Path(tmp) / "library.db"
        t = time.perf_counter()
        prefix = build_library(lib, args.summaries)
        print(f"built {args.summaries:,} summaries in {time.perf_counter() - t:.1f} s")
        env = {k: v for k, v in os.environ.items() if not k.startswith("_PODSUM")}
        env["PODSUM_LIBRARY"] = str(lib)

        def tab(*words: str) -> tuple[float, float, str]:
            line = " ".join(["podsum", *words])
            cword = str(len(words))
            complete = {**env, "_PODSUM_COMPLETE": "complete_bash"}
            complete |= {"COMP_WORDS": line, "COMP_CWORD": cword}
            return median_ms(complete, [PODSUM], args.runs)

        bare = median_ms(env, [sys.executable, str(HERE / "bare_typer.py"), str(SEED)], args.runs)
        command = tab("sh")
        assert command[2].split() == ["show"], command[2]
        ids = tab("rm", prefix)
        found = ids[2].split()
        assert found and all(i.startswith(prefix) for i in found), ids[2]
        every = tab("rm", "")
        assert len(every[2].split()) == 100, every[2]
        print(f"{'':34}{'wall':>9}{'cpu':>9}  ratio (wall, to a bare Typer app)")
        rows = [
            ("bare Typer app start", bare),
            ("podsum <Tab> (a command name)", command),
            (f"podsum rm {prefix}<Tab> ({len(found)} ids)", ids),
            ("podsum rm <Tab> (first 100 ids)", every),
        ]
        for label, (wall, cpu, _) in rows:
            print(f"{label:34}{wall:7.1f}ms{cpu:7.1f}ms  {wall / bare[0]:.2f}x")


if __name__ == "__main__":
    main()
