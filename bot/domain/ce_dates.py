"""CE's rules for dates members give, and month arithmetic for CE cycles.

Reading the text is `bot.domain.parse.parse_date` (through the `LocalDate` transformer); this module only
says which dates CE takes: training completed from 1990 up to the member's today, and an expiry from
today up to ten years ahead.
"""

from __future__ import annotations

import calendar
from datetime import date

from bot.domain.errors import HarborError

EARLIEST = date(1990, 1, 1)


class DateError(HarborError, ValueError):
    """A date outside what CE accepts; the message says what to give instead."""


def check_past_date(value: date, today: date) -> date:
    """A date on which something happened: from 1990 to today."""
    if value > today:
        msg = f"{value.isoformat()} is in the future; log training you have completed, e.g. {today.isoformat()}"
        raise DateError(msg)
    if value < EARLIEST:
        msg = f"{value.isoformat()} is before 1990; check the year, e.g. {today.isoformat()}"
        raise DateError(msg)
    return value


def check_future_date(value: date, today: date, *, years: int = 10) -> date:
    """An expiry date: today or later, at most `years` ahead."""
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
