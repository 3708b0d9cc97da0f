"""Announcements: what a draft may hold, and when it may be posted (pure rules, no Discord)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.errors import HarborError
from bot.domain.when import EXAMPLES

TITLE_MAX = 256  # Discord's embed title limit
BODY_MAX = 4000  # a modal paragraph's limit (an embed description allows 4096; the byline fits in the rest)
WHEN_MAX = 100
NOW_WORDS = frozenset({"", "now", "right now", "immediately", "asap"})
LEAD_MIN = timedelta(minutes=1)  # a scheduled time must be at least this far ahead
HORIZON = timedelta(days=366)  # and at most this far


class AnnouncementError(HarborError, ValueError):
    """An announcement Harbor refuses; the message says what to change."""


@dataclass(frozen=True, slots=True)
class Draft:
    """What the author typed, checked; `due` is None for "post now"."""

    body: str
    title: str = ""
    due: datetime | None = None
    when_text: str = "now"
    ping_role_id: int | None = None


def wants_now(when_text: str) -> bool:
    """Whether the "when" field means "post it now" (blank counts)."""
    return " ".join(when_text.lower().split()).strip(".!") in NOW_WORDS


def check_text(title: str, body: str) -> tuple[str, str]:
    """Trimmed title and body, or an error saying which one is wrong."""
    title, body = title.strip(), body.strip()
    if not body:
        raise AnnouncementError("The announcement needs some text; the text field was empty.")
    if len(body) > BODY_MAX:
        raise AnnouncementError(f"The text is {len(body)} characters; announcements hold up to {BODY_MAX}.")
    if len(title) > TITLE_MAX:
        raise AnnouncementError(f"The title is {len(title)} characters; the most is {TITLE_MAX}.")
    if "\n" in title:
        raise AnnouncementError("The title must fit on one line.")
    return title, body


def check_due(due: datetime, now: datetime) -> datetime:
    """Refuse a time that has passed (saying what was understood) or is more than a year ahead."""
    stamp = int(due.timestamp())
    if due < now + LEAD_MIN:
        raise AnnouncementError(
            f"Harbor read that as <t:{stamp}:F>, which is not in the future. "
            f'Type "now" to post at once, or a later time such as {EXAMPLES}.'
        )
    if due > now + HORIZON:
        raise AnnouncementError(
            f"Harbor read that as <t:{stamp}:F>; announcements can be scheduled up to a year ahead."
        )
    return due
