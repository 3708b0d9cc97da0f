"""The add/edit modal and posting a submission to the mod queue."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.app import Harbor, harbor_of
from bot.checks import is_moderator, is_trusted
from bot.db.resources import Resource
from bot.domain.resources import DESCRIPTION_MAX, TAGS_TEXT_MAX, TITLE_MAX, Draft
from bot.domain.urls import URL_MAX
from bot.errors import UserError
from bot.services.resources import ResourceService
from bot.ui import HarborModal
from cogs.resources._buttons import queue_view
from cogs.resources._ui import clip, queue_channel, resource_embed

log = logging.getLogger(__name__)


async def post_to_queue(
    bot: Harbor, service: ResourceService, resource: Resource, heading: str, previous: Resource | None = None
) -> None:
    """Post a pending entry's card with Approve/Reject; on failure the submission is undone by the caller.

    For an edit the card also shows the approved version it replaces, so a swapped link stands out.
    """
    channel_id = await bot.services.guild_config.channel(resource.guild_id, "mod-queue")
    channel = queue_channel(bot, channel_id)
    embed = resource_embed(resource, heading=heading, show_author=True)
    if previous is not None:
        embed.add_field(
            name="Before the edit",
            inline=False,
            value=clip(f"{previous.title}\n{previous.url}\n" + " ".join(previous.tags), 1024),
        )
    message = await channel.send(embed=embed, view=queue_view(resource.id))
    await service.queued(resource.id, message.channel.id, message.id)


class ResourceModal(HarborModal, title="Add a resource"):
    """Title, link, description and tags; pre-filled when editing."""

    name: discord.ui.TextInput[ResourceModal] = discord.ui.TextInput(
        label="Title",
        custom_id="resource:title",
        max_length=TITLE_MAX,
        placeholder="e.g. Naloxone: responding to an overdose",
    )
    url: discord.ui.TextInput[ResourceModal] = discord.ui.TextInput(
        label="Link (http or https)",
        custom_id="resource:url",
        max_length=URL_MAX,
        placeholder="https://example.org/guide",
    )
    description: discord.ui.TextInput[ResourceModal] = discord.ui.TextInput(
        label="What it is and who it helps",
        custom_id="resource:description",
        style=discord.TextStyle.paragraph,
        required=False,
        max_length=DESCRIPTION_MAX,
    )
    tags: discord.ui.TextInput[ResourceModal] = discord.ui.TextInput(
        label="Tags, separated by commas",
        custom_id="resource:tags",
        max_length=TAGS_TEXT_MAX,
        placeholder="harm-reduction, naloxone",
    )

    def __init__(self, service: ResourceService, editing: Resource | None = None) -> None:
        super().__init__(title="Edit a resource" if editing else "Add a resource")
        self.service = service
        self.editing = editing
        if editing is not None:
            self.name.default = editing.title
            self.url.default = editing.url
            self.description.default = editing.description
            self.tags.default = ", ".join(editing.tags)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        """Validate everything, then publish, queue or apply the edit."""
        assert interaction.guild_id is not None
        draft = self.service.draft(self.name.value, self.url.value, self.description.value, self.tags.value)
        trusted = await is_trusted(interaction)
        bot = harbor_of(interaction)
        if not trusted:
            # Refuse before writing when there is nowhere to review the submission.
            queue_channel(bot, await bot.services.guild_config.channel(interaction.guild_id, "mod-queue"))
        if self.editing is not None:
            await self._edit(interaction, bot, draft, trusted)
            return
        resource = await self.service.submit(interaction.guild_id, interaction.user.id, draft, publish=trusted)
        if trusted:
            await interaction.response.send_message(
                f"Published as **#{resource.id}**. Members can find it with `/resource search`.",
                embed=resource_embed(resource),
                ephemeral=True,
            )
            return
        await self._queue(bot, resource, "New submission")
        await interaction.response.send_message(
            f"Thanks! Your submission **#{resource.id}** is waiting for a moderator's review; "
            "I'll DM you when it has been decided.",
            ephemeral=True,
        )

    async def _queue(self, bot: Harbor, resource: Resource, heading: str, previous: Resource | None = None) -> None:
        try:
            await post_to_queue(bot, self.service, resource, heading, previous)
        except (discord.HTTPException, UserError):
            log.warning("mod-queue post failed for resource %s; undoing", resource.id)
            if previous is None:
                await self.service.withdraw(resource.id)
            else:
                await self.service.undo_edit(resource, previous)
            msg = "I couldn't post to the mod-queue channel (missing permissions?). Nothing was saved."
            raise UserError(msg) from None

    async def _edit(self, interaction: discord.Interaction[Any], bot: Harbor, draft: Draft, trusted: bool) -> None:
        assert self.editing is not None and interaction.guild_id is not None
        # Re-check at submit: the entry may have changed or the member lost the right to edit it.
        current = await self.service.editable(
            interaction.guild_id, self.editing.id, interaction.user.id, moderator=await is_moderator(interaction)
        )
        updated = await self.service.edit(current, draft, trusted=trusted)
        if trusted:
            await interaction.response.send_message(
                f"Saved your changes to **#{updated.id}**.", embed=resource_embed(updated), ephemeral=True
            )
            return
        await self._queue(bot, updated, "Edited — needs review again", previous=current)
        await interaction.response.send_message(
            f"Saved. Because #{updated.id} changed, it is hidden from search until a moderator reviews the edit; "
            "I'll DM you when that's done.",
            ephemeral=True,
        )
