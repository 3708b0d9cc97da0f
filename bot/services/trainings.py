"""Trainings use cases: create from a validated draft, RSVP with a cap and a click-ordered waitlist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import TYPE_CHECKING

from bot.db.trainings import Counts, Training, TrainingRepository
from bot.domain.clock import Clock
from bot.domain.trainings import ANSWERS, Draft, TrainingError

if TYPE_CHECKING:
    from bot.app import Services


@dataclass(frozen=True, slots=True)
class RsvpResult:
    """What one click did."""

    training: Training
    stored: str
    promoted: int | None
    position: int  # waitlist place when stored == "waitlist"


class TrainingService:
    """Everything the trainings cog asks of the database."""

    def __init__(self, repo: TrainingRepository, clock: Clock) -> None:
        self.repo = repo
        self.clock = clock

    @classmethod
    def from_services(cls, services: Services) -> TrainingService:
        """Build from the composition root's services."""
        return cls(TrainingRepository(services.db), services.clock)

    async def create(self, guild_id: int, trainer_id: int, draft: Draft) -> Training:
        """Store a training (its post is attached by `attach_post`)."""
        if draft.starts_at <= self.clock():
            raise TrainingError("That start is now in the past; edit it and post again.")
        training_id = await self.repo.create(guild_id, trainer_id, draft, self.clock())
        found = await self.repo.get(training_id)
        assert found is not None
        return found

    # Reads and small writes the cog needs; the cog never reaches the repository itself.

    async def get(self, training_id: int, guild_id: int | None = None) -> Training | None:
        """One training (of `guild_id` when given)."""
        return await self.repo.get(training_id, guild_id)

    async def upcoming(self, guild_id: int, limit: int = 25) -> list[Training]:
        """Scheduled trainings of a server that have not ended, soonest first."""
        return await self.repo.upcoming(guild_id, self.clock(), limit=limit)

    async def counts(self, training_id: int) -> Counts:
        """Answers per kind."""
        return await self.repo.counts(training_id)

    async def members(self, training_id: int, answer: str) -> list[int]:
        """Members with `answer`, in click order."""
        return await self.repo.members(training_id, answer)

    async def attach_post(self, training_id: int, channel_id: int, message_id: int) -> None:
        """Remember where the announcement is."""
        await self.repo.set_post(training_id, channel_id, message_id)

    async def discard(self, training_id: int) -> None:
        """Remove a training whose announcement could not be posted."""
        await self.repo.delete(training_id)

    async def cancel(self, training_id: int) -> bool:
        """Mark a scheduled training cancelled; False when it was not scheduled."""
        return await self.repo.cancel(training_id)

    async def rsvp(self, training_id: int, user_id: int, answer: str) -> RsvpResult:
        """Record a member's answer; refuses cancelled, ended or started trainings."""
        if answer not in ANSWERS:
            raise TrainingError("Unknown answer.")
        training = await self.repo.get(training_id)
        if training is None:
            raise TrainingError("That training no longer exists.")
        if training.status == "cancelled":
            raise TrainingError("That training was cancelled.")
        if training.status == "ended" or training.starts_at + timedelta(minutes=training.minutes) <= self.clock():
            raise TrainingError("That training is over.")
        stored, promoted = await self.repo.answer(training, user_id, answer, self.clock())
        position = await self.repo.waitlist_position(training_id, user_id) if stored == "waitlist" else 0
        return RsvpResult(training, stored, promoted, position)


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
