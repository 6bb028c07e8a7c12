"""URL sources against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from conftest import ATMES, SEED, run_cli

HTML = (ATMES / "html-seed-page.html").read_bytes()
HTML_1252 = (ATMES / "html-windows-1252-meta.html").read_bytes()
# 100 MB of zeros, gzipped to about 100 KB.
BOMB = gzip.compress(b"\0" * 100_000_000, compresslevel=9)
STOP = threading.Event()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits: ClassVar[dict[str, int]] = {}

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _send(self, code: int, body: bytes, ctype: str | None, **headers: str) -> None:
        self.send_response(code)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        Handler.hits[path] = Handler.hits.get(path, 0) + 1
        if path == "/good":
            self._send(200, HTML, "text/html; charset=utf-8")
        elif path == "/nocharset":
            self._send(200, HTML_1252, "text/html")
        elif path == "/text":
            self._send(200, SEED.read_bytes(), "text/plain")
        elif path == "/redirect":
            self._send(302, b"", None, Location="/good")
        elif path == "/loop":
            self._send(302, b"", None, Location="/loop2")
        elif path == "/loop2":
            self._send(302, b"", None, Location="/loop")
        elif path == "/ftp":
            self._send(302, b"", None, Location="ftp://127.0.0.1/x")
        elif path == "/missing":
            self._send(404, b"nope", "text/plain")
        elif path == "/image":
            self._send(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png")
        elif path == "/retry":
            if Handler.hits[path] == 1:
                self._send(503, b"busy", "text/plain", Retry_After="1")
            else:
                self._send(200, HTML, "text/html; charset=utf-8")
        elif path == "/hang":
            STOP.wait(30)
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(100_000):
                if STOP.wait(0.05):
                    return
                try:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                except OSError:
                    return
        elif path == "/huge":
            # 50 MB with no Content-Length: the body ends when the connection closes.
            self.protocol_version = "HTTP/1.0"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"y" * 65_000 + b"</p>"
            try:
                for _ in range(50_000_000 // len(chunk)):
                    if STOP.is_set():
                        return
                    self.wfile.write(chunk)
            except OSError:
                return
        elif path == "/badgzip":
            self._send(200, b"this is not gzip at all" * 10, "text/html", Content_Encoding="gzip")
        elif path == "/bomb":
            self._send(200, BOMB, "text/html", Content_Encoding="gzip")
        else:
            self._send(404, b"", "text/plain")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    STOP.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    STOP.set()
    httpd.shutdown()
    httpd.server_close()


def _parse(url: str, *extra: str) -> tuple[int, dict[str, object] | None, list[str], float]:
    started = time.monotonic()
    proc = run_cli("parse", *extra, url)
    elapsed = time.monotonic() - started
    record = json.loads(proc.stdout) if proc.stdout else None
    return proc.returncode, record, proc.stderr.decode().splitlines(), elapsed


def test_good_page(server: str) -> None:
    code, record, err, _ = _parse(f"{server}/good")
    assert code == 0, err
    assert record is not None
    assert record["title"] == "China Open-Source, Compute Arms Race, Reordering Global Trade"
    assert record["source"] == {
        "kind": "url",
        "location": f"{server}/good",
        "sha256": record["source"]["sha256"],  # type: ignore[index]
        "encoding": "utf-8",
    }
    text_id = json.loads(run_cli("parse", str(SEED)).stdout)["id"]
    assert record["id"] == text_id


def test_page_without_charset_header_uses_meta(server: str) -> None:
    code, record, err, _ = _parse(f"{server}/nocharset")
    assert code == 0, err
    assert record is not None
    assert record["title"] == "Café Society’s Quiet Revolution"
    assert record["source"]["encoding"] == "windows-1252"  # type: ignore[index]


def test_plain_text_url(server: str) -> None:
    code, record, _, _ = _parse(f"{server}/text")
    assert code == 0 and record is not None and record["views"] == 54900


def test_redirect_is_followed_and_final_url_recorded(server: str) -> None:
    code, record, _, _ = _parse(f"{server}/redirect")
    assert code == 0 and record is not None
    assert record["source"]["location"] == f"{server}/good"  # type: ignore[index]


def test_retry_after_a_503(server: str) -> None:
    code, _record, err, _ = _parse(f"{server}/retry")
    assert code == 0, err
    assert Handler.hits["/retry"] == 2


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "HTTP 404 Not Found"),
        ("/image", "not a summary page (content type image/png)"),
        ("/loop", "redirect loop"),
        ("/ftp", "refusing to follow a redirect to a ftp: URL"),
    ],
)
def test_failures_are_one_line(server: str, path: str, reason: str) -> None:
    code, record, err, elapsed = _parse(f"{server}{path}")
    assert code == 1 and record is None
    assert err == [f"podsum: {server}{path}: {reason}"]
    assert elapsed < 15


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/hang", "timed out"),
        ("/drip", "timed out"),
        ("/huge", "larger than --max-bytes"),
        ("/bomb", "larger than --max-bytes"),
    ],
)
def test_hostile_servers_are_cut_off(server: str, path: str, reason: str) -> None:
    code, record, err, elapsed = _parse(f"{server}{path}", "--timeout", "3")
    assert code == 1 and record is None
    assert len(err) == 1 and err[0].startswith(f"podsum: {server}{path}: ")
    assert reason in err[0]
    assert elapsed < 20  # cut off within seconds, not after the body or the OS timeout


def test_refused_connection_is_one_line() -> None:
    code, _, err, _ = _parse("http://127.0.0.1:9/")
    assert code == 1 and err == ["podsum: http://127.0.0.1:9/: connection refused"]


def test_other_schemes_are_refused() -> None:
    code, _, err, _ = _parse("ftp://127.0.0.1/x")
    assert code == 1 and err == [
        "podsum: ftp://127.0.0.1/x: only http:// and https:// URLs are supported"
    ]


def test_a_failing_url_does_not_stop_a_good_file(server: str) -> None:
    proc = run_cli("parse", f"{server}/missing", str(SEED))
    assert proc.returncode == 1
    assert len(json.loads(proc.stdout)) == 1


def test_broken_gzip_is_one_line(server: str) -> None:
    code, _, err, _ = _parse(f"{server}/badgzip")
    assert code == 1 and err == [f"podsum: {server}/badgzip: could not decompress the page"]


def test_tls_to_a_plain_http_server_is_one_line(server: str) -> None:
    url = server.replace("http://", "https://") + "/good"
    code, _, err, elapsed = _parse(url, "--timeout", "5")
    assert code == 1
    assert err == [f"podsum: {url}: TLS error: the secure connection could not be set up"]
    assert elapsed < 15
