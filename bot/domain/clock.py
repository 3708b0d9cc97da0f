"""Time helpers shared by domain and services: an injectable clock and UTC text round-trips."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The real clock: an aware UTC datetime."""
    return datetime.now(UTC)


def to_db(moment: datetime) -> str:
    """Store an aware datetime as sortable UTC ISO text."""
    if moment.tzinfo is None:
        msg = "naive datetimes are not stored"
        raise ValueError(msg)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_db(text: str) -> datetime:
    """Read what `to_db` wrote."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def discord_timestamp(moment: datetime, style: str = "F") -> str:
    """Discord timestamp markup, shown in each reader's own zone (`<t:…:F>`, `<t:…:R>`)."""
    return f"<t:{int(moment.timestamp())}:{style}>"
