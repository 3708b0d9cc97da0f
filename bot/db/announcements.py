"""Repository for `announcements` (migration 0008): all of the feature's SQL."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.connection import Database
from bot.domain.announcements import Draft
from bot.domain.clock import from_db, to_db


@dataclass(frozen=True, slots=True)
class Announcement:
    """One stored announcement."""

    id: int
    guild_id: int
    author_id: int
    title: str
    body: str
    ping_role_id: int | None
    due_at: datetime
    status: str
    channel_id: int | None
    message_id: int | None
    created_at: datetime
    posted_at: datetime | None


def _row(row: sqlite3.Row) -> Announcement:
    return Announcement(
        id=row["id"],
        guild_id=row["guild_id"],
        author_id=row["author_id"],
        title=row["title"],
        body=row["body"],
        ping_role_id=row["ping_role_id"],
        due_at=from_db(row["due_at"]),
        status=row["status"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        created_at=from_db(row["created_at"]),
        posted_at=from_db(row["posted_at"]) if row["posted_at"] else None,
    )


class AnnouncementRepository:
    """Insert, read and change announcements."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def insert(
        self,
        guild_id: int,
        author_id: int,
        draft: Draft,
        *,
        due: datetime,
        now: datetime,
        status: str = "scheduled",
        channel_id: int | None = None,
        message_id: int | None = None,
    ) -> Announcement:
        """Store an announcement (scheduled, or already posted)."""
        posted_at = to_db(now) if status == "posted" else None
        new_id = await self.db.execute(
            "INSERT INTO announcements (guild_id, author_id, title, body, ping_role_id, due_at, status, channel_id,"
            " message_id, created_at, posted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                guild_id,
                author_id,
                draft.title,
                draft.body,
                draft.ping_role_id,
                to_db(due),
                status,
                channel_id,
                message_id,
                to_db(now),
                posted_at,
            ),
        )
        found = await self.get(guild_id, new_id)
        assert found is not None
        return found

    async def get(self, guild_id: int, announcement_id: int) -> Announcement | None:
        """One announcement of a server."""
        row = await self.db.fetchone(
            "SELECT * FROM announcements WHERE guild_id = ? AND id = ?", (guild_id, announcement_id)
        )
        return _row(row) if row else None

    async def by_id(self, announcement_id: int) -> Announcement | None:
        """One announcement, whatever its server (timer handlers)."""
        row = await self.db.fetchone("SELECT * FROM announcements WHERE id = ?", (announcement_id,))
        return _row(row) if row else None

    async def scheduled(self, guild_id: int, *, author_id: int | None = None, limit: int = 25) -> list[Announcement]:
        """Scheduled announcements of a server, soonest first (optionally one author's)."""
        sql = "SELECT * FROM announcements WHERE guild_id = ? AND status = 'scheduled'"
        params: list[Any] = [guild_id]
        if author_id is not None:
            sql += " AND author_id = ?"
            params.append(author_id)
        sql += " ORDER BY due_at, id LIMIT ?"
        params.append(limit)
        return [_row(r) for r in await self.db.fetchall(sql, params)]

    async def count_scheduled(self, guild_id: int) -> int:
        """How many are scheduled in a server."""
        return int(
            await self.db.fetchval(
                "SELECT count(*) FROM announcements WHERE guild_id = ? AND status = 'scheduled'", (guild_id,)
            )
        )

    async def set_status(self, announcement_id: int, status: str, *, only_from: str = "scheduled") -> bool:
        """Move a row from `only_from` to `status`; False when it was not in `only_from` any more."""
        changed = await self.db.execute_rowcount(
            "UPDATE announcements SET status = ? WHERE id = ? AND status = ?", (status, announcement_id, only_from)
        )
        return changed > 0

    async def mark_posted(self, announcement_id: int, channel_id: int, message_id: int, now: datetime) -> None:
        """Record where and when a scheduled announcement was posted."""
        await self.db.execute(
            "UPDATE announcements SET status = 'posted', channel_id = ?, message_id = ?, posted_at = ? WHERE id = ?",
            (channel_id, message_id, to_db(now), announcement_id),
        )

    async def export_for_user(self, user_id: int) -> list[dict[str, Any]]:
        """Every announcement a member wrote, for /mydata export."""
        rows = await self.db.fetchall("SELECT * FROM announcements WHERE author_id = ? ORDER BY id", (user_id,))
        return [
            {
                "id": r["id"],
                "guild_id": r["guild_id"],
                "title": r["title"],
                "text": r["body"],
                "ping_role_id": r["ping_role_id"],
                "due_at": r["due_at"],
                "status": r["status"],
                "channel_id": r["channel_id"],
                "message_id": r["message_id"],
                "created_at": r["created_at"],
                "posted_at": r["posted_at"],
            }
            for r in rows
        ]

    async def scheduled_ids_of(self, user_id: int) -> list[int]:
        """Ids of a member's still-scheduled announcements."""
        rows = await self.db.fetchall(
            "SELECT id FROM announcements WHERE author_id = ? AND status = 'scheduled'", (user_id,)
        )
        return [r["id"] for r in rows]

    async def delete_for_user(self, user_id: int) -> int:
        """Forget every announcement a member wrote; returns how many rows went."""
        return await self.db.execute_rowcount("DELETE FROM announcements WHERE author_id = ?", (user_id,))
