"""Deterministic mangling of real pages: what broken copies, hostile pages and bad tools
do to a summary page. Used by the hostile-input tests and the fuzz target."""

from __future__ import annotations

import random

CONTROL = [
    "\x00",
    "\x07",
    "\x08",
    "\x1b",
    "\x1b[31m",
    "\x1b[2J",
    "\x1b]8;;http://x\x07",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x85",
    "\x9b1m",
    "\x9d0;title\x07",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\r",
    "\x0c",
    "\ud800",
    "\udfff",
]
SUBSTITUTIONS = [
    ("3 insights", "0 insights"),
    ("2 insights", "999999 insights"),
    ("July 31, 2025", "February 30, 2025"),
    ("Jul 4, 2024", "Smarch 4, 2024"),
    ("1:04:21", "1:99:99"),
    ("45:01", "99:99"),
    ("54.9 Thousand views", "99999999999999999999 Billion views"),
    ("views", "views views"),
    ("TL;DR", "TL;DR TL;DR"),
    ("Bottom Line", "Bottom Line: [bold]x[/]"),
    (" | ", " | | "),
    ("\n\n", "\n"),
    ("\n", "\n\n\n"),
    ("·", "|"),
]


def mangle(page: bytes, rng: random.Random) -> str | bytes:
    """One random mangling (or a few stacked) of a page's bytes."""
    text = page.decode("utf-8", errors="replace")
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(9)
        lines = text.split("\n")
        if op == 0:  # truncate anywhere
            text = text[: rng.randrange(len(text) + 1)]
        elif op == 1:  # shuffle some lines
            i, j = sorted(rng.sample(range(len(lines)), 2)) if len(lines) > 1 else (0, 0)
            chunk = lines[i:j]
            rng.shuffle(chunk)
            text = "\n".join(lines[:i] + chunk + lines[j:])
        elif op == 2:  # insert control characters and escapes
            for _ in range(rng.randint(1, 8)):
                at = rng.randrange(len(text) + 1)
                text = text[:at] + rng.choice(CONTROL) + text[at:]
        elif op == 3:  # substitute impossible values
            old, new = rng.choice(SUBSTITUTIONS)
            text = text.replace(old, new)
        elif op == 4:  # drop lines
            text = "\n".join(ln for ln in lines if rng.random() > 0.2)
        elif op == 5:  # duplicate a block
            i = rng.randrange(len(lines))
            text = "\n".join(lines[:i] + lines[i : i + 10] * 3 + lines[i:])
        elif op == 6:  # a huge line
            at = rng.randrange(len(lines))
            lines[at] = lines[at] * rng.randint(20, 100)
            text = "\n".join(lines)
        elif op == 7:  # numbers grow
            text = text.replace("10", "1" + "0" * rng.randint(5, 40))
        else:  # glue lines together
            text = text.replace("\n", rng.choice([" ", "", "\t", " | "]), rng.randint(1, 20))
    kind = rng.randrange(6)
    if kind == 0:
        return text  # str input, possibly with lone surrogates
    if kind == 1:
        data = text.encode("utf-16", errors="surrogatepass")
        return data[: len(data) - rng.randint(0, 1)]  # odd-length UTF-16 half the time
    if kind == 2:
        return text.encode("cp1252", errors="replace")
    if kind == 3:
        return text.encode("utf-8", errors="surrogatepass")  # CESU-style lone surrogates
    if kind == 4:
        return b"\xef\xbb\xbf" + text.encode("utf-8", errors="replace")
    return text.encode("utf-8", errors="replace")
