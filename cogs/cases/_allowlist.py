"""`/setup allowlist add|remove|list` (moderators): words the scanner never flags in case posts and replies.

The commands live in the `/setup` group (cogs/setup.py) and call these functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.app import feature_of
from bot.services.cases import CaseService

if TYPE_CHECKING:
    from bot.app import Harbor


async def add(interaction: discord.Interaction[Harbor], word: str) -> None:
    """Never flag this word here."""
    assert interaction.guild_id is not None
    service = feature_of(interaction, CaseService)
    entry, added = await service.allow_add(interaction.guild_id, word, by=interaction.user.id)
    text = f"“{entry}” is no longer flagged in case posts and replies." if added else f"“{entry}” is already allowed."
    await interaction.response.send_message(text, ephemeral=True)


async def remove(interaction: discord.Interaction[Harbor], word: str) -> None:
    """Flag this word again."""
    assert interaction.guild_id is not None
    service = feature_of(interaction, CaseService)
    if await service.allow_remove(interaction.guild_id, word, by=interaction.user.id):
        text = "Removed; the scanner may flag it again."
    else:
        text = "That word is not on the allow-list."
    await interaction.response.send_message(text, ephemeral=True)


async def show(interaction: discord.Interaction[Harbor]) -> None:
    """The words the scanner never flags here."""
    assert interaction.guild_id is not None
    words = await feature_of(interaction, CaseService).allow_list(interaction.guild_id)
    text = ", ".join(f"“{w}”" for w in words) if words else "The allow-list is empty."
    await interaction.response.send_message(text[:1900], ephemeral=True)
