"""A member's own profile (their time zone), for `/profile`; other features read the zone from the repository."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.domain.parse import resolve_zone

if TYPE_CHECKING:
    from bot.db.core import Profile, ProfileRepository
    from bot.domain.clock import Clock


class ProfileService:
    """Set and show a member's time zone."""

    def __init__(self, profiles: ProfileRepository, clock: Clock) -> None:
        self._profiles = profiles
        self.clock = clock

    async def set_timezone(self, user_id: int, zone: str) -> datetime:
        """Store a (re-checked) IANA zone; returns the member's local time now in it."""
        name = resolve_zone(zone)
        await self._profiles.set_timezone(user_id, name, self.clock())
        return self.clock().astimezone(ZoneInfo(name))

    async def get(self, user_id: int) -> Profile | None:
        """The member's profile, or None when they never set anything."""
        return await self._profiles.get(user_id)
