"""Continuing-education rules: hours in quarter steps, category minimums, cycles, progress and reminders.

Pure: no Discord, no database. Hours are kept as integer *quarter-hours* so sums are exact.
A credential's current cycle runs from the day after (expiry − cycle length) to the expiry date, both
inclusive; an entry counts toward every credential whose cycle contains its date.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.ce_dates import add_months
from bot.domain.errors import HarborError

GENERAL = "general"
MAX_ENTRY_QUARTERS = 160  # 40 hours in one entry
MAX_TEXT = 200
REMINDER_AT = time(9, 0)
_CATEGORY = re.compile(r"^[a-z0-9][a-z0-9 _/&-]{0,38}[a-z0-9]$|^[a-z0-9]$")


class CeError(HarborError, ValueError):
    """Bad CE input; the message says what is wrong and gives an example of what is right."""


# -- hours -------------------------------------------------------------------------------------------------


def to_quarters(hours: float, *, most: int = MAX_ENTRY_QUARTERS) -> int:
    """Hours → quarter-hours; refuse ≤ 0, more than `most` quarters, and non-multiples of 0.25."""
    if not isinstance(hours, int | float) or math.isnan(hours) or math.isinf(hours):
        msg = "Hours must be a number, e.g. 1.5"
        raise CeError(msg)
    if hours <= 0:
        msg = f"Hours must be more than 0 (you gave {hours:g}); e.g. 1.5"
        raise CeError(msg)
    if hours > most / 4:
        msg = f"{hours:g} hours is more than {most / 4:g} in one entry; split it, e.g. 6 hours per day of training"
        raise CeError(msg)
    quarters = hours * 4
    if abs(quarters - round(quarters)) > 1e-9:
        msg = f"{hours:g} is not in quarter-hour steps; use .25, .5 or .75, e.g. 1.25 or 2.5"
        raise CeError(msg)
    return round(quarters)


def hours_text(quarters: int) -> str:
    """Quarter-hours as hours for people: 6 → "1.5", 8 → "2"."""
    return f"{quarters / 4:g}"


# -- categories --------------------------------------------------------------------------------------------


def normalise_category(text: str) -> str:
    """Lower-case, single-spaced, spaces as hyphens: "Peer Specific" → "peer-specific"."""
    return "-".join((text or "").strip().lower().replace("_", " ").split())


def check_category_name(name: str) -> str:
    """A normalised category name of 1–40 plain characters, or CeError."""
    value = normalise_category(name)
    if not _CATEGORY.match(value) or not value.isascii():
        msg = f"“{(name or '')[:40]}” is not a category name; use letters, digits and hyphens, e.g. ethics"
        raise CeError(msg)
    return value


def parse_categories(text: str) -> dict[str, int]:
    """Parse "ethics=6, confidentiality=3" into {category: quarter-hours}; empty text → {}."""
    result: dict[str, int] = {}
    for part in re.split(r"[,;\n]", text or ""):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep:
            name, sep, value = part.partition(":")
        if not sep or not value.strip():
            msg = f"“{part.strip()[:40]}” needs a number of hours; write e.g. `ethics=6, confidentiality=3`"
            raise CeError(msg)
        category = check_category_name(name)
        if category == GENERAL:
            msg = (
                "“general” is every hour that has no category; name minimums instead, "
                "e.g. `ethics=6, confidentiality=3`"
            )
            raise CeError(msg)
        if category in result:
            msg = f"“{category}” is given twice; write each category once, e.g. `ethics=6, confidentiality=3`"
            raise CeError(msg)
        try:
            hours = float(value.strip())
        except ValueError:
            msg = f"“{value.strip()[:20]}” is not a number of hours; write e.g. `ethics=6, confidentiality=3`"
            raise CeError(msg) from None
        result[category] = to_quarters(hours, most=4000)
    return result


def categories_text(categories: Mapping[str, int]) -> str:
    """The inverse of `parse_categories`: "ethics=6, confidentiality=3"."""
    return ", ".join(f"{name}={hours_text(q)}" for name, q in categories.items())


# -- requirements and cycles -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Requirement:
    """What a credential demands per cycle."""

    total: int  # quarter-hours
    categories: Mapping[str, int] = field(default_factory=dict)  # minimum quarter-hours per category
    cycle_months: int = 24
    window_days: int = 90  # the renewal window opens this many days before expiry

    def validate(self) -> Requirement:
        """Refuse requirements that cannot be met or make no sense."""
        if not 1 <= self.cycle_months <= 120:
            msg = f"A cycle of {self.cycle_months} months is out of range; use 1–120, e.g. 24"
            raise CeError(msg)
        if not 0 <= self.window_days <= 730:
            msg = f"A renewal window of {self.window_days} days is out of range; use 0–730, e.g. 90"
            raise CeError(msg)
        if sum(self.categories.values()) > self.total:
            msg = (
                f"The category minimums add up to {hours_text(sum(self.categories.values()))} h, more than the "
                f"{hours_text(self.total)} h total; e.g. total 30 with `ethics=6, confidentiality=3`"
            )
            raise CeError(msg)
        return self


def cycle_start(expires: date, cycle_months: int) -> date:
    """First day of the cycle that ends on `expires`."""
    return add_months(expires, -cycle_months) + timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Entry:
    """The facts of one logged activity that progress needs."""

    day: date
    quarters: int
    category: str = GENERAL


@dataclass(frozen=True, slots=True)
class Progress:
    """One credential's standing in its current cycle, as of `today`."""

    start: date
    expires: date
    today: date
    required: Requirement
    earned: int
    by_category: Mapping[str, int]
    expected: int  # pro-rata quarter-hours by now (total)

    @property
    def days_left(self) -> int:
        """Days until expiry (negative once expired)."""
        return (self.expires - self.today).days

    @property
    def expired(self) -> bool:
        """Whether the expiry date has passed."""
        return self.today > self.expires

    @property
    def window_open(self) -> bool:
        """Whether the renewal window is open today."""
        return self.expires - timedelta(days=self.required.window_days) <= self.today <= self.expires

    @property
    def window_opens(self) -> date:
        """The day the renewal window opens."""
        return self.expires - timedelta(days=self.required.window_days)

    @property
    def fraction_elapsed(self) -> float:
        """How much of the cycle has passed (0–1)."""
        return elapsed_fraction(self.start, self.expires, self.today)

    def missing(self) -> dict[str, int]:
        """Quarter-hours still missing per category minimum, and "total" (in any category)."""
        out = {
            name: need - self.by_category.get(name, 0)
            for name, need in self.required.categories.items()
            if self.by_category.get(name, 0) < need
        }
        cat_missing = sum(out.values())
        total_missing = max(self.required.total - self.earned, cat_missing)
        if total_missing > 0:
            out["total"] = total_missing
        return out

    @property
    def met(self) -> bool:
        """Every minimum and the total are met."""
        return not self.missing()

    def behind(self) -> dict[str, int]:
        """Quarter-hours short of the pro-rata pace, per category and "total"; empty when on track."""
        fraction = self.fraction_elapsed
        out: dict[str, int] = {}
        for name, need in self.required.categories.items():
            short = math.floor(need * fraction) - self.by_category.get(name, 0)
            if short > 0:
                out[name] = short
        if self.expected - self.earned > 0:
            out["total"] = self.expected - self.earned
        return out

    @property
    def on_track(self) -> bool:
        """Met, or at least at the pro-rata pace for the total and every category."""
        return self.met or not self.behind()


def elapsed_fraction(start: date, expires: date, today: date) -> float:
    """Share of the cycle's days that have passed, counting today (0 before it starts, 1 after)."""
    length = (expires - start).days + 1
    return min(1.0, max(0.0, ((today - start).days + 1) / length))


def progress(expires: date, requirement: Requirement, entries: Iterable[Entry], today: date) -> Progress:
    """Sum the entries inside the cycle ending at `expires`, overall and per category."""
    start = cycle_start(expires, requirement.cycle_months)
    earned = 0
    by_category: dict[str, int] = {}
    for entry in entries:
        if start <= entry.day <= expires:
            earned += entry.quarters
            by_category[entry.category] = by_category.get(entry.category, 0) + entry.quarters
    expected = math.floor(requirement.total * elapsed_fraction(start, expires, today))
    return Progress(start, expires, today, requirement, earned, by_category, expected)


def in_cycle(day: date, expires: date, cycle_months: int) -> bool:
    """Whether `day` falls in the cycle ending at `expires`."""
    return cycle_start(expires, cycle_months) <= day <= expires


def describe_missing(missing: Mapping[str, int]) -> list[str]:
    """Human lines for `Progress.missing()`: "3 h ethics", "10.5 h in total (any category)"."""
    lines = [f"{hours_text(q)} h {name}" for name, q in missing.items() if name != "total"]
    if "total" in missing:
        lines.append(f"{hours_text(missing['total'])} h in total (any category counts)")
    return lines


# -- reminders ---------------------------------------------------------------------------------------------


def reminder_due(expires: date, days_before: int, tz: str) -> datetime:
    """09:00 in the member's zone, `days_before` days before expiry (aware, in that zone)."""
    day = expires - timedelta(days=days_before)
    return datetime.combine(day, REMINDER_AT, tzinfo=ZoneInfo(tz))


def reminder_plan(expires: date, lead_days: Iterable[int], tz: str, now: datetime) -> dict[int, datetime]:
    """{days_before: due} for every lead day whose 09:00 local is still ahead of `now`."""
    plan: dict[int, datetime] = {}
    for days in sorted(set(lead_days), reverse=True):
        due = reminder_due(expires, days, tz)
        if due > now:
            plan[days] = due
    return plan


def local_today(now: datetime, tz: str) -> date:
    """The calendar date in the member's zone."""
    return now.astimezone(ZoneInfo(tz)).date()
