"""Natural-language date-times in a member's own zone ("next tue 6pm", "tomorrow 18:30", "in 2 hours").

Parsing is `dateparser`'s (chosen on `bench/when_parsers.py`: 49 of 50 phrases right, against 47 for
parsedatetime and 33 for dateutil's parser), with two rules of Harbor's on top:

- a bare weekday names the next such day, and today when the time is still ahead ("friday 7pm" on a
  Friday morning is tonight, as a member means it);
- the wall-clock result is placed in the member's zone by `zoneinfo`: a time that does not exist there
  (the skipped hour of a spring-forward) is refused with a clear message, and a time that happens twice
  (the repeated hour of a fall-back) is the first of the two.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.errors import HarborError

MAX_LENGTH = 100
EXAMPLES = '"next tue 6pm", "tomorrow 18:30", "2027-03-09 6pm" or "in 2 hours"'

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_BARE_WEEKDAY = re.compile(
    r"^\s*(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?(\s|$)(?!.*\b(next|last|this|week|\d{4}|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))",
    re.IGNORECASE,
)


class WhenError(HarborError, ValueError):
    """A date-time a member typed that Harbor cannot use; the message says what to type instead."""


def parse_local(text: str, now_local: datetime) -> datetime:
    """The naive local wall-clock time `text` means, seen from `now_local` (naive, the member's zone)."""
    import dateparser  # imported on first use: it costs ~70 ms and most start-ups never parse a time

    phrase = " ".join(text.split())
    if not phrase:
        raise WhenError(f"Type a date and time, for example {EXAMPLES}.")
    if len(phrase) > MAX_LENGTH:
        raise WhenError(f"That is too long for a date and time; try something like {EXAMPLES}.")
    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": now_local.replace(tzinfo=None),
        "DATE_ORDER": "MDY",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
    }
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    if parsed is None:
        raise WhenError(f"Harbor couldn't read “{phrase[:40]}” as a date and time. Try {EXAMPLES}.")
    parsed = parsed.replace(tzinfo=None, second=0, microsecond=0)
    match = _BARE_WEEKDAY.match(phrase)
    if match and _WEEKDAYS.index(match.group(1).lower()) == now_local.weekday():
        today = parsed - timedelta(days=7)
        if today.date() == now_local.date() and today > now_local.replace(tzinfo=None):
            parsed = today
    return parsed


def to_utc(local: datetime, zone: str) -> datetime:
    """Place a naive wall-clock time in `zone` and return it in UTC; refuse a time the zone skips."""
    tz = ZoneInfo(zone)
    first = local.replace(tzinfo=tz, fold=0)
    # A skipped time does not survive the round trip through UTC.
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != local:
        raise WhenError(
            f"{local:%Y-%m-%d %H:%M} doesn't exist in {zone}: the clocks skip that hour. Pick a time an hour later."
        )
    return first.astimezone(UTC)


def parse_in_zone(text: str, now: datetime, zone: str) -> datetime:
    """What `text` means in the member's `zone`, as an aware UTC datetime; `now` is aware."""
    now_local = now.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    return to_utc(parse_local(text, now_local), zone)


def describe(when: datetime) -> str:
    """Discord timestamp markup: each reader sees it in their own zone."""
    stamp = int(when.timestamp())
    return f"<t:{stamp}:F> (<t:{stamp}:R>)"
