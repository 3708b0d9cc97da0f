"""What an announcement looks like in the channel, where it goes, and the timer that posts scheduled ones."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.db.announcements import Announcement
from bot.db.timers import Timer
from bot.domain.announcements import Draft
from bot.errors import UserError
from bot.services.announcements import AnnouncementService
from bot.services.timers import timer_nonce

if TYPE_CHECKING:
    from bot.app import Harbor

log = logging.getLogger(__name__)

NO_CHANNEL = (
    "This server has no announcements channel for Harbor yet. "
    "Ask an admin to run `/setup channel kind:announcements`. Nothing was saved."
)


def mentions(ping_role_id: int | None) -> discord.AllowedMentions:
    """Nobody is pinged by what the author typed; only the one role an admin chose, if any."""
    roles: list[discord.Object] | bool = [discord.Object(ping_role_id)] if ping_role_id else False
    return discord.AllowedMentions(everyone=False, users=False, roles=roles, replied_user=False)


def message_parts(author_id: int, title: str, body: str, ping_role_id: int | None) -> dict[str, Any]:
    """`send()` keyword arguments: the text in an embed (mentions in embeds never ping), the role in content."""
    embed = discord.Embed(title=title or None, description=f"{body}\n\n— <@{author_id}>", colour=discord.Colour.gold())
    return {
        "content": f"<@&{ping_role_id}>" if ping_role_id else None,
        "embed": embed,
        "allowed_mentions": mentions(ping_role_id),
    }


def draft_parts(author_id: int, draft: Draft) -> dict[str, Any]:
    """`message_parts` for a draft."""
    return message_parts(author_id, draft.title, draft.body, draft.ping_role_id)


async def announcements_channel(bot: Harbor, guild_id: int) -> discord.abc.Messageable:
    """The configured announcements channel, or a `UserError` saying how to set it."""
    channel_id = await bot.services.guild_config.channel(guild_id, "announcements")
    channel = bot.get_channel(channel_id) if channel_id else None
    if not isinstance(channel, discord.abc.Messageable) or isinstance(channel, discord.abc.PrivateChannel):
        raise UserError(NO_CHANNEL)
    return channel


class ScheduledPoster:
    """The `announce.post` timer handler."""

    def __init__(self, bot: Harbor, service: AnnouncementService) -> None:
        self.bot = bot
        self.service = service

    async def on_post(self, timer: Timer) -> None:
        """Post a scheduled announcement once (late once after downtime); tell the author when it can't go."""
        announcement = await self.service.claim_for_posting(int(timer.payload.get("announcement", 0)))
        if announcement is None:
            return  # cancelled, erased, or posted by an earlier run
        try:
            channel = await announcements_channel(self.bot, announcement.guild_id)
            message = await channel.send(
                **message_parts(
                    announcement.author_id, announcement.title, announcement.body, announcement.ping_role_id
                ),
                nonce=timer_nonce(timer),
            )
        except (UserError, discord.Forbidden, discord.NotFound):
            log.warning("announcement %s could not be posted (no channel or no permission)", announcement.id)
            await self.service.mark_failed(announcement.id)
            await self._tell_author(announcement)
            return
        await self.service.mark_posted(announcement.id, message.channel.id, message.id)
        log.info("announcement %s posted (timer %s, late=%s)", announcement.id, timer.id, timer.late)

    async def _tell_author(self, announcement: Announcement) -> None:
        await self.bot.services.notifier.dm(
            announcement.author_id,
            purpose="announcement not posted",
            guild_id=announcement.guild_id,
            content=(
                f"Your scheduled announcement #{announcement.id} could not be posted: the server's announcements "
                "channel is missing or Harbor may not post there. Ask an admin to check `/setup check`, then "
                "schedule it again."
            ),
        )
