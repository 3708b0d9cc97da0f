"""Moderation: reports, warnings, timeouts, notes, restrictions, appeals and the mod-record purge job."""

from __future__ import annotations

from bot.app import Harbor
from bot.db.timers import Timer
from bot.domain.recurrence import Recurrence
from bot.services.moderation import PURGE_EVENT, PURGE_KEY
from bot.services.mydata import DataSection
from cogs.moderation._cog import Moderation
from cogs.moderation._views import DYNAMIC_ITEMS

__all__ = ["Moderation", "setup", "teardown"]


async def setup(bot: Harbor) -> None:
    """Register the purge job, the data section and restart-proof buttons, then load the cog."""
    services = bot.services
    moderation = services.moderation

    async def purge(timer: Timer) -> None:
        await moderation.purge()

    services.timers.register(PURGE_EVENT, purge)
    if await services.timers.next_due(PURGE_KEY) is None:
        await services.timers.schedule(PURGE_EVENT, Recurrence(kind="daily", at="04:30"), key=PURGE_KEY)
    services.mydata.register(
        DataSection(
            "moderation",
            moderation.export_for_user,
            moderation.erase_for_user,
            about="Moderation records about you (case number, kind, when, where, the moderator's reason — never "
            "message text), reports you filed (ids and status; your words reach the moderators' queue only, never "
            "the member you reported) and your appeals. Only moderators see records; kept for the server's retention "
            "period (default 365 days).",
            kept="Moderation records about you are kept as metadata (case number, kind, date, moderator's reason) "
            "for the server's safety, until the server's retention period ends; reports you filed are erased.",
        )
    )
    bot.provide(moderation)
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(Moderation(bot, moderation))


async def teardown(bot: Harbor) -> None:
    """Unregister the buttons."""
    bot.remove_dynamic_items(*DYNAMIC_ITEMS)
