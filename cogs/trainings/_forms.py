"""The training form (create and edit), its private previews, and what happens on Post / Save.

Nothing is stored until "Post" (create) or "Save" (edit) is pressed; the preview holds the validated
draft in memory for 15 minutes. Replies to the creator or editor are ephemeral.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.app import feature_of, harbor_of
from bot.checks import is_admin
from bot.db.trainings import Training
from bot.domain.clock import discord_timestamp
from bot.domain.trainings import DETAILS_EXAMPLE, TITLE_MAX, Draft, describe_changes, make_draft
from bot.errors import UserError
from bot.services.trainings import EditResult, TrainingService
from bot.transformers import local_datetime
from bot.ui import HarborModal, HarborView, guarded
from cogs.trainings._events import EventMirror
from cogs.trainings._ui import post_updater, rsvp_view, tell_promoted, training_embed

if TYPE_CHECKING:
    from bot.app import Harbor

log = logging.getLogger(__name__)
NO_CHANNEL = "Set an announcements channel first: `/setup channel kind:announcements`."


def utc_text(draft: Draft) -> str:
    """A start the form's parser reads back exactly."""
    return draft.starts_at.strftime("%Y-%m-%d %H:%M UTC")


class TrainingModal(HarborModal, title="New training"):
    """Title, description, start, duration + CE, location; capacity comes from the command option.

    With `editing` set it edits that training: prefilled from it, and the preview offers "Save".
    """

    name: discord.ui.TextInput[TrainingModal] = discord.ui.TextInput(
        label="Title", custom_id="training:title", max_length=TITLE_MAX
    )
    description: discord.ui.TextInput[TrainingModal] = discord.ui.TextInput(
        label="Description",
        custom_id="training:description",
        style=discord.TextStyle.paragraph,
        max_length=1500,
        required=False,
    )
    start: discord.ui.TextInput[TrainingModal] = discord.ui.TextInput(
        label="Start (your local time)", custom_id="training:start", max_length=100, placeholder="next tue 6pm"
    )
    details: discord.ui.TextInput[TrainingModal] = discord.ui.TextInput(
        label="Duration, CE hours, CE category",
        custom_id="training:details",
        max_length=80,
        placeholder=DETAILS_EXAMPLE,
    )
    location: discord.ui.TextInput[TrainingModal] = discord.ui.TextInput(
        label="Location or link", custom_id="training:location", max_length=200, required=False
    )

    def __init__(
        self,
        capacity: int | None,
        draft: Draft | None = None,
        *,
        mirror: bool | None = False,
        editing: Training | None = None,
        start_text: str | None = None,
    ) -> None:
        super().__init__(title=f"Edit training #{editing.id}" if editing else "New training")
        self.capacity = capacity
        self.mirror = mirror
        self.editing = editing
        if draft is not None:  # "Edit" from a preview, or /training edit: start from what is there
            self.name.default = draft.title
            self.description.default = draft.description
            self.start.default = start_text or utc_text(draft)
            hours = f", {draft.ce_hours:g}, {draft.ce_category}" if draft.ce_hours else ""
            self.details.default = f"{draft.minutes} min{hours}"
            self.location.default = draft.location

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Validate everything, then show the private preview (nothing stored yet)."""
        bot = harbor_of(interaction)
        starts_at = await local_datetime(bot, interaction.user.id, self.start.value)
        draft = make_draft(
            title=self.name.value,
            description=self.description.value,
            starts_at=starts_at,
            details=self.details.value,
            location=self.location.value,
            capacity=self.capacity,
            now=bot.clock(),
        )
        if self.editing is None:
            await interaction.response.send_message(
                f"Preview — starts {discord_timestamp(draft.starts_at, 'F')}. Post it?",
                embed=training_embed(draft, heading="Preview: "),
                view=PreviewView(interaction.user.id, draft, mirror=bool(self.mirror)),
                ephemeral=True,
            )
            return
        service = feature_of(interaction, TrainingService)
        # re-checked now: it may have been cancelled or started while the form was open
        current = await service.editable(
            self.editing.id, self.editing.guild_id, interaction.user.id, admin=is_admin(interaction)
        )
        changes = describe_changes(current.as_draft(), draft)
        if self.mirror is True and current.event_id is None:
            changes.append("A Discord Scheduled Event will be created for it.")
        elif self.mirror is False and current.event_id is not None:
            changes.append("Its Discord Scheduled Event will be cancelled.")
        going = (await service.counts(current.id)).going
        lines = [f"Preview of your changes to training #{current.id}:", *[f"• {c}" for c in changes or ["none yet"]]]
        if draft.capacity is not None and going > draft.capacity:
            lines.append(
                f"{going} members are already going, more than {draft.capacity} seats: they keep their seats, and "
                f"new Going answers join the waitlist until fewer than {draft.capacity} are going."
            )
        lines.append("Save it? Going and waitlisted members will be told what changed.")
        await interaction.response.send_message(
            "\n".join(lines)[:2000],
            embed=training_embed(draft, heading="Preview: "),
            view=EditPreviewView(interaction.user.id, current, draft, mirror=self.mirror),
            ephemeral=True,
        )


class PreviewView(HarborView):
    """Post / Edit under the private preview of a new training."""

    def __init__(self, owner: int, draft: Draft, *, mirror: bool) -> None:
        super().__init__(timeout=900)
        self.owner = owner
        self.draft = draft
        self.mirror = mirror

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Only the creator (the preview is ephemeral anyway)."""
        return interaction.user.id == self.owner

    @discord.ui.button(label="Post", style=discord.ButtonStyle.success, custom_id="training:post")
    @guarded("training post")
    async def post(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        """Store the training and post the announcement; nothing stays stored if posting fails."""
        bot = harbor_of(interaction)
        service = feature_of(interaction, TrainingService)
        assert interaction.guild_id is not None
        channel_id = await bot.services.guild_config.channel(interaction.guild_id, "announcements")
        channel = bot.get_channel(channel_id) if channel_id else None
        if not isinstance(channel, discord.abc.Messageable):
            raise UserError(NO_CHANNEL)
        training = await service.create(interaction.guild_id, interaction.user.id, self.draft)
        counts = await service.counts(training.id)
        try:
            message = await channel.send(embed=training_embed(training, counts), view=rsvp_view(training, counts))
        except discord.HTTPException:
            await service.discard(training.id)
            raise UserError("I could not post in the announcements channel; check my permissions there.") from None
        training = await service.attach_post(training, message.channel.id, message.id)
        self.stop()
        content = f"Posted training #{training.id} in <#{message.channel.id}>."
        # answer first: the mirror costs two more requests, and the interaction must be answered within 3 s
        await interaction.response.edit_message(
            content=content + (" Creating its Scheduled Event…" if self.mirror else ""), embed=None, view=None
        )
        if self.mirror:
            problem = await EventMirror(bot, service).create(training)
            content += (
                " It is also a Discord Scheduled Event."
                if problem is None
                else f"\nThe Scheduled Event mirror failed: {problem}."
            )
            await interaction.edit_original_response(content=content)

    @discord.ui.button(label="Edit", style=discord.ButtonStyle.secondary, custom_id="training:edit-draft")
    @guarded("training edit draft")
    async def edit(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        """Reopen the form with what was typed."""
        self.stop()
        await interaction.response.send_modal(TrainingModal(self.draft.capacity, self.draft, mirror=self.mirror))


class EditPreviewView(HarborView):
    """Save / Edit under the private preview of an edit."""

    def __init__(self, owner: int, current: Training, draft: Draft, *, mirror: bool | None) -> None:
        super().__init__(timeout=900)
        self.owner = owner
        self.current = current
        self.draft = draft
        self.mirror = mirror

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Only the editor."""
        return interaction.user.id == self.owner

    @discord.ui.button(label="Save", style=discord.ButtonStyle.success, custom_id="training:save")
    @guarded("training save")
    async def save(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        """Store the edit, update the post and the mirror, and tell the members."""
        bot = harbor_of(interaction)
        service = feature_of(interaction, TrainingService)
        assert interaction.guild_id is not None
        admin = is_admin(interaction)
        mirror = EventMirror(bot, service)
        adding = self.mirror is True and self.current.event_id is None
        removing = self.mirror is False and self.current.event_id is not None
        if (adding or removing) and not describe_changes(self.current.as_draft(), self.draft):
            # only the Scheduled Event changes: nothing to store or tell members
            current = await service.editable(self.current.id, interaction.guild_id, interaction.user.id, admin=admin)
            self.stop()
            problem = await (mirror.create(current) if adding else mirror.cancel(current))
            done = "now has a Discord Scheduled Event" if adding else "no longer has a Discord Scheduled Event"
            content = f"Training #{current.id} {done}." if problem is None else f"The Scheduled Event: {problem}."
            await interaction.response.edit_message(content=content, embed=None, view=None)
            return
        result = await service.edit(
            self.current.id,
            interaction.guild_id,
            interaction.user.id,
            self.draft,
            admin=admin,
            sequence=self.current.sequence,
        )
        self.stop()
        await interaction.response.edit_message(content=f"Saving training #{result.after.id}…", embed=None, view=None)
        post_updater(bot).touch(result.after.id)
        if adding:
            problem = await mirror.create(result.after)
        elif removing:
            problem = await mirror.cancel(result.after)
        else:
            problem = await mirror.update(result.after)
        told = await tell_changed(bot, result)
        content = f"Saved training #{result.after.id}; told {told} member{'s' if told != 1 else ''} what changed."
        if result.promoted:
            content += f" {len(result.promoted)} moved up from the waitlist."
        if problem:
            content += f"\nThe Scheduled Event mirror failed: {problem}."
        await interaction.edit_original_response(content=content)

    @discord.ui.button(label="Edit", style=discord.ButtonStyle.secondary, custom_id="training:edit-again")
    @guarded("training edit again")
    async def again(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        """Reopen the form with what was typed."""
        self.stop()
        await interaction.response.send_modal(TrainingModal(self.draft.capacity, self.draft, editing=self.current))


async def tell_changed(bot: Harbor, result: EditResult) -> int:
    """DM Going and waitlisted members what changed; promoted members get the seat DM instead. Returns DMs sent."""
    after = result.after
    body = "\n".join(f"• {line}" for line in result.changes)
    content = (
        f"“{after.title[:100]}” was changed:\n{body}\n"
        f"It now starts {discord_timestamp(after.starts_at, 'F')} ({discord_timestamp(after.starts_at, 'R')})."
    )[:2000]
    sent = 0
    for user_id in result.told:
        if user_id in result.promoted:
            continue
        message = await bot.services.notifier.dm(
            user_id, purpose="training changed", guild_id=after.guild_id, content=content
        )
        sent += message is not None
    for user_id in result.promoted:
        await tell_promoted(bot, after, user_id, changes=result.changes)
        sent += 1
    return sent
