"""Peer pairing use cases: membership, the confidential avoid list, the round schedule, rounds, feedback, rates.

No Discord objects: the cog passes ids and plain values and turns the results into replies. Opening
threads for a round is Discord work and lives in `cogs/pairing/_rounds.py`; every record it keeps
(the planned round, thread ids, who left, who was told) goes through the round methods here.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import Enum
from typing import Any

from bot.db.connection import Database
from bot.db.core import ProfileRepository
from bot.db.pairing import Group, PairingRepository, Round
from bot.domain import icebreakers
from bot.domain.clock import Clock
from bot.domain.pairing import (
    FOLLOW_UP_DAYS,
    HISTORY_ROUNDS,
    MAX_AVOIDS,
    PairingError,
    Rates,
    check_every_weeks,
    check_pause_weeks,
    make_groups,
)
from bot.domain.recurrence import WEEKDAYS, Recurrence, zone
from bot.services.guild_config import GuildConfig
from bot.services.timers import TimerService

ROUND_EVENT = "pairing.round"
FOLLOW_UP_EVENT = "pairing.followup"
FEEDBACK_ANSWERS = ("yes", "not_yet", "skip")

log = logging.getLogger(__name__)


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

    # -- rounds (the records; `cogs/pairing/_rounds.py` does the Discord part) ---------------------------

    async def round_to_finish(self, guild_id: int, key: str) -> Round | None:
        """The round with this key, or one Discord interrupted in this server: it is finished before a new one."""
        return await self._repo.round_by_key(key) or await self._repo.unfinished_round(guild_id)

    async def candidates(self, guild_id: int) -> list[int]:
        """Members opted in and not paused, before the still-in-the-server check."""
        return await self._repo.eligible(guild_id, self.clock())

    async def drop_departed(self, guild_id: int, user_ids: list[int]) -> None:
        """Members who left the server: their opt-in ends."""
        for user_id in user_ids:
            await self._repo.leave(guild_id, user_id)

    async def plan_round(self, guild_id: int, key: str, channel_id: int, present: list[int]) -> Round:
        """Match the present members (avoid lists and recent history respected) and store the round, no thread yet."""
        seed = round_seed(key)
        grouping = make_groups(
            present,
            await self._repo.avoid_pairs(guild_id),
            await self._repo.recent_pairs(guild_id, HISTORY_ROUNDS),
            seed,
        )
        planned = [(g, icebreakers.pick(seed + i)) for i, g in enumerate(grouping.groups)]
        round_ = await self._repo.create_round(
            guild_id, key, channel_id, seed, self.clock(), planned, grouping.unpaired
        )
        log.info(
            "pairing round %d in guild %d: %d groups, %d unpaired, %d repeats",
            round_.id,
            guild_id,
            len(planned),
            len(grouping.unpaired),
            grouping.repeats,
        )
        return round_

    async def groups(self, round_id: int) -> list[Group]:
        """A round's groups, in order."""
        return await self._repo.groups(round_id)

    async def group(self, group_id: int) -> Group | None:
        """One group."""
        return await self._repo.group(group_id)

    async def abandon_if_untouched(self, round_id: int) -> bool:
        """After Discord refused a thread: delete the round if no thread exists yet; True when some do (partial)."""
        partial = any(g.thread_id for g in await self._repo.groups(round_id))
        if not partial:
            await self._repo.delete_round(round_id)  # nothing happened on Discord: leave no trace
        return partial

    async def thread_opened(self, group_id: int, thread_id: int) -> None:
        """Record a group's thread the moment Discord returns it (a retry then reuses it)."""
        await self._repo.set_thread(group_id, thread_id)

    async def member_gone(self, guild_id: int, group_id: int, user_id: int) -> None:
        """Someone left the server before their thread opened: out of the group and out of pairing."""
        await self._repo.drop_group_member(group_id, user_id)
        await self._repo.leave(guild_id, user_id)

    async def group_opened(self, guild_id: int, round_: Round, group_id: int) -> None:
        """Plan the "Did you connect?" follow-up (idempotent by key)."""
        await self.timers.create(
            FOLLOW_UP_EVENT,
            round_.started_at + timedelta(days=FOLLOW_UP_DAYS),
            {"group_id": group_id},
            guild_id=guild_id,
            key=f"pairing:followup:{group_id}",
        )

    async def set_group_status(self, group_id: int, status: str) -> None:
        """Pending → open (welcome sent) → asked (follow-up sent, or nobody left to ask)."""
        await self._repo.set_group_status(group_id, status)

    async def unpaired_to_tell(self, round_id: int) -> list[int]:
        """Unmatched members not yet told (a retry tells nobody twice)."""
        return await self._repo.untold_unpaired(round_id)

    async def told_unpaired(self, round_id: int, user_id: int) -> None:
        """An unmatched member was told."""
        await self._repo.mark_told(round_id, user_id, self.clock())

    async def finish_round(self, round_id: int) -> int:
        """Mark the round done; returns how many were left unmatched."""
        await self._repo.finish_round(round_id, self.clock())
        return await self._repo.count_unpaired(round_id)

    async def unpaired_count(self, round_id: int) -> int:
        """How many were left unmatched in a round."""
        return await self._repo.count_unpaired(round_id)

    # -- /mydata (the data section calls these; the repository stays the service's own) -------------------

    async def export_user(self, user_id: int) -> dict[str, Any]:
        """Everything this feature stores about the member (`/mydata export`)."""
        return await self._repo.export_user(user_id)

    async def erase_user(self, user_id: int) -> int:
        """Erase what this feature stores about the member (`/mydata delete`); returns the rows removed."""
        return await self._repo.erase_user(user_id)


def round_seed(key: str) -> int:
    """A round's matching seed, from its key (a retry matches the same way)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:6], "big")
