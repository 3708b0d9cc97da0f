"""Pure rules for trainings: what a creator may type (title, start, duration, CE hours, capacity)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.clock import discord_timestamp
from bot.domain.csv_safety import safe_cell
from bot.domain.errors import HarborError

TITLE_MAX = 100
DESCRIPTION_MAX = 1500
LOCATION_MAX = 200
CATEGORY_MAX = 40
MAX_MINUTES = 12 * 60
MAX_CAPACITY = 10_000
MAX_CE_HOURS = 40
ANSWERS = ("going", "maybe", "no")
DETAILS_EXAMPLE = "90 min, 1.5, ethics"


class TrainingError(HarborError, ValueError):
    """A training value Harbor refuses; the message says what to type instead."""


@dataclass(frozen=True, slots=True)
class Draft:
    """What the creator typed, validated; not yet stored."""

    title: str
    description: str
    starts_at: datetime
    minutes: int
    ce_hours: float
    ce_category: str
    location: str
    capacity: int | None

    @property
    def ends_at(self) -> datetime:
        """When the training ends."""
        return self.starts_at + timedelta(minutes=self.minutes)


_DURATION = re.compile(
    r"^\s*(?:(?P<h>\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours))?\s*(?:(?P<m>\d+)\s*(?:m|min|mins|minutes?)?)?\s*$",
    re.IGNORECASE,
)


def parse_duration(text: str) -> int:
    """Minutes from "90", "90 min", "1h30", "1.5h", "2 hours"; 1 minute to 12 hours."""
    match = _DURATION.match(text or "")
    if not text.strip() or match is None or (match["h"] is None and match["m"] is None):
        raise TrainingError(f"I could not read the duration {text.strip()[:30]!r}; write e.g. `90 min` or `1h30`.")
    minutes = round(float(match["h"] or 0) * 60) + int(match["m"] or 0)
    if minutes <= 0 or minutes > MAX_MINUTES:
        raise TrainingError("A training lasts between 1 minute and 12 hours.")
    return minutes


def parse_hours(text: str) -> float:
    """CE hours in quarter steps (0 for a training that gives no CE credit)."""
    try:
        hours = float(text.strip())
    except ValueError:
        raise TrainingError(
            f"CE hours must be a number in quarter steps, such as 1.5 (got {text.strip()[:20]!r})."
        ) from None
    if not 0 <= hours <= MAX_CE_HOURS or round(hours * 4) != hours * 4:
        raise TrainingError(f"CE hours go in quarter steps from 0 to {MAX_CE_HOURS}, such as 0.75 or 1.5.")
    return hours


def parse_details(text: str) -> tuple[int, float, str]:
    """The modal's "duration, CE hours, category" field: (minutes, hours, category)."""
    parts = [p.strip() for p in re.split(r"[,;·|]", text or "")]
    if not parts or not parts[0]:
        raise TrainingError(f"Write the duration, CE hours and category, for example `{DETAILS_EXAMPLE}`.")
    minutes = parse_duration(parts[0])
    hours = parse_hours(parts[1]) if len(parts) > 1 and parts[1] else 0.0
    category = ", ".join(p for p in parts[2:] if p)[: CATEGORY_MAX + 1]
    if len(category) > CATEGORY_MAX:
        raise TrainingError(f"A CE category has at most {CATEGORY_MAX} characters.")
    if hours and not category:
        raise TrainingError(f"Name the CE category after the hours, for example `{DETAILS_EXAMPLE}`.")
    return minutes, hours, category


def check_capacity(capacity: int | None) -> int | None:
    """None (no cap) or 1…MAX_CAPACITY seats."""
    if capacity is None:
        return None
    if capacity <= 0 or capacity > MAX_CAPACITY:
        raise TrainingError(f"Capacity is a number of seats from 1 to {MAX_CAPACITY}; leave it empty for no cap.")
    return capacity


def make_draft(
    *,
    title: str,
    description: str,
    starts_at: datetime,
    details: str,
    location: str,
    capacity: int | None,
    now: datetime,
) -> Draft:
    """Validate every field at once; raises TrainingError naming the first bad one."""
    title = " ".join((title or "").split())
    if not title:
        raise TrainingError("A training needs a title.")
    if len(title) > TITLE_MAX:
        raise TrainingError(f"A title has at most {TITLE_MAX} characters.")
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise TrainingError(f"A description has at most {DESCRIPTION_MAX} characters.")
    location = (location or "").strip()
    if len(location) > LOCATION_MAX:
        raise TrainingError(f"A location or link has at most {LOCATION_MAX} characters.")
    if starts_at <= now:
        stamp = int(starts_at.timestamp())
        raise TrainingError(
            f"I read the start as <t:{stamp}:F>, which is in the past. Try e.g. `next tue 6pm` or `2027-03-09 18:00`."
        )
    minutes, hours, category = parse_details(details)
    return Draft(title, description, starts_at, minutes, hours, category, location, check_capacity(capacity))


def format_minutes(minutes: int) -> str:
    """Minutes as "1 h 30 min", "45 min", "2 h"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def format_hours(hours: float) -> str:
    """1.5 → "1.5", 2.0 → "2"."""
    return f"{hours:g}"


def describe_changes(old: Draft, new: Draft) -> list[str]:
    """What an edit changed, one line each ("old → new"), for the members' DM and the editor's preview."""
    lines = []
    if old.title != new.title:
        lines.append(f"Title: “{old.title}” → “{new.title}”")
    if old.starts_at != new.starts_at:
        lines.append(f"Start: {discord_timestamp(old.starts_at, 'F')} → {discord_timestamp(new.starts_at, 'F')}")
    if old.minutes != new.minutes:
        lines.append(f"Duration: {format_minutes(old.minutes)} → {format_minutes(new.minutes)}")
    if (old.ce_hours, old.ce_category) != (new.ce_hours, new.ce_category):
        lines.append(f"CE credit: {_ce_text(old)} → {_ce_text(new)}")
    if old.location != new.location:
        lines.append(f"Where: {old.location or 'not given'} → {new.location or 'not given'}")
    if old.capacity != new.capacity:
        lines.append(f"Seats: {_seats_text(old.capacity)} → {_seats_text(new.capacity)}")
    if old.description != new.description:
        lines.append("The description was updated.")
    return lines


def _ce_text(draft: Draft) -> str:
    return f"{format_hours(draft.ce_hours)} h {draft.ce_category}" if draft.ce_hours else "none"


def _seats_text(capacity: int | None) -> str:
    return "no cap" if capacity is None else str(capacity)


@dataclass(frozen=True, slots=True)
class RosterLine:
    """One member on a roster: who, their answer (or "none"), and whether they attended."""

    name: str
    user_id: int
    rsvp: str
    attended: bool


ROSTER_RSVP = {"going": "going", "waitlist": "waitlisted", "maybe": "maybe", "no": "can't go"}


def roster_csv(lines: Iterable[RosterLine], *, hours: float) -> bytes:
    """The CE provider's roster as UTF-8 CSV with formula-safe cells.

    Name, user id, RSVP, attended (yes/no) and the CE hours earned (the training's hours for an attendee,
    0 otherwise).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["name", "user_id", "rsvp", "attended", "ce_hours"])
    for line in lines:
        writer.writerow(
            [
                safe_cell(line.name),
                str(line.user_id),
                ROSTER_RSVP.get(line.rsvp, line.rsvp),
                "yes" if line.attended else "no",
                format_hours(hours if line.attended else 0.0),
            ]
        )
    return out.getvalue().encode("utf-8-sig")
