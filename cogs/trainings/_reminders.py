"""Durable training reminders: one timer per training and lead time, fanned out to Going members.

Timers live in the `timers` table (bot/services/timers.py), so a restart loses none; each DM carries a
per-member nonce derived from the timer, so a re-run after a crash does not double it. A reminder that
fires once the training has started is skipped.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.db.timers import Timer
from bot.db.trainings import Training
from bot.domain.clock import discord_timestamp
from bot.services.attendance import AttendanceService
from bot.services.timers import timer_nonce
from bot.services.trainings import TrainingService

if TYPE_CHECKING:
    from bot.app import Harbor

log = logging.getLogger(__name__)
REMIND_EVENT = "training.remind"


def _key_prefix(training_id: int) -> str:
    return f"training:{training_id}:remind:"


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


def member_nonce(timer: Timer, user_id: int) -> str:
    """One nonce per timer and member (Discord de-duplicates per author across channels; ≤ 25 chars)."""
    return f"{timer_nonce(timer)}{_base36(user_id)}"[:25]


class TrainingReminders:
    """Plans, re-plans and sends reminders."""

    def __init__(self, bot: Harbor, service: TrainingService) -> None:
        self.bot = bot
        self.service = service

    async def plan(self, training: Training) -> int:
        """(Re)queue this training's reminders at the server's lead times; returns how many are pending.

        Also (re)plans the end timer that credits attendees (`AttendanceService.replan`), so every caller of
        this hook (create, edit, cancel, `/setup reminders`) keeps both in step.
        """
        timers = self.bot.services.timers
        await self.bot.feature(AttendanceService).replan(training)  # the end timer moves with the training
        await timers.cancel_matching(event=REMIND_EVENT, key_prefix=_key_prefix(training.id))
        if training.status != "scheduled":
            return 0
        now = self.service.clock()
        planned = 0
        for hours in await self.bot.services.guild_config.training_reminder_hours(training.guild_id):
            due = training.starts_at - timedelta(hours=hours)
            if due <= now:
                continue
            await timers.create(
                REMIND_EVENT,
                due,
                {"training_id": training.id, "hours": hours, "starts_at": training.starts_at.isoformat()},
                guild_id=training.guild_id,
                key=f"{_key_prefix(training.id)}{hours}",
            )
            planned += 1
        return planned

    async def replan_guild(self, guild_id: int) -> None:
        """Lead times changed (`/setup reminders`): re-plan every upcoming training of the server."""
        for training in await self.service.upcoming(guild_id, limit=1000):
            await self.plan(training)

    async def on_remind(self, timer: Timer) -> None:
        """DM each Going member once; skipped when cancelled, moved or already started."""
        training = await self.service.get(int(timer.payload["training_id"]))
        if training is None or training.status != "scheduled":
            return
        if training.starts_at.isoformat() != timer.payload.get("starts_at"):
            return  # moved by an edit; the re-planned timer sends instead
        if self.service.clock() >= training.starts_at:
            log.info("training %s reminder %s skipped: already started", training.id, timer.id)
            return
        where = f"\nWhere: {training.location}" if training.location else ""
        content = (
            f"Reminder: “{training.title[:100]}” starts {discord_timestamp(training.starts_at, 'F')} "
            f"({discord_timestamp(training.starts_at, 'R')}).{where}"
        )
        sent = 0
        for user_id in await self.service.members(training.id, "going"):
            message = await self.bot.services.notifier.dm(
                user_id,
                purpose="training reminder",
                guild_id=training.guild_id,
                content=content,
                nonce=member_nonce(timer, user_id),
            )
            sent += message is not None
        log.info("training %s reminder %s sent to %d members", training.id, timer.id, sent)
