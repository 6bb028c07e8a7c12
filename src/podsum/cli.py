"""The command line: a thin layer that reads sources, calls the library, and turns
exceptions into one-line messages and exit codes (0 ok, 1 a source failed, 2 usage)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from . import __version__
from .errors import PodsumError
from .model import Summary

if TYPE_CHECKING:
    from .db import Library, Row
from .sources import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, display_name, read_source

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Turn scraped AI summaries of podcast episodes into clean, structured records.",
)

FORMATS = ("cards", "md", "json", "text")

SourcesArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Files, http(s) URLs, or - for stdin. With none, a piped stdin is read.",
        show_default=False,
        metavar="SOURCE",
    ),
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout."
    ),
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Count parse warnings as failures.")]
MaxBytesOpt = Annotated[
    int, typer.Option("--max-bytes", min=1, metavar="N", help="Refuse sources larger than N bytes.")
]
LibraryOpt = Annotated[
    str | None,
    typer.Option(
        "--library",
        envvar="PODSUM_LIBRARY",
        metavar="PATH",
        help="Library file [default: library.db in the user data directory].",
    ),
]


def _check_layout(value: str | None) -> str | None:
    if value is None:
        return None
    from .read import LAYOUTS

    if value not in LAYOUTS:
        raise typer.BadParameter(f"unknown layout {value!r}; choose from {', '.join(LAYOUTS)}")
    return value


LayoutOpt = Annotated[
    str | None,
    typer.Option(
        "--layout",
        metavar="NAME",
        callback=_check_layout,
        help="Read every page with this layout's reader (see 'podsum layouts').",
    ),
]
TimeoutOpt = Annotated[
    float,
    typer.Option(
        "--timeout", min=0.1, metavar="SECONDS", help="Deadline for a whole URL download."
    ),
]


class Run:
    """One command's sources and failures; failures never stop the other sources."""

    def __init__(
        self,
        strict: bool,
        max_bytes: int,
        timeout: float,
        library: str | None = None,
        layout: str | None = None,
    ) -> None:
        self.strict = strict
        self.layout = layout
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.library = library  # set where a SOURCE may also be a library id
        self._lib: Library | None = None
        self.failed = False

    def fail(self, source: str, reason: str, out: Callable[[str], None] | None = None) -> None:
        """One line on stderr (or through ``out``, e.g. above a progress bar)."""
        self.failed = True
        line = f"podsum: {display_name(source)}: {' '.join(reason.split())}"
        if out is None:
            print(line, file=sys.stderr)
        else:
            out(line)

    def summaries(self, specs: list[str]) -> Iterator[Summary]:
        from .api import parse_all

        for spec in specs:
            try:
                if self.library is not None and _is_library_id(spec):
                    if self._lib is None:
                        self._lib = _open_library(self.library or None)
                    yield from self._check([self._lib.get(spec)], spec)
                    continue
                raw = read_source(spec, max_bytes=self.max_bytes, timeout=self.timeout)
                found = parse_all(
                    raw.data,
                    location=raw.location,
                    kind=raw.kind,
                    charset=raw.charset,
                    layout=self.layout,
                )
            except PodsumError as exc:
                self.fail(spec, str(exc))
                continue
            except Exception as exc:  # never a traceback for bad input
                self.fail(spec, f"internal error (please report): {type(exc).__name__}: {exc}")
                continue
            yield from self._check(found, spec)

    def _check(self, found: list[Summary], spec: str) -> Iterator[Summary]:
        for s in found:
            if self.strict and s.warnings:
                for w in s.warnings:
                    where = f" (line {w.line})" if w.line else ""
                    self.fail(spec, f"{w.code}: {w.message}{where}")
                continue
            yield s


def _is_library_id(spec: str) -> bool:
    """A SOURCE that names a summary in the library rather than a file."""
    return (
        4 <= len(spec) <= 16
        and all(c in "0123456789abcdefABCDEF" for c in spec)
        and not os.path.exists(spec)
    )


def _open_library(path: str | None) -> Library:
    from .db import Library

    return Library(path)


def _sources(sources: list[str] | None) -> list[str]:
    if sources:
        return sources
    if sys.stdin is None or sys.stdin.isatty():
        raise typer.BadParameter(
            "give a SOURCE (a file, URL or -) or pipe a page in, e.g. "
            "'podsum parse page.txt' or 'pbpaste | podsum parse'",
            param_hint="SOURCE",
        )
    return ["-"]


def _emit(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from .atomic import write_atomic

    try:
        write_atomic(output, text)
    except OSError as exc:
        _die(f"podsum: {output}: {exc.strerror or exc}", 1)


def _die(message: str, code: int) -> NoReturn:
    print(message, file=sys.stderr)
    raise typer.Exit(code)


def _finish(run: Run) -> None:
    if run.failed:
        raise typer.Exit(1)


@app.command()
def parse(
    sources: SourcesArg = None,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One compact record per line.")] = False,
    output: OutputOpt = None,
    strict: StrictOpt = False,
    layout: LayoutOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
) -> None:
    """Print each page's JSON record.

    One source prints one object, several print an array, --jsonl prints one compact
    record per line.
    """
    from .render.jsonout import render_json

    specs = _sources(sources)
    run = Run(strict, max_bytes, timeout, layout=layout)
    records = [s.to_dict() for s in run.summaries(specs)]
    if jsonl:
        text = "".join(render_json(r, indent=None) + "\n" for r in records)
    elif len(specs) == 1 and len(records) == 1:
        text = render_json(records[0]) + "\n"
    elif records or len(specs) > 1:
        text = render_json(records) + "\n"
    else:
        text = ""
    if text or output is None:
        _emit(text, output)
    _finish(run)


@app.command()
def show(
    sources: SourcesArg = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help="cards | md | json | text"),
    ] = "cards",
    width: Annotated[
        int | None,
        typer.Option("--width", min=20, metavar="COLUMNS", help="Card width (default: terminal)."),
    ] = None,
    transcript: Annotated[
        bool, typer.Option("--transcript", help="Cards: also show the transcript, if any.")
    ] = False,
    output: OutputOpt = None,
    strict: StrictOpt = False,
    layout: LayoutOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
    library: LibraryOpt = None,
) -> None:
    """Show pages (or library summaries, by id) as cards, Markdown, JSON or text.

    A SOURCE that is not a file and looks like an id (or a unique prefix of one, at
    least 4 hex digits) is read from the library.
    """
    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose from {', '.join(FORMATS)}", param_hint="--format")
    specs = _sources(sources)
    run = Run(strict, max_bytes, timeout, library=library or "", layout=layout)
    summaries = list(run.summaries(specs))
    if fmt == "cards" and output is None:
        from .render.cards import print_cards

        if summaries:
            print_cards(summaries, sys.stdout, width=width, transcript=transcript)
        _finish(run)
        return
    from .render import render

    if fmt == "json":
        from .render.jsonout import render_json

        records = [s.to_dict() for s in summaries]
        single = len(specs) == 1 and len(records) == 1
        text = render_json(records[0] if single else records) + "\n" if records else ""
    else:
        text = "\n".join(render(s, fmt, width=width, transcript=transcript) for s in summaries)
    if text or output is None:
        _emit(text, output)
    _finish(run)


def _library_or_die(path: str | None) -> Library:
    from .db import LibraryError

    try:
        return _open_library(path)
    except LibraryError as exc:
        _die(f"podsum: {exc}", 1)


def _since(value: str | None) -> str | None:
    if value is None:
        return None
    from .values import parse_date

    iso = parse_date(value.strip())
    if iso is None:
        raise typer.BadParameter("use a date like 2025-07-31 or 'Jul 31, 2025'")
    return iso


ShowFilter = Annotated[
    str | None, typer.Option("--show", metavar="NAME", help="Only this show (any case).")
]
SinceFilter = Annotated[
    str | None,
    typer.Option("--since", metavar="DATE", help="Only episodes published on or after DATE."),
]


@app.command()
def ingest(
    sources: SourcesArg = None,
    update: Annotated[
        bool, typer.Option("--update", help="Replace summaries that are already there.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, metavar="N", help="Parse in N processes [default: all cores]."
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar and no closing line.")
    ] = False,
    library: LibraryOpt = None,
    layout: LayoutOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
) -> None:
    """Add pages to the library: files, directories (recursively), URLs or -.

    A page whose id is already there is skipped (--update replaces it). A page that
    fails is one line on stderr and never stops the batch.
    """
    from .db import AddResult, LibraryError
    from .ingest import CHUNK, parse_many
    from .progress import ProgressBar

    specs = _sources(sources)
    lib = _library_or_die(library)
    if lib.read_only:
        _die(f"podsum: {lib.path} is read-only", 1)
    run = Run(False, max_bytes, timeout)
    totals = AddResult()
    failed = skipped = 0
    batch: list[Row] = []
    progress = ProgressBar(enabled=not quiet and sys.stderr.isatty())

    def flush() -> None:
        result = lib.add_rows(batch, update=update)
        totals.new += result.new
        totals.existing += result.existing
        totals.updated += result.updated
        batch.clear()

    try:
        for parsed in parse_many(
            specs,
            jobs=jobs or os.cpu_count() or 1,
            max_bytes=max_bytes,
            timeout=timeout,
            layout=layout,
            on_start=progress.start,
        ):
            progress.advance()
            if parsed.error is None:
                batch.extend(parsed.rows)
            elif parsed.error.startswith("skipped:"):
                skipped += 1
            else:
                failed += 1
                run.fail(parsed.spec, parsed.error, out=progress.message)
            if len(batch) >= CHUNK:
                flush()
        if batch:
            flush()
    except LibraryError as exc:
        progress.stop()
        _die(f"podsum: {exc}", 1)
    progress.stop()
    if not quiet:
        parts = [f"{totals.new} new", f"{totals.existing} already there"]
        if totals.updated:
            parts.append(f"{totals.updated} updated")
        parts.append(f"{failed} failed")
        if skipped:
            parts.append(f"{skipped} skipped (binary)")
        print(", ".join(parts))
    _finish(run)


ListFormat = Annotated[
    str, typer.Option("--format", "-f", metavar="FORMAT", help="table | json | jsonl")
]


def _check_format(fmt: str, allowed: tuple[str, ...]) -> None:
    if fmt not in allowed:
        raise typer.BadParameter(f"choose from {', '.join(allowed)}", param_hint="--format")


def _emit_items(items: list[dict[str, Any]], fmt: str) -> None:
    from .render.jsonout import render_json

    if fmt == "json":
        _emit(render_json(items) + "\n", None)
    else:
        _emit("".join(render_json(i, indent=None) + "\n" for i in items), None)


@app.command("list")
def list_(
    fmt: ListFormat = "table",
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, metavar="N", help="At most N (0: all).")
    ] = 50,
    sort: Annotated[
        str,
        typer.Option("--sort", metavar="KEY", help="published | ingested | views | title"),
    ] = "published",
    show: ShowFilter = None,
    since: SinceFilter = None,
    library: LibraryOpt = None,
) -> None:
    """List the library, newest first."""
    from .db import SORTS, LibraryError

    _check_format(fmt, ("table", "json", "jsonl"))
    if sort not in SORTS:
        raise typer.BadParameter(f"choose from {', '.join(SORTS)}", param_hint="--sort")
    lib = _library_or_die(library)
    try:
        items = lib.list_summaries(sort=sort, show=show, since=_since(since), limit=limit)
    except LibraryError as exc:
        _die(f"podsum: {exc}", 1)
    if fmt != "table":
        _emit_items(items, fmt)
        return
    from .render.tables import print_list

    print_list(items, sys.stdout)


@app.command()
def search(
    query: Annotated[
        str,
        typer.Argument(help="Words to find (all of them). Use -- before a query starting with -."),
    ],
    fmt: ListFormat = "table",
    raw: Annotated[
        bool, typer.Option("--raw", help='QUERY is FTS5 syntax (AND, OR, NEAR, "phrases", *).')
    ] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, metavar="N")] = 20,
    library: LibraryOpt = None,
) -> None:
    """Full-text search of the library, best matches first."""
    from .db import LibraryError

    _check_format(fmt, ("table", "json", "jsonl"))
    lib = _library_or_die(library)
    try:
        hits = lib.search(query, raw=raw, limit=limit)
    except LibraryError as exc:
        _die(f"podsum: {exc}", 1)
    if fmt != "table":
        for h in hits:
            h["snippet"] = h["snippet"].replace("\x02", "**").replace("\x03", "**")
            h["snippet"] = " ".join(h["snippet"].split())
        _emit_items(
            [{k: h[k] for k in ("id", "title", "show", "snippet", "rank")} for h in hits], fmt
        )
        return
    from .render.tables import print_search

    print_search(hits, sys.stdout)


@app.command()
def rm(
    ids: Annotated[list[str], typer.Argument(help="Ids or unique prefixes of them.")],
    library: LibraryOpt = None,
) -> None:
    """Remove summaries from the library."""
    from .db import LibraryError

    lib = _library_or_die(library)
    if lib.read_only:
        _die(f"podsum: {lib.path} is read-only", 1)
    run = Run(False, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT)
    for id_ in ids:
        try:
            print(f"removed {lib.remove(id_)}")
        except LibraryError as exc:
            run.fail(id_, str(exc))
    _finish(run)


@app.command()
def export(
    out: Annotated[
        str, typer.Option("--out", metavar="DIR", help="Folder to write into (made if missing).")
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="md | json | jsonl")
    ] = "md",
    show: ShowFilter = None,
    since: SinceFilter = None,
    library: LibraryOpt = None,
) -> None:
    """Write the library out: one file per summary (md, json) or one JSON Lines file.

    Files are named YYYY-MM-DD-title-slug.md; a name already taken by a file podsum did
    not write for that summary is never overwritten (a -2 suffix is used instead).
    """
    from pathlib import Path

    from .db import LibraryError
    from .export import export_one

    _check_format(fmt, ("md", "json", "jsonl"))
    lib = _library_or_die(library)
    out_dir = Path(out)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _die(f"podsum: {out}: {exc.strerror}", 1)
    since_iso = _since(since)
    written = 0
    try:
        if fmt == "jsonl":
            from .atomic import write_atomic
            from .render.jsonout import render_json

            lines = [
                render_json(s.to_dict(), indent=None) + "\n"
                for s in lib.summaries(show=show, since=since_iso)
            ]
            write_atomic(out_dir / "summaries.jsonl", "".join(lines))
            written = len(lines)
        else:
            taken: set[str] = set()
            for s in lib.summaries(show=show, since=since_iso):
                path, kept = export_one(s, out_dir, fmt, taken)
                if kept:
                    print(
                        f"podsum: {path.name}: the name was taken by a file podsum did not"
                        " write; kept that file and used this name instead",
                        file=sys.stderr,
                    )
                written += 1
    except LibraryError as exc:
        _die(f"podsum: {exc}", 1)
    except OSError as exc:
        _die(f"podsum: {out}: {exc.strerror or exc}", 1)
    print(f"exported {written} to {out_dir}")


@app.command()
def layouts(
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="text | json")
    ] = "text",
) -> None:
    """List the page layouts podsum reads, in the order they are tried, with the lines
    that identify each. The layout is read from a page's content; --layout forces one."""
    from .read import layouts as all_layouts

    _check_format(fmt, ("text", "json"))
    items = all_layouts()
    if fmt == "json":
        from .render.jsonout import render_json

        _emit(render_json(items) + "\n", None)
        return
    width = max(len(x["name"]) for x in items)
    out = []
    for x in items:
        out.append(f"{x['name']:<{width}}  {x['description']}")
        out.extend(f"{'':<{width}}    {m}" for m in x["markers"])
    _emit("\n".join(out) + "\n", None)


@app.command()
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of the record."""
    from .render.jsonout import render_json
    from .schema import RECORD_SCHEMA

    _emit(render_json(RECORD_SCHEMA) + "\n", None)


def _version(value: bool) -> None:
    if value:
        print(f"podsum {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    """podsum: scraped podcast summaries -> JSON, Markdown and terminal cards."""


def main() -> None:
    # Page text is Unicode; a terminal set to ASCII gets '?' instead of a crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    try:
        app()
    except BrokenPipeError:
        # `podsum parse ... | head`: the reader left; end quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        print("podsum: interrupted", file=sys.stderr)
        sys.exit(130)
