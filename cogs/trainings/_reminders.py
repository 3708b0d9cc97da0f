"""Durable training reminders: one timer per training and lead time, fanned out to Going members.

Timers live in the `timers` table (bot/services/timers.py) and are planned by `TrainingService.replan`,
so a restart loses none. The fan-out records each member it reached (`training_reminders_sent`), so a
run cut short by a crash resumes with the members not yet reached; each DM also carries a per-member
nonce derived from the timer, so the one DM that may have left just before the crash and before its
record is not doubled either. A reminder that fires once the training has started is skipped.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from bot.db.timers import Timer
from bot.db.trainings import Training
from bot.domain.clock import discord_timestamp
from bot.services.timers import base36, timer_nonce
from bot.services.trainings import REMIND_EVENT, TrainingService

if TYPE_CHECKING:
    from bot.app import Harbor

__all__ = ["REMIND_EVENT", "TrainingReminders", "member_nonce"]

log = logging.getLogger(__name__)
SENDERS = 4  # DMs in flight at once; the Notifier's pacer keeps the rate under Discord's global limit


def member_nonce(timer: Timer, user_id: int) -> str:
    """One nonce per timer and member (Discord de-duplicates per author across channels; ≤ 25 chars)."""
    return f"{timer_nonce(timer)}{base36(user_id)}"[:25]


def reminder_text(training: Training, *, late: bool) -> str:
    """The reminder DM: title, start as Discord timestamps, the link, and a note when it is late."""
    where = f"\nWhere: {training.location}" if training.location else ""
    note = "\n*(late — Harbor was offline)*" if late else ""
    return (
        f"Reminder: “{training.title[:100]}” starts {discord_timestamp(training.starts_at, 'F')} "
        f"({discord_timestamp(training.starts_at, 'R')}).{where}{note}"
    )


class TrainingReminders:
    """Sends the reminders `TrainingService.replan` planned."""

    def __init__(self, bot: Harbor, service: TrainingService) -> None:
        self.bot = bot
        self.service = service

    async def on_remind(self, timer: Timer) -> None:
        """DM each Going member not yet reached by this timer; skipped when cancelled, moved or started."""
        found = await self.service.reminder_targets(timer)
        if found is None:
            log.info("training reminder %s skipped (cancelled, moved or started)", timer.id)
            return
        training, targets = found
        content = reminder_text(training, late=timer.late)
        queue: asyncio.Queue[int] = asyncio.Queue()
        for user_id in targets:
            queue.put_nowait(user_id)
        sent = 0

        async def sender() -> None:
            nonlocal sent
            while not queue.empty():
                user_id = queue.get_nowait()
                message = await self.bot.services.notifier.dm(
                    user_id,
                    purpose="training reminder",
                    guild_id=training.guild_id,
                    content=content,
                    nonce=member_nonce(timer, user_id),
                )
                # recorded even when the DM could not be delivered (closed DMs): a re-run would fail the same way
                await self.service.mark_reminded(timer, training, user_id)
                sent += message is not None

        await asyncio.gather(*(sender() for _ in range(min(SENDERS, len(targets)))))
        await self.service.prune_reminded()
        log.info("training %s reminder %s sent to %d of %d members", training.id, timer.id, sent, len(targets))
