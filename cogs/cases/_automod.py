"""`/setup automod [on|off]` (admin): Discord AutoMod keyword rules as the first line in case channels.

The command lives in the `/setup` group (cogs/setup.py) and calls `run`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord

from bot.app import feature_of
from bot.services.automod import AutomodService

if TYPE_CHECKING:
    from bot.app import Harbor


async def run(interaction: discord.Interaction[Harbor], state: Literal["on", "off"]) -> None:
    """Provision (or update) Harbor's rules, or remove them."""
    assert interaction.guild is not None
    service = feature_of(interaction, AutomodService)
    await interaction.response.defer(ephemeral=True, thinking=True)
    if state == "off":
        removed = await service.remove(interaction.guild)
        text = (
            f"Removed Harbor's {removed} AutoMod rule(s). Replies in case threads are still scanned by Harbor."
            if removed
            else "Harbor has no AutoMod rules in this server; nothing to remove."
        )
        await interaction.followup.send(text, ephemeral=True)
        return
    result = await service.provision(interaction.guild)
    cases = await service.config.channel(interaction.guild.id, "cases")
    lines = [
        f"AutoMod is on: {len(result.covers)} Harbor rules ({result.created} created, {result.updated} updated) "
        f"block {'; '.join(result.covers)} in <#{cases}> and its threads, with a short explanation to the "
        "sender and **no alert** (an alert would copy the words into a channel).",
        f"{result.exempt} other channel(s) or categories are exempt.",
    ]
    if result.removed:
        lines.append(f"{result.removed} outdated Harbor rule(s) were removed.")
    if result.not_exempted:
        lines.append(
            f"⚠️ Discord allows 50 exemptions per rule: {result.not_exempted} channel(s) or categories could not be "
            "exempted, so AutoMod blocks these patterns there too. Grouping channels into categories fixes it."
        )
    lines.append(
        "New channels (and another cases channel) are exempted automatically; `/setup automod off` removes the rules."
    )
    await interaction.followup.send("\n".join(lines), ephemeral=True)
