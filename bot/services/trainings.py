"""Trainings use cases: create from a validated draft, RSVP with a cap and a click-ordered waitlist."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import TYPE_CHECKING, Any

from bot.db.timers import Timer
from bot.db.trainings import Counts, Training, TrainingRepository
from bot.domain.ce import normalise_category
from bot.domain.clock import Clock
from bot.domain.trainings import ANSWERS, Draft, TrainingError, describe_changes

if TYPE_CHECKING:
    from bot.app import Services
    from bot.services.guild_config import GuildConfig
    from bot.services.timers import TimerService


REMIND_EVENT = "training.remind"


def reminder_key_prefix(training_id: int) -> str:
    """Every reminder timer of a training has a key under this prefix (so a re-plan can drop them all)."""
    return f"training:{training_id}:remind:"


@dataclass(frozen=True, slots=True)
class RsvpResult:
    """What one click did."""

    training: Training
    stored: str
    promoted: int | None
    position: int  # waitlist place when stored == "waitlist"


@dataclass(frozen=True, slots=True)
class EditResult:
    """What an edit did: the training before and after, the lines that changed, who was promoted."""

    before: Training
    after: Training
    changes: list[str]
    promoted: list[int]
    told: list[int]  # Going and waitlisted members (after promotion) who should hear about the change


class TrainingService:
    """Everything the trainings cog asks of the database and the timers."""

    def __init__(self, repo: TrainingRepository, clock: Clock, timers: TimerService, config: GuildConfig) -> None:
        self.repo = repo
        self.clock = clock
        self.timers = timers
        self.config = config
        self._replan_hooks: list[Callable[[Training], Awaitable[object]]] = []

    def on_replan(self, hook: Callable[[Training], Awaitable[object]]) -> None:
        """Run `hook(training)` whenever the training's timers are re-planned (attendance's end timer)."""
        self._replan_hooks.append(hook)

    @classmethod
    def from_services(cls, services: Services) -> TrainingService:
        """Build from the composition root's services."""
        return cls(TrainingRepository(services.db), services.clock, services.timers, services.guild_config)

    # -- reading -------------------------------------------------------------------------------------

    async def get(self, training_id: int, guild_id: int | None = None) -> Training | None:
        """One training (of `guild_id` when given)."""
        return await self.repo.get(training_id, guild_id)

    async def find(self, training_id: int, guild_id: int) -> Training:
        """One training of this server, or a refusal naming the id."""
        found = await self.repo.get(training_id, guild_id)
        if found is None:
            raise TrainingError(f"There is no training #{training_id} on this server.")
        return found

    async def upcoming(self, guild_id: int, limit: int = 25) -> list[Training]:
        """Scheduled trainings that have not ended, soonest first."""
        return await self.repo.upcoming(guild_id, self.clock(), limit=limit)

    async def counts(self, training_id: int) -> Counts:
        """Answers per kind."""
        return await self.repo.counts(training_id)

    async def members(self, training_id: int, answer: str) -> list[int]:
        """Members with an answer, in click order."""
        return await self.repo.members(training_id, answer)

    async def upcoming_for_ce(
        self, guild_id: int, categories: Collection[str], *, any_category: bool, limit: int = 5
    ) -> list[Training]:
        """Upcoming trainings that would count toward missing CE hours.

        A training counts for a category when its CE category names it (compared as CE normalises
        names: "Harm Reduction" = "harm-reduction"); with `any_category` (total hours missing) every
        training that gives CE hours counts.
        """
        wanted = {normalise_category(c) for c in categories}
        found = [
            t
            for t in await self.repo.upcoming_with_ce(guild_id, self.clock())
            if any_category or normalise_category(t.ce_category) in wanted
        ]
        return found[:limit]

    # -- creating, editing, cancelling ----------------------------------------------------------------

    async def create(self, guild_id: int, trainer_id: int, draft: Draft) -> Training:
        """Store a training (its post is attached by `attach_post`)."""
        if draft.starts_at <= self.clock():
            raise TrainingError("That start is now in the past; edit it and post again.")
        training_id = await self.repo.create(guild_id, trainer_id, draft, self.clock())
        found = await self.repo.get(training_id)
        assert found is not None
        return found

    async def discard(self, training_id: int) -> None:
        """Remove a training whose announcement could not be posted (nothing half-made stays)."""
        await self.repo.delete(training_id)

    async def attach_post(self, training: Training, channel_id: int, message_id: int) -> Training:
        """Remember the announcement and plan the reminders: the training is now live."""
        await self.repo.set_post(training.id, channel_id, message_id)
        await self.replan(training)
        return await self.find(training.id, training.guild_id)

    async def set_event(self, training_id: int, event_id: int | None) -> None:
        """Remember (or forget) the Scheduled Event that mirrors the training."""
        await self.repo.set_event(training_id, event_id)

    def check_manager(self, training: Training, user_id: int, *, admin: bool, action: str) -> None:
        """Only the training's trainer or an admin may change it."""
        if training.trainer_id != user_id and not admin:
            raise TrainingError(f"Only the training's trainer or an admin can {action} it.")

    def check_editable(self, training: Training) -> None:
        """Cancelled, ended or started trainings are history: they are not edited."""
        if training.status == "cancelled":
            raise TrainingError(f"Training #{training.id} was cancelled; announce a new one instead.")
        if training.status == "ended" or training.ends_at <= self.clock():
            raise TrainingError(f"Training #{training.id} is over; it can no longer be edited.")
        if training.starts_at <= self.clock():
            raise TrainingError(f"Training #{training.id} has already started; it can no longer be edited.")

    async def editable(self, training_id: int, guild_id: int, user_id: int, *, admin: bool) -> Training:
        """The training `user_id` may edit now, or a refusal saying why not."""
        training = await self.find(training_id, guild_id)
        self.check_manager(training, user_id, admin=admin, action="edit")
        self.check_editable(training)
        return training

    async def edit(
        self, training_id: int, guild_id: int, user_id: int, draft: Draft, *, admin: bool, sequence: int
    ) -> EditResult:
        """Apply a previewed edit in one transaction, then move the reminders.

        `sequence` is the training's SEQUENCE when the preview was made: if someone else edited or
        cancelled it since, nothing is written and the editor is asked to start again.
        """
        before = await self.editable(training_id, guild_id, user_id, admin=admin)
        if draft.starts_at <= self.clock():
            raise TrainingError("That start is now in the past; edit it again with a later start.")
        changes = describe_changes(before.as_draft(), draft)
        if not changes:
            raise TrainingError("Nothing changed, so nothing was saved and nobody was told.")
        promoted = await self.repo.update(training_id, draft, sequence)
        if promoted is None:
            raise TrainingError(
                f"Training #{training_id} changed since your preview (edited or cancelled); run `/training edit` again."
            )
        after = await self.find(training_id, guild_id)
        await self.replan(after)
        told = await self.repo.members(training_id, "going") + await self.repo.members(training_id, "waitlist")
        return EditResult(before, after, changes, promoted, told)

    async def cancel(self, training_id: int, guild_id: int, user_id: int, *, admin: bool) -> tuple[Training, list[int]]:
        """Cancel: status, SEQUENCE, reminders dropped; returns it and the Going + waitlisted members to tell."""
        found = await self.find(training_id, guild_id)
        self.check_manager(found, user_id, admin=admin, action="cancel")
        if not await self.repo.cancel(found.id):
            raise TrainingError(f"Training #{found.id} is not scheduled any more (already cancelled or over).")
        cancelled = await self.find(training_id, guild_id)
        await self.replan(cancelled)
        people = await self.repo.members(found.id, "going") + await self.repo.members(found.id, "waitlist")
        return cancelled, people

    # -- reminders ------------------------------------------------------------------------------------

    async def replan(self, training: Training) -> int:
        """The one path that (re)plans a training's timers after it is posted, edited or cancelled.

        Drops every pending reminder of the training and, while it is scheduled, queues one per lead
        time of the server still in the future. Returns how many are pending.
        """
        for hook in self._replan_hooks:
            await hook(training)
        await self.timers.cancel_matching(event=REMIND_EVENT, key_prefix=reminder_key_prefix(training.id))
        if training.status != "scheduled":
            return 0
        now = self.clock()
        planned = 0
        for hours in await self.config.training_reminder_hours(training.guild_id):
            due = training.starts_at - timedelta(hours=hours)
            if due <= now:
                continue
            await self.timers.create(
                REMIND_EVENT,
                due,
                {"training_id": training.id, "hours": hours, "starts_at": training.starts_at.isoformat()},
                guild_id=training.guild_id,
                key=f"{reminder_key_prefix(training.id)}{hours}",
            )
            planned += 1
        return planned

    async def replan_guild(self, guild_id: int) -> None:
        """Lead times changed (`/setup reminders`): re-plan every upcoming training of the server."""
        for training in await self.repo.upcoming(guild_id, self.clock(), limit=1000):
            await self.replan(training)

    async def reminder_targets(self, timer: Timer) -> tuple[Training, list[int]] | None:
        """The training and the Going members a reminder timer must still reach, or None to skip it.

        Skipped when the training is gone, cancelled, moved since the timer was planned (the re-planned
        timer sends) or already started. Members this timer reached before a crash are left out.
        """
        training = await self.repo.get(int(timer.payload["training_id"]))
        if training is None or training.status != "scheduled":
            return None
        if training.starts_at.isoformat() != timer.payload.get("starts_at"):
            return None
        if self.clock() >= training.starts_at:
            return None
        done = await self.repo.reminded(timer.id)
        return training, [u for u in await self.repo.members(training.id, "going") if u not in done]

    async def mark_reminded(self, timer: Timer, training: Training, user_id: int) -> None:
        """Record that one member got this timer's reminder."""
        await self.repo.mark_reminded(timer.id, training.id, user_id, self.clock())

    async def prune_reminded(self) -> int:
        """Forget reminder deliveries older than a week."""
        return await self.repo.prune_reminded(self.clock() - timedelta(days=7))

    # -- answers --------------------------------------------------------------------------------------

    async def rsvp(self, training_id: int, user_id: int, answer: str) -> RsvpResult:
        """Record a member's answer; refuses cancelled, ended or started trainings."""
        if answer not in ANSWERS:
            raise TrainingError("Unknown answer.")
        training = await self.repo.get(training_id)
        if training is None:
            raise TrainingError("That training no longer exists.")
        if training.status == "cancelled":
            raise TrainingError("That training was cancelled.")
        if training.status == "ended" or training.ends_at <= self.clock():
            raise TrainingError("That training is over.")
        stored, promoted = await self.repo.answer(training, user_id, answer, self.clock())
        position = await self.repo.waitlist_position(training_id, user_id) if stored == "waitlist" else 0
        return RsvpResult(training, stored, promoted, position)

    async def release(self, training_id: int, user_id: int) -> RsvpResult:
        """Give back a seat (the promotion DM's button); refused unless the member holds one."""
        if await self.repo.answer_of(training_id, user_id) != "going":
            raise TrainingError("You don't hold a seat for that training.")
        return await self.rsvp(training_id, user_id, "no")

    # -- roster ---------------------------------------------------------------------------------------

    async def roster(
        self, training_id: int, guild_id: int, user_id: int, *, admin: bool
    ) -> tuple[Training, list[tuple[int, str]]]:
        """The training and (user id, answer) of everyone who answered, for its trainer or an admin."""
        training = await self.find(training_id, guild_id)
        if training.trainer_id != user_id and not admin:
            raise TrainingError("Only the training's trainer or an admin can download its roster.")
        return training, await self.repo.rsvps(training_id)

    # -- /mydata --------------------------------------------------------------------------------------

    async def export_user(self, user_id: int) -> dict[str, Any]:
        """A member's RSVPs, the trainings they announced and the reminders they were sent."""
        return await self.repo.export_user(user_id)

    async def erase_user(self, user_id: int) -> int:
        """Delete a member's RSVPs and reminder records."""
        return await self.repo.erase_user(user_id)


def training_ics(training: Training, guild_name: str) -> bytes:
    """An RFC 5545 calendar with one VEVENT: stable UID, UTC times, SEQUENCE from edits, STATUS."""
    from icalendar import Calendar, Event  # imported on first use: most start-ups never build a file

    calendar = Calendar()
    calendar.add("prodid", "-//Harbor//Trainings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"training-{training.id}-{training.guild_id}@harbor")
    event.add("dtstamp", training.starts_at.astimezone(UTC))
    event.add("dtstart", training.starts_at.astimezone(UTC))
    event.add("dtend", (training.starts_at + timedelta(minutes=training.minutes)).astimezone(UTC))
    event.add("summary", training.title)
    description = training.description
    if training.ce_hours:
        description += f"\n\nCE: {training.ce_hours:g} h ({training.ce_category}) · {guild_name}"
    event.add("description", description.strip())
    if training.location:
        event.add("location", training.location)
        if training.location.startswith(("https://", "http://")):
            event.add("url", training.location)
    event.add("sequence", training.sequence)
    event.add("status", "CANCELLED" if training.status == "cancelled" else "CONFIRMED")
    calendar.add_component(event)
    return bytes(calendar.to_ical())
