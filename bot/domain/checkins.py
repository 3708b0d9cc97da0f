"""Check-ins, the pure part: moods, schedules, streaks, nudge timing, notes and group summaries.

Nothing here talks to Discord or the database; the cog and the repository feed it plain values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.domain.errors import HarborError
from bot.domain.recurrence import Recurrence, RecurrenceError, parse_time, parse_weekday

MOODS: dict[int, tuple[str, str]] = {
    1: ("😞", "rough"),
    2: ("🙁", "low"),
    3: ("😐", "okay"),
    4: ("🙂", "good"),
    5: ("😄", "great"),
}
LOW_MOOD = 2
CADENCES = ("daily", "weekdays", "weekly", "off")
NOTE_MAX = 1000
PAUSE_MAX_DAYS = 90
HISTORY_MAX_DAYS = 365
MIN_RESPONDENTS = 5
NUDGE_AFTER = timedelta(hours=4)
BUDDY_TELL_EVERY = timedelta(hours=6)
MISSED_CHOICES = (0, 1, 2, 3, 5, 7)


class CheckinError(HarborError, ValueError):
    """Input a member has to fix; the message says how, with an example."""


def mood_label(mood: int) -> str:
    """The face and number shown on a button, e.g. "😞 1"."""
    face, _ = MOODS[mood]
    return f"{face} {mood}"


def mood_word(mood: int) -> str:
    """A face and a word for a saved mood ("🙂 good")."""
    face, word = MOODS[mood]
    return f"{face} {word}"


def check_mood(value: int) -> int:
    """A mood is 1–5."""
    if value not in MOODS:
        msg = f"A mood is a number from 1 to 5, not {value}."
        raise CheckinError(msg)
    return value


@dataclass(frozen=True, slots=True)
class ScheduleRequest:
    """A validated `/checkin schedule`: `recurrence` is None for "off"."""

    cadence: str
    at: str | None
    weekday: int | None
    recurrence: Recurrence | None


def parse_schedule(cadence: str, at: str, weekday: str | None, tz: str) -> ScheduleRequest:
    """`schedule_request` from text (a stored schedule, or tests); CheckinError with an example when it doesn't fit."""
    kind = (cadence or "").strip().lower()
    if kind == "off" or kind not in CADENCES:
        return schedule_request(kind, None, None, tz)
    try:
        moment = parse_time(at)
    except RecurrenceError as exc:
        msg = f"{str(exc)[0].upper()}{str(exc)[1:]}. Example: `/checkin schedule daily 09:00`."
        raise CheckinError(msg) from None
    day: int | None = None
    if kind == "weekly" and weekday and weekday.strip():
        try:
            day = parse_weekday(weekday)
        except RecurrenceError as exc:
            msg = f"{str(exc)[0].upper()}{str(exc)[1:]}, e.g. `friday` or `fri`."
            raise CheckinError(msg) from None
    return schedule_request(kind, moment, day, tz)


def schedule_request(cadence: str, at: time | None, weekday: int | None, tz: str) -> ScheduleRequest:
    """Validate cadence, time and weekday together (typed values); CheckinError with an example when they don't fit."""
    kind = (cadence or "").strip().lower()
    if kind not in CADENCES:
        msg = f"“{kind[:20]}” is not a cadence; choose daily, weekdays, weekly or off."
        raise CheckinError(msg)
    if kind == "off":
        return ScheduleRequest("off", None, None, None)
    if at is None:
        msg = f"A {kind} check-in needs a time, e.g. `/checkin schedule {kind} 09:00`."
        raise CheckinError(msg)
    day: int | None = None
    if kind == "weekly":
        if weekday is None:
            msg = "A weekly check-in needs a weekday, e.g. `/checkin schedule weekly 18:00 friday`."
            raise CheckinError(msg)
        if not 0 <= weekday <= 6:
            msg = "A weekday is monday … sunday, e.g. `friday` or `fri`."
            raise CheckinError(msg)
        day = weekday
    hhmm = f"{at.hour:02d}:{at.minute:02d}"
    return ScheduleRequest(kind, hhmm, day, Recurrence(kind, hhmm, tz=tz, weekday=day))


def check_note(text: str) -> str | None:
    """A note is optional (blank → None) and at most NOTE_MAX characters."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    if len(cleaned) > NOTE_MAX:
        msg = f"A note can be at most {NOTE_MAX} characters (yours has {len(cleaned)}); shorten it a little."
        raise CheckinError(msg)
    return cleaned


def check_pause_days(days: int) -> int:
    """A pause lasts 1–90 days."""
    if not 1 <= days <= PAUSE_MAX_DAYS:
        msg = f"Pause for 1 to {PAUSE_MAX_DAYS} days, e.g. `/checkin pause 7`."
        raise CheckinError(msg)
    return days


def check_history_days(days: int) -> int:
    """History covers 7–365 days."""
    if not 7 <= days <= HISTORY_MAX_DAYS:
        msg = f"Show 7 to {HISTORY_MAX_DAYS} days of history, e.g. `/checkin history 30`."
        raise CheckinError(msg)
    return days


def nudge_due(sent: datetime, next_prompt: datetime | None) -> datetime:
    """When the one gentle nudge goes out: NUDGE_AFTER later, but always before the next prompt."""
    due = sent + NUDGE_AFTER
    if next_prompt is not None and next_prompt - sent < 2 * NUDGE_AFTER:
        due = sent + (next_prompt - sent) / 2
    return due


def _step_back(day: date, cadence: str) -> date:
    if cadence == "weekly":
        return day - timedelta(days=7)
    previous = day - timedelta(days=1)
    if cadence == "weekdays":
        while previous.weekday() >= 5:
            previous -= timedelta(days=1)
    return previous


def _unit(day: date, cadence: str) -> date:
    if cadence == "weekly":
        return day - timedelta(days=day.weekday())  # the Monday of its week
    if cadence == "weekdays":
        while day.weekday() >= 5:  # a weekend check-in counts for the Friday before
            day -= timedelta(days=1)
    return day


def streak(days: Iterable[date], today: date, cadence: str = "daily") -> int:
    """Consecutive check-in periods (days; weekdays; or weeks for a weekly cadence) up to today.

    A period not yet answered today does not break the streak: it counts back from the last one.
    """
    units = {_unit(d, cadence) for d in days}
    current = _unit(today, cadence)
    if current not in units:
        current = _step_back(current, cadence)
    count = 0
    while current in units:
        count += 1
        current = _step_back(current, cadence)
    return count


def streak_text(count: int, cadence: str) -> str:
    """The streak in words: "3-day streak", "2-week streak", or an encouraging start."""
    if count == 0:
        return "a fresh start"
    unit = "week" if cadence == "weekly" else ("weekday" if cadence == "weekdays" else "day")
    return f"{count}-{unit} streak"


@dataclass(frozen=True, slots=True)
class Summary:
    """Aggregates for one window; `suppressed` when fewer than MIN_RESPONDENTS members answered."""

    days: int
    respondents: int
    checkins: int
    by_mood: dict[int, int]
    scheduled_members: int

    @property
    def suppressed(self) -> bool:
        """Below the privacy floor nothing but the fact of suppression is shown."""
        return self.respondents < MIN_RESPONDENTS

    def share(self, mood: int) -> float:
        """The share of check-ins with a mood, 0–1."""
        return self.by_mood.get(mood, 0) / self.checkins if self.checkins else 0.0


def summary_lines(summary: Summary) -> list[str]:
    """Human lines for one window (only called when not suppressed)."""
    lines = [f"**{summary.respondents}** members answered **{summary.checkins}** check-ins"]
    if summary.scheduled_members:
        lines[0] += f" ({summary.scheduled_members} have a schedule)"
    for mood in sorted(MOODS, reverse=True):
        share = summary.share(mood)
        bar = "█" * round(share * 20)
        lines.append(f"{mood_label(mood)} `{bar:<20}` {share:.0%}")
    return lines


def average(moods: Iterable[int]) -> float | None:
    """The mean mood, or None without check-ins."""
    values = list(moods)
    return sum(values) / len(values) if values else None
