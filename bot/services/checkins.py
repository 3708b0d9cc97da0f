"""Check-in orchestration: record, schedule, pause, buddies and summaries over the repository and timers.

No Discord types here: DMs go through the Notifier with plain text, so the rules can be read (and
tested) without a client. The cog and the DM buttons are thin adapters over this service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.db.checkin_buddies import BuddyLink
from bot.db.checkins import Checkin, CheckinRepository, MemberPrefs
from bot.domain import checkins as rules
from bot.domain.clock import Clock
from bot.domain.errors import NOT_YOURS
from bot.domain.recurrence import WEEKDAYS
from bot.errors import UserError
from bot.services.timers import timer_nonce

if TYPE_CHECKING:
    from bot.db.core import ProfileRepository
    from bot.db.timers import Timer
    from bot.services.guild_config import GuildConfig
    from bot.services.notify import Notifier
    from bot.services.timers import TimerService

PROMPT_EVENT = "checkin.prompt"
NUDGE_EVENT = "checkin.nudge"
MAX_PENDING_INVITES = 3
LATE = " *(late — Harbor was offline)*"
NUDGE_TEXT = (
    "🌱 A gentle nudge — no pressure. If you have a moment, how are you feeling today?\n"
    "-# This is the only reminder for this check-in."
)


def prompt_text(late: bool) -> str:
    """The prompt DM (no personal data in it)."""
    return (
        "🌿 Time for your check-in — how are you feeling right now?"
        + (LATE if late else "")
        + "\n-# Only you see your answers. `/checkin pause` for a break, `/checkin schedule off` to stop."
    )


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


class InviteAnswer(Enum):
    """What became of a buddy invitation the invitee answered."""

    CLOSED = "closed"
    DECLINED = "declined"
    TAKEN = "taken"
    ACCEPTED = "accepted"


@dataclass(frozen=True, slots=True)
class BuddySettings:
    """A member's buddy preferences and current buddy, as the settings panel shows them."""

    low: bool
    missed: int
    buddy: int | None


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
        *,
        prompt_view: Callable[[int, int], object],
    ) -> None:
        self._repo = repo
        self.prompt_view = prompt_view
        """The mood buttons a prompt DM carries, given (member, prompt): the cog's, so no Discord type is here."""
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
        prefs = prefs or await self._repo.prefs(user_id)
        _, local = await self.local_today(user_id, self.clock())
        cadence = prefs.cadence if prefs.cadence != "off" else "daily"
        days = await self._repo.local_dates(user_id, local.date() - timedelta(days=800))
        return rules.streak_text(rules.streak(days, local.date(), cadence), cadence)

    async def record(self, user_id: int, guild_id: int | None, mood: int, prompt_id: int | None) -> RecordResult:
        """Save a mood (answering open prompts and cancelling their nudges); tell the buddy only if chosen."""
        rules.check_mood(mood)
        now = self.clock()
        _, local = await self.local_today(user_id, now)
        saved = await self._repo.record(user_id, guild_id, mood, prompt_id, local.date(), now)
        for answered in saved.answered_prompts:
            await self.timers.cancel_matching(event=NUDGE_EVENT, user_id=user_id, key_prefix=nudge_key(answered))
        prefs = await self._repo.prefs(user_id)
        checkin = await self._repo.get(user_id, saved.checkin_id)
        guild = checkin.guild_id if checkin else guild_id
        low = mood <= rules.LOW_MOOD and not saved.duplicate
        has_buddy = await self._repo.buddy_of(user_id) is not None
        told = None
        if low and has_buddy and prefs.tell_buddy_low:
            told = await self.tell_buddy(user_id)
        if saved.duplicate and checkin is not None:
            mood = checkin.mood
        return RecordResult(
            saved.checkin_id, mood, await self.streak(user_id, prefs), saved.duplicate, low, guild, has_buddy, told
        )

    async def own_checkin(self, user_id: int, checkin_id: int) -> Checkin:
        """One of the member's own check-ins; refused when it was erased."""
        checkin = await self._repo.get(user_id, checkin_id)
        if checkin is None:
            raise UserError("That check-in was erased, so there is nothing to add a note to.")
        return checkin

    async def set_note(self, user_id: int, checkin_id: int, text: str) -> bool:
        """Attach a private note (validated) to one of the member's own check-ins; False when it was left empty."""
        note = rules.check_note(text)
        if await self._repo.get(user_id, checkin_id) is None:
            raise UserError("That check-in is not yours, or it was erased.")
        await self._repo.set_note(user_id, checkin_id, note)
        return note is not None

    async def tell_buddy(self, user_id: int) -> Told:
        """DM the member's buddy "X might appreciate a check-in" — at most once per BUDDY_TELL_EVERY."""
        buddy = await self._repo.buddy_of(user_id)
        if buddy is None:
            return Told.NO_BUDDY
        now = self.clock()
        if not await self._repo.claim_buddy_tell(user_id, now, now - rules.BUDDY_TELL_EVERY):
            return Told.TOO_SOON
        sent = await self.notifier.dm(buddy, purpose="check-in buddy note", content=buddy_message(user_id))
        return Told.TOLD if sent is not None else Told.UNDELIVERED

    # -- delivery (timer handlers) ---------------------------------------------------------------------
    #
    # A prompt row is keyed by its timer firing, so a handler re-run after a crash finds it again; it
    # is sent only while `sent_at` is empty, with the timer's nonce, so Discord drops a duplicate of a
    # send that raced the crash. Closed DMs mark the prompt undelivered and nothing retries it.

    async def deliver_prompt(self, timer: Timer) -> None:
        """Open the firing's prompt, count earlier unanswered ones as missed, DM the mood buttons."""
        user_id = timer.user_id
        if user_id is None:
            return
        now = self.clock()
        prefs = await self._repo.prefs(user_id)
        if prefs.cadence == "off" or prefs.paused(now):
            return  # paused: no prompt, and so nothing can be counted as missed
        if await self.follow_timezone(prefs):
            return  # this firing was at the old zone's wall-clock time; the next one is at the new zone's
        prompt, missed = await self._repo.open_prompt(user_id, timer.guild_id, timer.id, timer.due_at, timer.late, now)
        wanted = prefs.tell_buddy_missed
        if missed and wanted and prefs.missed_in_row < wanted <= prefs.missed_in_row + missed:
            await self.tell_buddy(user_id)
        if prompt.sent_at is not None or prompt.status != "open":
            return  # a re-run after the DM went out
        message = await self.notifier.dm(
            user_id,
            purpose="check-in prompt",
            guild_id=timer.guild_id,
            content=prompt_text(timer.late),
            view=self.prompt_view(user_id, prompt.id),
            nonce=timer_nonce(timer),
        )
        if message is None:
            await self._repo.mark_undelivered(prompt.id)
            return
        sent = self.clock()
        await self._repo.mark_sent(prompt.id, sent)
        following = await self.timers.next_firing_after(schedule_key(user_id), max(timer.due_at, sent))
        await self.timers.create(
            NUDGE_EVENT,
            rules.nudge_due(sent, following),
            {"prompt": prompt.id},
            guild_id=timer.guild_id,
            user_id=user_id,
            key=nudge_key(prompt.id),
        )

    async def deliver_nudge(self, timer: Timer) -> None:
        """One gentle nudge for a delivered prompt still unanswered; nothing while paused or stopped."""
        user_id = timer.user_id
        prompt_id = int(timer.payload.get("prompt", 0))
        if user_id is None or not prompt_id or timer.late:
            return  # a nudge that came due while Harbor was offline has lost its moment: drop it
        now = self.clock()
        prefs = await self._repo.prefs(user_id)
        prompt = await self._repo.prompt(prompt_id)
        if prompt is None or prompt.status != "open" or prompt.sent_at is None:
            return
        if prefs.cadence == "off" or prefs.paused(now):
            return
        if prompt.nudged_at is None:
            await self._repo.claim_nudge(prompt_id, now)
        # A re-run (crash or retry) sends with the same nonce, which Discord de-duplicates.
        await self.notifier.dm(
            user_id,
            purpose="check-in nudge",
            guild_id=prompt.guild_id,
            content=NUDGE_TEXT,
            view=self.prompt_view(user_id, prompt_id),
            nonce=timer_nonce(timer),
        )

    # -- scheduling --------------------------------------------------------------------------------

    async def set_schedule(
        self, user_id: int, guild_id: int | None, cadence: str, at: time | None, weekday: int | None
    ) -> tuple[rules.ScheduleRequest, str, datetime | None]:
        """Validate, store and (re)schedule; returns the request, the zone and the next prompt."""
        tz = await self.profiles.timezone(user_id)
        request = rules.schedule_request(cadence, at, weekday, tz)
        now = self.clock()
        async with self._repo.db.transaction():
            await self._repo.set_schedule(
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
        await self._repo.set_tz(prefs.user_id, tz, self.clock())
        await self.timers.schedule(
            PROMPT_EVENT,
            request.recurrence,
            key=schedule_key(prefs.user_id),
            guild_id=prefs.guild_id,
            user_id=prefs.user_id,
        )
        return True

    async def follow_timezone_of(self, user_id: int) -> bool:
        """`follow_timezone` for a member by id (the `harbor_timezone_changed` listener's entry)."""
        return await self.follow_timezone(await self._repo.prefs(user_id))

    async def pause(self, user_id: int, days: int) -> datetime:
        """No prompts, nudges or missed counting until `days` from now."""
        rules.check_pause_days(days)
        until = self.clock() + timedelta(days=days)
        async with self._repo.db.transaction():
            await self._repo.set_pause(user_id, until, self.clock())
            await self.timers.cancel_matching(event=NUDGE_EVENT, user_id=user_id)
        return until

    async def resume(self, user_id: int) -> bool:
        """End a pause; False when there was none."""
        prefs = await self._repo.prefs(user_id)
        if not prefs.paused(self.clock()):
            return False
        await self._repo.set_pause(user_id, None, self.clock())
        return True

    # -- history and summary -----------------------------------------------------------------------

    async def history(self, user_id: int, days: int) -> History:
        """The member's own check-ins over the last `days` days."""
        rules.check_history_days(days)
        items = await self._repo.since(user_id, self.clock() - timedelta(days=days))
        tz = await self.profiles.timezone(user_id)
        return History(days, tz, items, rules.average(c.mood for c in items), await self.streak(user_id))

    async def summary(self, guild_id: int) -> list[rules.Summary]:
        """The 7- and 30-day aggregates of a guild; UserError when too few answered to show anything."""
        now = self.clock()
        windows = []
        for days in (7, 30):
            counts = await self._repo.window(guild_id, now - timedelta(days=days))
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
        async with self._repo.db.transaction():
            mine = await self._repo.link_of(inviter)
            if mine is not None:
                msg = (
                    f"You already have a check-in buddy (<@{mine.other(inviter)}>). "
                    "Use `/checkin buddy remove` first if you'd like someone else."
                )
                raise UserError(msg)
            if await self._repo.link_of(invitee) is not None:
                msg = f"<@{invitee}> already has a check-in buddy; everyone has one at most."
                raise UserError(msg)
            existing = await self._repo.pair(inviter, invitee)
            if existing is not None:
                if existing.inviter_id == inviter:
                    msg = f"You've already invited <@{invitee}>; they can accept it from their DMs."
                else:
                    msg = f"<@{invitee}> has already invited you — accept it with the button in your DMs."
                raise UserError(msg)
            pending = await self._repo.pending_invites(inviter)
            if pending >= MAX_PENDING_INVITES:
                msg = (
                    f"You have {pending} invitations waiting for an answer; wait for one, "
                    "or `/checkin buddy remove` to withdraw them."
                )
                raise UserError(msg)
            return await self._repo.invite(inviter, invitee, guild_id, self.clock())

    async def withdraw_invite(self, link_id: int) -> None:
        """Drop an invitation that could not be delivered, leaving no trace of it."""
        await self._repo.delete_link(link_id)

    async def answer_invite(self, link_id: int, user_id: int, *, accept: bool) -> tuple[InviteAnswer, int]:
        """The invitee accepts or declines; the inviter is told by DM. Returns the outcome and the inviter.

        Anyone but the invitee is refused with the UI kit's one not-yours message.
        """
        link = await self._repo.link(link_id)
        if link is None or link.status != "pending":
            return InviteAnswer.CLOSED, 0
        if user_id != link.invitee_id:
            raise UserError(NOT_YOURS)
        if not accept:
            await self._repo.delete_link(link.id)
            outcome, told = InviteAnswer.DECLINED, f"<@{link.invitee_id}> can't be your check-in buddy right now."
        elif await self._repo.accept(link.id, self.clock()) is None:
            await self._repo.delete_link(link.id)
            return InviteAnswer.TAKEN, link.inviter_id
        else:
            outcome, told = InviteAnswer.ACCEPTED, f"<@{link.invitee_id}> accepted: you are now check-in buddies. 💙"
        await self.notifier.dm(link.inviter_id, purpose="check-in buddy answer", guild_id=link.guild_id, content=told)
        return outcome, link.inviter_id

    async def buddy_settings(self, user_id: int) -> BuddySettings:
        """The member's buddy preferences and buddy."""
        prefs = await self._repo.prefs(user_id)
        return BuddySettings(prefs.tell_buddy_low, prefs.tell_buddy_missed, await self._repo.buddy_of(user_id))

    async def toggle_tell_low(self, user_id: int) -> BuddySettings:
        """Flip "tell my buddy when I'm low"."""
        prefs = await self._repo.prefs(user_id)
        await self._repo.set_buddy_prefs(user_id, self.clock(), low=not prefs.tell_buddy_low)
        return await self.buddy_settings(user_id)

    async def set_tell_missed(self, user_id: int, missed: int) -> BuddySettings:
        """Tell the buddy after `missed` missed check-ins in a row (0: never)."""
        if missed not in rules.MISSED_CHOICES:
            raise UserError("Pick one of the listed choices.")
        await self._repo.set_buddy_prefs(user_id, self.clock(), missed=missed)
        return await self.buddy_settings(user_id)

    async def remove(self, user_id: int) -> tuple[int | None, int]:
        """End the active pair (returns the former buddy) and withdraw pending invitations (their count)."""
        async with self._repo.db.transaction():
            link = await self._repo.link_of(user_id)
            if link is not None:
                await self._repo.delete_link(link.id)
            withdrawn = await self._repo.withdraw_invites(user_id)
        return (link.other(user_id) if link else None), withdrawn

    # -- /mydata (the data section calls these; the repository stays the service's own) -------------------

    async def export_user(self, user_id: int) -> dict[str, Any]:
        """Everything this feature stores about the member (`/mydata export`)."""
        return await self._repo.export(user_id)

    async def erase_user(self, user_id: int) -> int:
        """Erase what this feature stores about the member (`/mydata delete`); returns the rows removed."""
        return await self._repo.erase(user_id)


def rules_weekday(weekday: int | None) -> str | None:
    """A stored weekday number back to the name the parser takes."""
    return WEEKDAYS[weekday] if weekday is not None else None
