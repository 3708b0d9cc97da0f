"""The /announce modal and its ephemeral preview with "Post" and "Edit".

The preview's view holds the draft in memory: nothing is stored before "Post", and a preview lost to a
restart is simply typed again (its interaction token lasts 15 minutes anyway).
"""

from __future__ import annotations

from typing import Any

import discord

from bot.app import harbor_of
from bot.checks import is_admin, is_trainer
from bot.domain.announcements import BODY_MAX, TITLE_MAX, WHEN_MAX, Draft, wants_now
from bot.errors import PermissionDenied, UserError
from bot.services.announcements import AnnouncementService
from bot.transformers import local_datetime
from bot.ui import HarborModal, HarborView
from cogs.announcements._post import announcements_channel, draft_parts

PREVIEW_SECONDS = 14 * 60  # under the interaction token's 15 minutes


class AnnounceModal(HarborModal, title="New announcement"):
    """Title, text and when; pre-filled when "Edit" reopens it."""

    heading: discord.ui.TextInput[AnnounceModal] = discord.ui.TextInput(
        label="Title (optional)", custom_id="announce:title", required=False, max_length=TITLE_MAX
    )
    body: discord.ui.TextInput[AnnounceModal] = discord.ui.TextInput(
        label="Text",
        custom_id="announce:text",
        style=discord.TextStyle.paragraph,
        max_length=BODY_MAX,
        placeholder="What members should know. @everyone, @here and role mentions here never ping.",
    )
    when: discord.ui.TextInput[AnnounceModal] = discord.ui.TextInput(
        label="When (your time zone)",
        custom_id="announce:when",
        required=False,
        max_length=WHEN_MAX,
        default="now",
        placeholder='now, or e.g. "tomorrow 18:30", "next tue 6pm"',
    )

    def __init__(
        self, service: AnnouncementService, ping_role_id: int | None, replacing: PreviewView | None = None
    ) -> None:
        super().__init__(title="Edit the announcement" if replacing else "New announcement")
        self.service = service
        self.ping_role_id = ping_role_id
        self.replacing = replacing
        previous = replacing.draft if replacing is not None else None
        if previous is not None:
            self.heading.default = previous.title
            self.body.default = previous.body
            self.when.default = previous.when_text

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        """Check everything, then show the preview (nothing is stored yet)."""
        assert interaction.guild_id is not None
        bot = harbor_of(interaction)
        when_text = self.when.value or ""
        due = None if wants_now(when_text) else await local_datetime(bot, interaction.user.id, when_text)
        draft = self.service.draft(
            self.heading.value or "",
            self.body.value or "",
            due=due,
            when_text=when_text,
            ping_role_id=self.ping_role_id,
        )
        channel = await announcements_channel(bot, interaction.guild_id)
        zone = await self.service.timezone(interaction.user.id)
        view = PreviewView(self.service, draft, interaction.user.id)
        shown = {
            "content": preview_text(draft, channel, zone),
            "embed": draft_parts(interaction.user.id, draft)["embed"],
            "allowed_mentions": discord.AllowedMentions.none(),
            "view": view,
        }
        if self.replacing is not None:
            # An edit that passed every check retires the old preview; a refused one leaves it usable.
            self.replacing.finished = True
            self.replacing.stop()
            if interaction.message is not None:
                await interaction.response.edit_message(**shown)  # the preview changes in place
                return
        await interaction.response.send_message(**shown, ephemeral=True)


def preview_text(draft: Draft, channel: Any, zone: str) -> str:
    """What the author reads above the preview: where, when, who is pinged."""
    where = getattr(channel, "mention", "the announcements channel")
    if draft.due is None:
        when = f"now, in {where}"
    else:
        stamp = int(draft.due.timestamp())
        when = f"in {where} at <t:{stamp}:F> (<t:{stamp}:R>; read in your zone, {zone})"
    ping = f"It pings <@&{draft.ping_role_id}> once." if draft.ping_role_id else "It pings nobody."
    return (
        f"**Preview** (only you see this). Pressing Post publishes it {when}. {ping} "
        "Mentions in the text never ping anyone."
    )


class PreviewView(HarborView):
    """Post or Edit one draft; the first press wins, a replaced preview refuses."""

    def __init__(self, service: AnnouncementService, draft: Draft, author_id: int) -> None:
        super().__init__(timeout=PREVIEW_SECONDS)
        self.service = service
        self.draft = draft
        self.author_id = author_id
        self.finished = False

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Only the author, still a trainer or admin (and an admin when a role is pinged), and only once."""
        if interaction.user.id != self.author_id:
            raise PermissionDenied("This preview belongs to someone else.")
        if not await is_trainer(interaction):
            raise PermissionDenied("Only trainers (the trainer role) or admins can do that.")
        if self.draft.ping_role_id and not is_admin(interaction):
            raise PermissionDenied("Only server admins (Manage Server permission) can ping a role.")
        if self.finished:
            raise UserError("This preview was already used (posted, scheduled or replaced by an edit).")
        return True

    @discord.ui.button(label="Post", style=discord.ButtonStyle.success, custom_id="announce:preview:post")
    async def post(self, interaction: discord.Interaction[Any], button: discord.ui.Button[PreviewView]) -> None:
        """Publish now, or schedule the durable post."""
        assert interaction.guild_id is not None
        bot = harbor_of(interaction)
        channel = await announcements_channel(bot, interaction.guild_id)
        if self.draft.due is None:
            self.finished = True
            try:
                message = await channel.send(**draft_parts(self.author_id, self.draft))
            except discord.HTTPException:
                self.finished = False
                raise UserError(
                    "Harbor couldn't post in the announcements channel (missing permissions?). Nothing was posted; "
                    "an admin can run `/setup check`."
                ) from None
            await self.service.record_posted(
                interaction.guild_id, self.author_id, self.draft, message.channel.id, message.id
            )
            text = f"Posted: {message.jump_url}"
        else:
            announcement = await self.service.schedule(interaction.guild_id, self.author_id, self.draft)
            self.finished = True
            stamp = int(announcement.due_at.timestamp())
            text = (
                f"Scheduled as **#{announcement.id}** for <t:{stamp}:F> (<t:{stamp}:R>). "
                f"`/announce list` shows it; `/announce cancel id:{announcement.id}` cancels it."
            )
        self.stop()
        await interaction.response.edit_message(content=text, embed=None, view=None)

    @discord.ui.button(label="Edit", style=discord.ButtonStyle.secondary, custom_id="announce:preview:edit")
    async def edit(self, interaction: discord.Interaction[Any], button: discord.ui.Button[PreviewView]) -> None:
        """Reopen the modal with what was typed; a valid submit replaces this preview in place."""
        await interaction.response.send_modal(AnnounceModal(self.service, self.draft.ping_role_id, self))
