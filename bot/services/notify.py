"""Direct messages that respect closed DMs and Discord's invalid-request budget.

When Discord answers 403 (the member closed DMs or left), the failure is recorded and no further
DM is attempted for that member until they next use a command — where they are told — so a closed
inbox never burns through the 10,000-invalid-requests-per-10-minutes budget.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.db.core import DmFailureRepository
from bot.domain.clock import Clock

log = logging.getLogger(__name__)


class Notifier:
    """Send DMs; never logs what was sent."""

    def __init__(self, client: discord.Client, failures: DmFailureRepository, clock: Clock) -> None:
        self.client = client
        self.failures = failures
        self.clock = clock

    async def dm(
        self, user_id: int, *, purpose: str, guild_id: int | None = None, **send: Any
    ) -> discord.Message | None:
        """DM a member (`send` as for `Messageable.send`); None when it could not be delivered."""
        if await self.failures.has_unnotified(user_id):
            return None
        try:
            channel = await self.client.create_dm(discord.Object(user_id))
            return await channel.send(**send)
        except discord.Forbidden:
            log.info("DM to user %s refused (%s); recorded", user_id, purpose)
            await self.failures.record(user_id, guild_id, purpose, self.clock())
            return None
        except discord.NotFound:
            log.info("DM to user %s: unknown user (%s)", user_id, purpose)
            return None
