"""Shared helpers for the moderation cog: the service, target checks, DM notices and queue posts."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.app import Harbor, feature_of, harbor_of
from bot.domain.clock import discord_timestamp
from bot.domain.moderation import ModCase
from bot.errors import UserError
from bot.services.moderation import ModerationService

log = logging.getLogger(__name__)


def service(interaction: discord.Interaction[Any]) -> ModerationService:
    """The moderation service (provided by this cog's `setup()`)."""
    return feature_of(interaction, ModerationService)


def check_target(interaction: discord.Interaction[Any], target: discord.Member | discord.User) -> discord.Member:
    """Refuse acting on oneself, a bot, an admin, a member who left, or a top role at or above the caller's."""
    actor = interaction.user
    if target.id == actor.id:
        raise UserError("You can't take moderation action on yourself.")
    if target.bot:
        raise UserError("Bots (Harbor included) can't be moderated with `/mod`.")
    if not isinstance(target, discord.Member) or not isinstance(actor, discord.Member):
        raise UserError(f"<@{target.id}> is not a member of this server (they may have left).")
    if target.guild_permissions.administrator or target.guild_permissions.manage_guild:
        raise UserError(f"<@{target.id}> is a server admin; admins can't be moderated with `/mod`.")
    guild = interaction.guild
    owner = guild is not None and guild.owner_id == actor.id
    if target.top_role >= actor.top_role and not owner:
        raise UserError(f"<@{target.id}>'s top role is not below yours, so you can't moderate them.")
    return target


def notice_embed(case: ModCase, guild_name: str) -> discord.Embed:
    """The DM a member gets for a warn, timeout or restriction: kind, reason, case number."""
    what = {
        "warn": "You received a warning",
        "timeout": "You were timed out",
        "restrict": "Your access to case discussion was restricted",
    }.get(case.kind, case.label)
    embed = discord.Embed(title=f"{what} in {guild_name}", colour=discord.Colour.orange())
    embed.add_field(name="Reason", value=(case.reason or "—")[:1024], inline=False)
    embed.add_field(name="Case", value=f"#{case.number}")
    if case.expires_at is not None:
        embed.add_field(name="Until", value=discord_timestamp(case.expires_at, "F"))
    embed.set_footer(text="If you think this was a mistake, press Appeal to tell the moderators why.")
    return embed


async def queue_channel_id(interaction: discord.Interaction[Any], guild_id: int) -> int:
    """The mod-queue channel, or a clear error naming the setup command."""
    channel_id = await harbor_of(interaction).services.guild_config.channel(guild_id, "mod-queue")
    if channel_id is None:
        msg = (
            "This server has no mod-queue channel for Harbor yet; ask an admin to run `/setup channel kind:mod-queue`."
        )
        raise UserError(msg)
    return channel_id


async def tell(bot: Harbor, user_id: int, guild_id: int, purpose: str, **send: object) -> bool:
    """DM a member through the notifier; True when delivered."""
    message = await bot.services.notifier.dm(user_id, purpose=purpose, guild_id=guild_id, **send)
    return message is not None
