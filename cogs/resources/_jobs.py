"""Scheduled library work on the durable timers: the weekly digest and the monthly review list.

Both are per-server recurring schedules (`resources:digest:<guild>`, `resources:stale:<guild>`),
created by `ResourceService.ensure_schedules` when a server's first entry is approved. A firing missed
while Harbor was down runs once, late, at start-up (the timer service's guarantee); posts carry a nonce
derived from the timer so a re-run after a crash does not post twice.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.db.resources import Resource
from bot.db.timers import Timer
from bot.domain.clock import discord_timestamp
from bot.services.guild_config import GuildConfig
from bot.services.resources import ResourceService
from bot.services.timers import timer_nonce
from cogs.resources._buttons import stale_view
from cogs.resources._ui import COLOUR, EMBED_DESCRIPTION_MAX, clip, link_title

if TYPE_CHECKING:
    from bot.app import Harbor

log = logging.getLogger(__name__)
DIGEST_MAX = 20
REVIEW_PER_MESSAGE = 25
REVIEW_MESSAGES = 4
LATE_NOTE = "Sent late: Harbor was offline when this was due."


class ResourceJobs:
    """Timer handlers; they post to the channels configured with `/setup channel`."""

    def __init__(self, bot: Harbor, service: ResourceService, config: GuildConfig) -> None:
        self.bot = bot
        self.service = service
        self.config = config

    async def _channel(self, guild_id: int, kind: str) -> discord.abc.Messageable | None:
        channel_id = await self.config.channel(guild_id, kind)
        channel = self.bot.get_channel(channel_id) if channel_id else None
        if not isinstance(channel, discord.abc.Messageable):
            log.info("resources: no %s channel in guild %s; skipping", kind, guild_id)
            return None
        return channel

    @staticmethod
    def _guild(timer: Timer) -> int:
        return int(timer.guild_id or timer.payload["guild_id"])

    async def digest(self, timer: Timer) -> None:
        """Post what was approved since the last digest; nothing when nothing is new."""
        guild_id = self._guild(timer)
        now = self.service.clock()
        entries = await self.service.digest_entries(guild_id, now)
        if not entries:
            return
        channel = await self._channel(guild_id, "resources")
        if channel is None:
            return
        shown = entries[:DIGEST_MAX]
        lines = [f"**#{r.id}** {link_title(r)} " + " ".join(f"`{t}`" for t in r.tags) for r in shown]
        if len(entries) > len(shown):
            lines.append(f"…and {len(entries) - len(shown)} more: try `/resource search`.")
        embed = discord.Embed(
            title=f"New in the library: {len(entries)} resource{'s' * (len(entries) != 1)}",
            colour=COLOUR,
            description=clip("\n".join(lines), EMBED_DESCRIPTION_MAX),
        )
        embed.set_footer(text=LATE_NOTE if timer.late else "Save one with /resource save <id>.")
        await channel.send(embed=embed, nonce=timer_nonce(timer))
        await self.service.digest_sent(guild_id, now)

    async def stale(self, timer: Timer) -> None:
        """Post entries not reviewed for 12 months to the mod queue, each with a "Mark reviewed" button."""
        guild_id = self._guild(timer)
        entries = await self.service.stale_entries(guild_id)
        if not entries:
            return
        channel = await self._channel(guild_id, "mod-queue")
        if channel is None:
            return
        limit = REVIEW_PER_MESSAGE * REVIEW_MESSAGES
        for index in range(0, min(len(entries), limit), REVIEW_PER_MESSAGE):
            chunk = entries[index : index + REVIEW_PER_MESSAGE]
            embed = self._review_embed(chunk, total=len(entries), first=index == 0, late=timer.late)
            if index + REVIEW_PER_MESSAGE >= limit and len(entries) > limit:
                embed.add_field(name="More", value=f"{len(entries) - limit} more will be listed next month.")
            await channel.send(
                embed=embed,
                view=stale_view([r.id for r in chunk]),
                nonce=f"{timer_nonce(timer)}{index // REVIEW_PER_MESSAGE}",
            )

    @staticmethod
    def _review_embed(chunk: list[Resource], *, total: int, first: bool, late: bool) -> discord.Embed:
        lines = [
            f"**#{r.id}** {link_title(r, 90)} · last reviewed "
            + (discord_timestamp(r.reviewed_at, "D") if r.reviewed_at else "never")
            for r in chunk
        ]
        title = f"Library check: {total} entr{'ies' if total != 1 else 'y'} not reviewed for 12 months"
        embed = discord.Embed(
            title=title if first else "Library check (continued)",
            colour=COLOUR,
            description=clip("\n".join(lines), EMBED_DESCRIPTION_MAX),
        )
        embed.set_footer(text=LATE_NOTE if late else "Open each link; if it still helps, press its button.")
        return embed
