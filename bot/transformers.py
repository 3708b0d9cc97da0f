"""Option text → typed values at the edge (`app_commands.Transformer`), so services take typed input.

A transformer that raises `HarborError` reaches the member as that message (discord.py wraps it in a
`TransformerError`, which the error handler unwraps).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.domain.when import parse_in_zone

if TYPE_CHECKING:
    from bot.app import Harbor


class LocalDateTime(app_commands.Transformer["Harbor"]):
    """A natural-language date-time ("next tue 6pm", "in 2 hours") in the caller's zone, as aware UTC."""

    async def transform(self, interaction: discord.Interaction[Harbor], value: str) -> datetime:
        """Parse `value` in the zone the caller set with `/profile timezone` (UTC until set)."""
        client = interaction.client
        zone = await client.services.profiles.timezone(interaction.user.id)
        return parse_in_zone(str(value), client.clock(), zone)


async def local_datetime(client: Harbor, user_id: int, text: str) -> datetime:
    """The same parse for modal fields, which have no transformer: aware UTC in the member's zone."""
    zone = await client.services.profiles.timezone(user_id)
    return parse_in_zone(text, client.clock(), zone)
