"""`/setup wizard`: one ephemeral panel with a channel or role select for every purpose and a checklist.

Three pages (four selects each, within Discord's five rows) and page buttons. Every select and button
is a `DynamicItem` whose custom id carries all its state, so the panel keeps working after a restart;
each click re-checks that the clicker is an admin.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.checks import is_admin
from bot.services.guild_config import CHANNEL_KINDS, ROLE_KINDS, GuildConfig
from bot.ui import guarded

if TYPE_CHECKING:
    from bot.app import Harbor

PAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("channel", CHANNEL_KINDS[:4]),
    ("channel", CHANNEL_KINDS[4:]),
    ("role", ROLE_KINDS),
)
PURPOSE = {
    "announcements": "trainings and announcements are posted here",
    "mod-log": "private: moderation records (metadata only)",
    "mod-queue": "private: reports, appeals and submissions to review",
    "cases": "case discussion threads (scanned before posting)",
    "resources": "the weekly digest of new resources",
    "pairing": "peer-pairing rounds open private threads here",
    "checkins": "check-in announcements",
    "moderator": "moderators (besides Moderate Members)",
    "trainer": "trainers who announce trainings",
    "case-access": "given to members who accept the agreement",
    "trusted": "members who publish resources without review",
}
TEXT_CHANNELS = [discord.ChannelType.text, discord.ChannelType.news]
PRIVATE_THREAD_KINDS = ("pairing", "cases")


def channel_problem(kind: str, channel: discord.abc.GuildChannel) -> str | None:
    """Why `channel` cannot serve `kind`, or None when it can (shared by `/setup channel` and the wizard)."""
    if isinstance(channel, discord.ForumChannel):
        return (
            f"Harbor posts messages and buttons in the **{kind}** channel, and a forum channel only holds posts "
            "made by people. Pick a text channel (or an announcement channel) instead."
        )
    if not isinstance(channel, discord.TextChannel):
        return f"The **{kind}** channel must be a text channel."
    if kind in PRIVATE_THREAD_KINDS and channel.is_news():
        return (
            f"Harbor opens private threads in the **{kind}** channel, which announcement channels can't have. "
            "Pick an ordinary text channel."
        )
    return None


def _config(interaction: discord.Interaction) -> GuildConfig:
    return cast("Harbor", interaction.client).services.guild_config


async def render(config: GuildConfig, guild: discord.Guild, page: int) -> tuple[discord.Embed, discord.ui.View]:
    """The panel at `page`: a checklist of every purpose and the selects of this page."""
    settings = await config.all(guild.id)
    lines = []
    for kind in CHANNEL_KINDS:
        value = settings.get(f"channel.{kind}")
        lines.append(f"{'✅' if value else '⬜'} **{kind}** channel: {f'<#{value}>' if value else 'not set'}")
    for kind in ROLE_KINDS:
        value = settings.get(f"role.{kind}")
        lines.append(f"{'✅' if value else '⬜'} **{kind}** role: {f'<@&{value}>' if value else 'not set'}")
    done = sum(line.startswith("✅") for line in lines)
    embed = discord.Embed(
        title=f"Harbor setup — {done} of {len(lines)} done",
        description="\n".join(lines) + f"\n\nPage {page + 1} of {len(PAGES)}: choose below. `/setup check` "
        "then tells you whether Harbor has the permissions it needs.",
        colour=discord.Colour.blurple(),
    )
    view = discord.ui.View(timeout=None)
    what, kinds = PAGES[page]
    for kind in kinds:
        current = settings.get(f"{what}.{kind}")
        item: discord.ui.Item[Any] = WizardChannel(kind, current) if what == "channel" else WizardRole(kind, current)
        view.add_item(item)
    for target, label in ((page - 1, "◀ Back"), (page + 1, "Next ▶")):
        if 0 <= target < len(PAGES):
            view.add_item(WizardPage(target, label))
    return embed, view


async def _refuse_non_admin(interaction: discord.Interaction) -> bool:
    if interaction.guild is None or not is_admin(interaction):
        await interaction.response.send_message("Only server admins (Manage Server) can change setup.", ephemeral=True)
        return True
    return False


class WizardChannel(discord.ui.DynamicItem[discord.ui.ChannelSelect[Any]], template=r"harbor:wiz:ch:(?P<kind>[a-z-]+)"):
    """The channel select of one purpose."""

    def __init__(self, kind: str, current: int | None = None) -> None:
        select: discord.ui.ChannelSelect[Any] = discord.ui.ChannelSelect(
            custom_id=f"harbor:wiz:ch:{kind}",
            channel_types=TEXT_CHANNELS,
            placeholder=f"{kind} — {PURPOSE[kind]}"[:150],
            default_values=[discord.Object(current, type=discord.abc.GuildChannel)] if current else [],
        )
        super().__init__(select)
        self.kind = kind

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> WizardChannel:
        """Rebuild from the custom id."""
        if match["kind"] not in CHANNEL_KINDS:
            raise ValueError(match["kind"])
        return cls(match["kind"])

    @guarded("setup wizard channel")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Store the chosen channel (after the same checks as `/setup channel`) and redraw the panel."""
        if await _refuse_non_admin(interaction):
            return
        assert interaction.guild is not None
        chosen = self.item.values[0]
        channel = interaction.guild.get_channel(chosen.id)
        problem = channel_problem(self.kind, channel) if channel is not None else "That channel is gone."
        if problem:
            await interaction.response.send_message(problem, ephemeral=True)
            return
        config = _config(interaction)
        await config.set(interaction.guild.id, f"channel.{self.kind}", chosen.id, by=interaction.user.id)
        interaction.client.dispatch("harbor_channel_set", interaction.guild.id, self.kind)  # features may follow
        page = next(i for i, (what, kinds) in enumerate(PAGES) if what == "channel" and self.kind in kinds)
        embed, view = await render(config, interaction.guild, page)
        await interaction.response.edit_message(embed=embed, view=view)


class WizardRole(discord.ui.DynamicItem[discord.ui.RoleSelect[Any]], template=r"harbor:wiz:role:(?P<kind>[a-z-]+)"):
    """The role select of one purpose."""

    def __init__(self, kind: str, current: int | None = None) -> None:
        select: discord.ui.RoleSelect[Any] = discord.ui.RoleSelect(
            custom_id=f"harbor:wiz:role:{kind}",
            placeholder=f"{kind} — {PURPOSE[kind]}"[:150],
            default_values=[discord.Object(current, type=discord.Role)] if current else [],
        )
        super().__init__(select)
        self.kind = kind

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> WizardRole:
        """Rebuild from the custom id."""
        if match["kind"] not in ROLE_KINDS:
            raise ValueError(match["kind"])
        return cls(match["kind"])

    @guarded("setup wizard role")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Store the chosen role (never @everyone or a bot's managed role) and redraw the panel."""
        if await _refuse_non_admin(interaction):
            return
        assert interaction.guild is not None
        role = self.item.values[0]
        if role.is_default() or role.managed:
            await interaction.response.send_message(
                "Pick a role you created: not @everyone, and not a role that belongs to a bot or integration.",
                ephemeral=True,
            )
            return
        config = _config(interaction)
        await config.set(interaction.guild.id, f"role.{self.kind}", role.id, by=interaction.user.id)
        embed, view = await render(config, interaction.guild, len(PAGES) - 1)
        await interaction.response.edit_message(embed=embed, view=view)


class WizardPage(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"harbor:wiz:page:(?P<page>\d)"):
    """◀ Back / Next ▶."""

    def __init__(self, page: int, label: str = "Next ▶") -> None:
        super().__init__(
            discord.ui.Button(label=label, style=discord.ButtonStyle.secondary, custom_id=f"harbor:wiz:page:{page}")
        )
        self.page = page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> WizardPage:
        """Rebuild from the custom id."""
        return cls(min(int(match["page"]), len(PAGES) - 1))

    @guarded("setup wizard page")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Show another page of the panel."""
        if await _refuse_non_admin(interaction):
            return
        assert interaction.guild is not None
        embed, view = await render(_config(interaction), interaction.guild, self.page)
        await interaction.response.edit_message(embed=embed, view=view)


DYNAMIC_ITEMS = (WizardChannel, WizardRole, WizardPage)
