"""Calendar dates as members type them: ISO and common US forms, plus month arithmetic for CE cycles.

Accepted: ``2026-05-01``, ``2026/5/1``, ``5/1/2026``, ``5-1-2026``, ``5/1/26``, ``May 1 2026``,
``May 1, 2026``, ``1 May 2026``, ``Sept. 3rd, 2025``, ``today``, ``yesterday``. Slashes and dashes with
the year last are read month first (US). Anything else is refused with an example.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from bot.domain.errors import HarborError

EARLIEST = date(1990, 1, 1)
EXAMPLE = "2026-05-01, 5/1/2026, May 1 2026 or 1 May 2026"

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$", re.ASCII)
_US = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$", re.ASCII)
_MONTH_FIRST = re.compile(r"^([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$", re.ASCII)
_DAY_FIRST = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?,? (\d{4})$", re.ASCII)


class DateError(HarborError, ValueError):
    """A date that cannot be read or is out of range; the message says what to type instead."""


def _build(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        msg = f"“{text[:40]}” is not a real calendar date; write e.g. {EXAMPLE}"
        raise DateError(msg) from None


def parse_date(text: str, today: date) -> date:
    """Read a date in ISO or a common US form; `today` resolves "today" and two-digit years."""
    raw = " ".join((text or "").strip().lower().split())
    if raw == "today":
        return today
    if raw == "yesterday":
        return today - timedelta(days=1)
    if match := _ISO.match(raw):
        return _build(int(match[1]), int(match[2]), int(match[3]), text)
    if match := _US.match(raw):
        year = int(match[3])
        if len(match[3]) == 2:
            # Two-digit years belong to the century that keeps them nearest to today.
            year += (today.year // 100) * 100
            if year > today.year + 50:
                year -= 100
        return _build(year, int(match[1]), int(match[2]), text)
    for pattern, month_at, day_at in ((_MONTH_FIRST, 1, 2), (_DAY_FIRST, 2, 1)):
        if (match := pattern.match(raw)) and match[month_at] in _MONTHS:
            return _build(int(match[3]), _MONTHS[match[month_at]], int(match[day_at]), text)
    msg = f"“{(text or '').strip()[:40]}” is not a date I can read; write e.g. {EXAMPLE}"
    raise DateError(msg)


def parse_past_date(text: str, today: date) -> date:
    """A date on which something happened: from 1990 to today."""
    value = parse_date(text, today)
    if value > today:
        msg = f"{value.isoformat()} is in the future; log training you have completed, e.g. {today.isoformat()}"
        raise DateError(msg)
    if value < EARLIEST:
        msg = f"{value.isoformat()} is before 1990; check the year, e.g. {today.isoformat()}"
        raise DateError(msg)
    return value


def parse_future_date(text: str, today: date, *, years: int = 10) -> date:
    """An expiry date: today or later, at most `years` ahead."""
    value = parse_date(text, today)
    example = add_months(today, 24).isoformat()
    if value < today:
        msg = f"{value.isoformat()} is in the past; give the date your credential expires next, e.g. {example}"
        raise DateError(msg)
    if value > add_months(today, 12 * years):
        msg = f"{value.isoformat()} is more than {years} years away; check the year, e.g. {example}"
        raise DateError(msg)
    return value


def add_months(day: date, months: int) -> date:
    """Shift by whole months, clamping the day to the target month's length (Mar 31 − 1 month = Feb 28/29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
