"""Discord glue for case discussion: `/agreement` and the `/case` group."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import is_moderator, moderator_only
from bot.domain.errors import HarborError
from bot.services.agreements import AgreementService
from bot.services.automod import AutomodService
from bot.services.case_expiry import CaseExpiry
from bot.services.cases import CaseService
from cogs.cases._agreement import agreement_view
from cogs.cases._new import CaseModal

if TYPE_CHECKING:
    from bot.app import Harbor


class Cases(commands.Cog):
    """Confidential case discussion behind the server's agreement."""

    case = app_commands.Group(name="case", description="Discuss a hard case with peers, safely.", guild_only=True)

    def __init__(
        self, agreements: AgreementService, cases: CaseService, expiry: CaseExpiry, automod: AutomodService
    ) -> None:
        self.automod = automod
        self.expiry = expiry
        self.agreements = agreements
        self.cases = cases

    @case.command(name="new", description="Ask peers about a hard case; Harbor checks it for identifiers first.")
    async def new(self, interaction: discord.Interaction[Harbor]) -> None:
        """Open the case modal (members who accepted the current agreement only)."""
        assert interaction.guild is not None
        await self.agreements.require(interaction.guild.id, interaction.user.id)
        await self.cases.require_unrestricted(interaction.guild.id, interaction.user.id)
        await self.cases.cases_channel(interaction.guild)
        await interaction.response.send_modal(CaseModal(self.cases))

    @case.command(name="close", description="Close this case thread: lock, archive, delete after retention.")
    @app_commands.describe(resolution="How it went (optional, up to 1,500 characters; scanned like everything else)")
    async def close(
        self, interaction: discord.Interaction[Harbor], resolution: app_commands.Range[str, 1, 1500] | None = None
    ) -> None:
        """Author (with the current agreement) or a moderator closes the case thread."""
        assert interaction.guild is not None
        thread = interaction.channel
        author = await self.cases.author(thread.id) if isinstance(thread, discord.Thread) else None
        if not isinstance(thread, discord.Thread) or author is None:
            raise HarborError("Run `/case close` inside the case thread you want to close.")
        if not await is_moderator(interaction):
            if interaction.user.id != author:
                raise HarborError("Only the case's author or a moderator can close it.")
            await self.agreements.require(interaction.guild.id, interaction.user.id)
        days = await self.expiry.close(thread, (resolution or "").strip() or None)
        await interaction.response.send_message(
            f"Case closed. The thread is locked and will be deleted in {days} days; its readers are told a day before.",
            ephemeral=True,
        )

    @case.command(name="author", description="Moderators: who opened this case thread (anonymous ones too).")
    @moderator_only()
    async def author(self, interaction: discord.Interaction[Harbor]) -> None:
        """Show a moderator the author of the case thread they are in (ephemeral)."""
        thread = interaction.channel
        author = await self.cases.author(thread.id) if isinstance(thread, discord.Thread) else None
        if author is None:
            raise HarborError("Run `/case author` inside a case thread.")
        await interaction.response.send_message(
            f"This case was opened by <@{author}> (`{author}`). Only you see this.",
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @app_commands.command(name="agreement", description="Read the server's confidentiality agreement and agree.")
    @app_commands.guild_only()
    async def agreement(self, interaction: discord.Interaction[Harbor]) -> None:
        """Show the current version with "I agree" (ephemeral)."""
        assert interaction.guild_id is not None
        current = await self.agreements.current(interaction.guild_id)
        if current is None:
            await interaction.response.send_message(
                "This server has not published a confidentiality agreement yet; an admin can with `/setup agreement`.",
                ephemeral=True,
            )
            return
        accepted = await self.agreements.has_current(interaction.guild_id, interaction.user.id)
        embed = discord.Embed(
            title=f"Confidentiality agreement — version {current.version}",
            description=current.body,
            colour=discord.Colour.dark_teal(),
        )
        if accepted:
            embed.set_footer(text="You have accepted this version.")
            await interaction.response.send_message(embed=embed, ephemeral=True)
            return
        await interaction.response.send_message(embed=embed, view=agreement_view(current.version), ephemeral=True)

    async def cog_unload(self) -> None:
        """Drop AutoMod updates still waiting for their debounce."""
        self.automod.stop()

    @commands.Cog.listener()
    async def on_guild_channel_create(self, channel: discord.abc.GuildChannel) -> None:
        """A new channel is exempt from Harbor's AutoMod rules too (when they are on)."""
        self.automod.channels_changed(channel.guild.id)

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        """A deleted channel leaves the exemptions."""
        self.automod.channels_changed(channel.guild.id)

    @commands.Cog.listener()
    async def on_harbor_channel_set(self, guild_id: int, kind: str) -> None:
        """Another cases channel: AutoMod moves with it."""
        if kind == "cases":
            self.automod.channels_changed(guild_id)
