"""Admin setup: /setup show | channel | role | crisis."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Harbor, harbor_of
from bot.checks import admin_only, moderator_only
from bot.errors import UserError
from bot.services.guild_config import CHANNEL_KINDS, CRISIS_MAX, DEFAULT_CRISIS, ROLE_KINDS, GuildConfig
from bot.services.status import gather_status
from bot.ui import HarborModal
from cogs._setup_audit import audit
from cogs._setup_create import CREATED
from cogs._setup_wizard import DYNAMIC_ITEMS, channel_problem, render
from cogs.cases import _allowlist, _automod
from cogs.cases._agreement import AgreementModal, agreement_service

ChannelKind = Literal["announcements", "mod-log", "mod-queue", "cases", "resources", "pairing", "checkins"]
RoleKind = Literal["moderator", "trainer", "case-access", "trusted"]
assert set(ChannelKind.__args__) == set(CHANNEL_KINDS)  # type: ignore[attr-defined]
assert set(RoleKind.__args__) == set(ROLE_KINDS)  # type: ignore[attr-defined]

_SHOWN = {f"channel.{k}" for k in CHANNEL_KINDS} | {f"role.{k}" for k in ROLE_KINDS} | {"crisis.text"}
_SHOWN |= {CREATED.format(kind=k) for k in CHANNEL_KINDS}  # Harbor's own bookkeeping, not a setting


class CrisisModal(HarborModal, title="Crisis resources"):
    """Edit the server's crisis text; empty restores the default."""

    text: discord.ui.TextInput[CrisisModal] = discord.ui.TextInput(
        label="Shown by /crisis and to members who feel low",
        style=discord.TextStyle.paragraph,
        required=False,
        max_length=CRISIS_MAX,
    )

    def __init__(self, config: GuildConfig, current: str | None) -> None:
        super().__init__()
        self.config = config
        self.text.default = current or DEFAULT_CRISIS

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Store it (or reset to the default when emptied)."""
        assert interaction.guild_id is not None
        value = self.text.value.strip()
        if value and value != DEFAULT_CRISIS:
            await self.config.set(interaction.guild_id, "crisis.text", value, by=interaction.user.id)
            reply = "Crisis resources updated. Members see them with `/crisis`."
        else:
            await self.config.reset(interaction.guild_id, "crisis.text")
            reply = "Crisis resources reset to the default (988 Lifeline and SAMHSA's helpline)."
        await interaction.response.send_message(reply, ephemeral=True)


def parse_lead_list(text: str, *, unit: str, low: int, high: int, most: int = 6) -> list[int]:
    """Parse "90, 60, 30, 7" into distinct integers in [low, high], largest first; UserError otherwise."""
    values: set[int] = set()
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isascii() or not part.isdigit() or not low <= int(part) <= high:
            msg = f"“{part[:20]}” is not a number of {unit} from {low} to {high}; write e.g. `90, 60, 30, 7`."
            raise UserError(msg)
        values.add(int(part))
    if not values or len(values) > most:
        msg = f"Give 1 to {most} numbers of {unit}, separated by commas, e.g. `90, 60, 30, 7`."
        raise UserError(msg)
    return sorted(values, reverse=True)


class RemindersModal(HarborModal, title="Reminder lead times"):
    """CE reminder days before expiry and training reminder hours before start."""

    ce_days: discord.ui.TextInput[RemindersModal] = discord.ui.TextInput(
        label="CE reminders: days before expiry", max_length=40, placeholder="90, 60, 30, 7"
    )
    training_hours: discord.ui.TextInput[RemindersModal] = discord.ui.TextInput(
        label="Training reminders: hours before start", max_length=40, placeholder="24, 1"
    )

    def __init__(self, config: GuildConfig, ce_days: list[int], training_hours: list[int]) -> None:
        super().__init__()
        self.config = config
        self.ce_days.default = ", ".join(map(str, ce_days))
        self.training_hours.default = ", ".join(map(str, training_hours))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Validate both lists before storing either."""
        assert interaction.guild_id is not None
        days = parse_lead_list(self.ce_days.value, unit="days", low=1, high=365)
        hours = parse_lead_list(self.training_hours.value, unit="hours", low=1, high=168)
        await self.config.set(interaction.guild_id, "reminders.ce_days", days, by=interaction.user.id)
        await self.config.set(interaction.guild_id, "reminders.training_hours", hours, by=interaction.user.id)
        interaction.client.dispatch("harbor_reminders_changed", interaction.guild_id)  # features re-plan
        await interaction.response.send_message(
            f"CE reminders: {', '.join(map(str, days))} days before expiry. "
            f"Training reminders: {', '.join(map(str, hours))} hours before the start.",
            ephemeral=True,
        )


class Setup(commands.Cog):
    """Server configuration for admins."""

    setup_group = app_commands.Group(
        name="setup",
        description="Configure Harbor for this server (admins).",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )

    def __init__(self, config: GuildConfig) -> None:
        self.config = config

    @setup_group.command(name="show", description="Every Harbor setting of this server.")
    @admin_only()
    async def show(self, interaction: discord.Interaction[Harbor]) -> None:
        """An embed of channels, roles, crisis text and feature settings."""
        assert interaction.guild_id is not None
        settings = await self.config.all(interaction.guild_id)
        embed = discord.Embed(title="Harbor settings", colour=discord.Colour.teal())
        embed.add_field(
            name="Channels",
            inline=False,
            value="\n".join(
                f"**{k}**: " + (f"<#{settings[f'channel.{k}']}>" if f"channel.{k}" in settings else "not set")
                for k in CHANNEL_KINDS
            ),
        )
        embed.add_field(
            name="Roles",
            inline=False,
            value="\n".join(
                f"**{k}**: " + (f"<@&{settings[f'role.{k}']}>" if f"role.{k}" in settings else "not set")
                for k in ROLE_KINDS
            ),
        )
        crisis = settings.get("crisis.text")
        embed.add_field(
            name="Crisis resources",
            inline=False,
            value=(crisis[:300] + ("…" if len(crisis) > 300 else ""))
            if crisis
            else "default (988 Lifeline, SAMHSA helpline)",
        )
        others = [f"**{k}**: {str(v)[:80]}" for k, v in settings.items() if k not in _SHOWN]
        if others:
            embed.add_field(name="Feature settings", value="\n".join(others)[:1024], inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @setup_group.command(name="wizard", description="One panel to choose every channel and role Harbor uses.")
    @admin_only()
    async def wizard(self, interaction: discord.Interaction[Harbor]) -> None:
        """Open the setup panel (ephemeral; works after a restart)."""
        assert interaction.guild is not None
        embed, view = await render(self.config, interaction.guild, 0)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    @setup_group.command(name="check", description="Harbor checks its own permissions everywhere it works.")
    @admin_only()
    async def check(self, interaction: discord.Interaction[Harbor]) -> None:
        """List every missing permission in the configured channels and roles, with how to fix it."""
        assert interaction.guild is not None
        guild = interaction.guild
        channels = {kind: cid for kind in CHANNEL_KINDS if (cid := await self.config.channel(guild.id, kind))}
        findings = audit(guild, channels, await self.config.role(guild.id, "case-access"))
        if not findings:
            text = "✅ Everything checks out: Harbor has what it needs in every configured channel."
        else:
            lines = [f"• {f.subject}: {f.problem} — {f.fix}" for f in findings]
            text = f"**{len(findings)} thing(s) to fix**\n" + "\n".join(lines)
        embed = discord.Embed(title="Harbor setup check", description=text[:4000], colour=discord.Colour.blurple())
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @setup_group.command(name="status", description="Schema, timers, undeliverable DMs and the last backup.")
    @admin_only()
    async def status(self, interaction: discord.Interaction[Harbor]) -> None:
        """The `harbor status` summary (ids and counts only), for this Harbor process."""
        bot = harbor_of(interaction)
        summary = await gather_status(bot.services.db, bot.settings.backups_folder)
        text = "\n".join(summary.lines())
        if len(text) > 3900:
            text = text[:3900] + "\n…"
        embed = discord.Embed(title="Harbor status", description=f"```\n{text}\n```", colour=discord.Colour.teal())
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @setup_group.command(name="channel", description="Choose the channel Harbor uses for one purpose.")
    @app_commands.describe(kind="What the channel is for", channel="The text channel")
    @admin_only()
    async def channel(
        self,
        interaction: discord.Interaction[Harbor],
        kind: ChannelKind,
        channel: discord.TextChannel | discord.ForumChannel,
    ) -> None:
        """Store a channel for a kind."""
        assert interaction.guild_id is not None
        if channel.guild.id != interaction.guild_id:
            raise UserError("That channel is not in this server.")
        problem = channel_problem(kind, channel)
        if problem:
            raise UserError(problem)
        await self.config.set(interaction.guild_id, f"channel.{kind}", channel.id, by=interaction.user.id)
        interaction.client.dispatch("harbor_channel_set", interaction.guild_id, kind)  # features may follow
        await interaction.response.send_message(f"The **{kind}** channel is now {channel.mention}.", ephemeral=True)

    @setup_group.command(name="role", description="Choose the role that grants one Harbor capability.")
    @app_commands.describe(kind="What the role means to Harbor", role="The role")
    @admin_only()
    async def role(self, interaction: discord.Interaction[Harbor], kind: RoleKind, role: discord.Role) -> None:
        """Store a role for a kind (not @everyone, not a bot's managed role)."""
        assert interaction.guild_id is not None
        if role.is_default():
            raise UserError("@everyone can't be used here; pick a role that only some members have.")
        if role.managed:
            raise UserError(f"{role.mention} is managed by an integration; pick a role people can be given.")
        await self.config.set(interaction.guild_id, f"role.{kind}", role.id, by=interaction.user.id)
        await interaction.response.send_message(f"The **{kind}** role is now {role.mention}.", ephemeral=True)

    @setup_group.command(name="crisis", description="Edit the crisis resources /crisis shows.")
    @admin_only()
    async def crisis(self, interaction: discord.Interaction[Harbor]) -> None:
        """Open the crisis-text modal, pre-filled."""
        assert interaction.guild_id is not None
        current = await self.config.get(interaction.guild_id, "crisis.text")
        await interaction.response.send_modal(CrisisModal(self.config, current))

    @setup_group.command(name="reminders", description="Lead times for CE and training reminders.")
    @admin_only()
    async def reminders(self, interaction: discord.Interaction[Harbor]) -> None:
        """Open the reminders modal with the current values."""
        assert interaction.guild_id is not None
        days = await self.config.ce_reminder_days(interaction.guild_id)
        hours = await self.config.training_reminder_hours(interaction.guild_id)
        await interaction.response.send_modal(RemindersModal(self.config, days, hours))

    @setup_group.command(name="agreement", description="Publish a new version of the confidentiality agreement.")
    @admin_only()
    async def agreement(self, interaction: discord.Interaction[Harbor]) -> None:
        """Open the agreement modal, prefilled with the current version."""
        assert interaction.guild_id is not None
        current = await agreement_service(interaction).current(interaction.guild_id)
        await interaction.response.send_modal(AgreementModal(current.body if current else None))

    @setup_group.command(name="retention", description="How long Harbor keeps mod records or case threads.")
    @app_commands.describe(kind="mod-records (default 365 days) or case-threads", days="Days to keep them (7–3650)")
    @admin_only()
    async def retention(
        self,
        interaction: discord.Interaction[Harbor],
        kind: Literal["mod-records", "case-threads"],
        days: app_commands.Range[int, 7, 3650],
    ) -> None:
        """Store `retention.mod_records_days` or `retention.case_threads_days`; the daily purge applies it."""
        assert interaction.guild_id is not None
        await harbor_of(interaction).services.moderation.set_retention(
            interaction.guild_id, kind, days, by=interaction.user.id
        )
        if kind == "mod-records":
            text = f"Moderation records older than {days} days are now deleted by the daily clean-up."
        else:
            text = (
                f"Case threads closed from now on are deleted {days} days after closing; open threads with no "
                f"activity for {days} days are closed first."
            )
        await interaction.response.send_message(text, ephemeral=True)

    @setup_group.command(name="automod", description="Discord AutoMod rules that block identifiers in case channels.")
    @app_commands.describe(state="on (create or update Harbor's rules; the default) or off (remove them)")
    @admin_only()
    async def automod(self, interaction: discord.Interaction[Harbor], state: Literal["on", "off"] = "on") -> None:
        """Provision, update or remove Harbor's AutoMod keyword rules."""
        await _automod.run(interaction, state)

    # Moderators may use these although the rest of /setup is for admins (bot/permissions.py agrees).
    allowlist = app_commands.Group(
        name="allowlist", description="Words the scanner never flags here (moderators).", parent=setup_group
    )

    @allowlist.command(name="add", description="Never flag this word (a programme's name, a town everyone works in).")
    @app_commands.describe(word="The word or short name")
    @moderator_only()
    async def allowlist_add(self, interaction: discord.Interaction[Harbor], word: str) -> None:
        """Add a word to the allow-list."""
        await _allowlist.add(interaction, word)

    @allowlist.command(name="remove", description="Flag this word again.")
    @app_commands.describe(word="The word to remove")
    @moderator_only()
    async def allowlist_remove(self, interaction: discord.Interaction[Harbor], word: str) -> None:
        """Remove a word from the allow-list."""
        await _allowlist.remove(interaction, word)

    @allowlist.command(name="list", description="The words the scanner never flags here.")
    @moderator_only()
    async def allowlist_list(self, interaction: discord.Interaction[Harbor]) -> None:
        """List the allow-list."""
        await _allowlist.show(interaction)


async def setup(bot: Harbor) -> None:
    """Load the cog with its services."""
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(Setup(bot.services.guild_config))
