"""Peer pairing use cases: membership, the confidential avoid list, the round schedule, feedback, rates.

No Discord objects: the cog passes ids and plain values and turns the results into replies. Opening
threads for a round is Discord work and lives in `cogs/pairing/_rounds.py`, which reads and writes the
same repository through `runner_repo`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import Enum

from bot.db.connection import Database
from bot.db.core import ProfileRepository
from bot.db.pairing import PairingRepository
from bot.domain.clock import Clock
from bot.domain.pairing import MAX_AVOIDS, PairingError, Rates, check_every_weeks, check_pause_weeks
from bot.domain.recurrence import WEEKDAYS, Recurrence, zone
from bot.services.guild_config import GuildConfig
from bot.services.timers import TimerService

ROUND_EVENT = "pairing.round"
FEEDBACK_ANSWERS = ("yes", "not_yet", "skip")


def schedule_key(guild_id: int) -> str:
    """The durable schedule of a server's rounds."""
    return f"pairing:round:{guild_id}"


class Joined(Enum):
    """What `/pairing join` changed."""

    NEW = "new"
    RESUMED = "resumed"
    ALREADY = "already"


@dataclass(frozen=True, slots=True)
class Schedule:
    """A server's round schedule as stored and shown."""

    every_weeks: int
    weekday: str
    at: str
    tz: str
    next_due: datetime | None


@dataclass(frozen=True, slots=True)
class Stats:
    """What admins may see: counts and rates (rates suppressed below the respondent floor)."""

    opted_in: int
    rates: Rates


class PairingService:
    """Everything pairing does that is not Discord I/O."""

    def __init__(
        self,
        db: Database,
        repo: PairingRepository,
        config: GuildConfig,
        timers: TimerService,
        profiles: ProfileRepository,
        clock: Clock,
    ) -> None:
        self.db = db
        self._repo = repo
        self.config = config
        self.timers = timers
        self.profiles = profiles
        self.clock = clock

    @property
    def runner_repo(self) -> PairingRepository:
        """The repository the round runner (Discord orchestration) shares with this service."""
        return self._repo

    # -- members -----------------------------------------------------------------------------------

    async def join(self, guild_id: int, user_id: int) -> Joined:
        """Opt in, or lift a pause."""
        before = await self._repo.membership(guild_id, user_id)
        await self._repo.join(guild_id, user_id, self.clock())
        if before is None:
            return Joined.NEW
        if before.paused_until and before.paused_until > self.clock():
            return Joined.RESUMED
        return Joined.ALREADY

    async def leave(self, guild_id: int, user_id: int) -> None:
        """Opt out; refused when not in pairing."""
        if not await self._repo.leave(guild_id, user_id):
            msg = "You're not in peer pairing, so there's nothing to leave. Join with `/pairing join`."
            raise PairingError(msg)

    async def pause(self, guild_id: int, user_id: int, weeks: int) -> datetime:
        """Skip rounds for `weeks` (1–12); returns when the pause ends."""
        check_pause_weeks(weeks)
        until = self.clock() + timedelta(weeks=weeks)
        if not await self._repo.pause(guild_id, user_id, until):
            msg = "You haven't joined peer pairing, so there's nothing to pause. Join with `/pairing join`."
            raise PairingError(msg)
        return until

    async def avoid(self, guild_id: int, user_id: int, avoided_id: int, *, avoided_is_bot: bool) -> bool:
        """Add to the confidential avoid list; False when already there."""
        if avoided_id == user_id:
            msg = "You can't avoid yourself 🙂 — pick another member, e.g. `/pairing avoid @someone`."
            raise PairingError(msg)
        if avoided_is_bot:
            msg = "Bots are never paired, so there's no need to avoid one. Pick a person instead."
            raise PairingError(msg)
        if await self._repo.count_avoids(guild_id, user_id) >= MAX_AVOIDS:
            msg = f"Your avoid list is full ({MAX_AVOIDS}). Remove someone with `/pairing unavoid` first."
            raise PairingError(msg)
        return await self._repo.add_avoid(guild_id, user_id, avoided_id, self.clock())

    async def unavoid(self, guild_id: int, user_id: int, avoided_id: int, *, mention: str) -> None:
        """Remove from the avoid list; refused when not on it."""
        if not await self._repo.remove_avoid(guild_id, user_id, avoided_id):
            msg = f"{mention} isn't on your avoid list, so there's nothing to remove."
            raise PairingError(msg)

    async def record_feedback(self, group_id: int, user_id: int, answer: str) -> bool:
        """Store a member's "Did you connect?" answer; False when they were not in that group."""
        if answer not in FEEDBACK_ANSWERS:
            msg = "That answer isn't one of the buttons."
            raise PairingError(msg)
        group = await self._repo.group(group_id)
        if group is None or user_id not in group.members:
            return False
        await self._repo.record_feedback(group_id, user_id, answer, self.clock())
        return True

    # -- admins ------------------------------------------------------------------------------------

    async def next_round(self, guild_id: int) -> datetime | None:
        """When the next scheduled round runs, if a schedule exists."""
        return await self.timers.next_due(schedule_key(guild_id))

    async def configure(
        self, guild_id: int, channel_id: int, every_weeks: int, weekday: int, at_time: time, *, by: int
    ) -> Schedule:
        """Validate, then store the channel and the durable schedule in one transaction (weekday: Monday=0)."""
        check_every_weeks(every_weeks)
        if not 0 <= weekday <= 6:
            msg = "A weekday is monday … sunday."
            raise PairingError(msg)
        day = weekday
        at = at_time.strftime("%H:%M")
        tz = await self.profiles.timezone(by)
        first = Recurrence("weekly", at, tz, weekday=day).next_after(self.clock())
        # The anchor is the week of the first round, so "every N weeks" counts from there.
        recurrence = Recurrence(
            "every_weeks",
            at,
            tz,
            weekday=day,
            interval=every_weeks,
            anchor=first.astimezone(zone(tz)).date().isoformat(),
        )
        async with self.db.transaction():
            await self.config.set(guild_id, "channel.pairing", channel_id, by=by)
            await self.config.set(
                guild_id,
                "pairing.schedule",
                {"every_weeks": every_weeks, "weekday": WEEKDAYS[day], "at": at, "tz": tz, "by": by},
                by=by,
            )
            await self.timers.schedule(
                ROUND_EVENT, recurrence, {"guild_id": guild_id}, key=schedule_key(guild_id), guild_id=guild_id
            )
        return Schedule(every_weeks, WEEKDAYS[day], at, tz, await self.next_round(guild_id))

    async def schedule_owner(self, guild_id: int) -> int | None:
        """The admin who set the schedule (told when a scheduled round cannot run)."""
        schedule = await self.config.get(guild_id, "pairing.schedule") or {}
        by = schedule.get("by")
        return int(by) if by else None

    async def eligible_count(self, guild_id: int) -> int:
        """Members who would be paired in a round now (paused members sit out)."""
        return len(await self._repo.eligible(guild_id, self.clock()))

    async def stats(self, guild_id: int) -> Stats:
        """Aggregate counts and rates."""
        return Stats(await self._repo.count_members(guild_id), await self._repo.rates(guild_id))
