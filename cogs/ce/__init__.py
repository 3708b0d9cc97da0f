"""Continuing education: `/ce …` commands, durable CE reminders and the member's CE data in `/mydata`."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from bot.app import Harbor
from bot.db.ce import CeRepository
from bot.domain.recurrence import Recurrence
from bot.services.ce import REMINDER_EVENT, service_from
from bot.services.mydata import DataSection
from bot.services.trainings import TrainingService
from cogs.ce._charts import ChartRenderer
from cogs.ce._cog import ContinuingEducation
from cogs.ce._reminders import SWEEP_EVENT, SWEEP_KEY, CeReminders, TrainingLike
from cogs.ce._views import ConfirmRemoveCredential, EntriesPageButton

__all__ = ["ContinuingEducation", "setup", "teardown"]


async def setup(bot: Harbor) -> None:
    """Register timers, the data section and restart-proof buttons, then load the cog."""
    services = bot.services
    service = service_from(services)
    bot.provide(service)
    repo = CeRepository(services.db)

    async def trainings(guild_id: int, categories: Collection[str], any_category: bool) -> Sequence[TrainingLike]:
        # Looked up when a reminder fires: the trainings cog may load after this one, or not at all.
        try:
            found = bot.feature(TrainingService)
        except RuntimeError:
            return []
        return await found.upcoming_for_ce(guild_id, categories, any_category=any_category)

    reminders = CeReminders(service, repo, services.notifier, trainings)
    services.timers.register(REMINDER_EVENT, reminders.on_reminder)
    services.timers.register(SWEEP_EVENT, reminders.on_sweep)
    if await services.timers.next_due(SWEEP_KEY) is None:
        await services.timers.schedule(SWEEP_EVENT, Recurrence(kind="daily", at="08:00"), key=SWEEP_KEY)
    services.mydata.register(
        DataSection(
            "continuing_education",
            repo.export_for_user,
            repo.delete_for_user,
            about="Your CE credentials (template, expiry, number) and logged hours (title, provider, date, hours, "
            "category, certificate link). Only you see them; kept until you remove them or erase your data.",
        )
    )
    bot.add_dynamic_items(EntriesPageButton, ConfirmRemoveCredential)
    await bot.add_cog(ContinuingEducation(service, ChartRenderer()))


async def teardown(bot: Harbor) -> None:
    """Unregister the buttons."""
    bot.remove_dynamic_items(EntriesPageButton, ConfirmRemoveCredential)
