"""Per-guild configuration: channels and roles by kind, crisis text, and feature settings."""

from __future__ import annotations

from typing import Any

from bot.db.core import GuildSettingsRepository
from bot.domain.clock import Clock

CHANNEL_KINDS = ("announcements", "mod-log", "mod-queue", "cases", "resources", "pairing", "checkins")
ROLE_KINDS = ("moderator", "trainer", "case-access", "trusted")
CRISIS_MAX = 1800
DEFAULT_CE_DAYS = (90, 60, 30, 7)
DEFAULT_TRAINING_HOURS = (24, 1)

DEFAULT_CRISIS = (
    "**If you or someone you're with is in danger, call 911 (or your local emergency number).**\n"
    "• **988 Suicide & Crisis Lifeline** — call or text **988** (US), chat at 988lifeline.org\n"
    "• **SAMHSA National Helpline** — **1-800-662-4357** (free, confidential, 24/7, treatment referral)\n"
    "You matter. Reaching out is a strength."
)


class GuildConfig:
    """Typed access to the `guild_settings` key/value store."""

    def __init__(self, repo: GuildSettingsRepository, clock: Clock) -> None:
        self.repo = repo
        self.clock = clock

    async def get(self, guild_id: int, key: str, default: Any = None) -> Any:
        """Any setting."""
        return await self.repo.get(guild_id, key, default)

    async def set(self, guild_id: int, key: str, value: Any, *, by: int | None) -> None:
        """Store any setting."""
        await self.repo.set(guild_id, key, value, by=by, now=self.clock())

    async def reset(self, guild_id: int, key: str) -> None:
        """Forget a setting, so its default applies again."""
        await self.repo.delete(guild_id, key)

    async def channel(self, guild_id: int, kind: str) -> int | None:
        """The channel id configured for a kind (see CHANNEL_KINDS)."""
        return await self.repo.get(guild_id, f"channel.{kind}")

    async def role(self, guild_id: int, kind: str) -> int | None:
        """The role id configured for a kind (see ROLE_KINDS)."""
        return await self.repo.get(guild_id, f"role.{kind}")

    async def crisis_text(self, guild_id: int | None) -> str:
        """The server's crisis resources, or the default (988 and SAMHSA)."""
        if guild_id is None:
            return DEFAULT_CRISIS
        return await self.repo.get(guild_id, "crisis.text") or DEFAULT_CRISIS

    async def all(self, guild_id: int) -> dict[str, Any]:
        """Every stored setting."""
        return await self.repo.all(guild_id)

    async def ce_reminder_days(self, guild_id: int) -> list[int]:
        """Days before a credential expires on which CE reminders go out (`/setup reminders`)."""
        return list(await self.repo.get(guild_id, "reminders.ce_days", DEFAULT_CE_DAYS))

    async def training_reminder_hours(self, guild_id: int) -> list[int]:
        """Hours before a training starts on which reminders go out (`/setup reminders`)."""
        return list(await self.repo.get(guild_id, "reminders.training_hours", DEFAULT_TRAINING_HOURS))
