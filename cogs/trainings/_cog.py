"""`/training …` commands: create, edit, list, info, ics, roster, cancel. Replies are ephemeral."""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import harbor_of
from bot.checks import is_admin, trainer_only
from bot.db.trainings import Training
from bot.domain.attendance import Window
from bot.domain.clock import discord_timestamp
from bot.domain.trainings import RosterLine, check_capacity, roster_csv
from bot.errors import UserError
from bot.services.attendance import AttendanceService
from bot.services.trainings import TrainingService, training_ics
from cogs.trainings._attendance import code_panel
from cogs.trainings._events import EventMirror
from cogs.trainings._forms import NO_CHANNEL, TrainingModal
from cogs.trainings._ui import PostUpdater, training_embed

if TYPE_CHECKING:
    from bot.app import Harbor

log = logging.getLogger(__name__)

Interaction = discord.Interaction["Harbor"]


def _choices(trainings: list[tuple[int, str]], current: str) -> list[app_commands.Choice[int]]:
    """Autocomplete choices "#id title" for (id, title) pairs whose label contains what was typed."""
    wanted = current.strip().lower()
    labels = [(f"#{tid} {title}", tid) for tid, title in trainings]
    return [app_commands.Choice(name=label[:100], value=tid) for label, tid in labels if wanted in label.lower()][:25]


class Trainings(commands.Cog):
    """Trainings: announcements with RSVP, waitlist and seats."""

    training = app_commands.Group(name="training", description="Trainings: announce, RSVP, attend.", guild_only=True)

    def __init__(self, bot: Harbor, service: TrainingService) -> None:
        self.bot = bot
        self.service = service
        self.updater = PostUpdater(bot)
        self.mirror = EventMirror(bot, service)

    async def cog_unload(self) -> None:
        """Stop pending post edits."""
        self.updater.close()

    @training.command(name="create", description="Announce a training (opens a form, then a preview).")
    @app_commands.describe(
        capacity="Seats (leave empty for no cap); a full training offers a waitlist",
        event="Also create a Discord Scheduled Event for it (needs my Manage Events permission)",
    )
    @trainer_only()
    async def create(self, interaction: Interaction, capacity: int | None = None, event: bool = False) -> None:
        """Open the form; refuse first when there is nowhere to post or the capacity is wrong."""
        assert interaction.guild_id is not None
        check_capacity(capacity)
        if await self.bot.services.guild_config.channel(interaction.guild_id, "announcements") is None:
            raise UserError(NO_CHANNEL)
        await interaction.response.send_modal(TrainingModal(capacity, mirror=event))

    async def _trainings_ac(self, interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        found = await self.service.upcoming(interaction.guild_id, limit=100)
        return _choices([(t.id, t.title) for t in found], current)

    async def _training(self, interaction: Interaction, training_id: int) -> Training:
        if interaction.guild_id is None:
            raise UserError("Trainings belong to a server; use this command there.")
        return await self.service.find(training_id, interaction.guild_id)

    @training.command(name="list", description="Upcoming trainings with seats left.")
    async def list_(self, interaction: Interaction) -> None:
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
                f"**#{t.id} {t.title[:80]}** — {discord_timestamp(t.starts_at, 'F')} · {counts.going} going{seats}"
            )
        embed = discord.Embed(title="Upcoming trainings", description="\n".join(lines)[:4000])
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @training.command(name="info", description="One training's details.")
    @app_commands.describe(training_id="The training (start typing its title)")
    @app_commands.rename(training_id="id")
    @app_commands.autocomplete(training_id=_trainings_ac)
    async def info(self, interaction: Interaction, training_id: int) -> None:
        """The announcement card, privately."""
        found = await self._training(interaction, training_id)
        counts = await self.service.counts(found.id)
        await interaction.response.send_message(embed=training_embed(found, counts), ephemeral=True)

    @training.command(name="ics", description="A calendar file (.ics) for Google Calendar, Outlook, Apple.")
    @app_commands.describe(training_id="The training (start typing its title)")
    @app_commands.rename(training_id="id")
    @app_commands.autocomplete(training_id=_trainings_ac)
    async def ics(self, interaction: Interaction, training_id: int) -> None:
        """The .ics, privately."""
        found = await self._training(interaction, training_id)
        guild = interaction.guild.name if interaction.guild else "Harbor"
        data = training_ics(found, guild)
        await interaction.response.send_message(
            f"Calendar file for “{found.title[:100]}”.",
            file=discord.File(io.BytesIO(data), filename=f"training-{found.id}.ics"),
            ephemeral=True,
        )

    @training.command(name="edit", description="Change a training: the post, reminders and members follow.")
    @app_commands.describe(
        training_id="The training (start typing its title)",
        capacity="New number of seats (leave empty to keep it); raising it promotes from the waitlist",
        event="Add (true) or remove (false) its Discord Scheduled Event; leave empty to keep it as it is",
        no_cap="True removes the seat limit: everyone on the waitlist becomes Going",
    )
    @app_commands.rename(training_id="id")
    @app_commands.autocomplete(training_id=_trainings_ac)
    @trainer_only()
    async def edit(
        self,
        interaction: Interaction,
        training_id: int,
        capacity: int | None = None,
        event: bool | None = None,
        no_cap: bool = False,
    ) -> None:
        """Its trainer or an admin: the form again, prefilled, then a preview of what changes."""
        assert interaction.guild_id is not None
        if no_cap and capacity is not None:
            raise UserError("Give either `capacity` (a number of seats) or `no_cap:True`, not both.")
        check_capacity(capacity)
        found = await self.service.editable(
            training_id, interaction.guild_id, interaction.user.id, admin=is_admin(interaction)
        )
        zone = await self.bot.services.profiles.timezone(interaction.user.id)
        local = found.starts_at.astimezone(_zone(zone))
        draft = found.as_draft()
        await interaction.response.send_modal(
            TrainingModal(
                None if no_cap else capacity if capacity is not None else found.capacity,
                draft,
                editing=found,
                start_text=local.strftime("%Y-%m-%d %H:%M"),
                mirror=event,
            )
        )

    @training.command(name="roster", description="A CSV roster of a training for the CE provider.")
    @app_commands.describe(training_id="The training (start typing its title)")
    @app_commands.rename(training_id="id")
    @app_commands.autocomplete(training_id=_trainings_ac)
    @trainer_only()
    async def roster(self, interaction: Interaction, training_id: int) -> None:
        """Its trainer or an admin: name, user id, RSVP (attended and hours once attendance is recorded)."""
        assert interaction.guild_id is not None
        training, answers = await self.service.roster(
            training_id, interaction.guild_id, interaction.user.id, admin=is_admin(interaction)
        )
        await interaction.response.defer(ephemeral=True, thinking=True)  # names may take a request each
        attendees = await harbor_of(interaction).feature(AttendanceService).attendees(training.id)
        attended = {a.user_id for a in attendees}
        named = {a.user_id: a.display_name for a in attendees if a.display_name}
        # Marked attendees who never answered the announcement still belong on the provider's roster.
        rows = [*answers, *((a.user_id, "") for a in attendees if a.user_id not in {u for u, _ in answers})]
        lines = []
        for user_id, answer in rows:
            name = named.get(user_id) or await _display_name(interaction.guild, user_id)
            lines.append(RosterLine(name, user_id, answer or "none", user_id in attended))
        data = roster_csv(lines, hours=training.ce_hours)
        await interaction.followup.send(
            f"Roster of “{training.title[:100]}” ({len(lines)} members, {len(attended)} attended).",
            file=discord.File(io.BytesIO(data), filename=f"training-{training.id}-roster.csv"),
            ephemeral=True,
        )

    @training.command(name="cancel", description="Cancel a training; Going and waitlisted members are told why.")
    @app_commands.describe(training_id="The training", reason="Why (members are told)")
    @app_commands.rename(training_id="id")
    @app_commands.autocomplete(training_id=_trainings_ac)
    @trainer_only()
    async def cancel(self, interaction: Interaction, training_id: int, reason: app_commands.Range[str, 3, 300]) -> None:
        """Its trainer or an admin: post marked cancelled, buttons off, reminders and event dropped, members told."""
        assert interaction.guild_id is not None
        reason = " ".join(str(reason).split())
        if not 3 <= len(reason) <= 300:
            raise UserError("Give a reason of 3 to 300 characters.")
        found, people = await self.service.cancel(
            training_id, interaction.guild_id, interaction.user.id, admin=is_admin(interaction)
        )
        await interaction.response.send_message(f"Cancelled training #{found.id}.", ephemeral=True)
        self.updater.touch(found.id)
        problem = await self.mirror.cancel(found)
        if problem:
            await interaction.followup.send(f"The Scheduled Event was not cancelled: {problem}.", ephemeral=True)
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

    async def _certified_ac(self, interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        attendance = harbor_of(interaction).feature(AttendanceService)
        return _choices(await attendance.certified(interaction.guild_id, interaction.user.id), current)

    @training.command(name="certificate", description="Get your certificate of attendance for a training again.")
    @app_commands.describe(training_id="The training (start typing its title: your certificates are listed)")
    @app_commands.rename(training_id="id")
    @app_commands.autocomplete(training_id=_certified_ac)
    async def certificate(self, interaction: discord.Interaction[Harbor], training_id: int) -> None:
        """A member: their own PDF, privately (the DM at the end may be lost or closed)."""
        assert interaction.guild_id is not None
        attendance = harbor_of(interaction).feature(AttendanceService)
        training, pdf = await attendance.my_certificate(interaction.guild_id, training_id, interaction.user.id)
        await interaction.response.send_message(
            f"Your certificate for **{discord.utils.escape_markdown(training.title[:200])}**.",
            file=discord.File(io.BytesIO(pdf), filename=f"certificate-{training.id}.pdf"),
            ephemeral=True,
        )

    @commands.Cog.listener()
    async def on_harbor_reminders_changed(self, guild_id: int) -> None:
        """`/setup reminders` changed the lead times: move every upcoming training's reminders."""
        await self.service.replan_guild(guild_id)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


async def _display_name(guild: discord.Guild | None, user_id: int) -> str:
    """The member's server display name: one REST look-up each (Harbor has no members intent, so no cache)."""
    if guild is None:
        return str(user_id)
    try:
        member = await guild.fetch_member(user_id)
    except discord.NotFound:
        return "(no longer on the server)"
    return member.display_name
