"""Option text → typed values: durations, calendar dates and time-zone names (pure; no `discord`).

`bot/transformers.py` wraps these in `app_commands.Transformer`s; times of day and weekdays are
`bot.domain.recurrence.parse_time` / `parse_weekday`, natural-language date-times `bot.domain.when`.
Every refusal is a `ParseError` (a `HarborError`) whose message says what to type instead.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import re
from datetime import date, datetime, timedelta
from zoneinfo import available_timezones

from bot.domain.errors import HarborError

DURATION_EXAMPLES = "`90m`, `2h` or `1d12h`"
DATE_EXAMPLES = "`2027-03-09`, `3/9/2027`, `march 9` or `yesterday`"
MAX_DURATION = timedelta(days=366)
_UNITS = {
    "w": timedelta(weeks=1),
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
    "s": timedelta(seconds=1),
}
_UNIT_WORDS = {
    "week": "w",
    "weeks": "w",
    "wk": "w",
    "wks": "w",
    "day": "d",
    "days": "d",
    "hour": "h",
    "hours": "h",
    "hr": "h",
    "hrs": "h",
    "minute": "m",
    "minutes": "m",
    "min": "m",
    "mins": "m",
    "sec": "s",
    "secs": "s",
    "second": "s",
    "seconds": "s",
}
_PART = re.compile(r"(\d{1,6})\s*([a-z]+)", re.ASCII)


class ParseError(HarborError, ValueError):
    """Option text that is not the kind of value asked for; the message gives examples."""


def parse_duration(
    text: str, *, minimum: timedelta = timedelta(minutes=1), maximum: timedelta = MAX_DURATION
) -> timedelta:
    """A duration ("90m", "2h", "1d12h", "1 day 2 hours", "2w") as a timedelta within `minimum`…`maximum`.

    ASCII digits and unit letters only (weeks, days, hours, minutes); each unit at most once, larger
    units first; zero, negative and longer-than-`maximum` durations are refused with a message.
    Seconds are read only so that "30s" is refused as too short rather than as unreadable: a
    duration is always whole minutes.
    """
    raw = (text or "").strip().lower()
    if not raw:
        raise ParseError(f"Give a duration such as {DURATION_EXAMPLES}.")
    if raw.startswith("-"):
        raise ParseError(f"“{raw[:20]}” is not a duration: a duration can't be negative; try {DURATION_EXAMPLES}.")
    compact = re.sub(r"[\s,]+", " ", raw)
    if len(compact) > 40 or not compact.isascii():
        raise ParseError(f"“{text[:20]}” is not a duration; use {DURATION_EXAMPLES}.")
    if re.search(r"\d{7,}", compact):
        raise ParseError(f"That is too long: at most {describe(maximum)}.")
    total = timedelta()
    order = list(_UNITS)
    last = -1
    position = 0
    for match in _PART.finditer(compact):
        if compact[position : match.start()].strip() not in ("", "and"):
            break
        unit = _UNIT_WORDS.get(match[2], match[2])
        if unit not in _UNITS or order.index(unit) <= last:
            break
        last = order.index(unit)
        total += int(match[1]) * _UNITS[unit]
        position = match.end()
    else:
        if position and not compact[position:].strip():
            if total <= timedelta():
                raise ParseError(f"A duration must be longer than zero; try {DURATION_EXAMPLES}.")
            if total < minimum:
                raise ParseError(f"That is too short: at least {describe(minimum)}.")
            if total > maximum:
                raise ParseError(f"That is too long: at most {describe(maximum)}.")
            if total % timedelta(minutes=1):
                raise ParseError(f"Give whole minutes, e.g. {DURATION_EXAMPLES}.")
            return total
    raise ParseError(f"“{text[:20]}” is not a duration; use {DURATION_EXAMPLES} (w, d, h, m).")


def describe(span: timedelta) -> str:
    """A duration as "1 day 12 hours", "90 minutes" → "1 hour 30 minutes", "28 days" (limits read in days)."""
    minutes = int(span.total_seconds() // 60)
    parts = []
    for name, size in (("day", 24 * 60), ("hour", 60), ("minute", 1)):
        count, minutes = divmod(minutes, size)
        if count:
            parts.append(f"{count} {name}{'s' * (count != 1)}")
    return " ".join(parts) or "0 minutes"


_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$", re.ASCII)
_US_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2}|\d{4}))?$", re.ASCII)


def _numeric_date(phrase: str, today: date, prefer: str) -> date:
    """Digits and separators read strictly: ISO year first, else US month first; never a guessed swap."""
    compact = phrase.replace(" ", "")
    if match := _ISO_DATE.match(compact):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _US_DATE.match(compact):
        month, day = int(match[1]), int(match[2])
        if match[3] is None:
            year = today.year
            with contextlib.suppress(ValueError):
                if prefer == "past" and date(year, month, day) > today:
                    year -= 1
                elif prefer == "future" and date(year, month, day) < today:
                    year += 1
        elif len(match[3]) == 2:
            # A two-digit year belongs to the century that keeps it at most 50 years ahead of today.
            year = int(match[3]) + today.year // 100 * 100
            if year > today.year + 50:
                year -= 100
        else:
            year = int(match[3])
    else:
        raise ParseError(f"“{phrase[:40]}” is not a date I can read; write e.g. {DATE_EXAMPLES}.")
    try:
        return date(year, month, day)
    except ValueError:
        raise ParseError(f"“{phrase[:40]}” is not a real calendar date; write e.g. {DATE_EXAMPLES}.") from None


def parse_date(text: str, today: date, *, prefer: str = "current_period") -> date:
    """A calendar date ("2027-03-09", "3/9/2027", "march 9", "9 mar 2027", "tomorrow") seen from `today`.

    `today` is the member's local date; `prefer` ("past", "future" or "current_period") decides the
    year of a date given without one. Dates in ASCII digits are read strictly (year first, else US
    month first; two-digit years within 50 years ahead), so "13/1/2026" is refused, not swapped; words
    go to `dateparser`. Years outside 1900–2100 are refused.
    """
    import dateparser  # imported on first use: it costs ~70 ms and most start-ups never parse a date

    phrase = " ".join((text or "").split())
    if not phrase:
        raise ParseError(f"Give a date such as {DATE_EXAMPLES}.")
    if len(phrase) > 40:
        raise ParseError(f"That is too long for a date; write e.g. {DATE_EXAMPLES}.")
    if re.fullmatch(r"[\d\s/.\-]+", phrase, re.ASCII):
        value = _numeric_date(phrase, today, prefer)
    else:
        base = datetime(today.year, today.month, today.day, 12)  # noqa: DTZ001  # a local wall-clock date, no zone
        settings = {
            "PREFER_DATES_FROM": prefer,
            "RELATIVE_BASE": base,
            "DATE_ORDER": "YMD" if re.match(r"^\d{4}\b", phrase) else "MDY",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PREFER_DAY_OF_MONTH": "first",
        }
        try:
            parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
        except (ValueError, OverflowError):
            parsed = None
        if parsed is None or not any(ch.isalnum() for ch in phrase):
            raise ParseError(f"“{phrase[:40]}” is not a date I can read; write e.g. {DATE_EXAMPLES}.")
        value = parsed.date()
    if not 1900 <= value.year <= 2100:
        raise ParseError(f"{value.year} is out of range; give a date between 1900 and 2100.")
    return value


@functools.cache
def zone_names() -> tuple[str, ...]:
    """The IANA zones offered to members: region/city names and UTC (no legacy aliases like "EST")."""
    return tuple(sorted(z for z in available_timezones() if "/" in z or z == "UTC"))


COMMON_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Phoenix",
    "America/Anchorage",
    "Pacific/Honolulu",
    "Europe/London",
    "UTC",
)


def zone_suggestions(current: str, limit: int = 25) -> list[str]:
    """Zones for autocomplete: a common few when nothing is typed, else prefix (of region or city) then substring."""
    needle = current.strip().lower().replace(" ", "_")
    if not needle:
        return list(COMMON_ZONES[:limit])
    names = zone_names()
    starts = [z for z in names if z.lower().startswith(needle) or z.lower().split("/")[-1].startswith(needle)]
    contains = [z for z in names if needle in z.lower() and z not in starts]
    return (starts + contains)[:limit]


def resolve_zone(text: str) -> str:
    """The IANA zone a member meant (case and spaces forgiven); refused with up to three close names."""
    name = (text or "").strip()
    if name in zone_names():
        return name
    exact = {z.lower(): z for z in zone_names()}.get(name.lower().replace(" ", "_"))
    if exact is not None:
        return exact
    close = difflib.get_close_matches(name.replace(" ", "_"), zone_names(), n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(f'`{c}`' for c in close)}?" if close else ""
    shown = re.sub(r"[`*_~|\\]", "", name[:64])
    raise ParseError(
        f"“{shown}” is not a time zone I know.{hint} Use a name like `America/New_York` — the list appears as you type."
    )
