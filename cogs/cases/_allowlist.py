"""`/case allowlist add|remove|list`: words the scanner never flags in this server's cases and replies."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.checks import moderator_only
from bot.domain.cases import ALLOW_MAX_WORDS, clean_allow_word
from bot.domain.errors import HarborError
from bot.services.guild_config import GuildConfig

KEY = "cases.allowlist"


def allowlist_group(config: GuildConfig) -> app_commands.Group:
    """Build the subgroup (added to `/case` by the cog)."""
    group = app_commands.Group(name="allowlist", description="Words the scanner never flags here (moderators).")

    @group.command(name="add", description="Never flag this word (a programme's name, a town everyone works in).")
    @app_commands.describe(word="The word or short name")
    @moderator_only()
    async def add(interaction: discord.Interaction, word: str) -> None:
        assert interaction.guild_id is not None
        entry = clean_allow_word(word)
        words: list[str] = list(await config.get(interaction.guild_id, KEY, []) or [])
        if entry.lower() in {w.lower() for w in words}:
            await interaction.response.send_message(f"“{entry}” is already allowed.", ephemeral=True)
            return
        if len(words) >= ALLOW_MAX_WORDS:
            raise HarborError(f"The allow-list is full ({ALLOW_MAX_WORDS} words); remove one first.")
        await config.set(interaction.guild_id, KEY, [*words, entry], by=interaction.user.id)
        await interaction.response.send_message(
            f"“{entry}” is no longer flagged in case posts and replies.", ephemeral=True
        )

    @group.command(name="remove", description="Flag this word again.")
    @app_commands.describe(word="The word to remove")
    @moderator_only()
    async def remove(interaction: discord.Interaction, word: str) -> None:
        assert interaction.guild_id is not None
        words: list[str] = list(await config.get(interaction.guild_id, KEY, []) or [])
        kept = [w for w in words if w.lower() != " ".join(word.split()).lower()]
        if len(kept) == len(words):
            await interaction.response.send_message("That word is not on the allow-list.", ephemeral=True)
            return
        await config.set(interaction.guild_id, KEY, kept, by=interaction.user.id)
        await interaction.response.send_message("Removed; the scanner may flag it again.", ephemeral=True)

    @group.command(name="list", description="The words the scanner never flags here.")
    @moderator_only()
    async def show(interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        words = list(await config.get(interaction.guild_id, KEY, []) or [])
        text = ", ".join(f"“{w}”" for w in words) if words else "The allow-list is empty."
        await interaction.response.send_message(text[:1900], ephemeral=True)

    add.__doc__ = "Add a word."
    remove.__doc__ = "Remove a word."
    show.__doc__ = "List the words."
    return group
