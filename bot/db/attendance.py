"""Repository for attendance codes and attendance (migration 0011). SQL only; callers get dataclasses."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.connection import Database
from bot.domain.clock import from_db, to_db


@dataclass(frozen=True, slots=True)
class CodeMatch:
    """The training an attendance code belongs to, and whether the code was replaced since."""

    training_id: int
    retired: bool


@dataclass(frozen=True, slots=True)
class Attendance:
    """One attendee of one training."""

    training_id: int
    user_id: int
    method: str
    marked_by: int
    marked_at: datetime
    credited_at: datetime | None
    verify_code: str | None
    display_name: str | None
    ce_entry_id: int | None
    certificate_id: int | None
    dm_at: datetime | None


@dataclass(frozen=True, slots=True)
class Verified:
    """What `/training verify` shows for a certificate code."""

    verify_code: str
    user_id: int
    display_name: str
    training_id: int
    guild_id: int
    title: str
    starts_at: datetime
    ce_hours: float
    ce_category: str
    credited_at: datetime


def _attendance(row: sqlite3.Row) -> Attendance:
    return Attendance(
        training_id=row["training_id"],
        user_id=row["user_id"],
        method=row["method"],
        marked_by=row["marked_by"],
        marked_at=from_db(row["marked_at"]),
        credited_at=from_db(row["credited_at"]) if row["credited_at"] else None,
        verify_code=row["verify_code"],
        display_name=row["display_name"],
        ce_entry_id=row["ce_entry_id"],
        certificate_id=row["certificate_id"],
        dm_at=from_db(row["dm_at"]) if row["dm_at"] else None,
    )


class AttendanceRepository:
    """All of the attendance SQL."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- codes -------------------------------------------------------------------------------------------

    async def live_code(self, training_id: int) -> str | None:
        """The training's current code."""
        return await self.db.fetchval(
            "SELECT code FROM training_codes WHERE training_id = ? AND retired_at IS NULL", (training_id,)
        )

    async def add_code(self, guild_id: int, training_id: int, code: str, now: datetime) -> bool:
        """Store a new live code, retiring the old one; False when the code is taken in this server."""
        async with self.db.transaction() as tx:
            taken = await tx.fetchval("SELECT 1 FROM training_codes WHERE guild_id = ? AND code = ?", (guild_id, code))
            if taken:
                return False
            await tx.execute(
                "UPDATE training_codes SET retired_at = ? WHERE training_id = ? AND retired_at IS NULL",
                (to_db(now), training_id),
            )
            await tx.execute(
                "INSERT INTO training_codes (guild_id, code, training_id, created_at) VALUES (?, ?, ?, ?)",
                (guild_id, code, training_id, to_db(now)),
            )
        return True

    async def find_code(self, guild_id: int, code: str) -> CodeMatch | None:
        """Which training of this server a code belongs to."""
        row = await self.db.fetchone(
            "SELECT training_id, retired_at FROM training_codes WHERE guild_id = ? AND code = ?", (guild_id, code)
        )
        return CodeMatch(row["training_id"], row["retired_at"] is not None) if row else None

    async def scheduled_ids(self) -> list[int]:
        """Every training still scheduled (start-up check that each has its end timer)."""
        return [r[0] for r in await self.db.fetchall("SELECT id FROM trainings WHERE status = 'scheduled'")]

    async def end_training(self, training_id: int) -> bool:
        """Mark a scheduled training ended (its end timer fired)."""
        changed = await self.db.execute_rowcount(
            "UPDATE trainings SET status = 'ended' WHERE id = ? AND status = 'scheduled'", (training_id,)
        )
        return changed > 0

    # -- attendance --------------------------------------------------------------------------------------

    async def mark(
        self, training_id: int, user_id: int, method: str, marked_by: int, now: datetime, display_name: str = ""
    ) -> bool:
        """Record an attendee (with the server name Discord showed then); False when already recorded."""
        changed = await self.db.execute_rowcount(
            "INSERT INTO training_attendance (training_id, user_id, method, marked_by, marked_at, display_name)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (training_id, user_id) DO NOTHING",
            (training_id, user_id, method, marked_by, to_db(now), display_name[:100] or None),
        )
        return changed > 0

    async def get(self, training_id: int, user_id: int) -> Attendance | None:
        """One attendee's row."""
        row = await self.db.fetchone(
            "SELECT * FROM training_attendance WHERE training_id = ? AND user_id = ?", (training_id, user_id)
        )
        return _attendance(row) if row else None

    async def attendees(self, training_id: int) -> list[Attendance]:
        """Everyone recorded for a training, in the order they were recorded."""
        rows = await self.db.fetchall(
            "SELECT * FROM training_attendance WHERE training_id = ? ORDER BY marked_at, user_id", (training_id,)
        )
        return [_attendance(r) for r in rows]

    async def count(self, training_id: int) -> int:
        """How many attendees are recorded."""
        return int(
            await self.db.fetchval("SELECT count(*) FROM training_attendance WHERE training_id = ?", (training_id,))
        )

    async def set_credited(
        self,
        training_id: int,
        user_id: int,
        *,
        verify_code: str,
        display_name: str,
        ce_entry_id: int | None,
        certificate_id: int,
        now: datetime,
    ) -> bool:
        """Record the credit (call inside the transaction that stored the entry and file)."""
        changed = await self.db.execute_rowcount(
            "UPDATE training_attendance SET credited_at = ?, verify_code = ?, display_name = ?, ce_entry_id = ?,"
            " certificate_id = ? WHERE training_id = ? AND user_id = ? AND credited_at IS NULL",
            (to_db(now), verify_code, display_name[:100], ce_entry_id, certificate_id, training_id, user_id),
        )
        return changed > 0

    async def set_dm_sent(self, training_id: int, user_id: int, now: datetime) -> None:
        """The certificate DM went out (or was refused: closed DMs are not retried)."""
        await self.db.execute(
            "UPDATE training_attendance SET dm_at = ? WHERE training_id = ? AND user_id = ? AND dm_at IS NULL",
            (to_db(now), training_id, user_id),
        )

    async def certified(self, guild_id: int, user_id: int, limit: int = 100) -> list[tuple[int, str]]:
        """(training id, title) of the member's certificates in one server, newest first."""
        rows = await self.db.fetchall(
            "SELECT t.id, t.title FROM training_attendance a JOIN trainings t ON t.id = a.training_id"
            " WHERE a.user_id = ? AND t.guild_id = ? AND a.certificate_id IS NOT NULL"
            " ORDER BY a.credited_at DESC, t.id DESC LIMIT ?",
            (user_id, guild_id, limit),
        )
        return [(r["id"], r["title"]) for r in rows]

    async def verify(self, verify_code: str) -> Verified | None:
        """A certificate by its verification code."""
        row = await self.db.fetchone(
            "SELECT a.verify_code, a.user_id, a.display_name, a.credited_at, t.id AS training_id, t.guild_id,"
            " t.title, t.starts_at, t.ce_hours, t.ce_category FROM training_attendance a"
            " JOIN trainings t ON t.id = a.training_id WHERE a.verify_code = ?",
            (verify_code,),
        )
        if row is None:
            return None
        return Verified(
            verify_code=row["verify_code"],
            user_id=row["user_id"],
            display_name=row["display_name"] or "",
            training_id=row["training_id"],
            guild_id=row["guild_id"],
            title=row["title"],
            starts_at=from_db(row["starts_at"]),
            ce_hours=row["ce_hours"],
            ce_category=row["ce_category"],
            credited_at=from_db(row["credited_at"]),
        )

    # -- /mydata -----------------------------------------------------------------------------------------

    async def export_user(self, user_id: int) -> list[dict[str, Any]]:
        """A member's attendance, with the credit and certificate it earned."""
        rows = await self.db.fetchall(
            "SELECT t.id AS training_id, t.title, t.starts_at, a.method, a.marked_at, a.credited_at, a.verify_code,"
            " a.display_name, a.ce_entry_id, a.certificate_id, a.dm_at FROM training_attendance a"
            " JOIN trainings t ON t.id = a.training_id WHERE a.user_id = ? ORDER BY a.marked_at",
            (user_id,),
        )
        return [dict(r) for r in rows]

    async def erase_user(self, user_id: int) -> int:
        """Delete a member's attendance (its certificate code stops verifying)."""
        return await self.db.execute_rowcount("DELETE FROM training_attendance WHERE user_id = ?", (user_id,))
