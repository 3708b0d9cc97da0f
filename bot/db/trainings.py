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
    event_id: int | None = None

    @property
    def ends_at(self) -> datetime:
        """When the training ends."""
        return self.starts_at + timedelta(minutes=self.minutes)

    def as_draft(self) -> Draft:
        """The editable fields, as the create form holds them."""
        return Draft(
            self.title,
            self.description,
            self.starts_at,
            self.minutes,
            self.ce_hours,
            self.ce_category,
            self.location,
            self.capacity,
        )

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
        event_id=row["event_id"],
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
            # A lowered cap can leave more Going than seats: nobody is promoted until Going is under the cap.
            if old == "going" and stored != "going" and await self._has_free_seat(tx, training):
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

    @staticmethod
    async def _has_free_seat(tx: Database, training: Training) -> bool:
        if training.capacity is None:
            return True
        going = await tx.fetchval(
            "SELECT count(*) FROM training_rsvps WHERE training_id = ? AND answer = 'going'", (training.id,)
        )
        return int(going) < training.capacity

    async def update(self, training_id: int, draft: Draft, expected_sequence: int) -> list[int] | None:
        """Apply an edit and bump SEQUENCE; returns the members promoted by a raised cap, in waitlist order.

        None when the training is no longer scheduled or changed since `expected_sequence` (someone else
        edited it meanwhile): nothing is written then.
        """
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE trainings SET title = ?, description = ?, starts_at = ?, minutes = ?, ce_hours = ?,"
                " ce_category = ?, location = ?, capacity = ?, sequence = sequence + 1"
                " WHERE id = ? AND status = 'scheduled' AND sequence = ?",
                (
                    draft.title,
                    draft.description,
                    to_db(draft.starts_at),
                    draft.minutes,
                    draft.ce_hours,
                    draft.ce_category,
                    draft.location,
                    draft.capacity,
                    training_id,
                    expected_sequence,
                ),
            )
            if not changed:
                return None
            going = await tx.fetchval(
                "SELECT count(*) FROM training_rsvps WHERE training_id = ? AND answer = 'going'", (training_id,)
            )
            free = -1 if draft.capacity is None else max(draft.capacity - going, 0)  # -1: no cap, everyone
            promoted = [
                r["user_id"]
                for r in await tx.fetchall(
                    "SELECT user_id FROM training_rsvps WHERE training_id = ? AND answer = 'waitlist'"
                    " ORDER BY seq LIMIT ?",
                    (training_id, free),
                )
            ]
            for user_id in promoted:
                await tx.execute(
                    "UPDATE training_rsvps SET answer = 'going' WHERE training_id = ? AND user_id = ?",
                    (training_id, user_id),
                )
        return promoted

    async def set_event(self, training_id: int, event_id: int | None) -> None:
        """Remember (or forget) the Discord Scheduled Event mirroring a training."""
        await self.db.execute("UPDATE trainings SET event_id = ? WHERE id = ?", (event_id, training_id))

    async def rsvps(self, training_id: int) -> list[tuple[int, str]]:
        """(user id, answer) of everyone who answered: going, waitlist, maybe, can't go; click order within."""
        rows = await self.db.fetchall(
            "SELECT user_id, answer FROM training_rsvps WHERE training_id = ? ORDER BY"
            " CASE answer WHEN 'going' THEN 0 WHEN 'waitlist' THEN 1 WHEN 'maybe' THEN 2 ELSE 3 END, seq",
            (training_id,),
        )
        return [(r["user_id"], r["answer"]) for r in rows]

    async def upcoming_with_ce(self, guild_id: int, now: datetime, limit: int = 200) -> list[Training]:
        """Scheduled trainings of a server that give CE hours and have not started, soonest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM trainings WHERE guild_id = ? AND status = 'scheduled' AND ce_hours > 0"
            " AND datetime(starts_at) > datetime(?) ORDER BY starts_at, id LIMIT ?",
            (guild_id, to_db(now), limit),
        )
        return [_training(r) for r in rows]

    async def reminded(self, timer_id: int) -> set[int]:
        """Members a reminder timer already reached (a fan-out cut short by a crash resumes after them)."""
        rows = await self.db.fetchall("SELECT user_id FROM training_reminders_sent WHERE timer_id = ?", (timer_id,))
        return {r["user_id"] for r in rows}

    async def mark_reminded(self, timer_id: int, training_id: int, user_id: int, now: datetime) -> None:
        """Record one reminder DM as sent."""
        await self.db.execute(
            "INSERT OR IGNORE INTO training_reminders_sent (timer_id, training_id, user_id, sent_at)"
            " VALUES (?, ?, ?, ?)",
            (timer_id, training_id, user_id, to_db(now)),
        )

    async def prune_reminded(self, before: datetime) -> int:
        """Forget reminder deliveries older than `before` (only a resumed fan-out needs them)."""
        return await self.db.execute_rowcount(
            "DELETE FROM training_reminders_sent WHERE datetime(sent_at) < datetime(?)", (to_db(before),)
        )

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
        reminded = await self.db.fetchall(
            "SELECT training_id, sent_at FROM training_reminders_sent WHERE user_id = ? ORDER BY sent_at", (user_id,)
        )
        return {
            "rsvps": [dict(r) for r in rsvps],
            "trainings_created": [dict(r) for r in created],
            "reminders_sent": [dict(r) for r in reminded],
        }

    async def erase_user(self, user_id: int) -> int:
        """Delete a member's RSVPs (trainings they ran stay: they are the server's public record)."""
        reminded = await self.db.execute_rowcount("DELETE FROM training_reminders_sent WHERE user_id = ?", (user_id,))
        return reminded + await self.db.execute_rowcount("DELETE FROM training_rsvps WHERE user_id = ?", (user_id,))
