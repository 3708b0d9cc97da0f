"""The optional Discord Scheduled Event that mirrors a training (created, updated and cancelled with it).

Harbor's own announcement stays the truth: a mirror that cannot be made (no Manage Events permission,
the server's 100 active events reached, Discord refusing) never stops the training; the person who
asked is told why. Each call returns a sentence for that person, or None when all went well.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.db.trainings import Training
from bot.services.trainings import TrainingService

if TYPE_CHECKING:
    from bot.app import Harbor

log = logging.getLogger(__name__)
MAX_ACTIVE = 100  # Discord's cap on scheduled or active events per server
LIVE = (discord.EventStatus.scheduled, discord.EventStatus.active)
NO_PERMISSION = (
    "I lack the **Manage Events** permission; give my role Manage Events (Server Settings → Roles), then "
    "try again with `/training edit event:True`"
)


def _location(training: Training) -> str:
    """Where, within Discord's 100 characters (an external event must say where)."""
    text = training.location or "See the training announcement in Discord"
    return text if len(text) <= 100 else text[:99] + "…"


def _description(training: Training) -> str:
    ce = f"\n\nCE: {training.ce_hours:g} h · {training.ce_category}" if training.ce_hours else ""
    text = f"{training.description}{ce}\n\nRSVP on Harbor's announcement (training #{training.id})."
    return text.strip()[:1000]


def _problem(exc: discord.HTTPException) -> str:
    if isinstance(exc, discord.Forbidden):
        return NO_PERMISSION
    if exc.code == 30038:
        return f"the server already has {MAX_ACTIVE} active Scheduled Events, Discord's limit"
    return f"Discord refused it ({exc.status}: {exc.text[:120] or 'no reason given'})"


class EventMirror:
    """Creates, updates and cancels a training's Scheduled Event and stores its id."""

    def __init__(self, bot: Harbor, service: TrainingService) -> None:
        self.bot = bot
        self.service = service

    def _guild(self, training: Training) -> discord.Guild | None:
        return self.bot.get_guild(training.guild_id)

    async def create(self, training: Training) -> str | None:
        """Mirror a newly posted training; refuses beyond 100 active events."""
        guild = self._guild(training)
        if guild is None:
            return "I could not find this server"
        try:
            live = [e for e in await guild.fetch_scheduled_events(with_counts=False) if e.status in LIVE]
            if len(live) >= MAX_ACTIVE:
                return (
                    f"the server already has {len(live)} active Scheduled Events and Discord allows {MAX_ACTIVE}; "
                    "the training is announced without one"
                )
            event = await guild.create_scheduled_event(
                name=training.title[:100],
                description=_description(training),
                start_time=training.starts_at,
                end_time=training.ends_at,
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
                location=_location(training),
                reason=f"Harbor training #{training.id}",
            )
        except discord.HTTPException as exc:
            log.info("training %s: scheduled event not created (HTTP %s)", training.id, exc.status)
            return _problem(exc)
        await self.service.set_event(training.id, event.id)
        return None

    async def update(self, training: Training) -> str | None:
        """Bring the mirror in line after an edit (nothing to do when there is none)."""
        guild = self._guild(training)
        if training.event_id is None or guild is None:
            return None
        try:
            event = await guild.fetch_scheduled_event(training.event_id)
            await event.edit(
                name=training.title[:100],
                description=_description(training),
                start_time=training.starts_at,
                end_time=training.ends_at,
                entity_type=discord.EntityType.external,
                location=_location(training),
                reason=f"Harbor training #{training.id} edited",
            )
        except discord.NotFound:
            await self.service.set_event(training.id, None)  # deleted by someone in Discord: stop tracking it
            return "its Scheduled Event was deleted in Discord, so there is none to update"
        except discord.HTTPException as exc:
            log.info("training %s: scheduled event not updated (HTTP %s)", training.id, exc.status)
            return _problem(exc)
        return None

    async def cancel(self, training: Training) -> str | None:
        """Cancel the mirror of a cancelled training."""
        guild = self._guild(training)
        if training.event_id is None or guild is None:
            return None
        try:
            event = await guild.fetch_scheduled_event(training.event_id)
            if event.status in LIVE:
                await event.cancel(reason=f"Harbor training #{training.id} cancelled")
        except discord.NotFound:
            pass  # already gone
        except discord.HTTPException as exc:
            log.info("training %s: scheduled event not cancelled (HTTP %s)", training.id, exc.status)
            return _problem(exc)
        await self.service.set_event(training.id, None)
        return None
