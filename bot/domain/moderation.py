"""Moderation rules without Discord or SQL: case kinds, reasons, the timeout limit, escalation defaults."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.errors import HarborError

REASON_MIN = 3
REASON_MAX = 500
TIMEOUT_MAX = timedelta(days=28)
DEFAULT_MOD_RETENTION_DAYS = 365
RETENTION_MIN_DAYS = 7
RETENTION_MAX_DAYS = 3650

# Kinds shown to the member in a DM notice (with an Appeal button).
NOTICE_KINDS = ("warn", "timeout", "restrict")
KIND_LABELS = {
    "warn": "Warning",
    "timeout": "Timeout",
    "note": "Note",
    "restrict": "Restriction",
    "unrestrict": "Restriction lifted",
    "privacy_violation": "Privacy violation",
    "privacy_override": "Privacy finding overridden",
    "report": "Report",
    "report_resolved": "Report resolved",
    "report_dismissed": "Report dismissed",
    "appeal_upheld": "Appeal upheld",
    "appeal_overturned": "Appeal overturned",
    "escalation": "Escalation",
}
_KIND = re.compile(r"^[a-z][a-z_]{1,39}$")
_IDENTIFIER_KIND = re.compile(r"^[A-Z][A-Z_]{1,29}$")


class ModerationError(HarborError, ValueError):
    """A moderation action refused; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class EscalationRule:
    """`threshold` events of `kind` about one member within `window_days` notify the moderators."""

    kind: str
    threshold: int
    window_days: int

    def describe(self) -> str:
        """E.g. "3 × privacy_violation within 30 days"."""
        return f"{self.threshold} × {self.kind} within {self.window_days} days"


DEFAULT_RULES: tuple[EscalationRule, ...] = (
    EscalationRule("privacy_violation", 3, 30),
    EscalationRule("warn", 3, 90),
)


@dataclass(frozen=True, slots=True)
class ModCase:
    """One mod-log record: metadata only (ids, kind, time, the moderator's reason, identifier kinds)."""

    id: int
    guild_id: int
    number: int
    kind: str
    subject_id: int | None
    moderator_id: int | None
    channel_id: int | None
    reason: str | None
    identifier_kinds: tuple[str, ...]
    created_at: datetime
    expires_at: datetime | None = None
    active: bool = False
    overturned: bool = False  # an appeal of this case was accepted
    escalations: tuple[EscalationRule, ...] = field(default=(), compare=False)

    @property
    def label(self) -> str:
        """A human name for the kind."""
        return KIND_LABELS.get(self.kind, self.kind.replace("_", " ").capitalize())


def check_kind(kind: str) -> str:
    """A case kind: lower-case letters and underscores (e.g. `privacy_violation`)."""
    if not isinstance(kind, str) or not _KIND.match(kind):
        msg = f"{kind!r} is not a mod-log kind (lower-case letters and underscores)"
        raise ValueError(msg)
    return kind


def check_identifier_kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    """Identifier kind names only (PHONE, NAME…), deduplicated in order — never identifier values."""
    seen: list[str] = []
    for kind in kinds:
        if not isinstance(kind, str) or not _IDENTIFIER_KIND.match(kind):
            msg = "identifier kinds are upper-case names such as PHONE or NAME, never the identifier itself"
            raise ValueError(msg)
        if kind not in seen:
            seen.append(kind)
    return tuple(seen)


def clean_reason(text: str | None, *, required: bool = True) -> str | None:
    """A reason of 3–500 characters (whitespace collapsed); None when optional and empty."""
    value = " ".join((text or "").split())
    if not value and not required:
        return None
    if len(value) < REASON_MIN:
        msg = f"Give a reason of at least {REASON_MIN} characters, e.g. `shared a member's phone number`."
        raise ModerationError(msg)
    if len(value) > REASON_MAX:
        msg = f"Keep the reason under {REASON_MAX} characters."
        raise ModerationError(msg)
    return value


def moderator_reason(text: str | None) -> str:
    """A moderator's reason: 3–500 characters and more than one word, so the member learns why.

    A single word ("spam", "rude") says what, not why. Text without spaces in a script that does not
    separate words (no ASCII letters at all) counts by length alone.
    """
    value = clean_reason(text)
    assert value is not None
    if len(value.split()) < 2 and any(ch.isascii() and ch.isalpha() for ch in value):
        msg = "Say a little more than one word, so the member knows why, e.g. `shared a member's phone number`."
        raise ModerationError(msg)
    return value


def format_duration(duration: timedelta) -> str:
    """7 days, 2 hours, 10 minutes."""
    seconds = int(duration.total_seconds())
    out = []
    for name, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        count, seconds = divmod(seconds, size)
        if count:
            out.append(f"{count} {name}{'s' if count != 1 else ''}")
    return ", ".join(out) or f"{seconds} seconds"


def check_retention(days: int) -> int:
    """Retention in days, 7–3650."""
    if not isinstance(days, int) or not RETENTION_MIN_DAYS <= days <= RETENTION_MAX_DAYS:
        msg = f"Keep records between {RETENTION_MIN_DAYS} and {RETENTION_MAX_DAYS} days, e.g. `365`."
        raise ModerationError(msg)
    return days


def check_rule(kind: str, threshold: int, window_days: int) -> EscalationRule:
    """A valid escalation rule (threshold 1–100, window 1–3650 days)."""
    try:
        check_kind(kind)
    except ValueError:
        msg = f"“{str(kind)[:30]}” is not a record kind; use e.g. `warn` or `privacy_violation`."
        raise ModerationError(msg) from None
    if not 1 <= threshold <= 100:
        msg = "The threshold must be from 1 to 100."
        raise ModerationError(msg)
    if not 1 <= window_days <= RETENTION_MAX_DAYS:
        msg = f"The window must be from 1 to {RETENTION_MAX_DAYS} days."
        raise ModerationError(msg)
    return EscalationRule(kind, threshold, window_days)
