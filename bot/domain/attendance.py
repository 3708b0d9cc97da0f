"""Pure rules for training attendance: codes, the window a code works in, certificate verification codes.

Attendance codes use an alphabet without look-alikes (no 0/O, 1/I/L), so a code read aloud or copied from a
screen share is typed right; input is forgiving (case, spaces and dashes are ignored).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.errors import HarborError

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
VERIFY_LENGTH = 8
VERIFY_PREFIX = "HBR"
OPENS_BEFORE = timedelta(minutes=15)
CLOSES_AFTER = timedelta(minutes=30)
MARK_AFTER = timedelta(days=14)  # how long after the end a trainer may still mark attendees
CODE_EXAMPLE = "K7PM3Q"


class AttendanceError(HarborError, ValueError):
    """An attendance step Harbor refuses; the message says what to do instead."""


def new_code(length: int = CODE_LENGTH) -> str:
    """A random code from the unambiguous alphabet (6 characters ≈ 30 bits)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_verify_code() -> str:
    """A certificate verification code such as `HBR-K7PM-3QXA` (8 random characters ≈ 40 bits)."""
    body = new_code(VERIFY_LENGTH)
    return f"{VERIFY_PREFIX}-{body[:4]}-{body[4:]}"


def _squash(text: str) -> str:
    return "".join((text or "").upper().split()).replace("-", "").replace("_", "")


def normalise_code(text: str) -> str:
    """What a member typed as an attendance code, upper-cased without spaces or dashes; refuses junk."""
    code = _squash(text)
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        shown = (text or "").strip()[:20]
        msg = (
            f"“{shown}” is not an attendance code: codes have {CODE_LENGTH} letters and digits, "
            f"like `{CODE_EXAMPLE}`. Ask your trainer for the code shown in the session."
        )
        raise AttendanceError(msg)
    return code


def normalise_verify_code(text: str) -> str:
    """A certificate code as `HBR-XXXX-XXXX`, forgiving case, spaces and missing dashes; refuses junk."""
    code = _squash(text)
    if code.startswith(VERIFY_PREFIX):
        code = code[len(VERIFY_PREFIX) :]
    if len(code) != VERIFY_LENGTH or any(c not in ALPHABET for c in code):
        shown = (text or "").strip()[:30]
        msg = f"“{shown}” is not a certificate code; they look like `{VERIFY_PREFIX}-K7PM-3QXA` (printed on the PDF)."
        raise AttendanceError(msg)
    return f"{VERIFY_PREFIX}-{code[:4]}-{code[4:]}"


@dataclass(frozen=True, slots=True)
class Window:
    """When a training's attendance code is accepted."""

    opens: datetime
    closes: datetime

    @classmethod
    def of(cls, starts_at: datetime, minutes: int) -> Window:
        """15 minutes before the start to 30 minutes after the end."""
        return cls(starts_at - OPENS_BEFORE, starts_at + timedelta(minutes=minutes) + CLOSES_AFTER)

    def state(self, now: datetime) -> str:
        """Where `now` falls: "early", "open" or "closed"."""
        if now < self.opens:
            return "early"
        return "open" if now <= self.closes else "closed"


def can_mark(starts_at: datetime, minutes: int, now: datetime) -> bool:
    """A trainer may mark attendees from the code window's opening until 14 days after the end."""
    return starts_at - OPENS_BEFORE <= now <= starts_at + timedelta(minutes=minutes) + MARK_AFTER
