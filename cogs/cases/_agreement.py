"""`/agreement`, its restart-proof "I agree" button, and the `/setup agreement` modal."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from bot.app import feature_of
from bot.db.cases import AgreementRepository
from bot.services.agreements import AGREEMENT_MAX, AgreementService
from bot.ui import HarborModal, IdButton, guarded

if TYPE_CHECKING:
    from bot.app import Harbor

log = logging.getLogger(__name__)


def build_agreement_service(bot: Harbor) -> AgreementService:
    """Build the agreement service once, in the cog's `setup()`."""
    s = bot.services
    return AgreementService(AgreementRepository(s.db), s.guild_config, s.notifier, s.clock, s.moderation)


def agreement_service(interaction: discord.Interaction) -> AgreementService:
    """The agreement service the cog provided (buttons, modals and `/setup agreement` reach it here)."""
    return feature_of(interaction, AgreementService)


class AgreeButton(IdButton, prefix="harbor:agree"):
    """The "I agree" button under `/agreement`; the version it agrees to is in the custom id."""

    label = "I agree"
    style = discord.ButtonStyle.success

    @guarded("agreement accept")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Record the acceptance and grant the case-access role."""
        if not isinstance(interaction.user, discord.Member):
            await interaction.response.send_message("That works only inside the server.", ephemeral=True)
            return
        await agreement_service(interaction).accept(interaction.user, self.item_id)
        await interaction.response.send_message(
            f"Thank you — you accepted version {self.item_id}. You can now use `/case`.", ephemeral=True
        )


class AgreementModal(HarborModal, title="Confidentiality agreement"):
    """Publish a new version of the agreement (prefilled with the current one)."""

    body: discord.ui.TextInput[AgreementModal] = discord.ui.TextInput(
        label="What members agree to before discussing cases",
        style=discord.TextStyle.paragraph,
        max_length=AGREEMENT_MAX,
        custom_id="agreement:body",
    )

    def __init__(self, current: str | None) -> None:
        super().__init__()
        self.body.default = current

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Store the new version, then take the role from holders of older versions and tell them."""
        assert interaction.guild is not None
        service = agreement_service(interaction)
        version, holders = await service.publish(interaction.guild.id, self.body.value, by=interaction.user.id)
        await interaction.response.send_message(
            f"Published version {version} of the agreement. {len(holders)} member(s) must agree again; "
            "they are told by DM.",
            ephemeral=True,
        )
        if holders:
            task = asyncio.create_task(service.revoke_and_notify(interaction.guild, version, holders))
            _BACKGROUND.add(task)
            task.add_done_callback(_BACKGROUND.discard)


_BACKGROUND: set[asyncio.Task[int]] = set()


def agreement_view(version: int) -> discord.ui.View:
    """The view with the "I agree" button."""
    view = discord.ui.View(timeout=None)
    view.add_item(AgreeButton(version))
    return view
