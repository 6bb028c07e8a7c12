"""The command line: a thin layer that reads sources, calls the library, and turns
exceptions into one-line messages and exit codes (0 ok, 1 a source failed, 2 usage)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Annotated, NoReturn

import typer

from . import __version__
from .errors import PodsumError
from .model import Summary
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
TimeoutOpt = Annotated[
    float,
    typer.Option(
        "--timeout", min=0.1, metavar="SECONDS", help="Deadline for a whole URL download."
    ),
]


class Run:
    """One command's sources and failures; failures never stop the other sources."""

    def __init__(self, strict: bool, max_bytes: int, timeout: float) -> None:
        self.strict = strict
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.failed = False

    def fail(self, source: str, reason: str) -> None:
        self.failed = True
        one_line = " ".join(reason.split())
        print(f"podsum: {display_name(source)}: {one_line}", file=sys.stderr)

    def summaries(self, specs: list[str]) -> Iterator[Summary]:
        from .api import parse_all

        for spec in specs:
            try:
                raw = read_source(spec, max_bytes=self.max_bytes, timeout=self.timeout)
                found = parse_all(
                    raw.data, location=raw.location, kind=raw.kind, charset=raw.charset
                )
            except PodsumError as exc:
                self.fail(spec, str(exc))
                continue
            except Exception as exc:  # never a traceback for bad input
                self.fail(spec, f"internal error (please report): {type(exc).__name__}: {exc}")
                continue
            for s in found:
                if self.strict and s.warnings:
                    for w in s.warnings:
                        where = f" (line {w.line})" if w.line else ""
                        self.fail(spec, f"{w.code}: {w.message}{where}")
                    continue
                yield s


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
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
) -> None:
    """Print each page's JSON record.

    One source prints one object, several print an array, --jsonl prints one compact
    record per line.
    """
    from .render.jsonout import render_json

    specs = _sources(sources)
    run = Run(strict, max_bytes, timeout)
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
    output: OutputOpt = None,
    strict: StrictOpt = False,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
) -> None:
    """Show pages as terminal cards, Markdown, JSON or plain text."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose from {', '.join(FORMATS)}", param_hint="--format")
    specs = _sources(sources)
    run = Run(strict, max_bytes, timeout)
    summaries = list(run.summaries(specs))
    if fmt == "cards" and output is None:
        from .render.cards import print_cards

        if summaries:
            print_cards(summaries, sys.stdout, width=width)
        _finish(run)
        return
    from .render import render

    if fmt == "json":
        from .render.jsonout import render_json

        records = [s.to_dict() for s in summaries]
        single = len(specs) == 1 and len(records) == 1
        text = render_json(records[0] if single else records) + "\n" if records else ""
    else:
        text = "\n".join(render(s, fmt, width=width) for s in summaries)
    if text or output is None:
        _emit(text, output)
    _finish(run)


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
