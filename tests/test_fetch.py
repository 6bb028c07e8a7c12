"""URL sources against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import gc
import gzip
import json
import os
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import urlsplit

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


# --- Servers that never finish their headers -------------------------------------------
#
# Raw sockets, because http.server cannot misbehave before the status line is done. Each
# connection gets a thread named "hostile-…"; every path is bounded (about 20 s) so a
# podsum without a wall-clock deadline fails these tests instead of hanging them.

HOSTILE_STOP = threading.Event()
DRIP_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"z" * 1000


def _send_slowly(conn: socket.socket, data: bytes, gap: float) -> bool:
    for i in range(len(data)):
        if HOSTILE_STOP.wait(gap):
            return False
        try:
            conn.sendall(data[i : i + 1])
        except OSError:
            return False
    return True


def _hop(path: str) -> bytes:
    """A complete 302 to the next hop (keep-alive, so the client reuses the socket)."""
    n = int(path.removeprefix("/hop"))
    return f"HTTP/1.1 302 Found\r\nLocation: /hop{n + 1}\r\nContent-Length: 0\r\n\r\n".encode()


def _hostile(conn: socket.socket) -> None:
    with conn:
        buffer = b""
        while True:  # one request after another on the same connection
            while b"\r\n\r\n" not in buffer:
                try:
                    data = conn.recv(4096)
                except OSError:
                    return
                if not data:
                    return
                buffer += data
                if buffer.startswith(b"\x16"):  # a TLS ClientHello: drip a handshake record
                    _send_slowly(conn, b"\x16\x03\x03\x40\x00" + b"\x02" * 35, 0.5)
                    return
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            path = urlsplit(head.split(b" ")[1].decode()).path  # proxies get whole URLs
            if path == "/drip-headers":  # one byte every 0.5 s, for about 20 s
                _send_slowly(conn, DRIP_HEAD[:40], 0.5)
                return
            if path == "/continue":  # an interim response every 0.1 s, for about 20 s
                for _ in range(200):
                    if HOSTILE_STOP.wait(0.1):
                        return
                    try:
                        conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
                    except OSError:
                        return
                return
            if path == "/silent":  # accepts, reads the request, never answers
                HOSTILE_STOP.wait(20)
                return
            if path == "/redirect-to-drip":
                conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: /drip-headers\r\n")
                conn.sendall(b"Content-Length: 0\r\n\r\n")
                continue
            if path.startswith("/hop"):  # each redirect takes about 1.2 s to arrive
                if not _send_slowly(conn, _hop(path), 1.2 / len(_hop(path))):
                    return
                continue
            if path == "/bad-reason":
                conn.sendall(b"HTTP/1.1 404 Gone\x1b[2J\x1b]52;c;aGk=\x07 \x9b31m\r\n")
                conn.sendall(b"Content-Length: 0\r\n\r\n")
                continue
            if path == "/bad-type":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\x1b[31m\x08\r\n")
                conn.sendall(b"Content-Length: 0\r\n\r\n")
                continue
            return


@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    HOSTILE_STOP.clear()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)

    def accept() -> None:
        while not HOSTILE_STOP.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            threading.Thread(
                target=_hostile, args=(conn,), name="hostile-conn", daemon=True
            ).start()

    acceptor = threading.Thread(target=accept, name="hostile-accept", daemon=True)
    acceptor.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    HOSTILE_STOP.set()
    acceptor.join()
    listener.close()


@pytest.mark.parametrize("path", ["/drip-headers", "/continue", "/silent", "/redirect-to-drip"])
def test_deadline_covers_status_line_and_headers(hostile: str, path: str) -> None:
    code, record, err, elapsed = _parse(f"{hostile}{path}", "--timeout", "2")
    assert elapsed < 2 + 1.5, (elapsed, err)
    assert code == 1 and record is None
    assert err == [f"podsum: {hostile}{path}: timed out after 2 s"]


def test_one_deadline_for_all_redirect_hops(hostile: str) -> None:
    # Every hop alone is well inside the deadline; together they are not.
    code, _, err, elapsed = _parse(f"{hostile}/hop1", "--timeout", "2")
    assert elapsed < 2 + 1.5, (elapsed, err)
    assert code == 1
    assert err == [f"podsum: {hostile}/hop1: timed out after 2 s"]


def test_deadline_covers_the_tls_handshake(hostile: str) -> None:
    url = hostile.replace("http://", "https://") + "/"
    code, _, err, elapsed = _parse(url, "--timeout", "2")
    assert elapsed < 2 + 1.5, (elapsed, err)
    assert code == 1 and err == [f"podsum: {url}: timed out after 2 s"]


def test_deadline_holds_through_an_http_proxy(hostile: str) -> None:
    # The hostile server plays the proxy; the host name is never resolved by podsum.
    url = "http://podsum.invalid/drip-headers"
    env = {"HTTP_PROXY": hostile, "http_proxy": hostile, "NO_PROXY": "", "no_proxy": ""}
    started = time.monotonic()
    proc = run_cli("parse", "--timeout", "2", url, env=env)
    elapsed = time.monotonic() - started
    assert elapsed < 2 + 1.5, (elapsed, proc.stderr)
    assert proc.returncode == 1
    assert proc.stderr.decode().splitlines() == [f"podsum: {url}: timed out after 2 s"]


def test_a_dripping_url_does_not_stop_an_ingest(hostile: str) -> None:
    proc = run_cli("ingest", "--timeout", "2", f"{hostile}/drip-headers", str(SEED))
    assert proc.returncode == 1
    assert proc.stderr.decode().splitlines() == [
        f"podsum: {hostile}/drip-headers: timed out after 2 s"
    ]
    assert proc.stdout.decode().splitlines() == ["1 new, 0 updated, 0 unchanged, 1 failed"]
    listed = json.loads(run_cli("list", "--format", "json").stdout)
    assert [item["title"] for item in listed] == [
        "China Open-Source, Compute Arms Race, Reordering Global Trade"
    ]


def _sockets_to(port: int) -> int:
    """How many of this process's descriptors are client sockets connected to ``port``."""
    count = 0
    for name in os.listdir("/proc/self/fd"):
        try:
            sock = socket.socket(fileno=os.dup(int(name)))
        except OSError:  # not a socket, or already gone
            continue
        with sock, contextlib.suppress(OSError):  # OSError: not connected
            count += sock.family == socket.AF_INET and sock.getpeername()[1] == port
    return count


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_timed_out_fetches_leave_no_thread_or_socket(hostile: str) -> None:
    from podsum.errors import SourceError
    from podsum.fetch import fetch

    def ours() -> set[threading.Thread]:  # not the test servers' threads
        return {t for t in threading.enumerate() if not t.name.startswith("hostile-")}

    before = ours()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)  # a socket left to the collector
        for i in range(20):
            path = ["/drip-headers", "/continue", "/silent", "/redirect-to-drip"][i % 4]
            with pytest.raises(SourceError, match=r"^timed out after 0.2 s$"):
                fetch(f"{hostile}{path}", max_bytes=100_000, timeout=0.2)
        gc.collect()
    assert [str(w.message) for w in caught] == []
    assert ours() - before == set()  # no watchdog left running
    assert _sockets_to(int(hostile.rsplit(":", 1)[1])) == 0  # every connection closed


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/bad-reason", "HTTP 404 Gone[2J]52;c;aGk= 31m"),
        ("/bad-type", "not a summary page (content type image/png[31m)"),
    ],
)
def test_server_text_in_errors_has_no_control_characters(
    hostile: str, path: str, reason: str
) -> None:
    code, _, err, _ = _parse(f"{hostile}{path}")
    assert code == 1
    assert err == [f"podsum: {hostile}{path}: {reason}"]
