"""Fetching a summary page over http(s), defensively.

A hostile or broken server must not hang podsum, fill memory or smuggle it onto another
scheme: one deadline covers the whole download (a server that drips a byte at a time is
still cut off), the decoded body is capped while it streams (Content-Length is never
trusted), every redirect hop is checked, and only page-like content types are read.
"""

from __future__ import annotations

import time
from email.message import Message
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

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


def _read_capped(resp: Response, max_bytes: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    raw = resp.raw
    while True:
        if time.monotonic() > deadline:
            raise SourceError("timed out while downloading (the whole download has a deadline)")
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
    deadline = time.monotonic() + timeout
    seen = {url}
    with requests.Session() as session:
        session.headers["User-Agent"] = USER_AGENT
        session.headers["Accept"] = (
            "text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9,"
            "application/json;q=0.8,*/*;q=0.1"
        )
        redirects = 0
        attempt = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SourceError("timed out")
            try:
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
                    if time.monotonic() + delay < deadline:
                        time.sleep(delay)
                        continue
                if resp.status_code >= 400:
                    raise SourceError(f"HTTP {resp.status_code} {resp.reason or ''}".strip())
                ctype, charset = _content_type(resp)
                if ctype is not None and ctype not in _READABLE:
                    raise SourceError(f"not a summary page (content type {ctype})")
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
