"""Trainings use cases: create from a validated draft, RSVP with a cap and a click-ordered waitlist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import TYPE_CHECKING

from bot.db.trainings import Training, TrainingRepository
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
