"""Read-only queries for `harbor status` (and a later `/setup status`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.connection import Database
from bot.domain.clock import from_db


@dataclass(frozen=True, slots=True)
class TimerCount:
    """How many timers of one kind sit in one status, and the oldest due time among them."""

    event: str
    status: str
    count: int
    oldest_due: datetime


class StatusRepository:
    """SQL for the operations summary."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def timer_counts(self) -> list[TimerCount]:
        """Pending, running and failed timers grouped by event."""
        rows = await self.db.fetchall(
            "SELECT event, status, COUNT(*) AS n, MIN(due_at) AS oldest FROM timers"
            " WHERE status IN ('pending', 'running', 'failed') GROUP BY event, status ORDER BY status, event"
        )
        return [TimerCount(r["event"], r["status"], r["n"], from_db(r["oldest"])) for r in rows]

    async def undelivered_dms(self) -> tuple[int, int]:
        """(all recorded DM failures, those the member has not been told about yet)."""
        row = await self.db.fetchone("SELECT COUNT(*) AS n, COALESCE(SUM(notified = 0), 0) AS pending FROM dm_failures")
        return (row["n"], row["pending"]) if row else (0, 0)
