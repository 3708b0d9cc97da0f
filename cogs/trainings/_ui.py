"""Embeds and restart-proof buttons for trainings (the state is the database row, never the view)."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, ClassVar

import discord

from bot.app import feature_of, harbor_of
from bot.db.trainings import Counts, Training
from bot.domain.clock import discord_timestamp
from bot.domain.trainings import Draft, format_hours, format_minutes
from bot.services.trainings import RsvpResult, TrainingService
from bot.ui import IdButton, guarded

if TYPE_CHECKING:
    from bot.app import Harbor

log = logging.getLogger(__name__)
EDIT_INTERVAL = 1.0  # seconds between edits of one announcement (coalesced)


def training_embed(item: Draft | Training, counts: Counts | None = None, *, heading: str = "") -> discord.Embed:
    """The announcement (or preview) card."""
    cancelled = isinstance(item, Training) and item.status == "cancelled"
    title = f"{heading}{item.title}" if not cancelled else f"Cancelled: {item.title}"
    if isinstance(item, Training) and item.status == "ended":
        title = f"Ended: {item.title}"
    embed = discord.Embed(title=title[:256], description=item.description or None, colour=discord.Colour.blurple())
    when = f"{discord_timestamp(item.starts_at, 'F')} ({discord_timestamp(item.starts_at, 'R')})"
    embed.add_field(name="When", value=when, inline=False)
    embed.add_field(name="Duration", value=format_minutes(item.minutes))
    ce = f"{format_hours(item.ce_hours)} h · {item.ce_category}" if item.ce_hours else "none"
    embed.add_field(name="CE credit", value=ce)
    if item.location:
        embed.add_field(name="Where", value=item.location, inline=False)
    if counts is not None:
        seats = ""
        if item.capacity is not None:
            left = max(item.capacity - counts.going, 0)
            seats = f" · {left} of {item.capacity} seats left" if left else f" · full ({item.capacity} seats)"
        text = f"Going {counts.going} · Maybe {counts.maybe} · Can't go {counts.no}{seats}"
        if counts.waitlist:
            text += f" · {counts.waitlist} waitlisted"
        embed.add_field(name="Answers", value=text, inline=False)
    elif item.capacity is not None:
        embed.add_field(name="Seats", value=str(item.capacity))
    if isinstance(item, Training):
        embed.set_footer(text=f"Training #{item.id} · /training ics {item.id} adds it to your calendar")
    return embed


def rsvp_view(training: Training, counts: Counts) -> discord.ui.View:
    """Going (or Join waitlist when full) / Maybe / Can't go; disabled once cancelled."""
    view = discord.ui.View(timeout=None)
    full = training.capacity is not None and counts.going >= training.capacity
    for kind in (GoingButton, MaybeButton, CantGoButton):
        button = kind(training.id)
        if kind is GoingButton and full:
            button.item.label = "Join waitlist"
        button.item.disabled = training.status != "scheduled"
        view.add_item(button)
    return view


class _RsvpButton(IdButton, prefix="harbor:tr:rsvp"):
    """One answer on an announcement (the three subclasses below are registered, not this one)."""

    answer: ClassVar[str] = ""

    @guarded("training rsvp")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Record the answer, reply privately, queue a coalesced post edit, tell a promoted member."""
        result = await feature_of(interaction, TrainingService).rsvp(self.item_id, interaction.user.id, self.answer)
        await interaction.response.send_message(rsvp_reply(result), ephemeral=True)
        bot = harbor_of(interaction)
        post_updater(bot).touch(self.item_id)
        if result.promoted is not None:
            await tell_promoted(bot, result.training, result.promoted)


def rsvp_reply(result: RsvpResult) -> str:
    """The private reply to a click."""
    title = result.training.title[:100]
    if result.stored == "waitlist":
        return f"“{title}” is full: you are #{result.position} on the waitlist. I'll DM you if a seat frees up."
    return {
        "going": f"You're going to “{title}”.",
        "maybe": f"Marked as maybe for “{title}”.",
        "no": f"Marked as can't go for “{title}”.",
    }[result.stored]


class GoingButton(_RsvpButton, prefix="harbor:tr:going"):
    """Going (labelled "Join waitlist" when the training is full)."""

    answer = "going"
    label = "Going"
    style = discord.ButtonStyle.success


class MaybeButton(_RsvpButton, prefix="harbor:tr:maybe"):
    """Maybe."""

    answer = "maybe"
    label = "Maybe"
    style = discord.ButtonStyle.secondary


class CantGoButton(_RsvpButton, prefix="harbor:tr:no"):
    """Can't go."""

    answer = "no"
    label = "Can't go"
    style = discord.ButtonStyle.danger


async def tell_promoted(bot: Harbor, training: Training, user_id: int, *, changes: list[str] | None = None) -> None:
    """DM the member who just got a seat (with what an edit changed, if one freed it), and a give-back button."""
    view = discord.ui.View(timeout=None)
    view.add_item(ReleaseButton(training.id))
    changed = "".join(f"\n• {line}" for line in changes or [])
    if changed:
        changed = "\nThe training was just changed:" + changed
    await bot.services.notifier.dm(
        user_id,
        purpose="training waitlist",
        guild_id=training.guild_id,
        content=(
            f"A seat freed up: you're now going to “{training.title[:100]}” "
            f"({discord_timestamp(training.starts_at, 'F')}). If you can't make it, press the button so the next "
            f"person gets the seat.{changed}"
        )[:2000],
        view=view,
    )


class ReleaseButton(IdButton, prefix="harbor:tr:release"):
    """The "Can't make it" button in a promotion DM: gives the seat to the next one on the waitlist."""

    label = "Can't make it"
    style = discord.ButtonStyle.danger

    @guarded("training release")
    async def callback(self, interaction: discord.Interaction) -> None:
        """Only a member who is going can release; the seat moves on at once."""
        result = await feature_of(interaction, TrainingService).release(self.item_id, interaction.user.id)
        await interaction.response.edit_message(
            content="Seat released — thanks for letting the next person in.", view=None
        )
        bot = harbor_of(interaction)
        post_updater(bot).touch(self.item_id)
        if result.promoted is not None:
            await tell_promoted(bot, result.training, result.promoted)


class PostUpdater:
    """Edits each announcement at most once per EDIT_INTERVAL, from the database's current counts."""

    def __init__(self, bot: Harbor) -> None:
        self.bot = bot
        self._dirty: set[int] = set()
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self.edits = 0

    def touch(self, training_id: int) -> None:
        """Ask for a refresh; clicks within one interval share one edit."""
        self._dirty.add(training_id)
        if training_id not in self._tasks:
            self._tasks[training_id] = asyncio.create_task(self._run(training_id))

    async def _run(self, training_id: int) -> None:
        try:
            while training_id in self._dirty:
                self._dirty.discard(training_id)
                try:
                    await self.refresh(training_id)
                except Exception:  # a lost post must not stop later edits
                    log.exception("training %s: editing the announcement failed", training_id)
                await asyncio.sleep(EDIT_INTERVAL)
        finally:
            self._tasks.pop(training_id, None)

    async def refresh(self, training_id: int) -> None:
        """Edit the announcement now."""
        service = self.bot.feature(TrainingService)
        training = await service.get(training_id)
        if training is None or training.channel_id is None or training.message_id is None:
            return
        counts = await service.counts(training_id)
        channel = self.bot.get_partial_messageable(training.channel_id)
        await channel.get_partial_message(training.message_id).edit(
            embed=training_embed(training, counts), view=rsvp_view(training, counts)
        )
        self.edits += 1

    async def flush(self) -> None:
        """Wait for pending edits (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    def close(self) -> None:
        """Stop pending edits."""
        for task in self._tasks.values():
            task.cancel()


def post_updater(bot: Harbor) -> PostUpdater:
    """The updater the loaded Trainings cog owns (one per bot instance)."""
    cog = bot.get_cog("Trainings")
    updater = getattr(cog, "updater", None)
    if not isinstance(updater, PostUpdater):
        msg = "the trainings cog is not loaded"
        raise RuntimeError(msg)
    return updater


DYNAMIC_ITEMS = (GoingButton, MaybeButton, CantGoButton, ReleaseButton)
