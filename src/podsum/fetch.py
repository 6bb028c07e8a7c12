"""Fetching a summary page over http(s), defensively.

A hostile or broken server must not hang podsum, fill memory or smuggle it onto another
scheme: one wall-clock deadline covers the whole download (connect, status line, headers
and body of every redirect hop; a server that drips a byte at a time, or sends endless
``100 Continue`` interim responses, is still cut off), the decoded body is capped while
it streams (Content-Length is never trusted), every redirect hop is checked, only
page-like content types are read, and text the server sends is cleaned before it
appears in an error message.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from email.message import Message
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from . import __version__
from .errors import SourceError
from .sources import Raw

if TYPE_CHECKING:
    from requests import Response

MAX_REDIRECTS = 5
MAX_RETRIES = 2
MAX_RETRY_AFTER = 5.0
USER_AGENT = f"podsum/{__version__} (+https://pypi.org/project/podsum/)"
_READABLE = {
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/markdown",
    "text/x-markdown",
    "application/json",
    "application/x-ndjson",
    "application/jsonl",
    "application/ld+json",
}


class _Deadline:
    """One wall-clock deadline for a whole download, enforced by a watchdog thread.

    Socket timeouts bound each recv on its own, so a server that sends one byte every
    half second (or one ``100 Continue`` after another) never trips them, and urllib3
    gives no hook between the bytes of a status line or header. So the request runs in
    the calling thread as usual, and a ``threading.Timer`` fires once when the deadline
    passes and shuts down (``shutdown(SHUT_RDWR)``) every socket the download opened: a
    recv blocked in http.client or urllib3 returns end-of-file at once and the request
    fails, which ``fetch`` reports as the timeout. Shutdown, not close, so the file
    descriptor stays owned by its connection and is never closed twice or reused under a
    reader. Each socket is watched through a ``dup()`` of it: TLS wrapping detaches the
    original socket object, while the duplicate refers to the same connection for as
    long as it is held. On exit the timer is cancelled and joined and the duplicates
    closed, so no thread or descriptor outlives the fetch.

    A socket can only be watched once it is connected, so the TCP connect itself is
    bounded by its socket timeout, set to the time left. Name resolution is not covered:
    getaddrinfo cannot be interrupted and is bounded by the system resolver's timeouts.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    @property
    def message(self) -> str:
        return f"timed out after {self.seconds:g} s"

    def left(self) -> float:
        return self.at - time.monotonic()

    def watch(self, sock: socket.socket) -> None:
        dup = sock.dup()
        with self._lock:
            self._sockets.append(dup)
            if self.expired:  # connected just as time ran out
                _shutdown(dup)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._timer.cancel()
        self._timer.join()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the server, or never connected
        sock.shutdown(socket.SHUT_RDWR)


# The deadline of the fetch running in this thread; the connection classes below hand it
# every socket they open (requests runs the whole request in the calling thread).
_ACTIVE = threading.local()


def _watched(sock: socket.socket) -> socket.socket:
    deadline: _Deadline | None = getattr(_ACTIVE, "deadline", None)
    if deadline is not None:
        deadline.watch(sock)
    return sock


class _WatchedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _watched(super()._new_conn())


class _WatchedHTTPSConnection(HTTPSConnection):
    # The plain TCP socket, before TLS: the handshake is under the deadline too.
    def _new_conn(self) -> socket.socket:
        return _watched(super()._new_conn())


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_POOLS: dict[str, type[HTTPConnectionPool]] = {"http": _HTTPPool, "https": _HTTPSPool}


class _WatchedAdapter(HTTPAdapter):
    """An adapter whose connections (direct or through an HTTP proxy) are watched."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        # SOCKS proxies bring their own connection classes; those keep socket timeouts.
        if manager.pool_classes_by_scheme is urllib3.poolmanager.pool_classes_by_scheme:
            manager.pool_classes_by_scheme = _POOLS
        return manager


def _printable(text: str, limit: int = 100) -> str:
    """Text a server sent, fit for an error line: no control or format characters."""
    clean = "".join(ch for ch in text if ch.isprintable())
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _content_type(resp: Response) -> tuple[str | None, str | None]:
    header = resp.headers.get("Content-Type")
    if not header:
        return None, None
    msg = Message()
    msg["content-type"] = header
    charset = msg.get_param("charset")
    return msg.get_content_type(), charset if isinstance(charset, str) else None


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise SourceError(f"refusing to follow a redirect to a {scheme or 'relative'}: URL")


def _retry_delay(resp: Response, attempt: int) -> float:
    value = str(resp.headers.get("Retry-After", ""))
    try:
        return float(min(max(float(value), 0.0), MAX_RETRY_AFTER))
    except ValueError:
        return min(0.5 * 2.0**attempt, MAX_RETRY_AFTER)


def _read_capped(resp: Response, max_bytes: int, deadline: _Deadline) -> bytes:
    chunks: list[bytes] = []
    size = 0
    raw = resp.raw
    while True:
        if deadline.left() <= 0:
            raise SourceError(deadline.message)
        # read1 returns what has arrived instead of waiting for a full buffer, so the
        # deadline is checked even when the server drips one byte at a time.
        chunk = raw.read1(65536, decode_content=True)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(f"page is larger than --max-bytes ({max_bytes:,} bytes)")
        chunks.append(chunk)


def _describe(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.exceptions.SSLError):
        text = str(exc)
        if "CERTIFICATE_VERIFY_FAILED" in text or "certificate" in text.lower():
            return "TLS error: the server's certificate could not be verified"
        return "TLS error: the secure connection could not be set up"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "timed out connecting"
    if isinstance(exc, requests.exceptions.Timeout):
        return "timed out waiting for the server"
    if isinstance(exc, requests.exceptions.ConnectionError):
        text = str(exc)
        if "Name or service not known" in text or "getaddrinfo" in text or "resolve" in text:
            return "could not resolve the host name"
        if "refused" in text:
            return "connection refused"
        return "connection failed"
    if isinstance(exc, requests.exceptions.InvalidURL):
        return "invalid URL"
    return f"request failed ({type(exc).__name__})"


def fetch(url: str, *, max_bytes: int, timeout: float) -> Raw:
    _check_scheme(url)
    previous = getattr(_ACTIVE, "deadline", None)
    with _Deadline(timeout) as deadline:
        _ACTIVE.deadline = deadline
        try:
            raw = _fetch(url, max_bytes, deadline)
        except Exception:
            # Once the watchdog has shut the sockets, whatever broke is the deadline's doing.
            if deadline.expired or deadline.left() <= 0:
                raise SourceError(deadline.message) from None
            raise
        finally:
            _ACTIVE.deadline = previous
        if deadline.expired:  # a body without Content-Length, cut short, looks complete
            raise SourceError(deadline.message)
        return raw


def _fetch(url: str, max_bytes: int, deadline: _Deadline) -> Raw:
    seen = {url}
    with requests.Session() as session:
        session.mount("http://", _WatchedAdapter())
        session.mount("https://", _WatchedAdapter())
        session.headers["User-Agent"] = USER_AGENT
        session.headers["Accept"] = (
            "text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,"
            "application/json;q=0.8,*/*;q=0.1"
        )
        redirects = 0
        attempt = 0
        while True:
            remaining = deadline.left()
            if remaining <= 0:
                raise SourceError(deadline.message)
            try:
                # Socket timeouts as a first line (they end a silent server); the
                # watchdog enforces the deadline across bytes, headers and hops.
                resp = session.get(
                    url,
                    stream=True,
                    allow_redirects=False,
                    timeout=(min(remaining, 10.0), remaining),
                )
            except requests.RequestException as exc:
                raise SourceError(_describe(exc)) from None
            with resp:
                if resp.is_redirect:
                    location = resp.headers.get("Location", "")
                    next_url = urljoin(url, location)
                    _check_scheme(next_url)
                    redirects += 1
                    if next_url in seen:
                        raise SourceError("redirect loop")
                    if redirects > MAX_REDIRECTS:
                        raise SourceError(f"more than {MAX_REDIRECTS} redirects")
                    seen.add(next_url)
                    url = next_url
                    continue
                if (resp.status_code == 429 or resp.status_code >= 500) and (attempt < MAX_RETRIES):
                    delay = _retry_delay(resp, attempt)
                    attempt += 1
                    if delay < deadline.left():
                        time.sleep(delay)
                        continue
                if resp.status_code >= 400:
                    reason = _printable(resp.reason or "")
                    raise SourceError(f"HTTP {resp.status_code} {reason}".strip())
                ctype, charset = _content_type(resp)
                if ctype is not None and ctype not in _READABLE:
                    raise SourceError(f"not a summary page (content type {_printable(ctype)})")
                try:
                    data = _read_capped(resp, max_bytes, deadline)
                except requests.RequestException as exc:
                    raise SourceError(_describe(exc)) from None
                except urllib3.exceptions.ReadTimeoutError:
                    raise SourceError("timed out waiting for the server") from None
                except urllib3.exceptions.DecodeError:
                    raise SourceError("could not decompress the page") from None
                except (urllib3.exceptions.HTTPError, OSError) as exc:
                    raise SourceError(f"download failed ({type(exc).__name__})") from None
                return Raw(data, resp.url or url, kind="url", charset=charset)
