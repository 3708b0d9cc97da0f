"""`/case close` and the durable expiry of case threads: a warning a day before, then one deletion."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import discord

from bot.db.timers import Timer
from bot.domain.errors import HarborError
from bot.services.cases import CaseService
from bot.services.moderation import CASE_THREAD_RETENTION_KEY
from bot.services.notify import Notifier
from bot.services.timers import TimerService

if TYPE_CHECKING:
    from bot.app import Harbor

log = logging.getLogger(__name__)

WARN_EVENT = "case.expiry_warning"
DELETE_EVENT = "case.delete_thread"
DEFAULT_RETENTION_DAYS = 30  # PRODUCT.md: case threads are deleted 30 days after closing unless set otherwise


class CaseExpiry:
    """Closes case threads and deletes them after the server's retention period (timers survive restarts)."""

    def __init__(self, bot: Harbor, service: CaseService, timers: TimerService, notifier: Notifier) -> None:
        self.bot = bot
        self.service = service
        self.timers = timers
        self.notifier = notifier

    async def retention_days(self, guild_id: int) -> int:
        """Days a closed case thread is kept (`/setup retention case-threads`)."""
        return int(await self.service.config.get(guild_id, CASE_THREAD_RETENTION_KEY, DEFAULT_RETENTION_DAYS))

    async def close(self, thread: discord.Thread, by: int, resolution: str | None) -> int:
        """Post the resolution (scanned first), lock and archive, schedule the warning and the deletion."""
        if resolution:
            result = self.service.scanner.scan(resolution, await self.service.allow_list(thread.guild.id))
            if result.findings:
                kinds = ", ".join(sorted({f.kind for f in result.findings}))
                raise HarborError(
                    f"The resolution may identify someone ({kinds}); rewrite it without that. Nothing was changed."
                )
        days = await self.retention_days(thread.guild.id)
        try:
            if resolution:
                await thread.send(f"**Resolution**\n{resolution}", allowed_mentions=discord.AllowedMentions.none())
            await thread.edit(locked=True, archived=True, reason="case closed")
        except discord.Forbidden:
            raise HarborError("Harbor can't lock this thread (it needs Manage Threads in the cases channel).") from None
        now = self.service.clock()
        due = now + timedelta(days=days)
        payload = {"thread": thread.id}
        await self.timers.create(
            WARN_EVENT, due - timedelta(days=1), payload, guild_id=thread.guild.id, key=f"case:warn:{thread.id}"
        )
        await self.timers.create(DELETE_EVENT, due, payload, guild_id=thread.guild.id, key=f"case:delete:{thread.id}")
        return days

    async def on_warning(self, timer: Timer) -> None:
        """Tell the author their case thread is deleted tomorrow."""
        author = await self.service.repo.author(int(timer.payload["thread"]))
        if author is None:
            return
        await self.notifier.dm(
            author,
            purpose="case_expiry",
            guild_id=timer.guild_id,
            content="A case thread you opened is deleted tomorrow, as the server's retention period ends. "
            "Nothing of it is kept.",
        )

    async def on_delete(self, timer: Timer) -> None:
        """Delete the whole thread once; a thread already gone counts as deleted."""
        thread_id = int(timer.payload["thread"])
        try:
            await self.bot.http.delete_channel(thread_id, reason="case retention period ended")
        except discord.NotFound:
            pass
        except discord.Forbidden:
            if self.service.modlog is not None and timer.guild_id is not None:
                await self.service.modlog.record(
                    timer.guild_id,
                    "privacy_violation",
                    subject_id=None,
                    moderator_id=None,
                    channel_id=thread_id,
                    reason="Harbor could not delete an expired case thread: it needs Manage Threads.",
                )
            return
        await self.service.repo.forget_thread(thread_id)
