"""The one error handler: app-command and prefix-command errors become friendly ephemeral replies.

It also tells a member, right after their next successful command, about DMs Harbor could not
deliver to them (closed DMs), so nothing fails silently.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Harbor
from bot.domain.clock import discord_timestamp
from bot.errors import report
from bot.services.notify import Notifier

log = logging.getLogger(__name__)


class ErrorHandler(commands.Cog):
    """Installs the tree's error handler and the undelivered-DM notice."""

    def __init__(self, bot: Harbor, notifier: Notifier) -> None:
        self.bot = bot
        self.notifier = notifier
        self._previous: Any = None

    async def cog_load(self) -> None:
        """Take over the tree's error handler."""
        self._previous = self.bot.tree.on_error
        self.bot.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]

    async def cog_unload(self) -> None:
        """Give the handler back."""
        self.bot.tree.on_error = self._previous  # type: ignore[method-assign]

    async def on_app_command_error(
        self, interaction: discord.Interaction[Harbor], error: app_commands.AppCommandError
    ) -> None:
        """Friendly ephemeral reply; bugs are logged with command, guild and user ids only."""
        name = interaction.command.qualified_name if interaction.command else "unknown command"
        await report(interaction, error, where=f"/{name}")

    @commands.Cog.listener()
    async def on_command_error(self, ctx: commands.Context[Harbor], error: commands.CommandError) -> None:
        """Harbor has no prefix commands; anything else is logged by type only."""
        if isinstance(error, commands.CommandNotFound):
            return
        log.error(
            "prefix command error in guild=%s user=%s: %s",
            ctx.guild and ctx.guild.id,
            ctx.author.id,
            type(error).__name__,
        )

    @commands.Cog.listener()
    async def on_app_command_completion(self, interaction: discord.Interaction[Harbor], command: Any) -> None:
        """After a command, mention DMs that could not be delivered since the member's last command."""
        if interaction.response.type in (None, discord.InteractionResponseType.modal):
            return  # a modal has no message to follow up; the member is told next time
        if self.bot.is_closed():
            return
        failures = await self.notifier.take_undelivered(interaction.user.id)
        if not failures:
            return
        purposes = ", ".join(sorted({f.purpose for f in failures}))
        text = (
            f"Heads-up: I couldn't send you a DM ({purposes}) since {discord_timestamp(failures[0].failed_at, 'R')}. "
            "To get them, allow direct messages from this server (server name → Privacy Settings → Direct Messages)."
        )
        try:
            await interaction.followup.send(text, ephemeral=True)
        except discord.HTTPException:
            log.info("could not tell user %s about undelivered DMs", interaction.user.id)


async def setup(bot: Harbor) -> None:
    """Load the cog."""
    await bot.add_cog(ErrorHandler(bot, bot.services.notifier))
