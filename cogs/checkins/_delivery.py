"""Timer handlers: the scheduled prompt DM and its one gentle nudge.

Delivery: a prompt row is keyed by its timer firing, so a handler re-run after a crash finds it again;
it is sent only while `sent_at` is empty, with the timer's nonce, so Discord drops a duplicate of a
send that raced the crash. DMs go through the core Notifier, which paces them under the global rate
limit, costs one request each (stored DM channel) and records closed DMs (403; the member hears about
it on their next command); the prompt is then marked undelivered and nothing retries it.
"""

from __future__ import annotations

import logging

from bot.db.timers import Timer
from bot.domain import checkins as rules
from bot.services.checkins import NUDGE_EVENT, CheckinService, nudge_key, schedule_key
from bot.services.timers import timer_nonce
from cogs.checkins._ui import mood_view

log = logging.getLogger(__name__)

LATE = " *(late — Harbor was offline)*"


def prompt_text(late: bool) -> str:
    """The prompt DM (no personal data in it)."""
    return (
        "🌿 Time for your check-in — how are you feeling right now?"
        + (LATE if late else "")
        + "\n-# Only you see your answers. `/checkin pause` for a break, `/checkin schedule off` to stop."
    )


NUDGE_TEXT = (
    "🌱 A gentle nudge — no pressure. If you have a moment, how are you feeling today?\n"
    "-# This is the only reminder for this check-in."
)


class Delivery:
    """Handlers for `checkin.prompt` and `checkin.nudge` timers."""

    def __init__(self, service: CheckinService) -> None:
        self.service = service

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
        late = timer.late
        prompt, missed = await repo.open_prompt(user_id, timer.guild_id, timer.id, timer.due_at, late, now)
        wanted = prefs.tell_buddy_missed
        if missed and wanted and prefs.missed_in_row < wanted <= prefs.missed_in_row + missed:
            await service.tell_buddy(user_id)
        if prompt.sent_at is not None or prompt.status != "open":
            return  # a re-run after the DM went out
        message = await service.notifier.dm(
            user_id,
            purpose="check-in prompt",
            guild_id=timer.guild_id,
            content=prompt_text(late),
            view=mood_view(user_id, prompt.id),
            nonce=timer_nonce(timer),
        )
        if message is None:
            await repo.mark_undelivered(prompt.id)
            return
        sent = service.clock()
        await repo.mark_sent(prompt.id, sent)
        schedule = await service.timers.repo.get_schedule(schedule_key(user_id))
        following = schedule.recurrence.next_after(max(timer.due_at, sent)) if schedule and schedule.active else None
        await service.timers.create(
            NUDGE_EVENT,
            rules.nudge_due(sent, following),
            {"prompt": prompt.id},
            guild_id=timer.guild_id,
            user_id=user_id,
            key=nudge_key(prompt.id),
        )

    async def on_nudge(self, timer: Timer) -> None:
        """One gentle nudge for a delivered prompt still unanswered; nothing while paused or stopped."""
        user_id = timer.user_id
        prompt_id = int(timer.payload.get("prompt", 0))
        if user_id is None or not prompt_id or timer.late:
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
        await service.notifier.dm(
            user_id,
            purpose="check-in nudge",
            guild_id=prompt.guild_id,
            content=NUDGE_TEXT,
            view=mood_view(user_id, prompt_id),
            nonce=timer_nonce(timer),
        )
