"""Repositories for the core tables: per-guild settings, member profiles, DM failures, meta."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.connection import Database
from bot.domain.clock import from_db, to_db


@dataclass(frozen=True, slots=True)
class Profile:
    """A member's own preferences."""

    user_id: int
    timezone: str | None
    created_at: datetime
    updated_at: datetime


class MetaRepository:
    """Small key/value facts about the installation (e.g. the synced command hash)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, key: str) -> str | None:
        """A value, or None."""
        return await self.db.fetchval("SELECT value FROM meta WHERE key = ?", (key,))

    async def set(self, key: str, value: str) -> None:
        """Store a value."""
        await self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


class GuildSettingsRepository:
    """Per-guild settings as JSON values under string keys (`channel.cases`, `role.moderator`, …)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, guild_id: int, key: str, default: Any = None) -> Any:
        """One setting's value."""
        raw = await self.db.fetchval("SELECT value FROM guild_settings WHERE guild_id = ? AND key = ?", (guild_id, key))
        return default if raw is None else json.loads(raw)

    async def set(self, guild_id: int, key: str, value: Any, *, by: int | None, now: datetime) -> None:
        """Store one setting (who changed it is kept for the audit)."""
        await self.db.execute(
            "INSERT INTO guild_settings (guild_id, key, value, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(guild_id, key) DO UPDATE SET value = excluded.value,"
            " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            (guild_id, key, json.dumps(value), by, to_db(now)),
        )

    async def delete(self, guild_id: int, key: str) -> None:
        """Remove one setting (back to its default)."""
        await self.db.execute("DELETE FROM guild_settings WHERE guild_id = ? AND key = ?", (guild_id, key))

    async def all(self, guild_id: int) -> dict[str, Any]:
        """Every setting of a guild."""
        rows = await self.db.fetchall(
            "SELECT key, value FROM guild_settings WHERE guild_id = ? ORDER BY key", (guild_id,)
        )
        return {r["key"]: json.loads(r["value"]) for r in rows}

    async def changed_by(self, user_id: int) -> list[dict[str, Any]]:
        """Settings a member last changed (their id is personal data: exported and cleared on request)."""
        rows = await self.db.fetchall(
            "SELECT guild_id, key, updated_at FROM guild_settings WHERE updated_by = ? ORDER BY guild_id, key",
            (user_id,),
        )
        return [{"guild_id": r["guild_id"], "setting": r["key"], "updated_at": r["updated_at"]} for r in rows]

    async def forget_editor(self, user_id: int) -> int:
        """Keep the server's settings but drop who changed them."""
        return await self.db.execute_rowcount(
            "UPDATE guild_settings SET updated_by = NULL WHERE updated_by = ?", (user_id,)
        )


class ProfileRepository:
    """Member profiles (time zone)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_id: int) -> Profile | None:
        """A profile, or None when the member never set anything."""
        row = await self.db.fetchone("SELECT * FROM profiles WHERE user_id = ?", (user_id,))
        if row is None:
            return None
        return Profile(row["user_id"], row["timezone"], from_db(row["created_at"]), from_db(row["updated_at"]))

    async def set_timezone(self, user_id: int, tz: str, now: datetime) -> None:
        """Store a member's IANA time zone."""
        await self.db.execute(
            "INSERT INTO profiles (user_id, timezone, created_at, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(user_id) DO UPDATE SET timezone = excluded.timezone, updated_at = excluded.updated_at",
            (user_id, tz, to_db(now), to_db(now)),
        )

    async def timezone(self, user_id: int) -> str:
        """The member's zone, UTC until set."""
        return await self.db.fetchval("SELECT timezone FROM profiles WHERE user_id = ?", (user_id,)) or "UTC"

    async def delete(self, user_id: int) -> int:
        """Erase a profile."""
        return await self.db.execute_rowcount("DELETE FROM profiles WHERE user_id = ?", (user_id,))


@dataclass(frozen=True, slots=True)
class DmFailure:
    """A DM that could not be delivered."""

    id: int
    user_id: int
    guild_id: int | None
    purpose: str
    failed_at: datetime


class DmFailureRepository:
    """Undelivered DMs, so the member can be told when they next use a command."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, user_id: int, guild_id: int | None, purpose: str, now: datetime) -> None:
        """Remember a failed DM."""
        await self.db.execute(
            "INSERT INTO dm_failures (user_id, guild_id, purpose, failed_at) VALUES (?, ?, ?, ?)",
            (user_id, guild_id, purpose, to_db(now)),
        )

    async def has_unnotified(self, user_id: int) -> bool:
        """Whether DMs to this member are known to fail and they have not been told yet."""
        return bool(
            await self.db.fetchval("SELECT 1 FROM dm_failures WHERE user_id = ? AND notified = 0 LIMIT 1", (user_id,))
        )

    async def take_unnotified(self, user_id: int) -> list[DmFailure]:
        """Failures the member has not been told about; marks them told."""
        async with self.db.transaction():
            rows = await self.db.fetchall(
                "SELECT * FROM dm_failures WHERE user_id = ? AND notified = 0 ORDER BY failed_at", (user_id,)
            )
            if rows:
                await self.db.execute("UPDATE dm_failures SET notified = 1 WHERE user_id = ?", (user_id,))
        return [DmFailure(r["id"], r["user_id"], r["guild_id"], r["purpose"], from_db(r["failed_at"])) for r in rows]

    async def export(self, user_id: int) -> list[dict[str, Any]]:
        """A member's DM failures."""
        rows = await self.db.fetchall(
            "SELECT purpose, failed_at, notified FROM dm_failures WHERE user_id = ? ORDER BY failed_at", (user_id,)
        )
        return [dict(r) for r in rows]

    async def delete(self, user_id: int) -> int:
        """Erase a member's DM failures."""
        return await self.db.execute_rowcount("DELETE FROM dm_failures WHERE user_id = ?", (user_id,))


class DmChannelRepository:
    """Known DM channel ids per member."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_id: int) -> int | None:
        """The member's DM channel id, if known."""
        return await self.db.fetchval("SELECT channel_id FROM dm_channels WHERE user_id = ?", (user_id,))

    async def set(self, user_id: int, channel_id: int) -> None:
        """Remember the member's DM channel."""
        await self.db.execute(
            "INSERT INTO dm_channels (user_id, channel_id) VALUES (?, ?)"
            " ON CONFLICT(user_id) DO UPDATE SET channel_id = excluded.channel_id",
            (user_id, channel_id),
        )

    async def export(self, user_id: int) -> int | None:
        """For /mydata export."""
        return await self.get(user_id)

    async def delete(self, user_id: int) -> int:
        """Forget the member's DM channel."""
        return await self.db.execute_rowcount("DELETE FROM dm_channels WHERE user_id = ?", (user_id,))
