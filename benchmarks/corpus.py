"""Build the benchmark corpus from samples/: varied titles, sizes, encodings, mojibake,
HTML. Written to benchmarks/corpus/ (git-ignored); deterministic."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CORPUS = Path(__file__).resolve().parent / "corpus"
SEED = SAMPLES / "bg2-china-open-source.txt"
TITLES = [
    "Why Batteries Are Getting Cheaper",
    "人工智能如何改变编程",
    "Café Society’s Quiet Revolution",
    "The 10 Rules of Remote Work",
    "Inside the Mind of a Chess Engine — Part 2",
]


def _text_of(path: Path) -> str:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252")


def _retitle(text: str, title: str) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if " | " in line and not line.startswith("|"):
            lines[i] = f"{title} | {line.rsplit(' | ', 1)[1]}"
            break
    return "\n".join(lines)


def _mojibake_1252(text: str) -> str:
    """UTF-8 read as windows-1252 the way browsers and Windows do it (unassigned bytes
    become C1 controls): what a broken copy does to curly quotes and emoji."""
    from podsum.decode import decode_windows_1252

    return decode_windows_1252(text.encode("utf-8"))


def scaled_seed(factor: int) -> str:
    """The seed with its sections repeated ``factor`` times."""
    text = SEED.read_text(encoding="utf-8")
    start = text.index("πŸ‡¨πŸ‡³")
    end = text.index("Bottom Line")
    return text[:start] + text[start:end] * factor + text[end:]


def build() -> dict[str, list[Path]]:
    CORPUS.mkdir(exist_ok=True)
    text_pages: list[Path] = []
    html_pages: list[Path] = []
    n = 0
    for sample in sorted(SAMPLES.iterdir()):
        if sample.suffix == ".html":
            html = sample.read_text(encoding="utf-8")
            for title in TITLES:
                p = CORPUS / f"{n:03d}.html"
                p.write_text(
                    html.replace(
                        "China Open-Source, Compute Arms Race, Reordering Global Trade", title
                    ),
                    encoding="utf-8",
                )
                html_pages.append(p)
                n += 1
            continue
        text = _text_of(sample)
        for i, title in enumerate(TITLES):
            page = _retitle(text, title)
            p = CORPUS / f"{n:03d}.txt"
            if i == 1:
                p.write_bytes(page.encode("utf-16"))
            elif i == 2:
                p.write_text(_mojibake_1252(page), encoding="utf-8")
            else:
                p.write_text(page, encoding="utf-8")
            text_pages.append(p)
            n += 1
    return {"text": text_pages, "html": html_pages}
