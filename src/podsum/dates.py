"""The dates ``--since`` and ``--until`` take: ISO dates (2025-07-31), the forms pages
write (Jul 31, 2025), ``today``, ``yesterday``, and spans back from today: ``30d``,
``2w``, ``3m`` (calendar months) and ``1y``."""

from __future__ import annotations

import calendar
import datetime as _dt
import re

_SPAN = re.compile(r"(\d{1,6})\s*([dwmy])")
HINT = "use a date like 2025-07-31, 'Jul 31, 2025', today, yesterday, 30d, 2w, 3m or 1y"


def _months_back(day: _dt.date, months: int) -> _dt.date:
    """The same day ``months`` calendar months earlier (Mar 31 - 1m is Feb 28 or 29)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    if year < 1:
        raise OverflowError
    last = calendar.monthrange(year, month0 + 1)[1]
    return _dt.date(year, month0 + 1, min(day.day, last))


def parse_date_arg(value: str, today: _dt.date | None = None) -> str:
    """The ISO date ``value`` names; ``ValueError`` with a one-line reason if none."""
    text = value.strip().lower()
    today = today or _dt.date.today()
    try:
        if text == "today":
            return today.isoformat()
        if text == "yesterday":
            return (today - _dt.timedelta(days=1)).isoformat()
        span = _SPAN.fullmatch(text)
        if span:
            n, unit = int(span.group(1)), span.group(2)
            if unit == "d":
                return (today - _dt.timedelta(days=n)).isoformat()
            if unit == "w":
                return (today - _dt.timedelta(weeks=n)).isoformat()
            return _months_back(today, n if unit == "m" else 12 * n).isoformat()
    except OverflowError:
        raise ValueError(f"{value.strip()!r} reaches back before the year 1") from None
    from .values import parse_date

    iso = parse_date(value.strip())
    if iso is None:
        raise ValueError(f"{value.strip()!r} is not a date; {HINT}")
    return iso
