"""`/checkin …` slash commands: thin adapters over the check-in service."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Harbor
from bot.checks import moderator_only
from bot.domain import checkins as rules
from bot.domain.clock import discord_timestamp
from bot.domain.mood_chart import render_mood_chart
from bot.domain.recurrence import WEEKDAYS
from bot.errors import UserError
from bot.services.checkins import CheckinService
from bot.transformers import TimeOfDay, Weekday
from cogs.checkins._ui import invite_view, mood_view, settings_text, settings_view

Cadence = Literal["daily", "weekdays", "weekly", "off"]


class Checkins(commands.Cog):
    """Private self-care check-ins, schedules, buddies and an aggregate summary for moderators."""

    checkin = app_commands.Group(name="checkin", description="Private self-care check-ins.", guild_only=True)
    buddy = app_commands.Group(
        name="buddy", description="A check-in buddy who may hear you'd like a hello.", parent=checkin
    )

    def __init__(self, service: CheckinService) -> None:
        self.service = service

    @commands.Cog.listener()
    async def on_harbor_timezone_changed(self, user_id: int) -> None:
        """A new `/profile timezone` moves the member's prompt to the same wall-clock time in the new zone."""
        await self.service.follow_timezone_of(user_id)

    @checkin.command(name="now", description="Check in now: how are you feeling (1–5)? Only you see it.")
    async def now(self, interaction: discord.Interaction[Harbor]) -> None:
        """Five mood buttons, privately."""
        await interaction.response.send_message(
            "How are you feeling right now?", view=mood_view(interaction.user.id), ephemeral=True
        )

    @checkin.command(name="schedule", description="Get a check-in prompt by DM at your local time.")
    @app_commands.describe(
        cadence="How often (off stops the prompts)",
        time="Your local time, e.g. 09:00 or 9am",
        weekday="For weekly: the day, e.g. friday",
    )
    async def schedule(
        self,
        interaction: discord.Interaction[Harbor],
        cadence: Cadence,
        time: app_commands.Transform[dt.time, TimeOfDay],
        weekday: app_commands.Transform[int, Weekday] | None = None,
    ) -> None:
        """Validate, store, and show the next prompt in the member's own zone."""
        request, tz, next_due = await self.service.set_schedule(
            interaction.user.id, interaction.guild_id, cadence, time, weekday
        )
        if request.recurrence is None:
            text = "Scheduled check-ins are off. `/checkin now` still works any time."
        else:
            when = {
                "daily": "every day",
                "weekdays": "on weekdays",
                "weekly": f"every {WEEKDAYS[request.weekday or 0].capitalize()}",
            }[request.cadence]
            text = f"I'll DM you a check-in {when} at **{request.at}** ({tz})."
            if next_due is not None:
                text += f" Next: {discord_timestamp(next_due, 'F')} ({discord_timestamp(next_due, 'R')})."
            if tz == "UTC":
                text += "\n-# That's UTC — set your zone with `/profile timezone` and the prompt follows it."
        await interaction.response.send_message(text, ephemeral=True)
        if request.recurrence is not None:
            # Opening the DM channel now, one member at a time, spares a request per prompt when
            # thousands come due in the same minute (a prompt then costs one request instead of two).
            with contextlib.suppress(discord.HTTPException):
                await self.service.notifier.open_dm(interaction.user.id)

    @checkin.command(name="pause", description="Vacation mode: no prompts or nudges for a number of days.")
    @app_commands.describe(days="How many days, 1–90")
    async def pause(self, interaction: discord.Interaction[Harbor], days: int) -> None:
        """Pause prompts, nudges and missed counting."""
        until = await self.service.pause(interaction.user.id, days)
        await interaction.response.send_message(
            f"Paused until {discord_timestamp(until, 'F')} — no prompts, no nudges, nothing counted as missed. "
            "Rest well. `/checkin resume` ends the pause early.",
            ephemeral=True,
        )

    @checkin.command(name="resume", description="End a pause now.")
    async def resume(self, interaction: discord.Interaction[Harbor]) -> None:
        """Resume scheduled prompts."""
        resumed = await self.service.resume(interaction.user.id)
        text = "Welcome back — scheduled prompts are on again." if resumed else "You weren't paused."
        await interaction.response.send_message(text, ephemeral=True)

    @checkin.command(name="history", description="A private chart of your mood over time.")
    @app_commands.describe(days="How many days back, 7–365 (default 30)")
    async def history(self, interaction: discord.Interaction[Harbor], days: int = 30) -> None:
        """A PNG of the member's own check-ins with average and streak, ephemeral."""
        history = await self.service.history(interaction.user.id, days)
        if not history.checkins:
            await interaction.response.send_message(
                f"No check-ins in the last {days} days yet — `/checkin now` takes ten seconds.", ephemeral=True
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        points = [(c.created_at, c.mood) for c in history.checkins]
        png = await asyncio.to_thread(
            render_mood_chart, points, history.tz, days, history.average, history.streak, self.service.clock()
        )
        assert history.average is not None
        await interaction.followup.send(
            f"Your last {days} days: **{len(points)}** check-ins, average **{history.average:.1f}**, "
            f"{history.streak}. Only you can see this.",
            file=discord.File(io.BytesIO(png), filename="checkins.png"),
            ephemeral=True,
        )

    @checkin.command(name="summary", description="Moderators: participation and mood mix, aggregated.")
    @moderator_only()
    async def summary(self, interaction: discord.Interaction[Harbor]) -> None:
        """7- and 30-day aggregates, each hidden below 5 respondents."""
        assert interaction.guild_id is not None
        windows = await self.service.summary(interaction.guild_id)
        embed = discord.Embed(
            title="Check-ins — server summary",
            colour=discord.Colour.teal(),
            description=f"Aggregates only; a window with fewer than {rules.MIN_RESPONDENTS} respondents stays hidden.",
        )
        for window in windows:
            value = (
                "Hidden: fewer than 5 members answered."
                if window.suppressed
                else "\n".join(rules.summary_lines(window))
            )
            embed.add_field(name=f"Last {window.days} days", value=value[:1024], inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @buddy.command(name="invite", description="Ask a member to be your check-in buddy (they accept by DM).")
    @app_commands.describe(member="The member to invite")
    async def buddy_invite(self, interaction: discord.Interaction[Harbor], member: discord.Member) -> None:
        """Validate, store the invitation and DM the invitee Accept / Decline buttons."""
        link = await self.service.invite(interaction.user.id, member.id, member.bot, interaction.guild_id)
        sent = await self.service.notifier.dm(
            member.id,
            purpose="check-in buddy invitation",
            guild_id=interaction.guild_id,
            content=(
                f"<@{interaction.user.id}> would like you as their **check-in buddy** on Harbor. "
                "A buddy may get a short note that the other might appreciate a check-in — only if they "
                "chose it, and never their scores or notes."
            ),
            view=invite_view(link.id),
        )
        if sent is None:
            await self.service.withdraw_invite(link.id)
            raise UserError(f"I couldn't DM {member.mention} (their DMs may be closed), so no invitation was made.")
        await interaction.response.send_message(
            f"Invitation sent to {member.mention}; they can accept or decline from their DMs.", ephemeral=True
        )

    @buddy.command(name="remove", description="End your buddy pairing (and withdraw unanswered invitations).")
    async def buddy_remove(self, interaction: discord.Interaction[Harbor]) -> None:
        """Delete the active link; the former buddy gets a neutral note."""
        former, withdrawn = await self.service.remove(interaction.user.id)
        if former is None and not withdrawn:
            raise UserError("You have no check-in buddy and no open invitations.")
        parts = []
        if former is not None:
            parts.append(f"You and <@{former}> are no longer check-in buddies.")
            await self.service.notifier.dm(
                former,
                purpose="check-in buddy ended",
                guild_id=interaction.guild_id,
                content=f"<@{interaction.user.id}> ended your check-in buddy pairing. Thank you for being there. 💙",
            )
        if withdrawn:
            parts.append(f"Withdrew {withdrawn} unanswered invitation(s).")
        await interaction.response.send_message(" ".join(parts), ephemeral=True)

    @buddy.command(name="settings", description="Choose when your buddy hears you might like a check-in.")
    async def buddy_settings(self, interaction: discord.Interaction[Harbor]) -> None:
        """A toggle and a select; both off by default."""
        panel = await self.service.buddy_settings(interaction.user.id)
        text = settings_text(panel)
        if panel.buddy is None:
            text = "You have no check-in buddy yet (`/checkin buddy invite`); these apply once you do.\n" + text
        view = settings_view(interaction.user.id, panel)
        await interaction.response.send_message(text, view=view, ephemeral=True)
