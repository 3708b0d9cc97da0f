"""Announcements use cases: check a draft, post now or schedule a durable post, list, cancel, /mydata.

Nothing is stored until the author presses "Post": a preview lives only in the ephemeral message's
view. A post made at once is recorded after Discord accepted it; a scheduled one is a row plus a durable
timer (`announce.post`, key ``announce:<id>:post``) whose handler posts it with the timer's nonce, so a crash
between sending and recording does not post it twice. A post that came due while Harbor was down goes
out late, once (the timers' late semantic); the row's status says whether it went.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.db.announcements import Announcement, AnnouncementRepository
from bot.db.connection import Database
from bot.db.core import ProfileRepository
from bot.domain.announcements import AnnouncementError, Draft, check_due, check_text
from bot.domain.clock import Clock
from bot.services.timers import TimerService

if TYPE_CHECKING:
    from bot.app import Services

POST_EVENT = "announce.post"
SCHEDULED_MAX = 50  # per server: a cap that stops a runaway script, far above what a network schedules


def timer_key(announcement_id: int) -> str:
    """The durable timer's key for one announcement."""
    return f"announce:{announcement_id}:post"  # the suffix keeps prefix matching exact (1 vs 12)


class AnnouncementService:
    """Drafts, scheduling, cancelling and the member's data."""

    def __init__(self, db: Database, timers: TimerService, clock: Clock, profiles: ProfileRepository) -> None:
        self.db = db
        self._repo = AnnouncementRepository(db)
        self.timers = timers
        self.clock = clock
        self.profiles = profiles

    @classmethod
    def from_services(cls, services: Services) -> AnnouncementService:
        """Build on the composition root's services."""
        return cls(services.db, services.timers, services.clock, services.profiles)

    async def timezone(self, user_id: int) -> str:
        """The author's IANA time zone (UTC until they set one), to say when a scheduled post goes out."""
        return await self.profiles.timezone(user_id)

    def draft(self, title: str, body: str, *, due: datetime | None, when_text: str, ping_role_id: int | None) -> Draft:
        """A checked draft (text limits, and a future time when scheduled)."""
        title, body = check_text(title, body)
        if due is not None:
            check_due(due, self.clock())
        return Draft(body=body, title=title, due=due, when_text=when_text.strip() or "now", ping_role_id=ping_role_id)

    async def record_posted(
        self, guild_id: int, author_id: int, draft: Draft, channel_id: int, message_id: int
    ) -> Announcement:
        """Remember an announcement that was just posted."""
        now = self.clock()
        return await self._repo.insert(
            guild_id, author_id, draft, due=now, now=now, status="posted", channel_id=channel_id, message_id=message_id
        )

    async def schedule(self, guild_id: int, author_id: int, draft: Draft) -> Announcement:
        """Store a scheduled announcement and its durable timer, in one transaction."""
        if draft.due is None:
            msg = "a scheduled announcement needs a time"
            raise ValueError(msg)
        check_due(draft.due, self.clock())  # re-check: the preview may have waited past the time
        if await self._repo.count_scheduled(guild_id) >= SCHEDULED_MAX:
            raise AnnouncementError(
                f"This server already has {SCHEDULED_MAX} scheduled announcements; cancel some with "
                "`/announce cancel` first."
            )
        async with self.db.transaction():
            announcement = await self._repo.insert(guild_id, author_id, draft, due=draft.due, now=self.clock())
            await self.timers.create(
                POST_EVENT,
                draft.due,
                {"announcement": announcement.id},
                guild_id=guild_id,
                user_id=author_id,
                key=timer_key(announcement.id),
            )
        return announcement

    async def scheduled(self, guild_id: int, *, author_id: int | None = None) -> list[Announcement]:
        """Scheduled announcements, soonest first."""
        return await self._repo.scheduled(guild_id, author_id=author_id)

    async def cancel(self, guild_id: int, announcement_id: int, user_id: int, *, admin: bool) -> Announcement:
        """Cancel a scheduled announcement (its author, or any admin)."""
        found = await self._repo.get(guild_id, announcement_id)
        if found is None or found.status != "scheduled":
            raise AnnouncementError(
                f"There is no scheduled announcement #{announcement_id}; `/announce list` shows the ones waiting."
            )
        if found.author_id != user_id and not admin:
            raise AnnouncementError("Only its author or an admin can cancel that announcement.")
        async with self.db.transaction():
            if not await self._repo.set_status(found.id, "cancelled"):
                raise AnnouncementError(f"Announcement #{announcement_id} was posted or cancelled just now.")
            await self.timers.cancel_matching(event=POST_EVENT, key_prefix=timer_key(found.id))
        return found

    async def claim_for_posting(self, announcement_id: int) -> Announcement | None:
        """The announcement a timer should post now, or None when it was cancelled, erased or posted."""
        found = await self._repo.by_id(announcement_id)
        return found if found is not None and found.status == "scheduled" else None

    async def mark_posted(self, announcement_id: int, channel_id: int, message_id: int) -> None:
        """Record the post of a scheduled announcement."""
        await self._repo.mark_posted(announcement_id, channel_id, message_id, self.clock())

    async def mark_failed(self, announcement_id: int) -> None:
        """A scheduled announcement that could not be posted (no channel, no permission)."""
        await self._repo.set_status(announcement_id, "failed")

    # -- /mydata -----------------------------------------------------------------------------------

    async def export_user(self, user_id: int) -> list[dict[str, Any]]:
        """Every announcement a member wrote (posted, scheduled, cancelled)."""
        return await self._repo.export_for_user(user_id)

    async def erase_user(self, user_id: int) -> int:
        """Cancel a member's scheduled announcements and forget every one they wrote."""
        for announcement_id in await self._repo.scheduled_ids_of(user_id):
            await self.timers.cancel_matching(event=POST_EVENT, key_prefix=timer_key(announcement_id))
        return await self._repo.delete_for_user(user_id)
