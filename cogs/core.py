"""Everyone's commands: /help, /profile, /privacy, /crisis."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Harbor
from bot.domain.clock import Clock, discord_timestamp
from bot.services.guild_config import GuildConfig
from bot.services.mydata import MyDataService
from bot.services.profiles import ProfileService
from bot.transformers import Zone

EVERYWHERE = {"guilds": True, "dms": True, "private_channels": True}


async def _can_run(
    command: app_commands.Command | app_commands.Group, interaction: discord.Interaction[Harbor]
) -> bool:
    checks = list(getattr(command, "checks", []))
    for check in checks:
        try:
            ok = check(interaction)
            if hasattr(ok, "__await__"):
                ok = await ok
        except app_commands.AppCommandError:
            return False
        if not ok:
            return False
    return True


class Core(commands.Cog):
    """Help, profile, privacy and crisis resources."""

    profile = app_commands.Group(name="profile", description="Your Harbor profile (time zone).")

    def __init__(
        self, bot: Harbor, profiles: ProfileService, config: GuildConfig, mydata: MyDataService, clock: Clock
    ) -> None:
        self.bot = bot
        self.profiles = profiles
        self.config = config
        self.mydata = mydata
        self.clock = clock

    @app_commands.command(name="help", description="What Harbor does and the commands you can use.")
    @app_commands.allowed_contexts(**EVERYWHERE)
    async def help(self, interaction: discord.Interaction[Harbor]) -> None:
        """List the commands the caller may use, grouped."""
        lines: list[str] = []
        perms = interaction.permissions
        for top in sorted(self.bot.tree.get_commands(type=discord.AppCommandType.chat_input), key=lambda c: c.name):
            required = getattr(top, "default_permissions", None)
            if interaction.guild_id and required is not None and not perms >= required:
                continue
            if interaction.guild_id is None and getattr(top, "guild_only", False):
                continue
            if isinstance(top, app_commands.Group):
                for sub in top.walk_commands():
                    if isinstance(sub, app_commands.Command) and await _can_run(sub, interaction):
                        lines.append(f"`/{sub.qualified_name}` — {sub.description}")
            elif await _can_run(top, interaction):
                lines.append(f"`/{top.name}` — {top.description}")
        embed = discord.Embed(
            title="Harbor",
            colour=discord.Colour.teal(),
            description=(
                "Harbor helps peer specialists look after themselves, keep their certification, share what "
                "works and talk through hard cases **without exposing the people they serve**.\n"
                "Your check-ins, CE records and bookmarks are private to you. `/crisis` works anywhere."
            ),
        )
        # Embed fields hold at most 1024 characters: chunk the list.
        chunk: list[str] = []
        for line in lines:
            if sum(len(x) + 1 for x in chunk) + len(line) > 1000:
                embed.add_field(
                    name="Commands you can use" if not embed.fields else "\u200b", value="\n".join(chunk), inline=False
                )
                chunk = []
            chunk.append(line)
        if chunk:
            embed.add_field(
                name="Commands you can use" if not embed.fields else "\u200b", value="\n".join(chunk), inline=False
            )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="crisis", description="Crisis lines and support, privately, anywhere.")
    @app_commands.allowed_contexts(**EVERYWHERE)
    async def crisis(self, interaction: discord.Interaction[Harbor]) -> None:
        """The server's crisis resources, or 988 and SAMHSA's helpline; always ephemeral."""
        text = await self.config.crisis_text(interaction.guild_id)
        embed = discord.Embed(title="You're not alone", description=text, colour=discord.Colour.blurple())
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="privacy", description="What Harbor stores about you, who sees it, how long.")
    @app_commands.allowed_contexts(**EVERYWHERE)
    async def privacy(self, interaction: discord.Interaction[Harbor]) -> None:
        """Explain storage per feature, from the registered data sections."""
        embed = discord.Embed(title="Your data in Harbor", colour=discord.Colour.teal())
        embed.description = (
            "Harbor keeps the people you serve **out** of Discord: case text is scanned before posting and "
            "nothing it flags is ever stored or logged. About **you**, it stores only what each feature "
            "needs, in the bot's own database. Private things are shown only to you (ephemeral or DM); "
            "group views are aggregates of at least 5 people.\n"
            "`/mydata export` gives you a JSON file of everything; `/mydata delete` erases it."
        )
        for section in self.mydata.sections:
            if section.about:
                embed.add_field(
                    name=section.name.replace("_", " ").capitalize(), value=section.about[:1024], inline=False
                )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @profile.command(name="timezone", description="Set your time zone, so reminders come at your local time.")
    @app_commands.describe(zone="An IANA time zone such as America/Chicago (start typing a city)")
    async def profile_timezone(
        self, interaction: discord.Interaction[Harbor], zone: app_commands.Transform[str, Zone]
    ) -> None:
        """Store the member's IANA zone (the transformer refuses unknown zones with the closest names)."""
        local = await self.profiles.set_timezone(interaction.user.id, zone)
        self.bot.dispatch("harbor_timezone_changed", interaction.user.id)  # features re-plan local-time timers
        await interaction.response.send_message(
            f"Time zone set to **{zone}** (it's {local:%H:%M} there now). Reminders and check-in prompts "
            "will follow it.",
            ephemeral=True,
        )

    @profile.command(name="show", description="Show your Harbor profile.")
    async def profile_show(self, interaction: discord.Interaction[Harbor]) -> None:
        """The member's time zone and local time."""
        profile = await self.profiles.get(interaction.user.id)
        tz = profile.timezone if profile and profile.timezone else None
        now: datetime = self.clock()
        zone_line = (
            f"**{tz}** — your local time is {now.astimezone(ZoneInfo(tz)):%H:%M}"
            if tz
            else "not set (UTC is used) — set it with `/profile timezone`"
        )
        embed = discord.Embed(title="Your profile", colour=discord.Colour.teal())
        embed.add_field(name="Time zone", value=zone_line, inline=False)
        if profile:
            embed.add_field(name="Since", value=discord_timestamp(profile.created_at, "D"), inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: Harbor) -> None:
    """Load the cog with its services."""
    s = bot.services
    profiles = ProfileService(s.profiles, s.clock)
    bot.provide(profiles)
    await bot.add_cog(Core(bot, profiles, s.guild_config, s.mydata, s.clock))
