"""Direct messages: paced under Discord's global rate limit, one request each, closed DMs respected.

- **Pacing.** discord.py only reacts to 429s; when thousands of prompts come due at once, reacting
  means hundreds of 429s, each counting against Discord's 10,000-invalid-requests-per-10-minutes ban.
  A token bucket spaces every DM request at 48/s (under the global 50/s, leaving room for commands).
- **One request per DM.** The member's DM channel id is stored (`dm_channels`), so a DM is a single
  POST to a partial messageable; the channel is opened (a second request) only the first time or
  when Discord says it is gone.
- **Closed DMs.** On a 403 the failure is recorded and no further DM is attempted for that member
  until they next use a command — where they are told (cogs/errors.py).

Nothing sent is ever logged.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import discord

from bot.db.core import DmChannelRepository, DmFailure, DmFailureRepository
from bot.domain.clock import Clock

log = logging.getLogger(__name__)

DM_RATE = 48.0  # requests/s


class Pacer:
    """A token bucket: `await take(n)` returns when n more requests fit under the rate."""

    def __init__(self, rate: float = DM_RATE) -> None:
        self.interval = 1.0 / rate
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def take(self, requests: int = 1) -> None:
        """Wait until `requests` more requests fit under the rate."""
        async with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + requests * self.interval
        if start > now:
            await asyncio.sleep(start - now)


class Notifier:
    """Send DMs (see the module docstring)."""

    def __init__(
        self,
        client: discord.Client,
        failures: DmFailureRepository,
        channels: DmChannelRepository,
        clock: Clock,
        pacer: Pacer | None = None,
    ) -> None:
        self.client = client
        self.failures = failures
        self.channels = channels
        self.clock = clock
        self.pacer = pacer or Pacer()

    async def take_undelivered(self, user_id: int) -> list[DmFailure]:
        """DMs that could not reach the member since they were last told; marks them told."""
        return await self.failures.take_unnotified(user_id)

    async def open_dm(self, user_id: int) -> int:
        """Open (or recall) the member's DM channel and remember it; returns its id."""
        known = await self.channels.get(user_id)
        if known is not None:
            return known
        await self.pacer.take()
        channel = await self.client.create_dm(discord.Object(user_id))
        await self.channels.set(user_id, channel.id)
        return channel.id

    async def dm(
        self, user_id: int, *, purpose: str, guild_id: int | None = None, **send: Any
    ) -> discord.Message | None:
        """DM a member (`send` as for `Messageable.send`); None when it could not be delivered."""
        if await self.failures.has_unnotified(user_id):
            return None
        for fresh in (False, True):
            try:
                if fresh:
                    await self.channels.delete(user_id)
                channel_id = await self.open_dm(user_id)
                await self.pacer.take()
                channel = self.client.get_partial_messageable(channel_id, type=discord.ChannelType.private)
                return await channel.send(**send)
            except discord.Forbidden:
                log.info("DM to user %s refused (%s); recorded", user_id, purpose)
                await self.failures.record(user_id, guild_id, purpose, self.clock())
                return None
            except discord.NotFound:
                if fresh:
                    log.info("DM to user %s: unknown user (%s)", user_id, purpose)
                    return None
                # the stored channel is gone: open a fresh one once
        return None
