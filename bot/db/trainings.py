"""Repository for `trainings` and `training_rsvps` (migration 0007). SQL only; callers get dataclasses."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.db.connection import Database
from bot.domain.clock import from_db, to_db
from bot.domain.trainings import Draft


@dataclass(frozen=True, slots=True)
class Training:
    """One stored training."""

    id: int
    guild_id: int
    trainer_id: int
    title: str
    description: str
    starts_at: datetime
    minutes: int
    ce_hours: float
    ce_category: str
    location: str
    capacity: int | None
    channel_id: int | None
    message_id: int | None
    sequence: int
    status: str

    @property
    def duration(self) -> timedelta:
        """How long it lasts."""
        return timedelta(minutes=self.minutes)


@dataclass(frozen=True, slots=True)
class Counts:
    """How many members answered what."""

    going: int = 0
    maybe: int = 0
    no: int = 0
    waitlist: int = 0


def _training(row: sqlite3.Row) -> Training:
    return Training(
        id=row["id"],
        guild_id=row["guild_id"],
        trainer_id=row["trainer_id"],
        title=row["title"],
        description=row["description"],
        starts_at=from_db(row["starts_at"]),
        minutes=row["minutes"],
        ce_hours=row["ce_hours"],
        ce_category=row["ce_category"],
        location=row["location"],
        capacity=row["capacity"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        sequence=row["sequence"],
        status=row["status"],
    )


class TrainingRepository:
    """All of the trainings SQL."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(self, guild_id: int, trainer_id: int, draft: Draft, now: datetime) -> int:
        """Store a new training; returns its id."""
        return await self.db.execute(
            "INSERT INTO trainings (guild_id, trainer_id, title, description, starts_at, minutes, ce_hours,"
            " ce_category, location, capacity, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                guild_id,
                trainer_id,
                draft.title,
                draft.description,
                to_db(draft.starts_at),
                draft.minutes,
                draft.ce_hours,
                draft.ce_category,
                draft.location,
                draft.capacity,
                to_db(now),
            ),
        )

    async def set_post(self, training_id: int, channel_id: int, message_id: int) -> None:
        """Remember where the announcement is."""
        await self.db.execute(
            "UPDATE trainings SET channel_id = ?, message_id = ? WHERE id = ?", (channel_id, message_id, training_id)
        )

    async def delete(self, training_id: int) -> None:
        """Remove a training whose announcement could not be posted."""
        await self.db.execute("DELETE FROM trainings WHERE id = ?", (training_id,))

    async def get(self, training_id: int, guild_id: int | None = None) -> Training | None:
        """One training (of `guild_id` when given)."""
        sql = "SELECT * FROM trainings WHERE id = ?"
        params: list[Any] = [training_id]
        if guild_id is not None:
            sql += " AND guild_id = ?"
            params.append(guild_id)
        row = await self.db.fetchone(sql, params)
        return _training(row) if row else None

    async def upcoming(self, guild_id: int, now: datetime, limit: int = 25) -> list[Training]:
        """Scheduled trainings of a server that have not ended, soonest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM trainings WHERE guild_id = ? AND status = 'scheduled'"
            " AND datetime(starts_at, '+' || minutes || ' minutes') > datetime(?) ORDER BY starts_at, id LIMIT ?",
            (guild_id, to_db(now), limit),
        )
        return [_training(r) for r in rows]

    async def cancel(self, training_id: int) -> bool:
        """Mark a scheduled training cancelled (bumps the calendar SEQUENCE)."""
        changed = await self.db.execute(
            "UPDATE trainings SET status = 'cancelled', sequence = sequence + 1 WHERE id = ? AND status = 'scheduled'",
            (training_id,),
        )
        return changed > 0

    async def counts(self, training_id: int) -> Counts:
        """Answers per kind."""
        rows = await self.db.fetchall(
            "SELECT answer, count(*) AS n FROM training_rsvps WHERE training_id = ? GROUP BY answer", (training_id,)
        )
        return Counts(**{r["answer"]: r["n"] for r in rows})

    async def answer_of(self, training_id: int, user_id: int) -> str | None:
        """A member's current answer."""
        return await self.db.fetchval(
            "SELECT answer FROM training_rsvps WHERE training_id = ? AND user_id = ?", (training_id, user_id)
        )

    async def waitlist_position(self, training_id: int, user_id: int) -> int:
        """1-based place in the waitlist (0 when not waitlisted)."""
        return int(
            await self.db.fetchval(
                "SELECT count(*) FROM training_rsvps w JOIN training_rsvps me ON me.training_id = w.training_id"
                " WHERE w.training_id = ? AND me.user_id = ? AND me.answer = 'waitlist' AND w.answer = 'waitlist'"
                " AND w.seq <= me.seq",
                (training_id, user_id),
            )
        )

    async def members(self, training_id: int, answer: str) -> list[int]:
        """Members with `answer`, in click order."""
        rows = await self.db.fetchall(
            "SELECT user_id FROM training_rsvps WHERE training_id = ? AND answer = ? ORDER BY seq",
            (training_id, answer),
        )
        return [r["user_id"] for r in rows]

    async def answer(self, training: Training, user_id: int, wanted: str, now: datetime) -> tuple[str, int | None]:
        """Record `wanted` (going, maybe, no) atomically, honouring the cap.

        Returns (the answer stored, the member promoted from the waitlist or None). A Going click on a
        full training stores `waitlist`; a Going member leaving promotes the first waitlisted member.
        """
        async with self.db.transaction() as tx:
            old = await tx.fetchval(
                "SELECT answer FROM training_rsvps WHERE training_id = ? AND user_id = ?", (training.id, user_id)
            )
            stored = wanted
            if wanted == "going" and old not in ("going", "waitlist") and training.capacity is not None:
                going = await tx.fetchval(
                    "SELECT count(*) FROM training_rsvps WHERE training_id = ? AND answer = 'going'", (training.id,)
                )
                if going >= training.capacity:
                    stored = "waitlist"
            elif wanted == "going" and old == "waitlist":
                stored = "waitlist"  # already queued: keep the place
            if stored != old:
                seq = await tx.fetchval(
                    "SELECT coalesce(max(seq), 0) + 1 FROM training_rsvps WHERE training_id = ?", (training.id,)
                )
                await tx.execute(
                    "INSERT INTO training_rsvps (training_id, user_id, answer, seq, answered_at) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (training_id, user_id) DO UPDATE SET answer = excluded.answer, seq = excluded.seq,"
                    " answered_at = excluded.answered_at",
                    (training.id, user_id, stored, seq, to_db(now)),
                )
            promoted = None
            if old == "going" and stored != "going":
                promoted = await tx.fetchval(
                    "SELECT user_id FROM training_rsvps WHERE training_id = ? AND answer = 'waitlist'"
                    " ORDER BY seq LIMIT 1",
                    (training.id,),
                )
                if promoted is not None:
                    await tx.execute(
                        "UPDATE training_rsvps SET answer = 'going' WHERE training_id = ? AND user_id = ?",
                        (training.id, promoted),
                    )
        return stored, promoted

    async def export_user(self, user_id: int) -> dict[str, Any]:
        """A member's RSVPs and the trainings they created."""
        rsvps = await self.db.fetchall(
            "SELECT t.id, t.title, t.starts_at, r.answer, r.answered_at FROM training_rsvps r"
            " JOIN trainings t ON t.id = r.training_id WHERE r.user_id = ? ORDER BY r.answered_at",
            (user_id,),
        )
        created = await self.db.fetchall(
            "SELECT id, title, starts_at, status FROM trainings WHERE trainer_id = ? ORDER BY id", (user_id,)
        )
        return {"rsvps": [dict(r) for r in rsvps], "trainings_created": [dict(r) for r in created]}

    async def erase_user(self, user_id: int) -> int:
        """Delete a member's RSVPs (trainings they ran stay: they are the server's public record)."""
        return await self.db.execute_rowcount("DELETE FROM training_rsvps WHERE user_id = ?", (user_id,))
