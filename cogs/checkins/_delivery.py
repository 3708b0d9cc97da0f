"""Timer handlers: the scheduled prompt DM and its one gentle nudge.

Delivery: a prompt row is keyed by its timer firing, so a handler re-run after a crash finds it again;
it is sent only while `sent_at` is empty, with the timer's nonce, so Discord drops a duplicate of a
send that raced the crash. Closed DMs (403) are recorded by the Notifier (the member hears about it on
their next command); the prompt is marked undelivered and nothing retries it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import discord

from bot.db.timers import Timer
from bot.domain import checkins as rules
from bot.services.timers import timer_nonce
from cogs.checkins._service import NUDGE_EVENT, CheckinService, nudge_key, schedule_key
from cogs.checkins._ui import mood_view

log = logging.getLogger(__name__)

LATE = " *(late — Harbor was offline)*"


def prompt_text(late: bool) -> str:
    """The prompt DM (no personal data in it)."""
    return ("🌿 Time for your check-in — how are you feeling right now?" + (LATE if late else "")
            + "\n-# Only you see your answers. `/checkin pause` for a break, `/checkin schedule off` to stop.")


NUDGE_TEXT = ("🌱 A gentle nudge — no pressure. If you have a moment, how are you feeling today?\n"
              "-# This is the only reminder for this check-in.")


PROMPT_RATE = 48.0  # requests/s: under Discord's global 50/s, leaving a little for everything else


class Pacer:
    """A token bucket that spaces scheduled DMs under the global rate limit.

    discord.py only reacts to 429s; when thousands of prompts come due at once, reacting means
    hundreds of 429s, and each counts against Discord's 10,000-invalid-requests-per-10-minutes ban.
    Spacing the requests ourselves keeps the 429 count near zero at the same throughput.
    """

    def __init__(self, rate: float = PROMPT_RATE) -> None:
        self.interval = 1.0 / rate
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def take(self, requests: int = 1) -> None:
        """Wait until `requests` more requests fit under the rate."""
        async with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + requests * self.interval
            if start > now:
                await asyncio.sleep(start - now)


class Delivery:
    """Handlers for `checkin.prompt` and `checkin.nudge` timers."""

    def __init__(self, service: CheckinService, client: discord.Client, pacer: Pacer | None = None) -> None:
        self.service = service
        self.client = client
        self.pacer = pacer or Pacer()
        # "Late" is said only of prompts that came due before this process started (Harbor was offline),
        # not of ones a large backlog delayed by a few minutes while Harbor was running.
        self.online_since = service.clock()

    def offline_late(self, timer: Timer) -> bool:
        """Whether the timer came due while Harbor was offline and fires late."""
        return timer.late and timer.due_at < self.online_since

    async def send(self, user_id: int, channel_id: int | None, *, purpose: str, guild_id: int | None,
                   **send: Any) -> discord.Message | None:
        """A paced DM: straight to the member's known DM channel (one request), else through the Notifier.

        For a known channel this mirrors `Notifier.dm`: no attempt while an undelivered DM is waiting to be
        mentioned, and a 403 is recorded for the member's next command.
        """
        notifier = self.service.notifier
        if channel_id is None:
            await self.pacer.take(2)  # open the DM channel, then send
            return await notifier.dm(user_id, purpose=purpose, guild_id=guild_id, **send)
        if await notifier.failures.has_unnotified(user_id):
            return None
        await self.pacer.take(1)
        channel = self.client.get_partial_messageable(channel_id, type=discord.ChannelType.private)
        try:
            return await channel.send(**send)
        except discord.Forbidden:
            log.info("DM to user %s refused (%s); recorded", user_id, purpose)
            await notifier.failures.record(user_id, guild_id, purpose, self.service.clock())
            return None
        except discord.NotFound:  # the channel is gone: open a fresh one
            await self.pacer.take(2)
            return await notifier.dm(user_id, purpose=purpose, guild_id=guild_id, **send)

    async def on_prompt(self, timer: Timer) -> None:
        """Open the firing's prompt, count earlier unanswered ones as missed, DM the mood buttons."""
        user_id = timer.user_id
        if user_id is None:
            return
        service, repo = self.service, self.service.repo
        now = service.clock()
        prefs = await repo.prefs(user_id)
        if prefs.cadence == "off" or prefs.paused(now):
            return  # paused: no prompt, and so nothing can be counted as missed
        if await service.follow_timezone(prefs):
            return  # this firing was at the old zone's wall-clock time; the next one is at the new zone's
        late = self.offline_late(timer)
        prompt, missed = await repo.open_prompt(user_id, timer.guild_id, timer.id, timer.due_at, late, now)
        wanted = prefs.tell_buddy_missed
        if missed and wanted and prefs.missed_in_row < wanted <= prefs.missed_in_row + missed:
            await service.tell_buddy(user_id)
        if prompt.sent_at is not None or prompt.status != "open":
            return  # a re-run after the DM went out
        message = await self.send(
            user_id, prefs.dm_channel_id, purpose="check-in prompt", guild_id=timer.guild_id,
            content=prompt_text(late), view=mood_view(user_id, prompt.id), nonce=timer_nonce(timer),
        )
        if message is None:
            await repo.mark_undelivered(prompt.id)
            return
        sent = service.clock()
        await repo.mark_sent(prompt.id, sent)
        if prefs.dm_channel_id != message.channel.id:
            await repo.set_dm_channel(user_id, message.channel.id)
        schedule = await service.timers.repo.get_schedule(schedule_key(user_id))
        following = schedule.recurrence.next_after(max(timer.due_at, sent)) if schedule and schedule.active else None
        await service.timers.create(NUDGE_EVENT, rules.nudge_due(sent, following), {"prompt": prompt.id},
                                    guild_id=timer.guild_id, user_id=user_id, key=nudge_key(prompt.id))

    async def on_nudge(self, timer: Timer) -> None:
        """One gentle nudge for a delivered prompt still unanswered; nothing while paused or stopped."""
        user_id = timer.user_id
        prompt_id = int(timer.payload.get("prompt", 0))
        if user_id is None or not prompt_id or self.offline_late(timer):
            return  # a nudge that came due while Harbor was offline has lost its moment: drop it
        service, repo = self.service, self.service.repo
        now = service.clock()
        prefs = await repo.prefs(user_id)
        prompt = await repo.prompt(prompt_id)
        if prompt is None or prompt.status != "open" or prompt.sent_at is None:
            return
        if prefs.cadence == "off" or prefs.paused(now):
            return
        if prompt.nudged_at is None:
            await repo.claim_nudge(prompt_id, now)
        # A re-run (crash or retry) sends with the same nonce, which Discord de-duplicates.
        await self.send(user_id, prefs.dm_channel_id, purpose="check-in nudge", guild_id=prompt.guild_id,
                        content=NUDGE_TEXT, view=mood_view(user_id, prompt_id), nonce=timer_nonce(timer))
