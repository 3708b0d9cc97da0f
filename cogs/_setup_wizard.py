"""`/setup wizard`: one ephemeral panel with a channel or role select for every purpose and a checklist.

Three pages (at most four selects each) and one row of buttons: page buttons and a "Create …" button
for every purpose of the page that is missing (not set, or its channel/role was deleted), at most five.
Every select and button is a `DynamicItem` whose custom id carries all its state, so the panel keeps
working after a restart; each click re-checks that the clicker is an admin.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.app import Harbor, harbor_of
from bot.checks import is_admin
from bot.services.guild_config import CHANNEL_KINDS, ROLE_KINDS, GuildConfig
from bot.ui import Choice, IdButton, KitChannelSelect, KitRoleSelect, guarded
from cogs._setup_create import PURPOSE, create_channel, create_role, ensure_can_create

PAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("channel", CHANNEL_KINDS[:4]),
    ("channel", CHANNEL_KINDS[4:]),
    ("role", ROLE_KINDS),
)
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
    return harbor_of(interaction).services.guild_config


def _missing(guild: discord.Guild, what: str, value: int | None) -> bool:
    if value is None:
        return True
    return (guild.get_channel(value) if what == "channel" else guild.get_role(value)) is None


async def render(config: GuildConfig, guild: discord.Guild, page: int) -> tuple[discord.Embed, discord.ui.View]:
    """The panel at `page`: a checklist of every purpose and the selects of this page."""
    settings = await config.all(guild.id)
    lines = []
    listing: tuple[tuple[str, tuple[str, ...], str], ...] = (
        ("channel", CHANNEL_KINDS, "<#{}>"),
        ("role", ROLE_KINDS, "<@&{}>"),
    )
    for what, all_kinds, mention in listing:
        for kind in all_kinds:
            value = settings.get(f"{what}.{kind}")
            if value is None:
                lines.append(f"⬜ **{kind}** {what}: not set")
            elif _missing(guild, what, value):
                lines.append(f"⚠️ **{kind}** {what}: was deleted")
            else:
                lines.append(f"✅ **{kind}** {what}: {mention.format(value)}")
    done = sum(line.startswith("✅") for line in lines)
    embed = discord.Embed(
        title=f"Harbor setup — {done} of {len(lines)} done",
        description="\n".join(lines) + f"\n\nPage {page + 1} of {len(PAGES)}: choose below, or let Harbor create "
        "what is missing. `/setup check` then tells you whether Harbor has the permissions it needs.",
        colour=discord.Colour.blurple(),
    )
    view = discord.ui.View(timeout=None)
    what, kinds = PAGES[page]
    for kind in kinds:
        current = settings.get(f"{what}.{kind}")
        item: discord.ui.Item[Any] = WizardChannel(kind, current) if what == "channel" else WizardRole(kind, current)
        view.add_item(item)
    for target in (page - 1, page + 1):
        if 0 <= target < len(PAGES):
            view.add_item(WizardPage(target))
    for kind in kinds:
        if _missing(guild, what, settings.get(f"{what}.{kind}")):
            view.add_item(
                CreateChannel(CHANNEL_KINDS.index(kind)) if what == "channel" else CreateRole(ROLE_KINDS.index(kind))
            )
    return embed, view


def _placeholder(kind: str) -> str:
    return f"{kind} — {PURPOSE[kind]}"[:150]


async def _refuse_non_admin(interaction: discord.Interaction) -> bool:
    if interaction.guild is None or not is_admin(interaction):
        await interaction.response.send_message("Only server admins (Manage Server) can change setup.", ephemeral=True)
        return True
    return False


class WizardChannel(KitChannelSelect, prefix="harbor:wiz:ch", fields={"kind": Choice(*CHANNEL_KINDS)}):
    """The channel select of one purpose (showing its current channel when drawn for the panel)."""

    kind: str
    channel_types = TEXT_CHANNELS
    where = "setup wizard channel"

    def __init__(self, kind: str, current: int | None = None) -> None:
        self.current = current
        super().__init__(kind)

    def drawn(self) -> dict[str, Any]:
        """The purpose as placeholder and the current channel as the default."""
        current = [discord.Object(self.current, type=discord.abc.GuildChannel)] if self.current else []
        return {**super().drawn(), "placeholder": _placeholder(self.kind), "default_values": current}

    async def clicked(self, interaction: discord.Interaction[Harbor]) -> None:
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


class WizardRole(KitRoleSelect, prefix="harbor:wiz:role", fields={"kind": Choice(*ROLE_KINDS)}):
    """The role select of one purpose (showing its current role when drawn for the panel)."""

    kind: str
    where = "setup wizard role"

    def __init__(self, kind: str, current: int | None = None) -> None:
        self.current = current
        super().__init__(kind)

    def drawn(self) -> dict[str, Any]:
        """The purpose as placeholder and the current role as the default."""
        current = [discord.Object(self.current, type=discord.Role)] if self.current else []
        return {**super().drawn(), "placeholder": _placeholder(self.kind), "default_values": current}

    async def clicked(self, interaction: discord.Interaction[Harbor]) -> None:
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


PAGE_LABELS = ("Channels 1–4", "Channels 5–7", "Roles")


class WizardPage(IdButton, prefix="harbor:wiz:page"):
    """Go to another page of the panel (the id is the page number)."""

    def label_for(self, item_id: int) -> str:
        """Names the page it opens."""
        return f"Go to: {PAGE_LABELS[min(item_id, len(PAGES) - 1)]}"

    @guarded("setup wizard page")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Show another page of the panel."""
        if await _refuse_non_admin(interaction):
            return
        assert interaction.guild is not None
        embed, view = await render(_config(interaction), interaction.guild, min(self.item_id, len(PAGES) - 1))
        await interaction.response.edit_message(embed=embed, view=view)


class CreateChannel(IdButton, prefix="harbor:wiz:newch"):
    """Create the channel of one purpose (the id is its index in CHANNEL_KINDS) and store it."""

    style = discord.ButtonStyle.success

    def label_for(self, item_id: int) -> str:
        """`Create #cases`."""
        return f"Create #{CHANNEL_KINDS[item_id]}" if item_id < len(CHANNEL_KINDS) else "Create"

    @guarded("setup wizard create channel")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Refuse without Manage Channels; otherwise create, store and redraw the panel at the same page."""
        if await _refuse_non_admin(interaction):
            return
        assert interaction.guild is not None
        if self.item_id >= len(CHANNEL_KINDS):
            await interaction.response.send_message("That button is out of date; run `/setup wizard`.", ephemeral=True)
            return
        kind = CHANNEL_KINDS[self.item_id]
        config = _config(interaction)
        if not _missing(interaction.guild, "channel", await config.channel(interaction.guild.id, kind)):
            await interaction.response.send_message(f"The **{kind}** channel is already set.", ephemeral=True)
            return
        ensure_can_create(interaction.guild, "channel")
        await interaction.response.defer()  # creating may take longer than Discord's 3 s for an answer
        await create_channel(config, interaction.guild, kind, interaction.user.id)
        page = next(i for i, (what, kinds) in enumerate(PAGES) if what == "channel" and kind in kinds)
        embed, view = await render(config, interaction.guild, page)
        await interaction.edit_original_response(embed=embed, view=view)


class CreateRole(IdButton, prefix="harbor:wiz:newrole"):
    """Create the role of one purpose (the id is its index in ROLE_KINDS) and store it."""

    style = discord.ButtonStyle.success

    def label_for(self, item_id: int) -> str:
        """`Create @case-access`."""
        return f"Create @{ROLE_KINDS[item_id]}" if item_id < len(ROLE_KINDS) else "Create"

    @guarded("setup wizard create role")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Refuse without Manage Roles; otherwise create, store, add to Harbor's channels and redraw."""
        if await _refuse_non_admin(interaction):
            return
        assert interaction.guild is not None
        if self.item_id >= len(ROLE_KINDS):
            await interaction.response.send_message("That button is out of date; run `/setup wizard`.", ephemeral=True)
            return
        kind = ROLE_KINDS[self.item_id]
        config = _config(interaction)
        if not _missing(interaction.guild, "role", await config.role(interaction.guild.id, kind)):
            await interaction.response.send_message(f"The **{kind}** role is already set.", ephemeral=True)
            return
        ensure_can_create(interaction.guild, "role")
        await interaction.response.defer()  # the role, then its overwrites: may take longer than 3 s
        _, note = await create_role(config, interaction.guild, kind, interaction.user.id)
        embed, view = await render(config, interaction.guild, len(PAGES) - 1)
        await interaction.edit_original_response(embed=embed, view=view)
        if note:
            await interaction.followup.send(note.strip(), ephemeral=True)


DYNAMIC_ITEMS = (WizardChannel, WizardRole, WizardPage, CreateChannel, CreateRole)
