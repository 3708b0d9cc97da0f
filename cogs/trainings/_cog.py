"""`/training …`: create (modal → private preview → announcement). Replies to the creator are ephemeral."""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import harbor_of
from bot.checks import is_admin, trainer_only
from bot.db.trainings import Training
from bot.domain.attendance import Window
from bot.domain.clock import discord_timestamp
from bot.domain.trainings import DETAILS_EXAMPLE, TITLE_MAX, Draft, check_capacity, make_draft
from bot.errors import UserError
from bot.services.attendance import AttendanceService
from bot.services.trainings import TrainingService, training_ics
from bot.transformers import local_datetime
from bot.ui import HarborModal, HarborView, guarded
from cogs.trainings._attendance import code_panel
from cogs.trainings._reminders import TrainingReminders
from cogs.trainings._ui import PostUpdater, rsvp_view, training_embed

if TYPE_CHECKING:
    from bot.app import Harbor

log = logging.getLogger(__name__)
NO_CHANNEL = "Set an announcements channel first: `/setup channel kind:announcements`."


class TrainingModal(HarborModal, title="New training"):
    """Title, description, start, duration + CE, location; capacity comes from the command option."""

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
        self, service: TrainingService, reminders: TrainingReminders, capacity: int | None, draft: Draft | None = None
    ) -> None:
        super().__init__()
        self.service = service
        self.reminders = reminders
        self.capacity = capacity
        if draft is not None:  # "Edit" from the preview: start from what was typed
            self.name.default = draft.title
            self.description.default = draft.description
            self.start.default = draft.starts_at.strftime("%Y-%m-%d %H:%M UTC")
            hours = f", {draft.ce_hours:g}, {draft.ce_category}" if draft.ce_hours else ""
            self.details.default = f"{draft.minutes} min{hours}"
            self.location.default = draft.location

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Validate everything, then show the private preview (nothing stored yet)."""
        bot: Harbor = interaction.client  # type: ignore[assignment]
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
        view = PreviewView(self.service, self.reminders, interaction.user.id, draft)
        await interaction.response.send_message(
            f"Preview — starts <t:{int(draft.starts_at.timestamp())}:F>. Post it?",
            embed=training_embed(draft, heading="Preview: "),
            view=view,
            ephemeral=True,
        )


class PreviewView(HarborView):
    """Post / Edit under the private preview."""

    def __init__(self, service: TrainingService, reminders: TrainingReminders, owner: int, draft: Draft) -> None:
        super().__init__(timeout=900)
        self.service = service
        self.reminders = reminders
        self.owner = owner
        self.draft = draft

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Only the creator (the preview is ephemeral anyway)."""
        return interaction.user.id == self.owner

    @discord.ui.button(label="Post", style=discord.ButtonStyle.success, custom_id="training:post")
    @guarded("training post")
    async def post(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        """Store the training and post the announcement; nothing stays stored if posting fails."""
        bot: Harbor = interaction.client  # type: ignore[assignment]
        assert interaction.guild_id is not None
        channel_id = await bot.services.guild_config.channel(interaction.guild_id, "announcements")
        channel = bot.get_channel(channel_id) if channel_id else None
        if not isinstance(channel, discord.abc.Messageable):
            raise UserError(NO_CHANNEL)
        training = await self.service.create(interaction.guild_id, interaction.user.id, self.draft)
        counts = await self.service.counts(training.id)
        try:
            message = await channel.send(embed=training_embed(training, counts), view=rsvp_view(training, counts))
        except discord.HTTPException:
            await self.service.discard(training.id)
            raise UserError("I could not post in the announcements channel; check my permissions there.") from None
        await self.service.attach_post(training.id, message.channel.id, message.id)
        await self.reminders.plan(training)
        self.stop()
        await interaction.response.edit_message(
            content=f"Posted training #{training.id} in <#{message.channel.id}>.", embed=None, view=None
        )

    @discord.ui.button(label="Edit", style=discord.ButtonStyle.secondary, custom_id="training:edit-draft")
    @guarded("training edit draft")
    async def edit(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        """Reopen the form with what was typed."""
        self.stop()
        await interaction.response.send_modal(
            TrainingModal(self.service, self.reminders, self.draft.capacity, self.draft)
        )


class Trainings(commands.Cog):
    """Trainings: announcements with RSVP, waitlist and seats."""

    training = app_commands.Group(name="training", description="Trainings: announce, RSVP, attend.", guild_only=True)

    def __init__(self, bot: Harbor, service: TrainingService, reminders: TrainingReminders) -> None:
        self.bot = bot
        self.service = service
        self.reminders = reminders
        self.updater = PostUpdater(bot)

    async def cog_unload(self) -> None:
        """Stop pending post edits."""
        self.updater.close()

    @training.command(name="create", description="Announce a training (opens a form, then a preview).")
    @app_commands.describe(capacity="Seats (leave empty for no cap); a full training offers a waitlist")
    @trainer_only()
    async def create(self, interaction: discord.Interaction, capacity: int | None = None) -> None:
        """Open the form; refuse first when there is nowhere to post or the capacity is wrong."""
        assert interaction.guild_id is not None
        check_capacity(capacity)
        if await self.bot.services.guild_config.channel(interaction.guild_id, "announcements") is None:
            raise UserError(NO_CHANNEL)
        await interaction.response.send_modal(TrainingModal(self.service, self.reminders, capacity))

    async def _trainings_ac(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        wanted = current.strip().lower()
        found = await self.service.upcoming(interaction.guild_id, limit=100)
        return [
            app_commands.Choice(name=f"#{t.id} {t.title}"[:100], value=t.id)
            for t in found
            if wanted in f"#{t.id} {t.title}".lower()
        ][:25]

    async def _training(self, interaction: discord.Interaction, training_id: int) -> Training:
        found = await self.service.get(training_id, interaction.guild_id) if interaction.guild_id else None
        if found is None:
            raise UserError(f"There is no training #{training_id} on this server.")
        return found

    @training.command(name="list", description="Upcoming trainings with seats left.")
    async def list_(self, interaction: discord.Interaction) -> None:
        """Soonest first, at most 25."""
        assert interaction.guild_id is not None
        found = await self.service.upcoming(interaction.guild_id)
        if not found:
            await interaction.response.send_message("No upcoming trainings.", ephemeral=True)
            return
        lines = []
        for t in found:
            counts = await self.service.counts(t.id)
            seats = "" if t.capacity is None else f" · {max(t.capacity - counts.going, 0)} seats left"
            lines.append(
                f"**#{t.id} {t.title[:80]}** — <t:{int(t.starts_at.timestamp())}:F> · {counts.going} going{seats}"
            )
        embed = discord.Embed(title="Upcoming trainings", description="\n".join(lines)[:4000])
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @training.command(name="info", description="One training's details.")
    @app_commands.describe(training_id="The training (start typing its title)")
    @app_commands.rename(training_id="id")
    @app_commands.autocomplete(training_id=_trainings_ac)
    async def info(self, interaction: discord.Interaction, training_id: int) -> None:
        """The announcement card, privately."""
        found = await self._training(interaction, training_id)
        counts = await self.service.counts(found.id)
        await interaction.response.send_message(embed=training_embed(found, counts), ephemeral=True)

    @training.command(name="ics", description="A calendar file (.ics) for Google Calendar, Outlook, Apple.")
    @app_commands.describe(training_id="The training (start typing its title)")
    @app_commands.rename(training_id="id")
    @app_commands.autocomplete(training_id=_trainings_ac)
    async def ics(self, interaction: discord.Interaction, training_id: int) -> None:
        """The .ics, privately."""
        found = await self._training(interaction, training_id)
        guild = interaction.guild.name if interaction.guild else "Harbor"
        data = training_ics(found, guild)
        await interaction.response.send_message(
            f"Calendar file for “{found.title[:100]}”.",
            file=discord.File(io.BytesIO(data), filename=f"training-{found.id}.ics"),
            ephemeral=True,
        )

    @training.command(name="cancel", description="Cancel a training; Going and waitlisted members are told why.")
    @app_commands.describe(training_id="The training", reason="Why (members are told)")
    @app_commands.rename(training_id="id")
    @app_commands.autocomplete(training_id=_trainings_ac)
    @trainer_only()
    async def cancel(
        self, interaction: discord.Interaction, training_id: int, reason: app_commands.Range[str, 3, 300]
    ) -> None:
        """Its trainer or an admin: post marked cancelled, buttons off, reminders dropped, members told."""
        found = await self._training(interaction, training_id)
        if found.trainer_id != interaction.user.id and not is_admin(interaction):
            raise UserError("Only the training's trainer or an admin can cancel it.")
        reason = " ".join(str(reason).split())
        if not 3 <= len(reason) <= 300:
            raise UserError("Give a reason of 3 to 300 characters.")
        if not await self.service.cancel(found.id):
            raise UserError(f"Training #{found.id} is not scheduled any more (already cancelled or over).")
        cancelled = await self._training(interaction, training_id)
        await self.reminders.plan(cancelled)  # drops the pending reminders
        await interaction.response.send_message(f"Cancelled training #{found.id}.", ephemeral=True)
        self.updater.touch(found.id)
        people = await self.service.members(found.id, "going") + await self.service.members(found.id, "waitlist")
        for user_id in people:
            await self.bot.services.notifier.dm(
                user_id,
                purpose="training cancelled",
                guild_id=found.guild_id,
                content=f"“{found.title[:100]}” ({discord_timestamp(found.starts_at, 'F')}) was cancelled: {reason}",
            )

    # -- attendance and certificates ---------------------------------------------------------------------

    @training.command(name="code", description="Show the attendance code (trainer), rotate it, mark attendees.")
    @app_commands.describe(training_id="The training (start typing its title)")
    @app_commands.rename(training_id="id")
    @app_commands.autocomplete(training_id=_trainings_ac)
    @trainer_only()
    async def code(self, interaction: discord.Interaction[Harbor], training_id: int) -> None:
        """Its trainer or an admin: the live code (made on first use) with Rotate and Mark attendees."""
        assert interaction.guild_id is not None
        attendance = harbor_of(interaction).feature(AttendanceService)
        found = await attendance.training_for_trainer(
            interaction.guild_id, training_id, interaction.user.id, is_admin(interaction)
        )
        state = Window.of(found.starts_at, found.minutes).state(self.bot.clock())
        code = await attendance.code(found) if state != "closed" else ""
        text, view = code_panel(found, code, state)
        await interaction.response.send_message(text, view=view, ephemeral=True)

    @training.command(name="attend", description="Record that you attended: type the code your trainer shows.")
    @app_commands.describe(code="The code shown in the session, e.g. K7PM3Q")
    async def attend(self, interaction: discord.Interaction[Harbor], code: app_commands.Range[str, 1, 40]) -> None:
        """Any member: wrong, replaced, early, expired, repeated and cancelled are refused clearly."""
        assert interaction.guild_id is not None
        attendance = harbor_of(interaction).feature(AttendanceService)
        done = await attendance.attend(
            interaction.guild_id, interaction.user.id, str(code), interaction.user.display_name
        )
        t = done.training
        credit = f"{t.ce_hours:g} CE hour(s) of {t.ce_category} and a" if t.ce_hours else "a"
        when = "now" if done.ended else f"when it ends ({discord_timestamp(t.starts_at + t.duration, 'R')})"
        await interaction.response.send_message(
            f"Recorded your attendance at “{t.title[:100]}”. "
            f"You'll get {credit} certificate of attendance by DM {when}.",
            ephemeral=True,
        )

    @training.command(name="verify", description="Confirm a certificate of attendance by its code.")
    @app_commands.describe(code="The code printed on the certificate, e.g. HBR-K7PM-3QXA")
    async def verify(self, interaction: discord.Interaction[Harbor], code: app_commands.Range[str, 1, 40]) -> None:
        """Anyone: who attended what, when, for how many hours; or not found."""
        assert interaction.guild_id is not None
        found = await harbor_of(interaction).feature(AttendanceService).verify(interaction.guild_id, str(code))
        hours = f"{found.ce_hours:g} CE hour(s) · {found.ce_category}" if found.ce_hours else "no CE hours"
        embed = discord.Embed(
            title="Certificate verified ✅",
            description=(
                f"**{discord.utils.escape_markdown(found.display_name)}** (<@{found.user_id}>) attended "
                f"**{discord.utils.escape_markdown(found.title[:200])}** (training #{found.training_id}) on "
                f"{discord_timestamp(found.starts_at, 'D')}: {hours}. "
                f"Issued {discord_timestamp(found.credited_at, 'D')}."
            ),
            colour=discord.Colour.green(),
        )
        embed.set_footer(text=found.verify_code)
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )

    @commands.Cog.listener()
    async def on_harbor_reminders_changed(self, guild_id: int) -> None:
        """`/setup reminders` changed the lead times: move every upcoming training's reminders."""
        await self.reminders.replan_guild(guild_id)
