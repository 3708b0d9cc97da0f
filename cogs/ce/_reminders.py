"""The CE reminder DM: fired by durable one-shot timers `ce:reminder:<credential_id>:<days>`.

The handler re-checks everything before it sends: the credential may be gone, the requirements met,
the server's lead days or the member's time zone changed since the timer was planned. A daily sweep
re-plans a server's reminders when `/setup reminders` changed its lead days.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from datetime import datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo

import discord

from bot.db.ce import CeRepository, Credential
from bot.db.timers import Timer
from bot.domain import ce
from bot.domain.clock import discord_timestamp
from bot.services.ce import REMINDER_EVENT, CeService, reminder_key
from bot.services.notify import Notifier
from bot.services.timers import timer_nonce

log = logging.getLogger(__name__)


class TrainingLike(Protocol):
    """What a CE reminder shows of an upcoming training."""

    @property
    def id(self) -> int:
        """The training's id (for `/training info`)."""

    @property
    def title(self) -> str:
        """Its title."""

    @property
    def starts_at(self) -> datetime:
        """When it starts (aware UTC)."""

    @property
    def ce_hours(self) -> float:
        """CE hours it gives."""

    @property
    def ce_category(self) -> str:
        """Its CE category."""


# (guild id, missing categories, any category counts) → upcoming trainings that would count
TrainingFinder = Callable[[int, Collection[str], bool], Awaitable[Sequence[TrainingLike]]]

SWEEP_EVENT = "ce.sweep"
SWEEP_KEY = "ce:sweep"


def expiry_moment(credential: Credential, tz: str) -> datetime:
    """Midday on the expiry date in the member's zone, so Discord's date markup shows that very day."""
    return datetime.combine(credential.expires, time(12, 0), tzinfo=ZoneInfo(tz))


def reminder_embed(
    credential: Credential,
    progress: ce.Progress,
    tz: str,
    *,
    late: bool,
    trainings: Sequence[TrainingLike] = (),
) -> discord.Embed:
    """What the member reads: when it expires and exactly what is missing per category."""
    moment = expiry_moment(credential, tz)
    lines = [
        f"Your **{credential.template.name}** credential expires {discord_timestamp(moment, 'D')} "
        f"({discord_timestamp(moment, 'R')}).",
        "",
        "**Still missing this cycle:**",
    ]
    lines += [f"• {line}" for line in ce.describe_missing(progress.missing())]
    lines += [
        "",
        f"Logged so far: {ce.hours_text(progress.earned)} of {ce.hours_text(progress.required.total)} h "
        f"since {progress.start:%b} {progress.start.day}, {progress.start.year}.",
    ]
    if trainings:
        lines += ["", "**Upcoming trainings that would count:**"]
        lines += [
            f"• {discord_timestamp(t.starts_at, 'F')} — {t.title[:80]} · {ce.hours_text(round(t.ce_hours * 4))} h "
            f"{t.ce_category} · `/training info id:{t.id}`"
            for t in trainings
        ]
    if progress.window_open:
        lines.append("Your renewal window is open.")
    lines.append("Log hours with `/ce log`; see everything with `/ce status`.")
    if late:
        lines.append("*(late — Harbor was offline)*")
    return discord.Embed(title="CE reminder", description="\n".join(lines), colour=discord.Colour.orange())


class CeReminders:
    """Timer handlers for CE reminders and the daily lead-days sweep."""

    def __init__(
        self, service: CeService, repo: CeRepository, notifier: Notifier, trainings: TrainingFinder | None = None
    ) -> None:
        self.service = service
        self.repo = repo
        self.notifier = notifier
        self.trainings = trainings

    async def on_reminder(self, timer: Timer) -> None:
        """Send one reminder if it is still wanted; never log what is sent."""
        credential = await self.repo.credential(int(timer.payload["credential_id"]))
        days = int(timer.payload["days"])
        if credential is None or credential.user_id != timer.user_id:
            return
        await self.service.reconcile_guild(credential.guild_id)
        if days not in await self.service.config.ce_reminder_days(credential.guild_id):
            return
        tz = await self.service.profiles.timezone(credential.user_id)
        wanted_due = ce.reminder_due(credential.expires, days, tz)
        now = self.service.clock()
        if abs((wanted_due - timer.due_at).total_seconds()) >= 60 and wanted_due > now:
            # The member's time zone changed after planning: move it to 09:00 in the new zone. The live key is
            # this running row's, so the replacement carries a suffix (still under the credential's prefix).
            key = reminder_key(credential.id, days)
            pending = await self.service.timers.repo.find(event=REMINDER_EVENT, user_id=timer.user_id, key_prefix=key)
            if not any(t.key in (key, key + ":moved") for t in pending):  # a re-plan may have queued it already
                await self.service.timers.create(
                    REMINDER_EVENT,
                    wanted_due,
                    dict(timer.payload),
                    guild_id=timer.guild_id,
                    user_id=timer.user_id,
                    key=key + ":moved",
                )
            return
        standings = await self.service.standings(credential.user_id, credential.id)
        if not standings:
            return
        progress = standings[0].progress
        if progress.met or progress.expired:
            return
        missing = progress.missing()
        upcoming: Sequence[TrainingLike] = ()
        if self.trainings is not None and missing:
            categories = {name: q for name, q in missing.items() if name != "total"}
            # any category helps only when more total hours are missing than the category minimums add up to
            any_category = missing.get("total", 0) > sum(categories.values())
            upcoming = await self.trainings(credential.guild_id, list(categories), any_category)
        await self.notifier.dm(
            credential.user_id,
            purpose="CE reminder",
            guild_id=credential.guild_id,
            embed=reminder_embed(credential, progress, tz, late=timer.late, trainings=upcoming),
            nonce=timer_nonce(timer),
        )
        log.info("ce reminder %s handled (credential %s, %d days)", timer.id, credential.id, days)

    async def on_sweep(self, timer: Timer) -> None:
        """Re-plan every server whose lead days changed since its reminders were planned."""
        for guild_id in await self.repo.guilds_with_credentials():
            await self.service.reconcile_guild(guild_id)
