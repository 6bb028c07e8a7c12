"""Nothing a stranger controls reaches the terminal raw: file names, HTTP status lines and
headers, warnings inside a JSON record, and rows of a tampered library file are printed
with their escapes and control characters shown as visible text (or removed), never sent
as they are. The end-to-end tests run the real `podsum` in a subprocess; the one printer
of failures and the sanitiser itself are also tested directly."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import podsum
from conftest import SEED, run_cli
from podsum.cli import Run
from podsum.db import Library
from podsum.render.jsonout import render_json
from podsum.sanitise import for_terminal

# What must never be written raw: C0 controls other than newline (CR included), DEL, C1
# controls (8-bit CSI U+009B and OSC U+009D among them), bidi marks, embeddings,
# overrides and isolates, and lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    + chr(0xD800)
    + "-"
    + chr(0xDFFF)
    + "]"
)
OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"  # a clipboard write
OSC0 = "\x1b]0;owned\x07"  # a window title
HOSTILE = f"Pwned{OSC52}{OSC0}\x1b[2J\x9b31m\x9d0;t\x07\u202eevil\rover\nnext"


def assert_clean(data: bytes) -> str:
    assert b"\x1b" not in data
    text = data.decode("utf-8")  # strict: a raw undecodable byte fails here
    bad = _UNSAFE.search(text)
    assert bad is None, (bad.group(), text)
    return text


def _lines(data: bytes) -> list[str]:
    return assert_clean(data).splitlines()


# --- file names -----------------------------------------------------------------------

NAMES = {
    "osc52": f"clip{OSC52}.txt",
    "osc0": f"title{OSC0}.txt",
    "csi": "red\x1b[31m\x1b[2J.txt",
    "cr": "real.txt\rfake.txt",
    "newline": "two\nlines.txt",
    "c1": "csi8\x9b31m\x9d0;x\x07.txt",
    "bidi": "invoice\u202etxt.exe",
    "bytes": os.fsdecode(b"latin\xe9\xff.txt"),  # not UTF-8: kept as surrogate escapes
}
SHOWN = {
    "osc52": "clip\\x1b]52;c;ZWNobyBwd25lZA==\\x07.txt",
    "osc0": "title\\x1b]0;owned\\x07.txt",
    "csi": "red\\x1b[31m\\x1b[2J.txt",
    "cr": "real.txt\\rfake.txt",
    "newline": "two\\nlines.txt",
    "c1": "csi8\\x9b31m\\x9d0;x\\x07.txt",
    "bidi": "invoice\\u202etxt.exe",
    "bytes": "latin\\xe9\\xff.txt",
}


@pytest.mark.parametrize("key", sorted(NAMES))
def test_a_hostile_file_name_is_one_clean_line(tmp_path: Path, key: str) -> None:
    bad = tmp_path / NAMES[key]
    bad.write_bytes(b"just some words, not a summary page\n")
    missing = tmp_path / ("missing-" + NAMES[key])
    proc = run_cli("parse", str(bad), str(missing))
    assert proc.returncode == 1
    lines = _lines(proc.stderr)
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"podsum: {tmp_path}/{SHOWN[key]}: ")
    assert lines[1] == f"podsum: {tmp_path}/missing-{SHOWN[key]}: no such file"


def test_a_hostile_file_name_is_escaped_in_json_output(tmp_path: Path) -> None:
    """The record names the file (as it is, or as messages show it); the JSON text
    never carries its controls raw."""
    name = tmp_path / "seed\x9b31m\u202e\x1b]0;x\x07.txt"
    name.write_bytes(SEED.read_bytes())
    for args in (["parse"], ["parse", "--jsonl"], ["show", "--format", "json"]):
        proc = run_cli(*args, str(name))
        assert proc.returncode == 0, proc.stderr
        location = json.loads(assert_clean(proc.stdout))["source"]["location"]
        assert location in (str(name), for_terminal(str(name)))


def test_json_text_escapes_what_a_terminal_acts_on() -> None:
    record = {"t": "a\x7f\x9b\x9d\u202e\u2066\u200f\u2028" + chr(0xDCFF) + " é 🇨🇳 中\x1b\n"}
    for indent in (2, None):
        text = render_json(record, indent=indent)
        assert_clean(text.encode("utf-8", "surrogatepass"))
        assert "\\u009b\\u009d\\u202e\\u2066\\u200f\\u2028\\udcff é 🇨🇳 中\\u001b\\n" in text
        assert json.loads(text) == record


def test_json_output_keeps_letters_and_emoji_raw(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(SEED.read_bytes().replace(b"China", "Chïna 🇨🇳 中国".encode(), 1))
    proc = run_cli("parse", str(page))
    assert proc.returncode == 0
    assert "Chïna 🇨🇳 中国" in assert_clean(proc.stdout)


# --- a hostile HTTP server ------------------------------------------------------------

# Sent as bytes (latin-1): 0x9B is the 8-bit CSI; U+202E arrives as its UTF-8 bytes.
REASON = f"Not Found{OSC52}\x9b2J\rgone \xe2\x80\xae"
CTYPE = "image/x-\x1b[2J\x1b[H\x9b31m"  # no ";": a parameter would be cut off


class _Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_response(self, code: int, message: str | None = None) -> None:
        # The status line's reason phrase is the server's to choose.
        super().send_response(code, REASON if self.path == "/reason" else message)

    def do_GET(self) -> None:
        body = b"\x89PNG\r\n"
        self.send_response(404 if self.path == "/reason" else 200)
        self.send_header("Content-Type", CTYPE)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_hostile_reason_phrase_is_one_clean_line(server: str) -> None:
    proc = run_cli("parse", f"{server}/reason")
    assert proc.returncode == 1
    lines = _lines(proc.stderr)
    assert len(lines) == 1
    assert lines[0].startswith(f"podsum: {server}/reason: HTTP 404 Not Found")
    assert "gone" in lines[0]


def test_a_hostile_content_type_is_one_clean_line(server: str) -> None:
    proc = run_cli("parse", f"{server}/ctype")
    assert proc.returncode == 1
    lines = _lines(proc.stderr)
    assert len(lines) == 1
    assert lines[0].startswith(f"podsum: {server}/ctype: not a summary page (content type ")
    assert "image/x-" in lines[0]


# --- warnings of a crafted record under --strict ----------------------------------------


def test_crafted_warnings_under_strict_are_clean_lines(tmp_path: Path) -> None:
    record = podsum.parse(SEED.read_bytes()).to_dict()
    record["warnings"] = [
        {"code": f"code{OSC52}", "message": HOSTILE, "line": 3},
        {"code": "plain", "message": "fine\u2066\u2069\u200f", "line": None},
    ]
    crafted = tmp_path / "crafted.json"
    crafted.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    proc = run_cli("parse", "--strict", str(crafted))
    assert proc.returncode == 1
    assert proc.stdout == b""
    lines = _lines(proc.stderr)
    # One line per warning (the reader may add one saying it removed controls).
    assert 2 <= len(lines) <= 3, lines
    assert all(line.startswith(f"podsum: {crafted}: ") for line in lines)
    assert lines[0].startswith(f"podsum: {crafted}: code")
    assert "Pwned" in lines[0] and "evil" in lines[0] and lines[0].endswith("(line 3)")
    assert any(line.startswith(f"podsum: {crafted}: plain: fine") for line in lines)


def test_every_failure_reason_is_printed_clean(capsys: pytest.CaptureFixture[str]) -> None:
    """Whatever raises a failure (a server's status line, a record, a library row), the
    one place that prints it shows escapes as text and keeps it to one line."""
    Run(False, 1000, 1.0).fail(f"page{OSC0}.txt", HOSTILE)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "podsum: page\\x1b]0;owned\\x07.txt: Pwned\\x1b]52;c;ZWNobyBwd25lZA==\\x07"
        "\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\x9d0;t\\x07\\u202eevil over next\n"
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain ascii", "plain ascii"),
        ("Chïna 🇨🇳 中国 \u200d", "Chïna 🇨🇳 中国 \u200d"),  # letters, emoji, ZWJ stay
        ("a\x1b[31mb\x07", "a\\x1b[31mb\\x07"),
        ("a\tb\rc\nd", "a\\tb\\rc\\nd"),
        ("\x7f\x85\x9b\x9d", "\\x7f\\x85\\x9b\\x9d"),
        (
            "\u202a\u202e\u2066\u2069\u200e\u200f\u061c",
            "\\u202a\\u202e\\u2066\\u2069\\u200e\\u200f\\u061c",
        ),
        ("\u2028\u2029\ufeff", "\\u2028\\u2029\\ufeff"),
        (os.fsdecode(b"caf\xe9"), "caf\\xe9"),
        (chr(0xD800), "\\ud800"),
    ],
)
def test_for_terminal(text: str, shown: str) -> None:
    assert for_terminal(text) == shown
    assert for_terminal(shown) == shown  # what it shows is already safe


# --- a tampered library file ------------------------------------------------------------


def _library_with_seed(path: Path) -> str:
    """A real library file holding the seed page, as ingest writes it; returns its id."""
    with Library(path) as lib:
        lib.add([podsum.parse(SEED.read_bytes(), location=str(SEED))])
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT id FROM summaries").fetchone()[0])


@pytest.fixture(scope="module")
def tampered_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A library whose one row was edited behind podsum's back (read, never written, by
    the tests that share it); returns its path and the row's id."""
    path = tmp_path_factory.mktemp("tampered") / "library.db"
    id_ = _library_with_seed(path)
    with sqlite3.connect(path) as conn:
        # The library's own triggers keep the full-text index in step.
        conn.execute("UPDATE summaries SET title = ?, show = ?, tldr = ?", (HOSTILE,) * 3)
    return path, id_


@pytest.fixture
def tampered(
    _isolated_library: Path,
    tampered_library: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    """Points the commands a test runs at the tampered library (after the autouse fixture
    has set its own); returns the row's id."""
    monkeypatch.setenv("PODSUM_LIBRARY", str(tampered_library[0]))
    return tampered_library[1]


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["list", "--format", "json"],
        ["list", "--format", "jsonl"],
        ["search", "pwned"],
        ["search", "pwned", "--format", "json"],
        ["search", "pwned", "--format", "jsonl"],
    ],
    ids=" ".join,
)
def test_tampered_rows_are_listed_clean(tampered: str, args: list[str]) -> None:
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    out = assert_clean(proc.stdout)
    assert tampered[:12] in out
    assert "Pwned" in out
    if "--format" in args:  # JSON keeps the stored text exactly, escaped
        first = out if "json" in args else out.splitlines()[0]
        items = json.loads(first)
        item = items[0] if isinstance(items, list) else items
        assert item["title"] == HOSTILE


@pytest.mark.parametrize("fmt", ["cards", "md", "text", "json"])
def test_a_tampered_record_is_shown_clean(tampered: str, fmt: str) -> None:
    proc = run_cli("show", tampered[:8], "--format", fmt, "--width", "200")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    out = assert_clean(proc.stdout)
    assert "Pwned" in out and "evil" in out
    assert "52;c;" not in out and "owned" not in out  # whole sequences removed


def test_a_tampered_record_fails_strict_with_one_clean_line(tampered: str) -> None:
    proc = run_cli("show", tampered[:8], "--strict")
    assert proc.returncode == 1
    assert proc.stdout == b""
    assert _lines(proc.stderr) == [
        f"podsum: {tampered[:8]}: control-chars-removed: removed escapes or control characters"
    ]


def test_a_tampered_id_is_removed_with_a_clean_line(_isolated_library: Path) -> None:
    _library_with_seed(_isolated_library)
    with sqlite3.connect(_isolated_library) as conn:
        conn.execute("UPDATE summaries SET id = id || ?", (OSC0,))
        (id_,) = conn.execute("SELECT id FROM summaries").fetchone()
    proc = run_cli("rm", id_[:8])
    assert proc.returncode == 0, proc.stderr
    assert _lines(proc.stdout) == [f"removed {id_[:16]}\\x1b]0;owned\\x07"]


def test_a_hostile_library_path_is_one_clean_line(tmp_path: Path) -> None:
    lib = tmp_path / f"lib{OSC52}\u202e.db"
    lib.write_bytes(b"not a database at all\n" * 50)
    proc = run_cli("list", "--library", str(lib))
    assert proc.returncode == 1
    lines = _lines(proc.stderr)
    assert len(lines) == 1
    assert lines[0].startswith(f"podsum: {tmp_path}/lib\\x1b]52;c;ZWNobyBwd25lZA==\\x07\\u202e.db")
    assert "not a podsum library" in lines[0]
