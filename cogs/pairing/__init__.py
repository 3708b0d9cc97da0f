"""Peer pairing ("Donut-style"): opt-in rounds that pair members in private threads, consent first.

Avoid lists are confidential: every reply about them is ephemeral, and nothing — no DM, no post, no
reason for not being paired — ever reaches the person avoided. Admins see aggregate rates only.
"""

from __future__ import annotations

import datetime as dt
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Harbor
from bot.checks import admin_only
from bot.db.pairing import PairingRepository
from bot.db.timers import Timer
from bot.domain.clock import discord_timestamp
from bot.domain.pairing import MIN_RESPONDENTS
from bot.errors import UserError
from bot.services.guild_config import GuildConfig
from bot.services.mydata import DataSection
from bot.services.notify import Notifier
from bot.services.pairing import FOLLOW_UP_EVENT, ROUND_EVENT, Joined, PairingService
from bot.services.timers import timer_nonce
from bot.transformers import TimeOfDay, Weekday

from ._rounds import NoPairingChannelError, Outcome, RoundForbiddenError, RoundRunner, bot_can_pair
from ._views import FeedbackButton

log = logging.getLogger(__name__)

QUIET = discord.AllowedMentions.none()
NO_CHANNEL = (
    "No pairing channel is set up yet. An admin can run `/pairing setup` (or `/setup channel kind: pairing`) first."
)
FORBIDDEN = (
    "I can't open private threads in the pairing channel. Give Harbor **Create Private Threads** and "
    "**Send Messages in Threads** there (Server Settings → Roles, or the channel's permissions), then "
    "try again. Nothing was changed."
)

PARTLY = (
    "Discord stopped me part-way through the round (missing **Create Private Threads** or **Send Messages "
    "in Threads** in the pairing channel); some threads were opened. Fix the permission and run "
    "`/pairing run` — it finishes this round rather than pairing anyone twice."
)


class Pairing(commands.Cog):
    """/pairing join | leave | pause | avoid | unavoid | setup | run | stats."""

    pairing = app_commands.Group(
        name="pairing", description="Meet other peers one-to-one, in private threads.", guild_only=True
    )

    def __init__(self, service: PairingService, runner: RoundRunner, config: GuildConfig, notifier: Notifier) -> None:
        self.service = service
        self.runner = runner
        self.config = config
        self.notifier = notifier

    async def _next_round(self, guild_id: int) -> str:
        due = await self.service.next_round(guild_id)
        if due is None:
            return "Rounds start once an admin sets up pairing."
        return f"The next round is {discord_timestamp(due, 'F')} ({discord_timestamp(due, 'R')})."

    # -- members -----------------------------------------------------------------------------------

    @pairing.command(name="join", description="Join peer pairing: get paired with another member each round.")
    async def join(self, interaction: discord.Interaction[Harbor]) -> None:
        """Opt in (or lift a pause)."""
        assert interaction.guild_id is not None
        text = {
            Joined.NEW: "You're in! Each round you'll get a private thread with another member and an icebreaker.",
            Joined.RESUMED: "Welcome back — your pause is lifted.",
            Joined.ALREADY: "You're already in peer pairing.",
        }[await self.service.join(interaction.guild_id, interaction.user.id)]
        text += (
            f" {await self._next_round(interaction.guild_id)}\n"
            "`/pairing pause` takes a break, `/pairing leave` stops; `/pairing avoid` is private."
        )
        await interaction.response.send_message(text, ephemeral=True)

    @pairing.command(name="leave", description="Stop being paired (your history stays until /mydata delete).")
    async def leave(self, interaction: discord.Interaction[Harbor]) -> None:
        """Opt out."""
        assert interaction.guild_id is not None
        await self.service.leave(interaction.guild_id, interaction.user.id)
        await interaction.response.send_message(
            "You've left peer pairing — no more rounds for you. You can come back any time with `/pairing join`.",
            ephemeral=True,
        )

    @pairing.command(name="pause", description="Skip rounds for a while (1–12 weeks).")
    @app_commands.describe(weeks="How many weeks to skip, 1–12")
    async def pause(self, interaction: discord.Interaction[Harbor], weeks: int) -> None:
        """Pause for some weeks."""
        assert interaction.guild_id is not None
        until = await self.service.pause(interaction.guild_id, interaction.user.id, weeks)
        await interaction.response.send_message(
            f"Paused until {discord_timestamp(until, 'F')}. Take care! `/pairing join` resumes sooner.", ephemeral=True
        )

    @pairing.command(name="avoid", description="Privately make sure you're never paired with someone.")
    @app_commands.describe(member="The member you won't be paired with (they are never told)")
    async def avoid(self, interaction: discord.Interaction[Harbor], member: discord.User) -> None:
        """Add to the caller's confidential avoid list (symmetric in effect)."""
        assert interaction.guild_id is not None
        added = await self.service.avoid(
            interaction.guild_id, interaction.user.id, member.id, avoided_is_bot=member.bot
        )
        text = (
            f"Done — you'll never be paired with {member.mention}."
            if added
            else f"{member.mention} is already on your avoid list."
        )
        text += " This is confidential: they aren't told, and admins can't see it."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=QUIET)

    @pairing.command(name="unavoid", description="Remove someone from your private avoid list.")
    @app_commands.describe(member="The member to remove from your avoid list")
    async def unavoid(self, interaction: discord.Interaction[Harbor], member: discord.User) -> None:
        """Remove from the caller's avoid list."""
        assert interaction.guild_id is not None
        await self.service.unavoid(interaction.guild_id, interaction.user.id, member.id, mention=member.mention)
        await interaction.response.send_message(
            f"Removed {member.mention} from your avoid list. They aren't told about this either.",
            ephemeral=True,
            allowed_mentions=QUIET,
        )

    # -- admins ------------------------------------------------------------------------------------

    @pairing.command(name="setup", description="Admins: the pairing channel and when rounds run.")
    @app_commands.describe(
        channel="Where the private pairing threads are opened",
        every_weeks="Weeks between rounds, 1–8",
        weekday="e.g. tuesday",
        time="Your local time (from /profile timezone), e.g. 18:00 or 6pm",
    )
    @admin_only()
    async def setup_rounds(
        self,
        interaction: discord.Interaction[Harbor],
        channel: discord.TextChannel,
        every_weeks: int,
        weekday: app_commands.Transform[int, Weekday],
        time: app_commands.Transform[dt.time, TimeOfDay],
    ) -> None:
        """Check the channel (Discord facts) here; the service validates the rest and stores the schedule."""
        assert interaction.guild is not None
        if channel.guild.id != interaction.guild.id:
            raise UserError("That channel is not in this server.")
        if not bot_can_pair(channel):
            raise UserError(FORBIDDEN)
        schedule = await self.service.configure(
            interaction.guild.id, channel.id, every_weeks, weekday, time, by=interaction.user.id
        )
        every = "every week" if schedule.every_weeks == 1 else f"every {schedule.every_weeks} weeks"
        text = (
            f"Peer pairing runs {every} on {schedule.weekday.capitalize()} at {schedule.at} ({schedule.tz}) in "
            f"{channel.mention}. {await self._next_round(interaction.guild.id)}"
        )
        if schedule.tz == "UTC":
            text += "\nTip: set your time zone with `/profile timezone` and run this again to use your local time."
        await interaction.response.send_message(text, ephemeral=True)

    @pairing.command(name="run", description="Admins: run a pairing round now.")
    @admin_only()
    async def run(self, interaction: discord.Interaction[Harbor]) -> None:
        """Validate, then run a round and report counts only."""
        guild = interaction.guild
        assert guild is not None
        channel_id = await self.config.channel(guild.id, "pairing")
        channel = guild.get_channel(channel_id) if channel_id else None
        if not isinstance(channel, discord.TextChannel):
            raise UserError(NO_CHANNEL)
        if not bot_can_pair(channel):
            raise UserError(FORBIDDEN)
        if await self.service.eligible_count(guild.id) < 2:
            raise UserError(
                "Fewer than 2 members are in peer pairing right now (paused members sit rounds out). "
                "Invite people to `/pairing join` first."
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            outcome = await self.runner.run(guild, f"manual:{interaction.id}")
        except NoPairingChannelError as exc:
            raise UserError(NO_CHANNEL) from exc
        except RoundForbiddenError as exc:
            raise UserError(PARTLY if exc.partial else FORBIDDEN) from exc
        await interaction.followup.send(_summary(outcome, channel), ephemeral=True)

    @pairing.command(name="stats", description="Admins: how pairing is going, as overall rates only.")
    @admin_only()
    async def stats(self, interaction: discord.Interaction[Harbor]) -> None:
        """Aggregate counts; rates suppressed below 5 respondents."""
        assert interaction.guild_id is not None
        stats = await self.service.stats(interaction.guild_id)
        rates = stats.rates
        embed = discord.Embed(title="Peer pairing", colour=discord.Colour.teal())
        embed.add_field(name="Members in pairing", value=str(stats.opted_in))
        embed.add_field(name="Rounds", value=str(rates.rounds))
        embed.add_field(name="Pairs and trios", value=str(rates.groups))
        if rates.suppressed:
            embed.add_field(
                name="Did people connect?",
                inline=False,
                value=(
                    f"Rates appear once at least {MIN_RESPONDENTS} people have answered the follow-up "
                    "(fewer so far), so no one's answer can be singled out."
                ),
            )
        else:
            embed.add_field(name="Connected", value=f"{rates.connected_percent or 0:.0f}% of pairs that answered")
            embed.add_field(name="Answered the follow-up", value=f"{rates.response_percent or 0:.0f}% of people")
        embed.set_footer(text="Aggregates only: Harbor never shows who was paired with whom, or anyone's answers.")
        await interaction.response.send_message(embed=embed, ephemeral=True)

    # -- scheduled rounds --------------------------------------------------------------------------

    async def on_round_timer(self, timer: Timer) -> None:
        """A scheduled round (a retry resumes the same round; a late one runs once)."""
        guild_id = int(timer.payload.get("guild_id") or timer.guild_id or 0)
        guild = self.runner.client.get_guild(guild_id)
        if guild is None:
            log.warning("pairing round timer %d: guild %d unavailable", timer.id, guild_id)
            return
        try:
            outcome = await self.runner.run(guild, f"timer:{timer.id}")
        except (NoPairingChannelError, RoundForbiddenError) as exc:
            log.warning("pairing round in guild %d could not run: %s", guild_id, type(exc).__name__)
            owner = await self.service.schedule_owner(guild_id)
            if owner:
                if isinstance(exc, NoPairingChannelError):
                    text = NO_CHANNEL
                elif exc.partial:
                    text = PARTLY
                else:
                    text = FORBIDDEN.replace("Nothing was changed.", "This round was skipped.")
                await self.notifier.dm(
                    owner,
                    purpose="pairing round failed",
                    guild_id=guild_id,
                    content=f"Peer pairing in **{guild.name}**: {text}",
                    nonce=timer_nonce(timer),
                )
            return
        log.info("pairing round timer %d done (round %s, late=%s)", timer.id, outcome.round_id, timer.late)


def _summary(outcome: Outcome, channel: discord.TextChannel) -> str:
    if outcome.round_id is None:
        return "Nobody in pairing is still in the server, so no round was run."
    groups = outcome.pairs + outcome.trios
    text = f"Round done: {groups} private thread(s) opened in {channel.mention}"
    if outcome.trios:
        text += f" ({outcome.pairs} pair(s) and {outcome.trios} trio)"
    text += "."
    if outcome.unpaired:
        text += f" {outcome.unpaired} member(s) couldn't be matched this time and were told kindly by DM."
    if outcome.gone:
        text += f" {outcome.gone} member(s) had left the server and were taken out of pairing."
    return text


async def setup(bot: Harbor) -> None:
    """Load the cog, its timers, its restart-proof buttons and its /mydata section."""
    services = bot.services
    repo = PairingRepository(services.db)
    service = PairingService(
        services.db, repo, services.guild_config, services.timers, services.profiles, services.clock
    )
    runner = RoundRunner(bot, service, services.guild_config, services.notifier)
    bot.provide(service)
    cog = Pairing(service, runner, services.guild_config, services.notifier)
    services.timers.register(ROUND_EVENT, cog.on_round_timer)
    services.timers.register(FOLLOW_UP_EVENT, runner.follow_up)
    services.mydata.register(
        DataSection(
            "pairing",
            service.export_user,
            service.erase_user,
            about=(
                "Peer pairing: whether you joined (and any pause), your own avoid list — seen by no one else, not "
                'the people on it and not admins — who you were paired with and when, and your "Did you '
                'connect?" answers. Admins see only overall rates (hidden below 5 answers). Kept until you '
                "use `/mydata delete`; `/pairing leave` just stops new rounds."
            ),
            kept=(
                "pairing: other members' private avoid lists may still hold your user id (their safeguard, shown "
                "to no one), the pairing threads you were in stay on Discord, and round counts stay as "
                "anonymous totals"
            ),
        )
    )
    bot.add_dynamic_items(FeedbackButton)
    await bot.add_cog(cog)


async def teardown(bot: Harbor) -> None:
    """Unregister the buttons."""
    bot.remove_dynamic_items(FeedbackButton)
