"""Recurring wall-clock schedules in a member's or server's time zone, daylight-saving safe.

A `Recurrence` is stored as JSON on a schedule row; `next_after()` gives the next firing strictly
after a moment. Local wall-clock time is kept across DST changes (09:00 stays 09:00 local); a time
that does not exist on a spring-forward day fires at the equivalent instant just after the gap.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.errors import HarborError

KINDS = ("daily", "weekdays", "weekly", "every_weeks", "monthly")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?\s*$", re.IGNORECASE | re.ASCII)


class RecurrenceError(HarborError, ValueError):
    """A schedule definition that cannot work; the message says what to give instead."""


def parse_time(text: str) -> time:
    """Parse "09:00", "9:00", "9am", "9:30 pm", "21:15"; refuse "25:00" and nonsense with an example."""
    match = _TIME.match(text or "")
    if not match:
        msg = f"“{text[:40]}” is not a time; use 24-hour 09:00 or 21:30, or 9am / 9:30pm"
        raise RecurrenceError(msg)
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = (match.group(3) or "").lower().replace(".", "")
    if meridiem:
        if not 1 <= hour <= 12:
            msg = f"“{text[:40]}” is not a time; with am/pm the hour is 1–12, e.g. 9am or 9:30pm"
            raise RecurrenceError(msg)
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        msg = f"“{text[:40]}” is not a time of day; use 00:00–23:59, e.g. 09:00 or 21:30"
        raise RecurrenceError(msg)
    return time(hour, minute)


def parse_weekday(text: str) -> int:
    """Monday=0 … Sunday=6, from a name or a 3-letter prefix."""
    key = (text or "").strip().lower()
    for index, name in enumerate(WEEKDAYS):
        if len(key) >= 3 and name.startswith(key):
            return index
    msg = f"“{text[:20]}” is not a weekday; use monday … sunday"
    raise RecurrenceError(msg)


def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name, or a RecurrenceError."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        msg = f"unknown time zone “{name[:40]}”"
        raise RecurrenceError(msg) from exc


@dataclass(frozen=True, slots=True)
class Recurrence:
    """When a schedule fires: a kind, a local time, a zone and the kind's extra fields."""

    kind: str
    at: str  # "HH:MM" local
    tz: str = "UTC"
    weekday: int | None = None  # weekly / every_weeks
    interval: int = 1  # every_weeks
    anchor: str | None = None  # every_weeks: ISO date of a week that fires
    day: int | None = None  # monthly: day of month (clamped to the month's length)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            msg = f"unknown cadence {self.kind!r}"
            raise RecurrenceError(msg)
        parse_time(self.at)
        zone(self.tz)
        if self.kind in ("weekly", "every_weeks") and self.weekday is None:
            msg = "a weekly schedule needs a weekday"
            raise RecurrenceError(msg)
        if self.kind == "every_weeks" and not 1 <= self.interval <= 52:
            msg = "every_weeks needs an interval of 1–52 weeks"
            raise RecurrenceError(msg)
        if self.kind == "monthly" and not (self.day and 1 <= self.day <= 31):
            msg = "a monthly schedule needs a day of the month, 1–31"
            raise RecurrenceError(msg)

    def to_json(self) -> str:
        """Serialise for the schedules table."""
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Recurrence:
        """Read what `to_json` wrote."""
        return cls(**json.loads(text))

    def _fires_on(self, day: date) -> bool:
        if self.kind == "daily":
            return True
        if self.kind == "weekdays":
            return day.weekday() < 5
        if self.kind == "weekly":
            return day.weekday() == self.weekday
        if self.kind == "every_weeks":
            if day.weekday() != self.weekday:
                return False
            anchor = date.fromisoformat(self.anchor) if self.anchor else day
            weeks = (day - anchor).days // 7
            return weeks % self.interval == 0
        # monthly: the configured day, or the month's last day when it is shorter
        last = (date(day.year + day.month // 12, day.month % 12 + 1, 1) - timedelta(days=1)).day
        return day.day == min(self.day or 1, last)

    def next_after(self, after: datetime) -> datetime:
        """The first firing strictly after `after` (aware), as an aware UTC datetime."""
        tz = zone(self.tz)
        local_time = parse_time(self.at)
        day = after.astimezone(tz).date()
        for _ in range(800):  # > two years of days: enough for any kind above
            if self._fires_on(day):
                candidate = datetime.combine(day, local_time, tzinfo=tz)
                # Normalise through UTC so a time inside a DST gap lands just after it.
                candidate_utc = candidate.astimezone(UTC)
                if candidate_utc > after:
                    return candidate_utc
            day += timedelta(days=1)
        msg = "schedule never fires"
        raise RecurrenceError(msg)
