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

from bot.db.ce import Credential
from bot.db.timers import Timer
from bot.domain import ce
from bot.domain.clock import discord_timestamp
from bot.services.ce import CeService
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
    """Timer handlers for CE reminders and the daily lead-days sweep; the service decides, this sends."""

    def __init__(self, service: CeService, notifier: Notifier, trainings: TrainingFinder | None = None) -> None:
        self.service = service
        self.notifier = notifier
        self.trainings = trainings

    async def on_reminder(self, timer: Timer) -> None:
        """Send one reminder if it is still wanted; never log what is sent."""
        due = await self.service.reminder_to_send(timer)
        if due is None:
            return
        missing = due.progress.missing()
        upcoming: Sequence[TrainingLike] = ()
        if self.trainings is not None and missing:
            categories = {name: q for name, q in missing.items() if name != "total"}
            # any category helps only when more total hours are missing than the category minimums add up to
            any_category = missing.get("total", 0) > sum(categories.values())
            upcoming = await self.trainings(due.credential.guild_id, list(categories), any_category)
        await self.notifier.dm(
            due.credential.user_id,
            purpose="CE reminder",
            guild_id=due.credential.guild_id,
            embed=reminder_embed(due.credential, due.progress, due.tz, late=timer.late, trainings=upcoming),
            nonce=timer_nonce(timer),
        )
        log.info("ce reminder %s handled (credential %s, %s days)", timer.id, due.credential.id, timer.payload["days"])

    async def on_sweep(self, timer: Timer) -> None:
        """Re-plan every server whose lead days changed since its reminders were planned."""
        await self.service.reconcile_all()
