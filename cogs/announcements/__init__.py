"""Announcements: `/announce …`, the durable timer that posts scheduled ones, and their share of /mydata."""

from __future__ import annotations

from bot.app import Harbor
from bot.services.announcements import POST_EVENT, AnnouncementService
from bot.services.mydata import DataSection
from cogs.announcements._cog import Announcements
from cogs.announcements._post import ScheduledPoster

__all__ = ["Announcements", "setup"]


async def setup(bot: Harbor) -> None:
    """Register the timer handler and the data section, then load the cog."""
    services = bot.services
    service = AnnouncementService.from_services(services)
    bot.provide(service)
    services.timers.register(POST_EVENT, ScheduledPoster(bot, service).on_post)
    services.mydata.register(
        DataSection(
            "announcements",
            service.export_user,
            service.erase_user,
            about=(
                "Announcements you wrote with `/announce` (title, text, time, role pinged, whether it was posted). "
                "Trainers and admins of the server see scheduled ones in `/announce list`; kept until you erase "
                "your data, which also cancels the ones still scheduled."
            ),
            kept=(
                "announcements already posted stay in the server's announcements channel (they are the server's "
                "messages; an admin can delete them); Harbor forgets that you wrote them"
            ),
        )
    )
    await bot.add_cog(Announcements(service))
