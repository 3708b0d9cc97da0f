"""`/announce new | list | cancel` (trainers and admins)."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Harbor, harbor_of
from bot.checks import is_admin, trainer_only
from bot.errors import UserError
from bot.services.announcements import AnnouncementService
from cogs.announcements._post import announcements_channel
from cogs.announcements._views import AnnounceModal


def _guild(interaction: discord.Interaction[Harbor]) -> int:
    if interaction.guild_id is None:
        raise UserError("Announcements work in a server, not in DMs.")
    return interaction.guild_id


def _snippet(title: str, body: str, limit: int) -> str:
    text = " ".join((title or body).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Announcements(commands.Cog):
    """Post to the announcements channel now or later."""

    announce = app_commands.Group(
        name="announce", description="Post to the server's announcements channel (trainers, admins).", guild_only=True
    )

    def __init__(self, service: AnnouncementService) -> None:
        self.service = service

    @announce.command(name="new", description="Write an announcement (a form opens), post it now or later.")
    @app_commands.describe(ping_role="Admins only: one role to ping when it is posted")
    @trainer_only()
    async def new(self, interaction: discord.Interaction[Harbor], ping_role: discord.Role | None = None) -> None:
        """Check the role to ping and the channel, then open the modal."""
        guild_id = _guild(interaction)
        role_id = None
        if ping_role is not None:
            if not is_admin(interaction):
                raise UserError("Only server admins (Manage Server permission) can ping a role with an announcement.")
            if ping_role.guild.id != guild_id:
                raise UserError("That role is not in this server.")
            if ping_role.is_default():
                raise UserError("Harbor never pings @everyone; choose a role that only some members have.")
            role_id = ping_role.id
        await announcements_channel(harbor_of(interaction), guild_id)
        await interaction.response.send_modal(AnnounceModal(self.service, role_id))

    @announce.command(name="list", description="Scheduled announcements of this server, soonest first.")
    @trainer_only()
    async def list_(self, interaction: discord.Interaction[Harbor]) -> None:
        """Up to 25 scheduled announcements with their ids, times and authors (ephemeral)."""
        waiting = await self.service.scheduled(_guild(interaction))
        if not waiting:
            text = "No announcements are scheduled. `/announce new` writes one."
        else:
            lines = []
            for a in waiting:
                stamp = int(a.due_at.timestamp())
                ping = f" · pings <@&{a.ping_role_id}>" if a.ping_role_id else ""
                head = f"**#{a.id}** <t:{stamp}:F> (<t:{stamp}:R>) by <@{a.author_id}>{ping}"
                lines.append(f"{head}\n{_snippet(a.title, a.body, 80)}")
            text = "\n".join(lines)
        embed = discord.Embed(title="Scheduled announcements", description=text[:4096], colour=discord.Colour.gold())
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )

    @announce.command(name="cancel", description="Cancel a scheduled announcement (yours; admins: any).")
    @app_commands.rename(announcement_id="id")
    @app_commands.describe(announcement_id="The announcement's number (start typing to pick)")
    @trainer_only()
    async def cancel(
        self, interaction: discord.Interaction[Harbor], announcement_id: app_commands.Range[int, 1]
    ) -> None:
        """Cancel it and its timer."""
        cancelled = await self.service.cancel(
            _guild(interaction), announcement_id, interaction.user.id, admin=is_admin(interaction)
        )
        await interaction.response.send_message(
            f"Cancelled announcement **#{cancelled.id}**; it will not be posted.", ephemeral=True
        )

    @cancel.autocomplete("announcement_id")
    async def _cancel_choices(
        self, interaction: discord.Interaction[Harbor], current: Any
    ) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        mine = None if is_admin(interaction) else interaction.user.id
        typed = str(current or "").strip().lstrip("#")
        choices = []
        for a in await self.service.scheduled(interaction.guild_id, author_id=mine):
            if typed and not str(a.id).startswith(typed):
                continue
            label = f"#{a.id} · {a.due_at:%Y-%m-%d %H:%M} UTC · {_snippet(a.title, a.body, 50)}"
            choices.append(app_commands.Choice(name=label[:100], value=a.id))
        return choices[:25]
