"""Case discussion: the confidentiality-agreement gate and `/case …` commands."""

from __future__ import annotations

from bot.app import Harbor
from bot.db.cases import CaseRepository
from bot.privacy import Scanner
from bot.services.automod import AutomodService
from bot.services.case_expiry import CaseExpiry
from bot.services.cases import CaseService
from bot.services.mydata import DataSection
from cogs.cases._agreement import AgreeButton, build_agreement_service
from cogs.cases._cog import Cases
from cogs.cases._new import DRAFT_BUTTONS
from cogs.cases._replies import ReplyScanner

__all__ = ["Cases", "setup", "teardown"]


async def setup(bot: Harbor) -> None:
    """Register the data sections, timers and the restart-proof button; provide the services; load the cogs."""
    services = bot.services
    cases = CaseRepository(services.db)
    bot.add_dynamic_items(AgreeButton, *DRAFT_BUTTONS)
    service = CaseService(
        cases,
        services.guild_config,
        Scanner(),
        services.clock,
        services.modlog,
        services.moderation,
        services.notifier,
    )
    expiry = CaseExpiry(bot, service, services.timers, services.notifier)
    expiry.register()
    await expiry.schedule_sweep()
    bot.provide(service)
    bot.provide(expiry)
    automod = AutomodService(bot, services.guild_config)
    bot.provide(automod)
    agreements = build_agreement_service(bot)
    services.mydata.register(
        DataSection(
            "case_agreements",
            agreements.export_user,
            agreements.erase_user,
            about="Which version of each server's confidentiality agreement you accepted, and when. Moderators "
            "can check it; kept until you erase it (then you must agree again to discuss cases).",
        )
    )
    services.mydata.register(
        DataSection(
            "case_threads",
            service.export_user,
            service.erase_user,
            about="The ids of case threads you opened (never their text), so moderators can reach the author of "
            "an anonymous case. Kept while the thread exists.",
        )
    )
    bot.provide(agreements)
    await bot.add_cog(Cases(agreements, service, expiry, automod))
    await bot.add_cog(ReplyScanner(bot, service, services.notifier))


async def teardown(bot: Harbor) -> None:
    """Unregister the buttons."""
    bot.remove_dynamic_items(AgreeButton, *DRAFT_BUTTONS)
