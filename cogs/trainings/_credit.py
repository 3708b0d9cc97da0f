"""The end of a training on Discord's side: names for the certificates, and the certificate DMs.

The database work (ended status, CE entry, stored PDF, verification code) is `AttendanceService.credit`;
this module looks up the names to print and sends each attendee their PDF through the Notifier (paced),
with one nonce per training and member so a DM re-sent after a crash arrives once.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from typing import TYPE_CHECKING

import discord

from bot.db.timers import Timer
from bot.db.trainings import Training
from bot.domain.trainings import format_hours
from bot.services.attendance import AttendanceService, Names
from bot.services.timers import base36
from cogs.trainings._ui import post_updater

if TYPE_CHECKING:
    from bot.app import Harbor

log = logging.getLogger(__name__)
# Several attendees at once, so one PDF is built while another's DM waits for the Notifier's pacing.
AWARDS_IN_FLIGHT = 4


def certificate_nonce(training_id: int, user_id: int) -> str:
    """One nonce per training and member (≤ 25 characters, as Discord requires)."""
    return f"c{base36(training_id)}u{base36(user_id)}"[:25]


class TrainingCredit:
    """Timer handlers for `training.end` and `training.credit`."""

    def __init__(self, bot: Harbor, service: AttendanceService) -> None:
        self.bot = bot
        self.service = service
        self._locks: dict[tuple[int, int], asyncio.Lock] = {}
        self._trainers: dict[int, str] = {}

    async def _name(self, guild: discord.Guild | None, user_id: int) -> str:
        """A member's server name by REST (Harbor has no member cache: it does not ask for that intent)."""
        if guild is not None:
            try:
                return (await guild.fetch_member(user_id)).display_name
            except discord.HTTPException:
                pass
        user = self.bot.get_user(user_id)
        return user.display_name if user else f"Member {user_id}"

    async def _trainer_name(self, guild: discord.Guild | None, training: Training) -> str:
        """The trainer's name, fetched once per training (not once per attendee)."""
        if training.id not in self._trainers:
            self._trainers[training.id] = await self._name(guild, training.trainer_id)
        return self._trainers[training.id]

    async def on_end(self, timer: Timer) -> None:
        """The training is over: mark it ended, credit every attendee and DM the certificates."""
        training = await self.service.end(int(timer.payload["training_id"]), timer.payload.get("ends_at"))
        if training is None:
            return
        with contextlib.suppress(RuntimeError):  # the cog is unloading: the post keeps its last state
            post_updater(self.bot).touch(training.id)  # the announcement's buttons turn off
        gate = asyncio.Semaphore(AWARDS_IN_FLIGHT)

        async def one(user_id: int) -> bool:
            async with gate:
                return await self.award(training, user_id, late=timer.late)

        rows = await self.service.attendees(training.id)
        results = await asyncio.gather(*(one(r.user_id) for r in rows), return_exceptions=True)
        failed = [r for r in results if isinstance(r, BaseException)]
        log.info("training %s ended; %d certificates sent, %d failed", training.id, results.count(True), len(failed))
        if failed:
            raise failed[0]  # the timer retries; credited attendees are skipped, so nobody is doubled

    async def on_credit(self, timer: Timer) -> None:
        """Attendance recorded after the end: credit that one member."""
        training = await self.service.training(int(timer.payload["training_id"]))
        if training is None or training.status != "ended":
            return
        await self.award(training, int(timer.payload["user_id"]), late=timer.late)

    async def award(self, training: Training, user_id: int, *, late: bool = False) -> bool:
        """Credit one attendee (once) and DM their certificate (once); returns whether a DM went out now."""
        lock = self._locks.setdefault((training.id, user_id), asyncio.Lock())
        async with lock:
            row = await self.service.attendee(training.id, user_id)
            if row is not None and row.credited_at is None:
                guild = self.bot.get_guild(training.guild_id)
                names = Names(
                    member=row.display_name or await self._name(guild, user_id),
                    trainer=await self._trainer_name(guild, training),
                    provider=guild.name if guild else "Harbor",
                )
                await self.service.credit(training, user_id, names)
                row = await self.service.attendee(training.id, user_id)
            if row is None or row.credited_at is None or row.dm_at is not None or row.certificate_id is None:
                return False
            data = await self.service.certificate(row.certificate_id)
            hours = (
                f" {format_hours(training.ce_hours)} CE hour(s) ({training.ce_category}) are logged in your record "
                "(`/ce entries`)."
                if training.ce_hours
                else ""
            )
            message = await self.bot.services.notifier.dm(
                user_id,
                purpose="training certificate",
                guild_id=training.guild_id,
                content=(
                    f"Thank you for attending “{training.title[:100]}”. Your certificate of attendance is attached;"
                    f"{hours} Verification code: `{row.verify_code}` (`/training verify`)."
                    + (" *(late — Harbor was offline)*" if late else "")
                ),
                file=discord.File(io.BytesIO(data), filename=f"certificate-{training.id}.pdf"),
                nonce=certificate_nonce(training.id, user_id),
            )
            await self.service.dm_sent(training.id, user_id)
            self._locks.pop((training.id, user_id), None)
            return message is not None
