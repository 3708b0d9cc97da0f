"""Repository for the `timers` and `schedules` tables (all their SQL lives here)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.db.connection import Database
from bot.domain.clock import from_db, to_db
from bot.domain.recurrence import Recurrence


@dataclass(frozen=True, slots=True)
class Timer:
    """One scheduled, one-shot piece of work; `late` is set when it fires after its due time."""

    id: int
    event: str
    due_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)
    status: str = "pending"
    attempts: int = 0
    guild_id: int | None = None
    user_id: int | None = None
    key: str | None = None
    schedule_id: int | None = None
    late: bool = False


@dataclass(frozen=True, slots=True)
class Schedule:
    """A stored recurring definition; each firing creates the next one-shot timer."""

    id: int
    event: str
    recurrence: Recurrence
    payload: dict[str, Any]
    guild_id: int | None
    user_id: int | None
    key: str | None
    active: bool


def _timer(row: sqlite3.Row) -> Timer:
    return Timer(
        id=row["id"],
        event=row["event"],
        due_at=from_db(row["due_at"]),
        payload=json.loads(row["payload"]),
        status=row["status"],
        attempts=row["attempts"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        key=row["key"],
        schedule_id=row["schedule_id"],
    )


def _schedule(row: sqlite3.Row) -> Schedule:
    return Schedule(
        id=row["id"],
        event=row["event"],
        recurrence=Recurrence.from_json(row["recurrence"]),
        payload=json.loads(row["payload"]),
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        key=row["key"],
        active=bool(row["active"]),
    )


class TimerRepository:
    """SQL for timers and schedules."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def insert(
        self,
        event: str,
        due: datetime,
        payload: dict[str, Any],
        *,
        now: datetime,
        guild_id: int | None = None,
        user_id: int | None = None,
        key: str | None = None,
        schedule_id: int | None = None,
    ) -> Timer:
        """Insert a pending timer; with a `key`, return the live timer of that key if there is one."""
        async with self.db.transaction():
            if key is not None:
                row = await self.db.fetchone(
                    "SELECT * FROM timers WHERE key = ? AND status IN ('pending', 'running')", (key,)
                )
                if row is not None:
                    return _timer(row)
            timer_id = await self.db.execute(
                "INSERT INTO timers (event, due_at, payload, guild_id, user_id, key, schedule_id, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (event, to_db(due), json.dumps(payload), guild_id, user_id, key, schedule_id, to_db(now)),
            )
        return Timer(timer_id, event, due, payload, "pending", 0, guild_id, user_id, key, schedule_id)

    async def get(self, timer_id: int) -> Timer | None:
        """One timer by id."""
        row = await self.db.fetchone("SELECT * FROM timers WHERE id = ?", (timer_id,))
        return _timer(row) if row else None

    async def pending_before(self, moment: datetime, limit: int = 100_000) -> list[Timer]:
        """Pending timers due at or before `moment`, oldest first (ties by id: creation order)."""
        rows = await self.db.fetchall(
            "SELECT * FROM timers WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?",
            (to_db(moment), limit),
        )
        return [_timer(r) for r in rows]

    async def find(
        self,
        *,
        event: str | None = None,
        user_id: int | None = None,
        key_prefix: str | None = None,
        status: str = "pending",
    ) -> list[Timer]:
        """Timers matching every given filter."""
        sql = "SELECT * FROM timers WHERE status = ?"
        params: list[Any] = [status]
        if event is not None:
            sql += " AND event = ?"
            params.append(event)
        if user_id is not None:
            sql += " AND user_id = ?"
            params.append(user_id)
        if key_prefix is not None:
            sql += " AND key LIKE ? ESCAPE '\\'"
            params.append(key_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        rows = await self.db.fetchall(sql + " ORDER BY due_at, id", params)
        return [_timer(r) for r in rows]

    async def claim(self, timer_id: int, now: datetime) -> Timer | None:
        """Move one timer pending → running; None when someone else claimed or cancelled it."""
        async with self.db.transaction():
            changed = await self.db.execute_rowcount(
                "UPDATE timers SET status = 'running', claimed_at = ?, attempts = attempts + 1"
                " WHERE id = ? AND status = 'pending'",
                (to_db(now), timer_id),
            )
            if not changed:
                return None
            row = await self.db.fetchone("SELECT * FROM timers WHERE id = ?", (timer_id,))
        return _timer(row) if row else None

    async def finish(self, timer_id: int, status: str, now: datetime, error: str | None = None) -> None:
        """Mark a running timer done, failed or (for a retry) pending again."""
        await self.db.execute(
            "UPDATE timers SET status = ?, finished_at = ?, error = ? WHERE id = ?",
            (status, to_db(now), error, timer_id),
        )

    async def retry_at(self, timer_id: int, due: datetime, error: str) -> None:
        """Put a failed attempt back in the queue at a later time."""
        await self.db.execute(
            "UPDATE timers SET status = 'pending', due_at = ?, error = ? WHERE id = ?",
            (to_db(due), error, timer_id),
        )

    async def requeue_running(self) -> int:
        """At start-up every `running` row is stale (the process that claimed it is gone): requeue it."""
        return await self.db.execute_rowcount("UPDATE timers SET status = 'pending' WHERE status = 'running'")

    async def cancel(self, timer_id: int) -> bool:
        """Cancel one pending timer."""
        return bool(
            await self.db.execute_rowcount(
                "UPDATE timers SET status = 'cancelled' WHERE id = ? AND status = 'pending'", (timer_id,)
            )
        )

    async def cancel_ids(self, timer_ids: list[int]) -> int:
        """Cancel several pending timers."""
        count = 0
        for timer_id in timer_ids:
            count += int(await self.cancel(timer_id))
        return count

    # -- schedules ---------------------------------------------------------------------------------

    async def upsert_schedule(
        self,
        event: str,
        recurrence: Recurrence,
        payload: dict[str, Any],
        *,
        now: datetime,
        key: str,
        guild_id: int | None,
        user_id: int | None,
    ) -> Schedule:
        """Create or replace the schedule with `key`, cancel its live timer and queue its first firing."""
        async with self.db.transaction():
            await self.db.execute(
                "INSERT INTO schedules (event, recurrence, payload, guild_id, user_id, key, active, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT(key) DO UPDATE SET event = excluded.event,"
                " recurrence = excluded.recurrence, payload = excluded.payload, guild_id = excluded.guild_id,"
                " user_id = excluded.user_id, active = 1",
                (event, recurrence.to_json(), json.dumps(payload), guild_id, user_id, key, to_db(now)),
            )
            row = await self.db.fetchone("SELECT * FROM schedules WHERE key = ?", (key,))
            assert row is not None
            schedule = _schedule(row)
            await self.db.execute(
                "UPDATE timers SET status = 'cancelled' WHERE schedule_id = ? AND status = 'pending'",
                (schedule.id,),
            )
            running = await self.db.fetchval(
                "SELECT count(*) FROM timers WHERE schedule_id = ? AND status = 'running'", (schedule.id,)
            )
            if not running:  # a firing in progress queues the next one itself, from the new definition
                await self._queue_next(schedule, now)
        return schedule

    async def _queue_next(self, schedule: Schedule, after: datetime) -> Timer:
        due = schedule.recurrence.next_after(after)
        key = f"schedule:{schedule.id}"
        timer_id = await self.db.execute(
            "INSERT INTO timers (event, due_at, payload, guild_id, user_id, key, schedule_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                schedule.event,
                to_db(due),
                json.dumps(schedule.payload),
                schedule.guild_id,
                schedule.user_id,
                key,
                schedule.id,
                to_db(after),
            ),
        )
        return Timer(
            timer_id,
            schedule.event,
            due,
            schedule.payload,
            "pending",
            0,
            schedule.guild_id,
            schedule.user_id,
            key,
            schedule.id,
        )

    async def get_schedule(self, key: str) -> Schedule | None:
        """One schedule by key."""
        row = await self.db.fetchone("SELECT * FROM schedules WHERE key = ?", (key,))
        return _schedule(row) if row else None

    async def schedule_next_due(self, schedule_id: int) -> datetime | None:
        """When the schedule's live timer is due."""
        value = await self.db.fetchval(
            "SELECT due_at FROM timers WHERE schedule_id = ? AND status IN ('pending', 'running')"
            " ORDER BY due_at LIMIT 1",
            (schedule_id,),
        )
        return from_db(value) if value else None

    async def deactivate_schedule(self, key: str) -> bool:
        """Stop a schedule and cancel its pending timer."""
        async with self.db.transaction():
            row = await self.db.fetchone("SELECT id FROM schedules WHERE key = ? AND active = 1", (key,))
            if row is None:
                return False
            await self.db.execute("UPDATE schedules SET active = 0 WHERE id = ?", (row["id"],))
            await self.db.execute(
                "UPDATE timers SET status = 'cancelled' WHERE schedule_id = ? AND status = 'pending'", (row["id"],)
            )
        return True

    async def finish_and_continue(self, timer: Timer, status: str, now: datetime, error: str | None) -> Timer | None:
        """Finish a timer and, when it belongs to an active schedule, queue the schedule's next firing."""
        async with self.db.transaction():
            await self.finish(timer.id, status, now, error)
            if timer.schedule_id is None:
                return None
            row = await self.db.fetchone("SELECT * FROM schedules WHERE id = ? AND active = 1", (timer.schedule_id,))
            if row is None:
                return None
            # After max(due, now): missed firings while the bot was down collapse into the one just run.
            return await self._queue_next(_schedule(row), max(timer.due_at, now))

    async def delete_for_user(self, user_id: int) -> int:
        """Erase every timer and schedule that belongs to a member (for /mydata delete)."""
        async with self.db.transaction():
            count = await self.db.execute_rowcount("DELETE FROM timers WHERE user_id = ?", (user_id,))
            count += await self.db.execute_rowcount("DELETE FROM schedules WHERE user_id = ?", (user_id,))
        return count

    async def export_for_user(self, user_id: int) -> list[dict[str, Any]]:
        """A member's pending timers and active schedules, for /mydata export."""
        rows = await self.db.fetchall(
            "SELECT event, due_at, guild_id FROM timers WHERE user_id = ? AND status = 'pending' ORDER BY due_at",
            (user_id,),
        )
        return [{"event": r["event"], "due_at": r["due_at"], "guild_id": r["guild_id"]} for r in rows]
