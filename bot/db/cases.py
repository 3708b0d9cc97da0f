"""Repository for case discussion: agreement versions and acceptances (metadata only, never case text)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.connection import Database
from bot.domain.clock import from_db, to_db


@dataclass(frozen=True, slots=True)
class AgreementVersion:
    """One published version of a server's confidentiality agreement."""

    guild_id: int
    version: int
    body: str
    published_by: int | None
    published_at: datetime


class AgreementRepository:
    """SQL for `agreement_versions` and `agreement_acceptances`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def current(self, guild_id: int) -> AgreementVersion | None:
        """The newest version, or None before the first publish."""
        row = await self.db.fetchone(
            "SELECT * FROM agreement_versions WHERE guild_id = ? ORDER BY version DESC LIMIT 1", (guild_id,)
        )
        if row is None:
            return None
        return AgreementVersion(
            row["guild_id"], row["version"], row["body"], row["published_by"], from_db(row["published_at"])
        )

    async def publish(self, guild_id: int, body: str, *, by: int, now: datetime) -> int:
        """Store a new version (one more than the newest) and return its number."""
        async with self.db.transaction():
            newest = await self.db.fetchval(
                "SELECT coalesce(max(version), 0) FROM agreement_versions WHERE guild_id = ?", (guild_id,)
            )
            version = int(newest) + 1
            await self.db.execute(
                "INSERT INTO agreement_versions (guild_id, version, body, published_by, published_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (guild_id, version, body, by, to_db(now)),
            )
        return version

    async def accept(self, guild_id: int, user_id: int, version: int, now: datetime) -> bool:
        """Record an acceptance; False when it was already recorded."""
        changed = await self.db.execute_rowcount(
            "INSERT OR IGNORE INTO agreement_acceptances (guild_id, user_id, version, accepted_at) VALUES (?, ?, ?, ?)",
            (guild_id, user_id, version, to_db(now)),
        )
        return changed > 0

    async def has_accepted(self, guild_id: int, user_id: int, version: int) -> bool:
        """Whether the member accepted exactly this version."""
        found = await self.db.fetchval(
            "SELECT 1 FROM agreement_acceptances WHERE guild_id = ? AND user_id = ? AND version = ?",
            (guild_id, user_id, version),
        )
        return found is not None

    async def accepted_before(self, guild_id: int, version: int) -> list[int]:
        """Members who accepted an older version but not this one."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT user_id FROM agreement_acceptances WHERE guild_id = ? AND version < ?"
            " AND user_id NOT IN (SELECT user_id FROM agreement_acceptances WHERE guild_id = ? AND version >= ?)",
            (guild_id, version, guild_id, version),
        )
        return [r["user_id"] for r in rows]

    async def export_for_user(self, user_id: int) -> list[dict[str, Any]]:
        """The member's acceptances, for /mydata export."""
        rows = await self.db.fetchall(
            "SELECT guild_id, version, accepted_at FROM agreement_acceptances WHERE user_id = ?"
            " ORDER BY guild_id, version",
            (user_id,),
        )
        return [{"server": r["guild_id"], "version": r["version"], "accepted_at": r["accepted_at"]} for r in rows]

    async def delete_for_user(self, user_id: int) -> int:
        """Erase the member's acceptances (they must agree again to discuss cases)."""
        return await self.db.execute_rowcount("DELETE FROM agreement_acceptances WHERE user_id = ?", (user_id,))

    async def forget_publisher(self, user_id: int) -> int:
        """Drop an admin's id from the versions they published (the text stays for everyone)."""
        return await self.db.execute_rowcount(
            "UPDATE agreement_versions SET published_by = NULL WHERE published_by = ?", (user_id,)
        )


@dataclass(frozen=True, slots=True)
class CaseThread:
    """One case thread's metadata: ids and times, never its text."""

    thread_id: int
    guild_id: int
    author_id: int
    anonymous: bool
    created_at: datetime
    last_activity_at: datetime
    closed_at: datetime | None


def _case_thread(row: Any) -> CaseThread:
    last = row["last_activity_at"] or row["created_at"]
    return CaseThread(
        row["thread_id"],
        row["guild_id"],
        row["author_id"],
        bool(row["anonymous"]),
        from_db(row["created_at"]),
        from_db(last),
        from_db(row["closed_at"]) if row["closed_at"] else None,
    )


class CaseRepository:
    """SQL for `case_threads`: thread id ↔ author id and times, nothing of the text."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, guild_id: int, thread_id: int, author_id: int, *, anonymous: bool, now: datetime) -> None:
        """Remember who opened a case thread."""
        await self.db.execute(
            "INSERT INTO case_threads (thread_id, guild_id, author_id, anonymous, created_at) VALUES (?, ?, ?, ?, ?)",
            (thread_id, guild_id, author_id, int(anonymous), to_db(now)),
        )

    async def author(self, thread_id: int) -> int | None:
        """Who opened the case thread (for moderators), or None when it is not a case thread."""
        return await self.db.fetchval("SELECT author_id FROM case_threads WHERE thread_id = ?", (thread_id,))

    async def get(self, thread_id: int) -> CaseThread | None:
        """A case thread's metadata, or None when the thread is not a case thread."""
        row = await self.db.fetchone("SELECT * FROM case_threads WHERE thread_id = ?", (thread_id,))
        return _case_thread(row) if row is not None else None

    async def touch(self, thread_id: int, now: datetime) -> int:
        """Note activity in an open case thread (1 when it is one)."""
        return await self.db.execute_rowcount(
            "UPDATE case_threads SET last_activity_at = ? WHERE thread_id = ? AND closed_at IS NULL",
            (to_db(now), thread_id),
        )

    async def mark_closed(self, thread_id: int, now: datetime) -> bool:
        """Mark an open case thread closed; False when it was closed already (or is no case thread)."""
        changed = await self.db.execute_rowcount(
            "UPDATE case_threads SET closed_at = ? WHERE thread_id = ? AND closed_at IS NULL", (to_db(now), thread_id)
        )
        return changed > 0

    async def reopen(self, thread_id: int) -> None:
        """Undo `mark_closed` when Discord refused to lock the thread."""
        await self.db.execute("UPDATE case_threads SET closed_at = NULL WHERE thread_id = ?", (thread_id,))

    async def open_idle_since(self, cutoff: datetime) -> list[CaseThread]:
        """Open case threads with no activity since `cutoff` (oldest first)."""
        rows = await self.db.fetchall(
            "SELECT * FROM case_threads WHERE closed_at IS NULL AND coalesce(last_activity_at, created_at) < ?"
            " ORDER BY coalesce(last_activity_at, created_at)",
            (to_db(cutoff),),
        )
        return [_case_thread(r) for r in rows]

    async def export_for_user(self, user_id: int) -> list[dict[str, Any]]:
        """The case threads the member opened (ids only), for /mydata export."""
        rows = await self.db.fetchall(
            "SELECT guild_id, thread_id, anonymous, created_at FROM case_threads WHERE author_id = ?"
            " ORDER BY created_at",
            (user_id,),
        )
        return [
            {
                "server": r["guild_id"],
                "thread": r["thread_id"],
                "anonymous": bool(r["anonymous"]),
                "at": r["created_at"],
            }
            for r in rows
        ]

    async def delete_for_user(self, user_id: int) -> int:
        """Forget which threads the member opened (the threads themselves expire with retention)."""
        return await self.db.execute_rowcount("DELETE FROM case_threads WHERE author_id = ?", (user_id,))

    async def forget_thread(self, thread_id: int) -> int:
        """Drop a deleted thread's row."""
        return await self.db.execute_rowcount("DELETE FROM case_threads WHERE thread_id = ?", (thread_id,))
