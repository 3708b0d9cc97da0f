"""The "Did you connect?" buttons: restart-proof (DynamicItem), state in the database."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.app import feature_of
from bot.services.pairing import PairingService
from bot.ui import guarded

ANSWERS = {
    "yes": ("Yes, we connected", discord.ButtonStyle.success, "Wonderful — thanks for letting me know! 🌱"),
    "not_yet": (
        "Not yet",
        discord.ButtonStyle.secondary,
        "No worries — there's no deadline. The thread stays open whenever you're ready.",
    ),
    "skip": ("Skip", discord.ButtonStyle.secondary, "Got it — skipped. Thanks for taking part."),
}


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"harbor:pairing:fb:(?P<gid>\d+):(?P<answer>yes|not_yet|skip)",
):
    """One answer to "Did you connect?" for one group; only that group's members may answer."""

    def __init__(self, group_id: int, answer: str) -> None:
        label, style, _ = ANSWERS[answer]
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=f"harbor:pairing:fb:{group_id}:{answer}")
        )
        self.group_id = group_id
        self.answer = answer

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> FeedbackButton:
        """Rebuild from the custom id."""
        return cls(int(match["gid"]), match["answer"])

    @guarded("pairing feedback")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Record the answer privately."""
        service = feature_of(interaction, PairingService)
        if not await service.record_feedback(self.group_id, interaction.user.id, self.answer):
            await interaction.response.send_message("This question is for the people in this pairing.", ephemeral=True)
            return
        await interaction.response.send_message(ANSWERS[self.answer][2], ephemeral=True)


def feedback_view(group_id: int) -> discord.ui.View:
    """A view with the three answer buttons for a group."""
    view = discord.ui.View(timeout=None)
    for answer in ANSWERS:
        view.add_item(FeedbackButton(group_id, answer))
    return view
