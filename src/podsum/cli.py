"""The command line: a thin layer that reads sources, calls the library, and turns
exceptions into one-line messages and exit codes (0 ok, 1 a source failed, 2 usage)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from . import __version__, complete
from .errors import PodsumError
from .model import Summary
from .sanitise import for_terminal, sanitise

if TYPE_CHECKING:
    from .db import Library, Row
from .sources import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, display_name, read_source
from .usage import Command

# podsum's own --install-completion and --show-completion take a shell name (Typer's
# would ignore one); Typer's completion machinery does the rest. Its functions for that
# live in its private modules _completion_shared and _completion_classes, which
# typer.completion uses without re-exporting them.
app = typer.Typer(
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Turn scraped AI summaries of podcast episodes into clean, structured records.",
)

FORMATS = ("cards", "md", "json", "text")
LIST_FORMATS = ("table", "json", "jsonl")
# What `list` and `search` can put in their JSON (--fields).
LIST_FIELDS = (
    "id",
    "title",
    "show",
    "published",
    "views",
    "duration_seconds",
    "ingested_at",
    "location",
)
SEARCH_FIELDS = ("id", "title", "show", "published", "snippet", "rank")
SEARCH_DEFAULT_FIELDS = ("id", "title", "show", "snippet", "rank")

SourcesArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Files, http(s) URLs, or - for stdin. With none, a piped stdin is read.",
        show_default=False,
        metavar="SOURCE",
    ),
]
ShowSourcesArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Files, http(s) URLs, - for stdin, or library ids (a unique prefix of at"
        " least 4 hex digits). With none, a piped stdin is read.",
        show_default=False,
        metavar="SOURCE",
        autocompletion=complete.ids_or_files,
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
        autocompletion=complete.layout_names,
        help="Read every page with this layout's reader (see 'podsum layouts').",
    ),
]
TimeoutOpt = Annotated[
    float,
    typer.Option(
        "--timeout",
        min=0.1,
        metavar="SECONDS",
        help="Deadline for a whole URL download, and for a named pipe's first data.",
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
        self._lib_failed = False  # the library could not be opened; said once
        self.failed = False

    def fail(self, source: str, reason: str, out: Callable[[str], None] | None = None) -> None:
        """One line on stderr (or through ``out``, e.g. above a progress bar).

        Every reason passes through here, whatever raised it (a server's status line or
        Content-Type, a record's warnings, a library row): runs of whitespace become one
        space and anything a terminal would act on is shown as visible text."""
        self.failed = True
        line = f"podsum: {display_name(source)}: {for_terminal(' '.join(reason.split()))}"
        if out is None:
            print(line, file=sys.stderr)
        else:
            out(line)

    def summaries(self, specs: list[str]) -> Iterator[Summary]:
        from .api import PartialParseError, parse_all

        for spec in specs:
            partial: PartialParseError | None = None
            try:
                if self.library is not None and _is_library_id(spec):
                    yield from self._check(self._from_library(spec), spec)
                    continue
                raw = read_source(spec, max_bytes=self.max_bytes, timeout=self.timeout)
                found = parse_all(
                    raw.data,
                    location=raw.location,
                    kind=raw.kind,
                    charset=raw.charset,
                    layout=self.layout,
                )
            except PartialParseError as exc:  # the records read, then what was not
                found, partial = exc.summaries, exc
            except PodsumError as exc:
                self.fail(spec, str(exc))
                continue
            except Exception as exc:  # never a traceback for bad input
                self.fail(spec, f"internal error (please report): {type(exc).__name__}: {exc}")
                continue
            yield from self._check(found, spec)
            if partial is not None:
                self.fail(spec, str(partial))

    def _from_library(self, spec: str) -> list[Summary]:
        """The summary an id names. The library is opened for reading only (never
        created); if it cannot be, that is said once, however many ids were given."""
        from .db import BadId, LibraryError

        try:
            if self._lib is None and not self._lib_failed:
                self._lib = _open_library(self.library or None, create=False)
            if self._lib is None:
                self.failed = True
                return []
            return [self._lib.get(spec)]
        except BadId as exc:
            self.fail(spec, str(exc))
        except LibraryError as exc:
            self._lib_failed = self.failed = True
            print(for_terminal(f"podsum: {exc}"), file=sys.stderr)
        return []

    def _check(self, found: list[Summary], spec: str) -> Iterator[Summary]:
        for s in found:
            # Parsed pages are clean already (this costs one scan); a record read back
            # from a library file that was edited behind podsum's back is cleaned here,
            # with a warning, before anything prints it.
            sanitise(s)
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


def _open_library(path: str | None, *, create: bool = True) -> Library:
    """The library at ``path`` (default: the user's). Commands that only read pass
    ``create=False``: a missing library is then an error, never a new empty file."""
    from .db import Library

    return Library(path, create=create)


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
    print(for_terminal(message), file=sys.stderr)  # paths and errors may hold escapes
    raise typer.Exit(code)


def _finish(run: Run) -> None:
    if run.failed:
        raise typer.Exit(1)


@app.command(cls=Command)
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


NoPagerOpt = Annotated[
    bool,
    typer.Option(
        "--no-pager",
        help="Print straight to the terminal; never through $PODSUM_PAGER or $PAGER.",
    ),
]


def _pager(no_pager: bool) -> AbstractContextManager[None]:
    """Output longer than the terminal goes through the pager (see pager.py)."""
    from .pager import paged

    return paged(enabled=not no_pager)


@app.command(cls=Command)
def show(
    sources: ShowSourcesArg = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="cards | md | json | text",
            autocompletion=complete.choices(*FORMATS),
        ),
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
    no_pager: NoPagerOpt = False,
) -> None:
    """Show pages (or library summaries, by id) as cards, Markdown, JSON or text.

    A SOURCE that is not a file and looks like an id (or a unique prefix of one, at
    least 4 hex digits) is read from the library. On a terminal, output longer than
    the screen goes through $PODSUM_PAGER, $PAGER or less.
    """
    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose from {', '.join(FORMATS)}", param_hint="--format")
    specs = _sources(sources)
    run = Run(strict, max_bytes, timeout, library=library or "", layout=layout)
    summaries = list(run.summaries(specs))
    with _pager(no_pager or output is not None):
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


def _library_or_die(path: str | None, *, create: bool = True) -> Library:
    from .db import LibraryError

    try:
        return _open_library(path, create=create)
    except LibraryError as exc:
        _die(f"podsum: {exc}", 1)


def _date(value: str | None) -> str | None:
    """--since and --until: an ISO date, 'Jul 31, 2025', today, yesterday, 30d, 2w,
    3m or 1y (see dates.py); a usage error naming the option otherwise."""
    if value is None:
        return None
    from .dates import parse_date_arg

    try:
        return parse_date_arg(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


ShowFilter = Annotated[
    str | None, typer.Option("--show", metavar="NAME", help="Only this show (any case).")
]
SinceFilter = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="DATE",
        callback=_date,
        help="Only episodes published on or after DATE: 2025-07-31, today, yesterday,"
        " or a span back from today such as 30d, 2w, 3m, 1y.",
    ),
]
UntilFilter = Annotated[
    str | None,
    typer.Option(
        "--until",
        metavar="DATE",
        callback=_date,
        help="Only episodes published on or before DATE (as for --since).",
    ),
]
LayoutFilter = Annotated[
    str | None,
    typer.Option(
        "--layout", metavar="NAME", callback=_check_layout, help="Only pages of this layout."
    ),
]
TopicFilter = Annotated[
    str | None,
    typer.Option("--topic", metavar="TOPIC", help="Only summaries tagged with TOPIC (any case)."),
]
PersonFilter = Annotated[
    str | None,
    typer.Option(
        "--person",
        metavar="NAME",
        help="Only summaries with this host or guest (a name, or whole words of one).",
    ),
]


@app.command(cls=Command)
def ingest(
    sources: SourcesArg = None,
    update: Annotated[
        bool,
        typer.Option(
            "--update/--no-update",
            help="Merge a page into its summary if that is there already (the default),"
            " or keep the summary as it is.",
        ),
    ] = True,
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
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            help="Keep running: ingest every page saved, copied or moved into the SOURCE"
            " folders, one line each; Ctrl-C stops.",
        ),
    ] = False,
    new_only: Annotated[
        bool,
        typer.Option("--new-only", help="With --watch: skip the pages already in the folders."),
    ] = False,
    settle: Annotated[
        float | None,
        typer.Option(
            "--settle",
            min=0.0,
            metavar="SECONDS",
            help="With --watch: read a file once it has not changed for SECONDS [default: 1].",
        ),
    ] = None,
    poll: Annotated[
        bool,
        typer.Option(
            "--poll",
            help="With --watch: poll the folders instead of using the system's change"
            " notification (for network drives).",
        ),
    ] = False,
) -> None:
    """Add pages to the library: files, directories (recursively), URLs or -.

    A page of a summary that is there already (another copy of the same page, or
    another page of the same episode) is merged into it: the new copy's values win, and
    what it lacks is kept. The closing line counts new, updated and unchanged summaries.
    A page that fails is one line on stderr and never stops the batch.

    With --watch, podsum keeps running and ingests each page saved, copied or moved into
    the SOURCE folders once it is whole (temporary downloads such as .crdownload and .part
    are left alone until renamed), printing 'added|updated|unchanged ID TITLE'. Pages
    already there are ingested first (--new-only skips them). Ctrl-C stops it with a
    tally.
    """
    if watch:
        from .watch import Options, usage_problem, watch_folders

        problem = usage_problem(sources or [])
        if problem:
            raise typer.BadParameter(problem, param_hint="SOURCE")
        lib = _library_or_die(library)
        if lib.read_only:
            _die(f"podsum: {lib.path}: read-only", 1)
        options = Options(update, layout, max_bytes, timeout, settle, poll, new_only, quiet)
        fail = Run(False, max_bytes, timeout).fail
        raise typer.Exit(watch_folders(sources or [], lib, options, fail=fail))
    watch_only = (("--new-only", new_only), ("--settle", settle is not None), ("--poll", poll))
    for flag, given in watch_only:
        if given:
            raise typer.BadParameter("only applies with --watch", param_hint=flag)
    from .db import AddResult, LibraryError
    from .ingest import (
        CHUNK,
        CHUNK_BYTES,
        SKIP_BINARY,
        SKIP_SPECIAL,
        Interrupted,
        ctrl_c_deferred,
        ctrl_c_ignored,
        parse_many,
    )
    from .progress import ProgressBar

    specs = _sources(sources)
    lib = _library_or_die(library)
    if lib.read_only:
        _die(f"podsum: {lib.path}: read-only", 1)
    run = Run(False, max_bytes, timeout)
    totals = AddResult()
    failed = binary = special = folders = 0
    batch: list[Row] = []
    batch_bytes = 0
    progress = ProgressBar(enabled=not quiet and sys.stderr.isatty())

    def flush() -> None:
        nonlocal failed, batch_bytes
        result = lib.add_rows(batch, update=update)
        totals.new += result.new
        totals.updated += result.updated
        totals.unchanged += result.unchanged
        for location, reason in result.failed:  # rows the library refused, each alone
            failed += 1
            run.fail(location, reason, out=progress.message)
        batch.clear()
        batch_bytes = 0

    results = parse_many(
        specs,
        jobs=jobs or os.cpu_count() or 1,
        max_bytes=max_bytes,
        timeout=timeout,
        layout=layout,
        on_start=progress.start,
    )
    try:
        for parsed in results:
            progress.advance()
            batch.extend(parsed.rows)  # a partly read file still gives its good records
            batch_bytes += parsed.size
            if parsed.error == SKIP_BINARY:
                binary += 1
            elif parsed.error == SKIP_SPECIAL:
                special += 1
            elif parsed.error is not None:
                if parsed.folder:
                    folders += 1
                else:
                    failed += 1
                run.fail(parsed.spec, parsed.error, out=progress.message)
            if len(batch) >= CHUNK or batch_bytes >= CHUNK_BYTES:
                with ctrl_c_deferred():  # a chunk is committed and counted as one
                    flush()
        if batch:
            with ctrl_c_deferred():
                flush()
    except (KeyboardInterrupt, Interrupted):
        with ctrl_c_ignored():  # a second Ctrl-C cannot cut the clean-up short
            results.close()  # ends the worker processes
            progress.stop()  # erases the bar and shows the cursor again
            done = f"{totals.new} new, {totals.updated} updated, {totals.unchanged} unchanged"
            _die(f"podsum: interrupted; committed {done}", 130)
    except LibraryError as exc:
        progress.stop()
        # Earlier chunks are committed and stay; the failed chunk left nothing behind.
        _die(f"podsum: {exc}; committed {totals.new} new, {totals.updated} updated", 1)
    finally:
        with ctrl_c_deferred():  # the workers end and the cursor comes back first
            results.close()
            progress.stop()
    if not quiet:
        parts = [
            f"{totals.new} new",
            f"{totals.updated} updated",
            f"{totals.unchanged} unchanged",
            f"{failed} failed",
        ]
        if binary:
            parts.append(f"{binary} skipped (binary)")
        if special:
            parts.append(f"{special} skipped (not regular files)")
        if folders:
            parts.append(f"{folders} folder{'s' if folders > 1 else ''} unreadable")
        print(", ".join(parts))
    _finish(run)


ListFormat = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="table | json | jsonl",
        autocompletion=complete.choices(*LIST_FORMATS),
    ),
]
LimitOpt = Annotated[
    int, typer.Option("--limit", "-n", min=0, metavar="N", help="At most N (0: all).")
]


def _check_format(fmt: str, allowed: tuple[str, ...]) -> None:
    if fmt not in allowed:
        raise typer.BadParameter(f"choose from {', '.join(allowed)}", param_hint="--format")


def _fields_option(valid: tuple[str, ...]) -> Any:
    """--fields / --json FIELDS: a comma-separated choice of ``valid``, checked before
    anything is read, and completed one name at a time."""

    def check(value: str | None) -> str | None:
        if value is None:
            return None
        names = [n.strip() for n in value.split(",") if n.strip()]
        for name in names:
            if name not in valid:
                raise typer.BadParameter(f"unknown field {name!r}; choose from {', '.join(valid)}")
        if not names:
            raise typer.BadParameter(f"name at least one field: {', '.join(valid)}")
        return ",".join(dict.fromkeys(names))

    return typer.Option(
        "--fields",
        "--json",
        metavar="FIELDS",
        callback=check,
        autocompletion=complete.field_list(*valid),
        help=f"JSON output with only these fields, comma-separated: {', '.join(valid)}"
        " (implies --format json unless jsonl is asked for).",
    )


def _emit_items(items: list[dict[str, Any]], fmt: str, fields: str | None = None) -> None:
    from .render.jsonout import render_json

    if fields is not None:
        names = fields.split(",")
        items = [{n: i.get(n) for n in names} for i in items]
    if fmt == "json":
        _emit(render_json(items) + "\n", None)
    else:
        _emit("".join(render_json(i, indent=None) + "\n" for i in items), None)


@app.command("list", cls=Command)
def list_(
    fmt: ListFormat = "table",
    limit: LimitOpt = 50,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            metavar="KEY",
            help="published | ingested | views | title",
            autocompletion=complete.sort_keys,
        ),
    ] = "published",
    show: ShowFilter = None,
    layout: LayoutFilter = None,
    topic: TopicFilter = None,
    person: PersonFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    fields: Annotated[str | None, _fields_option(LIST_FIELDS)] = None,
    library: LibraryOpt = None,
    no_pager: NoPagerOpt = False,
) -> None:
    """List the library, newest first.

    On a terminal, a table longer than the screen goes through the pager; a narrow
    terminal keeps the full ids and the titles and drops the other columns first.
    """
    from .db import SORTS, LibraryError

    _check_format(fmt, LIST_FORMATS)
    if sort not in SORTS:
        raise typer.BadParameter(f"choose from {', '.join(SORTS)}", param_hint="--sort")
    if fields is not None and fmt == "table":
        fmt = "json"
    lib = _library_or_die(library, create=False)
    try:
        items = lib.list_summaries(
            sort=sort,
            limit=limit,
            show=show,
            layout=layout,
            topic=topic,
            person=person,
            since=since,
            until=until,
        )
    except LibraryError as exc:
        _die(f"podsum: {exc}", 1)
    with _pager(no_pager):
        if fmt != "table":
            _emit_items(items, fmt, fields)
            return
        from .render.tables import print_list

        print_list(items, sys.stdout)


@app.command(cls=Command)
def search(
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            help="Words to find (all of them). Use -- before a query starting with -.",
        ),
    ],
    fmt: ListFormat = "table",
    raw: Annotated[
        bool, typer.Option("--raw", help='QUERY is FTS5 syntax (AND, OR, NEAR, "phrases", *).')
    ] = False,
    limit: LimitOpt = 20,
    fields: Annotated[str | None, _fields_option(SEARCH_FIELDS)] = None,
    show: ShowFilter = None,
    layout: LayoutFilter = None,
    topic: TopicFilter = None,
    person: PersonFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    library: LibraryOpt = None,
    no_pager: NoPagerOpt = False,
) -> None:
    """Full-text search of the library, best matches first.

    Every word must match, as a word ("battery" finds "Batteries") or as the start of
    one ("batt" finds "battery"); Chinese, Japanese and Korean text is found by any
    part of it.
    """
    from .db import LibraryError

    _check_format(fmt, LIST_FORMATS)
    if fields is not None and fmt == "table":
        fmt = "json"
    lib = _library_or_die(library, create=False)
    try:
        # SQLite reads a negative LIMIT as none: --limit 0 is every match.
        hits = lib.search(
            query,
            raw=raw,
            limit=limit or -1,
            show=show,
            layout=layout,
            topic=topic,
            person=person,
            since=since,
            until=until,
        )
    except LibraryError as exc:
        _die(f"podsum: {exc}", 1)
    with _pager(no_pager):
        if fmt != "table":
            for h in hits:
                h["snippet"] = h["snippet"].replace("\x02", "**").replace("\x03", "**")
                h["snippet"] = " ".join(h["snippet"].split())
            _emit_items(hits, fmt, fields or ",".join(SEARCH_DEFAULT_FIELDS))
            return
        from .render.tables import print_search

        print_search(hits, sys.stdout)


@app.command(cls=Command)
def rm(
    ids: Annotated[
        list[str],
        typer.Argument(
            metavar="ID",
            help="Ids or unique prefixes of them (at least 4 hex digits).",
            autocompletion=complete.library_ids,
        ),
    ],
    library: LibraryOpt = None,
) -> None:
    """Remove summaries from the library.

    A prefix must have at least 4 hex digits and name one summary; an ambiguous one
    removes nothing and lists the summaries it matches.
    """
    from .db import BadId, LibraryError

    lib = _library_or_die(library, create=False)
    if lib.read_only:
        _die(f"podsum: {lib.path}: read-only", 1)
    run = Run(False, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT)
    for id_ in ids:
        try:
            print(for_terminal(f"removed {lib.remove(id_)}"))
        except BadId as exc:
            run.fail(id_, str(exc))
        except LibraryError as exc:
            # The library itself failed (locked, full): every other id would fail alike.
            _die(f"podsum: {exc}", 1)
    _finish(run)


@app.command("open", cls=Command)
def open_(
    id_: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="An id or a unique prefix of one (at least 4 hex digits).",
            autocompletion=complete.library_ids,
        ),
    ],
    library: LibraryOpt = None,
) -> None:
    """Open a summary's page (its url) in the web browser.

    The browser is $BROWSER if set, else the system's. A summary read from a file
    without a canonical link has no url: that is said in one line (exit 1).
    """
    from .db import MIN_PREFIX, BadId, LibraryError

    if len(id_) < MIN_PREFIX:
        _die(f"podsum: {id_}: give at least {MIN_PREFIX} hex digits of the id", 1)
    lib = _library_or_die(library, create=False)
    try:
        summary = lib.get(id_)
    except BadId as exc:
        _die(f"podsum: {id_}: {exc}", 1)
    except LibraryError as exc:
        _die(f"podsum: {exc}", 1)
    url = summary.url
    if not url:
        _die(f"podsum: {summary.id}: no page to open (the summary has no url)", 1)
    if not url.lower().startswith(("http://", "https://")):
        _die(f"podsum: {summary.id}: not opening {url!r}: not an http(s) address", 1)
    import webbrowser

    if sys.stderr.isatty():
        print(for_terminal(f"Opening {url} in your browser."), file=sys.stderr)
    if not webbrowser.open(url):
        _die(f"podsum: {summary.id}: could not start a browser; the page is {url}", 1)


@app.command(cls=Command)
def export(
    out: Annotated[
        str, typer.Option("--out", metavar="DIR", help="Folder to write into (made if missing).")
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="md | json | jsonl",
            autocompletion=complete.choices("md", "json", "jsonl"),
        ),
    ] = "md",
    show: ShowFilter = None,
    layout: LayoutFilter = None,
    topic: TopicFilter = None,
    person: PersonFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Overwrite podsum's files even where you changed them."),
    ] = False,
    library: LibraryOpt = None,
) -> None:
    """Write the library out: one file per summary (md, json) or one JSON Lines file.

    Files are named YYYY-MM-DD-title-slug.md; a name already taken by a file podsum did
    not write is never overwritten (a -2 suffix is used instead). A file you changed
    since podsum wrote it is kept (--force overwrites it); renamed or moved notes in the
    folder are found by their id and updated where they are. What podsum wrote is
    recorded in DIR/.podsum-export.
    """
    from contextlib import closing
    from pathlib import Path

    from .db import LibraryError
    from .export import Exporter, rendered

    _check_format(fmt, ("md", "json", "jsonl"))
    lib = _library_or_die(library, create=False)
    out_dir = Path(out)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _die(f"podsum: {out}: {exc.strerror}", 1)
    kept_only = {
        "show": show,
        "layout": layout,
        "topic": topic,
        "person": person,
        "since": since,
        "until": until,
    }
    written = kept = 0

    def warn(line: str) -> None:
        print(for_terminal(line), file=sys.stderr)

    try:
        exporter = Exporter(out_dir, fmt, force=force, warn=warn, current_id=lib.current_id)
        try:
            if fmt == "jsonl":
                outcome, lines = exporter.export_jsonl(lib.summaries(**kept_only))
                if outcome.status == "kept":
                    kept = 1
                else:
                    written = lines
            else:
                summaries = lib.summaries(**kept_only)
                with closing(rendered(summaries, fmt, os.cpu_count() or 1)) as items:
                    for s, text in items:
                        outcome = exporter.export(s, text)
                        if outcome.kept_foreign:
                            warn(
                                f"podsum: {outcome.path.name}: the name was taken by a file"
                                " podsum did not write; kept that file and used this name"
                                " instead"
                            )
                        if outcome.status == "kept":
                            kept += 1
                        else:
                            written += 1
        finally:
            exporter.close()  # what was written so far stays recorded
    except LibraryError as exc:
        _die(f"podsum: {exc}", 1)
    except OSError as exc:
        _die(f"podsum: {out}: {exc.strerror or exc}", 1)
    summary = f"exported {written} to {out_dir}"
    if kept:
        summary += f", kept {kept} you edited"
    print(for_terminal(summary))


TextOrJsonFormat = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="text | json",
        autocompletion=complete.choices("text", "json"),
    ),
]


@app.command(cls=Command)
def stats(
    fmt: TextOrJsonFormat = "text",
    top: Annotated[
        int, typer.Option("--top", min=1, metavar="N", help="How many shows, topics, people.")
    ] = 10,
    library: LibraryOpt = None,
) -> None:
    """What the library holds: where it is, its size, summaries by layout and by show,
    the oldest and newest episodes, the top topics and people."""
    from .db import LibraryError

    _check_format(fmt, ("text", "json"))
    lib = _library_or_die(library, create=False)
    try:
        st = lib.stats(top)
    except LibraryError as exc:
        _die(f"podsum: {exc}", 1)
    if fmt == "json":
        from .render.jsonout import render_json

        _emit(render_json(st) + "\n", None)
        return
    from .render.stats import format_stats

    _emit(format_stats(st), None)


@app.command(cls=Command)
def layouts(
    fmt: TextOrJsonFormat = "text",
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


@app.command(cls=Command)
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of the record."""
    from .render.jsonout import render_json
    from .schema import RECORD_SCHEMA

    _emit(render_json(RECORD_SCHEMA) + "\n", None)


# The parser's modules that setup.py compiles with mypyc when it can.
_COMPILED = ("textparser", "values", "repair", "model", "caps", "api", "read")


def _parser_build() -> str:
    """Whether the parser runs compiled (mypyc) or as plain Python."""
    import importlib
    from importlib.machinery import EXTENSION_SUFFIXES

    compiled = [
        name
        for name in _COMPILED
        if (importlib.import_module(f"podsum.{name}").__file__ or "").endswith(
            tuple(EXTENSION_SUFFIXES)
        )
    ]
    if len(compiled) == len(_COMPILED):
        return "compiled (mypyc)"
    if not compiled:
        return "pure Python"
    return f"partly compiled (mypyc: {', '.join(compiled)})"


def _version(value: bool) -> None:
    if value:
        import platform
        import sqlite3

        print(f"podsum {__version__}")
        print(f"parser: {_parser_build()}")
        print(f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")
        raise typer.Exit()


COMPLETE_VAR = "_PODSUM_COMPLETE"
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _shell(value: str) -> str:
    """The shell named, or (for an empty name) the one podsum runs under."""
    if not value:
        from typer._completion_shared import _get_shell_name

        value = _get_shell_name() or os.path.basename(os.environ.get("SHELL", ""))
        if value not in SHELLS:
            raise typer.BadParameter(
                f"cannot tell which shell this is; name it: {' | '.join(SHELLS[:3])}"
            )
    if value not in SHELLS:
        raise typer.BadParameter(f"unknown shell {value!r}; choose from {', '.join(SHELLS)}")
    return value


def _show_completion(value: str | None) -> None:
    if value is None:
        return
    from typer._completion_shared import get_completion_script

    print(get_completion_script(prog_name="podsum", complete_var=COMPLETE_VAR, shell=_shell(value)))
    raise typer.Exit()


def _install_completion(value: str | None) -> None:
    if value is None:
        return
    from typer._completion_shared import install

    shell, path = install(shell=_shell(value), prog_name="podsum", complete_var=COMPLETE_VAR)
    print(for_terminal(f"{shell} completion installed in {path}"))
    print("It takes effect in a new shell (or source that file now).")
    raise typer.Exit()


def _optional_shell(args: list[str]) -> list[str]:
    """--show-completion and --install-completion take a shell name or none (then the
    current shell); Click options cannot leave their value out, so none is ''."""
    args = list(args)
    options = args[: args.index("--")] if "--" in args else args
    for flag in ("--show-completion", "--install-completion"):
        if flag in options:
            at = args.index(flag) + 1
            if at == len(args) or args[at].startswith("-"):
                args.insert(at, "")
    return args


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Show the version, the parser's build, and the Python and SQLite versions.",
        ),
    ] = None,
    install_completion: Annotated[
        str | None,
        typer.Option(
            "--install-completion",
            metavar="[SHELL]",
            callback=_install_completion,
            is_eager=True,
            expose_value=False,
            help="Install Tab completion for SHELL (bash, zsh, fish; default: this shell).",
        ),
    ] = None,
    show_completion: Annotated[
        str | None,
        typer.Option(
            "--show-completion",
            metavar="[SHELL]",
            callback=_show_completion,
            is_eager=True,
            expose_value=False,
            help="Print the completion script for SHELL, to install it by hand.",
        ),
    ] = None,
) -> None:
    """podsum: scraped podcast summaries -> JSON, Markdown and terminal cards."""


def main() -> None:
    # Page text is Unicode; a terminal set to ASCII gets '?' instead of a crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    if COMPLETE_VAR in os.environ:  # a Tab press: Typer answers it and exits
        from typer._completion_classes import completion_init

        completion_init()
    from .interrupt import Interrupted, catch_ctrl_c

    catch_ctrl_c()  # Ctrl-C: one line and exit 130, never a traceback or silence
    try:
        try:
            app(args=_optional_shell(sys.argv[1:]), prog_name="podsum")
        finally:
            # Whatever is still buffered is written here, where a closed pipe is caught.
            sys.stdout.flush()
    except BrokenPipeError:
        # `podsum show ... | head -1`: the reader left; end quietly (the way the Python
        # docs show: stdout becomes /dev/null, so the exit's own flush cannot fail).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except (KeyboardInterrupt, Interrupted):
        print("podsum: interrupted", file=sys.stderr)
        sys.exit(130)
