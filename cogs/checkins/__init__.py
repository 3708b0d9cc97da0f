"""Check-ins: private mood check-ins, scheduled DM prompts with one nudge, pauses, buddies and a summary.

Private by default and consent-first: answers and notes are shown only to their member (ephemeral or
DM); a buddy learns only "X might appreciate a check-in", and only when the member chose it; moderators
see aggregates of at least 5 respondents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.db.checkins import CheckinRepository
from bot.services.checkins import NUDGE_EVENT, PROMPT_EVENT, CheckinService
from bot.services.mydata import DataSection
from cogs.checkins._cog import Checkins
from cogs.checkins._ui import DYNAMIC_ITEMS, mood_view

if TYPE_CHECKING:
    from bot.app import Harbor


async def setup(bot: Harbor) -> None:
    """Wire the service, timer handlers, restart-proof buttons and the /mydata section."""
    s = bot.services
    repo = CheckinRepository(s.db)
    service = CheckinService(repo, s.timers, s.profiles, s.guild_config, s.notifier, s.clock, prompt_view=mood_view)
    bot.provide(service)
    s.timers.register(PROMPT_EVENT, service.deliver_prompt)
    s.timers.register(NUDGE_EVENT, service.deliver_nudge)
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    s.mydata.register(
        DataSection(
            "checkins",
            service.export_user,
            service.erase_user,
            about=(
                "Your check-in moods, private notes, prompt schedule, pause and buddy links. Only you see your "
                "answers and notes; a buddy learns only that you might appreciate a check-in, and only if you "
                "chose it; moderators see counts of 5 or more members. Kept until you delete them."
            ),
        )
    )
    await bot.add_cog(Checkins(service))


async def teardown(bot: Harbor) -> None:
    """Unregister the buttons."""
    bot.remove_dynamic_items(*DYNAMIC_ITEMS)
