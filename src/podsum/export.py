"""Writing summaries out as files: one per summary, named for people and every OS."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .atomic import write_atomic
from .model import Summary

_UNSAFE = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 60


def slug(title: str) -> str:
    """ASCII, lower case, hyphens: the same name on Windows, macOS and Linux."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    s = _UNSAFE.sub("-", ascii_title.lower()).strip("-")
    return s[:MAX_SLUG].rstrip("-")


def file_stem(s: Summary, summary_id: str) -> str:
    date = s.published or "undated"
    return f"{date}-{slug(s.title) or summary_id}"


def _is_ours(path: Path, summary_id: str) -> bool:
    """A file we may replace: one podsum wrote for this same summary."""
    try:
        head = path.read_bytes()[:4096].decode("utf-8", errors="replace")
    except OSError:
        return False
    return f"id: {summary_id}" in head or f'"id": "{summary_id}"' in head


def render_for_export(s: Summary, fmt: str) -> str:
    if fmt == "json":
        from .render.jsonout import render_json

        return render_json(s.to_dict()) + "\n"
    from .render.markdown import render_markdown
    from .values import split_title

    tags = ["podcast"]
    if s.show:
        show_tag = slug(split_title(s.show)[0])
        if show_tag:
            tags.append(show_tag)
    extra: dict[str, object] = {"tags": tags}
    if s.source.location:
        extra["source"] = s.source.location
    return render_markdown(s, extra)


def export_one(s: Summary, out_dir: Path, fmt: str, taken: set[str]) -> tuple[Path, bool]:
    """Write one summary; returns its path and whether an unrelated file was kept."""
    summary_id = s.id
    ext = ".md" if fmt == "md" else ".json"
    stem = file_stem(s, summary_id)
    kept_foreign = False
    n = 1
    while True:
        name = f"{stem}{'' if n == 1 else f'-{n}'}{ext}"
        path = out_dir / name
        n += 1
        if name in taken:
            continue  # another summary of this run has it
        if path.exists() and not _is_ours(path, summary_id):
            kept_foreign = True
            continue
        break
    taken.add(name)
    data = render_for_export(s, fmt)
    if path.exists():
        write_atomic(path, data)  # ours: replace it whole
    else:
        try:
            write_atomic(path, data, exclusive=True)
        except FileExistsError:  # appeared meanwhile: never clobber it
            return export_one(s, out_dir, fmt, taken)
    return path, kept_foreign
