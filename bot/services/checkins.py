"""Check-in orchestration: record, schedule, pause, buddies and summaries over the repository and timers.

No Discord types here: DMs go through the Notifier with plain text, so the rules can be read (and
tested) without a client. The cog and the DM buttons are thin adapters over this service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.db.checkin_buddies import BuddyLink
from bot.db.checkins import Checkin, CheckinRepository, MemberPrefs
from bot.domain import checkins as rules
from bot.domain.clock import Clock
from bot.domain.recurrence import WEEKDAYS
from bot.errors import UserError

if TYPE_CHECKING:
    from bot.db.core import ProfileRepository
    from bot.services.guild_config import GuildConfig
    from bot.services.notify import Notifier
    from bot.services.timers import TimerService

PROMPT_EVENT = "checkin.prompt"
NUDGE_EVENT = "checkin.nudge"
MAX_PENDING_INVITES = 3


def schedule_key(user_id: int) -> str:
    """The durable schedule of one member's prompts."""
    return f"checkin:{user_id}"


def nudge_key(prompt_id: int) -> str:
    """The one nudge of one prompt (trailing colon: prefix 1: never matches 10:)."""
    return f"checkin-nudge:{prompt_id}:"


class Told(Enum):
    """What happened when a member's buddy was to be told."""

    TOLD = "told"
    NO_BUDDY = "no buddy"
    TOO_SOON = "too soon"
    UNDELIVERED = "undelivered"


@dataclass(frozen=True, slots=True)
class RecordResult:
    """A saved check-in and what the reply needs to say."""

    checkin_id: int
    mood: int
    streak: str
    duplicate: bool
    low: bool
    guild_id: int | None
    has_buddy: bool
    told: Told | None  # set when the member's settings tell the buddy about low moods automatically


@dataclass(frozen=True, slots=True)
class History:
    """A member's check-ins over a window, with average and streak."""

    days: int
    tz: str
    checkins: list[Checkin]
    average: float | None
    streak: str


def buddy_message(user_id: int) -> str:
    """All a buddy ever learns: no scores, no notes, no reason."""
    return (
        f"💙 <@{user_id}> might appreciate a check-in from you — a short hello goes a long way.\n"
        "-# You get this because you are their Harbor check-in buddy."
    )


class CheckinService:
    """The check-in rules over storage, timers and DMs."""

    def __init__(
        self,
        repo: CheckinRepository,
        timers: TimerService,
        profiles: ProfileRepository,
        config: GuildConfig,
        notifier: Notifier,
        clock: Clock,
    ) -> None:
        self.repo = repo
        self.timers = timers
        self.profiles = profiles
        self.config = config
        self.notifier = notifier
        self.clock = clock

    # -- answering ---------------------------------------------------------------------------------

    async def local_today(self, user_id: int, now: datetime) -> tuple[str, datetime]:
        """The member's zone and local time now."""
        tz = await self.profiles.timezone(user_id)
        return tz, now.astimezone(ZoneInfo(tz))

    async def streak(self, user_id: int, prefs: MemberPrefs | None = None) -> str:
        """The member's current streak, in their cadence's unit."""
        prefs = prefs or await self.repo.prefs(user_id)
        _, local = await self.local_today(user_id, self.clock())
        cadence = prefs.cadence if prefs.cadence != "off" else "daily"
        days = await self.repo.local_dates(user_id, local.date() - timedelta(days=800))
        return rules.streak_text(rules.streak(days, local.date(), cadence), cadence)

    async def record(self, user_id: int, guild_id: int | None, mood: int, prompt_id: int | None) -> RecordResult:
        """Save a mood (answering open prompts and cancelling their nudges); tell the buddy only if chosen."""
        rules.check_mood(mood)
        now = self.clock()
        _, local = await self.local_today(user_id, now)
        saved = await self.repo.record(user_id, guild_id, mood, prompt_id, local.date(), now)
        for answered in saved.answered_prompts:
            await self.timers.cancel_matching(event=NUDGE_EVENT, user_id=user_id, key_prefix=nudge_key(answered))
        prefs = await self.repo.prefs(user_id)
        checkin = await self.repo.get(user_id, saved.checkin_id)
        guild = checkin.guild_id if checkin else guild_id
        low = mood <= rules.LOW_MOOD and not saved.duplicate
        has_buddy = await self.repo.buddy_of(user_id) is not None
        told = None
        if low and has_buddy and prefs.tell_buddy_low:
            told = await self.tell_buddy(user_id)
        if saved.duplicate and checkin is not None:
            mood = checkin.mood
        return RecordResult(
            saved.checkin_id, mood, await self.streak(user_id, prefs), saved.duplicate, low, guild, has_buddy, told
        )

    async def set_note(self, user_id: int, checkin_id: int, text: str) -> bool:
        """Attach a private note (validated) to one of the member's own check-ins; False when it was left empty."""
        note = rules.check_note(text)
        if await self.repo.get(user_id, checkin_id) is None:
            raise UserError("That check-in is not yours, or it was erased.")
        await self.repo.set_note(user_id, checkin_id, note)
        return note is not None

    async def tell_buddy(self, user_id: int) -> Told:
        """DM the member's buddy "X might appreciate a check-in" — at most once per BUDDY_TELL_EVERY."""
        buddy = await self.repo.buddy_of(user_id)
        if buddy is None:
            return Told.NO_BUDDY
        now = self.clock()
        if not await self.repo.claim_buddy_tell(user_id, now, now - rules.BUDDY_TELL_EVERY):
            return Told.TOO_SOON
        sent = await self.notifier.dm(buddy, purpose="check-in buddy note", content=buddy_message(user_id))
        return Told.TOLD if sent is not None else Told.UNDELIVERED

    # -- scheduling --------------------------------------------------------------------------------

    async def set_schedule(
        self, user_id: int, guild_id: int | None, cadence: str, at: str, weekday: str | None
    ) -> tuple[rules.ScheduleRequest, str, datetime | None]:
        """Validate, store and (re)schedule; returns the request, the zone and the next prompt."""
        tz = await self.profiles.timezone(user_id)
        request = rules.parse_schedule(cadence, at, weekday, tz)
        now = self.clock()
        async with self.repo.db.transaction():
            await self.repo.set_schedule(
                user_id, guild_id, request.cadence, request.at, request.weekday, tz if request.recurrence else None, now
            )
            if request.recurrence is None:
                await self.timers.unschedule(schedule_key(user_id))
                await self.timers.cancel_matching(event=NUDGE_EVENT, user_id=user_id)
                return request, tz, None
            await self.timers.schedule(
                PROMPT_EVENT, request.recurrence, key=schedule_key(user_id), guild_id=guild_id, user_id=user_id
            )
        return request, tz, await self.timers.next_due(schedule_key(user_id))

    async def follow_timezone(self, prefs: MemberPrefs) -> bool:
        """Keep a schedule at the same wall-clock time after the member changed `/profile timezone`.

        Returns True when it was moved (the firing at the old zone's time is then skipped).
        """
        tz = await self.profiles.timezone(prefs.user_id)
        if prefs.cadence == "off" or prefs.at_local is None or prefs.tz is None or tz == prefs.tz:
            return False
        request = rules.parse_schedule(prefs.cadence, prefs.at_local, rules_weekday(prefs.weekday), tz)
        assert request.recurrence is not None
        await self.repo.set_tz(prefs.user_id, tz, self.clock())
        await self.timers.schedule(
            PROMPT_EVENT,
            request.recurrence,
            key=schedule_key(prefs.user_id),
            guild_id=prefs.guild_id,
            user_id=prefs.user_id,
        )
        return True

    async def pause(self, user_id: int, days: int) -> datetime:
        """No prompts, nudges or missed counting until `days` from now."""
        rules.check_pause_days(days)
        until = self.clock() + timedelta(days=days)
        async with self.repo.db.transaction():
            await self.repo.set_pause(user_id, until, self.clock())
            await self.timers.cancel_matching(event=NUDGE_EVENT, user_id=user_id)
        return until

    async def resume(self, user_id: int) -> bool:
        """End a pause; False when there was none."""
        prefs = await self.repo.prefs(user_id)
        if not prefs.paused(self.clock()):
            return False
        await self.repo.set_pause(user_id, None, self.clock())
        return True

    # -- history and summary -----------------------------------------------------------------------

    async def history(self, user_id: int, days: int) -> History:
        """The member's own check-ins over the last `days` days."""
        rules.check_history_days(days)
        items = await self.repo.since(user_id, self.clock() - timedelta(days=days))
        tz = await self.profiles.timezone(user_id)
        return History(days, tz, items, rules.average(c.mood for c in items), await self.streak(user_id))

    async def summary(self, guild_id: int) -> list[rules.Summary]:
        """The 7- and 30-day aggregates of a guild; UserError when too few answered to show anything."""
        now = self.clock()
        windows = []
        for days in (7, 30):
            counts = await self.repo.window(guild_id, now - timedelta(days=days))
            windows.append(
                rules.Summary(days, counts.respondents, counts.checkins, counts.by_mood, counts.scheduled_members)
            )
        if all(w.suppressed for w in windows):
            msg = (
                f"Not enough check-ins to show a summary: fewer than {rules.MIN_RESPONDENTS} members answered "
                "in the last 30 days. Group views stay hidden below that, so nobody can be singled out."
            )
            raise UserError(msg)
        return windows

    # -- buddies -----------------------------------------------------------------------------------

    async def invite(self, inviter: int, invitee: int, invitee_is_bot: bool, guild_id: int | None) -> BuddyLink:
        """Check every rule before storing a pending invitation."""
        if invitee == inviter:
            raise UserError(
                "You can't be your own check-in buddy — pick another member, e.g. `/checkin buddy invite @alex`."
            )
        if invitee_is_bot:
            raise UserError("Bots can't be check-in buddies — pick a person from the server.")
        async with self.repo.db.transaction():
            mine = await self.repo.link_of(inviter)
            if mine is not None:
                msg = (
                    f"You already have a check-in buddy (<@{mine.other(inviter)}>). "
                    "Use `/checkin buddy remove` first if you'd like someone else."
                )
                raise UserError(msg)
            if await self.repo.link_of(invitee) is not None:
                msg = f"<@{invitee}> already has a check-in buddy; everyone has one at most."
                raise UserError(msg)
            existing = await self.repo.pair(inviter, invitee)
            if existing is not None:
                if existing.inviter_id == inviter:
                    msg = f"You've already invited <@{invitee}>; they can accept it from their DMs."
                else:
                    msg = f"<@{invitee}> has already invited you — accept it with the button in your DMs."
                raise UserError(msg)
            pending = await self.repo.pending_invites(inviter)
            if pending >= MAX_PENDING_INVITES:
                msg = (
                    f"You have {pending} invitations waiting for an answer; wait for one, "
                    "or `/checkin buddy remove` to withdraw them."
                )
                raise UserError(msg)
            return await self.repo.invite(inviter, invitee, guild_id, self.clock())

    async def remove(self, user_id: int) -> tuple[int | None, int]:
        """End the active pair (returns the former buddy) and withdraw pending invitations (their count)."""
        async with self.repo.db.transaction():
            link = await self.repo.link_of(user_id)
            if link is not None:
                await self.repo.delete_link(link.id)
            withdrawn = await self.repo.withdraw_invites(user_id)
        return (link.other(user_id) if link else None), withdrawn


def rules_weekday(weekday: int | None) -> str | None:
    """A stored weekday number back to the name the parser takes."""
    return WEEKDAYS[weekday] if weekday is not None else None
