"""The CE reminder DM: fired by durable one-shot timers `ce:reminder:<credential_id>:<days>`.

The handler re-checks everything before it sends: the credential may be gone, the requirements met,
the server's lead days or the member's time zone changed since the timer was planned. A daily sweep
re-plans a server's reminders when `/setup reminders` changed its lead days.
"""

from __future__ import annotations

import logging
from datetime import datetime, time
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

SWEEP_EVENT = "ce.sweep"
SWEEP_KEY = "ce:sweep"


def expiry_moment(credential: Credential, tz: str) -> datetime:
    """Midday on the expiry date in the member's zone, so Discord's date markup shows that very day."""
    return datetime.combine(credential.expires, time(12, 0), tzinfo=ZoneInfo(tz))


def reminder_embed(credential: Credential, progress: ce.Progress, tz: str, *, late: bool) -> discord.Embed:
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
    if progress.window_open:
        lines.append("Your renewal window is open.")
    lines.append("Log hours with `/ce log`; see everything with `/ce status`.")
    if late:
        lines.append("*(late — Harbor was offline)*")
    return discord.Embed(title="CE reminder", description="\n".join(lines), colour=discord.Colour.orange())


class CeReminders:
    """Timer handlers for CE reminders and the daily lead-days sweep; the service decides, this sends."""

    def __init__(self, service: CeService, notifier: Notifier) -> None:
        self.service = service
        self.notifier = notifier

    async def on_reminder(self, timer: Timer) -> None:
        """Send one reminder if it is still wanted; never log what is sent."""
        due = await self.service.reminder_to_send(timer)
        if due is None:
            return
        await self.notifier.dm(
            due.credential.user_id,
            purpose="CE reminder",
            guild_id=due.credential.guild_id,
            embed=reminder_embed(due.credential, due.progress, due.tz, late=timer.late),
            nonce=timer_nonce(timer),
        )
        log.info("ce reminder %s handled (credential %s, %s days)", timer.id, due.credential.id, timer.payload["days"])

    async def on_sweep(self, timer: Timer) -> None:
        """Re-plan every server whose lead days changed since its reminders were planned."""
        await self.service.reconcile_all()
