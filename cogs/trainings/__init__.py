"""Trainings: `/training create` announcements with Going / Maybe / Can't go, a cap and a waitlist.

`setup()` builds the service and provides it, registers the reminder handler, the restart-proof buttons
and the /mydata section, then loads the cog.
"""

from __future__ import annotations

from bot.app import Harbor
from bot.services.attendance import CREDIT_EVENT, END_EVENT, AttendanceService
from bot.services.ce import CeService
from bot.services.mydata import DataSection
from bot.services.trainings import TrainingService
from cogs.trainings._attendance import ATTENDANCE_ITEMS
from cogs.trainings._cog import Trainings
from cogs.trainings._credit import TrainingCredit
from cogs.trainings._reminders import REMIND_EVENT, TrainingReminders
from cogs.trainings._ui import DYNAMIC_ITEMS


async def setup(bot: Harbor) -> None:
    """Register the service, timers, buttons and the data section, then load the cog."""
    service = TrainingService.from_services(bot.services)
    bot.provide(service)
    reminders = TrainingReminders(bot, service)
    bot.services.timers.register(REMIND_EVENT, reminders.on_remind)
    bot.add_dynamic_items(*DYNAMIC_ITEMS, *ATTENDANCE_ITEMS)
    attendance = AttendanceService.from_services(bot.services, bot.feature(CeService))  # cogs.ce loads first (sorted)
    bot.provide(attendance)
    service.on_replan(attendance.replan)  # the end timer moves with every create, edit and cancel
    credit = TrainingCredit(bot, attendance)
    bot.services.timers.register(END_EVENT, credit.on_end)
    bot.services.timers.register(CREDIT_EVENT, credit.on_credit)
    await attendance.ensure_end_timers()
    bot.services.mydata.register(
        DataSection(
            "trainings",
            service.export_user,
            service.erase_user,
            about=(
                "Your answers to training announcements (going, maybe, can't go, waitlist place), the trainings "
                "you announced, and which reminders were sent to you (kept a week). Counts are public on the post; "
                "who answered is seen by the trainer and admins, and in the roster they download."
            ),
            kept="trainings you announced stay on the server's calendar",
        )
    )
    bot.services.mydata.register(
        DataSection(
            "training_attendance",
            attendance.export_user,
            attendance.erase_user,
            about=(
                "The trainings you attended (by code or marked by the trainer), when, and the certificate issued: "
                "its verification code and the name printed on it. The trainer and admins see who attended; "
                "anyone with the code can confirm the certificate. Erasing it makes the code stop verifying."
            ),
        )
    )
    await bot.add_cog(Trainings(bot, service))


async def teardown(bot: Harbor) -> None:
    """Unregister the buttons."""
    bot.remove_dynamic_items(*DYNAMIC_ITEMS, *ATTENDANCE_ITEMS)
