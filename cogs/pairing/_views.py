"""The "Did you connect?" buttons: restart-proof kit buttons, state in the database."""

from __future__ import annotations

import discord

from bot.app import Harbor, feature_of
from bot.domain.errors import NOT_YOURS, HarborError
from bot.services.pairing import PairingService
from bot.ui import Choice, Int, KitButton

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
    KitButton,
    prefix="harbor:pairing:fb",
    fields={"group": Int(), "answer": Choice(*ANSWERS)},
):
    """One answer to "Did you connect?" for one group; the service checks that the clicker is in it."""

    group: int
    answer: str

    def look(self) -> tuple[str | None, discord.ButtonStyle, str | None]:
        """The answer's label and colour."""
        label, style, _ = ANSWERS[self.answer]
        return label, style, None

    async def clicked(self, interaction: discord.Interaction[Harbor]) -> None:
        """Record the answer privately."""
        service = feature_of(interaction, PairingService)
        if not await service.record_feedback(self.group, interaction.user.id, self.answer):
            raise HarborError(NOT_YOURS)
        await interaction.response.send_message(ANSWERS[self.answer][2], ephemeral=True)


def feedback_view(group_id: int) -> discord.ui.View:
    """A view with the three answer buttons for a group."""
    view = discord.ui.View(timeout=None)
    for answer in ANSWERS:
        view.add_item(FeedbackButton(group_id, answer))
    return view
