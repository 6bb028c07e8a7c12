"""Everyday use: `open`, the filters and --fields of `list` and `search`, narrow
terminals, -h, usage lines and option errors, and `| head -1`."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pages import write_pages
from typer.testing import CliRunner, Result

import podsum
from conftest import FIXTURES, SEED, run_cli
from podsum.cli import app
from podsum.dates import parse_date_arg

runner = CliRunner()


def invoke(args: list[str]) -> Result:
    return runner.invoke(app, args, prog_name="podsum")


HTML_WITH_URL = FIXTURES / "better" / "html-page.html"
COMMANDS = ["parse", "show", "ingest", "list", "search", "rm", "open", "export", "layouts"]


def _ingest(*sources: str, stdin: bytes | None = None) -> None:
    proc = run_cli("ingest", "--jobs", "1", *sources, stdin=stdin)
    assert proc.returncode == 0, proc.stderr


def _record(**changes: object) -> bytes:
    """The sample page's record with ``changes``, as JSON ingest reads it (a different
    title makes a different id)."""
    record = json.loads(run_cli("parse", str(SEED)).stdout)
    record.update(changes)
    return json.dumps(record).encode()


# --- open ---------------------------------------------------------------------


@pytest.fixture
def browser(tmp_path: Path) -> tuple[Path, Path]:
    """A $BROWSER that records the address it is asked to open."""
    opened = tmp_path / "opened.txt"
    script = tmp_path / "browser"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> {opened}\n')
    script.chmod(0o755)
    return script, opened


def test_open_gives_the_page_to_the_browser(browser: tuple[Path, Path]) -> None:
    script, opened = browser
    _ingest(str(HTML_WITH_URL))
    summary = podsum.parse(HTML_WITH_URL.read_bytes())
    assert summary.url
    proc = run_cli("open", summary.id[:6], env={"BROWSER": str(script)})
    assert proc.returncode == 0, proc.stderr
    assert opened.read_text() == summary.url + "\n"
    assert proc.stdout == b"" and proc.stderr == b""


def test_open_without_a_url_says_so(browser: tuple[Path, Path]) -> None:
    script, opened = browser
    _ingest(str(SEED))
    seed = podsum.parse(SEED.read_bytes()).id
    proc = run_cli("open", seed[:5], env={"BROWSER": str(script)})
    assert proc.returncode == 1
    assert proc.stderr.decode() == f"podsum: {seed}: no page to open (the summary has no url)\n"
    assert not opened.exists()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "-x http://a"])
def test_open_only_opens_web_addresses(browser: tuple[Path, Path], url: str) -> None:
    script, opened = browser
    _ingest("-", stdin=_record(url=url))
    (line,) = run_cli("list", "--fields", "id", "-f", "jsonl").stdout.splitlines()
    id_ = json.loads(line)["id"]
    proc = run_cli("open", id_, env={"BROWSER": str(script)})
    assert proc.returncode == 1
    assert proc.stderr.decode() == f"podsum: {id_}: not opening {url!r}: not an http(s) address\n"
    assert not opened.exists()


def test_open_failures_are_one_line(tmp_path: Path) -> None:
    _ingest(str(HTML_WITH_URL))
    assert run_cli("open", "ffff").stderr == b"podsum: ffff: no summary with id 'ffff'\n"
    short = run_cli("open", "ab")
    assert short.returncode == 1
    assert short.stderr == b"podsum: ab: give at least 4 hex digits of the id\n"
    failing = tmp_path / "failing-browser"
    failing.write_text("#!/bin/sh\nexit 3\n")
    failing.chmod(0o755)
    summary = podsum.parse(HTML_WITH_URL.read_bytes())
    proc = run_cli("open", summary.id, env={"BROWSER": str(failing)})
    assert proc.returncode == 1
    assert proc.stderr.decode() == (
        f"podsum: {summary.id}: could not start a browser; the page is {summary.url}\n"
    )


# --- list and search: --limit 0, --fields, dates ------------------------------


@pytest.fixture
def sixty(tmp_path: Path) -> None:
    _ingest(str(write_pages(tmp_path / "pages", range(60))[0].parent))


def _json(*args: str) -> list[dict[str, object]]:
    result = invoke(list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_limit_zero_is_all(sixty: None) -> None:
    assert len(_json("list", "-f", "json")) == 50
    assert len(_json("list", "-f", "json", "--limit", "0")) == 60
    assert len(_json("search", "episode", "-f", "json")) == 20
    assert len(_json("search", "episode", "-f", "json", "-n", "0")) == 60
    assert len(_json("search", "episode", "-f", "json", "-n", "7")) == 7


def test_fields_choose_what_json_holds(sixty: None) -> None:
    items = _json("list", "--fields", "title,id", "-n", "2")  # implies JSON
    assert [list(i) for i in items] == [["title", "id"], ["title", "id"]]
    assert _json("list", "--json", "views", "-n", "1") == [
        {"views": _json("list", "-f", "json", "-n", "1")[0]["views"]}
    ]
    lines = invoke(["list", "--json", "id", "-f", "jsonl", "-n", "3"]).output
    assert [list(json.loads(ln)) for ln in lines.splitlines()] == [["id"]] * 3
    hits = _json("search", "episode", "--fields", "published,title", "-n", "2")
    assert [list(h) for h in hits] == [["published", "title"]] * 2
    assert all(h["published"] for h in hits)


@pytest.mark.parametrize(
    ("args", "valid"),
    [
        (["list", "--fields", "id,nope"], "id, title, show, published, views"),
        (["search", "x", "--json", "views"], "id, title, show, published, snippet, rank"),
    ],
)
def test_an_unknown_field_is_a_usage_error(args: list[str], valid: str) -> None:
    result = invoke(args)
    assert result.exit_code == 2
    bad = args[-1].split(",")[-1]
    assert f"Invalid value for '--fields' / '--json': unknown field '{bad}'" in result.output
    assert f"choose from {valid}" in result.output


def test_relative_dates() -> None:
    today = dt.date(2026, 3, 31)
    assert parse_date_arg("today", today) == "2026-03-31"
    assert parse_date_arg("Yesterday", today) == "2026-03-30"
    assert parse_date_arg("30d", today) == "2026-03-01"
    assert parse_date_arg("2w", today) == "2026-03-17"
    assert parse_date_arg("1m", today) == "2026-02-28"  # calendar months, clamped
    assert parse_date_arg("3m", today) == "2025-12-31"
    assert parse_date_arg("1y", dt.date(2024, 2, 29)) == "2023-02-28"
    assert parse_date_arg("2025-07-31", today) == "2025-07-31"
    assert parse_date_arg("Jul 31, 2025", today) == "2025-07-31"
    for bad in ("soon", "2025-02-30", "30", "d", "-3d", "99999999d"):
        with pytest.raises(ValueError):
            parse_date_arg(bad, today)


def test_since_and_until_on_list() -> None:
    today = dt.date.today()
    for days in (3, 20, 400):
        published = (today - dt.timedelta(days=days)).isoformat()
        _ingest("-", stdin=_record(title=f"{days} days ago", published=published))

    def titles(*args: str) -> list[str]:
        return [str(i["title"]) for i in _json("list", "--fields", "title", *args)]

    assert titles("--since", "1w") == ["3 days ago"]
    assert titles("--since", "30d") == ["3 days ago", "20 days ago"]
    assert titles("--since", "2y") == ["3 days ago", "20 days ago", "400 days ago"]
    assert titles("--since", "30d", "--until", "1w") == ["20 days ago"]
    assert titles("--until", "1m") == ["400 days ago"]
    assert titles("--since", "today") == []
    assert titles("--until", "yesterday", "-n", "1") == ["3 days ago"]


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--since", "next tuesday"],
        ["list", "--until", "2025-13-01"],
        ["export", "--out", "x", "--since", "soon"],
    ],
)
def test_a_bad_date_is_a_usage_error_naming_its_option(args: list[str]) -> None:
    result = invoke(args)
    assert result.exit_code == 2
    assert f"Invalid value for '{args[-2]}': {args[-1]!r} is not a date" in result.output


# --- a narrow terminal -------------------------------------------------------------


def test_list_at_40_columns_keeps_full_ids_and_titles(sixty: None) -> None:
    items = _json("list", "-f", "json", "-n", "5")
    proc = run_cli("list", "-n", "5", env={"COLUMNS": "40"})
    assert proc.returncode == 0
    table = proc.stdout.decode()
    assert all(len(line) <= 40 for line in table.splitlines())
    assert "Published" not in table and "Show" not in table
    for item in items:
        assert re.search(rf"^  {item['id']}   ", table, re.M)  # whole, and pasteable
        assert str(item["title"]).split()[0] in table
    wide = run_cli("list", "-n", "5", env={"COLUMNS": "160"}).stdout.decode()
    assert all(h in wide for h in ("Published", "Show", "Views", "Length"))


# --- -h, usage lines, option errors -----------------------------------------------


@pytest.mark.parametrize("command", ["", *COMMANDS, "schema"])
def test_dash_h_is_help_everywhere(command: str) -> None:
    args = [command, "-h"] if command else ["-h"]
    short = invoke(args)
    long = invoke([*args[:-1], "--help"])
    assert short.exit_code == 0 and short.output == long.output
    assert short.output.startswith(f"Usage: podsum {command}".rstrip() + " [OPTIONS]")
    # No Python types or parameter names leak into the help.
    for leak in ("{", "<str>", "list[str]", "<int>", "<float>", "<bool>"):
        assert leak not in short.output, leak


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ("search", "Usage: podsum search [OPTIONS] QUERY\n"),
        ("show", "Usage: podsum show [OPTIONS] [SOURCE...]\n"),
        ("rm", "Usage: podsum rm [OPTIONS] ID...\n"),
        ("open", "Usage: podsum open [OPTIONS] ID\n"),
    ],
)
def test_usage_lines(command: str, usage: str) -> None:
    assert invoke([command, "-h"]).output.startswith(usage)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["list", "--limit", "-1"], "'--limit' / '-n'"),
        (["search", "x", "-n", "-2"], "'--limit' / '-n'"),
        (["list", "--sort", "length"], "--sort"),
        (["list", "--format", "csv"], "--format"),
        (["show", str(SEED), "--format", "pdf"], "--format"),
        (["show", str(SEED), "--width", "5"], "'--width'"),
        (["parse", "--layout", "nosuch", str(SEED)], "'--layout'"),
        (["ingest", "--jobs", "0", str(SEED)], "'--jobs' / '-j'"),
        (["parse", "--max-bytes", "0", str(SEED)], "'--max-bytes'"),
        (["parse", "--timeout", "0", str(SEED)], "'--timeout'"),
        (["export", "--out", "x", "--format", "csv"], "--format"),
        (["layouts", "--format", "csv"], "--format"),
    ],
)
def test_every_option_error_names_its_option(args: list[str], option: str) -> None:
    result = invoke(args)
    assert result.exit_code == 2
    (error,) = [ln for ln in result.output.splitlines() if ln.startswith("Error: ")]
    assert f"Invalid value for {option}" in error


# --- | head -1 ---------------------------------------------------------------------


def _head_1(command: str, env: dict[str, str] | None = None) -> tuple[int, bytes]:
    """Run ``podsum COMMAND | head -1`` in bash; (podsum's exit status, its stderr)."""
    full = {**os.environ, **(env or {})}
    full["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{full['PATH']}"
    proc = subprocess.run(
        [
            "bash",
            "-c",
            f"podsum {command} 2>podsum.err | head -1 >/dev/null;"
            ' echo "${PIPESTATUS[0]}"; cat podsum.err',
        ],
        capture_output=True,
        env=full,
        cwd=full["TMP_CWD"],
        timeout=120,
    )
    status, _, err = proc.stdout.partition(b"\n")
    return int(status), err


@pytest.mark.parametrize("fmt", ["cards", "md", "json", "text"])
def test_show_into_head_exits_0(fmt: str, tmp_path: Path) -> None:
    # Far more than a pipe holds, so podsum is still writing when head leaves.
    sources = " ".join([str(SEED)] * 150)
    status, err = _head_1(f"show --format {fmt} {sources}", {"TMP_CWD": str(tmp_path)})
    assert (status, err) == (0, b"")


def test_list_into_head_exits_0(tmp_path: Path, _isolated_library: Path) -> None:
    from podsum.db import Library, prepare

    s = podsum.parse(SEED.read_bytes())
    rows = []
    for n in range(3000):
        s.title = f"Episode {n} of a long show"  # a summary of its own (the id follows)
        rows.append(prepare(s))
    with Library(_isolated_library) as lib:
        lib.add_rows(rows)
    env = {"TMP_CWD": str(tmp_path), "PODSUM_LIBRARY": str(_isolated_library)}
    for fmt in ("table", "json", "jsonl"):
        assert _head_1(f"list -n 0 -f {fmt}", env) == (0, b""), fmt
    assert _head_1("search episode -n 0", env) == (0, b"")
