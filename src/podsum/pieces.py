"""Reading a big JSON Lines file in pieces: several workers at once, in bounded memory.

A file is split only where reading it whole could give nothing different: it is strict
UTF-8 without NUL bytes (then every piece decodes exactly as the whole does), and its
first line is a whole podsum record with more after it (then the whole is read line by
line, as JSON Lines). Anything else (a pretty-printed JSON document, another encoding, a
small file) is read whole, as before. Pieces start at line starts, so each knows the
number of its first line and a failure names the line it would name in the whole file.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass, field
from typing import BinaryIO

PIECE_BYTES = 512 << 10  # about how much of the file one worker reads at a time
_SNIFF = 1 << 20  # the first line must end within this many bytes
_BLOCK = 1 << 20
_JSON_SPACE = b" \t\r\n"  # what json.loads allows after a document


@dataclass(frozen=True, slots=True)
class Piece:
    start: int  # byte offsets: a line start, and the next piece's start (or the end)
    end: int
    first_line: int
    last: bool


def plan(path: str, size: int, piece_bytes: int = PIECE_BYTES) -> list[Piece] | None:
    """The pieces of the JSON Lines file at ``path`` (``size`` bytes, from its stat), or
    None when it is to be read whole. Reads the file once, a block at a time."""
    if size < 2 * piece_bytes:
        return None
    try:
        with open(path, "rb") as f:
            return _plan(f, size, piece_bytes)
    except OSError:
        return None  # reading it whole says why, in one line


def _plan(f: BinaryIO, size: int, piece_bytes: int) -> list[Piece] | None:
    from .model import looks_like_record

    head = f.read(min(size, _SNIFF))
    skip = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    first_end = head.find(b"\n", skip)
    if first_end < 0 or head[skip:first_end].lstrip()[:1] != b"{":
        return None
    try:
        if not looks_like_record(json.loads(head[skip:first_end])):
            return None
    except (ValueError, RecursionError):
        return None
    f.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()  # strict
    starts = [(0, 1)]
    offset = newlines = 0
    target = piece_bytes
    more = False  # anything but JSON whitespace after the first line
    while block := f.read(_BLOCK):
        if b"\x00" in block:
            return None
        try:
            decoder.decode(block)
        except UnicodeDecodeError:
            return None
        if not more and offset + len(block) > first_end + 1:
            more = bool(block[max(0, first_end + 1 - offset) :].translate(None, _JSON_SPACE))
        while offset + len(block) > target:
            i = block.find(b"\n", max(0, target - offset))
            if i < 0:
                break  # the line goes on into the next block
            boundary = offset + i + 1
            if boundary < size:
                starts.append((boundary, newlines + block.count(b"\n", 0, i + 1) + 1))
            target = boundary + piece_bytes
        newlines += block.count(b"\n")
        offset += len(block)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    if not more or offset != size or len(starts) < 2:
        return None  # one record alone, or a file that changed while it was read
    ends = [s for s, _ in starts[1:]] + [offset]
    return [
        Piece(start, end, line, i == len(starts) - 1)
        for i, ((start, line), end) in enumerate(zip(starts, ends, strict=True))
    ]


def read_piece(path: str, piece: Piece) -> bytes:
    with open(path, "rb") as f:
        f.seek(piece.start)
        data = f.read(piece.end - piece.start)
    if piece.start == 0 and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    return data


@dataclass(slots=True)
class Failures:
    """The records of one file that could not be read, gathered piece by piece: the
    first few (all that the message names) and how many there are."""

    first: list[tuple[str, str]] = field(default_factory=list)
    total: int = 0
    error: str | None = None  # a piece that could not be read at all

    def add(self, failed: list[tuple[str, str]], error: str | None) -> None:
        from .api import FAILURES_NAMED

        room = FAILURES_NAMED + 1 - len(self.first)
        self.first.extend(failed[: max(0, room)])
        self.total += len(failed)
        if error is not None and self.error is None:
            self.error = error

    def message(self) -> str | None:
        from .api import failure_message

        if self.error is not None:
            return self.error
        return failure_message(self.first, self.total) if self.total else None
