"""Continuing education: `/ce …` commands, durable CE reminders and the member's CE data in `/mydata`."""

from __future__ import annotations

from bot.app import Harbor
from bot.domain.recurrence import Recurrence
from bot.services.ce import REMINDER_EVENT, CeService
from bot.services.mydata import DataSection
from cogs.ce._charts import ChartRenderer
from cogs.ce._cog import ContinuingEducation
from cogs.ce._reminders import SWEEP_EVENT, SWEEP_KEY, CeReminders
from cogs.ce._views import ConfirmRemoveCredential, EntriesPager

__all__ = ["ContinuingEducation", "setup", "teardown"]


async def setup(bot: Harbor) -> None:
    """Register timers, the data section and restart-proof buttons, then load the cog."""
    services = bot.services
    service = CeService.from_services(services)
    bot.provide(service)
    reminders = CeReminders(service, services.notifier)
    services.timers.register(REMINDER_EVENT, reminders.on_reminder)
    services.timers.register(SWEEP_EVENT, reminders.on_sweep)
    if await services.timers.next_due(SWEEP_KEY) is None:
        await services.timers.schedule(SWEEP_EVENT, Recurrence(kind="daily", at="08:00"), key=SWEEP_KEY)
    services.mydata.register(
        DataSection(
            "continuing_education",
            service.export_user,
            service.erase_user,
            about="Your CE credentials (template, expiry, number) and logged hours (title, provider, date, hours, "
            "category, certificate link). Only you see them; kept until you remove them or erase your data.",
        )
    )
    bot.add_dynamic_items(EntriesPager, ConfirmRemoveCredential)
    await bot.add_cog(ContinuingEducation(service, ChartRenderer()))


async def teardown(bot: Harbor) -> None:
    """Unregister the buttons."""
    bot.remove_dynamic_items(EntriesPager, ConfirmRemoveCredential)
